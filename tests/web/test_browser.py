"""The web page in headless Chromium (Debian's chromium driven by Playwright; no `playwright install`): what a
reader does, at phone and desktop widths, with a screenshot of every step under tests/screenshots/. And an article
written to attack the page renders as text and runs nothing."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

import web_fixtures as W
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"
# from ../shared/ENVIRONMENT.md: no GPU, no sandbox (root in CI), no look-ups of Google's hosts
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost"]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="browser tests need Chromium at /usr/bin/chromium: apt-get install -y "
                                       "--no-install-recommends chromium fonts-noto-mono (.ci/run does)")


@pytest.fixture(scope="module")
def server(tmp_path_factory, built_archive):
    import uvicorn

    from bantin.api.app import ServeConfig, create_app

    db = W.copy_archive(built_archive, tmp_path_factory.mktemp("browser") / "web.db")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=str(db))), host="127.0.0.1", port=port,
                                        log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)


@pytest.fixture(scope="module")
def browser():
    pw = pytest.importorskip("playwright.sync_api")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """Everything a page does that it should not: dialogs (alert), console errors, uncaught exceptions, requests
    to anywhere but this server."""

    def __init__(self, page, base):
        self.problems: list[str] = []
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        page.on("request", lambda r: r.url.startswith(base) or self.problems.append(f"request: {r.url}"))


def new_page(browser, server, width):
    ctx = browser.new_context(viewport=WIDTHS[width], locale="vi-VN")
    page = ctx.new_page()
    return ctx, page, Watch(page, server)


def shot(page, name, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_narrow_open_follow(browser, server, width):
    ctx, page, watch = new_page(browser, server, width)
    page.goto(server + "/")
    shot(page, "home", width)
    page.fill("form.bigsearch input[name=q]", W.RAIL_Q_PLAIN)  # no diacritics
    page.press("form.bigsearch input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=duong\+sat"))
    total = int(page.text_content("b.total").replace(".", ""))
    assert total >= W.N_RAIL
    assert page.locator("ol.hitlist li").count() == 20
    assert page.locator("mark").first.is_visible()
    shot(page, "search", width)
    if width == "phone":  # facets fold above the hits on a phone
        page.click("details.facets-phone summary")
        page.click("details.facets-phone a:text-is('Dân trí')")  # narrow by an outlet facet
    else:
        page.click("aside.facets a:text-is('Dân trí')")
    page.wait_for_url(re.compile(r"outlet="))
    assert int(page.text_content("b.total")) == 8
    assert page.locator(".chip").first.text_content().startswith("Báo: Dân trí")
    shot(page, "search-facet", width)
    page.click("ol.hitlist li >> nth=0 >> a.title")  # open an article
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.text_content("h1").startswith("Đường sắt tốc độ cao")
    assert page.locator(".text a.ent-ORG").count() >= 1
    shot(page, "article", width)
    page.click(".text a.ent-ORG >> nth=0")  # follow an entity link
    page.wait_for_url(re.compile(r"/entities/"))
    assert page.text_content("h1").startswith("Bộ Giao thông vận tải")
    assert page.locator("svg.bars rect.bar").count() == 24
    shot(page, "entity", width)
    assert watch.problems == []
    ctx.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_open_a_story_from_an_article(browser, server, width):
    ctx, page, watch = new_page(browser, server, width)
    page.goto(server + "/search?q=" + W.RAIL_Q + "&outlet=VnExpress")
    page.click("ol.hitlist li >> nth=0 >> a.title")
    page.wait_for_url(re.compile(r"/articles/"))
    page.click("section.story a")
    page.wait_for_url(re.compile(r"/stories/\d+$"))
    assert page.locator("svg circle").count() == 25
    assert page.locator("ol.members > li").count() == 24  # the copy is folded under its original
    assert page.locator(".badge").text_content() == "Đưa tin đầu tiên"
    shot(page, "story", width)
    page.goto(server + "/stories")
    shot(page, "stories", width)
    page.goto(server + "/entities")
    shot(page, "entities", width)
    assert watch.problems == []
    ctx.close()


def test_switch_language(browser, server):
    ctx, page, watch = new_page(browser, server, "desktop")
    page.goto(server + "/search?q=metro")
    assert page.get_attribute("html", "lang") == "vi" and "kết quả" in page.text_content(".summary")
    page.click("a.lang")
    assert page.get_attribute("html", "lang") == "en" and "results" in page.text_content(".summary")
    shot(page, "search-english", "desktop")
    page.click("header nav a:text-is('Stories')")  # the choice is remembered
    assert page.get_attribute("html", "lang") == "en" and page.text_content("h1") == "Stories"
    page.click("a.lang")
    assert page.get_attribute("html", "lang") == "vi" and page.text_content("h1") == "Sự kiện"
    assert watch.problems == []
    ctx.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_attack_in_an_article_renders_as_text_and_runs_nothing(browser, server, width):
    ctx, page, watch = new_page(browser, server, width)
    page.goto(server + "/search?q=lua+tang")
    assert W.XSS_TITLE in page.text_content("ol.hitlist")
    page.click("ol.hitlist li >> nth=0 >> a.title")
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.text_content("h1") == W.XSS_TITLE
    assert "<script>alert(3)</script>" in page.text_content(".text")
    assert page.locator("script").count() == 0 and page.locator("main img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.text_content(".url") == W.XSS_URL  # shown as text, not a link
    shot(page, "article-xss", width)
    for url, status in [("/entities/<script>alert(1)</script>", 404), ("/search?q=\"><img src=x onerror=alert(1)>", 200),
                        ("/search.atom?q=lua+tang", 200)]:
        if status == 404:  # the browser logs the 404 itself: watch this one for dialogs and errors apart
            other = ctx.new_page()
            w404 = Watch(other, server)
            assert other.goto(server + url).status == 404
            other.wait_for_timeout(200)
            assert [p for p in w404.problems if "status of 404" not in p] == []
            continue
        assert page.goto(server + url).status == status
    page.goto(server + "/")
    page.wait_for_timeout(300)  # let anything that would run, run
    assert watch.problems == []
    ctx.close()

"""Fault suite, crawler part: a crawl killed mid-way (SIGKILL, SIGTERM) and resumed fetches nothing twice and loses
nothing; two crawls started on one archive never break politeness nor fetch a URL twice. Real `bantin` processes
against loopback sites (tests/crawl/siteserver.py); the real html reader."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time

import pytest
from conftest import BANTIN, run_cli
from crawl.siteserver import Request, Site, article_page, rss, sitemapindex, slow, static, urlset

TITLES = ["Hà Nội cải tạo hệ thống thoát nước", "Giá vàng hôm nay tăng mạnh", "Mưa lớn kéo dài ở miền Trung",
          "Bão số 5 đổ bộ vào đất liền", "Xuất khẩu gạo đạt kỷ lục mới", "Khởi công cao tốc Bắc Nam phía Đông"]


@pytest.fixture
def sites():
    a, b = Site(), Site()
    yield a, b
    a.close()
    b.close()


def _wait_for(cond, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


def _article(site: Site, path: str, i: int) -> None:
    site.add(path, article_page(f"{TITLES[i % len(TITLES)]} ({site.port}-{i})", extra=f"Bài số {site.port}-{i}."))


def _held(gate: threading.Event, then):
    def h(req: Request):
        if req.n == 1:
            gate.wait(30)
        return then(req)

    return h


@pytest.mark.parametrize("sig,where", [(signal.SIGKILL, "page"), (signal.SIGTERM, "page"),
                                       (signal.SIGKILL, "sitemap"), (signal.SIGTERM, "sitemap")])
def test_kill_during_crawl_then_resume_fetches_nothing_twice_and_loses_nothing(sites, tmp_path, sig, where):
    a, b = sites
    gate = threading.Event()
    # host A: a sitemap index → a news sitemap → 6 pages; host B: a feed → 6 pages; both hosts in parallel
    a_pages = [f"/a/{i}.html" for i in range(6)]
    b_pages = [f"/b/{i}.html" for i in range(6)]
    for i, p in enumerate(a_pages):
        _article(a, p, i)
    for i, p in enumerate(b_pages):
        _article(b, p, i)
    news = static(urlset(a, [(p, {"published": f"2025-10-2{i}T08:00:00+07:00", "title": f"Tin {i}"})
                             for i, p in enumerate(a_pages)], news=True), "application/xml")
    a.add("/sitemap-news.xml", news)
    idx = a.add("/sitemap_index.xml", sitemapindex(a, ["/sitemap-news.xml"]), "application/xml")
    feed = b.add("/feed.rss", rss(b, [(p, "Wed, 22 Oct 2025 19:25:52 +0700") for p in b_pages]),
                 "application/rss+xml")
    site, held_path = (b, b_pages[2]) if where == "page" else (a, "/sitemap-news.xml")
    site.routes[held_path] = _held(gate, site.routes[held_path])
    db = tmp_path / "crawl.db"
    proc = subprocess.Popen([BANTIN, "--db", str(db), "crawl", idx, feed, "--delay", "0.05", "--hosts", "2",
                             "--timeout", "20", "-q", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: site.requests(held_path))
        t_kill = time.monotonic()
        os.kill(proc.pid, sig)
        if sig == signal.SIGTERM:
            gate.set()  # a graceful stop waits for what is on the wire, records it, and leaves the rest queued
        out, err = proc.communicate(timeout=60)
        t_dead = time.monotonic()  # a request the server received before this may still have been sent by the killed crawl
    finally:
        gate.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if sig == signal.SIGTERM:
        assert proc.returncode == 1, err.decode()  # stopped with URLs pending: not a success
        rep = json.loads(out)
        assert rep["stopped"] == "interrupted" and rep["complete"] is False and rep["pending"] > 0
        assert any(x["state"] == "queued" and "stopped" in x["reason"] for x in rep["left"])
    else:
        assert proc.returncode == -signal.SIGKILL

    p = run_cli("crawl", "--resume", "--delay", "0.05", "--hosts", "2", "-q", "--json", db=db)
    rep = json.loads(p.stdout)
    assert p.returncode == 0, (rep, p.stderr.decode())
    assert rep["resumed"] is True and rep["pending"] == 0 and rep["failed"] == 0 and rep["complete"]

    # nothing fetched twice. SIGTERM: not one request repeated. SIGKILL: only what was on the wire when it hit —
    # the held request, and at most one request of the other host whose answer was not yet recorded (it ended
    # shortly before the kill, or never: "shortly" is 5 s, since on a loaded machine the crawler may take seconds
    # to record an answer it has read — 1 s failed once in a full run at load 8)
    again = []
    for s, paths in ((a, ["/sitemap_index.xml", "/sitemap-news.xml", *a_pages]), (b, ["/feed.rss", *b_pages])):
        for path in paths:
            hits = s.requests(path)
            assert len(hits) in (1, 2), (path, [h.status for h in hits])
            if len(hits) == 2:
                again.append((s, path))
                first = hits[0]
                # (received before the crawler was reaped: a signal takes effect a little after os.kill returns — a
                # request of the other host was seen arriving 0.2 ms after t_kill in a CI run)
                assert sig == signal.SIGKILL and first.t < t_dead, path
                assert first.t_end is None or first.t_end > t_kill - 5.0, (path, t_kill - first.t_end)
    if sig == signal.SIGKILL:
        assert (site, held_path) in again and len(again) <= 2 and len({s for s, _ in again}) == len(again)
    # nothing lost: every page is an article, dated (from the page or its listing), and the archive is sound
    stats = json.loads(run_cli("stats", "--json", db=db, check=0).stdout)
    assert stats["articles"] == 12 and stats["rejected"] == 0
    st = json.loads(run_cli("crawl", "--status", "--json", db=db, check=0).stdout)
    assert st["states"] == {"fetched": 12 + 3} and st["runs"][0]["status"] == "done"
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM frontier WHERE kind = 'page' AND stored = 0").fetchone()[0] == 0
    finally:
        con.close()
    arts = [json.loads(ln) for ln in run_cli("export", db=db, check=0).stdout.splitlines()]
    assert len(arts) == 12 and all(x["published_at"] for x in arts)


def test_two_crawls_on_one_archive_keep_politeness_and_fetch_nothing_twice(sites, tmp_path):
    """A second `bantin crawl` on an archive another crawl is using is refused at once (exit 75, a message naming
    the running crawl); the first goes on, one request at a time per host with --delay between them."""
    site, other = sites
    delay = 0.2
    paths = [f"/tin/{i}.html" for i in range(6)]
    for i, p in enumerate(paths):
        site.add(p, slow(0.02, static(article_page(f"{TITLES[i]} ({i})", extra=f"Bài {i}."))))
    b_done = threading.Event()
    # the 2nd page is held until the second crawl has ended (or 8 s): both crawls are alive at the same time
    site.routes[paths[1]] = (lambda then: lambda req: (b_done.wait(8) if req.n == 1 else None, then(req))[1])(
        site.routes[paths[1]])
    feed = site.add("/feed.rss", rss(site, [(p, None) for p in paths]), "application/rss+xml")
    extra = other.add("/x.html", article_page("Tin khác", extra="khác"))
    db = tmp_path / "crawl.db"
    cmd = [BANTIN, "--db", str(db), "crawl", "--delay", str(delay), "--timeout", "20", "-q"]
    first = subprocess.Popen([*cmd, feed], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: site.requests(paths[1]))
        second = subprocess.run([*cmd, feed, site.url(paths[4]), extra], capture_output=True, timeout=120)
        b_done.set()
        out, err = first.communicate(timeout=120)
    finally:
        b_done.set()
        if first.poll() is None:
            first.kill()
            first.communicate()
    # politeness held on the shared host: never two requests at once, always the delay between them
    hits = sorted(site.requests(), key=lambda h: h.t)
    for x, y in zip(hits, hits[1:]):
        assert y.t - (x.t_end or x.t) >= delay * 0.95, (x.path, y.path, y.t - (x.t_end or x.t))
    for path in ["/robots.txt", "/feed.rss", *paths]:
        assert len(site.requests(path)) == 1, path
    assert other.requests() == []
    # ... because the second crawl was refused at once, with a message naming the running one
    assert second.returncode == 75, second.stderr.decode()
    msg = second.stderr.decode()
    assert "another crawl is running" in msg and "crawl #1" in msg and "nothing was done" in msg
    assert first.returncode == 0, (out.decode(), err.decode())
    # once the first crawl is over the archive is free again
    p = run_cli("crawl", extra, "--delay", "0", "-q", db=db)
    assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()
    assert [h.path for h in other.requests()] == ["/robots.txt", "/x.html"]
    assert json.loads(run_cli("stats", "--json", db=db, check=0).stdout)["articles"] == 7

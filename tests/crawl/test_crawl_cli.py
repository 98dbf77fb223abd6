"""`bantin crawl` as a command: a crawl killed mid-way (SIGKILL) resumes without refetching; --status; usage."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

import pytest
from conftest import BANTIN, run_cli
from crawl.siteserver import Request, Site, article_page, page, rss


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def _wait_for(cond, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


def cli(db, *args: str):
    """The command in this process (click's runner: stdout is not a terminal); stdout and stderr apart."""
    from click.testing import CliRunner

    from bantin.cli import main

    return CliRunner().invoke(main, ["--db", str(db), *args])


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_resume_after_kill_fetches_nothing_twice(site, db, sig):
    paths = [f"/tin/{i}.html" for i in range(8)]
    gate = threading.Event()
    for p in paths:
        site.add(p, page(p, "Nội dung."))

    def held(req: Request):  # the 4th page: held until the crawler is dead
        gate.wait(10)
        return 200, {"Content-Type": "text/html"}, page("held", "x")

    site.add(paths[3], held)
    feed = site.add("/feed.rss", rss(site, [(p, None) for p in paths]))
    proc = subprocess.Popen([BANTIN, "--db", str(db), "crawl", feed, "--delay", "0.02", "--timeout", "10", "-q",
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: site.requests(paths[3]))
        os.kill(proc.pid, sig)
        if sig == signal.SIGTERM:
            gate.set()  # a graceful stop waits for the request on the wire and records it
        proc.wait(timeout=30)
    finally:
        gate.set()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    # (after SIGKILL the server may still write the held answer into the dead socket: that one is not counted)
    done_before = {p for p in paths if site.served(p) and not (sig == signal.SIGKILL and p == paths[3])}
    assert done_before == set(paths[:3]) | ({paths[3]} if sig == signal.SIGTERM else set())
    st = json.loads(run_cli("crawl", "--status", "--json", db=db, check=0).stdout)
    assert st["pending"] >= 4 and st["runs"][0]["status"] in ("running", "stopped")

    p = run_cli("crawl", "--resume", "--delay", "0.02", "-q", "--json", db=db)
    assert p.returncode in (0, 1), p.stderr.decode()  # 1: pages rejected when no html reader is installed
    rep = json.loads(p.stdout)
    assert rep["resumed"] is True and rep["pending"] == 0 and rep["failed"] == 0
    assert len(site.requests("/feed.rss")) == 1
    for path in paths:
        if sig == signal.SIGKILL and path == paths[3]:
            last = site.requests(path)[-1]
            assert last.status == 200 and last.completed
            continue
        assert site.served(path) == 1, (path, [h.status for h in site.requests(path)])
    # only the page that was on the wire when SIGKILL hit was asked for twice (its answer never arrived)
    asked_twice = [path for path in paths if len(site.requests(path)) > 1]
    assert asked_twice == ([paths[3]] if sig == signal.SIGKILL else [])
    st = json.loads(run_cli("crawl", "--status", "--json", db=db, check=0).stdout)
    assert st["states"] == {"fetched": 9} and st["runs"][0]["status"] == "done"
    stats = json.loads(run_cli("stats", "--json", db=db, check=0).stdout)
    assert stats["articles"] + stats["rejected"] == 8


def test_crawl_json_report_and_status_table(site, db):
    site.add("/a.html", page("A", "x"))
    site.add("/gone.html", lambda req: (404, {"Content-Type": "text/plain"}, b"no"))
    p = run_cli("crawl", site.url("/a.html"), site.url("/gone.html"), "--delay", "0", "--retry-base", "0.01",
                "--max-attempts", "2", "--json", db=db)
    assert p.returncode == 1  # a URL failed
    rep = json.loads(p.stdout)
    assert rep["fetched"] == 1 and rep["failed"] == 1 and rep["pages"] == 1
    assert rep["requests"] == 1 + 1 + 2  # robots.txt, a.html, gone.html twice
    txt = run_cli("crawl", "--status", db=db, check=0).stdout.decode()
    assert "failed" in txt and "/gone.html" in txt and "HTTP 404" in txt
    out = run_cli("crawl", site.url("/a.html"), "--delay", "0", db=db)  # human summary on stdout
    assert b"crawl #2" in out.stdout and b"unchanged" in out.stdout


def test_usage_errors(db):
    from click.testing import CliRunner

    from bantin.cli import main

    def cli(*args: str):
        return CliRunner().invoke(main, ["--db", str(db), *args])

    assert cli("crawl").exit_code == 2
    r = cli("crawl", "ftp://example.org/x")
    assert r.exit_code == 2 and "http" in r.output
    assert cli("crawl", "--status", "http://x.vn/").exit_code == 2
    r = cli("crawl", "--status")
    assert r.exit_code == 0 and "empty" in r.output


# -- exit status: 0 only when every URL was fetched and stored (issue 15, item 10) -------------------------------
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAST = ("--delay", "0", "--retry-base", "0.01", "--timeout", "2", "-q")


@pytest.mark.parametrize("case", ["robots-503", "refused", "retry-after", "max-pages"])
def test_exit_status_is_1_when_urls_failed_or_were_left(site, db, case):
    from crawl.siteserver import status

    for i, title in enumerate(("Hà Nội cải tạo hệ thống thoát nước", "Giá vàng hôm nay tăng mạnh", "Mưa lớn")):
        site.add(f"/p{i}.html", article_page(title))  # real articles: nothing is rejected, only left
    if case == "robots-503":
        site.add("/robots.txt", status(503))
        args, want = [site.url("/p0.html")], ("failed", "robots.txt unreachable (HTTP 503)")
    elif case == "refused":
        args, want = [f"http://127.0.0.1:{_free_port()}/a.html"], ("failed", "Connection refused")
    elif case == "retry-after":
        site.add("/busy.html", status(503, headers={"Retry-After": "3600"}))
        args, want = [site.url("/busy.html")], ("retry at", "HTTP 503")
    else:
        feed = site.add("/feed.rss", rss(site, [(f"/p{i}.html", None) for i in range(3)]))
        args, want = [feed, "--max-pages", "2"], ("queued", "--max-pages")
    p = cli(db, "crawl", *args, *FAST)
    out = p.stdout
    assert p.exit_code == 1, p.output
    # what was left, and why, with the full URL
    left = [ln for ln in out.splitlines() if ln.startswith("  ")]
    assert left and want[0] in left[0] and want[1] in left[0], out
    if case != "refused":
        assert site.base in left[0]
    rep = json.loads(cli(db.with_name("j.db"), "crawl", *args, *FAST, "--json").stdout)
    assert rep["complete"] is False and rep["left"] and rep["left"][0]["reason"] and rep["rejected"] == 0


def test_exit_status_0_when_everything_was_fetched_and_stored(site, db):
    feed = site.add("/feed.rss", rss(site, [("/a.html", None), ("/b.html", None)]))
    site.add("/a.html", article_page("Hà Nội cải tạo hệ thống thoát nước"))
    site.add("/b.html", article_page("Giá vàng hôm nay tăng mạnh"))
    p = cli(db, "crawl", feed, *FAST, "--json")
    rep = json.loads(p.stdout)
    assert p.exit_code == 0, rep
    assert rep["complete"] is True and rep["left"] == [] and rep["added"] == 2


# -- full values when stdout is not a terminal (issue 15, item 22) -------------------------------------------------
def test_status_and_rejects_print_full_values_into_a_pipe(site, db, tmp_path):
    long_path = "/tin/" + "-".join(["bai-viet-rat-dai-ve-thoi-su"] * 8) + ".html"  # ~230 characters
    site.add(long_path, lambda req: (404, {"Content-Type": "text/plain"}, b"no"))
    cli(db, "crawl", site.url(long_path), "--delay", "0", "--max-attempts", "1", "-q")
    out = cli(db, "crawl", "--status").stdout
    line = next(ln for ln in out.splitlines() if long_path in ln)
    assert line.split("\t")[:2] == [site.url(long_path), "failed"] and "HTTP 404" in line
    # a rejected input with a long name, and a name that looks like rich markup
    d = tmp_path.joinpath("x" * 90, "y" * 90)
    d.mkdir(parents=True)
    (d / "[bold]trống[red].txt").write_bytes(b"")
    cli(db, "ingest", str(d))
    out = cli(db, "rejects").stdout
    assert out.splitlines()[0] == "path\trecord\tstage\treason"
    rows = [ln.split("\t") for ln in out.splitlines()[1:]]
    assert [r[0] for r in rows] == [str(d / "[bold]trống[red].txt")] and all(len(r) == 4 for r in rows)


# -- a word that is not a URL is a usage error (issue 15, item 23) -------------------------------------------------
@pytest.mark.parametrize("arg,says", [("notaurl", "not a domain name"), ("feed.xml", "file name"),
                                      ("./feed.rss", "file path")])
def test_not_a_url_is_a_usage_error_without_network(db, arg, says):
    t0 = time.monotonic()
    p = cli(db, "crawl", arg, "--retry-base", "5")
    assert p.exit_code == 2 and says in p.stderr and arg in p.stderr, p.output
    assert time.monotonic() - t0 < 5  # no DNS look-up, no retries (3 of them would take 15 s)
    assert not db.exists() or "empty" in cli(db, "crawl", "--status").stdout


def test_bare_domains_still_mean_https():
    from bantin.crawl.urls import BadURL, normalize_url

    assert normalize_url("vnexpress.net/rss/tin-moi-nhat.rss") == "https://vnexpress.net/rss/tin-moi-nhat.rss"
    assert normalize_url("Thanhnien.VN") == "https://thanhnien.vn/"
    assert normalize_url("localhost:8080/feed") == "https://localhost:8080/feed"
    assert normalize_url("127.0.0.1:8080/feed") == "https://127.0.0.1:8080/feed"
    assert normalize_url("http://intranet/feed") == "http://intranet/feed"  # with a scheme any host is taken
    assert normalize_url("/a.html", base="https://x.vn/b/") == "https://x.vn/a.html"
    for bad in ("notaurl", "feed.xml", "x.123", "/tmp/f.rss", "tin mới"):
        with pytest.raises(BadURL):
            normalize_url(bad)


# -- --resume with nothing to resume (issue 15, item 26) ----------------------------------------------------------
def test_resume_with_nothing_to_resume_says_so_and_exits_3(site, db):
    p = cli(db, "crawl", "--resume")
    assert p.exit_code == 3 and "nothing to resume: no crawl has run" in p.stderr
    assert "empty" in cli(db, "crawl", "--status").stdout  # no run #1 was started
    url = site.add("/a.html", article_page("Hà Nội cải tạo hệ thống thoát nước"))
    assert cli(db, "crawl", url, "--delay", "0", "-q").exit_code == 0
    p = cli(db, "crawl", "--resume", "--json")
    assert p.exit_code == 3 and "the last crawl (#1" in p.stderr and "finished" in p.stderr
    assert json.loads(p.stdout)["stopped"] == "nothing-to-resume"
    st = json.loads(cli(db, "crawl", "--status", "--json").stdout)
    assert [r["id"] for r in st["runs"]] == [1]
    # with URLs, --resume means "continue, or start with these": a new crawl, said on stderr
    url2 = site.add("/b.html", article_page("Giá vàng hôm nay tăng mạnh"))
    p = cli(db, "crawl", "--resume", url2, "--delay", "0", "-q")
    assert p.exit_code == 0 and "no unfinished crawl to resume: started crawl #2" in p.stderr
    assert site.served("/a.html") == 1 and site.served("/b.html") == 1

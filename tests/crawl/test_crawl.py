"""The crawler against a local site (127.0.0.1 only): what is fetched, when, how often, and what is recorded."""

from __future__ import annotations

import gzip
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from crawl.siteserver import (
    Request,
    Site,
    atom,
    http_date,
    page,
    redirect,
    rss,
    sequence,
    sitemapindex,
    slow,
    static,
    status,
    urlset,
)

from bantin import pipeline, sources
from bantin.crawl import CrawlConfig, crawl
from bantin.crawl.fetch import Fetcher, classify
from bantin.crawl.frontier import status as frontier_status
from bantin.model import Draft, Raw, Reject
from bantin.store.sqlite import SQLiteArchive

FAST = {"delay": 0.0, "timeout": 0.5, "retry_base": 0.05, "retry_cap": 5.0, "max_attempts": 3}


def run(store: SQLiteArchive, seeds: list[str], **kw):
    return crawl(store, seeds, CrawlConfig(**{**FAST, **kw}))


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def site2():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def store(tmp_path: Path):
    a = SQLiteArchive(str(tmp_path / "crawl.db"))
    yield a
    a.close()


class TinyHTML:
    """A test-only html reader (the real one lives on another branch): <title> and <p>s; records every Raw."""

    NAME, VERSION = "html", "test"
    seen: list[Raw] = []

    @staticmethod
    def parse(raw: Raw) -> Draft | Reject:
        TinyHTML.seen.append(raw)
        text = raw.payload.decode("utf-8", "replace")
        m = re.search(r"<title>(.*?)</title>", text, re.S)
        if not m:
            return Reject(raw.path, raw.record, "parse", "not an article (no title)", raw.sha256)
        paras = re.findall(r"<p>(.*?)</p>", text, re.S)
        return Draft(raw=raw, title=m.group(1), paragraphs=paras, url=raw.hints.get("url"),
                     extractor="tinyhtml/test")


@pytest.fixture
def html_reader(monkeypatch):
    TinyHTML.seen = []
    monkeypatch.setitem(sources.READERS, "html", TinyHTML)
    return TinyHTML


def rows(store: SQLiteArchive) -> dict[str, object]:
    return {r.url: r for r in store.frontier_rows()}


def spacing(hits) -> list[float]:
    """Gaps between one response's end and the next request's arrival (one host)."""
    hits = sorted(hits, key=lambda h: h.t)
    return [b.t - (a.t_end or a.t) for a, b in zip(hits, hits[1:])]


# -- the basic flow ---------------------------------------------------------------------------------------------
def test_feed_to_articles_end_to_end(site, store, html_reader):
    site.add("/a.html", page("Giá vàng tăng mạnh", "Giá vàng hôm nay tăng.", "Nhà đầu tư chú ý."))
    site.add("/b.html", page("Mưa lớn ở Hà Nội", "Mưa lớn kéo dài."))
    feed = site.add("/rss/tin-moi.rss", rss(site, [("/a.html?utm_source=rss&utm_medium=feed",
                                                    "Wed, 22 Oct 2025 19:25:52 +0700"),
                                                   ("/b.html#comments", "Wed, 22 Oct 2025 08:00:00 +0700")]),
                    "application/rss+xml")
    rep = run(store, [feed])
    assert (rep.listings, rep.pages, rep.added, rep.rejected, rep.failed) == (1, 2, 2, 0, 0)
    assert site.paths() == ["/robots.txt", "/rss/tin-moi.rss", "/a.html", "/b.html"]  # tracking/fragment gone
    arts = {a.title: a for a in store.iter_articles()}
    assert set(arts) == {"Giá vàng tăng mạnh", "Mưa lớn ở Hà Nội"}
    a = arts["Giá vàng tăng mạnh"]
    prov = a.provenance[0]
    assert prov.path == site.url("/a.html") and prov.format == "html" and prov.fetched_at
    # the raw HTML is in the archive, byte for byte: re-extraction never needs the network
    want = page("Giá vàng tăng mạnh", "Giá vàng hôm nay tăng.", "Nhà đầu tư chú ý.")
    assert store.get_raw(prov.raw_sha256) == want
    raw = next(r for r in html_reader.seen if r.path.endswith("/a.html"))
    assert raw.format == "html" and raw.record == "" and raw.fetched_at == prov.fetched_at
    assert raw.hints["url"] == site.url("/a.html") and raw.hints["status"] == 200
    assert raw.hints["requested_url"] == site.url("/a.html")
    assert raw.hints["headers"]["content-type"].startswith("text/html")
    assert raw.hints["listed"]["in"] == feed and raw.hints["listed"]["kind"] == "rss"
    assert raw.hints["listed"]["published_at"] == "2025-10-22T19:25:52+07:00"  # the feed's zone kept
    assert raw.hints["listed"]["title"] == "Bài 0"
    ua = site.requests("/a.html")[0].headers["user-agent"]
    assert ua.startswith("bantin/") and "news archiver" in ua
    r = rows(store)
    assert r[feed].kind == "feed" and r[feed].state == "fetched"
    assert r[site.url("/a.html")].discovered_from == feed and r[site.url("/a.html")].stored


def test_pages_without_html_reader_become_rejects_but_raw_is_kept(site, store, monkeypatch):
    monkeypatch.delitem(sources.READERS, "html", raising=False)
    url = site.add("/a.html", page("Tiêu đề", "Nội dung."))
    rep = run(store, [url])
    assert rep.pages == 1 and rep.rejected == 1
    rj = store.rejects()
    assert rj[0].path == url and "html" in rj[0].reason
    assert store.get_raw(rj[0].raw_sha256) == page("Tiêu đề", "Nội dung.")


def test_article_url_fetched_directly_and_contact_in_user_agent(site, store, html_reader):
    url = site.add("/tin/bai-1.html", page("Bài một", "Đoạn một."))
    rep = run(store, [url], contact="mailto:ops@example.org")
    assert rep.added == 1 and site.served("/tin/bai-1.html") == 1
    assert "+mailto:ops@example.org" in site.requests("/tin/bai-1.html")[0].headers["user-agent"]


def test_crawled_pages_follow_the_language_policy(site, store, html_reader):
    en = site.add("/news/rain.html", page("Heavy rain expected in the north", "Heavy rain is expected across the "
                                          "north of England this weekend, with flood warnings for several towns."))
    vi = site.add("/tin/mua.html", page("Mưa lớn ở miền Bắc", "Mưa lớn kéo dài ở các tỉnh miền Bắc cuối tuần này, "
                                        "nhiều nơi có nguy cơ ngập úng."))
    rep = run(store, [en, vi])
    assert (rep.added, rep.rejected) == (1, 1)
    [r] = rep.rejects
    assert r.stage == "filter" and "(language en" in r.reason and store.get_raw(r.raw_sha256)  # bytes kept
    assert run(store, [en], languages=("any",)).added == 1
    with pytest.raises(sources.UsageError, match="'xx'"):
        run(store, [en], languages=("xx",))


def test_proxy_variables_are_ignored(site, store, html_reader, monkeypatch):
    for v in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(v, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = site.add("/a.html", page("Qua proxy?", "Không."))
    assert run(store, [url]).added == 1


# -- dedup --------------------------------------------------------------------------------------------------------
def test_no_url_fetched_twice_across_listings_and_spellings(site, store, html_reader):
    for p in ("/a.html", "/b.html", "/c.html"):
        site.add(p, page(p, "x"))
    f1 = site.add("/feed.rss", rss(site, [("/a.html", None), ("/b.html?utm_campaign=x", None),
                                          ("/a.html#top", None)]), "application/rss+xml")
    f2 = site.add("/atom.xml", atom(site, [(site.url("/b.html") + "?fbclid=123", "2025-10-22T10:00:00+07:00"),
                                           (site.url("/c.html"), "2025-10-22T11:00:00+07:00")]),
                  "application/atom+xml")
    sm = site.add("/sitemap.xml", urlset(site, [("/a.html", {}), ("/c.html?zarsrc=30&utm_source=zalo", {}),
                                                (site.url("/b.html").replace("http://", "HTTP://"), {})]),
                  "application/xml")
    rep = run(store, [f1, f2, sm, site.url("/a.html?utm_source=x"), f1])
    for p in ("/a.html", "/b.html", "/c.html", "/feed.rss", "/atom.xml", "/sitemap.xml"):
        assert len(site.requests(p)) == 1, p
    assert rep.pages == 3 and rep.added == 3
    # a resumed crawl that is finished fetches nothing; the same listings found again add nothing
    before = len(site.requests())
    rep2 = run(store, [], resume=True)
    assert len(site.requests()) == before and rep2.fetched == 0


# -- robots.txt ---------------------------------------------------------------------------------------------------
ROBOTS = b"""# comments and odd spacing are fine
User-agent: *
Disallow: /

User-agent: bantin
Disallow: /private/
Allow: /private/open.html
Disallow: /*.pdf$
"""


def test_robots_disallow_honoured(site, store, html_reader):
    site.add("/robots.txt", ROBOTS, "text/plain")
    for p in ("/pub.html", "/private/x.html", "/private/open.html", "/doc.pdf"):
        site.add(p, page(p, "x"))
    feed = site.add("/feed.rss", rss(site, [("/pub.html", None), ("/private/x.html", None),
                                            ("/private/open.html", None), ("/doc.pdf", None)]))
    rep = run(store, [feed])
    assert site.requests("/private/x.html") == [] and site.requests("/doc.pdf") == []
    assert site.served("/pub.html") == 1 and site.served("/private/open.html") == 1
    assert rep.skipped == 2
    r = rows(store)
    assert r[site.url("/private/x.html")].state == "skipped"
    assert "robots.txt" in r[site.url("/private/x.html")].last_error
    assert len(site.requests("/robots.txt")) == 1  # cached per host


def test_robots_group_for_other_agents(site, store, html_reader):
    site.add("/robots.txt", ROBOTS, "text/plain")
    feed = site.add("/feed.rss", rss(site, [("/pub.html", None)]))
    rep = run(store, [feed], user_agent="otherbot/1.0")
    assert site.paths() == ["/robots.txt"]  # "User-agent: *  Disallow: /" applies to otherbot
    assert rep.skipped == 1 and rows(store)[feed].state == "skipped"


def test_robots_unreachable_postpones_then_retries(site, store, html_reader):
    site.add("/robots.txt", sequence(status(503), static(b"User-agent: *\nDisallow: /no\n", "text/plain")))
    url = site.add("/a.html", page("A", "x"))
    rep = run(store, [url], retry_base=0.05)
    assert [h.path for h in site.requests()] == ["/robots.txt", "/robots.txt", "/a.html"]
    assert rep.added == 1


def test_robots_4xx_means_no_rules(site, store, html_reader):
    site.add("/robots.txt", status(403))
    url = site.add("/a.html", page("A", "x"))
    assert run(store, [url]).added == 1


# -- politeness ---------------------------------------------------------------------------------------------------
def test_delay_honoured_per_host_and_hosts_in_parallel(site, site2, store, html_reader):
    urls = []
    for s in (site, site2):
        for i in range(5):
            urls.append(s.add(f"/p{i}.html", slow(0.02, static(page(f"{s.port} {i}", "x")))))
    t0 = time.monotonic()
    rep = run(store, urls, delay=0.15, hosts=2)
    elapsed = time.monotonic() - t0
    assert rep.added == 10
    for s in (site, site2):
        hits = s.requests()
        assert len(hits) == 6  # robots.txt + 5 pages, one at a time
        gaps = spacing(hits)
        assert min(gaps) >= 0.14, gaps
        # never two requests in flight to one host
        for a, b in zip(sorted(hits, key=lambda h: h.t), sorted(hits, key=lambda h: h.t)[1:]):
            assert b.t >= a.t_end
    # the two hosts were fetched side by side: well under the 10 sequential delays
    assert elapsed < 10 * 0.15 + 1.0


def test_crawl_delay_from_robots_wins_when_longer(site, store, html_reader):
    site.add("/robots.txt", b"User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    urls = [site.add(f"/p{i}.html", page(str(i), "x")) for i in range(3)]
    run(store, urls, delay=0.05)
    gaps = spacing(site.requests())
    assert len(gaps) == 3 and min(gaps) >= 0.29, gaps


# -- conditional GET ----------------------------------------------------------------------------------------------
def test_304_not_refetched(site, store, html_reader):
    body = page("Không đổi", "Nội dung.")
    a = site.add("/a.html", static(body, etag='"v1"'))
    b = site.add("/b.html", static(page("B", "y"), last_modified=http_date(1_700_000_000)))
    rep1 = run(store, [a, b])
    assert rep1.added == 2 and rep1.not_modified == 0
    rep2 = run(store, [a, b])  # the user names them again: a new crawl asks, conditionally
    assert rep2.not_modified == 2 and rep2.pages == 0 and rep2.added == 0
    assert site.requests("/a.html")[1].headers["if-none-match"] == '"v1"'
    assert site.requests("/b.html")[1].headers["if-modified-since"] == http_date(1_700_000_000)
    assert [h.status for h in site.requests("/a.html")] == [200, 304]
    assert site.served("/a.html") == 1 and store.count() == 2
    r = rows(store)[a]
    assert r.state == "fetched" and r.last_status == 304 and r.etag == '"v1"'


def test_304_feed_lists_nothing_new_and_known_pages_are_not_asked_again(site, store, html_reader):
    for p in ("/a.html", "/b.html"):
        site.add(p, page(p, "x"))
    feed = site.add("/feed.rss", static(rss(site, [("/a.html", None), ("/b.html", None)]), "application/rss+xml",
                                        etag='"f1"'))
    run(store, [feed])
    rep = run(store, [feed])
    assert rep.not_modified == 1 and rep.fetched == 1
    assert len(site.requests("/a.html")) == 1 and len(site.requests("/b.html")) == 1


def test_sitemap_lastmod_newer_than_fetch_asks_again_conditionally(site, store, html_reader):
    site.add("/a.html", static(page("A", "x"), etag='"a1"'))
    site.add("/b.html", static(page("B", "y"), etag='"b1"'))
    maps = {"lastmod": "2001-01-01T00:00:00+00:00"}
    site.add("/sitemap.xml", urlset(site, [("/a.html", maps), ("/b.html", maps)]), "application/xml")
    sm = site.url("/sitemap.xml")
    run(store, [sm])
    # the sitemap now says a.html changed (after our fetch); b.html did not
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(timespec="seconds")
    site.add("/sitemap.xml", urlset(site, [("/a.html", {"lastmod": later}), ("/b.html", maps)]), "application/xml")
    rep = run(store, [sm])
    assert len(site.requests("/a.html")) == 2 and len(site.requests("/b.html")) == 1
    assert site.requests("/a.html")[1].headers.get("if-none-match") == '"a1"'
    assert rep.not_modified == 1


# -- redirects ----------------------------------------------------------------------------------------------------
def test_redirects_followed_and_both_urls_recorded(site, store, html_reader):
    site.add("/old.html", redirect("/new.html?utm_source=redirect"))
    site.add("/new.html", page("Bài đã chuyển", "x"))
    site.add("/short", redirect(site.url("/a.html"), 302))
    site.add("/a.html", page("A", "y"))
    site.add("/loop1", redirect("/loop2"))
    site.add("/loop2", redirect("/loop1", 307))
    feed = site.add("/feed.rss", rss(site, [("/old.html", None), ("/a.html", None), ("/short", None),
                                            ("/loop1", None)]))
    rep = run(store, [feed])
    r = rows(store)
    old, new = r[site.url("/old.html")], r[site.url("/new.html")]
    assert old.state == "redirected" and old.redirect_to == site.url("/new.html") and old.last_status == 301
    assert new.state == "fetched" and new.discovered_from == site.url("/old.html")
    raw = next(x for x in html_reader.seen if x.path == site.url("/new.html"))
    assert raw.hints["requested_url"] == site.url("/old.html") and raw.hints["url"] == site.url("/new.html")
    assert raw.hints["redirects"] == [site.url("/old.html")]
    # /short → /a.html which is already fetched: recorded, not fetched again
    assert r[site.url("/short")].redirect_to == site.url("/a.html") and len(site.requests("/a.html")) == 1
    assert r[site.url("/loop2")].state == "failed" and "loop" in r[site.url("/loop2")].last_error
    assert len(site.requests("/loop1")) == 1 and len(site.requests("/loop2")) == 1
    assert rep.added == 2


# -- failures -----------------------------------------------------------------------------------------------------
def test_errors_recorded_and_retried_with_backoff(site, store, html_reader):
    site.add("/flaky.html", sequence(status(500), status(502), static(page("Cuối cùng được", "x"))))
    site.add("/gone.html", status(404))
    site.add("/removed.html", status(410))
    site.add("/slow.html", slow(1.0, static(page("Chậm", "x"))))
    urls = [site.url(p) for p in ("/flaky.html", "/gone.html", "/removed.html", "/slow.html")]
    rep = run(store, urls, retry_base=0.2, timeout=0.25, max_attempts=3)
    r = rows(store)
    flaky = r[urls[0]]
    assert flaky.state == "fetched" and [h.status for h in site.requests("/flaky.html")] == [500, 502, 200]
    gaps = spacing(site.requests("/flaky.html"))
    assert gaps[0] >= 0.2 * 0.5 and gaps[1] >= 0.2 * 2 * 0.5, gaps  # base·2^(n-1), jitter ≥ 0.5
    gone = r[urls[1]]
    assert gone.state == "failed" and gone.attempts == 3 and gone.last_status == 404
    assert len(site.requests("/gone.html")) == 3
    removed = r[urls[2]]
    assert removed.state == "failed" and removed.attempts == 1 and len(site.requests("/removed.html")) == 1
    sl = r[urls[3]]
    assert sl.state == "failed" and sl.last_error.startswith("timeout") and len(site.requests("/slow.html")) == 3
    assert rep.added == 1 and rep.failed == 3 and rep.retried == 2 + 2 + 2
    st = frontier_status(store)
    failed = {f["url"]: f for f in st["failures"]}
    assert set(failed) == set(urls[1:])
    assert failed[urls[1]]["last_status"] == 404 and failed[urls[1]]["attempts"] == 3
    assert st["states"]["failed"] == 3 and st["pending"] == 0


def test_retry_after_is_honoured(site, store, html_reader):
    site.add("/busy.html", sequence(status(429, headers={"Retry-After": "1"}), static(page("Xong", "x"))))
    rep = run(store, [site.url("/busy.html")], retry_base=0.01)
    gaps = spacing(site.requests("/busy.html"))
    assert rep.added == 1 and gaps[0] >= 0.95, gaps


def test_retries_far_away_are_left_for_resume(site, store, html_reader):
    site.add("/busy.html", sequence(status(503, headers={"Retry-After": "30"}), static(page("Xong", "x"))))
    t0 = time.monotonic()
    rep = run(store, [site.url("/busy.html")], retry_cap=2.0, max_attempts=3)
    assert time.monotonic() - t0 < 2.0  # not sitting out the 30 s
    assert rep.stopped == "retries-later" and rep.pending == 1 and rep.retried == 1
    row = rows(store)[site.url("/busy.html")]
    assert row.state == "retry" and row.next_attempt_at - time.time() > 25  # Retry-After beats the cap
    st = frontier_status(store)
    assert st["pending"] == 1 and st["failures"][0]["last_status"] == 503
    rep2 = run(store, [], resume=True, retry_cap=2.0)  # still too early: nothing is asked
    assert rep2.fetched == 0 and len(site.requests("/busy.html")) == 1


def test_non_pages_skipped_and_oversized_bodies_refused(site, store, html_reader):
    site.add("/photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg")
    rep = run(store, [site.url("/photo.jpg")])
    r = rows(store)[site.url("/photo.jpg")]
    assert r.state == "skipped" and "image/jpeg" in r.last_error and rep.pages == 0
    site.add("/big.html", page("To", "x" * 5000))
    f = Fetcher(timeout=1.0, max_bytes=1000)
    res = f.get(site.url("/big.html"))
    f.close()
    assert res.body is None and res.error.startswith("too large") and classify(res) == "fail"


# -- listings -----------------------------------------------------------------------------------------------------
def test_sitemap_index_news_sitemap_and_gzip(site, store, html_reader):
    news = urlset(site, [("/tin/1.html", {"published": "2025-10-22T19:25:52+07:00", "title": "Tin một",
                                          "lastmod": "2025-10-22T20:00:00+07:00"}),
                         ("/tin/2.html", {"published": "2025-10-21T08:00:00+07:00", "title": "Tin hai"})], news=True)
    site.add("/sitemap-news.xml.gz", gzip.compress(news), "application/x-gzip")
    site.add("/sitemap-2.xml", urlset(site, [("/tin/3.html", {"lastmod": "2025-10-20"})]), "text/xml")
    idx = site.add("/sitemap_index.xml", sitemapindex(site, ["/sitemap-news.xml.gz", "/sitemap-2.xml"]),
                   "application/xml")
    for i in (1, 2, 3):
        site.add(f"/tin/{i}.html", page(f"Tin {i}", "x"))
    rep = run(store, [idx])
    assert rep.listings == 3 and rep.added == 3
    order = site.paths()
    # listings are read before pages
    assert order.index("/sitemap-2.xml") < min(order.index(f"/tin/{i}.html") for i in (1, 2, 3))
    listed = {r.path.rsplit("/", 1)[1]: r.hints["listed"] for r in html_reader.seen}
    assert listed["1.html"]["kind"] == "news-sitemap" and listed["1.html"]["title"] == "Tin một"
    assert listed["1.html"]["published_at"] == "2025-10-22T19:25:52+07:00"
    assert listed["1.html"]["updated_at"] == "2025-10-22T20:00:00+07:00"
    assert listed["1.html"]["publication"] == "Báo Test" and listed["1.html"]["language"] == "vi"
    assert listed["3.html"]["kind"] == "sitemap" and listed["3.html"]["in"] == site.url("/sitemap-2.xml")
    r = rows(store)
    assert r[idx].kind == "sitemap" and r[site.url("/sitemap-news.xml.gz")].kind == "sitemap"


def test_rss_and_atom_dates_and_relative_links(site, store, html_reader):
    site.add("/a.html", page("A", "x"))
    site.add("/b.html", page("B", "y"))
    site.add("/feed.rss", b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>/a.html</link><pubDate>22/10/2025 19:25</pubDate></item></channel></rss>""",
             "text/xml")
    site.add("/atom.xml", atom(site, [("b.html", "2025-10-22T12:25:52Z")]), "application/atom+xml")
    rep = run(store, [site.url("/feed.rss"), site.url("/atom.xml")])
    assert rep.added == 2
    listed = {r.path.rsplit("/", 1)[1]: r.hints["listed"] for r in html_reader.seen}
    assert listed["a.html"]["published_at"] == "2025-10-22T19:25:00+07:00"  # a Vietnamese pubDate understood
    assert listed["b.html"]["kind"] == "atom" and listed["b.html"]["published_at"] == "2025-10-22T19:25:52+07:00"


# -- stopping and resuming ----------------------------------------------------------------------------------------
def test_max_pages_then_resume_fetches_the_rest_once(site, store, html_reader):
    paths = [f"/p{i}.html" for i in range(6)]
    for p in paths:
        site.add(p, page(p, "x"))
    feed = site.add("/feed.rss", rss(site, [(p, None) for p in paths]))
    rep1 = run(store, [feed], max_pages=3)
    assert rep1.stopped == "max-pages" and rep1.fetched == 3 and rep1.pending == 4
    rep2 = run(store, [feed], resume=True)
    assert rep2.resumed and rep2.run == rep1.run and rep2.fetched == 4 and rep2.pending == 0
    for p in ["/feed.rss", *paths]:
        assert len(site.requests(p)) == 1, p
    assert store.count() == 6


def test_page_fetched_but_not_stored_is_recovered_without_network(site, store, html_reader, monkeypatch):
    url = site.add("/a.html", page("Sống sót", "x"))
    real = pipeline.ingest_raws

    def crash(*a, **k):
        raise RuntimeError("killed between fetch and store")

    monkeypatch.setattr(pipeline, "ingest_raws", crash)
    with pytest.raises(RuntimeError):
        run(store, [url])
    assert rows(store)[url].state == "fetched" and not rows(store)[url].stored
    monkeypatch.setattr(pipeline, "ingest_raws", real)
    rep = run(store, [], resume=True)
    assert rep.recovered == 1 and rep.added == 1 and len(site.requests("/a.html")) == 1
    assert rows(store)[url].stored


def test_interrupt_records_in_flight_and_leaves_rest_queued(site, store, html_reader, monkeypatch):
    paths = [f"/p{i}.html" for i in range(4)]
    for p in paths:
        site.add(p, page(p, "x"))
    feed = site.add("/feed.rss", rss(site, [(p, None) for p in paths]))
    events = []

    def on_event(what, url, detail):
        events.append(what)
        if url.endswith("/p1.html") and what == "fetched":
            raise KeyboardInterrupt

    rep = crawl(store, [feed], CrawlConfig(**FAST), on_event=on_event)
    assert rep.stopped == "interrupted" and rep.pending == 2
    assert store.crawl_runs(1)[0]["status"] == "stopped"
    rep2 = run(store, [], resume=True)
    assert rep2.fetched == 2 and rep2.pending == 0
    for p in paths:
        assert len(site.requests(p)) == 1


def test_other_hosts_are_not_held_up_by_a_slow_one(site, site2, store, html_reader):
    slow_urls = [site.add(f"/s{i}.html", slow(0.4, static(page(f"s{i}", "x")))) for i in range(2)]
    fast_urls = [site2.add(f"/f{i}.html", page(f"f{i}", "x")) for i in range(4)]
    run(store, slow_urls + fast_urls, hosts=2)
    last_fast = max(h.t for h in site2.requests())
    last_slow_end = max(h.t_end for h in site.requests())
    assert last_fast < last_slow_end


def test_a_slow_answer_within_the_timeout_is_waited_for(site, store, html_reader):
    """A response held 0.3 s by the server (timeout 0.5 s) is neither cut off nor asked for twice."""
    gate = threading.Event()

    def held(req: Request):
        gate.wait(5)
        return 200, {"Content-Type": "text/html"}, page("held", "x")

    site.add("/held.html", held)
    timer = threading.Timer(0.3, gate.set)
    timer.start()
    rep = run(store, [site.url("/held.html")])
    timer.cancel()
    assert rep.added == 1 and len(site.requests("/held.html")) == 1 and rep.retried == 0


# -- a later run retries what failed, even when the listing is unchanged (issue 15, item 11) ----------------------
def test_failed_urls_retried_on_a_later_run_when_the_feed_answers_304(site, store, html_reader):
    site.add("/ok.html", page("OK", "x"))
    site.add("/flaky.html", sequence(status(500), status(500), static(page("Đã sửa", "x"))))
    site.add("/blocked.html", page("Bị chặn", "x"))
    site.add("/robots.txt", sequence(static(b"User-agent: *\nDisallow: /blocked.html\n", "text/plain"),
                                     static(b"User-agent: *\nAllow: /\n", "text/plain")))
    feed = site.add("/feed.rss", static(rss(site, [("/ok.html", None), ("/flaky.html", None),
                                                   ("/blocked.html", None)]), "application/rss+xml", etag='"f1"'))
    rep1 = run(store, [feed], max_attempts=2)
    assert rep1.failed == 1 and rep1.skipped == 1 and rows(store)[site.url("/flaky.html")].state == "failed"
    rep2 = run(store, [feed], max_attempts=2)
    assert [h.status for h in site.requests("/feed.rss")] == [200, 304]
    # the feed is unchanged, yet what failed (and what robots.txt kept out) is asked for again; the rest is not
    assert [h.status for h in site.requests("/flaky.html")] == [500, 500, 200]
    assert site.served("/blocked.html") == 1 and len(site.requests("/ok.html")) == 1
    assert rep2.added == 2 and rep2.failed == 0 and rep2.discovered == 2 and rep2.complete
    r = rows(store)
    assert r[site.url("/flaky.html")].state == "fetched" and r[site.url("/flaky.html")].stored
    # a third run: nothing left to retry, the 304 asks for nothing
    run(store, [feed], max_attempts=2)
    assert len(site.requests("/flaky.html")) == 3 and len(site.requests("/ok.html")) == 1


def test_sitemap_index_answering_304_still_retries_a_failed_child(site, store, html_reader):
    site.add("/sm-1.xml", sequence(status(503), status(503), static(urlset(site, [("/a.html", {})]),
                                                                    "application/xml")))
    site.add("/a.html", page("A", "x"))
    idx = site.add("/sitemap_index.xml", static(sitemapindex(site, ["/sm-1.xml"]), "application/xml",
                                                etag='"i1"'))
    rep1 = run(store, [idx], max_attempts=2)
    assert rep1.failed == 1 and not site.requests("/a.html")
    rep2 = run(store, [idx], max_attempts=2)
    assert [h.status for h in site.requests("/sitemap_index.xml")] == [200, 304]
    assert rep2.listings == 1 and rep2.added == 1 and site.served("/a.html") == 1


# -- the crawl lock (issue 15, item 20) ---------------------------------------------------------------------------
def test_a_second_crawl_of_one_archive_is_refused_while_the_first_runs(site, store, tmp_path, html_reader):
    from bantin.store.base import ArchiveBusy

    gate = threading.Event()

    def held(req: Request):
        gate.wait(10)
        return 200, {"Content-Type": "text/html"}, page("held", "x")

    url = site.add("/held.html", held)
    other = site.add("/other.html", page("Other", "x"))
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("rep", run(store, [url])))
    t.start()
    try:
        end = time.monotonic() + 10
        while not site.requests("/held.html") and time.monotonic() < end:
            time.sleep(0.01)
        second = SQLiteArchive(store.path)  # another connection, as another process would open it
        try:
            with pytest.raises(ArchiveBusy, match=r"another crawl is running .*crawl #1"):
                run(second, [other])
        finally:
            second.close()
    finally:
        gate.set()
        t.join(20)
    assert result["rep"].added == 1 and not site.requests("/other.html")
    assert [r["id"] for r in store.crawl_runs(5)] == [1]  # the refused crawl left no trace
    rep = run(store, [other])  # the lock is free again
    assert rep.added == 1 and rep.run == 2


# -- dates from the listing when the page has none (issue 15, item 8) ----------------------------------------------
def test_listing_dates_used_when_the_page_has_none(site, store, tmp_path):
    """The real html reader: a page without a date takes its feed's pubDate (flagged); a dated page keeps its own;
    a news sitemap's publication date and a sitemap lastmod count too; re-extraction keeps them."""
    from crawl.siteserver import article_page

    from bantin.archive import Bantin
    from bantin.clean.dates import parse_date

    site.add("/a.html", article_page("Hà Nội cải tạo hệ thống thoát nước"))
    site.add("/b.html", article_page("Giá vàng hôm nay tăng mạnh", published="2025-10-20T08:00:00+07:00"))
    site.add("/c.html", article_page("Mưa lớn kéo dài ở miền Trung"))
    site.add("/d.html", article_page("Bão số 5 đổ bộ vào đất liền"))
    feed = site.add("/feed.rss", rss(site, [("/a.html", "Wed, 22 Oct 2025 19:25:52 +0700"),
                                            ("/b.html", "Wed, 22 Oct 2025 21:00:00 +0700")]))
    news = site.add("/news.xml", urlset(site, [("/c.html", {"published": "2025-10-21T06:30:00+07:00",
                                                            "title": "Mưa lớn"})], news=True), "application/xml")
    plain = site.add("/sitemap.xml", urlset(site, [("/d.html", {"lastmod": "2025-10-19T10:00:00+07:00"})]),
                     "application/xml")
    db = Bantin(store.path)
    try:
        rep = db.crawl([feed, news, plain], **FAST)
        assert rep.added == 4 and rep.rejected == 0, rep.rejects
        arts = {a.url.rsplit("/", 1)[1]: a for a in db.articles()}
        a, b, c, d = (arts[k] for k in ("a.html", "b.html", "c.html", "d.html"))
        assert a.published_at == "2025-10-22T19:25:52+07:00" and "published_at-from-listing:rss" in a.flags
        assert b.published_at == "2025-10-20T08:00:00+07:00"  # the page's own date wins
        assert not any("from-listing" in f for f in b.flags)
        assert c.published_at == "2025-10-21T06:30:00+07:00" and "published_at-from-listing:news-sitemap" in c.flags
        # lastmod is when the entry changed, not when the article was published: an update time only
        assert d.published_at is None and d.updated_at == "2025-10-19T10:00:00+07:00"
        assert "updated_at-from-listing:sitemap" in d.flags
        # visible to --since, and grouped into stories like any dated article
        hits = db.search("thoat nuoc", since="2025-10-22")
        assert [h.id for h in hits] == [a.id]
        # re-extraction re-reads the page with the hints the crawl gave it: the listed date stays
        r = db.reextract(everything=True)
        assert r.examined == 4
        a2 = db.get(a.id)
        assert a2.published_at == a.published_at and "published_at-from-listing:rss" in a2.flags
    finally:
        db.close()
    assert parse_date(a.published_at) is not None


def test_listing_dates_do_not_touch_other_inputs_and_future_dates_are_refused():
    from crawl.siteserver import article_page

    from bantin.model import Raw
    from bantin.pipeline import make_article

    body = article_page("Hà Nội cải tạo hệ thống thoát nước")
    saved = make_article(Raw(payload=body, path="/tmp/a.html", record="", format="html"), enrich_articles=False)
    assert saved.published_at is None and not any("listing" in f for f in saved.flags)
    hints = {"url": "http://127.0.0.1:1/a.html", "listed": {"kind": "rss", "in": "http://127.0.0.1:1/f.rss",
                                                           "published_at": "2031-01-01T00:00:00+07:00"}}
    raw = Raw(payload=body, path="http://127.0.0.1:1/a.html", record="", format="html",
              fetched_at="2025-10-23T01:00:00+00:00", hints=hints)
    art = make_article(raw, enrich_articles=False)
    assert art.published_at is None
    assert any(f.startswith("published_at-from-listing-ignored:2031-01-01") for f in art.flags)

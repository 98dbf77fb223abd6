"""The crawler's pure parts: URL normalisation, feeds and sitemaps, robots.txt rules, backoff, the schema."""

from __future__ import annotations

import gzip
import random
import sqlite3

import pytest
from crawl.robots_cases import CASES

from bantin.crawl.fetch import Response, _retry_after, backoff, classify, default_user_agent, robots_token
from bantin.crawl.listing import NotAListing, gunzip_bounded, read_listing, sniff
from bantin.crawl.robots import parse as parse_robots
from bantin.crawl.urls import BadURL, host_of, normalize_url
from bantin.store.base import FrontierRow
from bantin.store.sqlite import MIGRATIONS, SQLiteArchive


# -- URLs ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url,want", [
    ("HTTPS://VnExpress.NET:443/Tin-Tức.html?utm_source=zalo&id=3&zarsrc=30&gidzl=abc#top",
     "https://vnexpress.net/Tin-T%E1%BB%A9c.html?id=3"),
    ("http://x.vn", "http://x.vn/"),
    ("http://x.vn:80/a", "http://x.vn/a"),
    ("http://x.vn:8080/a", "http://x.vn:8080/a"),
    ("vnexpress.net/rss/tin-moi.rss", "https://vnexpress.net/rss/tin-moi.rss"),
    ("https://x.vn/a?b=2&a=1", "https://x.vn/a?b=2&a=1"),  # order kept
    ("https://x.vn/a?q=a+b%2Fc&fbclid=1&UTM_Medium=x", "https://x.vn/a?q=a+b%2Fc"),  # other bytes untouched
    ("https://x.vn/a?fbclid=1", "https://x.vn/a"),
    ("https://x.vn/a b", "https://x.vn/a%20b"),
    ("https://x.vn/tin-t%E1%BB%A9c", "https://x.vn/tin-t%E1%BB%A9c"),  # escapes not doubled
    ("https://báo.vn/a", "https://xn--bo-mia.vn/a"),
    ("https://x.vn./a", "https://x.vn/a"),
])
def test_normalize_url(url, want):
    assert normalize_url(url) == want
    assert normalize_url(want) == want  # idempotent


@pytest.mark.parametrize("url", ["ftp://x.vn/a", "mailto:a@b.vn", "http://", "https://user:pw@x.vn/",
                                 "javascript:alert(1)", "http://x.vn:99999/"])
def test_bad_urls(url):
    with pytest.raises(BadURL):
        normalize_url(url)


def test_relative_and_host():
    assert normalize_url("../b.html#x", base="https://x.vn/a/c.html") == "https://x.vn/b.html"
    assert host_of("http://127.0.0.1:8000/a?b") == "http://127.0.0.1:8000"


# -- feeds --------------------------------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>VnE</title>
<item><title><![CDATA[Giá vàng]]></title><link>https://x.vn/a.html?utm_source=rss</link>
<pubDate>Wed, 22 Oct 2025 19:25:52 +0700</pubDate><category>Kinh doanh</category></item>
<item><title>Tương đối</title><link>/b.html</link><pubDate>22/10/2025 08:00</pubDate></item>
<item><title>Chỉ guid</title><guid isPermaLink="true">https://x.vn/c.html</guid></item>
<item><title>Không link</title><description>x</description></item>
<item><title>Trùng</title><link>https://x.vn/a.html#binh-luan</link></item>
</channel></rss>""".encode()


def test_rss():
    lst = read_listing(RSS, "https://x.vn/rss/tin-moi.rss", "application/rss+xml")
    assert lst.kind == "rss"
    assert [e.url for e in lst.entries] == ["https://x.vn/a.html", "https://x.vn/b.html", "https://x.vn/c.html"]
    a, b, c = lst.entries
    assert a.published_at == "2025-10-22T19:25:52+07:00" and a.title == "Giá vàng"
    assert a.extra["tags"] == ["Kinh doanh"]
    assert b.published_at == "2025-10-22T08:00:00+07:00" and b.date_text == "22/10/2025 08:00"
    assert c.published_at is None
    assert any("no usable link" in w for w in lst.warnings)


def test_rss_in_legacy_encoding_and_rdf():
    body = ('<?xml version="1.0" encoding="windows-1258"?><rss version="2.0"><channel><title>t</title>'
            '<item><title>Hà Nô\u0323i</title><link>http://x.vn/1</link></item></channel></rss>').encode("cp1258")
    title = read_listing(body, "http://x.vn/rss").entries[0].title
    assert title == "Hà Nội"  # decoded and NFC
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://x.vn/"><title>t</title></channel>
 <item rdf:about="http://x.vn/9"><title>chin</title><link>http://x.vn/9</link></item></rdf:RDF>"""
    lst = read_listing(rdf, "http://x.vn/rdf")
    assert lst.kind == "rss" and [e.url for e in lst.entries] == ["http://x.vn/9"]


def test_atom():
    body = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<id>urn:x</id><updated>2025-10-22T12:00:00Z</updated>
<entry><title>Mot</title><id>urn:1</id><link rel="alternate" href="/tin/1.html"/><link rel="edit" href="/e/1"/>
<published>2025-10-22T12:25:52Z</published><updated>2025-10-22T13:00:00+07:00</updated></entry>
</feed>"""
    lst = read_listing(body, "https://x.vn/atom.xml")
    e = lst.entries[0]
    assert lst.kind == "atom" and e.url == "https://x.vn/tin/1.html"
    assert e.published_at == "2025-10-22T19:25:52+07:00" and e.updated_at == "2025-10-22T13:00:00+07:00"


@pytest.mark.parametrize("text", ["2025-10-22", "2025-10-22T19:25", "2025-10-22T19:25:52", "2025-10-22T19:25:52Z",
                                  "2025-10-22T19:25:52+07:00", "2025-10-22T23:25:52-05:00", "2025-02-30",
                                  "2999-01-01", "1899-12-31T00:00:00Z"])
def test_iso_date_fast_path_agrees_with_the_date_parser(text):
    from bantin.clean.dates import parse_date
    from bantin.crawl.feeds import iso_date

    pd = parse_date(text, whole=True)
    assert iso_date(text) == (pd.iso() if pd is not None else None)


# -- sitemaps -----------------------------------------------------------------------------------------------------
NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<!-- generator: x -->
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://x.vn/a.html?id=1&page=2</loc><lastmod>2025-10-22T19:30:00+07:00</lastmod>
 <news:news><news:publication><news:name>Báo X</news:name><news:language>vi</news:language></news:publication>
 <news:publication_date>2025-10-22T19:25:52+07:00</news:publication_date>
 <news:title>Giá &amp; vàng</news:title><news:keywords>vàng, giá</news:keywords></news:news></url>
<url><loc>/rel.html</loc></url>
<url><loc>  </loc></url>
<url><loc>https://x.vn/c.html</loc><lastmod>2025-10-21</lastmod></url>
</urlset>""".encode()


def test_news_sitemap():
    lst = read_listing(NEWS, "https://x.vn/sitemap-news.xml", "text/xml")
    assert lst.kind == "news-sitemap"
    assert [e.url for e in lst.entries] == ["https://x.vn/a.html?id=1&page=2", "https://x.vn/rel.html",
                                            "https://x.vn/c.html"]
    a = lst.entries[0]
    assert (a.published_at, a.updated_at, a.title) == ("2025-10-22T19:25:52+07:00", "2025-10-22T19:30:00+07:00",
                                                       "Giá & vàng")
    assert a.extra == {"publication": "Báo X", "language": "vi", "keywords": "vàng, giá"}
    assert lst.entries[2].updated_at == "2025-10-21T00:00:00+07:00"
    assert len(lst.warnings) == 1


def test_sitemap_index_gzip_and_text():
    idx = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.vn/s1.xml.gz'
           b'</loc><lastmod>2025-10-22</lastmod></sitemap><sitemap><loc>https://x.vn/s2.xml</loc></sitemap>'
           b'</sitemapindex>')
    lst = read_listing(gzip.compress(idx), "https://x.vn/sitemap.xml.gz", "application/x-gzip")
    assert lst.kind == "sitemapindex" and [e.kind for e in lst.entries] == ["sitemap", "sitemap"]
    txt = read_listing(b"https://x.vn/1\n\nhttps://x.vn/2\r\n", "https://x.vn/s.txt", "text/plain")
    assert txt.kind == "text-sitemap" and len(txt.entries) == 2


def test_broken_sitemaps():
    # no namespace, unescaped &, a custom entity (not expanded), truncated at the end
    body = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY big "AAAAAAAA">]><urlset><url><loc>https://x.vn/a?b=1&c=2'
            b'&big;</loc></url><url><loc>https://x.vn/b</loc></url><url><loc>https://x.vn/c')
    lst = read_listing(body, "https://x.vn/s.xml")
    assert [e.url for e in lst.entries][:2] == ["https://x.vn/a?b=1&c=2&big;", "https://x.vn/b"]
    with pytest.raises(NotAListing):
        read_listing(b"<html><body>not a sitemap</body></html>", "https://x.vn/s.xml", "text/html")
    with pytest.raises(NotAListing):
        gunzip_bounded(gzip.compress(b"0" * 10_000), limit=1000)  # a gzip bomb stops at the limit


def test_big_sitemap_every_url_read():
    n = 20_000
    body = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>https://x.vn/tin/{i}.html</loc><lastmod>2025-10-22</lastmod></url>"
                      for i in range(n)) + "</urlset>").encode()
    lst = read_listing(body, "https://x.vn/s.xml")
    assert len(lst.entries) == n and lst.entries[-1].url == f"https://x.vn/tin/{n - 1}.html"


@pytest.mark.parametrize("body,ctype,want", [
    (b"<!DOCTYPE html><html>", None, "html"),
    (b"<?xml version='1.0'?><!-- c --><rss version='2.0'>", "text/html", "rss"),  # content beats the header
    (b"<feed xmlns='http://www.w3.org/2005/Atom'>", None, "atom"),
    (b"<?xml version='1.0'?>\n<sitemapindex>", None, "sitemapindex"),
    (b"\x1f\x8b\x08\x00", "application/xml", "gzip"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "binary"),
    (b"%PDF-1.4", "application/pdf", "binary"),
    (b"<p>no html tag</p>", "text/html; charset=utf-8", "html"),
    (b"just words", "text/plain", "text"),
])
def test_sniff(body, ctype, want):
    assert sniff(body, ctype) == want


# -- robots.txt ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,text,path,allowed", CASES, ids=[c[0] for c in CASES])
def test_robots_rfc9309_cases(name, text, path, allowed):
    rb = parse_robots("https://x.vn", text.lstrip("\ufeff"))
    assert rb.allowed("https://x.vn" + path, "bantin") is allowed


def test_robots_delays():
    rb = parse_robots("https://x.vn", "User-agent: *\nCrawl-delay: 5\n\nUser-agent: bantin\nRequest-rate: 1/10s\n")
    assert rb.delay("bantin") == 10.0 and rb.delay("other") == 5.0
    assert parse_robots("https://x.vn", "User-agent: *\nDisallow: /x\n").delay("bantin") is None
    assert rb.allowed("https://x.vn/robots.txt", "bantin")


# -- fetch helpers ------------------------------------------------------------------------------------------------
def test_backoff_grows_with_jitter_and_respects_retry_after():
    rng = random.Random(1)
    for attempt in range(1, 8):
        d = backoff(attempt, 2.0, 60.0, rng=rng)
        base = min(60.0, 2.0 * 2 ** (attempt - 1))
        assert 0.5 * base <= d < 1.5 * base
    spread = {round(backoff(3, 2.0, 60.0, rng=rng), 3) for _ in range(20)}
    assert len(spread) > 10  # jitter: failing URLs do not all come back together
    assert backoff(1, 0.1, 1.0, retry_after=120, rng=rng) == 120  # the server's wish beats the cap


def test_retry_after_and_classify():
    assert _retry_after("120") == 120 and _retry_after("soon") is None and _retry_after(None) is None
    assert 0 <= _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") < 1  # a date in the past: now
    R = Response
    assert classify(R("u", 200, body=b"x")) == "ok"
    assert classify(R("u", 304)) == "not_modified"
    assert classify(R("u", 301, location="/b")) == "redirect" and classify(R("u", 301)) == "fail"
    for s in (404, 429, 500, 503):
        assert classify(R("u", s)) == "retry"
    for s in (400, 401, 403, 410, 451):
        assert classify(R("u", s)) == "fail"
    assert classify(R("u", error="timeout: ReadTimeout")) == "retry"
    assert classify(R("u", error="too large: 40 MB")) == "fail"


def test_user_agent():
    ua = default_user_agent("https://example.org/bot")
    assert ua.startswith("bantin/") and ua.endswith("+https://example.org/bot)")
    assert robots_token(ua) == "bantin" and robots_token("MyBot/2.0 (x)") == "MyBot"


# -- the archive's frontier ---------------------------------------------------------------------------------------
def test_v1_archive_upgrades_to_v2(tmp_path):
    path = str(tmp_path / "old.db")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for stmt in MIGRATIONS[0][1].split(";\n"):
        if stmt.strip():
            con.execute(stmt)
    con.execute("INSERT OR REPLACE INTO meta VALUES('schema_version', '1')")
    con.commit()
    con.close()
    with SQLiteArchive(path) as a:
        assert a.schema_version >= 2
        a.frontier_put([FrontierRow(url="https://x.vn/", host="https://x.vn", hints={"a": [1]})],
                       [("ab" * 32, b"body")])
        r = a.frontier_get(["https://x.vn/"])["https://x.vn/"]
        assert r.state == "queued" and r.hints == {"a": [1]} and r.stored is False
        assert a.get_raw("ab" * 32) == b"body"


def test_frontier_due_order_and_hosts(tmp_path):
    with SQLiteArchive(str(tmp_path / "f.db")) as a:
        rows = [FrontierRow(url=f"https://{h}.vn/{i}", host=f"https://{h}.vn", priority=p, state=st, next_attempt_at=t)
                for i, (h, p, st, t) in enumerate([("a", 1, "queued", None), ("b", 1, "queued", None),
                                                   ("a", 0, "queued", None), ("c", 1, "retry", 5000.0),
                                                   ("c", 0, "retry", 500.0), ("d", 0, "fetched", None)])]
        a.frontier_put(rows)
        assert [r.url for r in a.frontier_due(1000.0)] == ["https://a.vn/2", "https://c.vn/4", "https://a.vn/0",
                                                           "https://b.vn/1"]
        assert [r.url for r in a.frontier_due(1000.0, host="https://a.vn")] == ["https://a.vn/2", "https://a.vn/0"]
        assert a.frontier_due(1000.0, host="https://c.vn", limit=5)[0].url == "https://c.vn/4"
        assert a.frontier_due(100.0, host="https://c.vn") == []
        assert a.frontier_hosts() == ["https://a.vn", "https://b.vn", "https://c.vn"]
        assert a.frontier_next_due() == 0
        for r in rows[:3]:
            r.state = "fetched"
        a.frontier_put(rows[:3])  # an update keeps the row's place
        assert a.frontier_next_due() == 500.0
        assert a.frontier_counts() == {"fetched": {"seed": 4}, "retry": {"seed": 2}}


def test_feeds_sitemaps_and_listing_import_no_circle() -> None:
    """One module (crawl/entries.py) owns Entry/Listing/NotAListing and the listing date reader: feeds and sitemaps
    import it, not each other or listing, so each can be imported first in a fresh interpreter."""
    import subprocess
    import sys

    for first in ("feeds", "sitemaps", "listing", "entries", "frontier"):
        code = (f"import bantin.crawl.{first}; "
                "from bantin.crawl.listing import Entry, Listing, NotAListing, read_listing")
        subprocess.run([sys.executable, "-c", code], check=True)
    import ast
    from pathlib import Path

    import bantin.crawl

    base = Path(bantin.crawl.__file__).parent
    for name in ("feeds", "sitemaps", "entries"):
        tree = ast.parse((base / f"{name}.py").read_text(encoding="utf-8"))
        mods = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not mods & {"bantin.crawl.listing", "bantin.crawl.feeds", "bantin.crawl.sitemaps"} - {
            f"bantin.crawl.{name}"}, (name, mods)

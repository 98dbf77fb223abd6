"""Crawling a news site: bantin crawl vs trafilatura's feed/sitemap helpers + buffered downloads, side by side.

    .venv/bin/python bench/crawl.py                      # 2 hosts × 150 articles, delay 0.05 s
    .venv/bin/python bench/crawl.py --pages 300 --delay 0.1

Everything runs on this machine: two local HTTP servers (tests/crawl/siteserver.py) stand for two outlets,
reached under made-up names (tin-a.bench.vn, tin-b.bench.vn) that this process alone resolves to 127.0.0.1 —
any other name fails to resolve, so nothing can leave the machine.

Each outlet serves what news sites serve: robots.txt (a /private/ section disallowed), an RSS or Atom feed whose
links carry utm_* parameters, a sitemap index → a gzip news sitemap + a plain sitemap overlapping the feed,
pages with ETags, some moved (301 to a URL also listed), some failing once (500, then 200), some gone (404).

The baseline is what a user would write with trafilatura 2.x (the extractor the issue names): collect links
with ``feeds.find_feed_urls`` and ``sitemaps.sitemap_search``, then ``add_to_compressed_dict`` +
``load_download_buffer(sleep_time=delay)`` + ``buffered_downloads`` — its documented way to download politely
(one request per host per ``sleep_time``). Its SSRF guard is switched off (it refuses 127.0.0.1 otherwise) and its
download timeout lowered to 2 s (its retry backoff is timeout/2). Both crawl the same seeds with the same delay,
then crawl again (nothing changed on the sites) as a scheduled job would.

Counted from the servers' logs: requests, article downloads, duplicate downloads of one article, requests to
robots-disallowed URLs, failing-once pages recovered, the shortest gap between two requests to one host, body
bytes sent. Also: robots.txt rules on tricky cases (tests/crawl/robots_cases.py: RFC 9309 answers) by protego
(bantin) and urllib.robotparser (what trafilatura's spider uses), and the time to read a 50,000-URL sitemap.
Prints a table; writes bench/out/crawl.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# this script is itself named crawl.py: take bench/ off the path so "crawl" is tests/crawl
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from crawl.robots_cases import CASES  # noqa: E402
from crawl.siteserver import Site, page, redirect, sequence, static, status  # noqa: E402

FAKE = {"tin-a.bench.vn", "tin-b.bench.vn"}
_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host, port, *a, **k):  # type: ignore[no-untyped-def]
    if isinstance(host, bytes):
        host = host.decode()
    if host in FAKE:
        host = "127.0.0.1"
    elif host not in ("127.0.0.1", "localhost", "::1"):
        raise socket.gaierror(f"bench: {host} is not resolved (loopback only)")
    return _real_getaddrinfo(host, port, *a, **k)


socket.getaddrinfo = _loopback_only

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Outlet:
    """One news site: pages and listings; ``fetchable`` = article URLs that can be downloaded and are allowed."""

    def __init__(self, name: str, n: int, feed_kind: str):
        self.site = Site()
        self.name = name
        self.base = f"http://{name}:{self.site.port}"
        self.fetchable: set[str] = set()
        self.disallowed: set[str] = set()
        self.flaky: set[str] = set()
        s = self.site
        s.add("/robots.txt", ROBOTS, "text/plain")
        s.add("/", page(name, "Trang chủ"))
        listed: list[str] = []
        for i in range(n):
            path = f"/private/tin/{i}.html" if i % 20 == 0 else f"/tin/{i}.html"
            body = page(f"{name} bài {i}", f"Đoạn một của bài {i}.", f"Đoạn hai của bài {i}.")
            if i % 20 == 0:
                s.add(path, body)
                self.disallowed.add(path)
                listed.append(path)
                continue
            if i % 50 == 11:
                s.add(path, status(404))
                listed.append(path)
                continue
            if i % 25 == 3:
                s.add(path, sequence(status(500), static(body, etag=f'"{i}"')))
                self.flaky.add(path)
            else:
                s.add(path, static(body, etag=f'"{i}"'))
            self.fetchable.add(path)
            if i % 30 == 7:  # moved: the old address is listed in the feed, the new one in the sitemap
                s.add(f"/old/{i}.html", redirect(path))
                listed.append(f"/old/{i}.html")
            else:
                listed.append(path)
        half = n // 2
        self.feed = self._feed(feed_kind, listed)
        news = self._urlset([p.replace("/old/", "/tin/") for p in listed[:half]], news=True)
        plain = self._urlset([p.replace("/old/", "/tin/") for p in listed[half - 20:]], news=False)
        # listings are static files: served with an ETag, as nginx or a CDN would
        s.add("/sitemap-news.xml.gz", static(gzip.compress(news), "application/x-gzip", etag='"n1"'))
        s.add("/sitemap-2.xml", static(plain, "application/xml", etag='"s2"'))
        index = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f"<sitemap><loc>{self.base}/sitemap-news.xml.gz</loc></sitemap>"
                 f"<sitemap><loc>{self.base}/sitemap-2.xml</loc></sitemap></sitemapindex>").encode()
        s.add("/sitemap.xml", static(index, "application/xml", etag='"i1"'))
        self.sitemap = self.base + "/sitemap.xml"

    def _feed(self, kind: str, paths: list[str]) -> str:
        if kind == "rss":
            items = "".join(f"<item><title>Bài {i}</title><link>{self.base}{p}?utm_source=rss&amp;utm_medium=feed"
                            f"</link><pubDate>Wed, 22 Oct 2025 19:{i % 60:02d}:00 +0700</pubDate></item>"
                            for i, p in enumerate(paths))
            body = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{self.name}</title>"
                    f"<link>{self.base}/</link>{items}</channel></rss>")
            self.site.add("/rss/tin-moi.rss", static(body.encode(), "application/rss+xml", etag='"r1"'))
            return self.base + "/rss/tin-moi.rss"
        items = "".join(f"<entry><title>Bài {i}</title><id>urn:{i}</id><link href='{self.base}{p}?utm_campaign=atom'/>"
                        f"<updated>2025-10-22T12:{i % 60:02d}:00Z</updated></entry>" for i, p in enumerate(paths))
        body = (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
                f"<id>urn:feed</id><updated>2025-10-22T12:00:00Z</updated>{items}</feed>")
        self.site.add("/atom.xml", static(body.encode(), "application/atom+xml", etag='"a1"'))
        return self.base + "/atom.xml"

    def _urlset(self, paths: list[str], news: bool) -> bytes:
        ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
        out = []
        for i, p in enumerate(paths):
            extra = (f"<news:news><news:publication><news:name>{self.name}</news:name><news:language>vi"
                     f"</news:language></news:publication><news:publication_date>2025-10-22T19:{i % 60:02d}:00+07:00"
                     f"</news:publication_date><news:title>Bài {i}</news:title></news:news>") if news else ""
            out.append(f"<url><loc>{self.base}{p}</loc>{extra}</url>")
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
                f'{ns}>{"".join(out)}</urlset>').encode()

    def reset_log(self) -> None:
        with self.site.lock:
            self.site.log.clear()
            # flaky pages fail once per crawl, as a flaky server would
            for p in self.flaky:
                self.site.counts.pop(p, None)

    def measure(self) -> dict:
        hits = self.site.requests()
        articles = [h for h in hits if h.path.split("?")[0].startswith(("/tin/", "/private/"))]
        ok = [h for h in articles if h.status == 200 and h.method == "GET"]
        per_path: dict[str, int] = {}
        for h in ok:
            k = h.path.split("?")[0]
            per_path[k] = per_path.get(k, 0) + 1
        hs = sorted(hits, key=lambda h: h.t)
        gaps = [b.t - a.t for a, b in zip(hs, hs[1:])]
        return {
            "requests": len(hits),
            "article_downloads": len(ok),
            "distinct_articles": len([p for p in per_path if p in self.fetchable]),
            "duplicate_downloads": sum(n - 1 for n in per_path.values()),
            "disallowed_requested": len({h.path.split("?")[0] for h in hits} & self.disallowed),
            "flaky_recovered": len([p for p in self.flaky if per_path.get(p)]),
            "min_gap_s": min(gaps) if gaps else None,
            "bytes": sum(h.bytes for h in hits),
            "not_modified": sum(1 for h in hits if h.status == 304),
        }


def combine(ms: list[dict]) -> dict:
    out = {k: sum(m[k] for m in ms) for k in ms[0] if k != "min_gap_s"}
    gaps = [m["min_gap_s"] for m in ms if m["min_gap_s"] is not None]
    out["min_gap_s"] = min(gaps) if gaps else None
    return out


# -- the two crawlers -------------------------------------------------------------------------------------------
def run_bantin(db: str, seeds: list[str], delay: float) -> float:
    from bantin.crawl import CrawlConfig, crawl
    from bantin.store.sqlite import SQLiteArchive

    t0 = time.perf_counter()
    with SQLiteArchive(db) as store:
        crawl(store, seeds, CrawlConfig(delay=delay, hosts=4, timeout=2.0, retry_base=0.2, retry_cap=30.0))
    return time.perf_counter() - t0


def run_trafilatura(feeds_: list[str], sitemaps_: list[str], delay: float) -> tuple[float, int]:
    from trafilatura import feeds, sitemaps
    from trafilatura.downloads import add_to_compressed_dict, buffered_downloads, load_download_buffer
    from trafilatura.settings import DEFAULT_CONFIG

    DEFAULT_CONFIG.set("DEFAULT", "SSRF_PROTECTION", "off")
    DEFAULT_CONFIG.set("DEFAULT", "DOWNLOAD_TIMEOUT", "2")
    t0 = time.perf_counter()
    urls: list[str] = []
    for f in feeds_:
        urls += feeds.find_feed_urls(f, sleep_time=delay)
    for s in sitemaps_:
        urls += sitemaps.sitemap_search(s, sleep_time=delay)
    store = add_to_compressed_dict(urls)
    pages = 0
    while not store.done:
        buf, store = load_download_buffer(store, sleep_time=delay)
        for _url, html in buffered_downloads(buf, 4):
            if html:
                pages += 1
    return time.perf_counter() - t0, pages


# -- robots.txt and sitemap parsing -----------------------------------------------------------------------------
def robots_scores() -> dict:
    from urllib.robotparser import RobotFileParser

    from protego import Protego

    from bantin.crawl.robots import parse

    ua = "bantin/0.1.0 (Vietnamese news archiver)"
    res = {"bantin (protego)": 0, "protego alone": 0, "urllib.robotparser": 0, "wrong_robotparser": [],
           "cases": len(CASES)}
    for name, text, path, want in CASES:
        url = "https://x.vn" + path
        res["bantin (protego)"] += parse("https://x.vn", text.lstrip("\ufeff")).allowed(url, "bantin") is want
        res["protego alone"] += bool(Protego.parse(text).can_fetch(url, ua)) is want
        rp = RobotFileParser()
        rp.parse(text.splitlines())
        ok = rp.can_fetch(ua, url) is want
        res["urllib.robotparser"] += ok
        if not ok:
            res["wrong_robotparser"].append(name)
    return res


def sitemap_speed(n: int = 50_000) -> dict:
    from trafilatura.settings import DEFAULT_CONFIG
    from trafilatura.sitemaps import SitemapObject

    from bantin.crawl.listing import read_listing

    body = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>https://vnexpress.net/tin-tuc-so-{i}.html?utm_source=x</loc>"
                      f"<lastmod>2025-10-22T19:25:52+07:00</lastmod></url>" for i in range(n))
            + "</urlset>").encode()
    out = {}
    best = 1e9
    for _ in range(3):
        t = time.perf_counter()
        lst = read_listing(body, "https://vnexpress.net/sitemap.xml")
        best = min(best, time.perf_counter() - t)
    out["bantin_s"], out["bantin_urls"] = best, len(lst.entries)
    best = 1e9
    for _ in range(3):
        sm = SitemapObject("https://vnexpress.net", "vnexpress.net", [], None, False, DEFAULT_CONFIG)
        sm.current_url = "https://vnexpress.net/sitemap.xml"
        sm.content = body.decode()
        t = time.perf_counter()
        sm.process()
        best = min(best, time.perf_counter() - t)
    out["trafilatura_s"], out["trafilatura_urls"] = best, len(set(sm.urls))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=150, help="articles per outlet")
    ap.add_argument("--delay", type=float, default=0.05, help="politeness delay per host, seconds")
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura logs every discarded link
    load = os.getloadavg()

    results: dict = {"pages_per_outlet": args.pages, "delay": args.delay, "load_before": load}
    for tool in ("bantin", "trafilatura"):
        outlets = [Outlet("tin-a.bench.vn", args.pages, "rss"), Outlet("tin-b.bench.vn", args.pages, "atom")]
        fetchable = sum(len(o.fetchable) for o in outlets)
        seeds_feeds = [o.feed for o in outlets]
        seeds_maps = [o.sitemap for o in outlets]
        tmp = tempfile.mkdtemp(prefix="bench-crawl-")
        runs = []
        for _attempt in ("first", "again"):
            for o in outlets:
                o.reset_log()
            if tool == "bantin":
                secs = run_bantin(os.path.join(tmp, "c.db"), seeds_feeds + seeds_maps, args.delay)
            else:
                secs, _ = run_trafilatura(seeds_feeds, seeds_maps, args.delay)
            m = combine([o.measure() for o in outlets])
            m["seconds"] = secs
            m["fetchable"] = fetchable
            runs.append(m)
        for o in outlets:
            o.site.close()
        results[tool] = {"first": runs[0], "again": runs[1]}

    results["robots"] = robots_scores()
    results["sitemap_50k"] = sitemap_speed()
    results["load_after"] = os.getloadavg()

    b, t = results["bantin"], results["trafilatura"]

    def row(label: str, f) -> None:  # type: ignore[no-untyped-def]
        print(f"{label:<46} {f(b):>16} {f(t):>16}")

    print(f"\n2 outlets × {args.pages} listed articles, delay {args.delay} s per host; load {load[0]:.2f}")
    print(f"{'':<46} {'bantin crawl':>16} {'trafilatura':>16}")
    row("first crawl: seconds", lambda r: f"{r['first']['seconds']:.2f}")
    row("  HTTP requests", lambda r: f"{r['first']['requests']:,}")
    row("  articles downloaded (distinct / fetchable)",
        lambda r: f"{r['first']['distinct_articles']}/{r['first']['fetchable']}")
    row("  articles/s", lambda r: f"{r['first']['distinct_articles'] / r['first']['seconds']:.1f}")
    row("  duplicate downloads of one article", lambda r: f"{r['first']['duplicate_downloads']}")
    row("  robots.txt-disallowed URLs requested", lambda r: f"{r['first']['disallowed_requested']}")
    row("  failing-once pages recovered", lambda r: f"{r['first']['flaky_recovered']}")
    row("  shortest gap between requests to a host (s)", lambda r: f"{r['first']['min_gap_s']:.3f}")
    row("  body bytes downloaded", lambda r: f"{r['first']['bytes']:,}")
    row("  floor: requests per host × delay (s)", lambda r: f"{r['first']['requests'] / 2 * args.delay:.2f}")
    row("crawl again (nothing changed): seconds", lambda r: f"{r['again']['seconds']:.2f}")
    row("  HTTP requests", lambda r: f"{r['again']['requests']:,}")
    row("  article downloads", lambda r: f"{r['again']['article_downloads']:,}")
    row("  304 Not Modified", lambda r: f"{r['again']['not_modified']:,}")
    row("  body bytes downloaded", lambda r: f"{r['again']['bytes']:,}")
    rb = results["robots"]
    print(f"\nrobots.txt, {rb['cases']} RFC 9309 cases right: bantin (protego) {rb['bantin (protego)']}, "
          f"protego alone {rb['protego alone']}, urllib.robotparser {rb['urllib.robotparser']}")
    print("  urllib.robotparser wrong on: " + "; ".join(rb["wrong_robotparser"]))
    sm = results["sitemap_50k"]
    print(f"read a 50,000-URL sitemap: bantin {sm['bantin_s'] * 1000:.0f} ms ({sm['bantin_urls']:,} URLs, "
          f"lastmod parsed), trafilatura {sm['trafilatura_s'] * 1000:.0f} ms ({sm['trafilatura_urls']:,} URLs)")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "crawl.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()

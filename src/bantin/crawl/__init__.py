"""Fetch news from the web politely: feeds, sitemaps and article URLs → raw pages → the ingest pipeline.

    fetch.py     one HTTP GET (httpx, no proxy variables, bounded time and size, conditional), outcome classes,
                 exponential backoff with jitter
    robots.py    robots.txt per host (protego), RFC 9309 fetch rules, Crawl-delay / Request-rate
    urls.py      URL normalisation (fragment, tracking parameters, case, default port) for dedup
    listing.py   what a body is (feed, sitemap, page) by content; gzip
    feeds.py     RSS/Atom (feedparser) → article URLs with dates and titles as hints
    sitemaps.py  sitemaps, news sitemaps, sitemap indexes, text sitemaps (lxml, incremental, recover mode)
    frontier.py  per-URL state persisted in the archive; what is fetched when; every change committed
    crawler.py   the loop: politeness per host, parallel across hosts, pages through ``pipeline.ingest_raws``
"""

from bantin.crawl.crawler import Crawl, CrawlConfig, CrawlReport, crawl
from bantin.crawl.urls import normalize_url

__all__ = ["Crawl", "CrawlConfig", "CrawlReport", "crawl", "normalize_url"]

"""What a fetched body is (a feed, a sitemap, a page, something else) and the URLs a feed or sitemap lists.

``read_listing`` recognises the body by its content (the first element of XML, gzip's magic bytes), not by its
URL or declared type, which sites often get wrong, and hands it to ``feeds`` or ``sitemaps``.
"""

from __future__ import annotations

import re
import zlib

from bantin.crawl import feeds, sitemaps
from bantin.crawl.entries import Entry, Listing, NotAListing

#: A sitemap may hold 50 MB uncompressed (sitemaps.org); a gzip body is not inflated beyond this.
MAX_INFLATED = 64 * 1024 * 1024

__all__ = ["MAX_INFLATED", "Entry", "Listing", "NotAListing", "gunzip_bounded", "read_listing", "sniff"]

_PROLOG_RE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.S | re.I)
_FIRST_TAG_RE = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_XML_KINDS = {b"rss": "rss", b"feed": "atom", b"RDF": "rss", b"urlset": "sitemap", b"sitemapindex": "sitemapindex"}
_BINARY_TYPES = ("image/", "video/", "audio/", "font/", "application/pdf", "application/zip",
                 "application/octet-stream", "application/vnd.", "application/msword", "application/javascript",
                 "text/css", "application/json")


def gunzip_bounded(data: bytes, limit: int = MAX_INFLATED) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, limit + 1)
    if len(out) > limit:
        raise NotAListing(f"gzip body inflates to more than {limit:,} bytes")
    return out


def sniff(body: bytes, content_type: str | None = None) -> str:
    """rss | atom | sitemap | sitemapindex | html | gzip | text | binary (by content; the type header breaks ties)."""
    if body[:2] == b"\x1f\x8b":
        return "gzip"
    head = body[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    ct = (content_type or "").split(";")[0].strip().lower()
    if head.startswith(b"<"):
        rest = _PROLOG_RE.sub(b"", head[:8192]).lstrip()
        m = _FIRST_TAG_RE.match(rest)
        if m:
            name = m.group(2)
            if name in _XML_KINDS:
                return _XML_KINDS[name]
            if name.lower() == b"html":
                return "html"
        low = head[:1024].lower()
        if b"<html" in low or b"<!doctype html" in low or b"<head" in low or b"<body" in low:
            return "html"
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    if ct.startswith(_BINARY_TYPES):
        return "binary"
    if b"\x00" in head[:1024]:
        return "binary"
    if ct.startswith("text/") or not ct:
        lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
        if lines and all(ln.startswith((b"http://", b"https://")) and b" " not in ln for ln in lines[:50]):
            return "text-sitemap"
        return "html" if ct == "" and head.startswith(b"<") else "text"
    return "binary"


def read_listing(body: bytes, url: str, content_type: str | None = None) -> Listing:
    """The entries of a feed or sitemap (gzip allowed). Raises NotAListing for anything else."""
    kind = sniff(body, content_type)
    if kind == "gzip":
        body = gunzip_bounded(body)
        kind = sniff(body, None)
    if kind in ("rss", "atom"):
        return feeds.parse(body, url, content_type)
    if kind in ("sitemap", "sitemapindex", "text-sitemap"):
        return sitemaps.parse(body, url, text=(kind == "text-sitemap"))
    raise NotAListing(f"not a feed or sitemap (looks like {kind})")

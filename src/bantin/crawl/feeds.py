"""RSS 0.9x/1.0/2.0 and Atom feeds → the article URLs they list, with their dates and titles as hints.

feedparser reads the feed (it copes with the broken feeds real sites publish); dates are read from the text the
feed wrote by ``clean.dates`` — the one date parser — so the zone the feed gave is kept (feedparser's own
parsed dates are UTC) and Vietnamese forms some outlets put in ``pubDate`` are understood.
"""

from __future__ import annotations

import unicodedata

import feedparser

from bantin.crawl.entries import Entry, Listing, NotAListing, iso_date
from bantin.crawl.urls import try_normalize


def _link(e: feedparser.FeedParserDict) -> str | None:
    for key in ("feedburner_origlink", "link"):
        v = e.get(key)
        if v:
            return str(v)
    for lk in e.get("links") or []:
        if lk.get("rel", "alternate") == "alternate" and lk.get("href"):
            return str(lk["href"])
    if e.get("guidislink") and e.get("id"):
        return str(e["id"])
    gid = e.get("id")
    if gid and str(gid).startswith(("http://", "https://")):
        return str(gid)
    return None


def parse(body: bytes, url: str, content_type: str | None = None) -> Listing:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    d = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not d.get("version") and not d.entries:
        reason = d.get("bozo_exception")
        raise NotAListing(f"not a feed{f': {reason}' if reason else ''}")
    kind = "atom" if str(d.get("version", "")).startswith("atom") else "rss"
    entries: list[Entry] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for i, e in enumerate(d.entries):
        link = _link(e)
        norm = try_normalize(link, base=url) if link else None
        if norm is None:
            warnings.append(f"entry {i + 1}: no usable link ({link!r})")
            continue
        if norm in seen:
            continue
        seen.add(norm)
        # dict.get: feedparser's own get maps a missing "updated" to "published" (with a warning)
        published = dict.get(e, "published") or dict.get(e, "created")
        updated = dict.get(e, "updated")
        entry = Entry(url=norm, published_at=iso_date(published), updated_at=iso_date(updated),
                      date_text=published or updated,
                      title=unicodedata.normalize("NFC", e.get("title")) if e.get("title") else None)
        tags = [t.get("term") for t in e.get("tags") or [] if t.get("term")]
        if tags:
            entry.extra["tags"] = tags
        author = e.get("author")
        if author:
            entry.extra["author"] = author
        entries.append(entry)
    if d.get("bozo") and not entries:
        warnings.append(f"feed is malformed: {d.get('bozo_exception')}")
    return Listing(kind=kind, entries=entries, warnings=warnings)

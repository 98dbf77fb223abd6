"""What a feed or a sitemap lists: ``Entry`` (one URL and what the listing says about it), ``Listing`` (the
entries of one feed or sitemap), ``NotAListing``, and ``iso_date`` — the listing's dates read by ``clean.dates``.

``feeds`` and ``sitemaps`` build them, ``listing`` recognises a body and hands it to one of them, ``frontier``
stores them: this module imports none of those, so none of them imports another to share these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from bantin.clean.dates import MAX_YEAR, MIN_YEAR, VN_TZ, parse_date

_FINE = {"day", "hour", "minute", "second"}


@dataclass(slots=True)
class Entry:
    """One URL a feed or sitemap lists, with what the listing says about it."""

    url: str
    kind: str = "page"  # page | sitemap (a child of a sitemap index)
    published_at: str | None = None  # ISO 8601 when the listing gives a parseable date
    updated_at: str | None = None
    date_text: str | None = None  # the listing's date as written
    title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # news:keywords, news:publication name, language, …

    def hints(self, listed_in: str, listing_kind: str) -> dict[str, Any]:
        d: dict[str, Any] = {"in": listed_in, "kind": listing_kind}
        for k in ("published_at", "updated_at", "date_text", "title"):
            v = getattr(self, k)
            if v:
                d[k] = v
        if self.extra:
            d.update(self.extra)
        return d


@dataclass(slots=True)
class Listing:
    kind: str  # rss | atom | sitemap | news-sitemap | sitemapindex | text-sitemap
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


class NotAListing(ValueError):
    pass


_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?\Z")


@lru_cache(maxsize=4096)
def iso_date(text: str | None) -> str | None:
    """ISO 8601 (in +07:00, as ``clean.dates`` gives it) of a date as a listing wrote it — day precision or
    finer — else None. W3C dates (sitemaps, Atom) take a fast path that gives what ``parse_date`` gives."""
    if not text:
        return None
    t = text.strip()
    if _ISO_RE.match(t):
        try:
            dt = datetime.fromisoformat(t.replace("Z", "+00:00"))
        except ValueError:
            dt = None
        if dt is not None and MIN_YEAR <= dt.year <= MAX_YEAR:
            return (dt.replace(tzinfo=VN_TZ) if dt.tzinfo is None else dt).astimezone(VN_TZ).isoformat()
    try:
        pd = parse_date(t, whole=True) or parse_date(t)
    except Exception:  # noqa: BLE001 - a date we cannot read is only a missing hint
        return None
    if pd is None or pd.granularity not in _FINE:
        return None
    return pd.iso()

"""Sitemaps (sitemaps.org urlset and sitemap index, Google News sitemaps, plain-text sitemaps; gzip handled by
``listing``) → the URLs they list, with ``lastmod`` and the news publication date and title as hints.

lxml's incremental parser reads them element by element (memory stays flat on a 50 MB sitemap) in recover mode:
real sitemaps carry unescaped ``&`` and stray bytes, and one bad URL must not lose the other 49,999. Entities are
not loaded from anywhere: no DTD, no network. Elements are matched by local name, so sitemaps that forget
the namespace are read too.
"""

from __future__ import annotations

import io
import re
import unicodedata

from lxml import etree

from bantin.crawl.entries import Entry, Listing, NotAListing, iso_date
from bantin.crawl.urls import try_normalize

_ROOT_RE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(urlset|sitemapindex)\b")
#: A bare "&" (the commonest sitemap error: unescaped query strings) becomes "&amp;" before parsing.
_BARE_AMP_RE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1]


def _text(el: etree._Element) -> str | None:
    t = (el.text or "").strip()
    return t or None


def _children(el: etree._Element) -> dict[str, etree._Element]:
    out: dict[str, etree._Element] = {}
    for c in el:
        name = _local(c.tag)
        if name and name not in out:
            out[name] = c
    return out


def parse(body: bytes, url: str, *, text: bool = False) -> Listing:
    if text:
        return _parse_text(body, url)
    m = _ROOT_RE.search(body[:65536])
    root_kind = m.group(1).decode() if m else None
    if root_kind is None:
        raise NotAListing("not a sitemap (no <urlset> or <sitemapindex>)")
    entries: list[Entry] = []
    warnings: list[str] = []
    seen: set[str] = set()
    news = False
    if b"&" in body:
        body = _BARE_AMP_RE.sub(b"&amp;", body)
    # only the <url>/<sitemap> elements, in any namespace or none; predefined and character entities only:
    # no DTD is loaded, nothing is fetched
    ctx = etree.iterparse(io.BytesIO(body), events=("end",), tag=("{*}url", "{*}sitemap"), recover=True,
                          load_dtd=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    n = 0
    try:
        for _event, el in ctx:
            name = _local(el.tag)
            n += 1
            loc = lastmod = None
            nn = None
            for c in el:
                cn = _local(c.tag)
                if cn == "loc":
                    loc = _text(c)
                elif cn == "lastmod":
                    lastmod = _text(c)
                elif cn == "news":
                    nn = c
            norm = try_normalize(loc, base=url) if loc else None
            if norm is None:
                warnings.append(f"<{name}> {n}: no usable <loc> ({loc!r})")
            elif norm not in seen:
                seen.add(norm)
                e = Entry(url=norm, kind="sitemap" if name == "sitemap" else "page",
                          updated_at=iso_date(lastmod), date_text=lastmod)
                if nn is not None:
                    news = True
                    _read_news(nn, e)
                entries.append(e)
            el.clear()
            parent = el.getparent()
            if parent is not None:  # drop finished siblings so memory stays flat
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as e:
        warnings.append(f"sitemap is malformed, read up to: {e}")
    kind = "sitemapindex" if root_kind == "sitemapindex" else ("news-sitemap" if news else "sitemap")
    return Listing(kind=kind, entries=entries, warnings=warnings)


def _read_news(nn: etree._Element, e: Entry) -> None:
    nk = _children(nn)
    pub = _text(nk["publication_date"]) if "publication_date" in nk else None
    if pub:
        e.published_at, e.date_text = iso_date(pub), pub
    if "title" in nk:
        title = _text(nk["title"])
        e.title = unicodedata.normalize("NFC", title) if title else None
    if "keywords" in nk and _text(nk["keywords"]):
        e.extra["keywords"] = _text(nk["keywords"])
    publ = nk.get("publication")
    if publ is not None:
        pk = _children(publ)
        if "name" in pk and _text(pk["name"]):
            e.extra["publication"] = _text(pk["name"])
        if "language" in pk and _text(pk["language"]):
            e.extra["language"] = _text(pk["language"])


def _parse_text(body: bytes, url: str) -> Listing:
    entries, warnings, seen = [], [], set()
    for i, line in enumerate(body.decode("utf-8", errors="replace").splitlines(), 1):
        s = line.strip()
        if not s:
            continue
        norm = try_normalize(s, base=url)
        if norm is None:
            warnings.append(f"line {i}: not a URL ({s[:80]!r})")
        elif norm not in seen:
            seen.add(norm)
            entries.append(Entry(url=norm))
    return Listing(kind="text-sitemap", entries=entries, warnings=warnings)

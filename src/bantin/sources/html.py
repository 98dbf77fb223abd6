"""Saved web pages (``.html``, ``.htm``, ``.xhtml``, and their ``.gz``): one article per page.

``read`` yields one Raw per file (bounded, like the text reader). ``parse`` (also used for crawled pages and WARC
records) turns page bytes into a Draft:

1. bytes → text with ``clean.encoding.decode`` (the real encoding is detected; a wrong ``<meta charset>`` is
   flagged, not trusted), then one lxml parse;
2. what the page says about itself (``htmlmeta``): URL (og:url / canonical / where it was fetched), title without
   the outlet suffix, dates from JSON-LD, meta tags, ``<time>`` or the visible date line next to the title (all
   through ``clean.dates``), section, tags, language;
3. the text (``htmltext``): trafilatura's main content, then the Vietnamese layer — sapo, captions, byline,
   syndication credit, related-link lists; an outlet with its own parser (``sources/sites``) replaces the
   generic selectors where it has one;
4. pages that are not articles — homepages and section indexes, pages with no visible text, truncated or
   oversized pages — become a ``Reject`` whose reason gives the evidence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from bisect import bisect_left, bisect_right
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HTMLParser, document_fromstring

from bantin.clean.dates import VN_TZ, ParsedDate
from bantin.clean.encoding import DecodeError, decode, fix_text
from bantin.clean.fold import fold, text_keys
from bantin.model import Draft, Raw, Reject
from bantin.sources import htmlmeta as hm
from bantin.sources import htmltext as ht
from bantin.sources.base import Input, max_record_bytes, read_whole_file
from bantin.clean.outlets import host_of, outlet_for

NAME = "html"
VERSION = "1"
#: How trafilatura runs: "auto" = its fast mode (no readability/justext fallbacks) first, and the full mode
#: again when the fast result is under half the <p> text of the element richest in it, or under 1,000 characters
#: on a page without a title heading (a likely index page) — measured on outlets_2012: the same output as "full"
#: on all 20 pages at about half the time (BENCHMARKS.md).
TRAFILATURA_MODE = os.environ.get("BANTIN_TRAFILATURA", "auto")
#: Drop navigation, sidebars and footers before trafilatura (measured: BENCHMARKS.md); BANTIN_PRUNE=0 turns it off.
PRUNE = os.environ.get("BANTIN_PRUNE", "1") != "0"
#: A page bigger than this is not one article (news pages are 50 KB – 2 MB; the biggest carry inline images).
MAX_PAGE_BYTES = 16 * 1024 * 1024

_PARSER = HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True,
                     remove_blank_text=False, huge_tree=False)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_STRIP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")
_ARTICLE_URL_RE = re.compile(r"(?:\d{5,}|\.html?$|\.chn$|\.aspx$|\.vnn$|\.ldo$|\.tpo$|-[a-z]\d+\.html?)", re.I)


def extractor_version() -> str:
    import trafilatura

    return f"{NAME}/{VERSION}+trafilatura/{trafilatura.__version__}"


# --------------------------------------------------------------------------------------------------------------
# read
# --------------------------------------------------------------------------------------------------------------
def read(inp: Input) -> Iterator[Raw | Reject]:
    """One Raw per file; pages over the record limit are rejected after a bounded read."""
    yield read_whole_file(inp, NAME, min(max_record_bytes(), MAX_PAGE_BYTES), "page")


# --------------------------------------------------------------------------------------------------------------
# parse
# --------------------------------------------------------------------------------------------------------------
def _reject(raw: Raw, stage: str, reason: str) -> Reject:
    return Reject(raw.path, raw.record, stage, reason, raw.sha256, raw.payload, len(raw.payload))


def parse(raw: Raw) -> Draft | Reject:
    url = raw.hints.get("url")
    if url is None and raw.path.startswith(("http://", "https://")):
        url = raw.path
    d = parse_page(raw, raw.payload, url=url, fetched_at=raw.fetched_at, charset=raw.hints.get("charset"))
    if isinstance(d, Draft) and isinstance(raw.hints.get("listed"), dict):
        listed_dates(d, raw.hints["listed"], raw.fetched_at)
    return d


#: A listing's date later than the fetch by more than this is a wrong date, not the page's.
_LISTED_AHEAD = timedelta(days=1)


def listed_dates(d: Draft, listed: dict[str, Any], fetched_at: str | None) -> None:
    """A crawled page that gives no date of its own takes the one its feed or sitemap listed it with (RSS
    ``pubDate``, Atom ``published``, ``news:publication_date``; ``lastmod``/Atom ``updated`` as the update time),
    flagged ``published_at-from-listing:<kind>`` — the crawler keeps what the listing said in the Raw's hints
    (``listed``). A date the page gives always wins; a listed date after the fetch (+1 day) is not used."""
    kind = str(listed.get("kind") or "listing")
    ref = _ref_time(fetched_at)
    for field_name, key in (("published_at", "published_at"), ("updated_at", "updated_at")):
        have = (d.published_at or d.date_text) if field_name == "published_at" else d.updated_text
        value = listed.get(key)
        if have or not isinstance(value, str):
            continue
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            continue
        if dt.tzinfo is None:
            continue
        if ref is not None and dt > ref + _LISTED_AHEAD:
            d.flags.append(f"{field_name}-from-listing-ignored:{value} is after the fetch")
            continue
        if field_name == "published_at":
            d.published_at = dt.isoformat()
        else:
            d.updated_text = dt.isoformat()
        d.flags.append(f"{field_name}-from-listing:{kind}")


def _ref_time(fetched_at: str | None) -> datetime | None:
    if not fetched_at:
        return None
    try:
        dt = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def declared_charset(payload: bytes) -> str | None:
    m = _CHARSET_RE.search(payload[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


_SAME_CHARSET = {"utf8": "utf-8", "utf-8": "utf-8", "windows-1258": "cp1258", "cp1258": "cp1258",
                 "windows-1252": "cp1252", "cp1252": "cp1252", "iso-8859-1": "cp1252", "latin1": "cp1252",
                 "latin-1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}


def _decode(payload: bytes) -> tuple[str | None, str, list[str]]:
    """(text, encoding, flags), or (None, reason, []) for bytes that are not text.

    Valid UTF-8 (nearly every page) is taken as it is — a declared charset that says otherwise is wrong, and is
    flagged by the caller; mojibake repair then runs on the extracted text only (``_fix``), not on the markup.
    Anything else goes through ``clean.encoding.decode`` (Windows-1258, TCVN3, VNI, cp1252; binary rejected).
    """
    body = payload[3:] if payload.startswith(b"\xef\xbb\xbf") else payload
    if b"\x00" not in body[:4096]:
        try:
            return body.decode("utf-8"), "utf-8", []
        except UnicodeDecodeError:
            pass
    try:
        d = decode(payload)
    except DecodeError as e:
        return None, e.reason, []
    enc = d.encoding.split("+")[0].replace("utf-8-sig", "utf-8")
    return d.text, enc, list(d.flags)


def _fix(s: str | None, flags: list[str]) -> str | None:
    if not s:
        return s
    out, fl = fix_text(s)
    for f in fl:
        if f not in flags:
            flags.append(f)
    return out


def parse_page(raw: Raw, payload: bytes, *, url: str | None = None, fetched_at: str | None = None,
               charset: str | None = None) -> Draft | Reject:
    """Page bytes → Draft | Reject. ``raw`` names the input in rejects and drafts; ``payload`` may be the body
    of a larger record (WARC)."""
    size = len(payload)
    if size > MAX_PAGE_BYTES:
        return _reject(raw, "parse", f"page too large to be one article ({size:,} bytes > {MAX_PAGE_BYTES:,})")
    if not payload.strip():
        return _reject(raw, "parse", "empty page (no bytes)" if not payload else "empty page (only whitespace)")
    text, encoding, flags = _decode(payload)
    if text is None:
        return _reject(raw, "decode", f"not an HTML page: {encoding}")
    declared = charset or declared_charset(payload)
    if declared:
        want = _SAME_CHARSET.get(declared, declared)
        if want != encoding:
            flags.append(f"charset-mismatch:declared {declared}, read as {encoding}")
    if "<" not in text[:65536] or not re.search(r"<\s*[a-zA-Z!]", text[:65536]):
        return _reject(raw, "parse", "not an HTML page: no markup in the first 64 KB")
    low_tail = text[-65536:].lower()
    if "</html" not in low_tail and "</body" not in low_tail and "</html" not in text.lower():
        return _reject(raw, "parse", f"truncated HTML: the page ends after {size:,} bytes without </body> or "
                                     "</html> (a cut-off download?)")
    try:
        page = extract(text, url=url, ref=_ref_time(fetched_at))
    except NotArticle as e:
        return _reject(raw, "parse", str(e))
    flags.extend(page.flags)
    fx: list[str] = []
    d = Draft(raw=raw, title=_fix(page.title, fx), sapo=_fix(page.sapo, fx),
              paragraphs=[_fix(p, fx) or "" for p in page.paragraphs], url=page.url, outlet=page.outlet,
              authors=[_fix(a, fx) or "" for a in page.authors], tags=[_fix(t, fx) or "" for t in page.tags],
              captions=[_fix(c, fx) or "" for c in page.captions], section=_fix(page.section, fx),
              language=page.language, flags=flags + fx, extractor=extractor_version())
    d.credit = _fix(page.credit, fx)
    if page.published is not None:
        d.published_at = page.published.date.iso()
        d.date_text = page.published.text
    if page.updated is not None:
        d.updated_text = page.updated.date.iso()
    return d


#: Flag: the sapo is the page's own lead element and ends with "..." as printed (clean keeps the mark).
SAPO_PRINTED_ELLIPSIS = "sapo-ellipsis-as-printed"


class NotArticle(Exception):
    """The page is not an article; the message is the reject reason."""


@dataclass(slots=True)
class Page:
    title: str
    paragraphs: list[str]
    sapo: str | None = None
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    credit: str | None = None
    url: str | None = None
    outlet: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    published: hm.DateFound | None = None
    updated: hm.DateFound | None = None
    flags: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)


def parse_tree(text: str) -> Any:
    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        return document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as e:
        raise NotArticle(f"not an HTML page: {e}") from None


_ROLE_RE = re.compile(
    r"(?P<caption>caption|photocms_caption|desc_image|image-desc|img-desc|photo-desc)|"
    r"(?P<crumb>breadcrumb|bread-crumb|breadbox|sub_cate|cate-24h)|"
    r"(?P<tags>(?:^|\s)tags?(?:\s|$)|tag-list|tags-list|box-tag|tagsdetail|keyword|hienthitags|tagarticle)|"
    r"(?P<sapo>sapo|lead|description|summary|chapeau|phead|intro|excerpt|headline-desc|abstract)|"
    r"(?P<title>title)|"
    r"(?P<date>date|time|ngay|publish|posted|timer|timestamp|thoigian|thoi-gian)")
_JUNK_TAGS = frozenset(("nav", "footer", "aside", "select", "button", "menu"))  # not form: ASP.NET wraps pages
_JUNK_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|megamenu|footer|sidebar|side-bar|sidebox|banner|advert|ads|adv|"
    r"adsbygoogle|quangcao|qc|popup|modal|social|share|sharing|comments?|binhluan|binh-luan|related|relate|"
    r"lienquan|lien-quan|tinlienquan|most-read|mostread|xemnhieu|xem-nhieu|docnhieu|doc-nhieu|widget|login|"
    r"search|topbar|top-bar|header-menu|cookie)(?:$|[\s_-])", re.I)
_SAPO_TAGS = frozenset(("p", "h2", "h3", "h4", "div", "span", "strong", "em"))
_TITLE_TAGS = frozenset(("h2", "h3", "div", "p", "span", "td"))
_DATE_TAGS = frozenset(("span", "div", "p", "time", "label", "li", "small", "em", "i", "strong"))


@dataclass(slots=True)
class Scan:
    """One pass over the page: the visible text pieces in document order, each element's position among them,
    and the elements whose class names a role (caption, breadcrumb, tags, sapo, title, date)."""

    chunks: list[tuple[Any, str]] = field(default_factory=list)
    pos: dict[Any, int] = field(default_factory=dict)
    roles: dict[str, list[Any]] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)
    headline_links: list[int] = field(default_factory=list)  # positions of links that read like headlines
    p_text: int = 0  # characters of text in the <p> elements of the element holding the most of it
    p_box: Any = None  # that element
    junk: list[Any] = field(default_factory=list)  # navigation, sidebars, footers... (see ``prune``)
    junk_span: dict[Any, tuple[int, int]] = field(default_factory=dict)  # their first and end chunk
    _long: tuple[list[int], list[str]] | None = None

    def long_keys(self) -> tuple[list[int], list[str]]:
        """(positions, text keys) of the longer text pieces (20+ characters), computed once."""
        if self._long is None:
            longs = [(i, t) for i, (_, t) in enumerate(self.chunks) if len(t) >= 20]
            self._long = ([i for i, _ in longs], text_keys([t for _, t in longs]) if longs else [])
        return self._long


@lru_cache(maxsize=8192)
def _class_role(cls: str) -> tuple[bool, str | None]:
    """(is junk, role) of a class attribute; class strings repeat across a page and across pages."""
    if cls == "Image" or cls == "image":
        return False, "caption"
    m = _ROLE_RE.search(cls.lower())
    return bool(_JUNK_RE.search(cls)), (m.lastgroup if m is not None else None)


def scan(tree: Any) -> Scan:
    sc = Scan()
    chunks, pos, roles = sc.chunks, sc.pos, sc.roles
    for k in ("caption", "crumb", "tags", "sapo", "title", "date"):
        roles[k] = []
    p_by_parent: dict[Any, int] = {}
    junk_start: dict[Any, int] = {}
    anchors, headline_links, junk = sc.anchors, sc.headline_links, sc.junk
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            here = len(chunks)
            pos[el] = here
            t = el.text
            if t and not t.isspace():
                chunks.append((el, t.strip()))
            tag = el.tag
            if tag == "a":
                at = " ".join((el.text_content() if len(el) else (t or "")).split())
                if 8 <= len(at) <= 300:
                    anchors.append(at)
                    if len(at) >= 25 and at.count(" ") >= 4:
                        headline_links.append(len(chunks))
            elif tag == "p":
                parent = el.getparent()
                p_by_parent[parent] = p_by_parent.get(parent, 0) + len(el.text_content())
            elif tag in _JUNK_TAGS:
                junk.append(el)
                junk_start[el] = here
                continue
            elif tag == "figcaption":
                roles["caption"].append(el)
                continue
            cls = el.get("class")
            eid = el.get("id")
            is_junk, role = _class_role(cls) if cls else (False, None)
            if is_junk or (eid and _JUNK_RE.search(eid)):
                junk.append(el)
                junk_start[el] = here
            if not cls:
                continue
            if role is None or role == "sapo" and tag not in _SAPO_TAGS or \
                    role == "title" and tag not in _TITLE_TAGS or role == "date" and tag not in _DATE_TAGS:
                continue
            roles[role].append(el)
        else:
            if junk_start and el in junk_start:
                sc.junk_span[el] = (junk_start[el], len(chunks))
            t = el.tail
            if t and not t.isspace():
                chunks.append((el, t.strip()))
    if p_by_parent:
        sc.p_box, sc.p_text = max(p_by_parent.items(), key=lambda kv: kv[1])
    return sc


def prune(sc: Scan, keep: list[Any]) -> int:
    """Drop navigation, sidebars, footers, comment and related-link boxes (``Scan.junk``) from the tree before
    the main-content extractor sees it — it then has less to copy, clean and score. Never an element holding
    ``keep`` (the title heading, the element richest in <p> text) or one holding 80% of the page's text.
    Returns how many subtrees were dropped."""
    total = 0
    prefix = [0]
    for _, t in sc.chunks:
        total += len(t)
        prefix.append(total)
    protected: set[Any] = set()
    for k in keep:
        if k is not None:
            protected.add(k)
            protected.update(k.iterancestors())
    dropped = 0
    gone: set[Any] = set()
    for el in sc.junk:
        if el in protected or el.getparent() is None:
            continue
        if el.tag == "p" and sc.p_box is not None and el.getparent() is sc.p_box:
            continue  # a paragraph of the text whose class only looks like junk (VOV's "ads-detail-center")
        if any(a in gone for a in el.iterancestors()):
            continue
        a, b = sc.junk_span.get(el, (0, len(sc.chunks)))
        if prefix[b] - prefix[a] > 0.8 * total:
            continue  # holds nearly the whole page: a wrapper, not a box
        el.drop_tree()
        gone.add(el)
        dropped += 1
    return dropped


def extract(text: str, *, url: str | None = None, ref: datetime | None = None) -> Page:
    """Page text → Page. Raises NotArticle (with the evidence) for pages that are not one article."""
    from bantin.sources import sites

    tree = parse_tree(text)
    meta = hm.read_meta(tree)
    n_scripts = sum(1 for _ in tree.iter("script"))
    etree.strip_elements(tree, *_STRIP_TAGS, with_tail=False)
    body_el = tree.find("body")
    visible = hm.squash((body_el if body_el is not None else tree).text_content())
    if len(visible) < 20:
        what = f"only {n_scripts} <script> element{'s' if n_scripts != 1 else ''} and " if n_scripts else ""
        raise NotArticle(f"no article text: the page has {what}{len(visible)} characters of visible text")

    page_url = hm.page_url(meta, url)
    outlet = outlet_for(page_url)
    host = host_of(page_url)
    names = hm.site_names(meta, outlet, host)
    site = sites.parser_for(host) if host else sites.sniff(tree)
    sc = scan(tree)
    headings = list(tree.iter("h1"))
    headings += [h for h in sc.roles["title"][:60] if h not in headings and len(hm.text_of(h)) > 8
                 and h.find(".//a") is None]
    if site is not None:
        headings = site.title_elements(tree) + headings
    tc = hm.choose_title(tree, meta, names, headings)
    anchor = sc.pos.get(tc.element) if tc.element is not None else None

    # the text
    site_fields = site.extract(tree) if site is not None else None
    if site_fields is not None and site_fields.blocks:
        blocks = site_fields.blocks
    else:
        if PRUNE:
            prune(sc, [tc.element, sc.p_box])
        blocks = _trafilatura_blocks(tree, page_url, sc.p_text, tc.element is not None)
    span = _span(blocks, sc)
    ctx = _context(meta, sc, span, anchor, names, outlet, tc.text, site_fields)
    body = ht.refine(blocks, ctx)

    if not body.authors and not body.credit and body.paragraphs:
        # the byline under the text, when the extractor left it out ("Tin, ảnh: Vũ Phương Thảo")
        end = _span(_blocks(body.paragraphs[-3:]), sc)
        lines = _dom_byline(sc, end[1]) if end is not None else []
        if lines:
            probe = ht.Body()
            ht.take_byline([ht.Block(body.paragraphs[-1], "p")] + [ht.Block(t, "p", "author") for t in lines],
                           probe)
            body.authors, body.credit = probe.authors, probe.credit

    if not body.credit:
        # the VCCorp CMS (CafeF, Soha, Kenh14, GenK…) boxes the source of a republished text after the body,
        # away from it: "Theo <span class=link-source-text-name>tienphong.vn</span>" (+ "Copy link", the URL)
        for el in _SOURCE_BOX_XP(tree)[:1]:
            c = ht.credit_of("Theo " + hm.text_of(el))
            if c is not None:
                body.credit = ht.split_credit(c)[1] or body.credit

    if not body.credit and anchor is not None:
        # "Can Lộ Lộ lả lơi với khăn tắm / Theo Ngoisao | 25/12/2012 10:25": a credit on the line under the title
        for _el, t in sc.chunks[anchor + 1: anchor + 4]:
            c = ht.credit_of(t)
            if c is not None:
                writers, body.credit = ht.split_credit(c)
                if writers and not body.authors:
                    body.authors = writers
                break

    pub_struct, mod_struct = hm.structured_dates(meta, tree)
    vis = site_fields.date if site_fields is not None and site_fields.date else None
    if vis is None:
        vis = hm.visible_date(sc.chunks, anchor, ref)
    if vis is None and body.dates:
        pd, s = body.dates[0]
        vis = hm.DateFound(pd, s, "visible:body")
    if (vis is None or not vis.has_time) and not any(d.has_time for d in pub_struct) and span is not None:
        lo = (anchor if anchor is not None else span[0]) - 30
        near = [el for el in sc.roles["date"] if lo <= sc.pos.get(el, -1) <= span[1] + 10]
        found = hm.date_class_candidates(near, ref)
        timed = [d for d in found if d.has_time]
        day = (vis or (pub_struct[0] if pub_struct else None))
        if day is not None:  # only the time of the day we already have
            timed = [d for d in timed if d.date.value.date() == day.date.value.date()]
        if timed:
            vis = timed[0]
        elif vis is None and found:
            vis = found[0]
    published = _choose_date(pub_struct, vis)
    updated = mod_struct[0] if mod_struct else None
    if updated is not None and published is not None and updated.date.value <= published.date.value:
        updated = None

    # not an article?
    evidence = _index_evidence(page_url, meta, body, ctx, tc, sc, published is not None and published.has_time)
    if evidence is not None:
        raise NotArticle(evidence)
    if not tc.text:
        raise NotArticle("no title: no <h1>, og:title or <title> names the article")
    if not body.paragraphs and not body.sapo:
        raise NotArticle("no article text: the main-content extractor found no paragraphs")

    authors = body.authors or hm.meta_authors(meta, names)
    credit = body.credit
    # "Theo Sầm Hoa (Vietnamnet/Reuters)" in the author meta tag: writer Sầm Hoa, credit the outlets (the credit
    # found in the text wins; CafeF prints "Theo Phạm Trường" there and the source outlet under the text)
    meta_credit = next((c for c in (ht.credit_of(a) for a in hm.author_strings(meta)) if c), None)
    if meta_credit is not None and (credit is None or not body.authors):
        writers, meta_src = ht.split_credit(meta_credit)
        if credit is None:
            credit = meta_src
        if writers and not body.authors:
            authors = writers
    flags: list[str] = []
    if body.sapo and ctx.sapo and hm.squash(body.sapo) == hm.squash(ctx.sapo) and \
            hm.squash(body.sapo).endswith(("...", "…")):
        flags.append(SAPO_PRINTED_ELLIPSIS)  # NLĐ prints its leads ending "...": not a cut, keep it
    return Page(
        title=tc.text, paragraphs=body.paragraphs, sapo=body.sapo, captions=body.captions, authors=authors,
        credit=credit, url=page_url, outlet=outlet.name if outlet is not None else None,
        section=(site_fields.section if site_fields is not None and site_fields.section else None)
        or hm.section_of(meta, sc.roles["crumb"], names, tc.text),
        tags=hm.tags_of(meta, sc.roles["tags"]), language=hm.language_of(meta), published=published,
        updated=updated, flags=flags + body.flags)


def _blocks(texts: list[str]) -> list[ht.Block]:
    return ht.with_keys([ht.Block(t, "p", key="") for t in texts])


def _choose_date(structured: list[hm.DateFound], visible: hm.DateFound | None) -> hm.DateFound | None:
    """An outlet parser's date line with a time wins (it knows which element is the publication time); then
    structured dates with a time of day; a visible date line with a time beats a structured date without one;
    then any structured date; then the visible one."""
    if visible is not None and visible.has_time and visible.source.startswith("site:"):
        close = next((d for d in structured if d.has_time and
                      abs((d.date.value - visible.date.value).total_seconds()) < 60), None)
        return close or visible  # the structured copy of the same time has the seconds
    s = structured[0] if structured else None
    timed = next((d for d in structured if d.has_time), None)
    if timed is not None:
        return timed
    if visible is not None and visible.has_time:
        return visible
    return s or visible


def _trafilatura_blocks(tree: Any, url: str | None, p_text: int, titled: bool) -> list[ht.Block]:
    from trafilatura import bare_extraction

    def run(fast: bool) -> Any:
        return bare_extraction(tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
                               include_images=False, include_links=False, deduplicate=False, fast=fast)

    doc = run(TRAFILATURA_MODE != "full")
    if TRAFILATURA_MODE == "auto":
        n = len(doc.text or "") if doc is not None else 0
        if n < 0.5 * p_text or (n < 1000 and not titled):
            full = run(False)
            if full is not None and len(full.text or "") > n:
                doc = full
    if doc is None:
        return []
    return ht.blocks_from(doc.body)


def _span(blocks: list[ht.Block], sc: Scan) -> tuple[int, int] | None:
    """Where the extracted text sits among the page's text pieces: (first, last) chunk index."""
    if not blocks:
        return None
    idx, keys = sc.long_keys()
    if not keys:
        return None

    def find(block_keys: list[str], reverse: bool) -> int | None:
        order = range(len(keys) - 1, -1, -1) if reverse else range(len(keys))
        for bk in block_keys:
            if len(bk) < 15:
                continue
            for j in order:
                k = keys[j]
                if len(k) >= 12 and (k in bk or bk[:40] in k):
                    return idx[j]
        return None

    bks = [b.key for b in blocks]
    first = find(bks[:6], False)
    last = find(list(reversed(bks[-6:])), True)
    if first is None or last is None:
        return None
    return (min(first, last), max(first, last))


def _context(meta: hm.Meta, sc: Scan, span: tuple[int, int] | None, anchor: int | None, names: list[str],
             outlet: Any, title: str | None, site_fields: Any) -> ht.Context:
    ctx = ht.Context(title=title)
    ld = meta.ld_article()
    ctx.description = (hm.ld_text(ld.get("description")) if ld else None) or meta.first(
        "og:description", "description")
    ctx.anchors = set(text_keys(sc.anchors)) if sc.anchors else set()
    # captions inside the article's region of the page
    lo, hi = (span[0] - 3, span[1] + 3) if span is not None else (-1, -1)
    cap_els = site_fields.caption_elements if site_fields is not None and site_fields.caption_elements else \
        sc.roles["caption"]
    for el in cap_els:
        t = hm.text_of(el)
        if not 3 <= len(t) <= 1200:  # (a photo story's captions run to a long paragraph)
            continue
        k = ht.text_key(t)
        if not k:
            continue
        ctx.all_captions.add(k)
        p = sc.pos.get(el)
        if p is not None and lo <= p <= hi and len(t) >= 12 and k not in ctx.captions:
            ctx.captions[k] = t
    # the sapo
    if site_fields is not None and site_fields.sapo:
        ctx.sapo = site_fields.sapo
    else:
        ctx.sapo = _dom_sapo(sc, span, anchor, title)
    tags = {fold(n).replace(".", "").strip() for n in names}
    if outlet is not None:
        tags |= {fold(n).replace(".", "").strip() for n in outlet.names}
    ctx.site_tags = {t for t in tags if t}
    return ctx


def _linky(el: Any, text: str) -> bool:
    if any(a.tag == "a" for a in el.iterancestors()):
        return True
    links = [hm.squash(a.text_content()) for a in el.iter("a")]
    return sum(len(x) for x in links) > 0.5 * max(1, len(text))


def _dom_sapo(sc: Scan, span: tuple[int, int] | None, anchor: int | None, title: str | None) -> str | None:
    """The lead: an element marked sapo/lead/description… between the title and the start of the text; else a
    heading or bold block right under the title."""
    if span is None and anchor is None:
        return None
    tkey = ht.text_key(title) if title else ""
    lower = anchor - 3 if anchor is not None else span[0] - 25  # type: ignore[index]
    upper = (span[0] + 25) if span is not None else anchor + 40  # type: ignore[operator]
    for el in sc.roles["sapo"]:
        p = sc.pos.get(el)
        if p is None or p < lower or p > upper:
            continue
        if ht._SAPO_BAD_CLASS_RE.search(el.get("class") or ""):
            continue
        t = hm.text_of(el)
        if not 30 <= len(t) <= 1500 or (tkey and ht.text_key(t) == tkey) or _linky(el, t):
            continue
        return t
    if anchor is None:
        return None
    # a heading or bold block right under the title ("(Dân trí) - ...", "(NLĐO) - ...")
    for i in range(anchor + 1, min(len(sc.chunks), anchor + 12)):
        el, t = sc.chunks[i]
        host = el
        for _ in range(2):
            if host.tag in ("h2", "h3", "h4", "strong", "b"):
                break
            host = host.getparent() if host.getparent() is not None else host
        if host.tag not in ("h2", "h3", "h4", "strong", "b"):
            continue
        full = hm.text_of(host)
        if 60 <= len(full) <= 1500 and not _linky(host, full) and ht.text_key(full) != tkey:
            return full
    return None


_BYLINE_CLASS_RE = re.compile(r"author|tacgia|tac-gia|byline|writer|source|nguon|signature", re.I)


_LINE_TAGS = frozenset(("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "td", "section", "article", "blockquote",
                        "figcaption", "footer", "aside", "span"))


_SOURCE_BOX_XP = etree.XPath("//*[contains(concat(' ', normalize-space(@class), ' '), ' link-source-text-name ')]")


def _line_of(el: Any) -> Any:
    """The block element a text piece belongs to (inline wrappers — strong, em, a, b, i — are looked through)."""
    while el is not None and el.tag not in _LINE_TAGS:
        el = el.getparent()
    return el


def _dom_byline(sc: Scan, end: int) -> list[str]:
    """Author or credit lines right after the article's last text piece, in elements that look like a byline
    (bold, right-aligned, or a class naming the author or the source). Text pieces of one block are one line:
    ``<div class="singular-source">Theo <strong>CNBC</strong></div>`` is "Theo CNBC", not an author "CNBC"."""
    lines: list[tuple[str, bool]] = []
    last_line: Any = None
    start = end + 1
    own = _line_of(sc.chunks[end][0]) if 0 <= end < len(sc.chunks) else None
    while own is not None and start < len(sc.chunks):  # the rest of the last paragraph (inline tags split it)
        el = sc.chunks[start][0]
        if el is not own and not any(a is own for a in el.iterancestors()):
            break
        start += 1
    for i in range(start, min(len(sc.chunks), start + 8)):
        el, t = sc.chunks[i]
        line = _line_of(el)
        hinted = False
        for x in (el, line, line.getparent() if line is not None else None):
            if x is None:
                continue
            cls = (x.get("class") or "") + " " + (x.get("style") or "")
            hinted = hinted or x.tag in ("strong", "b", "em", "i") or "right" in cls or \
                bool(_BYLINE_CLASS_RE.search(cls))
        if lines and line is not None and line is last_line:
            prev, h = lines[-1]
            lines[-1] = (hm.squash(prev + " " + t), h or hinted)
        else:
            lines.append((hm.squash(t), hinted))
        last_line = line
    out: list[str] = []
    for t, hinted in lines:
        if len(t) > 90:
            break
        if hinted and (ht.author_names(t) is not None or ht.credit_of(t) is not None
                       or (out and ht.source_outlet_line(t, out[-1]))):
            out.append(t)
        elif out:
            break
    return out


# --------------------------------------------------------------------------------------------------------------
# Homepages and section indexes
# --------------------------------------------------------------------------------------------------------------
def _teasers(blocks: list[ht.Block], sc: Scan) -> int:
    """How many of the text blocks are teasers: a block whose text starts right after a link that reads like a
    headline (within three text pieces) — the repeated "headline link + summary" unit of homepages and section
    pages. An article's paragraphs follow other paragraphs, not headline links."""
    if not blocks or not sc.headline_links:
        return 0
    idx, keys = sc.long_keys()
    start: dict[str, int] = {}
    for i, k in zip(idx, keys):
        start.setdefault(k[:24], i)
    n = 0
    links = sc.headline_links
    for b in blocks:
        i = start.get(b.key[:24]) if len(b.key) >= 24 else None
        if i is None:
            continue
        j = bisect_left(links, i - 3)
        if j < len(links) and links[j] < i:
            n += 1
    return n


def _index_evidence(url: str | None, meta: hm.Meta, body: ht.Body, ctx: ht.Context, tc: hm.TitleChoice,
                    sc: Scan, timed: bool) -> str | None:
    """A reason when the page is a homepage or a section index rather than one article, else None.

    Signals, none decisive alone (weights measured on the 19 pages of ``outlets_2012``): the URL path is "/"
    (3) or a bare section (1); og:type website (1); no article markup — og:type article, JSON-LD NewsArticle,
    article:published_time (0.5); no title heading (1); headline-like links inside the region the text came
    from (≥ 30: 1, ≥ 60: 2 — articles have 0-46, homepages 63-106); the text is mostly link titles (1-2);
    many short fragments (1); no publication time (1). Four points or more make an index page, unless the page
    has article markup and real paragraphs.
    """
    path = urlsplit(url).path if url else None
    root = path in ("", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home")
    section_url = bool(path) and not root and not _ARTICLE_URL_RE.search(path or "") and \
        path.strip("/").count("/") <= 1 and len(path.strip("/")) <= 40  # type: ignore[union-attr]
    og_type = (meta.first("og:type") or "").lower()
    markup = og_type == "article" or meta.ld_article() is not None or bool(meta.first("article:published_time"))
    paras = body.paragraphs
    blocks = _blocks(paras)
    link_paras = sum(1 for b in blocks if b.key in ctx.anchors)
    link_share = link_paras / len(paras) if paras else 0.0
    text_len = sum(len(p) for p in paras)
    long_paras = sum(1 for b in blocks if len(b.text) >= 150 and b.key not in ctx.anchors)
    span = _span(blocks, sc) if paras else None
    inside = 0
    if span is not None:
        inside = bisect_right(sc.headline_links, span[1]) - bisect_left(sc.headline_links, span[0])
    teasers = _teasers(blocks, sc) if len(blocks) >= 3 else 0
    reasons: list[str] = []
    score = 0.0
    if teasers >= 3 and teasers >= 0.5 * len(blocks):
        score += 3
        reasons.append(f"{teasers} of {len(blocks)} text blocks are teasers under headline links")
    link_chars = sum(len(sc.chunks[i][1]) for i in sc.headline_links if i < len(sc.chunks))
    if len(sc.headline_links) >= 20 and (link_chars >= 2 * text_len or text_len < 1500):
        score += 2  # little text, or much less than the headline links hold: an index and a stray box of it
        reasons.append(f"{len(sc.headline_links)} headline links hold {link_chars:,} characters against "
                       f"{text_len:,} of text")
    if root:
        score += 3
        reasons.append(f"URL path {path!r}")
    elif section_url and not markup:
        score += 1
        reasons.append(f"URL {path!r} looks like a section")
    if og_type == "website" and not markup:
        score += 1
        reasons.append("og:type website")
    if not markup:
        score += 0.5
        reasons.append("no article markup")
    if tc.element is None:
        score += 1
        reasons.append("no title heading")
    if inside >= 30:
        score += 2 if inside >= 60 else 1
        reasons.append(f"{inside} headline links among the text")
    if link_share >= 0.3:
        score += 2 if link_share >= 0.5 else 1
        reasons.append(f"{link_share:.0%} of the text blocks are link titles")
    if len(paras) >= 60 and text_len / len(paras) < 120:
        score += 1
        reasons.append(f"{len(paras)} short fragments")
    if not timed:
        score += 1
        reasons.append("no publication time")
    if score >= 4 and not (markup and long_paras >= 3 and inside < 30 and teasers < 3):
        return "not an article: looks like a homepage or section index (" + "; ".join(reasons) + \
               f"; {len(paras)} text blocks, {text_len:,} characters)"
    return None

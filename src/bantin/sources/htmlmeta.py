"""What a news page says about itself: meta tags, JSON-LD, the title, the URL, dates, section, tags, language.

Works on a parsed lxml tree (``html.py`` parses once). Every date string goes through ``clean.dates`` — the
one Vietnamese date parser — whether it comes from ``<meta>``, JSON-LD, ``<time datetime>`` or the visible
date line next to the title ("Thứ tư, 22/10/2025, 19:25 (GMT+7)").

Title: the page's ``<h1>`` or ``og:title`` when the ``<title>`` confirms it, else the ``<title>`` with the outlet
suffixes cut off (" - VnExpress", " | Báo Thanh Niên", "Teen9x News - "), the outlet names coming from
``clean/outlets.py``, the domain and ``og:site_name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import orjson

from bantin.clean.dates import ParsedDate, is_date_line, parse_date
from bantin.clean.fold import fold
from bantin.clean.outlets import Outlet, host_of, is_outlet_name, outlet_for

_WS_RE = re.compile(r"\s+")
ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "BlogPosting", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "TechArticle", "Report", "SatiricalArticle",
})
PUBLISHED_KEYS = ("article:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
                  "publish_date", "og:published_time", "article:published", "dc.date.issued", "dcterms.issued",
                  "dc.date", "date", "sailthru.date", "parsely-pub-date", "citation_publication_date",
                  "datecreated")
MODIFIED_KEYS = ("article:modified_time", "datemodified", "lastmod", "last-modified", "og:updated_time",
                 "dcterms.modified", "article:modified", "dc.date.modified")
#: Class/id words of elements that hold the visible date line.
DATE_CLASS_RE = re.compile(r"date|time|ngay|publish|posted|timer|timestamp|thoigian|thoi-gian|meta", re.I)
#: Words that are not names of people (meta author is often the publisher or a CMS account).
_NOT_A_PERSON_RE = re.compile(
    r"(?i)\b(?:vccorp|corp|company|công ty|jsc|admin|administrator|seo|traffic|team|ban biên tập|bbt|"
    r"tòa soạn|toà soạn|newsroom|editor|webmaster|staff|online|news|báo|tạp chí|\.vn|\.com|\.net)\b")


def squash(s: str | None) -> str:
    return " ".join(s.split()) if s else ""


def text_of(el: Any) -> str:
    try:
        return squash(el.text_content())
    except (ValueError, AttributeError):
        return ""


# --------------------------------------------------------------------------------------------------------------
# Meta tags and JSON-LD
# --------------------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Meta:
    tags: dict[str, list[str]] = field(default_factory=dict)  # lower-case name/property/itemprop → contents
    ld: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD objects (top level and @graph)
    title_tag: str = ""
    lang: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # rel → href (canonical, amphtml, ...)

    def first(self, *keys: str) -> str | None:
        for k in keys:
            for v in self.tags.get(k, ()):
                if v and v.strip():
                    return v.strip()
        return None

    def all(self, *keys: str) -> list[str]:
        out: list[str] = []
        for k in keys:
            out.extend(v.strip() for v in self.tags.get(k, ()) if v and v.strip())
        return out

    def ld_article(self) -> dict[str, Any] | None:
        for obj in self.ld:
            if _types(obj) & ARTICLE_TYPES:
                return obj
        return None

    def ld_of(self, type_name: str) -> Iterator[dict[str, Any]]:
        for obj in self.ld:
            if type_name in _types(obj):
                yield obj


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {x for x in t if isinstance(x, str)}
    return set()


def _flatten_ld(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 3:
        return
    if isinstance(data, list):
        for x in data:
            _flatten_ld(x, out, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            _flatten_ld(data["@graph"], out, depth + 1)
        if "@type" in data:
            out.append(data)
            main = data.get("mainEntity")
            if isinstance(main, (dict, list)):
                _flatten_ld(main, out, depth + 1)


_CTRL_RE = re.compile(r"[\x00-\x1f]")


def _load_json(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().rstrip(";")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:  # raw newlines/tabs inside strings are common in hand-made JSON-LD
        return orjson.loads(_CTRL_RE.sub(" ", text))
    except orjson.JSONDecodeError:
        return None


def read_meta(tree: Any) -> Meta:
    m = Meta()
    for el in tree.iter("meta", "link", "script", "title", "html"):
        tag = el.tag
        if tag == "meta":
            content = el.get("content")
            if content is None:
                content = el.get("value")
            if content is None:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                k = el.get(attr)
                if k:
                    for key in k.lower().split():
                        m.tags.setdefault(key, []).append(content)
        elif tag == "link":
            rel = (el.get("rel") or "").lower()
            href = el.get("href")
            if rel and href:
                for r in rel.split():
                    m.links.setdefault(r, href.strip())
        elif tag == "script":
            if (el.get("type") or "").lower().strip() == "application/ld+json" and el.text:
                data = _load_json(el.text)
                if data is not None:
                    _flatten_ld(data, m.ld)
        elif tag == "title":
            if not m.title_tag:
                m.title_tag = squash(el.text_content())
        elif tag == "html":
            lang = el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang")
            if lang:
                m.lang = lang
    return m


def ld_text(v: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, {"name": ...} objects by name, lists joined."""
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, dict):
        return ld_text(v.get("name") or v.get("@value"))
    if isinstance(v, list):
        parts = [t for t in (ld_text(x) for x in v) if t]
        return ", ".join(parts) if parts else None
    return None


# --------------------------------------------------------------------------------------------------------------
# URL and outlet
# --------------------------------------------------------------------------------------------------------------
def _clean_url(u: str | None, base: str | None) -> str | None:
    if not u:
        return None
    u = u.strip()
    if base:
        try:
            u = urljoin(base, u)
        except ValueError:
            return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _site(host: str | None) -> str | None:
    """The registrable part of a host, roughly: the last two labels, three under .com.vn-style suffixes."""
    if not host:
        return None
    parts = host.split(".")
    n = 3 if len(parts) >= 3 and parts[-2] in ("com", "org", "net", "gov", "edu", "ac", "co") else 2
    return ".".join(parts[-n:])


def page_url(meta: Meta, fetched: str | None) -> str | None:
    """The article's URL: og:url, else the canonical link, else the URL it was fetched from.

    og:url and canonical are used only when they are on the same site as the fetched URL (when that is known):
    some CMSs put the section page or another article there, and a page saved from site A never names site B.
    """
    base = _clean_url(fetched, None)
    site = _site(host_of(base)) if base else None
    for cand in (meta.first("og:url"), meta.links.get("canonical")):
        u = _clean_url(cand, base)
        if u is None:
            continue
        if site is not None and _site(host_of(u)) != site:
            continue
        if urlsplit(u).path in ("", "/") and base and urlsplit(base).path not in ("", "/"):
            continue  # a canonical pointing at the homepage from an article
        return u
    return base


# --------------------------------------------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------------------------------------------
_TITLE_SEP_RE = re.compile(r"\s+[-|–—:»·•]\s+|\s*\|\s*|\s+-(?=\S)|(?<=\S)-\s+")
_TITLE_SEP_HARD_RE = re.compile(r"\s*[|»]\s*|\s+[-–—·•]\s+")


def _key(s: str) -> str:
    return re.sub(r"[\W_]+", "", fold(s))


def site_names(meta: Meta, outlet: Outlet | None, host: str | None) -> list[str]:
    names: list[str] = []
    if outlet is not None:
        names.extend(outlet.names)
    sn = meta.first("og:site_name", "application-name", "apple-mobile-web-app-title")
    if sn:
        names.append(sn)
    if host:
        names.append(host)
        names.append(host.split(".")[0])
        if outlet is not None:
            names.append(outlet.domain)
            names.append(outlet.domain.split(".")[0])
    return [n for n in names if n and len(_key(n)) >= 2]


def _mentions_site(segment: str, names: Iterable[str]) -> bool:
    k = _key(segment)
    if not k:
        return True
    for n in names:
        nk = _key(n)
        if nk and (nk in k) and len(nk) >= 3:
            return True
    return False


def strip_site(title: str, names: list[str], sections: Iterable[str] = ()) -> str:
    """Cut outlet names off either end of a page title: " - VnExpress", " | Báo Thanh Niên", "Teen9x News - ".

    A segment goes when it names the page's own site (``names``: outlet names, og:site_name, the domain) or an
    outlet of the table; once an outlet segment went, a short segment before it (≤ 3 words: the section, as
    in "… - Kinh doanh - Dân trí") goes too, as long as the headline keeps 4 words. When the part after the
    last " | " names the site, the headline is what comes before the first " | ".
    """
    t = squash(title)
    secs = {_key(s) for s in sections if s}

    def sitey(seg: str) -> bool:
        return _mentions_site(seg, names) or is_outlet_name(seg)

    stripped = False
    if " | " in t:
        first, *_, last = t.split(" | ")
        if sitey(last) and len(first.split()) >= 3:
            t = first
            stripped = True
    for _ in range(5):
        parts = _TITLE_SEP_HARD_RE.split(t)
        if len(parts) < 2:
            parts = _TITLE_SEP_RE.split(t)
        if len(parts) < 2:
            break
        last, first = parts[-1], parts[0]
        rest_words = len(t[: _last_sep_start(t, last)].split())
        if sitey(last) or _key(last) in secs or (stripped and len(last.split()) <= 3 and rest_words >= 4):
            t = t[: _last_sep_start(t, last)].strip()
            stripped = True
            continue
        if sitey(first) and len(_key(first)) < len(_key(t)) // 2:
            t = t[len(first):].lstrip(" -|–—:»·•").strip()
            continue
        break
    return t


def _last_sep_start(t: str, last: str) -> int:
    i = t.rfind(last)
    j = i
    while j > 0 and t[j - 1] in " -|–—:»·•":
        j -= 1
    return j


@dataclass(slots=True)
class TitleChoice:
    text: str | None
    element: Any = None  # the h1/heading element it came from (anchors the search for the date line)
    source: str = ""


def choose_title(tree: Any, meta: Meta, names: list[str], headings: list[Any]) -> TitleChoice:
    """The article's title (see the module docstring).

    1. a heading (h1 first) that the ``<title>`` contains, where what comes before it in the ``<title>`` is at
       most a short site prefix ("Teen9x News - "): a heading found only after the article's own title is the
       site's slogan ("… | Trang thông tin dành cho giới trẻ - VnExpress iOne");
    2. og:title / JSON-LD headline / twitter:title confirmed the same way, outlet suffix cut;
    3. a structured title that an h1 repeats; any structured title;
    4. the ``<title>`` with the outlet cut off.
    """
    t_tag = meta.title_tag
    tkey = _key(t_tag)
    heads: list[tuple[str, Any, str]] = []
    for h in headings:
        txt = text_of(h)
        if 4 <= len(txt) <= 400:
            heads.append((txt, h, h.tag))
    structured: list[tuple[str, Any, str]] = []
    ld = meta.ld_article()
    for src, val in (("og:title", meta.first("og:title")), ("ld:headline", ld_text(ld.get("headline")) if ld else None),
                     ("twitter:title", meta.first("twitter:title")), ("its_title", meta.first("its_title"))):
        if val:
            structured.append((squash(val), None, src))

    def confirmed(txt: str) -> bool:
        k = _key(txt)
        if len(k) < 4 or not tkey:
            return False
        i = tkey.find(k)
        if i < 0:
            return False
        if i == 0:
            return True
        prefix = t_tag[: max(0, _raw_pos(t_tag, txt))]
        return len(prefix.split()) <= 4 and bool(re.search(r"[-|–—:»]\s*$", prefix.strip() + " ")) or \
            _mentions_site(prefix, names)

    for group in (heads, structured):
        best: tuple[str, Any, str] | None = None
        for txt, el, src in group:
            if _is_site_heading(txt, names) or not confirmed(txt):
                continue
            if best is None or len(_key(txt)) > len(_key(best[0])):
                best = (txt, el, src)
        if best is not None:
            if best[1] is None:
                title = strip_site(best[0], names)
                h = _matching_heading(headings, title)
                if h is None:
                    printed = _printed_headline(heads, title, names)
                    if printed is not None:  # the headline as readers see it (og:title is often an SEO variant)
                        return TitleChoice(printed[0], printed[1], "h1")
                return TitleChoice(title, h, best[2])
            return TitleChoice(best[0], best[1], best[2])
    for txt, _el, src in structured:
        if not _is_site_heading(txt, names):
            h = _matching_heading(headings, txt)
            if h is not None:
                return TitleChoice(strip_site(txt, names), h, src)
    for txt, _el, src in structured:
        if not _is_site_heading(txt, names):
            title = strip_site(txt, names)
            return TitleChoice(title, _matching_heading(headings, title), src)
    if t_tag:
        title = strip_site(t_tag, names)
        h1s = [(txt, el) for txt, el, tag in heads if tag == "h1" and not _is_site_heading(txt, names)]
        if len(h1s) == 1 and len(h1s[0][0].split()) >= 3 and _key(title) and _key(title) in _key(h1s[0][0]):
            return TitleChoice(h1s[0][0], h1s[0][1], "h1")  # the <title> is a shortened headline
        if title and not _is_site_heading(title, names):
            return TitleChoice(title, _matching_heading(headings, title), "title")
    return TitleChoice(None)


def _printed_headline(heads: list[tuple[str, Any, str]], title: str, names: list[str]) -> tuple[str, Any] | None:
    """The page's one article ``<h1>`` when it words the headline differently from og:title: at least three words,
    not the site's name, and sharing at least half of its syllables with the structured title (a rewording, not
    a slogan or a section name)."""
    h1s = [(txt, el) for txt, el, tag in heads if tag == "h1" and not _is_site_heading(txt, names)
           and len(txt.split()) >= 3]
    if len(h1s) != 1:
        return None
    a, b = (set(re.sub(r"[\W_]+", " ", fold(x)).split()) for x in (h1s[0][0], title))
    if not a or not b or len(a & b) < 0.5 * min(len(a), len(b)):
        return None
    return h1s[0]


def _raw_pos(t_tag: str, txt: str) -> int:
    """Where ``txt`` starts in the raw ``<title>`` (ignoring case and spacing); -1 if not found."""
    i = t_tag.find(txt)
    if i >= 0:
        return i
    words = txt.split()
    return t_tag.find(words[0]) if words else -1


def _is_site_heading(txt: str, names: list[str]) -> bool:
    """A heading that is just the site's own name or slogan ("Trang thông tin ... - VnExpress iOne")."""
    stripped = strip_site(txt, names)
    return not _key(stripped) or (stripped != txt and len(_key(stripped)) < 0.5 * len(_key(txt)))


def _matching_heading(headings: list[Any], txt: str) -> Any:
    k = _key(txt)
    for h in headings:
        hk = _key(text_of(h))
        if hk and (hk == k or (len(hk) >= 10 and (hk in k or k in hk))):
            return h
    return None


# --------------------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class DateFound:
    date: ParsedDate
    text: str
    source: str

    @property
    def has_time(self) -> bool:
        return self.date.granularity in ("hour", "minute", "second")


_DAY_OR_FINER = frozenset(("day", "hour", "minute", "second"))


def _parse_struct(text: str | None, source: str) -> DateFound | None:
    if not text:
        return None
    s = squash(str(text))
    if not s or len(s) > 80:
        return None
    pd = parse_date(s, whole=True) or parse_date(s)
    if pd is None or pd.granularity not in _DAY_OR_FINER or pd.relative:
        return None
    return DateFound(pd, s, source)


def structured_dates(meta: Meta, tree: Any) -> tuple[list[DateFound], list[DateFound]]:
    """(published, modified) date candidates from JSON-LD, meta tags and ``<time datetime>``, best first."""
    pub: list[DateFound] = []
    mod: list[DateFound] = []
    ld = meta.ld_article()
    if ld is not None:
        for key, out in (("datePublished", pub), ("dateCreated", pub), ("dateModified", mod)):
            d = _parse_struct(ld_text(ld.get(key)), f"ld:{key}")
            if d:
                out.append(d)
    for key in PUBLISHED_KEYS:
        d = _parse_struct(meta.first(key), f"meta:{key}")
        if d:
            pub.append(d)
    for key in MODIFIED_KEYS:
        d = _parse_struct(meta.first(key), f"meta:{key}")
        if d:
            mod.append(d)
    for t in tree.iter("time"):
        if (t.get("itemprop") or "").lower() == "datepublished" or t.get("pubdate") is not None:
            d = _parse_struct(t.get("datetime") or text_of(t), "time[datePublished]")
            if d:
                pub.append(d)
                break
    return pub, mod


def visible_date(chunks: list[tuple[Any, str]], anchor: int | None, ref: datetime | None) -> DateFound | None:
    """The date line shown next to the title: the nearest text chunk after (then before) the title that is a
    date line; a date without a time takes the time from a chunk just after it when one follows."""
    if not chunks or anchor is None:
        return None
    for rng in (range(anchor, min(len(chunks), anchor + 60)), range(anchor - 1, max(-1, anchor - 25), -1)):
        first: DateFound | None = None
        first_i = 0
        for i in rng:
            if first is not None and abs(i - first_i) > 6:
                break
            d = _date_at(chunks, i, ref)
            if d is None or (d.date.relative and abs(i - anchor) > 8):
                continue
            if d.has_time:
                if first is None or first.date.value.date() == d.date.value.date():
                    return d
                break
            if first is None:
                first, first_i = d, i
        if first is not None:
            return first
    return None


def _date_at(chunks: list[tuple[Any, str]], i: int, ref: datetime | None) -> DateFound | None:
    s = squash(chunks[i][1])
    if len(s) > 120 or not any(c.isdigit() for c in s) and "trước" not in s and "qua" not in s:
        return None
    pd = is_date_line(s.strip(" |-–—•·()[]"), ref=ref) or _joined_date(chunks, i, ref)
    return DateFound(pd, s, "visible") if pd is not None else None


def _joined_date(chunks: list[tuple[Any, str]], i: int, ref: datetime | None) -> ParsedDate | None:
    """A date line split over adjacent chunks ("<span>Thứ hai</span>, <span>24/12/2012</span> 15:02")."""
    parts = [squash(chunks[j][1]) for j in range(i, min(len(chunks), i + 3))]
    s = " ".join(parts)
    if len(s) > 120:
        return None
    return is_date_line(s.strip(" |-–—•·()[]"), ref=ref)


def date_class_candidates(elements: Iterable[Any], ref: datetime | None) -> list[DateFound]:
    """Date lines in elements whose class or id says date/time (``elements``: from the page scan)."""
    out: list[DateFound] = []
    for el in elements:
        s = text_of(el)
        if not s or len(s) > 120:
            continue
        pd = is_date_line(s.strip(" |-–—•·()[]"), ref=ref)
        if pd is not None and not pd.relative:
            out.append(DateFound(pd, s, "visible:class"))
    return out


# --------------------------------------------------------------------------------------------------------------
# Section, tags, authors, language
# --------------------------------------------------------------------------------------------------------------
_HOME_RE = re.compile(r"^(?:trang chủ|trang chu|home|homepage|tin tức|trang nhất|diễn đàn)$", re.I)
def section_of(meta: Meta, breadcrumbs: list[Any], names: list[str], title: str | None) -> str | None:
    """The section: JSON-LD BreadcrumbList, else the page's breadcrumb (``breadcrumbs``: elements from the page
    scan), else article:section / articleSection; the homepage and the outlet's own name are skipped."""
    for bl in meta.ld_of("BreadcrumbList"):
        items = bl.get("itemListElement")
        if isinstance(items, list):
            for it in sorted((x for x in items if isinstance(x, dict)), key=lambda x: _pos(x.get("position"))):
                name = ld_text(it.get("name")) or ld_text(it.get("item"))
                if name and _good_section(name, names, title):
                    return squash(name)
    for el in breadcrumbs[:3]:
        anchors = [text_of(a) for a in el.iter("a")] or [text_of(el)]
        for a in anchors:
            for part in re.split(r"\s*[›»>/|]\s*", a):
                if part and _good_section(part, names, title):
                    return part
    sec = meta.first("article:section") or ld_text((meta.ld_article() or {}).get("articleSection"))
    if sec and _good_section(sec, names, title):
        return squash(sec)
    return None


def _pos(v: Any) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 999


_GENERIC = frozenset(("news", "tin tuc", "article", "articles", "home", "post", "posts", "blog", "detail", "bai viet",
                      "uncategorized", "general", "trang chu", "tin moi", "moi nhat"))


def _good_section(s: str, names: list[str], title: str | None) -> bool:
    s = squash(s)
    if not s or len(s) > 40 or _HOME_RE.match(s) or _mentions_site(s, names) or fold(s) in _GENERIC:
        return False
    return not (title and _key(s) == _key(title))


_TAG_SPLIT_RE = re.compile(r"\s*[,;]\s*")
_HAS_VI_RE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
_TAG_LABEL_RE = re.compile(r"^(?:tags?|từ khóa|từ khoá|xem thêm chủ đề|xem thêm|chủ đề|keywords?)\s*:?\s*", re.I)


def tags_of(meta: Meta, tag_boxes: list[Any]) -> list[str]:
    """Tags: article:tag, JSON-LD keywords, meta (news_)keywords when written with diacritics (SEO keyword lists
    without them are not the article's tags), else a visible tag box (``tag_boxes``: from the page scan)."""
    tags = meta.all("article:tag")
    ld = meta.ld_article()
    if not tags and ld is not None and ld.get("keywords"):
        kw = ld.get("keywords")
        tags = [t for t in (_TAG_SPLIT_RE.split(kw) if isinstance(kw, str) else [ld_text(x) or "" for x in kw])
                if t] if isinstance(kw, (str, list)) else []
    if len(tags) <= 1:
        for kw in (meta.first("news_keywords"), meta.first("keywords")):
            if kw and _HAS_VI_RE.search(kw):
                split = [t for t in _TAG_SPLIT_RE.split(kw) if t]
                if 1 <= len(split) <= 20:
                    tags = split
                    break
    if not tags:
        for el in tag_boxes[:4]:
            anchors = [text_of(a) for a in el.iter("a")]
            items = [a for a in anchors if a] or _TAG_SPLIT_RE.split(_TAG_LABEL_RE.sub("", text_of(el)))
            items = [_TAG_LABEL_RE.sub("", squash(t)) for t in items]
            items = [t for t in items if t and len(t) <= 60]
            if items and _HAS_VI_RE.search(" ".join(items)) and len(items) <= 30:
                tags = items
                break
    out: list[str] = []
    seen: set[str] = set()
    for t in tags:
        t = squash(t).strip(",;")
        if t and len(t) <= 80 and fold(t) not in seen and fold(t) not in _GENERIC:
            seen.add(fold(t))
            out.append(t)
    return out


_OWN_DESK_RE = re.compile(r"^(?P<name>[^()\[\]]+?)\s*[(\[](?P<desk>[^()\[\]]+)[)\]]$")


def without_own_desk(n: str, names: Iterable[str]) -> str:
    """ "Phùng Anh (VTV Online)" on vtv.vn → "Phùng Anh": a bracketed tail naming the page's own site is the
    outlet's desk, not part of the writer's name (nor a syndication credit: that one names another outlet)."""
    m = _OWN_DESK_RE.match(squash(n))
    if m and _mentions_site(m.group("desk"), names):
        return m.group("name").strip()
    return n


def meta_authors(meta: Meta, names: list[str]) -> list[str]:
    """Authors named in JSON-LD (Person only) or meta tags, without publishers and CMS accounts."""
    out: list[str] = []
    ld = meta.ld_article()
    if ld is not None:
        a = ld.get("author")
        for x in a if isinstance(a, list) else [a]:
            if isinstance(x, dict) and "Person" in _types(x):
                n = ld_text(x.get("name"))
                n = without_own_desk(n, names) if n else n
                if n and plausible_person(n, names):
                    out.append(squash(n))
    if not out:
        for n in meta.all("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
            if n.startswith("http"):
                continue
            n = without_own_desk(n, names)
            if plausible_person(n, names):
                out.append(squash(n))
                break
    return out


def author_strings(meta: Meta) -> list[str]:
    """Every author string the page declares, as written (JSON-LD author names, then the author meta tags)."""
    out: list[str] = []
    ld = meta.ld_article()
    if ld is not None:
        a = ld.get("author")
        for x in a if isinstance(a, list) else [a]:
            n = ld_text(x.get("name")) if isinstance(x, dict) else (x if isinstance(x, str) else None)
            if n:
                out.append(n)
    out += [n for n in meta.all("author", "article:author") if not n.startswith("http")]
    return out


def plausible_person(n: str, names: list[str]) -> bool:
    n = squash(n)
    if not n or len(n) > 60 or _mentions_site(n, names) or _NOT_A_PERSON_RE.search(n):
        return False
    if re.match(r"(?i)(?:theo|nguồn)\b", n) or any(c in n for c in "()[]/;:@"):
        return False
    words = n.split()
    if not 2 <= len(words) <= 6:
        return False
    return all(w[:1].isupper() for w in words if w[:1].isalpha())


def language_of(meta: Meta) -> str | None:
    lang = meta.lang or meta.first("content-language", "og:locale", "inlanguage", "language")
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None

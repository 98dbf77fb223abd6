"""The article text of a news page: trafilatura's main text plus a Vietnamese layer on top.

trafilatura finds the main content well but, on Vietnamese pages, drops the sapo (the bold lead under the title)
and the photo captions, leaves the byline ("Lê Phương") and the syndication credit ("Theo TTXVN") in the body,
and keeps lists of related links and the title/date lines that some layouts repeat above the text. This module
takes trafilatura's blocks and the page's DOM and separates them into:

* ``sapo``       from the element the page marks as its lead (class sapo/lead/description…, right under the title),
                 else a heading right under the title, else the first paragraph when the page's description is it;
                 removed from the body so it is not there twice (the cleaner keeps it as the article's lead);
* ``captions``   figcaption and caption-class elements inside the article, and body lines that are captions;
* ``authors``    the byline at the end of the article ("Lê Phương", "Tin, ảnh: Vũ Phương Thảo", "K. Miên");
* ``credit``     "Theo TTXVN", "(Theo AFP)", "Nguồn: Dân trí" → "TTXVN", "AFP", "Dân trí";
* ``paragraphs`` what remains, without related-link lists, navigation words and repeated title/date lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from bantin.clean.dates import ParsedDate, is_date_line
from bantin.clean.byline import (  # noqa: F401 - re-exported: the rules of bylines and credits live in clean
    _CREDIT_RE, _PHOTO_ONLY_RE, _ROLE_RE, _TRAILING_CREDIT_RE, _TRAILING_NOTE_RE, author_names, credit_of, split_credit,
    squash,
)
from bantin.clean.fold import fold, text_key, text_keys

_WS_RE = re.compile(r"\s+")


@dataclass(slots=True)
class Block:
    text: str
    kind: str  # "p", "head", "item", "row", "quote"
    cls: str = ""  # the source element's class (trafilatura keeps it)
    key: str | None = None  # text_key of the text; "" = to be filled in by ``with_keys``

    def __post_init__(self) -> None:
        if self.key is None:
            self.key = text_key(self.text)


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    sapo: str | None = None
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    credit: str | None = None
    dates: list[tuple[ParsedDate, str]] = field(default_factory=list)  # date lines removed from the body
    flags: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------------
# trafilatura → blocks
# --------------------------------------------------------------------------------------------------------------
def _text(el: Any) -> str:
    for lb in el.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return "".join(el.itertext())


def blocks_from(body: Any) -> list[Block]:
    """trafilatura's output tree → one block per paragraph, heading, list item or table row."""
    out: list[Block] = []
    if body is None:
        return out
    _fill(out, body)
    return with_keys(out)


def with_keys(blocks: list[Block]) -> list[Block]:
    """Set every block's comparison key in one vectorised pass."""
    missing = [b for b in blocks if not b.key]
    if missing:
        for b, k in zip(missing, text_keys([b.text for b in missing]), strict=True):
            b.key = k
    return blocks


def _fill(out: list[Block], body: Any) -> None:
    def add(text: str, kind: str, cls: str) -> None:
        for part in text.split("\n"):
            t = squash(part)
            if t:
                out.append(Block(t, kind, cls, key=""))

    if body.text and body.text.strip():
        add(body.text, "p", "")
    for el in body:
        tag = el.tag
        if tag == "list":
            for item in el.iter("item"):
                add(squash(_text(item)) if len(item) == 0 else _own_text(item), "item", item.get("class") or "")
        elif tag == "table":
            for row in el.iter("row"):
                cells = [squash(_text(c)) for c in row.iter("cell")]
                cells = [c for c in cells if c]
                if cells:
                    add(" | ".join(cells), "row", "")
        elif tag == "graphic":
            pass
        else:
            kind = "head" if tag == "head" else ("quote" if tag == "quote" else "p")
            add(_text(el), kind, el.get("class") or el.get("rend") or "")
        if el.tail and el.tail.strip():
            add(el.tail, "p", "")


def _own_text(item: Any) -> str:
    """An item's text without nested lists (their items come as their own blocks)."""
    parts = [item.text or ""]
    for c in item:
        if c.tag != "list":
            parts.append("".join(c.itertext()))
        parts.append(c.tail or "")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------------------
# The Vietnamese layer
# --------------------------------------------------------------------------------------------------------------
_NAV = {text_key(s) for s in (
    "[Quay lại]", "Quay lại", "Về đầu trang", "Lên đầu trang", "In bài", "Bản in", "Gửi bài", "Gửi cho bạn bè",
    "Chia sẻ", "Bình luận", "Gửi bình luận", "Ý kiến của bạn", "Ý kiến bạn đọc", "Xem thêm", "Đọc thêm",
    "Tin liên quan", "Bài liên quan", "Tin bài liên quan", "Tin cùng chuyên mục", "Các tin khác", "Tin khác",
    "Tin mới", "Tin mới hơn", "Tin cũ hơn", "Có thể bạn quan tâm", "Đọc nhiều nhất", "Xem nhiều nhất",
    "Tin cùng mục", "Tin nổi bật", "Tin đọc nhiều", "Bài viết liên quan", "Tin bài khác", "Bạn nghĩ gì?",
    "Theo dõi", "Like", "Share", "Tweet", "Email", "Print", "Top", "TAG", "Tags", "Từ khóa", "Từ khoá",
    "Xem tiếp", "Video đang được xem nhiều", "Đăng nhập", "Chọn", "Facebook", "Zalo",
    # the "link to the original" box under a republished text (CafeF, Soha, Kenh14: "Theo Tiền Phong")
    "Copy link", "Lấy link", "Lấy link!", "Link bài gốc", "Sao chép liên kết", "Link đã copy!")}
_RELATED_HEADS = {text_key(s) for s in (
    "Tin liên quan", "Bài liên quan", "Tin bài liên quan", "Tin cùng chuyên mục", "Các tin khác", "Tin khác",
    "Có thể bạn quan tâm", "Xem thêm", "Đọc thêm", "Tin cùng mục", "Bài viết liên quan", "Tin bài khác",
    "Tin mới", "Tin đã đưa", "Các tin đã đưa", "Các bài đã đăng", "Liên quan", "Tin tức gần đây",
    "Tin cùng sự kiện", "Tin bài cùng sự kiện")}
_LINK_DECOR_RE = re.compile(r"^(?:[-•·»>*]+|\d{1,2}[.)])\s*|\s*(?:\(\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\)|"
                            r"(?:Ngày|-|\|)?\s*\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?(?:\s+\d{1,2}:\d{2})?)\s*$")
_OUTLET_TAG_RE = re.compile(r"^\(\s*([^()]{2,24})\s*\)\s*[-–—:]?\s*\S")
_CAPTION_TAIL_RE = re.compile(r"(?:^|[.\s(])(?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Nguồn ảnh|Ảnh chụp màn hình)\s*[:：]"
                              r"\s*[^.]{2,60}\.?\)?\s*$")


@dataclass(slots=True)
class Context:
    """What the page's DOM tells the text layer."""

    title: str | None = None
    sapo: str | None = None  # the lead found in the DOM, if any
    description: str | None = None
    captions: dict[str, str] = field(default_factory=dict)  # text_key → caption text (inside the article)
    all_captions: set[str] = field(default_factory=set)  # keys of every caption-class text on the page
    anchors: set[str] = field(default_factory=set)  # text_key of link texts (related-article lists)
    site_tags: set[str] = field(default_factory=set)  # folded outlet tags: "tno", "nldo", "dan tri"...


def _strip_cells(t: str) -> str:
    return t.strip(" |")


def _is_linkish(b: Block, anchors: set[str]) -> bool:
    if b.key in anchors and len(b.key) >= 8:
        return True
    t = _LINK_DECOR_RE.sub("", b.text)
    t = _LINK_DECOR_RE.sub("", t)
    k = text_key(t)
    return len(k) >= 8 and k in anchors


def _date_beside_title(b: Block, ctx: Context, out: Body) -> bool:
    """A line holding the title and a date ("Tiêu đề | 22/10/2025 19:25"): keep the date; True if there was one."""
    rest = _without_title(b.text, ctx.title or "")
    pd = is_date_line(rest.strip(" |-–—")) if rest else None
    if pd is not None:
        out.dates.append((pd, rest))
    return pd is not None


def refine(blocks: list[Block], ctx: Context) -> Body:
    out = Body()
    title_key = text_key(ctx.title) if ctx.title else ""
    bl = list(blocks)

    # 1. Lines above the text that repeat the title or show the date (some layouts put them in the content).
    i = 0
    while i < min(len(bl), 6):
        b = bl[i]
        if title_key and (b.key == title_key or (b.kind == "head" and len(title_key) > 10 and title_key in b.key
                                                  and len(b.key) < len(title_key) + 40)):
            if b.key != title_key:
                _date_beside_title(b, ctx, out)
            del bl[i]
            if 0 < i <= 3 and all(len(x.text) <= 40 for x in bl[:i]):
                del bl[:i]  # a section name or a "Chia sẻ:" label printed above the headline is not text
                i = 0
            continue
        if title_key and title_key in b.key and len(b.key) < len(title_key) + 60 and _date_beside_title(b, ctx, out):
            del bl[i]
            continue
        if len(b.text) <= 80:
            pd = is_date_line(b.text.strip(" |-–—"))
            if pd is not None:
                out.dates.append((pd, b.text))
                del bl[i]
                continue
        if b.key in _NAV:
            del bl[i]
            continue
        i += 1

    # 2. The sapo.
    sapo = ctx.sapo
    if sapo:
        skey = text_key(sapo)
        for j in range(min(len(bl), 6)):
            k = bl[j].key
            if k and (k == skey or (len(k) >= 30 and (skey.startswith(k) or k.startswith(skey)))):
                if len(k) > len(skey):
                    sapo = bl[j].text  # the body's copy is the longer (the DOM one was cut)
                del bl[j]
                break
    else:
        sapo = _sapo_from_blocks(bl, ctx)
    out.sapo = sapo
    # the first paragraph(s) can still repeat the lead (the DOM copy was shorter or cut with "...")
    if sapo:
        skey = text_key(sapo.rstrip(".… "))
        while bl and len(skey) >= 30 and (bl[0].key == skey or bl[0].key.startswith(skey[:60])):
            del bl[0]

    # 3. Captions, navigation words, "» related" lines anywhere in the text.
    kept: list[Block] = []
    caps: list[tuple[int, str]] = []  # (position in kept, caption)
    for b in bl:
        core = _strip_cells(b.text)
        ck = text_key(core) if core != b.text else b.key
        if b.kind == "caption" or ck in ctx.captions or (ck in ctx.all_captions and len(ck) >= 12):
            caps.append((len(kept), ctx.captions.get(ck, core)))
            continue
        if (b.kind == "row" or len(core) < 300) and _CAPTION_TAIL_RE.search(core) and not b.kind == "head":
            caps.append((len(kept), core))
            continue
        if b.key in _NAV or not b.key:
            continue
        if b.text.startswith((">>", "»", "=>", "- >>")) and _is_linkish(b, ctx.anchors):
            continue
        kept.append(b)
    cap_chars = sum(len(c) for _, c in caps)
    text_chars = sum(len(b.text) for b in kept if len(b.text) >= 80)
    if caps and cap_chars > text_chars:
        # a photo story: the captions are the text; keep them in place
        for n, (at, c) in enumerate(caps):
            kept.insert(at + n, Block(c, "p", "caption"))
        out.flags.append("photo-story")
        ctx.captions = {}
    else:
        for _, c in caps:
            _add_caption(out, c)
    bl = kept

    # 4. Related-article lists at the end (and a "Tin liên quan" head followed by links).
    _trim_related(bl, ctx.anchors)

    # 5. Byline and credit at the end.
    inside = [c for c in ctx.captions.values() if len(c) >= 40]
    take_byline(bl, out, captions_are_text=len(inside) >= 3)
    _trim_related(bl, ctx.anchors)

    # A photo story whose captions the extractor left out (CafeF, Tiền Phong): what remains of the text is far
    # shorter than the captions inside the article, so the captions are the text, in page order.
    if len(inside) >= 3 and sum(len(b.text) for b in bl if len(b.text) >= 80) < 0.5 * sum(map(len, inside)):
        bl = [b for b in bl if len(b.text) >= 80] + [Block(c, "p", "caption") for c in inside]
        out.flags.append("photo-story")
        ctx.captions = {}

    # Captions inside the article that trafilatura left out altogether.
    for c in ctx.captions.values():
        _add_caption(out, c)
    out.paragraphs = [b.text for b in bl]
    return out


def _without_title(text: str, title: str) -> str:
    i = text.find(title)
    if i >= 0:
        return (text[:i] + " " + text[i + len(title):]).strip()
    return text


def _add_caption(out: Body, c: str) -> None:
    c = squash(c)
    if c and text_key(c) not in {text_key(x) for x in out.captions}:
        out.captions.append(c)


_SAPO_CLASS_RE = re.compile(r"sapo|lead|description|summary|chapeau|phead|intro|excerpt|abstract", re.I)


def _sapo_from_blocks(bl: list[Block], ctx: Context) -> str | None:
    """No marked lead: a block whose source class says lead, a heading-like block or an outlet-tagged paragraph
    right at the top, or the first paragraph when the page's description is that paragraph."""
    for j in range(min(len(bl), 4)):
        b = bl[j]
        if b.cls and _SAPO_CLASS_RE.search(b.cls) and not _SAPO_BAD_CLASS_RE.search(b.cls) and len(b.text) >= 30:
            del bl[j]
            return b.text
    for j in range(min(len(bl), 3)):
        b = bl[j]
        m = _OUTLET_TAG_RE.match(b.text)
        tagged = bool(m and (fold(m.group(1)).replace(".", "") in ctx.site_tags
                             or (m.group(1).isupper() and 2 <= len(m.group(1)) <= 6)))
        if tagged and len(b.text) >= 40:
            del bl[j]
            return b.text
        if b.kind == "head" and len(b.text) >= 60 and j <= 1 and not b.text.isupper():
            # (a heading in capitals is an e-magazine's printed headline, not its lead)
            del bl[j]
            return b.text
    if ctx.description and bl:
        dk = text_key(ctx.description.rstrip(".… "))
        k = bl[0].key
        if len(dk) >= 40 and k and (k == dk or (k.startswith(dk) and len(dk) >= 0.9 * len(k))) and len(bl) > 1:
            return bl.pop(0).text
    return None


_END_RE = re.compile(
    r"^(?:hoan nghênh ý kiến|ý kiến của bạn|gửi ý kiến|bình luận của bạn|ý kiến bạn đọc|bạn đọc gửi bình luận|"
    r"viết bình luận|gửi bình luận|mời bạn đọc gửi|bình luận \(|tin cùng chuyên mục|các tin khác|tin liên quan|"
    r"bài liên quan|xem thêm các bài|copyright|bản quyền thuộc)|ghi rõ nguồn|không được sao chép|"
    r"hoan nghênh (?:ý kiến|bình luận)|mời bạn đọc (?:gửi|bình luận)|"
    r"các (?:ý kiến|thảo luận|bình luận) sẽ được (?:xem xét|biên tập)", re.I)


def _trim_related(bl: list[Block], anchors: set[str]) -> None:
    """Cut what follows the article: reader-comment boilerplate, a "Tin liên quan" head followed by links, and
    a trailing run of link titles with their teasers."""
    n = len(bl)
    for j in range(2, n):  # reader-comment boilerplate ends the article wherever it comes
        b = bl[j]
        if len(b.text) <= 400 and _END_RE.search(b.text):
            del bl[j:]
            break
    n = len(bl)
    for j in range(n - 1, max(0, n // 2 - 1), -1):
        b = bl[j]
        if b.key in _RELATED_HEADS and len(b.text) <= 40:
            after = bl[j + 1:]
            if not after or sum(_is_linkish(x, anchors) or len(x.text) < 90 for x in after) >= 0.7 * len(after):
                del bl[j:]
                break
    # a trailing run of links, their teasers and short section heads
    cut = len(bl)
    j = len(bl) - 1
    linky_seen = 0
    while j > 0:
        b = bl[j]
        if _is_linkish(b, anchors) or b.key in _NAV or b.key in _RELATED_HEADS:
            linky_seen += 1
            j -= 1
            cut = j + 1
            continue
        if b.kind == "head" and len(b.text) < 40:
            j -= 1
            cut = j + 1
            continue
        if len(b.text) < 300 and _is_linkish(bl[j - 1], anchors) and (linky_seen or j == len(bl) - 1):
            j -= 2  # a teaser under its link title
            linky_seen += 1
            cut = j + 1
            continue
        break
    if cut < len(bl) and cut >= 1:
        del bl[cut:]


def source_outlet_line(line: str, before: str | None) -> bool:
    """Whether ``line`` names the outlet a republished text comes from: a known outlet on a line of its own
    ("Đại Đoàn Kết", "VnEconomy"), or any short name right under a "Theo <person>" byline ("Theo Hồ Hương" /
    "Nhịp sống thị trường")."""
    from bantin.clean.outlets import is_outlet_name

    s = squash(line).strip(" .")
    if not s or len(s) > 50 or any(ch.isdigit() for ch in s) or s[-1:] in "?!:,;" or not s[:1].isupper():
        return False
    if is_outlet_name(s):
        return True
    if before is None:
        return False
    c = credit_of(before)
    return c is not None and bool(split_credit(c)[0]) and len(s.split()) <= 6


_URL_LINE_RE = re.compile(r"^https?://\S+$")
_SOURCE_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:source|nguon)(?:$|[\s_-])", re.I)


def _name_like(line: str) -> bool:
    """A short proper name on a line of its own ("Nhịp sống thị trường", "Tiền Phong")."""
    s = squash(line).strip(" .")
    return (bool(s) and len(s) <= 50 and len(s.split()) <= 6 and s[:1].isupper()
            and not any(ch.isdigit() for ch in s) and s[-1:] not in "?!:,;")


def take_byline(bl: list[Block], out: Body, captions_are_text: bool = False) -> None:
    """Take the byline block off the end: author lines, credit lines and photo credits (up to 4 lines).

    A republished text ends "Theo Hồ Hương" / "Nhịp sống thị trường": the person is the author and the last line
    the outlet it came from (the credit); a known outlet's name alone on the last line is the credit too."""
    authors: list[str] = []
    credit: str | None = None
    photo: list[str] = []
    n = 0
    while len(bl) >= 2 and _URL_LINE_RE.match(bl[-1].text.strip()):
        bl.pop()  # the address of the original under a "Theo <outlet>" box: not text
    if len(bl) >= 2 and len(bl[-1].text) <= 50:
        before = bl[-2].text if len(bl) >= 3 else None
        if source_outlet_line(bl[-1].text, before):
            c = credit_of(before) if before is not None else None
            names = split_credit(c)[0] if c is not None else []
            if names:
                credit = squash(bl[-1].text).strip(" .")
                authors = names
                del bl[-2:]
                n = 2
            elif source_outlet_line(bl[-1].text, None):
                credit = squash(bl[-1].text).strip(" .")
                bl.pop()
                n = 1
    while bl and n < 4:
        b = bl[-1]
        t = b.text
        if len(t) > 90:
            break
        if _PHOTO_ONLY_RE.match(t) and len(t) <= 60:
            photo.append(t)
            bl.pop()
            n += 1
            continue
        c = credit_of(t)
        if c is not None and credit is None and not authors:
            names, credit = split_credit(c)
            authors = names
            bl.pop()
            n += 1
            continue
        if c is not None and not authors:
            names, src = split_credit(c)
            if names and src is None:  # "Theo Phạm Trường" above the outlet's "Theo Tiền Phong" box
                authors = names
                bl.pop()
                n += 1
                continue
        if credit is not None and text_key(t) == text_key(credit):
            bl.pop()  # the source outlet printed again above its "Theo <outlet>" box
            n += 1
            continue
        if credit is None and _SOURCE_CLASS_RE.search(b.cls) and _name_like(t):
            credit = squash(t).strip(" .")  # <p class="source">Đại Đoàn kết</p>
            bl.pop()
            n += 1
            continue
        m = _TRAILING_CREDIT_RE.search(t)
        core, tail_credit = (t[: m.start()], m.group("c").strip()) if m else (t, None)
        names = author_names(core) if core.strip() else None
        if names is None and "author" in b.cls.lower() and len(t) <= 60:
            names = [squash(_ROLE_RE.sub("", t))]
        if names is None:
            break
        if tail_credit and credit is None:
            credit = tail_credit
        authors = names + authors
        bl.pop()
        n += 1
        if len(bl) < 1:
            break
    if not authors and not credit and not photo:
        return
    if not bl and not captions_are_text:  # the whole text looked like a byline: give it back
        return
    out.authors = _dedupe(authors)
    out.credit = credit
    for p in reversed(photo):
        _add_caption(out, p)


def _dedupe(xs: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for x in xs:
        k = fold(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


# --------------------------------------------------------------------------------------------------------------
# DOM helpers used by html.py
# --------------------------------------------------------------------------------------------------------------
CAPTION_XP = etree.XPath(
    "//figcaption | //*[contains(@class,'caption') or contains(@class,'Caption') or @class='Image' or "
    "@class='image' or contains(@class,'PhotoCMS_Caption') or contains(@class,'desc_image') or "
    "contains(@class,'image-desc') or contains(@class,'img-desc') or contains(@class,'photo-desc')]")
SAPO_XP = etree.XPath(
    "//*[self::p or self::h2 or self::h3 or self::h4 or self::div or self::span or self::strong or self::em]"
    "[contains(@class,'sapo') or contains(@class,'Sapo') or contains(@class,'SAPO') or contains(@class,'lead') or "
    "contains(@class,'Lead') or contains(@class,'description') or contains(@class,'summary') or "
    "contains(@class,'chapeau') or contains(@class,'pHead') or contains(@class,'intro') or "
    "contains(@class,'excerpt') or contains(@class,'headline-desc') or contains(@class,'abstract')]")
_SAPO_BAD_CLASS_RE = re.compile(r"relat|other|item|list|box|sub|more|next|prev|cate|thumb|tooltip|meta", re.I)


_BLOCK_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dd",
                         "dt", "figcaption", "caption", "address", "div", "section", "article", "table", "tr",
                         "ul", "ol", "dl", "figure", "header", "footer", "aside", "tbody", "thead", "center"))
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "button", "select", "form", "input",
                        "textarea", "svg", "iframe", "nav"))


def container_blocks(root: Any, skip: set[Any] | None = None) -> list[Block]:
    """The text blocks of a content element in reading order: every run of inline text between block-level
    elements becomes one block (so ``<p>`` paragraphs, ``<br>``-separated lines inside a ``<div>`` and text in
    layout tables all come out), figcaptions are marked as captions, ``skip`` elements are left out."""
    out: list[Block] = []
    buf: list[str] = []
    kind = ["p"]
    cls = [""]

    def flush() -> None:
        t = squash("".join(buf))
        buf.clear()
        if t:
            out.append(Block(t, kind[0], cls[0], key=""))

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or (skip and el in skip):
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
            kind[0] = "head" if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else (
                "caption" if tag in ("figcaption", "caption") else "item" if tag == "li" else "p")
            cls[0] = el.get("class") or ""
        if tag == "br":
            flush()
        elif el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()
            kind[0], cls[0] = "p", ""

    walk(root)
    flush()
    return with_keys(out)

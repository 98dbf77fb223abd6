"""Bylines and syndication credits, as printed at the end of Vietnamese news texts.

One set of rules for every reader: the HTML reader (``sources/htmltext.py``) applies them to a page's blocks,
the cleaner (``clean/article.py: take_byline``) to the last lines of a text dump's or an export's body.

* ``author_names("Tin, ảnh: Vũ Phương Thảo")`` → ``["Vũ Phương Thảo"]`` (None when the line is not a byline);
* ``credit_of("Theo TTXVN")`` → ``"TTXVN"``; ``split_credit("Sầm Hoa (Vietnamnet/Reuters)")`` → writer and outlet.
"""

from __future__ import annotations

import re

from bantin.clean.fold import fold


def squash(s: str | None) -> str:
    return " ".join(s.split()) if s else ""


_ROLE_RE = re.compile(
    r"^(?:(?:tin|bài|ảnh|video|clip|ghi|ghi chép|thực hiện|nhóm thực hiện|tác giả|bài viết|đồ họa|đồ hoạ|"
    r"infographic|tin và ảnh|bài và ảnh|tin, ảnh|bài, ảnh|tin - ảnh|bài - ảnh|tin/ảnh|bài/ảnh|bài & ảnh|"
    r"tin & ảnh|nội dung|biên tập|trình bày|thiết kế)\s*[:：\-–]\s*)", re.I)
_PHOTO_ONLY_RE = re.compile(r"^(?:ảnh|video|clip|đồ họa|đồ hoạ|infographic|nguồn ảnh)\s*[:：\-–]\s*", re.I)
_CREDIT_RE = re.compile(
    r"^[(\[]?\s*(?:theo|nguồn(?:\s+tin)?|nguồn bài|lược dịch theo|dịch theo|tổng hợp theo)\s*[:：]?\s*"
    r"(?P<c>[^()\[\]]{2,60}?(?:\s*\([^()]{1,40}\))?)\s*[)\]]?\s*\.?$", re.I)
_TRAILING_CREDIT_RE = re.compile(r"\s*[(\[]\s*(?:theo|nguồn)\s*[:：]?\s*(?P<c>[^()\[\]]{2,40})[)\]]\s*\.?$", re.I)
_TRAILING_NOTE_RE = re.compile(r"\s*\((?:tổng hợp|th|t\s*/\s*h|t\.\s*h\.?|lược dịch|dịch|biên dịch|từ [^()]{1,30}|"
                               r"[^()]{1,20} tổng hợp)\)\s*$", re.I)
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|\s[-–—]\s|\svà\s|\s&\s|/)\s*")
_NOT_NAMES = {fold(s) for s in (
    "Video", "Ảnh", "Clip", "Nguồn", "Theo", "Tags", "Tag", "Share", "Like", "Chia sẻ", "Bình luận", "Hà Nội",
    "TP.HCM", "TPHCM", "Việt Nam", "Trang chủ", "Xem thêm", "Quay lại", "Top", "Email", "Facebook", "Zalo",
    "Twitter", "Print", "Hết", "Kết thúc", "The End", "Tin", "Bài", "Xem", "Đọc", "Mời", "Trân trọng")}
_STAFF_RE = re.compile(r"^(?:nhóm\s+)?(?:pv|phóng viên|ctv|btv|nhóm pv|ban biên tập|bbt)"
                       r"(?:\s+[A-ZĐ\u00C0-\u1EF8][^\s]*){0,3}$", re.I)


def author_names(line: str) -> list[str] | None:
    """The names on a byline ("Tin, ảnh: Vũ Phương Thảo", "Quang Phong - Tùng Nguyên", "K. Miên"), or None
    when the line is not one."""
    s = squash(line)
    if not s or len(s) > 70 or any(c.isdigit() for c in s) or s.endswith(("?", "!", ":", ",")):
        return None
    if _STAFF_RE.match(s):
        return [s]
    if re.match(r"(?i)(?:theo|nguồn)\b", s):
        return None
    s = _ROLE_RE.sub("", s, count=1)
    s = _TRAILING_NOTE_RE.sub("", s).strip().rstrip(".") if not re.search(r"\b\w\.$", s) else s.strip()
    if not s:
        return None
    parts = [p.strip() for p in _NAME_SPLIT_RE.split(s) if p.strip()]
    if not 1 <= len(parts) <= 4:
        return None
    names: list[str] = []
    for p in parts:
        words = p.split()
        if not 1 <= len(words) <= 5 or fold(p) in _NOT_NAMES:
            return None
        if _DOMAIN_RE.search(p):
            return None  # "Vcamp.vn", "VnExpress.net": a site, not a person
        for w in words:
            if not w[:1].isupper() or len(w) > 14:
                return None
            if not all(ch.isalpha() or ch in ".'’-" for ch in w):
                return None
        if len(words) == 1 and len(p.replace(".", "")) < 2:
            return None
        names.append(p)
    if all(n.isupper() for n in names) and any(w.isalpha() and len(w) > 2 for n in names for w in n.split()):
        # Tuổi Trẻ, Người Lao Động print bylines in capitals ("NHẬT XUÂN - NGHI VŨ"): title-cased for display
        names = [" ".join(w.capitalize() if w.isalpha() else w for w in n.split()) for n in names]
    return names


_DOMAIN_RE = re.compile(r"\w\.(?:vn|com|net|org|info|tv)\b", re.I)


def split_credit(credit: str) -> tuple[list[str], str | None]:
    """A syndication credit's writer and outlet: "Sầm Hoa (Vietnamnet/Reuters)" → (["Sầm Hoa"],
    "Vietnamnet/Reuters"); "Minh Nguyễn/Vcamp.vn" → (["Minh Nguyễn"], "Vcamp.vn"); "Hồ Hương" → (["Hồ Hương"],
    None); an outlet or agency ("TTXVN", "Thanh Niên", "Forbes, Newsweek") → ([], credit). A writer's name has two
    words or more and is not an outlet's name; one word ("Infonet", "Ngoisao") is taken for an outlet."""
    from bantin.clean.outlets import is_outlet_name

    c = squash(credit)

    def person(x: str) -> list[str] | None:
        x = x.strip()
        if not x or is_outlet_name(x) or x.isupper():
            return None
        names = author_names(x)
        if names is None or any(len(n.split()) < 2 for n in names):
            return None
        return names

    m = re.match(r"^(?P<who>[^()]+?)\s*\((?P<src>[^()]{2,40})\)$", c)
    if m and person(m.group("who")):
        return person(m.group("who")) or [], m.group("src").strip()
    if "/" in c:
        who, _, src = c.partition("/")
        if person(who) and src.strip():
            return person(who) or [], src.strip()
    names = person(c)
    if names:
        return names, None
    return [], c


def credit_of(line: str) -> str | None:
    s = squash(line)
    if len(s) > 80:
        return None
    m = _CREDIT_RE.match(s)
    if not m:
        return None
    c = m.group("c").strip().rstrip(".").strip()
    if _BARE_DOMAIN_RE.match(c):
        # "Theo tienphong.vn" (Soha's link to the original): the outlet's name when the table knows the site
        from bantin.clean.outlets import outlet_for

        o = outlet_for("http://" + c.lower())
        return o.name if o is not None else c
    if not c or not c[:1].isupper() or len(c.split()) > 8 or "," in c and len(c.split()) > 4:
        return None
    return c


_BARE_DOMAIN_RE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|info|tv)$", re.I)

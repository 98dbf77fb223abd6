"""Who is speaking: a speaker phrase resolved to a person of the article (coreference for quotes).

``Speakers(text, entities)`` knows the article's people — every PER mention, with the gender its form of address
gives ("bà Hậu", "cô Zoe", "Nguyễn Thị Lan": a woman; "ông Thắng", "anh Mark": a man), the forms of address used
for them (ông/bà are older than anh/chị/cô/em) and the roles printed next to their names ("thủ môn Simon Mignolet",
"Bà Ngà - uỷ viên Uỷ ban Kiểm tra trung ương"). ``phrase(a, b)`` reads a subject or attribution phrase into a
``Phrase``; ``resolve(phrase, history)`` turns it into (speaker, role, entity), in text order, where ``history`` is
the speakers already resolved before it:

* a name in the phrase is the speaker (its canonical form), the rest of the phrase its printed role — unless the
  name only qualifies the head ("Luật sư của ông X", "Một nhân viên trong nhà tang lễ Greenidge": those speak);
* a pronoun or form of address alone ("ông", "Cô", "bà ấy", "anh ta") is the latest person of the same gender:
  the previous quote's speaker when that fits, else the last person named; one addressed the same way before
  ("ông" for a man called "ông X") goes first;
* a description of one person ("người phát ngôn này", "vị này", "thủ môn 22 tuổi", "Tay vợt đang giữ kỷ lục…",
  "Uỷ viên Uỷ ban Kiểm tra trung ương") is the person introduced with that role, or — when it points back (này,
  ấy, an age, a clause) — the previous speaker or the last person named, if nothing printed about them
  contradicts it (gender, another role); a bare role nobody was introduced with ("Bác sĩ") stays as printed;
* a description naming what the person leads or belongs to ("nhà lãnh đạo Nga", "Ông chủ Điện Kremlin" — a seat of
  power stands for its country —, "Tổng thống Nga", "Người phát ngôn Bộ Ngoại giao Trung Quốc") is the person last
  printed with that role and that name right before their own ("Tổng thống Nga Vladimir Putin"; not "cựu điệp viên
  người Nga Sergei Skripal"); a leader nobody was printed so stays as printed;
* a surname alone ("ông Infantino") is the one longer name of the article it ends ("Gianni Infantino");
* plural and indefinite phrases ("Các nhân chứng", "một bác sĩ", "nhiều người"), bodies ("Bộ Y tế", "Bộ này" →
  entity = the ministry named before) are the speaker as printed;
* a place is never a person: a PER-tagged word that is a known place ("Anh" for England) is dropped, and a place
  that describes someone is not a speaker; a side ("phía Anh") is, and so is a country standing alone as the subject
  of a speech verb (``quotes._Finder.speaker``: "Triều Tiên xác nhận …").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_NB = r"(?![^\W\d_])"
# a capital letter (Latin with Vietnamese diacritics): the ranges À-Ỹ mix upper and lower case
UPPER = "[" + "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and c.isalpha()) + "]"


@lru_cache(maxsize=20000)
def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d").split())


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Folded names and aliases of the places in the NER gazetteer."""
    from bantin.enrich.ner.gazetteer import load_tables

    out = set()
    for typ, canon, aliases in load_tables():
        if typ == "LOC":
            out.update(fold(x) for x in (canon, *aliases))
    return frozenset(out)


@lru_cache(maxsize=1)
def _roles() -> tuple[re.Pattern, frozenset[str]]:
    from importlib import resources

    words = set()
    for line in (resources.files("bantin") / "data" / "ner" / "roles.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    words |= _EXTRA_ROLES
    words -= set(_ADDRESS)
    alts = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(alts) + r")" + _NB, re.IGNORECASE), frozenset(words)


# forms of address: gender ("m", "f" or None) and whether they mark an older person
_ADDRESS = {"ông": "m", "bà": "f", "anh": "m", "chị": "f", "cô": "f", "em": None, "chú": "m", "bác": None,
            "cụ": None, "ngài": "m", "cậu": "m", "nàng": "f", "chàng": "m", "thím": "f", "dì": "f", "mợ": "f",
            "cháu": None, "thầy": "m", "cô gái": "f", "chàng trai": "m", "cụ ông": "m", "cụ bà": "f",
            "đồng chí": None, "đ/c": None}
_STORM = re.compile(r"(?<![^\W\d_])(?:bão|siêu\s+bão|áp\s+thấp(?:\s+nhiệt\s+đới)?|lốc\s+xoáy|hurricane|typhoon"
                    r"|cyclone)\s+$", re.IGNORECASE)
_ADDRESSED = re.compile(r"(?<![^\W\d_])(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|cậu|thầy|đồng\s+chí)\s+$", re.IGNORECASE)
_DOC_HEAD = re.compile(r"(?:thông\s+tin\s+(?:từ|của)|nguồn\s+tin|thông\s+báo|thông\s+cáo(?:\s+báo\s+chí)?|tuyên\s+bố|văn\s+bản|(?:bức|lá)\s+thư|thư\s+(?:của|từ|gửi)|báo\s+cáo|bản\s+tin"
                       r"|bài\s+xã\s+luận|xã\s+luận|bài\s+viết|bài\s+báo|công\s+văn|tờ\s+trình|kết\s+luận|cáo\s+trạng|bản\s+án|quảng\s+cáo)"
                       r"(?![^\W\d_])", re.IGNORECASE)
_PRONOUN = re.compile(
    r"^(?:(?P<addr>ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|cậu|nàng|chàng|thầy|cháu|đồng\s+chí)(?:\s+(?:ấy|ta|này|nọ))?|hắn|y|gã"
    r"|(?:người|nhân\s+vật)\s+(?:này|ấy|đó))$", re.IGNORECASE)
_FEMALE_WORDS = re.compile(r"(?<![^\W\d_])(?:bà|chị|cô|nữ|nàng|cô\s+gái|mẹ|vợ|con\s+gái|em\s+gái|chị\s+gái|hoa\s+hậu"
                           r"|á\s+hậu|người\s+đẹp|hot\s+girl|nữ\s+hoàng|công\s+chúa|thím|dì|mợ|cụ\s+bà|bà\s+mẹ)" + _NB,
                           re.IGNORECASE)
_MALE_WORDS = re.compile(r"(?<![^\W\d_])(?:ông|anh|chú|ngài|cậu|chàng|nam|bố|cha|chồng|con\s+trai|anh\s+trai"
                         r"|em\s+trai|cụ\s+ông|thầy|hoàng\s+tử|nhà\s+vua|vua|quốc\s+vương|tài\s+tử)" + _NB,
                         re.IGNORECASE)
_EXTRA_ROLES = frozenset("""nhà ngoại giao|ntk|nhà thiết kế|host|mc|giám khảo|người dẫn chương trình|thuyền trưởng
|phó tổng|chủ nhiệm|tay vợt|tay đua|võ sĩ|nữ diễn viên|nam diễn viên|người phát ngôn|phát ngôn viên|quan chức
|lãnh đạo|thứ trưởng ngoại giao|uỷ viên|ủy viên|chuyên gia|giám sát viên|nhà nghiên cứu|nhà khoa học|tiền vệ
|người đứng đầu|tân binh|ngôi sao|siêu sao|nữ ca sĩ|nam ca sĩ|nữ hoàng|nghệ sĩ|học giả|nhà hoạt động|bộ trưởng
|nữ chính trị gia|chính trị gia|nhà đầu tư|doanh nhân|phi công|bác sỹ|y tá|điều dưỡng|giáo viên|hiệu trưởng
|sinh viên|học sinh|nông dân|ngư dân|tài xế|lái xe|chủ tịch xã|trưởng công an|phó trưởng công an|trưởng thôn
|cảnh sát trưởng|cựu thủ tướng|cựu tổng thống|nguyên thủ|người mẫu|chuyên viên|cán bộ|cán bộ ngoại giao|giáo sĩ
|nhà phân tích|kiểm sát viên|thẩm phán|phóng viên|biên tập viên|nữ người mẫu|nhà sản xuất|kiến trúc sư|hoạ sĩ|họa sĩ
|nhiếp ảnh gia|thanh tra viên|điều tra viên|giảng viên|nhà sử học|nhà kinh tế|đại uý|vụ trưởng|phó vụ trưởng
|trưởng đoàn|trưởng khoa|phó trưởng khoa|hiệu phó|nữ sinh|nam sinh|du học sinh|tổng biên tập|phát thanh viên
|blogger|youtuber|đồng sáng lập|tổng giám mục|hoà thượng|thượng toạ|ni sư""".replace("\n", "").split("|"))
# a description points back when it says so (này, ấy, đó, nói trên), gives an age, or is qualified by a clause
_POINTS_BACK = re.compile(r"(?<![^\W\d_])(?:này|ấy|đó|nói\s+trên|trên|\d+\s+tuổi|đang|từng|vừa|nổi\s+tiếng|người\s+" + UPPER + ")"
                          r"|^(?:vị|cựu|tân)\s", re.IGNORECASE)
_OBJECT_OF = re.compile(r"(?<![^\W\d_])(?:với|cùng|của|gặp|tiếp|và|cho|tới|đến|về)\s", re.IGNORECASE)
_AGE_AFTER = re.compile(r"\s*[(,]\s*(?:SN\s*\d{4}\s*,\s*)?(\d{1,3})\s+tuổi")
_HEAD_NOUN = re.compile(r"^(?:nguoi|vi|nhan vat)\s+|\s+(?:nay|ay|do|noi tren)$")
_PLURAL = re.compile(r"^(?:họ|các|những|nhiều|một|mọi|một\s+số|hai|ba|bốn|năm|vài|số|hầu\s+hết|phần\s+lớn|đa\s+số|không\s+ít"
                     r"|cả|giới|đông\s+đảo|hàng\s+\S+)" + _NB, re.IGNORECASE)
# a name after these only qualifies the head: the phrase is someone else ("Luật sư của ông X", "vợ ông X")
_RELATIONAL = re.compile(
    r"(?<![^\W\d_])(?:của(?:\s+\S+){0,4}|(?:trong|tại|thuộc|ở)\s+(?:nhà\s+tang\s+lễ|công\s+ty|bệnh\s+viện|trường|nhà\s+hàng"
    r"|khách\s+sạn|gia\s+đình|đội|câu\s+lạc\s+bộ|clb|tập\s+đoàn|ngân\s+hàng|cửa\s+hàng|quán|hãng))\s+$", re.IGNORECASE)
_KIN = re.compile(r"^(?:vợ|chồng|con|con\s+trai|con\s+gái|mẹ|bố|cha|anh\s+trai|chị\s+gái|em\s+trai|em\s+gái|cháu|ông\s+nội"
                  r"|bà\s+nội|người\s+thân|gia\s+đình|bạn\s+gái|bạn\s+trai|người\s+yêu|bạn|hàng\s+xóm|luật\s+sư|trợ\s+lý"
                  r"|quản\s+lý|người\s+quản\s+lý|đại\s+diện\s+của|người\s+đại\s+diện\s+của)\s+(?:của\s+)?"
                  r"(?:ông|bà|anh|chị|cô|em|chú|bác|cụ)\s+$", re.IGNORECASE)
_ORG_HEAD = re.compile(
    r"^(?:bộ|công\s+ty|cơ\s+quan|tờ\s+báo|tờ|báo|hãng|tập\s+đoàn|ngân\s+hàng|tổ\s+chức|đơn\s+vị|sở|cục|viện|trường|bệnh\s+viện"
    r"|ủy\s+ban|uỷ\s+ban|trung\s+tâm|chính\s+phủ|chính\s+quyền|nhà\s+trắng|quân\s+đội|đảng|liên\s+đoàn|câu\s+lạc\s+bộ|clb"
    r"|đội|ban|hội|doanh\s+nghiệp|nhà\s+máy|cảng|sân\s+bay|trang|kênh|đài|hãng\s+tin|hãng\s+thông\s+tấn|chuyên\s+trang"
    r"|nhà\s+chức\s+trách|chủ\s+đầu\s+tư|ubnd|hđnd|công\s+an|tòa|toà|tand|vks|vksnd|hđxx|hiệp\s+hội|giáo\s+hội|tổng\s+cục)" + _NB, re.IGNORECASE)
# a leader described by what they lead ("nhà lãnh đạo Nga", "Ông chủ Điện Kremlin", "người đứng đầu Nhà Trắng"): the
# person of the article introduced with that country or body ("Tổng thống Nga Vladimir Putin")
_LEADER = re.compile(r"^(?i:nhà\s+lãnh\s+đạo|(?P<m>ông)\s+chủ|(?P<f>bà)\s+chủ|nguyên\s+thủ|lãnh\s+tụ"
                     r"|nhà\s+độc\s+tài)\s+(?:của\s+)?(?P<q>(?:(?:nước|xứ)\s+)?" + UPPER + r"[^,;:()]{1,40}?)\s*$")
_LEADS = (r"(?:tong thong|thu tuong|chu tich|lanh dao|quoc vuong|vua|hoang de|nu hoang|thu linh|tong bi thu|nguoi dung dau"
          r"|nguyen thu|thong doc|thi truong|giam doc|ceo|ong chu|ba chu|nha sang lap|chu so huu|lanh tu)")


@lru_cache(maxsize=512)
def _led(role: str, qual: str) -> re.Pattern:
    """A role, at most three words, then ``qual`` closing the words printed before a name (folded text)."""
    return re.compile(r"(?:^| )" + role + r"(?: \S+){0,3} " + re.escape(qual) + r"$")


# seats of power and capitals standing for their country in such descriptions
_SEATS = {"dien kremlin": "nga", "kremlin": "nga", "moscow": "nga", "matxcova": "nga", "nha trang": "my",
          "washington": "my", "nha xanh": "han quoc", "seoul": "han quoc", "dien elysee": "phap", "paris": "phap",
          "pho downing": "anh", "london": "anh", "trung nam hai": "trung quoc", "bac kinh": "trung quoc",
          "binh nhuong": "trieu tien", "tokyo": "nhat ban", "malacanang": "philippines", "manila": "philippines",
          "tehran": "iran", "new delhi": "an do", "berlin": "duc", "ankara": "tho nhi ky", "kiev": "ukraine"}


def _foreign_words(s: str) -> bool:
    """Every word of ``s`` is rare as a Vietnamese syllable ("Gianni", not "Khi", "Sau", "Theo")."""
    from bantin.dedup.features import _idf

    idf, _unk = _idf()
    return all(idf.get(w.lower(), 99.0) > 8.0 and fold(w) not in _places() for w in s.split())


def _in_words(needle: str, hay: str) -> bool:
    return f" {needle} " in f" {hay} "


def _trim(s: str) -> str:
    """A phrase without the punctuation around it; brackets only when they do not pair ("Cơ quan X (DEA)")."""
    s = s.strip(" ,-–—:")
    while s.startswith("(") and ")" not in s or s.endswith("(") or s.startswith(")"):
        s = s[1:].strip(" ,-–—:") if s.startswith(("(", ")")) else s[:-1].strip(" ,-–—:")
    while s.endswith(")") and s.count("(") < s.count(")"):
        s = s[:-1].strip(" ,-–—:")
    return s


@dataclass(slots=True)
class Person:
    name: str
    first: int
    last: int
    gender: dict[str, int] = field(default_factory=dict)
    address: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    ages: set[int] = field(default_factory=set)
    context: list[str] = field(default_factory=list)  # folded words printed right before their mentions

    def described_by(self, qual: str, role: str) -> bool:
        """The person was introduced with a role (``role``: a pattern over folded text) and ``qual`` right before
        the name (folded: "nga", "bo ngoai giao trung quoc") or the country its seat of power stands for ("dien
        kremlin" → "nga"): "Tổng thống Nga X", "Bộ trưởng Ngoại giao Nga X" — not "cựu điệp viên người Nga Y", nor
        "gặp nhà lãnh đạo Triều Tiên … Tổng thống Trump"."""
        quals = [qual] + ([_SEATS[qual]] if qual in _SEATS else [])
        return any(_led(role, q).search(c) for c in self.context for q in quals)

    def sex(self) -> str | None:
        m, f = self.gender.get("m", 0), self.gender.get("f", 0)
        return "m" if m > f else "f" if f > m else None


@dataclass(slots=True)
class Phrase:
    """A speaker phrase as read: ``kind`` is "per" (a name in it), "pron" (a pronoun or form of address), "desc"
    (a description of one person), "body" (an organisation, a group, an indefinite or plural phrase)."""

    a: int
    b: int
    kind: str
    text: str
    name: str | None = None
    role: str | None = None
    entity: str | None = None
    gender: str | None = None
    address: str | None = None
    roles: frozenset[str] = frozenset()
    back: bool = False
    age: int | None = None
    qual: str | None = None  # what a description says the person leads or belongs to, folded ("nga", "dien kremlin")


@dataclass(slots=True)
class Said:
    """One resolved speaker in text order (for the next pronoun or description)."""

    pos: int
    para: int
    name: str | None
    role: str | None
    entity: str | None
    person: bool
    end: int | None = None  # end of the attribution phrase


class Speakers:
    def __init__(self, text: str, ents: list[tuple[int, int, str, str]]):
        self.text = text
        self.quoted: list[tuple[int, int]] = []  # spans of what was said (set by the quote finder)
        places = _places()
        self.ents = []
        for e in ents:
            if e[2] == "PER" and (fold(text[e[0]:e[1]]) in places or text[e[0]:e[1]].lower() in _ADDRESS) and \
                    _ADDRESSED.search(text, max(0, e[0] - 12), e[0]) is None:
                e = (e[0], e[1], "LOC", e[3])  # "Anh" (England), a pronoun tagged as a name; not "ông Đức"
            elif e[2] == "PER" and _STORM.search(text, max(0, e[0] - 24), e[0]) is not None:
                e = (e[0], e[1], "MISC", e[3])  # "bão Dorian": a storm, not a person
            self.ents.append(e)
        # (start, end, canonical name) of every person mention
        self.mentions: list[tuple[int, int, str]] = [(s, e, name) for s, e, typ, name in self.ents if typ == "PER"]
        self._full_names()
        self.names = {n for _s, _e, n in self.mentions}
        self._people: dict[str, Person] | None = None

    def _full_names(self) -> None:
        """A foreign name the entity model cut to one word ("bộ trưởng Cho" tagged, "… Hàn Quốc Cho Myoung Gyon"
        not): the longest run of capitalised unaccented words in the article that starts with it, when no other
        entity covers the rest and no word of it is a place."""
        text = self.text
        full: dict[str, str] = {}
        for _s, _e, n in self.mentions:
            if n in full or " " in n or not n.isascii() or not n.isalpha() or len(n) < 2:
                continue
            full[n] = n
            best = 0
            for m in re.finditer(r"(?<![^\W\d_])" + re.escape(n) + r"((?: [A-Z][a-z]+){1,3})(?![^\W\d_])", text):
                a, b = m.start(1), m.end(1)
                if any(e[0] < b and e[1] > a and e[2] != "PER" for e in self.ents) or \
                        any(fold(w) in _places() for w in m.group(1).split()):
                    continue
                if b - a > best:
                    best, full[n] = b - a, text[m.start():b]
        # "Chủ tịch FIFA Gianni Infantino" (tagged ORG), "ông Infantino" tagged PER: the foreign given name before it (a word no Vietnamese
        # syllable, not "Khi Trump")
        for n in list(full):
            if full[n] != n:
                continue
            for m in re.finditer(r"(?<![^\W\d_])((?:[A-Z][a-z]+ ){1,2})" + re.escape(n) + r"(?![^\W\d_])", text):
                if any(e[0] < m.end(1) and e[1] > m.start(1) and (e[0], e[1]) != m.span() for e in self.ents) or \
                        not _foreign_words(m.group(1)):  # (the whole name tagged as something else is still it)
                    continue
                full[n] = m.group(1) + n
                break
        # "ông Infantino" after "Chủ tịch FIFA Gianni Infantino": a surname alone is the one longer name it ends
        longer: dict[str, set[str]] = {}
        for _s, _e, n in self.mentions:
            words = full.get(n, n).split()
            if len(words) >= 2:
                longer.setdefault(words[-1], set()).add(full.get(n, n))
        for _s, _e, n in self.mentions:
            if " " not in full.get(n, n) and len(longer.get(n, ())) == 1:
                full[n] = next(iter(longer[n]))
        if any(full[k] != k for k in full):
            self.mentions = [(s, e, full.get(n, n)) for s, e, n in self.mentions]
            self.ents = [(s, e, t, full.get(n, n) if t == "PER" else n) for s, e, t, n in self.ents]

    @property
    def people(self) -> dict[str, Person]:
        """What the text says about each person (gender, forms of address, roles, ages): read on first use, since
        most speakers are named and need none of it."""
        if self._people is None:
            self._people = self._profile()
        return self._people

    def _profile(self) -> dict[str, Person]:
        text = self.text
        people: dict[str, Person] = {}
        role_re = _roles()[0]
        prev_end = 0
        for s, e, name in self.mentions:
            p = people.get(name)
            if p is None:
                p = people[name] = Person(name, s, e)
            p.last = s
            before = text[max(0, s - 60):s]
            own = text[max(0, s - 45, prev_end):s]  # what is printed before this name, not before another one
            prev_end = max(prev_end, e)
            m = re.search(r"(?<![^\W\d_])(cô\s+gái|chàng\s+trai|cụ\s+ông|cụ\s+bà|ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|cậu"
                          r"|nàng|chàng|thầy)\s*$", before, re.IGNORECASE)
            if m is not None:
                w = " ".join(m.group(1).lower().split())
                p.address.add(w)
                g = _ADDRESS.get(w)
                if g:
                    p.gender[g] = p.gender.get(g, 0) + 2
            for rx, g in ((_FEMALE_WORDS, "f"), (_MALE_WORDS, "m")):
                if rx.search(before[-25:]):
                    p.gender[g] = p.gender.get(g, 0) + 1
            words = name.split()
            if "Thị" in words[1:-1] or (len(words) > 2 and words[-2:-1] == ["Thị"]):
                p.gender["f"] = p.gender.get("f", 0) + 3
            elif "Văn" in words[1:-1]:
                p.gender["m"] = p.gender.get("m", 0) + 1
            # a role printed next to the name: "thủ môn Simon Mignolet", "X - uỷ viên …", "X, Thứ trưởng …"
            lead = before[-45:]
            p.context.append(" ".join(re.sub(r"[^\w\s]", " ", fold(re.split(r"[.;:!?\n]", own)[-1])).split()))
            rms = list(role_re.finditer(lead))
            if rms:  # the last role before the name, with only an organisation's or a place's name between
                rest = lead[rms[-1].end():]
                if not rest.strip() or (len(rest) <= 32 and "," not in rest and rest.strip()[:1].isupper()):
                    p.roles.add(" ".join(rms[-1].group().lower().split()))
            after = text[e:e + 120]
            age = _AGE_AFTER.match(after)
            if age is not None:
                p.ages.add(int(age.group(1)))
            am = re.match(r"\s*(?:\([^)]{0,20}\)\s*[,–—-]|\([^)]{0,80}\)|[,–—-])\s*(?:người\s+|là\s+)?(?:nguyên\s+|cựu\s+)?",
                          after)
            clause = re.split(r"[,.;:!?\n]", before)[-1]
            if am is not None and not _OBJECT_OF.search(clause):  # not "Sau hội đàm với X, Tổng thống Mỹ cho biết"
                rm = role_re.match(after, am.end())
                if rm is not None:
                    p.roles.add(" ".join(rm.group().lower().split()))
        return people

    # -- reading a phrase ----------------------------------------------------------------------------------
    def entity_in(self, a: int, b: int, typ: str) -> Any:
        last = None
        for e in self.ents:
            if e[0] >= a and e[1] <= b and e[2] == typ:
                last = e
            elif e[0] >= b:
                break
        return last

    def phrase(self, a: int, b: int, lower_ok: bool = True) -> Phrase | None:
        """What the phrase text[a:b] is as a speaker; None if it cannot be one. ``lower_ok``: a capitalised
        single pronoun is accepted (it starts the sentence)."""
        text = self.text
        p = text[a:b]
        low = p.lower()
        comma = p.find(",")
        if _DOC_HEAD.match(p):  # "thông báo của Công ty X", "Báo cáo Savills", "bài xã luận của Global Times"
            ent = next((e for e in self.ents if a <= e[0] and e[1] <= b and e[2] in ("ORG", "PER", "MISC")), None)
            return Phrase(a, b, "body", p, entity=ent[3] if ent is not None else None)
        dl = re.search(r"(?<![^\W\d_])(?:dẫn|trích)\s+lời\s+", p, re.IGNORECASE)
        if dl is not None:  # "một trang tin tức dẫn lời Tang": Tang speaks
            quoted = self.phrase(a + dl.end(), b, lower_ok)
            if quoted is not None:
                return quoted
        if _PLURAL.match(p) and not re.match(r"(?:các|hai|ba)\s+(?:ông|bà)\s", low):
            return Phrase(a, b, "body", p)  # "Nhiều người trong đảng Bảo thủ của bà May …": a group speaks
        per = self.entity_in(a, a + comma, "PER") if comma > 0 else None  # "bà X, vợ ông Y": X
        if per is None:
            per = self.entity_in(a, b, "PER")
        if per is not None:
            first = next((e for e in self.ents if a <= e[0] and e[1] <= per[0] and e[2] == "PER"), None)
            if first is not None and re.fullmatch(r"\s+của\s+(?:ông|bà|anh|chị|cô|ngài)?\s*", text[first[1]:per[0]]):
                per = first  # "cố vấn cấp cao Kellyanne Conway của ông Trump": Conway
            head = text[a:per[0]]
            if (_RELATIONAL.search(head) or _KIN.match(head)) and len(head.split()) <= 7 and \
                    self.entity_in(a, per[0], "PER") is None:  # "Luật sư của ông X", "vợ ông X": someone else speaks
                return Phrase(a, per[1], "body", text[a:per[1]])
            tail = text[per[1]:b]
            # the printed role: what precedes the name, and an apposition after it ("X, Tổng giám đốc …")
            role = _trim(head + " " + (tail if re.match(r"\s*[,(–—-]", tail) else ""))
            role = re.sub(r"^(?:ông|bà|anh|chị|cô|em|chú|bác|cụ|ngài|đồng\s+chí|đ/c)\s+|\s+(?:ông|bà|anh|chị|cô|em)$",
                          "", role, flags=re.IGNORECASE)
            role = _trim(role)
            if role.lower() in _ADDRESS or not role:
                role = None
            return Phrase(a, b, "per", p, name=per[3], role=role, entity=per[3])
        pm = _PRONOUN.match(p.strip())
        if pm is not None:
            addr = " ".join((pm.group("addr") or "").lower().split()) or None
            if addr is not None and p.strip()[0].isupper() and not lower_ok:
                return None  # "…, Anh chia sẻ": a capitalised word mid-sentence is a name, not a pronoun
            return Phrase(a, b, "pron", p, gender=_ADDRESS.get(addr) if addr else None, address=addr)
        lm = _LEADER.match(p.strip())
        if lm is not None:  # "nhà lãnh đạo Nga", "Ông chủ Điện Kremlin": a person, the one introduced with it
            q = re.sub(r"^(?:nước|xứ)\s+", "", lm.group("q"), flags=re.IGNORECASE)
            return Phrase(a, b, "desc", p, gender="m" if lm.group("m") else "f" if lm.group("f") else None,
                          role=_trim(p), qual=" ".join(re.sub(r"[^\w\s]", " ", fold(q)).split()))
        if (fold(p.strip()) in _places() or self._is_place(a, b)) and not _ORG_HEAD.match(p):
            return None  # a place is not a speaker ("Nhà Trắng" is)
        if _PLURAL.match(p):
            return Phrase(a, b, "body", p)
        org = self.entity_in(a, b, "ORG")
        rm = _roles()[0].match(re.sub(r"^(?:vị|cựu|tân|nữ|nam|ngài)\s+", "", low)) if low else None
        head_role = " ".join(rm.group().split()) if rm is not None else None
        person_head = re.match(r"(?:vị|người|nhân\s+vật|ngài|vị\s+khách|nữ|nam)" + _NB, low) is not None
        if (_ORG_HEAD.match(p) or org is not None) and not (head_role or person_head):
            ent = org[3] if org is not None else None
            if ent is None and re.search(r"(?<![^\W\d_])(?:này|trên|nói\s+trên)$", low):
                ent = self._last_org_like(a, low.split()[0])
            return Phrase(a, b, "body", p, entity=ent)
        if head_role is not None or person_head:
            dm = re.search(r"(?<![^\W\d_])(?:này|ấy)(?![^\W\d_])", p)
            if dm is not None:  # "Người nhân viên này còn hài hước nói": the description ends at "này"
                p = p[:dm.end()]
                b = a + len(p)
            g = "f" if _FEMALE_WORDS.search(p) else "m" if _MALE_WORDS.search(p) else None
            # points back — unless it is a new person told apart by what they do to someone ("Bác sĩ đang điều trị
            # cho nam thanh niên này")
            back = _POINTS_BACK.search(p) is not None and not re.search(r"(?<![^\W\d_])(?:cho|của|với|về)\s", p)
            age = re.search(r"(\d{1,3})\s+tuổi", p)
            # "Tổng thống Nga", "Người phát ngôn Bộ Ngoại giao Trung Quốc": the name after the role it belongs to
            qm = re.match(r"\s*(?:của\s+)?(" + UPPER + r"[^,;:()]{1,40}?)\s*$", p[rm.end() + (len(low) - len(
                re.sub(r"^(?:vị|cựu|tân|nữ|nam|ngài)\s+", "", low))):]) if rm is not None else None
            return Phrase(a, b, "desc", p, gender=g, roles=frozenset([head_role]) if head_role else frozenset(),
                          back=back, role=_trim(p), age=int(age.group(1)) if age else None,
                          entity=org[3] if org is not None else None,
                          qual=" ".join(re.sub(r"[^\w\s]", " ", fold(qm.group(1))).split()) if qm else None)
        return None

    def _quoted(self, pos: int) -> bool:
        i = bisect_right(self.quoted, (pos, 1 << 60)) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def _is_place(self, a: int, b: int) -> bool:
        loc = self.entity_in(a, b, "LOC")
        return loc is not None and loc[0] - a <= 1 and b - loc[1] <= 1

    def _last_org_like(self, pos: int, head: str) -> str | None:
        for s, _e, typ, name in reversed(self.ents):
            if s < pos and typ == "ORG" and fold(self.text[s:_e]).startswith(fold(head)):
                return name
        return None

    # -- resolving ------------------------------------------------------------------------------------------
    def _compatible(self, person: Person, ph: Phrase, roles: bool = True) -> bool:
        """Nothing printed about the person contradicts the phrase: gender, age, and (``roles``) the role they
        were introduced with."""
        sex = person.sex()
        if ph.gender and sex and ph.gender != sex:
            return False
        if ph.age is not None and person.ages and ph.age not in person.ages:
            return False
        if roles and ph.roles and person.roles and not (ph.roles & person.roles) and not any(
                r in x or x in r for r in ph.roles for x in person.roles):
            return False  # introduced with another role
        return True

    def introduced_with(self, ph: Phrase) -> Person | None:
        """The person last introduced with the phrase's role before it."""
        if not ph.roles:
            return None
        best = None
        for s, _e, name in self.mentions:
            if s >= ph.a:
                break
            p = self.people[name]
            if ph.roles & p.roles and self._compatible(p, ph):
                best = p
        return best

    def resolve(self, ph: Phrase, history: list[Said]) -> tuple[str | None, str | None, str | None] | None:
        """(speaker, role, entity) of a phrase, given the speakers resolved before it; None when a pronoun has
        nobody to point to."""
        if ph.kind == "per":
            return ph.name, ph.role, ph.entity
        if ph.kind == "body":
            return _trim(ph.text), None, ph.entity
        prev = next((h for h in reversed(history) if h.pos < ph.a), None)
        prev_person = self.people.get(prev.name) if prev is not None and prev.person else None
        near = prev is not None and ph.a - prev.pos < 1500
        if prev_person is not None and near:
            # someone else named in the narrative since that speaker's attribution (not inside what was said):
            # "Shinzo Abe nói về luật mới, ông khẳng định …" after another speaker's quote
            since = prev.end if prev.end is not None else prev.pos
            other = next((self.people[n] for s, _e, n in reversed(self.mentions) if since <= s < ph.a
                          and n != prev_person.name and not self._quoted(s)), None)
            if other is not None and self._compatible(other, ph, roles=ph.kind == "desc"):
                prev_person = None
        if ph.kind == "pron":
            cands = []
            for s, _e, name in reversed(self.mentions):
                if s >= ph.a:
                    continue
                if ph.a - s > 2500:
                    break
                p = self.people[name]
                if p not in cands and self._compatible(p, ph, roles=False):
                    cands.append(p)
            if prev_person is not None and near and self._compatible(prev_person, ph, roles=False) and (
                    ph.address is None or not prev_person.address or ph.address in prev_person.address
                    or not any(ph.address in c.address for c in cands)):
                return prev_person.name, None, prev_person.name
            if not cands:
                return None
            same = [c for c in cands[:3] if ph.address and ph.address in c.address]
            pick = same[0] if same else cands[0]
            return pick.name, None, pick.name
        # a description of one person
        role = ph.role
        if role and role.lower().endswith((" này", " ấy", " đó")):
            role = role[:-4].strip() or None
        if ph.qual:  # "nhà lãnh đạo Nga" after "Tổng thống Nga Vladimir Putin": the last one introduced with it
            led = None
            for s, _e, name in self.mentions:
                if s >= ph.a:
                    break
                p = self.people[name]
                if p.described_by(ph.qual, _LEADS if not ph.roles else re.escape(fold(next(iter(ph.roles))))) and \
                        self._compatible(p, ph, roles=False):
                    led = p
            if led is not None:
                return led.name, role, led.name
            if not ph.roles:  # "nhà lãnh đạo Triều Tiên" with nobody introduced so: as printed, never a guess
                return _trim(ph.text), None, ph.entity
        intro = self.introduced_with(ph)
        if ph.back:
            # "Người nhân viên này" after "Một nhân viên trong nhà tang lễ … cho biết": the same description
            noun = _HEAD_NOUN.sub("", fold(_trim(ph.text)))
            if prev is not None and near and not prev.person and prev.name and noun and \
                    f" {noun} " in f" {fold(prev.name)} ":
                return prev.name, prev.role, prev.entity
            # the previous speaker, unless someone else was introduced with this role and the previous speaker
            # with another one ("HLV X … thủ môn 22 tuổi chia sẻ" is not X)
            if prev_person is not None and near and self._compatible(prev_person, ph, roles=False) and (
                    intro is None or intro is prev_person or self._compatible(prev_person, ph)):
                return prev_person.name, role, prev_person.name
            if intro is not None:
                return intro.name, role, intro.name
            # the last person named — when the description names no role, or one printed with that person
            last = next((self.people[n] for s, _e, n in reversed(self.mentions) if s < ph.a and ph.a - s < 1500
                         and self._compatible(self.people[n], ph, roles=False)
                         and (not ph.roles or ph.roles & self.people[n].roles)), None)
            if last is not None:
                return last.name, role, last.name
        elif intro is not None:
            return intro.name, role, intro.name
        elif prev_person is not None and ph.a - prev.pos < 800 and self._compatible(prev_person, ph) and \
                re.match(r"(?:một|mấy|vài|hai|ba|lãnh\s+đạo|đại\s+diện|phía|người\s+đứng\s+đầu)\s", ph.text,
                         re.IGNORECASE) is None:  # "Lãnh đạo Cục X cho hay": the body speaks, not the last speaker
            # "”, nhà ngoại giao nói" / "Thứ trưởng Ngoại giao nhấn mạnh" right after Ryabkov's quote, nobody named
            # since and nobody introduced with that role: the speaker just quoted, described
            return prev_person.name, role, prev_person.name
        return _trim(ph.text), None, ph.entity

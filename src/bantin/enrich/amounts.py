"""Amounts in Vietnamese text: money, percentages and quantities with a unit.

``find_amounts(text)`` → ``[Amount(start, end, value, value_max, unit, approx)]``, offsets into ``text`` as given.

Reading Vietnamese numbers: ``.`` groups thousands when exactly three digits follow (``3.000``, ``40.260``,
``2.495,4``), ``,`` is the decimal mark (``1,5 triệu``, ``23,938 tỉ``); a ``.`` followed by one, two or more than
three digits is a decimal point (``5.6 nghìn tỉ``, ``17.4 triệu``); several ``,`` groups of three are English
thousands (``1,000,000``). Scale words multiply (nghìn/ngàn 1e3, triệu 1e6, tỷ/tỉ 1e9, nghìn tỷ 1e12; ``k``,
``tr`` attached), and a second scale adds (``1 tỷ 200 triệu``). Money units become ISO 4217 codes; ``%`` and
``phần trăm`` become ``%``; a closed list of units of measure and of counting words (người, lượt, hộ, ca) is kept
as written (normalised: ``m2`` → ``m²``, ``mét`` → ``m``). A number with no unit is not an amount. Ranges
(``25.000 - 70.000 đồng``, ``từ 5 đến 7 tỷ``, ``2-3 triệu``) give ``value`` and ``value_max``; the word before
an approximate amount (hơn, gần, khoảng, trên, dưới…) is kept in ``approx``. Values are exact (``Decimal``): an
int when whole, else a float — and a float too when a whole value is outside the 64-bit integer range (a typo such
as "672.625.712.000 tỷ đồng" for 672 tỷ is read as printed, 6.7e20): JSON readers and the archive's document
encoder take 64-bit integers only, and ``text`` keeps the digits as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Amount", "find_amounts", "parse_number"]


@dataclass(frozen=True, slots=True)
class Amount:
    start: int
    end: int
    value: int | float
    unit: str
    value_max: int | float | None = None
    approx: str | None = None

    def to_dict(self, text: str) -> dict:
        return {"start": self.start, "end": self.end, "text": text[self.start:self.end], "value": self.value,
                "value_max": self.value_max, "unit": self.unit, "approx": self.approx}


_W = r"(?![^\W_])"  # no letter or digit follows
_NOLEFT = r"(?<![\w.,/-])"

_NUM = (r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![.,]?\d)"  # 3.000 / 2.495,4
        r"|\d{1,3}(?:,\d{3}){2,}(?![.,]?\d)"  # 1,000,000
        r"|\d+(?:[.,]\d+)?(?![.,]?\d))")  # 145,13 / 5.6 / 2024
_NUMW = r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|nửa)"
_SCALE = (r"(?:(?:nghìn|ngàn)\s+(?:tỷ|tỉ)|tỷ|tỉ|triệu|nghìn|ngàn|trăm)" + _W)
_SCALE_ATTACHED = r"(?:tr|k)" + _W

_CURRENCIES = [  # (pattern, code); longest first where they share a start
    (r"đô\s*la\s+mỹ|đô\s*la\s+singapore|đô\s*la\s+úc|đô\s*la\s+hồng\s+kông|đô\s*la\s+canada|đô\s*la\s+đài\s+loan", "*"),
    (r"đô\s*la|đôla|đô", "USD"),
    (r"usd|us\$|\$", "USD"),
    (r"vnđ|vnd|đồng|đ", "VND"),
    (r"euro|eur|€", "EUR"),
    (r"bảng\s+anh|gbp|£", "GBP"),
    (r"bảng", "GBP?"),
    (r"yên\s+nhật|yen|yên|jpy|¥", "JPY"),
    (r"nhân\s+dân\s+tệ|ndt|cny|tệ", "CNY"),
    (r"won|krw", "KRW"),
    (r"rúp|ruble|rub", "RUB"),
    (r"baht|bạt|thb", "THB"),
    (r"sgd", "SGD"), (r"aud", "AUD"), (r"hkd", "HKD"), (r"twd|đài\s+tệ", "TWD"), (r"ringgit|myr", "MYR"),
    (r"rupee|inr", "INR"), (r"riel|khr", "KHR"), (r"kip|lak", "LAK"), (r"peso", "PHP"), (r"franc|chf", "CHF"),
    (r"cad", "CAD"),
]
_DOLLARS = {"my": "USD", "singapore": "SGD", "uc": "AUD", "hong kong": "HKD", "canada": "CAD", "dai loan": "TWD"}
_UNITS = [  # (pattern, normalised unit)
    (r"km2|km²|ki-lô-mét\s+vuông|kilômét\s+vuông", "km²"),
    (r"m2|m²|mét\s+vuông", "m²"), (r"m3|m³|mét\s+khối", "m³"),
    (r"km/h|km/giờ", "km/h"),
    (r"km|ki-lô-mét|kilômét|kilomet|cây\s+số", "km"),
    (r"cm", "cm"), (r"mm", "mm"), (r"mét|m", "m"),
    (r"hecta|héc-ta|héc\s+ta|ha", "ha"),
    (r"tấn", "tấn"), (r"tạ", "tạ"), (r"kg|ki-lô-gam|kilôgam|kilogam|ký|cân", "kg"), (r"gram|gam|g", "g"),
    (r"lít", "lít"), (r"ml", "ml"), (r"thùng", "thùng"),
    (r"mw|megawatt", "MW"), (r"gw", "GW"), (r"kwh", "kWh"), (r"kw", "kW"), (r"mwh", "MWh"),
    (r"°c|độ\s+c", "°C"),
    (r"người", "người"), (r"lượt", "lượt"), (r"hộ", "hộ"), (r"ca", "ca"),
]
# after these words, the unit word is the start of another word: "3 đồng nghiệp", "2 ca sĩ", "hộ chiếu"
_NOT_AFTER = {
    "VND": r"\s+(?:chí|nghiệp|bào|đội|minh|hương|tâm|thời|loạt|lòng|hồ|bằng|ruộng|cỏ|xu|phục|ca|ý|sự|tác|cảm|thuận"
           r"|dạng|nhất|điệu|âm|khởi|bộ|hành|môn|niên|trinh|tộc|vị|đẳng)" + _W,
    "ca": r"\s+(?:sĩ|khúc|dao|nô|từ|ngợi|kịch|trưởng|múa|nhạc|làm|trực|mổ|phẫu\s+thuật)" + _W,
    "hộ": r"\s+(?:chiếu|khẩu|lý|tịch|sinh|tống|vệ|trợ|pháp|đê)" + _W,
    "GBP?": r"\s+(?:đấu|xếp|điểm|tin|hiệu|giá|chữ|tính|đen|vàng|[a-hA-H])" + _W,
    "m": r"\s*(?:[a-zA-Z0-9])",
}
_APPROX = (r"(?P<approx>khoảng\s+trên|khoảng\s+dưới|khoảng|hơn|gần|trên|dưới|xấp\s+xỉ|ước\s+tính|ước|chừng|ngót"
           r"|lên\s+tới|lên\s+đến|tới|đến|ít\s+nhất|tối\s+đa|tối\s+thiểu|chưa\s+đến|chưa\s+tới|non|gần\s+như)\s+")

_CUR_ALTS = [(p, c) for p, c in _CURRENCIES if c is not None]
_CUR_RE = "|".join(f"(?:{p})" for p, _c in _CUR_ALTS)
_UNIT_RE = "|".join(f"(?:{p})" for p, _u in _UNITS)
_AMOUNT = re.compile(  # anchored at the first number; what may precede it is read by _BEFORE
    r"(?P<n1>" + _NUM + r"|" + _NUMW + r"(?=\s+" + _SCALE + r"))"
    r"(?:\s*(?P<s1>" + _SCALE + r")|(?P<s1a>" + _SCALE_ATTACHED + r"))?"
    r"(?:\s+(?P<n1b>\d{1,3})\s+(?P<s1b>" + _SCALE + r"))?"  # "1 tỷ 200 triệu"
    r"(?:\s*(?P<dash>-|–|—|đến|tới)\s*(?P<n2>" + _NUM + r")(?:\s*(?P<s2>" + _SCALE + r")|(?P<s2a>"
    + _SCALE_ATTACHED + r"))?)?"
    r"(?:\s*(?P<pct>%|phần\s+trăm)"
    r"|\s*(?P<cur>" + _CUR_RE + r")" + _W +
    r"|\s*(?P<unit>" + _UNIT_RE + r")(?![^\W\d_]))?",
    re.IGNORECASE,
)
_BEFORE = re.compile(r"(?:(?<![^\W\d_])" + _APPROX + r")?(?:(?P<from>từ)\s+)?(?P<pre>us\$|\$|€|£|¥)?\s?$",
                     re.IGNORECASE)
_START = re.compile(r"\d+|(?<![^\W\d_])(?:" + _NUMW + r")\s+" + _SCALE, re.IGNORECASE)
_NOT_AFTER_RE = {k: re.compile(v, re.IGNORECASE) for k, v in _NOT_AFTER.items()}
_SCALES = {"nghin": 3, "ngan": 3, "trieu": 6, "ty": 9, "ti": 9, "tram": 2, "tr": 6, "k": 3}
_WORD_NUM = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
             "nửa": Decimal("0.5")}
_FOLD = str.maketrans("ỷỉệìíđ", "yieiid")


def _scale(word: str | None) -> int:
    if not word:
        return 0
    w = " ".join(word.lower().translate(_FOLD).replace("à", "a").replace("ă", "a").split())
    if " " in w:  # nghìn tỷ
        return 12
    return _SCALES.get(w, 0)


def parse_number(s: str) -> Decimal | None:
    """A number as Vietnamese writes it (see the module docstring); None if it is not one."""
    s = s.strip()
    w = _WORD_NUM.get(s.lower())
    if w is not None:
        return Decimal(w)
    try:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
            return Decimal(s.replace(".", "").replace(",", "."))
        if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", s):
            return Decimal(s.replace(",", ""))
        return Decimal(s.replace(",", "."))
    except InvalidOperation:
        return None


#: Whole values in this range are ints; outside it, floats (see the module docstring).
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1


def _num(d: Decimal) -> int | float:
    if d == d.to_integral_value() and _INT_MIN <= d <= _INT_MAX:
        return int(d)
    return float(d)


def _currency(word: str) -> str:
    w = " ".join(word.lower().split())
    for pat, code in _CUR_ALTS:
        if re.fullmatch(pat, w):
            if code == "*":
                place = w.split(" ", 2)[-1] if w.startswith("đô la ") or w.startswith("đôla ") else w
                place = place.split("la", 1)[-1].strip() if "la" in place else place
                key = place.translate(str.maketrans("ỹúồôđà", "yuoodа")).replace("а", "a")
                return _DOLLARS.get(key, "USD")
            return code
    return "?"


def _unit(word: str) -> str:
    w = " ".join(word.lower().split())
    for pat, unit in _UNITS:
        if re.fullmatch(pat, w):
            return unit
    return w


def find_amounts(text: str) -> list[Amount]:
    """Money, percentages and quantities with a unit in ``text``, in order, non-overlapping."""
    out: list[Amount] = []
    if not text:
        return out
    last = 0
    for cm in _START.finditer(text):
        p = cm.start()
        if p < last:
            continue
        m = _AMOUNT.match(text, p)
        if m is None:
            continue
        b = _BEFORE.search(text, max(last, p - 24), p)
        a = _amount(m, b, text)
        if a is not None:
            out.append(a)
            last = a.end
    return out


def _amount(m: re.Match, b: re.Match | None, text: str) -> Amount | None:
    g = m.group

    def bg(name: str) -> str | None:
        return b.group(name) if b is not None else None
    n1s = m.start("n1")
    if n1s > 0 and not _NOLEFT_OK(text, n1s):
        return None
    if g("n1")[0].isalpha() and n1s > 0 and text[n1s - 1].isalpha():
        return None
    v1 = parse_number(g("n1"))
    if v1 is None:
        return None
    s1 = _scale(g("s1") or g("s1a"))
    v1 = v1 * (Decimal(10) ** s1)
    if g("n1b"):
        s1b = _scale(g("s1b"))
        if not 0 < s1b < s1:
            return None
        v1 += Decimal(g("n1b")) * (Decimal(10) ** s1b)
    vmax = None
    if g("n2"):
        v2 = parse_number(g("n2"))
        if v2 is None:
            return None
        s2 = _scale(g("s2") or g("s2a"))
        v2 = v2 * (Decimal(10) ** s2)
        if not (s1 or g("n1b")) and s2:
            v1 = v1 * (Decimal(10) ** s2)  # "2-3 triệu": the first takes the second's scale
        if g("dash") in ("-", "–", "—") and not text[m.start("dash") - 1].isspace() and not (s1 or s2) \
                and g("pct") is None and g("cur") is None and g("unit") is None:
            return None
        if v2 <= v1:
            return None  # not a range ("10-5"): a score, a code
        vmax = v2
    elif bg("from"):
        return None  # "từ 5 tỷ" without an end is read without "từ"
    if g("pct") is None and g("cur") is None and g("unit") is None and not bg("pre"):
        return None  # a number without a unit is not an amount
    if g("pct") is not None:
        unit = "%"
    elif g("cur") is not None:
        unit = _currency(g("cur"))
        if unit == "GBP?":
            if not (s1 or (v1 >= 1000)):
                return None  # "2 bảng" is more often two tables or groups than two pounds
            unit = "GBP"
        bad = _NOT_AFTER_RE.get(unit)
        if bad is not None and bad.match(text, m.end()):
            return None
        if g("cur").lower() == "đ" and m.start("cur") > m.end("n2" if g("n2") else "n1") and not (s1 or g("s2")):
            return None  # "5 đ" with a space is rarely money
    elif g("unit") is not None:
        word = g("unit")
        unit = _unit(word)
        if unit in ("người", "lượt", "hộ", "ca") and bg("pre"):
            return None
        bad = _NOT_AFTER_RE.get(unit)
        if bad is not None and bad.match(text, m.end()):
            return None
        if unit == "g" and m.start("unit") != m.end("n2" if g("n2") else "n1"):
            return None  # "5 g" is rarely grams in news text; "500g" is
    if bg("pre"):
        unit = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}[bg("pre").lower()]
    start = m.start("n1")
    for grp in ("pre", "from", "approx"):
        if bg(grp):
            start = b.start(grp)
    approx = " ".join(bg("approx").lower().split()) if bg("approx") else None
    if approx in ("đến", "tới") and bg("from") is None:
        approx = "tới"
    end = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return Amount(start, end, _num(v1), unit, _num(vmax) if vmax is not None else None, approx)


def _NOLEFT_OK(text: str, i: int) -> bool:  # noqa: N802 - reads like the regex guard it replaces
    """The number is not the tail of another number, code or word ("648/QĐ", "A2", "51B-135.03")."""
    c = text[i - 1]
    if c.isalnum() or c in "./,-_":
        if c in ",." and i >= 2 and text[i - 2] == " ":
            return True
        if c == "-" and (i < 2 or text[i - 2].isspace()):
            return True
        return False
    return True

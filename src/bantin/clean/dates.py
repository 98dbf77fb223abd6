"""Vietnamese date parsing shared by every reader and enricher.

Stdlib only, precompiled regexes, no guessing.  Entry points:

* ``parse_date(text, ref=None, whole=False)`` - the first date expression in ``text``; ``whole=True``: the
  string must be nothing but a date plus decorations (below), else ``None``.
* ``is_date_line(line, ref=None)`` - ``parse_date(line, whole=True)`` restricted to day granularity or finer
  and one notch stricter (a bare ``1/2`` needs a time or weekday beside it); readers drop the lines it accepts.
* ``find_dates(text, ref=None)`` - all date mentions in running text, in order, non-overlapping.

Policy (each point is pinned by ``tests/clean/test_dates.py``):

Reading
  * Numeric dates are always DD/MM[/YYYY], never MM/DD (``5/20/2016`` is rejected, ``6/1/2016`` is
    6 January).  ``YYYY-MM-DD`` and ``YYYY/MM/DD`` are year first.  A day or month that was not written is
    never invented: ``tháng 3/2025`` has granularity ``"month"``, ``năm 2025`` ``"year"``.
  * Granularity is one of ``GRANULARITIES``; ``"hour"`` exists for ``14h`` and ``2 giờ trước`` (calling
    them ``"minute"`` would claim precision we do not have).  ``value`` is truncated to it (day -> midnight,
    month -> the 1st, year -> 1 January); only ``N giờ/tiếng trước`` keeps ref's minutes as the best estimate.
  * ``value`` is timezone-aware and always expressed in +07:00 (``VN_TZ``).  A written zone is honoured and
    converted: ``GMT+7``, ``(GMT+7)``, ``[GMT+7]``, ``GMT +7``, ``UTC+7``, ``GMT+07:00``, ``GMT-5:30``,
    ``+0700``/``-0500`` right after a time, ISO ``Z``/``+07:00``, ``GMT``/``UT``/``UTC``, ``ICT`` and the
    RFC 822 US names (``EST`` ... ``PDT``).  No zone means +07:00.  A zone beside a date without a time is
    ignored (shifting a bare midnight would change the day).
  * Two-digit years use the POSIX ``%y`` window: 00-68 -> 2000-2068, 69-99 -> 1969-1999.  Years outside
    1900-2100, impossible dates (31/02, 32/01) and times (25:61) are rejected, never raised.
  * After a time: ``AM``/``SA``/``sáng`` (12 -> 0); ``PM``/``CH``/``chiều``/``tối`` (+12 below 12, an hour
    already >= 13 is kept: ``13:59 PM`` is 13:59); ``trưa`` (1-5 -> 13-17); ``đêm``/``khuya`` (6-11 -> 18-23,
    12 -> 0).  Times: ``14:51``, ``14:51:30``, ``14h51``, ``14g51``, ``14h``, ``20h:22``, ``17h40'``,
    ``14 giờ 30 phút``.
  * Month names: ``tháng năm`` = May (``23 Tháng năm 2016``), ``giêng``/``chạp``, English ``May 19, 2016``,
    ``16 May 2024`` (RFC 2822 with weekday, time and zone).

Relative (need ``ref``; ``None`` without it; ``relative=True``)
  * ``N giây/phút/giờ/tiếng/ngày/tuần/tháng/năm trước``, ``cách đây N ...``, ``1 giờ 30 phút trước``,
    number words (``hai giờ trước``); ``hôm nay/qua/kia``, ``sáng/trưa/chiều/tối/đêm nay|qua``, ``ngày mai``,
    with an optional time (``hôm qua lúc 9:05``, ``14:51 hôm qua``); ``vừa xong``.  English (``3 hours ago``,
    ``yesterday``, ``just now``) only in text without Vietnamese diacritics.
  * ``trước`` means "ago" only at a clause end or as ``trước đây`` (``2 ngày trước khi ...`` is "2 days
    before ..."); a number right after ``thứ`` is a weekday (``thứ Sáu tuần trước`` = last Friday, skipped);
    ``vừa xong``/``just now`` count only on date lines (in prose they mean "just finished").
  * Day+month without a year (``ngày 14/5``, ``14/5``, ``ngày 14 tháng 5``): the year putting the date
    closest to ``ref`` but not more than 31 days after it (ref 2025-01-03: ``28/12`` -> 2024-12-28).
    ``năm nay/ngoái/trước/sau/tới`` after a month is resolved from ``ref`` (``tháng 11 năm ngoái``).
  * ``ref``: naive is taken as +07:00; aware is converted to +07:00 first ("hôm nay" is the Vietnamese day).

Date lines (``whole=True``)
  * Allowed around the one date: weekday names (``Thứ hai``...``Thứ bảy``/``Thứ bẩy``, ``Thứ 2``...``Thứ 7``,
    ``T2``...``T7``, ``CN``, ``Chủ nhật``, English), labels (``Cập nhật``, ``Đăng``, ``Đăng lúc``,
    ``Đăng tải``, ``Ngày đăng``, ``Thời gian``, ``Xuất bản``, ``Gửi``, ``Sửa đổi``, ``Published``,
    ``Updated``, ``Posted`` ...), separators ``- – — | , : ; / . • ( ) [ ] '``, ``lúc``, ``vào (lúc)``,
    ``ngày``, ``at``, ``on``, one time anywhere on the line, and zone markers.  Anything else -> ``None``.
  * Several dates only when each later one is introduced by a label (``Đăng ngày X Sửa đổi ngày Y 15:10``):
    the first is returned, with only its own time.  Two times, or a time next to ``2 giờ trước`` or
    ``tháng 3/2025``, -> ``None``.  Lines over 200 characters -> ``None`` at once.
  * ``năm 2025`` alone is accepted (granularity ``"year"``); ``is_date_line`` then rejects it.  A bare
    ``20.5`` or ``2-1`` needs a time or weekday on the line (a number, a score).

Running text (``find_dates``; ``parse_date(whole=False)`` when the string is not a date line)
  * Precision over recall.  A day/month without a year needs a cue right before it (``ngày``/``mùng``,
    a weekday, ``sáng``/``chiều``/``tối``/``đêm``..., ``hôm qua (19/5)``) or, with ``/``, an attached time;
    ``20.5``/``20-5`` need the cue.  So fractions (``3/4 số người``), scores (``2-1``), percentages
    (``5,66%``), amounts (``ngày 2.5 triệu``), bare times and decree numbers (``15/2020/NĐ-CP``) are never
    dates.  Numeric dates need one separator and no spaces; single-digit minutes are not attached; dates
    followed by ``âm lịch``/``AL`` (lunar) are skipped.
  * An explicit date right after a relative day word replaces it and inherits its time
    (``14 giờ chiều nay (28.5)`` -> 28/5 14:00).
  * ``parse_date`` returns the first mention.

Text handling
  * Keywords are matched with their diacritics when the text has any Vietnamese diacritics and without them
    when it has none (``Thu hai``, ``hom qua``): so ``bà ngày trước`` is not "3 days ago", ``tôi qua`` is not
    ``tối qua`` and ``Việt Nam 2025`` is not a year.  Old/new tone-mark placement does not matter (no keyword
    has oa/oe/uy).  Input may be NFC or NFD (normalised internally, spans mapped back to the caller's
    offsets); ``Ð`` (U+00D0, legacy encodings) is read as ``Đ``.
  * Spans cover the date plus an attached time, AM/PM marker and zone, a leading ``ngày``/``mùng`` and, for a
    day/month without a year, its cue word.  Labels and (outside a time-date gap) weekday names are excluded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

__all__ = [
    "GRANULARITIES",
    "VN_TZ",
    "ParsedDate",
    "find_dates",
    "is_date_line",
    "parse_date",
]

VN_TZ = timezone(timedelta(hours=7), "+07:00")
GRANULARITIES = ("year", "month", "day", "hour", "minute", "second")
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_WHOLE_LEN = 200

_FINE = frozenset(("hour", "minute", "second"))
_DAY_OR_FINER = frozenset(("day", "hour", "minute", "second"))
_VN_OFFSET = timedelta(hours=7)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: datetime  # always timezone-aware, in +07:00
    granularity: str  # one of GRANULARITIES
    start: int  # span of the date expression in the caller's string
    end: int
    relative: bool = False  # computed from ref

    def iso(self) -> str:
        return self.value.isoformat()


# --------------------------------------------------------------------------------------------------------
# Patterns.  Written once with Vietnamese diacritics; the ASCII set is the same text folded.
# --------------------------------------------------------------------------------------------------------

_NB = r"(?![^\W\d_])"  # not followed by a letter
_NA = r"(?<![^\W\d_])"  # not preceded by a letter
_LB = r"(?<!\d)(?<!\d[./-])"  # a number that is not the tail of another number/date

_AMPM = r"a\.m\.|p\.m\.|am|pm|sa|ch|sáng|trưa|chiều|tối|đêm|khuya"
_TIME = (
    r"(?<![\d.,:/])(?P<h>\d{1,2})(?:"
    r"\s?:\s?(?P<mi>\d{1,2})(?!\d)(?:'{1,2}|′)?"
    r"(?:\s?:\s?(?P<se>\d{1,2})(?!\d)(?:'{1,2}|″|′′)?)?"
    r"|\s?(?:h" + _NB + r"|giờ" + _NB + r"|g(?=\s?\d))"
    r"(?:\s?:?\s?(?P<mi2>\d{1,2})(?!\d)(?:'|′|\s?phút" + _NB + r"|p" + _NB + r")?"
    r"(?:\s?(?P<se2>\d{1,2})(?!\d)\s?(?:giây|s)" + _NB + r")?)?"
    r")"
    r"(?:\s?(?P<ap>" + _AMPM + r")" + _NB + r")?"
)
_ZONE = (
    r"(?P<zb>[(\[]\s?)?(?:"
    r"(?:gmt|utc)\s?(?P<zs>[+-])\s?(?P<zh>\d{1,2})(?:[:.]?(?P<zm>\d{2}))?(?!\d)"
    r"|" + _NA + r"(?P<zn>gmt|utc|ut|ict|z|[ecmp][sd]t)" + _NB
    + r"|(?P<zvn>giờ\s+(?:hà\s+nội|việt\s+nam|vn))" + _NB + r")"
    r"(?(zb)\s?[)\]])"
)
_NZONE = r"(?P<ns>[+-])(?P<nh>\d{2}):?(?P<nm>\d{2})(?!\d)"
_WEEKDAY = (
    _NA + r"(?:(?:thứ\s?(?:hai|ba|tư|bốn|năm|sáu|bảy|bẩy)|chủ\s?nhật|cn|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)" + _NB + r"|(?:thứ\s?|t)[2-7](?!\d))"
)
_LABEL = (
    _NA + r"(?:ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lần\s+cuối)?|ngày\s+đăng(?:\s+tải)?|ngày\s+xuất\s+bản"
    r"|ngày\s+giờ|đăng\s+tải|đăng|xuất\s+bản|thời\s+gian(?:\s+đăng)?|sửa\s+đổi|chỉnh\s+sửa|gửi|bài\s+đăng"
    r"|last\s+updated|last\s+modified|updated|published|posted|modified|date)" + _NB
)
_CONN = _NA + r"(?:vào\s+lúc|vào|lúc|ngày|at|on)" + _NB
# "(" "[" and a "-" before a digit are separators only when nothing else matches ("(GMT+7)", "-0500")
_SEP = r"(?:[\s,|;:/.–—•·)\]'\"]|-(?!\d))+"

_MONTHW = r"(?:mười\s+một|mười\s+hai|mười|giêng|một|hai|ba|tư|bốn|năm|sáu|bảy|bẩy|tám|chín|chạp)" + _NB
_YREL = r"năm\s+(?:nay|ngoái|trước|sau|tới)" + _NB
_MON_EN = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_NUMW = r"(?:một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|mười)"
_UNIT = r"(?:giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)"
_DPFX = r"(?:(?:ngày|mùng|mồng)\s*)?"
# "2 ngày trước khi ..." is "2 days before ...": "trước" means "ago" only at a clause end or as "trước đây"
_AGO_END = r"trước(?:\s+đây" + _NB + r"|(?!\s*[^\W\d_]))"
_NOT_AMOUNT = r"(?!\s?(?:%|triệu|tỷ|tỉ|nghìn|ngàn|đồng|usd|lít|kg|km|điểm)" + _NB + r")"

# Order matters: at one start position the first alternative that matches wins.
_CORES = (
    ("ymd", _LB + r"(?P<ymd_y>\d{4})(?P<ymd_s>[-/.])(?P<ymd_mo>\d{1,2})(?P=ymd_s)(?P<ymd_d>\d{1,2})(?!\d)"
     r"(?:(?:t|\s)(?P<ymd_h>\d{1,2}):(?P<ymd_mi>\d{2})(?::(?P<ymd_se>\d{2})(?:[.,]\d{1,9})?)?(?!\d)"
     r"(?:\s?(?P<ymd_z>z|[+-]\d{2}(?::?\d{2})?)(?![\w:]))?)?"),
    ("wdmy", _DPFX + _LB + r"(?P<w_d>\d{1,2})\s+tháng\s*(?P<w_m>\d{1,2}(?!\d)|" + _MONTHW + r")"
     r"(?:(?P<w_sep>\s*,\s*|\s+năm\s+|\s*[/-]\s*|\s+)(?P<w_y>\d{4})(?!\d)|\s+(?P<w_yr>" + _YREL + r"))"),
    ("wdm", r"(?:ngày|mùng|mồng)\s*" + _LB + r"(?P<x_d>\d{1,2})\s+tháng\s*(?P<x_m>\d{1,2})(?!\d)"),
    ("dmy", _DPFX + _LB + r"(?P<n_d>\d{1,2})\s?(?P<n_s1>[/.-])\s?(?P<n_m>\d{1,2})\s?(?P<n_s2>[/.-])\s?"
     r"(?P<n_y>\d{4}|\d{2})(?!\d|[./]\d)"),
    ("dm", _DPFX + _LB + r"(?P<m_d>\d{1,2})(?P<m_s>[/.-])(?P<m_m>\d{1,2})(?!\d|[/.-]\d|[.,]\d)" + _NOT_AMOUNT),
    ("en1", _LB + r"(?P<e1_d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<e1_m>" + _MON_EN + r")\.?" + _NB
     + r",?\s+(?P<e1_y>\d{4})(?!\d)"),
    ("en2", _NA + r"(?P<e2_m>" + _MON_EN + r")\.?" + _NB
     + r"\s+(?P<e2_d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<e2_y>\d{4})(?!\d)"),
    ("my", _NA + r"tháng\s*(?P<my_m>\d{1,2}(?!\d)|" + _MONTHW + r")"
     r"(?:(?P<my_sep>\s*[/-]\s*|\.|\s+năm\s+|\s*,\s*)(?P<my_y>\d{4})(?!\d)|\s+(?P<my_yr>" + _YREL + r"))"),
    # "thứ Sáu tuần trước" is last Friday, not six weeks ago
    ("ago", _NA + r"(?P<a_pre>cách\s+đây\s+(?:(?:hơn|gần|khoảng|chừng|ngót)\s+)?)?(?<!thứ\s)(?<!thứ)(?:(?<![\d.,])(?P<a_n>\d{1,3})|" + _NA
     + r"(?P<a_w>" + _NUMW + r"))\s*(?P<a_u>" + _UNIT + r")" + _NB
     + r"(?:\s+(?P<a_n2>\d{1,2})\s*(?P<a_u2>phút|giây)" + _NB + r")?"
     r"(?(a_pre)(?:\s+" + _AGO_END + r")?|\s+" + _AGO_END + r")"),
    ("agoen", _NA + r"(?P<ae_n>\d{1,3}|an?|one)\s+(?P<ae_u>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?"
     r"|weeks?|months?|years?)\s+ago" + _NB),
    ("now", _NA + r"(?:vừa\s+xong|vừa\s+mới\s+đăng|just\s+now)" + _NB),
    ("rday", _NA + r"(?:(?P<r_p>hôm|sáng|trưa|chiều|tối|đêm)\s+(?P<r_w>nay|qua)|(?P<r_k>hôm\s+kia|ngày\s+mai"
     r"|today|yesterday|tomorrow))" + _NB),
    ("yr", _NA + r"(?<!việt\s)năm\s+(?P<yr_y>\d{4})(?!\d|[.,]\d)"),
)

# Stage 1: cheap scan for positions where a date expression can start.  Every alternative begins with a
# literal (so the regex engine skips non-candidates quickly) and ends with an empty marker group.  Digit runs
# qualify only when followed by something a date can continue with.
_DIGIT_NEXT = (
    r"(?=\s?[/.-]\s?\d|(?:st|nd|rd|th)?\s*(?:tháng|" + _MON_EN + r")|\s*" + _UNIT
    + r"|\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)" + _NB + r")"
)
_CAND = [f"{d}\\d*{_DIGIT_NEXT}(?P<c{d}>)" for d in range(10)] + [
    r"ngày(?=\s*\d)(?P<cn>)", r"mùng(?=\s*\d)(?P<cm>)", r"mồng(?=\s*\d)(?P<co>)",
    r"tháng(?=\s*(?:\d|" + _MONTHW + r"))(?P<ct>)", r"năm(?=\s+\d)(?P<cy>)",
] + [f"{mon}(?=[a-z]*\\.?\\s+\\d)(?P<ce{i}>)" for i, mon in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))]
# Only with ref: relative expressions, which need no digit.
_CAND_REL = _CAND + [
    r"cách(?=\s+đây)(?P<ra>)", r"vừa(?=\s)(?P<rb>)", r"hôm(?=\s)(?P<rd>)",
    r"sáng(?=\s)(?P<re>)", r"trưa(?=\s)(?P<rf>)", r"chiều(?=\s)(?P<rg>)", r"tối(?=\s)(?P<rh>)",
    r"đêm(?=\s)(?P<ri>)", r"ngày(?=\s+mai)(?P<rj>)",
] + [f"{w}(?=\\s*{_UNIT})(?P<w{i}>)" for i, w in enumerate(
    ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười"))]
# English relative words only in text without Vietnamese diacritics ("Russia Today" is a name).
_CAND_REL_EN = [
    r"today(?P<rk>)", r"yesterday(?P<rl>)", r"tomorrow(?P<rm>)", r"just(?=\s)(?P<rc>)",
    r"a(?=n?\s+(?:sec|min|hour|hr|day|week|month|year))(?P<rn>)",
    r"one(?=\s+(?:sec|min|hour|hr|day|week|month|year))(?P<ro>)",
]

_RIGHT_TIME = (
    r"\s?(?:[,|–—-]\s?)?(?:(?:vào\s+)?lúc\s?|at\s)?(?P<t>" + _TIME + r")"
    r"(?:\s?(?:" + _ZONE + r"|" + _NZONE + r"))?"
)
_LEFT_TIME = (
    r"(?P<t>" + _TIME + r")(?:\s?(?:" + _ZONE + r"|" + _NZONE + r"))?"
    r"\s?[,|–—-]?\s?(?:" + _WEEKDAY + r"\s?[,|–—-]?\s?)?$"
)
_RIGHT_ZONE = r"\s?(?:" + _ZONE + r"|" + _NZONE + r")"
_DM_CUE = (
    _NA + r"(?P<cue>hôm(?:\s+(?:nay|qua|kia))?|(?:rạng\s+)?sáng(?:\s+(?:nay|qua|hôm))?|trưa(?:\s+(?:nay|qua|hôm))?"
    r"|chiều(?:\s+(?:nay|qua|hôm))?|tối(?:\s+(?:nay|qua|hôm))?|đêm(?:\s+(?:nay|qua|hôm))?|khuya|mùng|mồng|ngày|phiên"
    r"|" + _WEEKDAY + r")\s?(?P<paren>\()?\s?$"
)
_LUNAR = r"\s?\(?\s?(?:âm\s+lịch|al" + _NB + r")"
_TOKENS = (  # separators first: they are the commonest token; markers at the end give the kind
    r"(?:" + _SEP + r")(?P<sep>)|(?:" + _TIME + r")(?P<time>)|(?:" + _ZONE + r")(?P<zone>)|(?:" + _NZONE
    + r")(?P<nzone>)|(?:" + _WEEKDAY + r")(?P<wd>)|(?:" + _LABEL + r")(?P<label>)|(?:" + _CONN + r")(?P<conn>)"
    r"|[(\[-](?P<sep1>)"
)

_VN_LETTERS = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_VN_CHARS = re.compile("[" + _VN_LETTERS + "]")
_DIGIT = re.compile(r"\d")
_CLUSTER = re.compile(r".[\u0300-\u036f]*", re.S)
_LEGACY = str.maketrans({"Ð": "Đ", "ð": "đ", "İ": "I"})


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("đ", "d").replace("Đ", "D")


class _Patterns:
    """Everything is matched against lowercased text, so no IGNORECASE (it defeats the engine's fast paths)."""

    __slots__ = ("core", "cand", "cand_rel", "right_time", "left_time", "right_zone", "dm_cue", "lunar",
                 "tokens")

    def __init__(self, fold: bool) -> None:
        f = _fold if fold else (lambda s: s)
        self.core = re.compile("|".join(f"(?P<{k}>{f(p)})" for k, p in _CORES))
        # folding can turn two starters into one ("năm"/"nam"): keep the first of each
        self.cand = re.compile("|".join(_dedupe_starters([f(a) for a in _CAND])))
        rel = _CAND_REL + _CAND_REL_EN if fold else _CAND_REL
        self.cand_rel = re.compile("|".join(_dedupe_starters([f(a) for a in rel])))
        self.right_time = re.compile(f(_RIGHT_TIME))
        self.left_time = re.compile(f(_LEFT_TIME))
        self.right_zone = re.compile(f(_RIGHT_ZONE))
        self.dm_cue = re.compile(f(_DM_CUE))
        self.lunar = re.compile(f(_LUNAR))
        self.tokens = re.compile(f(_TOKENS))


def _dedupe_starters(alts: list[str]) -> list[str]:
    seen, out = set(), []
    for a in alts:
        body = a[: a.rindex("(?P<")]
        if body not in seen:
            seen.add(body)
            out.append(a)
    return out


_VI = _Patterns(fold=False)  # text has Vietnamese diacritics: keywords must carry theirs
_AS = _Patterns(fold=True)  # text has none: keywords are matched without diacritics

_MONTH_WORDS = {
    "gieng": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12,
}
_MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_NUM_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
}
_UNITS = {
    "giay": "second", "phut": "minute", "gio": "hour", "tieng": "hour", "ngay": "day", "tuan": "week",
    "thang": "month", "nam": "year", "sec": "second", "second": "second", "min": "minute",
    "minute": "minute", "hr": "hour", "hour": "hour", "day": "day", "week": "week", "month": "month",
    "year": "year",
}
_NAMED_ZONES = {  # RFC 822 names, as used by RSS
    "gmt": timedelta(0), "utc": timedelta(0), "ut": timedelta(0), "z": timedelta(0), "ict": _VN_OFFSET,
    "est": timedelta(hours=-5), "edt": timedelta(hours=-4), "cst": timedelta(hours=-6),
    "cdt": timedelta(hours=-5), "mst": timedelta(hours=-7), "mdt": timedelta(hours=-6),
    "pst": timedelta(hours=-8), "pdt": timedelta(hours=-7),
}
_YREL_OFFSET = {"nay": 0, "ngoai": -1, "truoc": -1, "sau": 1, "toi": 1}
_AM = frozenset(("am", "a.m.", "sa", "sáng", "sang"))
_PM = frozenset(("pm", "p.m.", "ch", "chiều", "chieu", "tối", "toi"))
_NOON = frozenset(("trưa", "trua"))


def _key(s: str) -> str:
    return " ".join(_fold(s).lower().split())


# --------------------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------------------


class _Core:
    __slots__ = ("y", "mo", "d", "time", "gran", "tz", "relative", "fixed", "takes_time", "needs_cue",
                 "weak", "needs_bare", "start", "end", "kind")

    def __init__(self, kind: str, start: int, end: int) -> None:
        self.kind = kind
        self.start, self.end = start, end
        self.y = self.mo = self.d = None
        self.time = None  # (h, mi, se, gran) carried by the core itself (ISO)
        self.gran = "day"
        self.tz = None  # timedelta offset carried by the core itself
        self.relative = False
        self.fixed = None  # precomputed value (relative offsets)
        self.takes_time = True
        self.needs_cue = False  # search mode: a bare day/month needs a cue word or an attached time
        self.weak = False  # "20.5" / "2-1" without "ngày": a cue (search) or a time/weekday (whole) is required
        self.needs_bare = False  # any day/month without "ngày" ("14/5")


def _year(y: int) -> int | None:
    return y if MIN_YEAR <= y <= MAX_YEAR else None


def _expand_yy(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        y += 2000 if y <= 68 else 1900
    return y


def _valid_date(y, mo, d) -> bool:
    try:
        date(y, mo, d)
    except (ValueError, TypeError):
        return False
    return True


def _resolve_year(d: int, mo: int, ref: datetime) -> int | None:
    """The year putting d/mo closest to ref but at most 31 days after it."""
    limit = ref.date() + timedelta(days=31)
    for y in range(ref.year + 1, ref.year - 9, -1):  # 8 years back finds the previous 29/2
        try:
            dt = date(y, mo, d)
        except ValueError:
            continue
        if dt <= limit:
            return _year(y)
    return None


def _month_value(tok: str) -> int | None:
    if tok.isdigit():
        return int(tok)
    return _MONTH_WORDS.get(_key(tok))


def _parse_time(m: re.Match, whole: bool) -> tuple[int, int, int, str] | None:
    h = int(m["h"])
    mi_s = m["mi"] if m["mi"] is not None else m["mi2"]
    se_s = m["se"] if m["se"] is not None else m["se2"]
    if mi_s is None:
        mi, se, gran = 0, 0, "hour"
    else:
        if not whole and len(mi_s) == 1:
            return None
        mi = int(mi_s)
        se, gran = (0, "minute") if se_s is None else (int(se_s), "second")
    ap = m["ap"]
    if ap:
        if ap in _AM:
            if h == 12:
                h = 0
        elif ap in _PM:
            if 1 <= h < 12:
                h += 12
        elif ap in _NOON:
            if 1 <= h < 6:
                h += 12
        else:  # dem, khuya
            if 6 <= h < 12:
                h += 12
            elif h == 12:
                h = 0
    if h > 23 or mi > 59 or se > 59:
        return None
    return h, mi, se, gran


def _parse_zone(m: re.Match) -> timedelta | None | bool:
    """Offset from a _ZONE / _NZONE match; False when the offset is impossible."""
    if m["zs"] is not None:
        sign, hh, mm = m["zs"], int(m["zh"]), int(m["zm"] or 0)
    elif m["ns"] is not None:
        sign, hh, mm = m["ns"], int(m["nh"]), int(m["nm"])
    elif m["zn"] is not None:
        return _NAMED_ZONES[m["zn"]]
    elif m["zvn"] is not None:  # "giờ Hà Nội"
        return _VN_OFFSET
    else:
        return None
    if hh > 14 or mm > 59:
        return False
    off = timedelta(hours=hh, minutes=mm)
    return -off if sign == "-" else off


def _iso_zone(z: str) -> timedelta | None | bool:
    if z == "z":
        return timedelta(0)
    hh, mm = int(z[1:3]), int(z[-2:]) if len(z) > 3 else 0
    if hh > 14 or mm > 59:
        return False
    off = timedelta(hours=hh, minutes=mm)
    return -off if z[0] == "-" else off


def _truncate(dt: datetime, gran: str) -> datetime:
    if gran == "year":
        return dt.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if gran == "month":
        return dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if gran == "day":
        return dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if gran in ("hour", "minute"):
        return dt.replace(second=0, microsecond=0)
    return dt.replace(microsecond=0)


def _core(m: re.Match, s: str, ref: datetime | None, whole: bool) -> _Core | None:
    kind = m.lastgroup
    c = _Core(kind, m.start(), m.end())
    g = m.group
    if kind == "dmy":
        if not whole:
            if g("n_s1") != g("n_s2") or any(ch.isspace() for ch in s[m.start("n_d"):m.end("n_y")]):
                return None
            if len(g("n_y")) == 2 and g("n_s1") == ".":
                return None
        c.y, c.mo, c.d = _year(_expand_yy(g("n_y"))), int(g("n_m")), int(g("n_d"))
    elif kind == "ymd":
        c.y, c.mo, c.d = _year(int(g("ymd_y"))), int(g("ymd_mo")), int(g("ymd_d"))
        if g("ymd_h") is not None:
            h, mi = int(g("ymd_h")), int(g("ymd_mi"))
            se = int(g("ymd_se")) if g("ymd_se") is not None else 0
            if h > 23 or mi > 59 or se > 59:
                return None
            c.time = (h, mi, se, "second" if g("ymd_se") is not None else "minute")
            c.takes_time = False
            if g("ymd_z") is not None:
                z = _iso_zone(g("ymd_z"))
                if z is False:
                    return None
                c.tz = z
    elif kind == "wdmy":
        c.mo, c.d = _month_value(g("w_m")), int(g("w_d"))
        if g("w_y") is not None:
            c.y = _year(int(g("w_y")))
        else:
            if ref is None:
                return None
            c.y, c.relative = _year(ref.year + _YREL_OFFSET[_key(g("w_yr")).split()[1]]), True
    elif kind in ("wdm", "dm"):
        if ref is None:
            return None
        if kind == "wdm":
            d, mo = int(g("x_d")), int(g("x_m"))
        else:
            d, mo = int(g("m_d")), int(g("m_m"))
            if g(0)[0].isdigit():  # no "ngày"/"mùng" prefix
                c.needs_cue = not whole
                c.weak = g("m_s") != "/"
                c.needs_bare = True
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        c.y, c.mo, c.d, c.relative = _resolve_year(d, mo, ref), mo, d, True
    elif kind in ("en1", "en2"):
        p = "e1_" if kind == "en1" else "e2_"
        c.y, c.mo, c.d = _year(int(g(p + "y"))), _MONTHS_EN[g(p + "m")[:3]], int(g(p + "d"))
    elif kind == "my":
        if not whole and g("my_sep") and g("my_sep").strip() == ",":
            return None
        c.mo, c.d, c.gran, c.takes_time = _month_value(g("my_m")), 1, "month", False
        if g("my_y") is not None:
            c.y = _year(int(g("my_y")))
        else:
            if ref is None:
                return None
            c.y, c.relative = _year(ref.year + _YREL_OFFSET[_key(g("my_yr")).split()[1]]), True
    elif kind == "yr":
        c.y, c.mo, c.d, c.gran, c.takes_time = _year(int(g("yr_y"))), 1, 1, "year", False
    else:  # relative to ref
        if ref is None or (kind == "now" and not whole):  # "giải vừa xong" = the season just finished
            return None
        c.relative = True
        if kind == "rday":
            if g("r_k") is not None:
                k = _key(g("r_k"))
                off = {"hom kia": -2, "ngay mai": 1, "today": 0, "yesterday": -1, "tomorrow": 1}[k]
            else:
                off = 0 if _key(g("r_w")) == "nay" else -1
            dd = ref.date() + timedelta(days=off)
            c.y, c.mo, c.d = dd.year, dd.month, dd.day
            if _year(c.y) is None:
                return None
        else:
            c.takes_time = False
            if kind == "now":
                c.fixed, c.gran = _truncate(ref, "minute"), "minute"
            else:
                if kind == "ago":
                    n = int(g("a_n")) if g("a_n") is not None else _NUM_WORDS[_key(g("a_w"))]
                    unit = _UNITS[_key(g("a_u"))]
                else:
                    n = 1 if g("ae_n") in ("a", "an", "one") else int(g("ae_n"))
                    unit = _UNITS[g("ae_u").rstrip("s")]
                extra = None
                if kind == "ago" and g("a_n2") is not None:
                    extra = (int(g("a_n2")), _UNITS[_key(g("a_u2"))])
                    if unit in ("month", "year", "week", "day") or (unit == "minute" and extra[1] == "minute"):
                        return None  # "3 ngày 2 phút trước" is not a real-world form
                fixed = _ago(ref, n, unit, extra)
                if fixed is None:
                    return None
                c.fixed, c.gran = fixed
    if c.fixed is None:
        if c.y is None or c.mo is None or not _valid_date(c.y, c.mo, c.d):
            return None
    return c


def _ago(ref: datetime, n: int, unit: str, extra) -> tuple[datetime, str] | None:
    try:
        if unit in ("month", "year"):
            months = n * (12 if unit == "year" else 1)
            idx = ref.year * 12 + ref.month - 1 - months
            y, mo = divmod(idx, 12)
            if _year(y) is None:
                return None
            return datetime(y, 1 if unit == "year" else mo + 1, 1, tzinfo=VN_TZ), unit
        if unit in ("week", "day"):
            dt = ref - timedelta(days=n * (7 if unit == "week" else 1))
            gran = "day"
        else:
            dt = ref - timedelta(**{unit + "s": n})
            gran = unit
            if extra is not None:
                dt -= timedelta(**{extra[1] + "s": extra[0]})
                gran = extra[1]
    except OverflowError:
        return None
    if _year(dt.year) is None:
        return None
    return _truncate(dt, gran), gran


def _finish(c: _Core, time, tz, start: int, end: int, mapping) -> ParsedDate | None:
    if c.fixed is not None:
        value, gran = c.fixed, c.gran
    else:
        t = time or c.time
        try:
            if t is None:
                value, gran = datetime(c.y, c.mo, c.d, tzinfo=VN_TZ), c.gran
            else:
                h, mi, se, gran = t
                off = tz if tz is not None else c.tz
                if off is None or off == _VN_OFFSET:
                    value = datetime(c.y, c.mo, c.d, h, mi, se, tzinfo=VN_TZ)
                else:
                    value = datetime(c.y, c.mo, c.d, h, mi, se, tzinfo=timezone(off)).astimezone(VN_TZ)
        except (ValueError, OverflowError):
            return None
    if mapping is not None:
        starts, ends = mapping
        start, end = starts[start], ends[end - 1] if end > start else starts[start]
    return ParsedDate(value, gran, start, end, c.relative)


def _ref_vn(ref: datetime | None) -> datetime | None:
    if ref is None:
        return None
    if ref.tzinfo is None or ref.utcoffset() is None:
        return ref.replace(tzinfo=VN_TZ)
    return ref.astimezone(VN_TZ)


def _prepare(text: str):
    """(lowercased string to match, offset mapping or None, pattern set)."""
    if text.isascii():
        return text.lower(), None, _AS
    mapping = None
    s = text
    if not unicodedata.is_normalized("NFC", text):
        out, starts, ends = [], [], []
        for cm in _CLUSTER.finditer(text):
            seg = unicodedata.normalize("NFC", cm.group())
            a, b = cm.span()
            for ch in seg:
                out.append(ch)
                starts.append(a)
                ends.append(b)
        starts.append(len(text))
        s = "".join(out)
        mapping = (starts, ends)
    if "Ð" in s or "ð" in s or "İ" in s:
        s = s.translate(_LEGACY)
    s = s.lower()  # length-preserving once U+0130 is gone, so offsets stay valid
    return s, mapping, (_VI if _VN_CHARS.search(s) else _AS)


def _cores(s: str, P: _Patterns, ref: datetime | None, pos: int = 0):
    """Core matches, left to right, non-overlapping (what finditer would give, much faster)."""
    cand = P.cand if ref is None else P.cand_rel
    core_match = P.core.match
    n = len(s)
    while pos < n:
        cm = cand.search(s, pos)
        if cm is None:
            return
        p = cm.start()
        if p and ((s[p - 1] == ":" and p > 1 and s[p - 2].isdigit()) or (s[p - 1].isalpha() and not s[p].isdigit())):
            pos = cm.end()  # the minutes of a time / the inside of a word
            continue
        m = core_match(s, p)
        if m is None:
            pos = cm.end() if cm.end() > p else p + 1
            continue
        yield m
        pos = m.end()


# --------------------------------------------------------------------------------------------------------
# whole=True: one date plus decorations
# --------------------------------------------------------------------------------------------------------


_DISCARD = frozenset(("sep", "sep1", "conn"))


def _scan(s: str, pos: int, endpos: int, P: _Patterns, items: list) -> bool:
    """Tokenise s[pos:endpos] into decorations; False if anything else is there."""
    tok = P.tokens
    while pos < endpos:
        m = tok.match(s, pos, endpos)
        if m is None:
            return False
        kind = m.lastgroup
        if kind == "nzone":  # "+0700" only right after a time; otherwise the sign is a separator
            prev = items[-1] if items else None
            if prev is None or not (prev[0] == "time" or (prev[0] == "core" and prev[3].time is not None)):
                pos += 1
                continue
        if kind not in _DISCARD:
            items.append((kind, m.start(), m.end(), m))
        pos = m.end()
    return True


def _whole(s: str, P: _Patterns, ref: datetime | None, mapping, strict: bool = False) -> ParsedDate | None:
    """strict (is_date_line): a bare day/month also needs a time or a weekday ("1/2" is a page counter)."""
    items: list = []
    pos = 0
    for m in _cores(s, P, ref):
        c = _core(m, s, ref, whole=True)
        if c is None:
            return None
        if not _scan(s, pos, m.start(), P, items):
            return None
        items.append(("core", m.start(), m.end(), c))
        pos = m.end()
    if pos == 0 or not _scan(s, pos, len(s), P, items):
        return None
    # Groups: a label seen after a date starts the next group ("Đăng ngày X Sửa đổi ngày Y 15:10").  Every
    # group needs exactly one date and at most one time; only the first group's date is returned.
    first = None
    core = times = None
    zones: list = []
    has_wd = False
    for it in items:
        kind = it[0]
        if kind == "label" and core is not None:
            if first is None:
                first = (core, times, zones, has_wd)
            core = times = None
            zones = []
            has_wd = False
        elif kind == "core":
            if core is not None:
                return None
            core = it
        elif kind == "time":
            if times is not None:
                return None
            times = it
        elif kind == "wd":
            has_wd = True
        elif kind != "label":
            zones.append(it)
    if core is None:
        return None
    if first is None:
        first = (core, times, zones, has_wd)
    core, times, zones, has_wd = first
    c = core[3]
    if (c.weak or (strict and c.needs_bare)) and times is None and not has_wd:
        return None  # a line "20.5" or "2-1" is a number or a score
    start, end = c.start, c.end
    time = None
    if times is not None:
        if not c.takes_time:
            return None
        time = _parse_time(times[3], whole=True)
        if time is None:
            return None
        start, end = min(start, times[1]), max(end, times[2])
    tz = c.tz
    for it in zones:
        z = _parse_zone(it[3])
        if z is False or (tz is not None and z != tz):
            return None
        tz = z
        start, end = min(start, it[1]), max(end, it[2])
    if time is None and c.time is None:
        tz = None  # a zone next to a bare date says nothing about the day
    return _finish(c, time, tz, start, end, mapping)


# --------------------------------------------------------------------------------------------------------
# Running text
# --------------------------------------------------------------------------------------------------------


_CALENDAR = frozenset(("dmy", "dm", "wdm", "wdmy"))
_GAP = re.compile(r"\s?[,(]?\s?")


def _search(s: str, P: _Patterns, ref: datetime | None, mapping, first: bool) -> list[ParsedDate]:
    out: list[ParsedDate] = []
    recs: list[tuple] = []  # per result: (kind, core start, core end, time, tz, start, end)
    prev_end = 0
    for m in _cores(s, P, ref):
        if m.start() < prev_end:
            continue
        c = _core(m, s, ref, whole=False)
        if c is None:
            continue
        if c.kind in _CALENDAR and P.lunar.match(s, c.end):
            continue  # "15/8 âm lịch" is a lunar date
        start, end = c.start, c.end
        time = None
        tz = c.tz
        tm = None
        if c.takes_time:
            tm = P.right_time.match(s, end)
            if tm is not None:
                time = _parse_time(tm, whole=False)
                if time is not None:
                    end = tm.end()
            if time is None:
                tm = P.left_time.search(s, max(prev_end, start - 48), start)
                if tm is not None:
                    time = _parse_time(tm, whole=False)
                    if time is not None:
                        start = tm.start("t")
            if time is not None:
                z = _parse_zone(tm)
                if z is False:
                    z = None
                    if tm.re is P.right_time:
                        end = tm.end("t")
                tz = z if z is not None else tz
        elif c.time is not None and c.tz is None:
            zm = P.right_zone.match(s, end)
            if zm is not None:
                z = _parse_zone(zm)
                if z not in (None, False):
                    tz, end = z, zm.end()
        cued = False
        if c.kind in _CALENDAR and recs and recs[-1][0] == "rday" and _GAP.fullmatch(s, recs[-1][2], c.start):
            # "hôm qua (19/5)", "sáng nay, 19/5/2016", "14h chiều nay (28.5)": the explicit date replaces the
            # relative word just before it, and inherits its time
            r = recs.pop()
            out.pop()
            prev_end = recs[-1][6] if recs else 0
            start = r[5] if time is None or r[3] is not None else r[1]
            if time is None and r[3] is not None:
                time, tz = r[3], r[4]
            if "(" in s[r[2] : c.start] and s.startswith(")", end):
                end += 1
            cued = True
        if c.needs_cue and not cued:
            cm = P.dm_cue.search(s, max(prev_end, c.start - 24), c.start)
            if cm is not None:
                start = min(start, cm.start())
                if cm["paren"] and s.startswith(")", end):
                    end += 1
            elif time is None or c.weak:
                continue
        pd = _finish(c, time, tz, start, end, mapping)
        if pd is None:
            continue
        out.append(pd)
        recs.append((c.kind, c.start, c.end, time, tz, start, end))
        prev_end = end
        # parse_date: stop at the first result, unless it is a relative day that an explicit date right
        # after it may replace
        if first and (c.kind != "rday" or len(out) > 1):
            break
    return out[:1] if first else out


# --------------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------------


def parse_date(text: str, *, ref: datetime | None = None, whole: bool = False) -> ParsedDate | None:
    """Find the first date expression in `text`.

    whole=True: `text` must be nothing but one date plus decorations (see module docstring), else None;
    strings longer than MAX_WHOLE_LEN characters are rejected at once.  whole=False: a string that is a date
    line is parsed as such (so a time separated from the date by a weekday is kept); otherwise the first
    date found in running text (same rules as find_dates) is returned.
    """
    return _parse(text, ref, whole, strict=False)


def is_date_line(line: str, *, ref: datetime | None = None) -> ParsedDate | None:
    """parse_date(line, whole=True, ref=ref), restricted to day granularity or finer.

    Readers drop the lines this accepts, so it is one notch stricter than parse_date: a bare day/month
    ("1/2", "14/5" - page counters look the same) also needs a time or a weekday on the line; "ngày 14/5"
    is fine.
    """
    m = _CUT_ZONE_RE.search(line) if line and isinstance(line, str) else None
    if m is not None:  # "Thứ sáu, 3/6/2016 | 09:34 GMT+": a dump cut inside the zone; the time is local
        line = line[: m.start()]
    pd = _parse(line, ref, True, strict=True)
    if pd is not None and pd.granularity in _DAY_OR_FINER:
        return pd
    return None


#: A zone cut off by the end of a line ("… 09:34 GMT+", "… 09:34 (GMT", "… 09:34 (GMT+"): dropped, the time stays
#: local (Vietnamese outlets print GMT+7). A complete "GMT+7" or a bare "GMT" is a zone and is kept.
_CUT_ZONE_RE = re.compile(r"(?<=\d)\s*(?:\(\s*(?:GMT|UTC|GM|G|UT|U)?\s*[+-]?|(?:GMT|UTC)\s*[+-]|GM)\s*$", re.I)


def find_dates(text: str, *, ref: datetime | None = None) -> list[ParsedDate]:
    """All date mentions in running text, in order, non-overlapping.  Precision over recall."""
    if not text or not isinstance(text, str):
        return []
    ref = _ref_vn(ref)
    if ref is None and not _DIGIT.search(text):
        return []
    s, mapping, P = _prepare(text)
    return _search(s, P, ref, mapping, first=False)


def _parse(text: str, ref: datetime | None, whole: bool, strict: bool) -> ParsedDate | None:
    if not text or not isinstance(text, str):
        return None
    if whole and len(text) > MAX_WHOLE_LEN:
        return None
    ref = _ref_vn(ref)
    if ref is None and not _DIGIT.search(text):
        return None
    s, mapping, P = _prepare(text)
    if whole or len(text) <= MAX_WHOLE_LEN:
        pd = _whole(s, P, ref, mapping, strict)
        if pd is not None or whole:
            return pd
    found = _search(s, P, ref, mapping, first=True)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------------------
# Date mentions for enrichment: every date expression of running text, resolved when it can be
# --------------------------------------------------------------------------------------------------------
#
# ``find_mentions`` is ``find_dates`` plus what an analyst wants from an article but a reader of date lines must
# not accept: periods (``tuần trước``, ``tháng này``, ``năm ngoái``, ``quý I/2024``, ``6 tháng đầu năm 2019``), a
# month without a year (``hồi tháng 11``), parts (``đầu``/``giữa``/``cuối`` + a month, year or week), ranges
# (``từ 1/7 đến 15/7``, ``ngày 20-21/5``, ``giai đoạn 2021-2025``) and birth years (``SN 1986``).  An expression
# that needs the publication time and has none is still reported, with ``value=None``: never guessed.


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    value: datetime | None  # start of the period, +07:00; None when it needs a reference time that was not given
    granularity: str  # year | quarter | month | week | day | hour | minute | second
    value_end: datetime | None = None  # ranges: start of the last period
    part: str | None = None  # "early" | "mid" | "late" for đầu / giữa / cuối
    relative: bool = False  # resolved from (or needing) the reference time

    def iso(self) -> str | None:
        return iso_at(self.value, self.granularity)

    def iso_end(self) -> str | None:
        return iso_at(self.value_end, self.granularity)


def iso_at(value: datetime | None, granularity: str) -> str | None:
    """ISO 8601 at a granularity: ``2024``, ``2024-05`` (month and quarter), ``2024-W20``, ``2024-05-14``,
    ``2024-05-14T15:30+07:00``."""
    if value is None:
        return None
    if granularity == "year":
        return f"{value.year:04d}"
    if granularity in ("month", "quarter"):
        return f"{value.year:04d}-{value.month:02d}"
    if granularity == "week":
        y, w, _ = value.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if granularity == "day":
        return value.strftime("%Y-%m-%d")
    z = value.strftime("%z")
    zone = f"{z[:3]}:{z[3:]}" if z else ""
    fmt = "%Y-%m-%dT%H:%M:%S" if granularity == "second" else "%Y-%m-%dT%H:%M"
    return value.strftime(fmt) + zone


_NO_REF = datetime(2001, 7, 1, 12, 0, tzinfo=VN_TZ)  # stands in for a missing ref; such values are dropped
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PARTS = {"dau": "early", "thuong tuan": "early", "giua": "mid", "trung tuan": "mid", "cuoi": "late",
          "ha tuan": "late"}
_QUANT = (r"(?:\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|các|những|mấy|nhiều|vài|hàng|mỗi|hằng|bao|từng"
          r"|hơn|gần|suốt|cả)")
_EXTRA = (
    # "thứ Sáu tuần trước": a weekday of a week next to this one
    ("wkday", _NA + r"(?:thứ\s+(?P<wd_n>hai|ba|tư|năm|sáu|bảy|bẩy)|(?P<wd_cn>chủ\s+nhật))\s+tuần\s+"
     r"(?P<wd_w>này|trước|sau|tới|rồi)" + _NB),
    # "6 tháng đầu năm 2019", "nửa cuối năm nay"
    ("half", _NA + r"(?:(?P<h_n>\d{1,2}|ba|sáu|chín)\s+tháng|(?P<h_half>nửa))\s+(?P<h_w>đầu|cuối)\s+năm"
     r"(?:\s+(?P<h_y>\d{4})(?!\d)|\s+(?P<h_yr>nay|ngoái|trước|sau|tới)" + _NB + r")?"),
    # "quý I/2024", "quý 3 năm nay", "quý này"
    ("quarter", _NA + r"quý\s+(?:(?P<q_n>iv|iii|ii|i|[1-4])(?![^\W_])"
     r"(?:\s*[/-]\s*(?P<q_y>\d{4})(?!\d)|\s*,?\s+năm\s+(?P<q_y2>\d{4})(?!\d)|\s+năm\s+(?P<q_yr>nay|ngoái|trước|sau|tới)"
     + _NB + r"|\s+(?P<q_w>này|tới|trước|sau|vừa\s+qua)" + _NB + r")?|(?P<q_rel>này|tới|trước|sau|vừa\s+qua)"
     + _NB + r")"),
    # "ngày 20-21/5", "từ ngày 1 đến 15/7/2024", "từ 1 - 15/7"
    ("drange", _NA + r"(?:(?:từ\s+)?(?:các\s+|hai\s+)?(?:ngày|mùng|mồng)\s*|từ\s+)(?P<dr_a>\d{1,2})\s*(?:-|–|đến|tới)\s*"
     r"(?:ngày\s+)?(?P<dr_b>\d{1,2})\s*(?P<dr_s>[/.-])\s*(?P<dr_m>\d{1,2})(?:(?P=dr_s)(?P<dr_y>\d{4}))?(?!\d|[/.,-]\d)"),
    # "từ 1/7 đến 15/7", "từ 16/6/2018 đến 15/7/2019" (a fraction range "từ 1/3 đến 1/2" runs backwards)
    ("dmrange", _NA + r"từ\s+(?:ngày\s+)?(?P<dm_d1>\d{1,2})(?P<dm_s>[/.-])(?P<dm_m1>\d{1,2})(?:(?P=dm_s)(?P<dm_y1>\d{4}))?"
     r"\s*(?:-|–|đến|tới)\s*(?:ngày\s+)?(?P<dm_d2>\d{1,2})(?P=dm_s)(?P<dm_m2>\d{1,2})(?:(?P=dm_s)(?P<dm_y2>\d{4}))?"
     r"(?!\d|[/.,-]\d)"),
    # "giai đoạn 2021-2025", "từ năm 2010 đến năm 2015", "năm học 2023-2024"
    ("yrange", _NA + r"(?:giai\s+đoạn|nhiệm\s+kỳ|niên\s+kh(?:óa|oá)|năm\s+học|mùa\s+giải|thời\s+kỳ|từ\s+năm|từ|năm"
     r"|trong\s+năm|các\s+năm|những\s+năm)\s+(?P<yr_a>\d{4})\s*(?:-|–|—|đến|tới|/)\s*(?:năm\s+)?"
     r"(?P<yr_b>\d{4}|\d{2})(?!\d|[.,/]\d)"),
    # "SN 1986", "cùng kỳ 2018": a bare year after a cue that makes it one
    ("cueyr", _NA + r"(?:sn|cùng\s+kỳ(?:\s+năm)?)\s*(?P<cy_y>\d{4})(?!\d|[.,/]\d)"),
    # "trước 2020", "từ 2016 đến nay": a bare year after a preposition, when nothing is counted ("tới 2000 người")
    ("prepyr", _NA + r"(?:trước|sau|từ|đến|tới|hết|vào|trong|cuối|đầu|giữa)\s+(?P<py_y>(?:19[5-9]|20\d)\d)"
     r"(?=\s*(?:[,.;:)!?]|$)|\s+(?:đến|tới|và|thì|mới|sẽ|đã|là|nay|trở|hoặc|so|theo|với|tại|ở)" + _NB + r")"),
    # "hai hôm trước"
    ("homago", _NA + r"(?P<ha_n>\d{1,2}|một|hai|ba|bốn|năm)\s+hôm\s+trước" + _NB),
    # "sáng mai", "ngày kia"
    ("mai", _NA + r"(?:(?P<mi_p>sáng|trưa|chiều|tối|đêm)\s+mai|(?P<mi_k>ngày\s+kia))" + _NB),
    # "tuần trước", "tháng này", "năm ngoái", "tháng tới"
    ("period", _NA + r"(?P<p_u>tuần|tháng|năm)\s+(?P<p_w>này|nay|trước|sau|tới|ngoái|rồi|vừa\s+qua)" + _NB),
    # "tháng 11", "tháng 5 tới", "tháng Mười": a month without a year
    ("month", _NA + r"tháng\s*(?P<mo_m>1[0-2]|0?[1-9])(?!\d|[/.,-]\d|\s*[/-]\s*\d|\s+(?:năm\s+\d|lần|kỳ|đợt|tuổi|lương))"
     r"(?:\s+(?P<mo_w>này|tới|sau|trước|vừa\s+qua|rồi)" + _NB + r")?"),
)
_PART_BEFORE = (r"(?P<part>đầu|giữa|cuối|thượng\s+tuần|trung\s+tuần|hạ\s+tuần)\s+(?:(?:của|những\s+ngày)\s+)?$")
_QUANT_BEFORE = r"(?:^|[^\w])" + _QUANT + r"\s+$"
_AFTER_ANAPHOR = r"\s+(?:đó|đấy|khi|nữa|đây|kia)" + _NB
_RANGE_GAP = r"\s*(?:-|–|—|đến|tới|cho\s+đến|cho\s+tới)\s*(?:hết\s+|ngày\s+)?$"
_FROM_BEFORE = r"(?:từ|kể\s+từ)\s+$"
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_REL_STEP = {"nay": 0, "nay2": 0, "truoc": -1, "sau": 1, "toi": 1, "ngoai": -1, "roi": -1, "vua qua": -1}


# where an _EXTRA match can start: a digit or one of these words (a plain scan that the engine runs fast, then the
# full pattern is tried only there)
_EXTRA_STARTS = ("thứ", "chủ", "nửa", "quý", "ngày", "mùng", "mồng", "từ", "các", "hai", "giai", "nhiệm", "niên", "năm",
                 "mùa", "thời", "trong", "những", "sn", "cùng", "trước", "sau", "đến", "tới", "hết", "vào", "cuối",
                 "đầu", "giữa", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "tuần", "tháng", "một", "ba", "bốn",
                 "sáu", "chín")


class _ExtraPatterns:
    __slots__ = ("core", "starts", "part_before", "quant_before", "after_anaphor", "range_gap", "from_before")

    def __init__(self, fold: bool) -> None:
        f = _fold if fold else (lambda s: s)
        self.core = re.compile("|".join(f"(?P<{k}>{f(p)})" for k, p in _EXTRA))
        words = sorted({f(w) for w in _EXTRA_STARTS}, key=len, reverse=True)
        self.starts = re.compile(r"\d+|(?<![^\W\d_])(?:" + "|".join(words) + r")(?![^\W\d_])")
        self.part_before = re.compile(f(_PART_BEFORE))
        self.quant_before = re.compile(f(_QUANT_BEFORE))
        self.after_anaphor = re.compile(f(_AFTER_ANAPHOR))
        self.range_gap = re.compile(f(_RANGE_GAP))
        self.from_before = re.compile(f(_FROM_BEFORE))


_XVI = _ExtraPatterns(fold=False)
_XAS = _ExtraPatterns(fold=True)


class _M:
    """A mention while it is being built (offsets into the prepared string)."""

    __slots__ = ("start", "end", "value", "gran", "value_end", "part", "rel", "yearless", "kind")

    def __init__(self, start, end, value, gran, rel, yearless=False, kind="", value_end=None):
        self.start, self.end, self.value, self.gran = start, end, value, gran
        self.rel, self.yearless, self.kind, self.value_end = rel, yearless, kind, value_end
        self.part = None


def _month_start(y: int, mo: int) -> datetime | None:
    if _year(y) is None or not 1 <= mo <= 12:
        return None
    return datetime(y, mo, 1, tzinfo=VN_TZ)


def _shift_months(y: int, mo: int, n: int) -> tuple[int, int]:
    y2, m0 = divmod(y * 12 + mo - 1 + n, 12)
    return y2, m0 + 1


def _nearest_year(month_index: int, period: int, ref: datetime, step: int | None) -> int:
    """Year for a month (period=1) or quarter (period=3, month_index = its first month) without a year: the
    occurrence nearest to ref (ties: the past); step +1 = the next one, -1 = the last one, 0 = this year."""
    cur = ref.month if period == 1 else (ref.month - 1) // 3 * 3 + 1
    if step == 0:
        return ref.year
    if step is not None and step > 0:
        return ref.year if month_index >= cur else ref.year + 1
    if step is not None and step < 0:
        return ref.year if month_index <= cur else ref.year - 1
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        d = (y * 12 + month_index) - (ref.year * 12 + cur)
        key = (abs(d), d > 0)
        if best is None or key < best[0]:
            best = (key, y)
    return best[1]


def _extra(m: re.Match, s: str, X: _ExtraPatterns, ref: datetime) -> _M | None:
    kind = m.lastgroup
    g = m.group
    a, b = m.start(), m.end()
    if kind == "period":
        u, w = _key(g("p_u")), _key(g("p_w"))
        if (g("p_w") == "nay" and X is _XVI and u != "nam") or (w == "ngoai" and u != "nam"):
            return None
        if X.quant_before.search(s, max(0, a - 12), a) or X.after_anaphor.match(s, b):
            return None  # "2 năm trước" (ago: find_dates), "các năm trước", "năm trước đó"
        step = _REL_STEP[w]
        if u == "nam":
            y = ref.year + step
            return _M(a, b, _month_start(y, 1), "year", True, kind=kind) if _year(y) else None
        if u == "thang":
            y, mo = _shift_months(ref.year, ref.month, step)
            v = _month_start(y, mo)
            return _M(a, b, v, "month", True, kind=kind) if v else None
        monday = (ref - timedelta(days=ref.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        return _M(a, b, monday + timedelta(weeks=step), "week", True, kind=kind)
    if kind == "wkday":
        wd = 6 if g("wd_cn") else _WEEKDAYS.get(_key(g("wd_n")).replace("bay", "bay"), None)
        if wd is None:
            return None
        step = _REL_STEP[_key(g("wd_w"))]
        monday = (ref - timedelta(days=ref.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        return _M(a, b, monday + timedelta(weeks=step, days=wd), "day", True, kind=kind)
    if kind == "month":
        if X.quant_before.search(s, max(0, a - 12), a):
            return None  # "3 tháng 5 lần", "mỗi tháng 2 lần"
        mo = int(g("mo_m"))
        w = _key(g("mo_w")) if g("mo_w") else None
        step = None if w is None else (0 if w == "nay" else _REL_STEP[w])
        v = _month_start(_nearest_year(mo, 1, ref, step), mo)
        return _M(a, b, v, "month", True, yearless=True, kind=kind) if v else None
    if kind == "quarter":
        n = g("q_n")
        if n is None:  # "quý này"
            q = (ref.month - 1) // 3
            y, mo = _shift_months(ref.year, q * 3 + 1, 3 * _REL_STEP[_key(g("q_rel"))])
            v = _month_start(y, mo)
            return _M(a, b, v, "quarter", True, kind=kind, value_end=_month_start(y, mo + 2)) if v else None
        q = _ROMAN[n]
        first = 3 * q - 2
        rel, yearless = False, False
        if g("q_y") or g("q_y2"):
            y = int(g("q_y") or g("q_y2"))
        elif g("q_yr"):
            y, rel = ref.year + _YREL_OFFSET[_key(g("q_yr"))], True
        else:
            w = _key(g("q_w")) if g("q_w") else None
            y, rel, yearless = _nearest_year(first, 3, ref, None if w is None else _REL_STEP[w]), True, w is None
        v = _month_start(y, first)
        return _M(a, b, v, "quarter", rel, yearless, kind, _month_start(y, first + 2)) if v else None
    if kind == "half":
        n = 6 if g("h_half") else (int(g("h_n")) if g("h_n").isdigit() else _NUM_WORDS[_key(g("h_n"))])
        if not 1 <= n <= 12:
            return None
        rel = False
        if g("h_y"):
            y = int(g("h_y"))
        elif g("h_yr"):
            y, rel = ref.year + _YREL_OFFSET[_key(g("h_yr"))], True
        else:
            y, rel = ref.year, True
        lo, hi = (1, n) if _key(g("h_w")) == "dau" else (13 - n, 12)
        v, ve = _month_start(y, lo), _month_start(y, hi)
        return _M(a, b, v, "month", rel, kind=kind, value_end=ve) if v else None
    if kind == "drange":
        d1, d2, mo = int(g("dr_a")), int(g("dr_b")), int(g("dr_m"))
        if not (d1 < d2 and 1 <= mo <= 12):
            return None
        if g("dr_y"):
            y, rel, yl = int(g("dr_y")), False, False
        else:
            y, rel, yl = _resolve_year(d2, mo, ref), True, True
        if y is None or not (_valid_date(y, mo, d1) and _valid_date(y, mo, d2)):
            return None
        return _M(a, b, datetime(y, mo, d1, tzinfo=VN_TZ), "day", rel, yl, kind, datetime(y, mo, d2, tzinfo=VN_TZ))
    if kind == "dmrange":
        d1, m1, d2, m2 = int(g("dm_d1")), int(g("dm_m1")), int(g("dm_d2")), int(g("dm_m2"))
        y1, y2 = g("dm_y1"), g("dm_y2")
        if y2:
            yb, rel, yl = int(y2), False, False
        else:
            yb, rel, yl = _resolve_year(d2, m2, ref), True, True
        if yb is None:
            return None
        ya = int(y1) if y1 else (yb if (m1, d1) <= (m2, d2) else yb - 1)
        if not (y1 or y2) and (m1, d1) >= (m2, d2):
            return None  # no year and running backwards: a fraction range, not dates
        if not (_valid_date(ya, m1, d1) and _valid_date(yb, m2, d2)):
            return None
        va, vb = datetime(ya, m1, d1, tzinfo=VN_TZ), datetime(yb, m2, d2, tzinfo=VN_TZ)
        return _M(a, b, va, "day", rel, yl, kind, vb) if va < vb else None
    if kind == "yrange":
        y1, ys = int(g("yr_a")), g("yr_b")
        y2 = int(ys) if len(ys) == 4 else (y1 // 100) * 100 + int(ys)
        if not (_year(y1) and _year(y2) and y1 < y2 <= y1 + 100):
            return None
        return _M(a, b, _month_start(y1, 1), "year", False, kind=kind, value_end=_month_start(y2, 1))
    if kind in ("cueyr", "prepyr"):
        y = int(g("cy_y") or g("py_y"))
        return _M(a, b, _month_start(y, 1), "year", False, kind=kind) if _year(y) else None
    if kind == "homago":
        n = int(g("ha_n")) if g("ha_n").isdigit() else _NUM_WORDS[_key(g("ha_n"))]
        d = (ref - timedelta(days=n)).replace(hour=0, minute=0, second=0, microsecond=0)
        return _M(a, b, d, "day", True, kind=kind)
    if kind == "mai":
        d = (ref + timedelta(days=2 if g("mi_k") else 1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return _M(a, b, d, "day", True, kind=kind)
    return None


def _with_year(v: datetime, y: int) -> datetime | None:
    try:
        return v.replace(year=y)
    except ValueError:
        return None


def find_mentions(text: str, *, ref: datetime | None = None) -> list[DateMention]:
    """Every date expression of running text (``find_dates``' and the periods, parts and ranges above), in
    order, non-overlapping. Without ``ref``, those that need it come back with ``value=None``."""
    if not text or not isinstance(text, str):
        return []
    ref_vn = _ref_vn(ref)
    eff = ref_vn or _NO_REF
    s, mapping, P = _prepare(text)
    X = _XAS if P is _AS else _XVI
    cands: list[_M] = []
    for pd in _search(s, P, eff, None, first=False):
        c = _M(pd.start, pd.end, pd.value, pd.granularity, pd.relative)
        # a day/month whose year came from ref (find_dates marks those relative, like "hôm qua")
        c.yearless = pd.relative and pd.granularity in _DAY_OR_FINER and any(ch.isdigit() for ch in s[pd.start:pd.end])
        cands.append(c)
    pos = 0
    for sm in X.starts.finditer(s):
        if sm.start() < pos:
            continue
        m = X.core.match(s, sm.start())
        if m is None:
            continue
        pos = m.end()
        c = _extra(m, s, X, eff)
        if c is not None and not P.lunar.match(s, c.end):  # "tháng 7 âm lịch" is a lunar month, as in find_dates
            cands.append(c)
    # longest first at each start; drop what overlaps a mention already taken
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_M] = []
    for c in cands:
        if out and c.start < out[-1].end:
            if c.end - c.start > out[-1].end - out[-1].start and c.start >= out[-1].start and c.kind:
                out[-1] = c  # an extra that contains the find_dates match ("7 tháng đầu năm 2019" ⊃ "năm 2019")
            continue
        out.append(c)
    # parts: "đầu tháng này", "cuối năm 2016"
    for c in out:
        if c.gran in ("year", "quarter", "month", "week") and c.value_end is None:
            pm = X.part_before.search(s, max(0, c.start - 24), c.start)
            if pm is not None and (not out or all(o.end <= pm.start() or o is c or o.start >= c.end for o in out)):
                c.part, c.start = _PARTS[_key(pm.group("part"))], pm.start()
    # ranges: "từ 1/7 đến 15/7", "từ tháng 3 đến tháng 5/2024"
    merged: list[_M] = []
    for c in out:
        if merged:
            p = merged[-1]
            if (p.value_end is None and c.value_end is None and p.gran == c.gran and p.value is not None
                    and c.value is not None and X.range_gap.match(s[p.end:c.start]) is not None
                    and X.from_before.search(s, max(0, p.start - 10), p.start) is not None):
                a = p.value
                if p.yearless and not c.yearless:
                    a = _with_year(a, c.value.year)
                    if a is not None and a > c.value:
                        a = _with_year(a, c.value.year - 1)
                if a is not None and a <= c.value:
                    fm = X.from_before.search(s, max(0, p.start - 10), p.start)
                    r = _M(fm.start(), c.end, a, p.gran, c.rel if p.yearless else (p.rel or c.rel),
                           c.yearless, "range", c.value)
                    merged[-1] = r
                    continue
        merged.append(c)
    res = []
    for c in merged:
        value, value_end = c.value, c.value_end
        if ref_vn is None and c.rel:
            value = value_end = None
        start, end = c.start, c.end
        if mapping is not None:
            starts, ends = mapping
            start, end = starts[start], ends[end - 1] if end > start else starts[start]
        res.append(DateMention(start, end, value, c.gran, value_end, c.part, c.rel))
    return res

"""Tests for bantin.clean.dates - the shared Vietnamese date parser."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.clean.dates import VN_TZ, ParsedDate, find_dates, is_date_line, parse_date

REF = datetime(2024, 5, 16, 14, 51, 30, tzinfo=VN_TZ)


def _check(pd: ParsedDate | None, iso: str | None, gran: str | None) -> None:
    if iso is None:
        assert pd is None
        return
    assert pd is not None
    assert (pd.iso(), pd.granularity) == (iso, gran)
    assert pd.value.utcoffset() == timedelta(hours=7)


# --------------------------------------------------------------------------------------------------------
# Date lines (whole=True): every form from the brief and from real published_raw values
# --------------------------------------------------------------------------------------------------------

DATE_LINES = [
    # numeric, time after / before, separators
    ("16/05/2024 - 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("16/5/2024, 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Thứ năm, 16/5/2024, 14:51 (GMT+7)", "2024-05-16T14:51:00+07:00", "minute"),
    ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", "2025-10-22T19:25:00+07:00", "minute"),
    ("16-05-2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("14:51 16/05/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("22/10/2025 19:25", "2025-10-22T19:25:00+07:00", "minute"),
    ("19:25 22/10/2025", "2025-10-22T19:25:00+07:00", "minute"),
    ("20.05.2016 | 10:49 AM", "2016-05-20T10:49:00+07:00", "minute"),
    ("20.05.2016 | 10:49 PM", "2016-05-20T22:49:00+07:00", "minute"),
    ("Thứ 6, 11:03, 20/05/2016", "2016-05-20T11:03:00+07:00", "minute"),
    ("Thứ Sáu, 20/05/2016 - 11:03", "2016-05-20T11:03:00+07:00", "minute"),
    ("Chủ nhật, 19/5/2024", "2024-05-19T00:00:00+07:00", "day"),
    ("T5, 16/05/2024", "2024-05-16T00:00:00+07:00", "day"),
    ("CN, 19/05/2024", "2024-05-19T00:00:00+07:00", "day"),
    ("Thứ 2 - 20/05/2024", "2024-05-20T00:00:00+07:00", "day"),
    ("Thứ Bẩy, ngày 21/05/2016 10:45 GMT +7", "2016-05-21T10:45:00+07:00", "minute"),
    ("THỨ NĂM, 16/05/2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    # labels
    ("Cập nhật: 16/05/2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Cập nhật lúc 14:51 ngày 16/05/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("Đăng lúc: 14:51 16/05/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("Đăng lúc 16:07PM - 19/05/2016", "2016-05-19T16:07:00+07:00", "minute"),
    ("Ngày đăng: 16/05/2024", "2024-05-16T00:00:00+07:00", "day"),
    ("Thời gian: 16/05/2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Xuất bản: 16/05/2024 lúc 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Published: 16/05/2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Cập nhật:16/05/2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Updated: 2024-05-16 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Gửi 09:17am | 20/05/2016", "2016-05-20T09:17:00+07:00", "minute"),
    ("Ngày 16/05/2024", "2024-05-16T00:00:00+07:00", "day"),
    ("Thứ Sáu, ngày 20/5/2016 - 10:33", "2016-05-20T10:33:00+07:00", "minute"),
    # seconds, hour-only, h/g notation, apostrophes
    ("16/05/2024 14:51:30", "2024-05-16T14:51:30+07:00", "second"),
    ("14h51 16/5/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("14g51 16/5/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("14h 16/5/2024", "2024-05-16T14:00:00+07:00", "hour"),
    ("20h:22 GMT+7 - Thứ bảy, 21/05/2016", "2016-05-21T20:22:00+07:00", "minute"),
    ("17h40' 25-05-2016", "2016-05-25T17:40:00+07:00", "minute"),
    ("15:07' 20-05-2016", "2016-05-20T15:07:00+07:00", "minute"),
    ("13:37 21/05.2016", "2016-05-21T13:37:00+07:00", "minute"),
    ("Thứ ba, ngày 24 tháng 5 năm 2016 | 8:6", "2016-05-24T08:06:00+07:00", "minute"),
    # words
    ("ngày 5 tháng 3 năm 2025", "2025-03-05T00:00:00+07:00", "day"),
    ("5 tháng 3, 2025", "2025-03-05T00:00:00+07:00", "day"),
    ("27 tháng 5 2016", "2016-05-27T00:00:00+07:00", "day"),
    ("10:15 ngày 20 tháng 05 năm 2016", "2016-05-20T10:15:00+07:00", "minute"),
    ("NGÀY 20 THÁNG 05, 2016 | 19:53", "2016-05-20T19:53:00+07:00", "minute"),
    ("Ngày 20 Tháng 5, 2016 | 07:51 PM", "2016-05-20T19:51:00+07:00", "minute"),
    ("Thứ hai, 23 Tháng năm 2016, 23:43 GMT+7", "2016-05-23T23:43:00+07:00", "minute"),
    ("Thứ tư, 01 Tháng sáu 2016, 11:47 GMT+7", "2016-06-01T11:47:00+07:00", "minute"),
    ("12 tháng mười hai 2023", "2023-12-12T00:00:00+07:00", "day"),
    ("tháng 3/2025", "2025-03-01T00:00:00+07:00", "month"),
    ("tháng 3 năm 2025", "2025-03-01T00:00:00+07:00", "month"),
    ("Tháng 12-2024", "2024-12-01T00:00:00+07:00", "month"),
    ("năm 2025", "2025-01-01T00:00:00+07:00", "year"),
    # ISO 8601
    ("2024-05-16T14:51:00+07:00", "2024-05-16T14:51:00+07:00", "second"),
    ("2024-05-16 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("2024-05-16", "2024-05-16T00:00:00+07:00", "day"),
    ("2024-05-16T07:51:00Z", "2024-05-16T14:51:00+07:00", "second"),
    ("2024-05-16T07:51:00.123456Z", "2024-05-16T14:51:00+07:00", "second"),
    ("2024-05-16T09:51:00+0900", "2024-05-16T07:51:00+07:00", "second"),
    ("2024/05/16 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("Đăng tải: 2016-05-23 16:17:37 Cập nhật: 2016-05-23 17:10:06", "2016-05-23T16:17:37+07:00", "second"),
    # RFC 2822 (RSS) and English
    ("Thu, 16 May 2024 07:51:00 GMT", "2024-05-16T14:51:00+07:00", "second"),
    ("Thu, 16 May 2024 14:51:00 +0700", "2024-05-16T14:51:00+07:00", "second"),
    ("Thu, 16 May 2024 02:51:00 -0500", "2024-05-16T14:51:00+07:00", "second"),
    ("Thu, 16 May 2024 23:30:00 UT", "2024-05-17T06:30:00+07:00", "second"),
    ("Thu, 16 May 2024 03:51:00 EDT", "2024-05-16T14:51:00+07:00", "second"),
    ("Wed, 15 May 2024 23:51:00 PST", "2024-05-16T14:51:00+07:00", "second"),
    ("16 May 2024 14:51 ICT", "2024-05-16T14:51:00+07:00", "minute"),
    ("May 19, 2016", "2016-05-19T00:00:00+07:00", "day"),
    ("Sunday, 19th May 2024", "2024-05-19T00:00:00+07:00", "day"),
    # zones honoured and converted
    ("16/05/2024 14:51 (GMT+7)", "2024-05-16T14:51:00+07:00", "minute"),
    ("16/05/2024 14:51 GMT+07:00", "2024-05-16T14:51:00+07:00", "minute"),
    ("16/05/2024 14:51 UTC+7", "2024-05-16T14:51:00+07:00", "minute"),
    ("16/05/2024 14:51 [GMT+7]", "2024-05-16T14:51:00+07:00", "minute"),
    ("16/05/2024 07:51 GMT", "2024-05-16T14:51:00+07:00", "minute"),
    ("16/05/2024 09:51 GMT+9", "2024-05-16T07:51:00+07:00", "minute"),
    ("16/05/2024 23:30 UTC", "2024-05-17T06:30:00+07:00", "minute"),
    ("16/05/2024 10:00 GMT-5:30", "2024-05-16T22:30:00+07:00", "minute"),
    ("16/05/2024 (GMT+0)", "2024-05-16T00:00:00+07:00", "day"),  # no time: zone cannot shift a bare date
    # two-digit years (POSIX window)
    ("16/05/24", "2024-05-16T00:00:00+07:00", "day"),
    ("19/05/16 15:47", "2016-05-19T15:47:00+07:00", "minute"),
    ("01/01/68", "2068-01-01T00:00:00+07:00", "day"),
    ("01/01/69", "1969-01-01T00:00:00+07:00", "day"),
    # AM/PM and Vietnamese day parts
    ("16/05/2024 12:30 AM", "2024-05-16T00:30:00+07:00", "minute"),
    ("16/05/2024 12:30 PM", "2024-05-16T12:30:00+07:00", "minute"),
    ("16/05/2024 13:59 PM", "2024-05-16T13:59:00+07:00", "minute"),
    ("16/05/2024 08:47 SA", "2024-05-16T08:47:00+07:00", "minute"),
    ("16/05/2024 05:46 CH", "2024-05-16T17:46:00+07:00", "minute"),
    ("Thứ sáu, 20/5/2016 | 2:33:23 Chiều", "2016-05-20T14:33:23+07:00", "second"),
    ("9:00 sáng 16/05/2024", "2024-05-16T09:00:00+07:00", "minute"),
    ("8 giờ tối 16/05/2024", "2024-05-16T20:00:00+07:00", "hour"),
    ("1:30 trưa 16/05/2024", "2024-05-16T13:30:00+07:00", "minute"),
    ("11:30 trưa 16/05/2024", "2024-05-16T11:30:00+07:00", "minute"),
    ("2:00 đêm 16/05/2024", "2024-05-16T02:00:00+07:00", "minute"),
    ("10:00 đêm 16/05/2024", "2024-05-16T22:00:00+07:00", "minute"),
    ("14 giờ 30 phút ngày 16/05/2024", "2024-05-16T14:30:00+07:00", "minute"),
    # no diacritics, legacy Đ, odd spacing seen in the wild
    ("Thu hai, 20/05/2024 - 08:00", "2024-05-20T08:00:00+07:00", "minute"),
    ("Chu nhat, 19/5/2024", "2024-05-19T00:00:00+07:00", "day"),
    ("Cap nhat luc 14:51 ngay 16/05/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("Ðăng lúc 14:51 16/05/2024", "2024-05-16T14:51:00+07:00", "minute"),
    ("Cập nhật: 7: 25': 10'' (GMT+7) - 19 / 5 / 2016", "2016-05-19T07:25:10+07:00", "second"),
    ("  16/05/2024 14:51  ", "2024-05-16T14:51:00+07:00", "minute"),
    # several dates: only when a label introduces the later ones; the first one is returned with its own time
    ("Đăng ngày 22-05-2016 Sửa đổi ngày 22-05-2016 15:10", "2016-05-22T00:00:00+07:00", "day"),
    ("16/05/2024 14:51 Cập nhật: 17/05/2024 08:00", "2024-05-16T14:51:00+07:00", "minute"),
]


@pytest.mark.parametrize("text,iso,gran", DATE_LINES)
def test_date_lines(text, iso, gran):
    _check(parse_date(text, whole=True), iso, gran)
    _check(parse_date(text), iso, gran)  # a date line is also found in search mode


@pytest.mark.parametrize("text,iso,gran", DATE_LINES)
def test_date_lines_are_normalisation_independent(text, iso, gran):
    for form in ("NFD", "NFKC"):
        _check(parse_date(unicodedata.normalize(form, text), whole=True), iso, gran)


@pytest.mark.parametrize(
    "text,iso,gran",
    [
        ("16/05/2024 14:51", "2024-05-16T14:51:00+07:00", "minute"),
        ("Chủ nhật, 19/5/2024", "2024-05-19T00:00:00+07:00", "day"),
        ("14h 16/5/2024", "2024-05-16T14:00:00+07:00", "hour"),
        ("tháng 3/2025", None, None),  # coarser than a day
        ("năm 2025", None, None),
        ("Ngày 16/5: Mỹ và Trung Quốc nhất trí", None, None),
        ("2 giờ trước", None, None),  # needs ref
    ],
)
def test_is_date_line(text, iso, gran):
    _check(is_date_line(text), iso, gran)


def test_is_date_line_accepts_ref():
    _check(is_date_line("2 giờ trước", ref=REF), "2024-05-16T12:51:00+07:00", "hour")
    _check(is_date_line("21/05 06:45", ref=REF), "2024-05-21T06:45:00+07:00", "minute")
    assert is_date_line("21/05 06:45") is None


def test_is_date_line_bare_day_month_needs_time_or_weekday():
    # "1/2" alone is as likely a page counter as a date: readers must keep that line
    assert is_date_line("1/2", ref=REF) is None
    assert is_date_line("14/5", ref=REF) is None
    _check(parse_date("14/5", ref=REF, whole=True), "2024-05-14T00:00:00+07:00", "day")
    _check(is_date_line("ngày 14/5", ref=REF), "2024-05-14T00:00:00+07:00", "day")
    _check(is_date_line("Thứ Ba, 14/5", ref=REF), "2024-05-14T00:00:00+07:00", "day")
    _check(is_date_line("14/5 08:00", ref=REF), "2024-05-14T08:00:00+07:00", "minute")


# --------------------------------------------------------------------------------------------------------
# Spans
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,whole,span",
    [
        ("Cập nhật: 16/05/2024 14:51", True, "16/05/2024 14:51"),
        ("Thứ năm, 16/5/2024, 14:51 (GMT+7)", True, "16/5/2024, 14:51 (GMT+7)"),
        ("Thứ 6, 11:03, 20/05/2016", True, "11:03, 20/05/2016"),
        ("Ngày 16/05/2024", True, "Ngày 16/05/2024"),
        ("Đăng ngày 22-05-2016 Sửa đổi ngày 22-05-2016 15:10", True, "ngày 22-05-2016"),
        ("Hội nghị diễn ra lúc 14h30 ngày 16/5/2024 tại Hà Nội.", False, "14h30 ngày 16/5/2024"),
        ("Bài viết (cập nhật 2024-05-16T14:51:00+07:00) đã sửa", False, "2024-05-16T14:51:00+07:00"),
    ],
)
def test_spans(text, whole, span):
    pd = parse_date(text, whole=whole)
    assert pd is not None
    assert text[pd.start : pd.end] == span


@pytest.mark.parametrize(
    "text,span",
    [
        ("Ngày 16/05/2024", "Ngày 16/05/2024"),
        ("Thứ năm, ngày 16 tháng 5 năm 2024 | 14:51", "ngày 16 tháng 5 năm 2024 | 14:51"),
        ("hôm qua lúc 9:05", "hôm qua lúc 9:05"),
    ],
)
def test_spans_map_back_to_nfd_input(text, span):
    nfd = unicodedata.normalize("NFD", text)
    assert len(nfd) > len(text)
    pd = parse_date(nfd, ref=REF, whole=True)
    assert pd is not None
    assert nfd[pd.start : pd.end] == unicodedata.normalize("NFD", span)
    assert pd == dataclasses.replace(parse_date(text, ref=REF, whole=True), start=pd.start, end=pd.end)


def test_spans_in_nfd_running_text():
    text = unicodedata.normalize("NFD", "Chiều hôm qua (15/5), Thủ tướng đã họp; ngày 16 tháng 5 năm 2024 công bố.")
    found = find_dates(text, ref=REF)
    assert [text[p.start : p.end] for p in found] == [
        unicodedata.normalize("NFD", s) for s in ("hôm qua (15/5)", "ngày 16 tháng 5 năm 2024")
    ]


# --------------------------------------------------------------------------------------------------------
# Invalid input and rejections
# --------------------------------------------------------------------------------------------------------

INVALID = [
    "31/02/2024",
    "32/01/2024",
    "29/02/2023",
    "00/05/2024",
    "16/13/2024",
    "16/00/2024",
    "16/05/1899",
    "16/05/2101",
    "năm 1800",
    "năm 2200",
    "2024-02-30",
    "2024-13-01",
    "ngày 30 tháng 2 năm 2024",
    "tháng 13/2024",
    "tháng 0/2024",
    "25:61",
    "14:51",
    "5/20/2016",  # MM/DD is never guessed
    "5/20/2016 11:40:52 PM",
    "2024-05-16T25:00",
    "",
    "   ",
    "không có ngày tháng",
    "12345678",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid(text):
    for whole in (True, False):
        assert parse_date(text, whole=whole) is None
        assert parse_date(text, whole=whole, ref=REF) is None
    assert find_dates(text, ref=REF) == []


def test_valid_leap_day():
    _check(parse_date("29/02/2024", whole=True), "2024-02-29T00:00:00+07:00", "day")


@pytest.mark.parametrize(
    "text",
    [
        "16/05/2024 25:61",
        "16/05/2024 14:51 GMT+25",
        "16/05/2024 14:51 16:00",  # two times
        "16/05/2024 - 17/05/2024",  # two dates, no label
        "14:51 16/05/2024 Xem: 732",
        "19/05/201600:00:00(Xem: 732)",
        "2 giờ trước 14:51",  # a relative offset takes no time
        "tháng 3/2025 14:51",  # nor does a month
    ],
)
def test_whole_rejects_malformed_lines(text):
    assert parse_date(text, whole=True, ref=REF) is None


def test_bad_time_keeps_the_date_in_search_mode():
    # The date itself is valid; the impossible time is not attached (and not invented).
    _check(parse_date("16/05/2024 25:61"), "2024-05-16T00:00:00+07:00", "day")


SENTENCES = [
    ("Ngày 16/5: Mỹ và Trung Quốc nhất trí nối lại đàm phán", "2024-05-16T00:00:00+07:00", "day"),
    ("Hôm nay 16/05/2024 trời mưa to ở Hà Nội", "2024-05-16T00:00:00+07:00", "day"),
    ("Theo báo cáo ngày 16/05/2024, GDP tăng 5,66%", "2024-05-16T00:00:00+07:00", "day"),
    ("Ảnh: 16/05/2024", "2024-05-16T00:00:00+07:00", "day"),
    ("năm 2025 là năm bản lề", "2025-01-01T00:00:00+07:00", "year"),
    ("Tin mới (2 giờ trước): bão số 3", "2024-05-16T12:51:00+07:00", "hour"),
    ("http://example.vn/2024/05/16/bai-viet-123.html", "2024-05-16T00:00:00+07:00", "day"),
    ("Vụ án số 12/2024/HS-ST được xét xử", None, None),
]


@pytest.mark.parametrize("text,iso,gran", SENTENCES)
def test_whole_rejects_sentences(text, iso, gran):
    assert parse_date(text, whole=True, ref=REF) is None
    assert is_date_line(text, ref=REF) is None
    _check(parse_date(text, ref=REF), iso, gran)  # ... but search mode finds the date


def test_long_lines_rejected_in_whole_mode():
    line = "16/05/2024 14:51" + " " * 200
    assert parse_date(line, whole=True) is None
    assert is_date_line(line) is None
    _check(parse_date(line), "2024-05-16T14:51:00+07:00", "minute")


def test_diacritics_must_match_when_text_has_them():
    # "bà ngày trước" (her former days) is not "3 (ba) days ago"; "tôi qua" is not "tối qua".
    assert find_dates("Bà ngày trước làm nghề dệt, tôi qua nhà bà chơi.", ref=REF) == []
    assert find_dates("Đội tuyển Việt Nam 2025 sẽ thi đấu", ref=REF) == []
    assert find_dates("Viet Nam 2025", ref=REF) == []
    # ...but diacritic-free text is read without them
    _check(parse_date("3 ngay truoc", ref=REF), "2024-05-13T00:00:00+07:00", "day")


# --------------------------------------------------------------------------------------------------------
# Relative forms
# --------------------------------------------------------------------------------------------------------

RELATIVE = [
    ("2 giờ trước", "2024-05-16T12:51:00+07:00", "hour"),
    ("2 tiếng trước", "2024-05-16T12:51:00+07:00", "hour"),
    ("hai giờ trước", "2024-05-16T12:51:00+07:00", "hour"),
    ("1 giờ 30 phút trước", "2024-05-16T13:21:00+07:00", "minute"),
    ("30 phút trước", "2024-05-16T14:21:00+07:00", "minute"),
    ("45 giây trước", "2024-05-16T14:50:45+07:00", "second"),
    ("3 ngày trước", "2024-05-13T00:00:00+07:00", "day"),
    ("cách đây 3 ngày", "2024-05-13T00:00:00+07:00", "day"),
    ("1 tuần trước", "2024-05-09T00:00:00+07:00", "day"),
    ("2 tháng trước", "2024-03-01T00:00:00+07:00", "month"),
    ("6 tháng trước", "2023-11-01T00:00:00+07:00", "month"),
    ("1 năm trước", "2023-01-01T00:00:00+07:00", "year"),
    ("năm năm trước", "2019-01-01T00:00:00+07:00", "year"),
    ("vừa xong", "2024-05-16T14:51:00+07:00", "minute"),
    ("hôm nay", "2024-05-16T00:00:00+07:00", "day"),
    ("hôm qua", "2024-05-15T00:00:00+07:00", "day"),
    ("hôm kia", "2024-05-14T00:00:00+07:00", "day"),
    ("hôm nay 14:51", "2024-05-16T14:51:00+07:00", "minute"),
    ("14:51 hôm qua", "2024-05-15T14:51:00+07:00", "minute"),
    ("hôm qua lúc 9:05", "2024-05-15T09:05:00+07:00", "minute"),
    ("Cập nhật 2 giờ trước", "2024-05-16T12:51:00+07:00", "hour"),
    ("Đăng lúc: hôm qua 20:15", "2024-05-15T20:15:00+07:00", "minute"),
    ("hom qua luc 9:05", "2024-05-15T09:05:00+07:00", "minute"),
    ("3 hours ago", "2024-05-16T11:51:00+07:00", "hour"),
    ("an hour ago", "2024-05-16T13:51:00+07:00", "hour"),
    ("yesterday", "2024-05-15T00:00:00+07:00", "day"),
    ("just now", "2024-05-16T14:51:00+07:00", "minute"),
    # day and month without a year
    ("14/5", "2024-05-14T00:00:00+07:00", "day"),
    ("ngày 14/5", "2024-05-14T00:00:00+07:00", "day"),
    ("ngày 14 tháng 5", "2024-05-14T00:00:00+07:00", "day"),
    ("10/6", "2024-06-10T00:00:00+07:00", "day"),  # near future (< 31 days ahead): this year
    ("20/6", "2023-06-20T00:00:00+07:00", "day"),  # > 31 days ahead: last year
    ("21/05 06:45", "2024-05-21T06:45:00+07:00", "minute"),
    ("Thứ Ba, 14/5", "2024-05-14T00:00:00+07:00", "day"),
    # month with a relative year
    ("tháng 11 năm ngoái", "2023-11-01T00:00:00+07:00", "month"),
    ("ngày 5 tháng 3 năm nay", "2024-03-05T00:00:00+07:00", "day"),
]


@pytest.mark.parametrize("text,iso,gran", RELATIVE)
def test_relative(text, iso, gran):
    pd = parse_date(text, ref=REF, whole=True)
    _check(pd, iso, gran)
    assert pd.relative
    assert parse_date(text) is None  # never guessed without ref
    assert parse_date(text, whole=True) is None


def test_absolute_dates_are_not_relative():
    assert not parse_date("16/05/2024 14:51", ref=REF).relative


@pytest.mark.parametrize(
    "ref",
    [
        datetime(2024, 5, 16, 14, 51, 30),  # naive = +07:00
        datetime(2024, 5, 16, 7, 51, 30, tzinfo=UTC),
        datetime(2024, 5, 16, 2, 51, 30, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_ref_timezones(ref):
    _check(parse_date("2 giờ trước", ref=ref), "2024-05-16T12:51:00+07:00", "hour")
    _check(parse_date("hôm qua", ref=ref), "2024-05-15T00:00:00+07:00", "day")


def test_ref_in_utc_across_vietnamese_midnight():
    # 18:30 UTC on the 15th is already the 16th in Vietnam.
    ref = datetime(2024, 5, 15, 18, 30, tzinfo=UTC)
    _check(parse_date("hôm nay", ref=ref), "2024-05-16T00:00:00+07:00", "day")


@pytest.mark.parametrize(
    "ref,text,iso",
    [
        (datetime(2025, 1, 3, tzinfo=VN_TZ), "ngày 28/12", "2024-12-28T00:00:00+07:00"),
        (datetime(2025, 1, 3, tzinfo=VN_TZ), "ngày 2/1", "2025-01-02T00:00:00+07:00"),
        (datetime(2025, 1, 3, tzinfo=VN_TZ), "ngày 30/1", "2025-01-30T00:00:00+07:00"),
        (datetime(2024, 12, 20, tzinfo=VN_TZ), "ngày 5/1", "2025-01-05T00:00:00+07:00"),  # into next year
        (datetime(2025, 3, 10, tzinfo=VN_TZ), "29/2", "2024-02-29T00:00:00+07:00"),
        (datetime(2025, 1, 3, tzinfo=VN_TZ), "hôm qua", "2025-01-02T00:00:00+07:00"),
        (datetime(2025, 1, 1, 8, tzinfo=VN_TZ), "hôm qua", "2024-12-31T00:00:00+07:00"),
    ],
)
def test_no_year_rollover(ref, text, iso):
    pd = parse_date(text, ref=ref)
    _check(pd, iso, "day")
    assert pd.relative


def test_no_year_invalid_day():
    assert parse_date("31/2", ref=REF) is None
    assert parse_date("ngày 31/4", ref=REF) is None


# --------------------------------------------------------------------------------------------------------
# find_dates in running text
# --------------------------------------------------------------------------------------------------------

PARAGRAPH = (
    "Ngày 14/5, giá xăng tăng 5,66% so với kỳ trước. Khoảng 3/4 số người được hỏi ủng hộ, "
    "tỷ lệ 1/2 ở nông thôn. Đội tuyển thắng 2-1 lúc 20:00 tối qua. Hội nghị diễn ra sáng "
    "16/5/2024 tại Hà Nội, kéo dài tới 17h30 ngày 17/5/2024. Giá vàng 1.250.000 đồng, tăng 0,5 "
    "điểm; Nghị định 15/2020/NĐ-CP vẫn hiệu lực. Dự kiến hoàn thành vào tháng 12/2025."
)


def test_find_dates_paragraph_with_ref():
    ref = datetime(2024, 5, 20, 9, 0, tzinfo=VN_TZ)
    found = find_dates(PARAGRAPH, ref=ref)
    got = [(PARAGRAPH[p.start : p.end], p.iso(), p.granularity, p.relative) for p in found]
    assert got == [
        ("Ngày 14/5", "2024-05-14T00:00:00+07:00", "day", True),
        ("20:00 tối qua", "2024-05-19T20:00:00+07:00", "minute", True),
        ("16/5/2024", "2024-05-16T00:00:00+07:00", "day", False),
        ("17h30 ngày 17/5/2024", "2024-05-17T17:30:00+07:00", "minute", False),
        ("tháng 12/2025", "2025-12-01T00:00:00+07:00", "month", False),
    ]


def test_find_dates_paragraph_without_ref():
    got = [(PARAGRAPH[p.start : p.end], p.iso()) for p in find_dates(PARAGRAPH)]
    assert got == [
        ("16/5/2024", "2024-05-16T00:00:00+07:00"),
        ("17h30 ngày 17/5/2024", "2024-05-17T17:30:00+07:00"),
        ("tháng 12/2025", "2025-12-01T00:00:00+07:00"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "giá tăng 5,66% trong quý",
        "tăng 5.66% so với",
        "khoảng 3/4 số người",
        "chiếm 1/3 diện tích",
        "thắng 2-1 trước Thái Lan",
        "tỷ số 3 - 2",
        "vào lúc 14:30",
        "giá 1.250.000 đồng",
        "IP 192.168.1.1",
        "phiên bản 3.11.4 và 1.2.24",
        "Nghị định 15/2020/NĐ-CP",
        "Quyết định số 12/2024/QĐ-UBND",
        "điểm 8.5/10",
        "Rằm tháng Giêng là ngày 15/1 âm lịch",
        "ngày 15/8 (âm lịch)",
        "ngày 15/8 AL",
        "năm 15 tuổi",
        "ngày 3 - 4",
    ],
)
def test_find_dates_precision(text):
    assert find_dates(text, ref=REF) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Hôm qua (15/5), Quốc hội họp.", [("Hôm qua (15/5)", "2024-05-15T00:00:00+07:00")]),
        ("Chiều 15/5, mưa lớn.", [("Chiều 15/5", "2024-05-15T00:00:00+07:00")]),
        ("Thứ Tư (15/5) vừa qua", [("Thứ Tư (15/5)", "2024-05-15T00:00:00+07:00")]),
        ("từ ngày 14/5 đến ngày 16/5", [("ngày 14/5", "2024-05-14T00:00:00+07:00"),
                                          ("ngày 16/5", "2024-05-16T00:00:00+07:00")]),
        ("Dịp 30/4 - 1/5 năm nay", []),  # no cue word: precision over recall
        ("mùng 2/9 là Quốc khánh", [("mùng 2/9", "2023-09-02T00:00:00+07:00")]),
        ("Cách đây 3 ngày, ngày 13/5/2024", [("Cách đây 3 ngày", "2024-05-13T00:00:00+07:00"),
                                                ("ngày 13/5/2024", "2024-05-13T00:00:00+07:00")]),
        ("Sự kiện 16/05/2024 14:51 và 17/05/2024 lúc 08:00.",
         [("16/05/2024 14:51", "2024-05-16T14:51:00+07:00"),
          ("17/05/2024 lúc 08:00", "2024-05-17T08:00:00+07:00")]),
        ("Thu, 16 May 2024 07:51:00 GMT là giờ đăng", [("16 May 2024 07:51:00 GMT", "2024-05-16T14:51:00+07:00")]),
    ],
)
def test_find_dates_cases(text, expected):
    assert [(text[p.start : p.end], p.iso()) for p in find_dates(text, ref=REF)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chỉ 2 ngày trước khi bà nhậm chức, Bắc Kinh cảnh báo",  # "before", not "ago"
        "radar theo dõi khoảng 30 phút trước giờ đó",
        "Hai năm trước sau những cơn mưa",  # ambiguous without a clause break: skipped
        "ra mắt vào thứ Sáu tuần trước",  # last Friday, not six weeks ago
        "hôm thứ 6 tuần trước",
        "đầu mùa giải vừa xong",  # "just finished"
        "Theo báo Russia Today và ET Today",  # English words in Vietnamese text are names
        "mỗi ngày 2.5 triệu đồng",
        "ngày 3.5%",
    ],
)
def test_find_dates_relative_precision(text):
    assert find_dates(text, ref=REF) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3 năm trước, anh ta bị bắt", [("3 năm trước", "2021-01-01T00:00:00+07:00", "year")]),
        ("từ ba năm trước đây dù", [("ba năm trước đây", "2021-01-01T00:00:00+07:00", "year")]),
        ("Hôm nay 16.5, bà nhậm chức", [("Hôm nay 16.5", "2024-05-16T00:00:00+07:00", "day")]),
        ("Sáng nay (16-5), cơ quan điều tra", [("Sáng nay (16-5)", "2024-05-16T00:00:00+07:00", "day")]),
        ("Tối qua (15.5), chương trình", [("Tối qua (15.5)", "2024-05-15T00:00:00+07:00", "day")]),
        ("khoảng 14 giờ chiều nay (16.5), khi", [("14 giờ chiều nay (16.5)", "2024-05-16T14:00:00+07:00", "hour")]),
        ("Vào 15h45' chiều qua (15/5), tại", [("15h45' chiều qua (15/5)", "2024-05-15T15:45:00+07:00", "minute")]),
        ("diễn ra sáng nay, 16/5/2024, ở Hà Nội", [("sáng nay, 16/5/2024", "2024-05-16T00:00:00+07:00", "day")]),
        ("lúc 9h sáng nay 16/5, tại", [("9h sáng nay 16/5", "2024-05-16T09:00:00+07:00", "hour")]),
        ("ngày 20.5 và ngày 21-5", [("ngày 20.5", "2024-05-20T00:00:00+07:00", "day"),
                                    ("ngày 21-5", "2024-05-21T00:00:00+07:00", "day")]),
        ("Updated 2 hours ago", [("2 hours ago", "2024-05-16T12:51:00+07:00", "hour")]),
    ],
)
def test_find_dates_relative_cases(text, expected):
    got = [(text[p.start : p.end], p.iso(), p.granularity) for p in find_dates(text, ref=REF)]
    assert got == expected


def test_parse_date_prefers_explicit_date_after_relative_word():
    _check(parse_date("Hôm qua (15/5), Quốc hội họp.", ref=REF), "2024-05-15T00:00:00+07:00", "day")
    _check(parse_date("Hôm qua, Quốc hội họp. Ngày 10/5/2024 ...", ref=REF), "2024-05-15T00:00:00+07:00", "day")


@pytest.mark.parametrize(
    "text,iso,gran",
    [
        ("20.5", None, None),  # a number
        ("2-1", None, None),  # a score
        ("Thứ Năm, 16.5", "2024-05-16T00:00:00+07:00", "day"),
        ("16.5 14:51", "2024-05-16T14:51:00+07:00", "minute"),
        ("ngày 16-5", "2024-05-16T00:00:00+07:00", "day"),
        ("3/4", "2024-04-03T00:00:00+07:00", "day"),  # a whole line "3/4" is read as a date
    ],
)
def test_whole_day_month_separators(text, iso, gran):
    _check(parse_date(text, whole=True, ref=REF), iso, gran)


def test_find_dates_spans_sorted_and_disjoint():
    text = PARAGRAPH * 3
    found = find_dates(text, ref=REF)
    assert len(found) == 15
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start


def test_parse_date_returns_first_in_running_text():
    text = "Trước đó, ngày 10/5/2024, rồi 12/5/2024"
    _check(parse_date(text), "2024-05-10T00:00:00+07:00", "day")


# --------------------------------------------------------------------------------------------------------
# API shape and robustness
# --------------------------------------------------------------------------------------------------------


def test_parsed_date_shape():
    pd = parse_date("16/05/2024 14:51")
    assert pd == ParsedDate(datetime(2024, 5, 16, 14, 51, tzinfo=VN_TZ), "minute", 0, 16, False)
    assert pd.iso() == "2024-05-16T14:51:00+07:00"
    with pytest.raises(dataclasses.FrozenInstanceError):
        pd.start = 3  # type: ignore[misc]
    assert not hasattr(pd, "__dict__")
    assert VN_TZ.utcoffset(None) == timedelta(hours=7)


def test_non_string_input():
    assert parse_date(None) is None  # type: ignore[arg-type]
    assert find_dates(None) == []  # type: ignore[arg-type]


_FRAGMENTS = st.sampled_from(
    [
        "16", "05", "2024", "5", "1", "31", "99", "0", "/", "-", ".", ":", " ", ",", "|", "(", ")", "+", "'",
        "ngày", "tháng", "năm", "Thứ", "hai", "hôm", "qua", "nay", "trước", "giờ", "phút", "lúc", "GMT", "UTC",
        "+7", "AM", "PM", "h", "g", "Cập nhật", "Z", "T", "May", "cách đây", "vừa xong", "chiều", "âm lịch",
        "%", "\u0301", "\u0323", "Ð", "İ", "\n", "𝟙", "٣",
    ]
)
_DATEISH = st.lists(_FRAGMENTS, max_size=25).map("".join)
_REFS = st.one_of(
    st.none(), st.just(REF), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31))
)


def _assert_sane(text: str, pd: ParsedDate | None) -> None:
    if pd is None:
        return
    assert 0 <= pd.start < pd.end <= len(text)
    assert pd.value.tzinfo is not None and pd.value.utcoffset() == timedelta(hours=7)
    assert pd.granularity in ("year", "month", "day", "hour", "minute", "second")


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=120), _DATEISH), ref=_REFS, whole=st.booleans())
def test_never_raises_and_spans_are_inside(text, ref, whole):
    _assert_sane(text, parse_date(text, ref=ref, whole=whole))
    _assert_sane(text, is_date_line(text, ref=ref))
    prev_end = 0
    for pd in find_dates(text, ref=ref):
        _assert_sane(text, pd)
        assert pd.start >= prev_end
        prev_end = pd.end

"""find_mentions: the date expressions of running text for enrichment (periods, parts, ranges, unresolved)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bantin.clean.dates import find_dates, find_mentions, iso_at

REF = datetime.fromisoformat("2024-05-16T14:51+07:00")


def one(text: str, ref=REF):
    found = find_mentions(text, ref=ref)
    assert len(found) == 1, [(text[m.start:m.end], m.iso()) for m in found]
    m = found[0]
    return text[m.start:m.end], m.iso(), m.granularity, m.part, m.iso_end()


@pytest.mark.parametrize("text,expected", [
    ("Đầu tháng này, Mỹ đã kêu gọi", ("Đầu tháng này", "2024-05", "month", "early", None)),
    ("hồi tháng 11 năm ngoái giữa", ("tháng 11 năm ngoái", "2023-11", "month", None, None)),
    ("cuối năm ngoái", ("cuối năm ngoái", "2023", "year", "late", None)),
    ("giữa năm 2011, Phong quen", ("giữa năm 2011", "2011", "year", "mid", None)),
    ("tuần trước", ("tuần trước", "2024-W19", "week", None, None)),
    ("vào thứ Sáu tuần trước", ("thứ Sáu tuần trước", "2024-05-10", "day", None, None)),
    ("kết quả quý I/2024", ("quý I/2024", "2024-01", "quarter", None, "2024-03")),
    ("lợi nhuận quý 3 năm nay", ("quý 3 năm nay", "2024-07", "quarter", None, "2024-09")),
    ("7 tháng đầu năm 2019 tăng", ("7 tháng đầu năm 2019", "2019-01", "month", None, "2019-07")),
    ("từ 16/6/2018 đến 15/7/2019, toàn ngành", ("từ 16/6/2018 đến 15/7/2019", "2018-06-16", "day", None,
                                               "2019-07-15")),
    ("diễn ra ngày 20-21/5", ("ngày 20-21/5", "2024-05-20", "day", None, "2024-05-21")),
    ("giai đoạn 2021-2025", ("giai đoạn 2021-2025", "2021", "year", None, "2025")),
    ("từ tháng 3 đến tháng 5/2024", ("từ tháng 3 đến tháng 5/2024", "2024-03", "month", None, "2024-05")),
    ("hồi tháng 11, ông", ("tháng 11", "2023-11", "month", None, None)),
    ("vào tháng 6 tới", ("tháng 6 tới", "2024-06", "month", None, None)),
    ("bị cáo (SN 1987) trú", ("SN 1987", "1987", "year", None, None)),
    ("tối hai hôm trước", ("hai hôm trước", "2024-05-14", "day", None, None)),
    ("lúc 15h30 ngày 14/5", ("15h30 ngày 14/5", "2024-05-14T15:30+07:00", "minute", None, None)),
])
def test_periods_parts_ranges(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text", [
    "trong 3 tháng tới", "năm trước đó", "mỗi tháng 2 lần", "mấy tháng nay", "các năm trước", "tăng 5,66%",
    "Quyết định 648/QĐ-BCT", "3/4 số người", "tỷ số 2-1", "từ 1/3 đến 1/2 diện tích", "Tầng 2 - 5",
    "trẻ 6 tháng tuổi", "lương tháng 13", "Euro 2016", "rằm tháng 7 âm lịch",
])
def test_not_dates(text):
    assert find_mentions(text, ref=REF) == []
    assert find_mentions(text) == []


def test_relative_without_ref_is_reported_unresolved():
    text = "Hôm qua, tuần trước, ngày 14/5 và tháng 11 năm ngoái; năm 2023 thì có năm."
    found = find_mentions(text)
    got = [(text[m.start:m.end], m.iso()) for m in found]
    assert got == [("Hôm qua", None), ("tuần trước", None), ("ngày 14/5", None), ("tháng 11 năm ngoái", None),
                   ("năm 2023", "2023")]
    assert all(m.relative for m in found[:4])


def test_range_takes_the_year_of_its_end():
    m, = find_mentions("từ ngày 1/7 đến ngày 15/7/2019")
    assert (m.iso(), m.iso_end()) == ("2019-07-01", "2019-07-15")
    m, = find_mentions("từ 1/7 đến 15/7")  # no year anywhere, no ref: unresolved, not guessed
    assert (m.iso(), m.iso_end()) == (None, None)


def test_superset_of_find_dates_and_offsets_in_nfd_text():
    import unicodedata

    text = unicodedata.normalize("NFD", "Sáng 15/5, ông nói hôm qua (14/5) trời mưa; đầu tháng này thì nắng.")
    found = find_mentions(text, ref=REF)
    spans = [unicodedata.normalize("NFC", text[m.start:m.end]) for m in found]
    assert spans == ["Sáng 15/5", "hôm qua (14/5)", "đầu tháng này"]
    base = {(d.start, d.end) for d in find_dates(text, ref=REF)}
    assert base <= {(m.start, m.end) for m in found}


def test_iso_at_granularities():
    v = datetime.fromisoformat("2024-05-14T15:30+07:00")
    assert [iso_at(v, g) for g in ("year", "quarter", "month", "week", "day", "hour", "minute")] == [
        "2024", "2024-05", "2024-05", "2024-W20", "2024-05-14", "2024-05-14T15:30+07:00", "2024-05-14T15:30+07:00"]
    assert iso_at(None, "day") is None

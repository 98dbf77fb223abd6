"""Amounts: Vietnamese number format, scale words, currencies, ranges, approximations, and what is not one."""

from __future__ import annotations

import pytest

from bantin.enrich.amounts import find_amounts, parse_number


@pytest.mark.parametrize("text,expected", [
    ("phê duyệt 32 tỷ USD tài trợ", ("32 tỷ USD", 32_000_000_000, None, "USD", None)),
    ("giá 1,5 triệu đồng", ("1,5 triệu đồng", 1_500_000, None, "VND", None)),
    ("3.000 tỷ đồng", ("3.000 tỷ đồng", 3_000_000_000_000, None, "VND", None)),
    ("vé 25.000 - 70.000 đồng", ("25.000 - 70.000 đồng", 25_000, 70_000, "VND", None)),
    ("hơn 5.6 nghìn tỉ đồng", ("hơn 5.6 nghìn tỉ đồng", 5_600_000_000_000, None, "VND", "hơn")),
    ("tăng 5,66% so với", ("5,66%", 5.66, None, "%", None)),
    ("khoảng 10 người", ("khoảng 10 người", 10, None, "người", "khoảng")),
    ("diện tích 40.260m2", ("40.260m2", 40_260, None, "m²", None)),
    ("từ 87 – 211m2", ("từ 87 – 211m2", 87, 211, "m²", None)),
    ("1 tỷ 200 triệu đồng", ("1 tỷ 200 triệu đồng", 1_200_000_000, None, "VND", None)),
    ("từ 5 đến 7 tỷ đồng", ("từ 5 đến 7 tỷ đồng", 5_000_000_000, 7_000_000_000, "VND", None)),
    ("2-3 triệu đồng", ("2-3 triệu đồng", 2_000_000, 3_000_000, "VND", None)),
    ("phạt 18.000 bảng vì", ("18.000 bảng", 18_000, None, "GBP", None)),
    ("80 triệu bảng Anh", ("80 triệu bảng Anh", 80_000_000, None, "GBP", None)),
    ("$100 triệu", ("$100 triệu", 100_000_000, None, "USD", None)),
    ("20.000 euro", ("20.000 euro", 20_000, None, "EUR", None)),
    ("3 tỷ nhân dân tệ", ("3 tỷ nhân dân tệ", 3_000_000_000, None, "CNY", None)),
    ("Năm triệu đồng", ("Năm triệu đồng", 5_000_000, None, "VND", None)),
    ("2.495,4 tỉ đồng", ("2.495,4 tỉ đồng", 2_495_400_000_000, None, "VND", None)),
    ("2 triệu thùng dầu/ngày", ("2 triệu thùng", 2_000_000, None, "thùng", None)),
    ("nặng gần 350kg", ("gần 350kg", 350, None, "kg", "gần")),
])
def test_amounts(text, expected):
    found = find_amounts(text)
    assert len(found) == 1, found
    a = found[0]
    assert (text[a.start:a.end], a.value, a.value_max, a.unit, a.approx) == expected


@pytest.mark.parametrize("text", [
    "SN 1986", "Quyết định 648/QĐ-BCT", "tỷ số 2-1", "bảng A", "3 đồng nghiệp", "2 ca sĩ", "làm hộ chiếu",
    "17.4 triệu bản", "Tầng 2 - 5", "ĐT 0.986.603.818", "3/4 số người", "số 44", "50k",
])
def test_not_amounts(text):
    assert find_amounts(text) == []


def test_parse_number_vietnamese_format():
    assert parse_number("40.260") == 40260
    assert parse_number("145,13") == parse_number("145.13")
    assert parse_number("1,000,000") == 1_000_000
    assert parse_number("2.495,4") == parse_number("2495.4")
    assert parse_number("x") is None

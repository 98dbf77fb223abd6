"""The table of Vietnamese outlets: format, lookups by host, display names for every reader."""

from __future__ import annotations

import pytest

from bantin.clean.article import outlet_from_url
from bantin.clean import outlets


def test_table_is_well_formed() -> None:
    t = outlets.table()
    assert len(t) >= 60
    assert all(d == d.lower() and "." in d and " " not in d for d in t)
    with pytest.raises(ValueError):
        outlets.parse_table("vnexpress.net\n")


@pytest.mark.parametrize("url,name", [
    ("https://vnexpress.net/a-1.html", "VnExpress"), ("https://e.vnexpress.net/news/a", "VnExpress International"),
    ("http://hcm.24h.com.vn/a.html", "24h"), ("https://m.dantri.com.vn/a.htm", "Dân trí"),
    ("thanhnien.vn", "Thanh Niên"), ("https://www.thanhnien.com.vn/pages/1.aspx", "Thanh Niên"),
    ("https://tuoitre.vn/a.htm", "Tuổi Trẻ"), ("https://example.org/x", "example.org"),
    ("https://www.example.org/x", "example.org"), ("", None), (None, None), ("http://[bad", None),
])
def test_display_names(url, name) -> None:
    assert outlets.display_name(url) == name
    assert outlet_from_url(url) == name


def test_known_outlet_names() -> None:
    assert outlets.is_outlet_name("Báo Thanh Niên") and outlets.is_outlet_name("dân trí")
    assert outlets.is_outlet_name("VnExpress.net") and not outlets.is_outlet_name("Kinh doanh")

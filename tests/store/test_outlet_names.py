"""One outlet is one outlet, whatever the capitalisation (issue 15, item 14): names are made canonical at clean
time, stats counts an older archive's spellings together and says how many outlets there are."""

import json

import pytest

from bantin.archive import Bantin
from bantin.store.base import prepare
from conftest import run_cli

from tests.store.test_sqlite import art


@pytest.mark.parametrize("given, stored", [("Dân Trí", "Dân trí"), ("Báo Dân trí", "Dân trí"), ("24H", "24h"),
                                           ("Cafef", "CafeF"), ("dantri.com.vn", "Dân trí"), ("Antv", "ANTV"),
                                           ("Báo Mẫu Mới", "Báo Mẫu Mới")])
def test_outlet_names_are_canonical_at_clean_time(given, stored):
    assert art("Tiêu đề", "Nội dung bài.", outlet=given).article.outlet == stored


def _stored_as_given(b, outlets):
    """Articles whose outlet is stored as spelled (as an archive made before clean-time canonical names)."""
    batch = []
    for i, o in enumerate(outlets):
        p = art(f"Tin {i}", f"Nội dung bài số {i}.", outlet="x")
        p.article.outlet = o
        batch.append(prepare(p.article))
    b.store.put(batch)


def test_stats_counts_spellings_of_one_outlet_once(tmp_path):
    with Bantin(str(tmp_path / "a.db")) as b:
        _stored_as_given(b, ["Dân trí"] * 3 + ["Dân Trí"] * 2 + ["24h", "24H", "CafeF", "Cafef", "Báo Mẫu",
                                                                   "báo mẫu", "báo mẫu", None])
        s = b.stats()
        assert s["outlets"] == {"Dân trí": 5, "báo mẫu": 3, "24h": 2, "CafeF": 2, "(unknown)": 1}
        assert s["outlets_total"] == 5


def test_stats_says_it_shows_the_top_20(tmp_path):
    db = tmp_path / "a.db"
    with Bantin(str(db)) as b:
        _stored_as_given(b, [f"site{i}.vn" for i in range(25) for _ in range(1 + i % 3)])
    s = json.loads(run_cli("stats", "--json", db=db, check=0).stdout)
    assert len(s["outlets"]) == 20 and s["outlets_total"] == 25
    assert "top 20 of 25" in run_cli("stats", db=db, check=0).stdout.decode()

"""Query language details (issue 15, item 27): AND is an operator, full-width letters and curly quotes are what
they stand for — with the index folding text the same way (one function, ``fold.index_form``)."""

import pytest

from bantin.archive import Bantin
from bantin.clean.fold import index_form
from bantin.search.query import parse_query
from bantin.store.base import prepare

from tests.store.test_sqlite import art, titles


@pytest.fixture
def b(tmp_path):
    with Bantin(str(tmp_path / "q.db")) as x:
        x.store.put([
            art("Bóng đá Hà Nội", "Đội bóng thủ đô thắng trận.", published="2024-05-01T08:00:00+07:00"),
            art("Giá nhà", "Căn hộ 80 m² ở Hà Nội giá tăng.", published="2024-05-02T08:00:00+07:00"),
            art("Ｔｉｎ ｔứｃ", "Bài viết gõ bằng chữ toàn khổ: ｈà ｎộｉ ｍùａ ｔｈｕ.", published="2024-05-03T08:00:00+07:00"),
            art("Hà Giang", "Mùa hoa tam giác mạch.", published="2024-05-04T08:00:00+07:00"),
        ])
        yield x


def test_and_is_an_operator_not_a_word(b):
    assert parse_query("bóng AND đá").groups == parse_query("bóng đá").groups
    assert titles(b.search("bong AND da")) == ["Bóng đá Hà Nội"]
    assert set(titles(b.search("ha AND noi OR giang"))) == {"Bóng đá Hà Nội", "Giá nhà", "Ｔｉｎ ｔứｃ", "Hà Giang"}
    assert titles(b.search("giang AND ha")) == ["Hà Giang"]
    assert parse_query('"bóng AND đá"').groups[0][0].exact == ["bóng", "and", "đá"]  # inside quotes: a word
    assert parse_query("and").groups  # lower case: a word


def test_full_width_query_finds_normal_text_and_the_other_way_round(b):
    assert "Bóng đá Hà Nội" in titles(b.search("ｈà ｎộｉ"))
    assert "Ｔｉｎ ｔứｃ" in titles(b.search("ha noi"))
    assert "Ｔｉｎ ｔứｃ" in titles(b.search("\"mùa thu\""))
    assert titles(b.search("m2")) == ["Giá nhà"]  # m² is indexed as m2


def test_full_width_and_curly_operators(b):
    assert set(titles(b.search("hà nội －bóng"))) == {"Ｔｉｎ ｔứｃ", "Giá nhà"}  # full-width minus excludes
    assert parse_query("“hà nội”").groups[0][0].phrase
    assert parse_query("＂hà nội＂").groups[0][0].phrase


def test_index_and_query_fold_the_same_way():
    assert parse_query("ＨÀ ＮỘＩ").groups[0][0].exact == ["hà"] == [index_form("ＨÀ")]


def test_rows_indexed_by_the_old_fold_are_deleted_with_it(tmp_path):
    """Contentless FTS rows must be deleted with the values they were indexed with: an article stored under
    fold-1 (NFC: "m²" kept) is re-indexed cleanly by a replace, leaving no stale "m²" entry behind."""
    with Bantin(str(tmp_path / "o.db")) as x:
        old = art("Nhà 80 m²", "Giá ｃａｏ.")
        old.article.versions["fold"] = "fold-1"
        x.store.put([prepare(old.article)])
        rowid = x.store.con.execute("SELECT rowid FROM articles").fetchone()[0]
        fts = lambda q: x.store.con.execute("SELECT count(*) FROM text_fts WHERE text_fts MATCH ?",  # noqa: E731
                                            (q,)).fetchone()[0]
        assert fts('"m²"') == 1 and fts('"m2"') == 0
        stored = x.get(old.article.id)
        new = art("Nhà 80 m²", "Giá cao hơn.")
        new.article.id = old.article.id
        x.store.replace(rowid, prepare(new.article), stored)
        assert fts('"m²"') == 0 and fts('"m2"') == 1 and fts('"ｃａｏ"') == 0 and fts('"cao"') == 1
        x.store.con.execute("INSERT INTO text_fts(text_fts) VALUES('integrity-check')")

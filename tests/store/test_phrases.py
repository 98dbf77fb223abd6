"""Quoted phrases match adjacent words only, whatever the number of spellings of the phrase (issue 15, item 9), in
both stores."""

import pytest

from bantin.archive import Bantin
from bantin.search.query import parse_query
from bantin.store import fts5
from bantin.store import sqlite as sqlite_store

from tests.store.test_sqlite import art, titles


@pytest.fixture
def b(archive_path):
    """A fresh archive of each store (the PostgreSQL leg skips without a server)."""
    with Bantin(archive_path) as x:
        yield x


@pytest.fixture
def hcm(b):
    b.store.put([
        art("Thành phố Hồ Chí Minh mưa lớn", "Nhiều tuyến đường ngập sâu.", published="2024-05-01T08:00:00+07:00"),
        art("Giấy tờ nhà đất", "Hồ sơ của chị được trả lại cho mình sau hai tháng chờ.",
            published="2024-05-02T08:00:00+07:00"),
        art("Tin ngắn", "Hội nghị diễn ra tại TP. Hồ Chí Minh vào sáng nay.", published="2024-05-03T08:00:00+07:00"),
        art("Chủ tịch Tập Cận Bình", "Ông Tập Cận Bình thăm Hà Nội.", published="2024-05-04T08:00:00+07:00"),
        art("Chuyện thường ngày", "Tập thể dục cần thiết để giữ bình tĩnh.", published="2024-05-05T08:00:00+07:00"),
    ])
    return b


def test_phrase_of_many_spellings_matches_adjacent_words_only(hcm):
    # 648 spellings of "ho chi minh": before, its words were searched apart and "Hồ sơ … chị … mình" matched
    assert sorted(titles(hcm.search('"ho chi minh"'))) == ["Thành phố Hồ Chí Minh mưa lớn", "Tin ngắn"]
    assert titles(hcm.search('"tap can binh"')) == ["Chủ tịch Tập Cận Bình"]
    # an unquoted query still finds the words anywhere
    assert "Giấy tờ nhà đất" in titles(hcm.search("ho chi minh"))


def test_exact_phrase_absent_finds_nothing_in_the_any_spelling_tier(hcm):
    hcm.store.put([art("Khác", "Tập đoàn cần bình ổn giá.", published="2024-05-06T08:00:00+07:00")])
    # no text holds "tập cận bình" in another spelling adjacent: nothing beyond the exact hit
    assert titles(hcm.search('"Tập Cận Bình"')) == ["Chủ tịch Tập Cận Bình"]
    assert titles(hcm.search('"Tập Cần Bình Ổn"')) == []


def test_spellings_read_in_one_text_find_the_others(b):
    b.store.put([
        art("Thủy điện Hòa Bình xả lũ", "Nước về hồ.", published="2024-05-01T08:00:00+07:00"),
        art("Nhà máy", "Thuỷ điện Hoà Bình vận hành ổn định.", published="2024-05-02T08:00:00+07:00"),  # old style
        art("THỦY ĐIỆN HÒA BÌNH", "Bản tin.", published="2024-05-03T08:00:00+07:00"),
        art("Vùng núi", "Thủy lợi và điện, hòa cùng bình yên.", published="2024-05-04T08:00:00+07:00"),
    ])
    got = titles(b.search('"thuy dien hoa binh"'))
    assert sorted(got) == ["Nhà máy", "THỦY ĐIỆN HÒA BÌNH", "Thủy điện Hòa Bình xả lũ"]


def test_excluded_phrase_excludes_only_adjacent_words(hcm):
    got = titles(hcm.search('ngay -"ho chi minh"'))  # "nay", "ngày": the short news and the second article
    assert "Tin ngắn" not in got
    got = titles(hcm.search('hai -"ho chi minh"'))
    assert got == ["Giấy tờ nhà đất"]  # its words are apart: not excluded


def test_phrase_or_word(hcm):
    assert sorted(titles(hcm.search('"ho chi minh" OR "tap can binh"'))) == [
        "Chủ tịch Tập Cận Bình", "Thành phố Hồ Chí Minh mưa lớn", "Tin ngắn"]


def test_candidates_beyond_the_first_page_are_read(b, monkeypatch):
    monkeypatch.setattr(sqlite_store, "CANDIDATES", 3)
    docs = [art("Tiêu đề cũ", "Bên hồ, chị kể về mình.", published=f"2024-06-{d:02d}T08:00:00+07:00")
            for d in range(1, 12)]
    docs.append(art("Tin xưa", "Lăng Chủ tịch Hồ Chí Minh.", published="2024-01-01T08:00:00+07:00"))
    b.store.put(docs)
    assert titles(b.search('"ho chi minh"')) == ["Tin xưa"]


def test_only_phrases_of_many_spellings_need_reading():
    exact = fts5.compile_search(parse_query('"covid 19" thuy'), "expanded")
    assert exact.check is None and '"covid 19"' in exact.expr
    loose = fts5.compile_search(parse_query('"ho chi minh"'), "expanded")
    assert loose.check is not None
    assert loose.check(["Thành phố Hồ Chí Minh", "", ""]) == {(0, 0): ("hồ", "chí", "minh")}
    assert loose.check(["Hồ sơ của chị", "", "mình"]) is None
    assert loose.check(["hồ chí", "minh", ""]) is None  # a phrase lies within one field
    assert loose.check(["", "", "Ông Hồ\nChí Minh"]) is not None  # paragraphs are one field (as indexed)

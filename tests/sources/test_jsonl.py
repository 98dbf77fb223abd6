import gzip
import io

import orjson

from bantin.clean.article import clean
from bantin.model import Article, Reject
from bantin.sources import jsonl
from bantin.sources.base import Input, iter_lines_bounded
from bantin.sources.fields import MapError, parse_map

import pytest


def read_all(path, mapping=None):
    inp = Input(path=str(path), fs_path=str(path), options={"map": mapping or {}})
    out = []
    for raw in jsonl.read(inp):
        if isinstance(raw, Reject):
            out.append(raw)
            continue
        d = jsonl.parse(raw)
        out.append(d if isinstance(d, Reject) else clean(d))
    return out


def test_model_field_names_and_body_paragraphs(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_bytes(orjson.dumps({"id": "x1", "title": "Tiêu đề", "sapo": "Tóm tắt bài viết.", "body": "Đoạn một.\nĐoạn hai.",
                                "published_at": "2024-05-16T14:51:00+07:00", "url": "https://www.vnexpress.net/a.html",
                                "views": "1.234"}) + b"\n")
    [a] = read_all(p)
    assert isinstance(a, Article)
    assert a.external_id == "x1" and a.paragraphs == ["Đoạn một.", "Đoạn hai."] and a.views == 1234
    assert a.published_at == "2024-05-16T14:51:00+07:00" and a.outlet == "VnExpress"  # display name from clean/outlets.py
    assert a.provenance[0].record == "1"


def test_map_renames_fields_and_gz_is_read(tmp_path):
    p = tmp_path / "b.jsonl.gz"
    with gzip.open(p, "wb") as f:
        f.write(orjson.dumps({"id": "v/1", "title": "T", "abstract": "Lead.", "content": "Thân bài.",
                              "ngay": "Thứ 6, 11:03, 20/05/2016"}) + b"\n")
    [a] = read_all(p, parse_map("sapo=abstract,body=content,published_at=ngay"))
    assert a.sapo == "Lead." and a.paragraphs == ["Thân bài."]
    assert a.published_at == "2016-05-20T11:03:00+07:00"


def test_paragraphs_list_and_vietnamese_date_string(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_bytes(orjson.dumps({"title": "T", "paragraphs": ["Một.", "Hai."], "published_at": "16/05/2024 - 14:51"}) + b"\n")
    [a] = read_all(p)
    assert a.paragraphs == ["Một.", "Hai."] and a.published_at == "2024-05-16T14:51:00+07:00"


def test_unparseable_date_is_flagged_not_invented(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_bytes(orjson.dumps({"title": "T", "body": "B.", "published_at": "hôm trước nữa"}) + b"\n")
    [a] = read_all(p)
    assert a.published_at is None and any(f.startswith("published_at-unparsed") for f in a.flags)


def test_bad_lines_are_rejected_one_by_one_and_the_rest_goes_on(tmp_path):
    p = tmp_path / "e.jsonl"
    p.write_bytes(b'{"title": "Tot", "body": "Noi dung."}\n{"title": broken\n[1, 2]\n\n{"body": "no title"}\n'
                  b'{"title": "Cuoi", "body": "Noi dung."}\n')
    out = read_all(p)
    kinds = [(type(o).__name__, getattr(o, "record", None) if isinstance(o, Reject) else o.title) for o in out]
    assert kinds == [("Article", "Tot"), ("Reject", "2"), ("Reject", "3"), ("Reject", "5"), ("Article", "Cuoi")]
    reasons = [o.reason for o in out if isinstance(o, Reject)]
    assert "malformed JSON" in reasons[0] and "JSON object" in reasons[1] and "no title" in reasons[2]


def test_map_errors():
    with pytest.raises(MapError):
        parse_map("sapo")
    with pytest.raises(MapError):
        parse_map("nonsense=abc")
    assert parse_map("id=doc_id") == {"external_id": "doc_id"}


def test_lines_longer_than_the_limit_are_cut_with_bounded_memory():
    data = b"a" * 100 + b"\n" + b"b" * 5000 + b"\n" + b"c\n"
    out = list(iter_lines_bounded(io.BufferedReader(io.BytesIO(data), buffer_size=64), limit=1000))
    assert [(n, len(line), full) for n, line, full in out] == [(1, 100, 100), (2, 5000, 5000), (3, 1, 1)] or \
        [(n, full) for n, _l, full in out] == [(1, 100), (2, 5000), (3, 1)]
    assert len(out[1][1]) <= 8 * 1024 * 1024


def test_map_quotes_names_with_commas_and_quotes():
    assert parse_map('title=Tiêu đề,body="Nội dung, chi tiết", sapo = \'Tóm tắt, ngắn\'') == {
        "title": "Tiêu đề", "body": "Nội dung, chi tiết", "sapo": "Tóm tắt, ngắn"}
    assert parse_map('title="Tin ""nóng"", mới",url=link') == {"title": 'Tin "nóng", mới', "url": "link"}
    assert parse_map("body=a\"b") == {"body": 'a"b'}  # a quote inside an unquoted name is a character
    with pytest.raises(MapError, match="unclosed quote"):
        parse_map('body="Nội dung, chi tiết')
    with pytest.raises(MapError, match="after the closing quote"):
        parse_map('body="Nội dung" x')


def test_field_names_match_whatever_their_case_and_unicode_form(tmp_path):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nội dung")
    p = tmp_path / "c.jsonl"
    p.write_bytes(orjson.dumps({"Title": "Tiêu đề", "CONTENT": "Đoạn một.", "PubDate": "16/05/2024", "title ": ""})
                  + b"\n" + orjson.dumps({"TITLE": "Hai", "Nội dung": "Đoạn hai.", "Tóm tắt": "Lời dẫn."}) + b"\n"
                  + orjson.dumps({"title": "Ba", "Title": "Không", "body": "Bài thứ ba."}) + b"\n")
    a, b, c = read_all(p, None)
    assert a.title == "Tiêu đề" and a.paragraphs == ["Đoạn một."] and a.published_at.startswith("2024-05-16")
    assert c.title == "Ba"  # an exact name wins
    _, b, _ = read_all(p, {"body": nfd, "sapo": "tóm TẮT"})
    assert b.title == "Hai" and b.paragraphs == ["Đoạn hai."] and b.sapo == "Lời dẫn."


def test_huge_numbers_keep_the_article_and_drop_the_value_with_a_flag(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_bytes(b"\n".join([
        orjson.dumps({"title": "Một", "body": "Bài một.", "views": 10**30 * 1.0}),  # orjson reads 10**30 as float
        b'{"title": "Hai", "body": "B\xc3\xa0i hai.", "views": 1' + b"0" * 400 + b', "published_at": 1e400}',
        orjson.dumps({"title": "Ba", "body": "Bài ba.", "views": "123456789012345678901234567890"}),
        orjson.dumps({"title": "Bốn", "body": "Bài bốn.", "views": 2**64 - 1, "published_at": 1715845860}),
        orjson.dumps({"title": "Năm", "body": "Bài năm.", "views": 10**12}),
    ]) + b"\n")
    out = read_all(p)
    assert [type(a).__name__ for a in out] == ["Article"] * 5
    assert [a.views for a in out] == [None, None, None, None, 10**12]
    assert [f for f in out[0].flags if f.startswith("views")] == ["views-dropped:1e+30"]
    assert "published_at-unparsed:inf" in out[1].flags and any(f.startswith("views-dropped:1000") for f in out[1].flags)
    assert "views-dropped:18446744073709551615" in out[3].flags and out[3].published_at == "2024-05-16T14:51:00+07:00"
    for a in out:  # what extract --json and the store write
        orjson.dumps(a.to_dict())

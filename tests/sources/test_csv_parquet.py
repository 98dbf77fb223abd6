"""CSV and Parquet readers: the same field names and --map as JSON Lines, streaming, rows kept as records."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.model import Article, Raw, Reject
from bantin.pipeline import articles_from
from bantin.sources import read_inputs
from bantin.sources.base import expand_paths

CSV = '''id,title,abstract,content,date,link
a1,"Giá vàng tăng mạnh","Giá vàng hôm nay tăng.","Đoạn một về giá vàng.
Đoạn hai, có dấu phẩy và ""ngoặc kép"".",16/05/2024 14:51,https://vnexpress.net/gia-vang-1.html
a2,Không có nội dung,,,,
a3,Thiếu cột,chỉ có ba
a4,"Bài cuối","Tóm tắt","Thân bài ngắn.",2024-05-17,
'''


def read(path: Path, mapping: dict[str, str] | None = None) -> list:
    inputs = expand_paths([str(path)])
    for i in inputs:
        i.options = {"map": mapping or {}}
    items = list(read_inputs(inputs))
    out = []
    for it in items:
        out.extend([it] if isinstance(it, Reject) else list(articles_from([it])))
    return out


def test_csv_rows_with_map_quoted_newlines_and_bad_rows(tmp_path: Path) -> None:
    p = tmp_path / "news.csv"
    p.write_text(CSV, encoding="utf-8")
    out = read(p, {"sapo": "abstract", "body": "content"})
    a1 = out[0]
    assert isinstance(a1, Article)
    assert a1.external_id == "a1" and a1.sapo == "Giá vàng hôm nay tăng."
    assert a1.paragraphs == ["Đoạn một về giá vàng.", 'Đoạn hai, có dấu phẩy và "ngoặc kép".']
    assert a1.published_at == "2024-05-16T14:51:00+07:00" and a1.outlet == "VnExpress"
    assert a1.provenance[0].record == "2"  # the line the row starts on
    assert isinstance(out[1], Reject) and "only a title" in out[1].reason
    assert isinstance(out[2], Reject) and out[2].record == "5" and "3 fields, the header 6" in out[2].reason
    assert isinstance(out[3], Article) and out[3].title == "Bài cuối"


def test_csv_raw_is_header_plus_row_bytes(tmp_path: Path) -> None:
    p = tmp_path / "news.csv.gz"
    p.write_bytes(gzip.compress(CSV.encode()))
    raws = [r for r in read_inputs(expand_paths([str(p)])) if isinstance(r, Raw)]
    assert raws[0].payload.startswith(b"id,title,abstract,content,date,link\na1,")
    assert raws[0].payload.count(b"\n") == 2  # header + a row spanning two lines


def test_tsv_and_semicolon(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("title\tbody\nTiêu đề, có phẩy\tNội dung bài.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("title;body\nTiêu đề hai;Nội dung hai.\n", encoding="utf-8")
    titles = sorted(a.title for a in read(tmp_path) if isinstance(a, Article))
    assert titles == ["Tiêu đề hai", "Tiêu đề, có phẩy"]


def test_csv_row_over_the_limit_is_rejected(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BANTIN_MAX_RECORD_BYTES", "2000")
    p = tmp_path / "big.csv"
    p.write_text("title,body\nNgắn,Bài ngắn.\nDài,\"" + "chữ " * 1000 + "\"\nCuối,Bài cuối.\n", encoding="utf-8")
    out = read(p)
    assert [type(x).__name__ for x in out] == ["Article", "Reject", "Article"]
    assert "too long" in out[1].reason


def test_parquet_rows_streamed_with_map(tmp_path: Path) -> None:
    p = tmp_path / "news.parquet"
    n = 1300  # more than one batch
    t = pa.table({
        "headline": [f"Tin số {i}" for i in range(n)],
        "content": [f"Nội dung tin số {i}.\nĐoạn hai." for i in range(n)],
        "pub": [dt.datetime(2024, 5, 16, 7, 51, tzinfo=dt.timezone.utc) if i % 2 == 0 else None for i in range(n)],
        "url": ["https://dantri.com.vn/a-1.htm"] + [None] * (n - 1),
    })
    pq.write_table(t, p, row_group_size=500)
    out = read(p, {"published_at": "pub"})
    assert len(out) == n and all(isinstance(a, Article) for a in out)
    assert out[0].title == "Tin số 0" and out[0].paragraphs == ["Nội dung tin số 0.", "Đoạn hai."]
    assert out[0].published_at == "2024-05-16T14:51:00+07:00" and out[0].outlet == "Dân trí"
    assert out[1].published_at is None and out[-1].provenance[0].record == str(n)


def test_not_a_parquet_file(tmp_path: Path) -> None:
    p = tmp_path / "x.parquet"
    p.write_bytes(b"not parquet at all")
    [r] = read(p)
    assert isinstance(r, Reject) and r.reason.startswith("cannot read Parquet file")


# -- rows as Python's csv module finds them (issue 15: items 1, 3, 4, 5, 6) --------------------------------------
ROWS = [["title", "body"], ["Tiêu đề một", "Nội dung một."], ["Tiêu đề hai", "Nội dung, hai."],
        ["Tiêu đề ba", "Nội dung ba."]]


def _titles(out: list) -> list[str]:
    return [a.title for a in out if isinstance(a, Article)]


def _csv_text(rows: list[list[str]], **kw) -> str:
    import csv
    import io

    s = io.StringIO()
    csv.writer(s, **kw).writerows(rows)
    return s.getvalue()


def test_csv_with_cr_only_line_endings_reads_every_row(tmp_path: Path) -> None:
    p = tmp_path / "mac.csv"
    p.write_bytes(_csv_text(ROWS, lineterminator="\r").encode())
    out = read(p)
    assert _titles(out) == ["Tiêu đề một", "Tiêu đề hai", "Tiêu đề ba"]
    assert [a.provenance[0].record for a in out] == ["2", "3", "4"]


def test_bare_cr_after_a_quoted_field_ends_the_row_as_for_python_csv(tmp_path: Path) -> None:
    import csv

    p = tmp_path / "mixed.csv"
    p.write_bytes('title,body\n"Tiêu đề một","Nội dung một."\r"Tiêu đề hai","Nội dung hai."\n'
                  'Tiêu đề ba,Nội dung ba.\n'.encode())
    with open(p, newline="", encoding="utf-8") as f:
        expected = [r[0] for r in list(csv.reader(f))[1:]]
    out = read(p)
    assert all(isinstance(a, Article) for a in out)
    assert _titles(out) == expected == ["Tiêu đề một", "Tiêu đề hai", "Tiêu đề ba"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_tsv_is_decoded_before_rows_are_split(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "unicode.txt.tsv"
    rows = ROWS + [["Tiêu đề bốn", "Dòng một\nDòng hai có \"ngoặc\"."]]
    p.write_bytes(_csv_text(rows, delimiter="\t", lineterminator="\r\n").encode(encoding))
    out = read(p)
    assert _titles(out) == ["Tiêu đề một", "Tiêu đề hai", "Tiêu đề ba", "Tiêu đề bốn"], out
    assert out[1].paragraphs == ["Nội dung, hai."] and out[3].paragraphs == ["Dòng một", 'Dòng hai có "ngoặc".']
    # the raw is the header and the row in the file's encoding, and reads back alone (re-extraction)
    raws = [r for r in read_inputs(expand_paths([str(p)])) if isinstance(r, Raw)]
    assert raws[0].payload.decode(encoding if encoding in ("utf-16", "utf-32") else encoding).lstrip("\ufeff") \
        == "title\tbody\nTiêu đề một\tNội dung một.\r"
    assert _titles(list(articles_from(raws))) == _titles(out)


def test_csv_fields_longer_than_pythons_default_limit(tmp_path: Path) -> None:
    p = tmp_path / "long.csv"
    body = "Câu dài của bài báo. " * 7_000  # 147,000 characters > csv.field_size_limit()'s 131,072
    p.write_text(f'title,body\nBài dài,"{body}"\nBài ngắn,Nội dung.\n', encoding="utf-8")
    out = read(p)
    assert _titles(out) == ["Bài dài", "Bài ngắn"]
    assert out[0].paragraphs == [body.strip()]


def test_a_50_mb_field_rejects_its_row_only_and_reading_resumes_after_it(tmp_path: Path) -> None:
    import tracemalloc

    p = tmp_path / "huge.csv"
    sentence = 'Từ đó, Tòa xét thấy "bị cáo" có tội.\nTòa xét thấy, "" như trên.\r\n'.replace('"', '""')
    with open(p, "wb") as f:
        f.write('id,title,body\nh1,Bài rất dài,"'.encode())
        chunk = (sentence * 10_000).encode()
        for _ in range(50 * 2**20 // len(chunk) + 1):
            f.write(chunk)
        f.write('"\nh2,Bài thứ hai,"Nội dung, hai."\nh3,Bài thứ ba,Nội dung ba.\n'.encode())
    tracemalloc.start()
    try:
        items = list(read_inputs(expand_paths([str(p)])))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(items) == 3
    rej, a2, a3 = items
    assert isinstance(rej, Reject) and rej.record == "2" and "too long" in rej.reason
    assert rej.size > 50 * 2**20 and len(rej.payload) <= 8 * 2**20
    assert peak < 48 * 2**20  # at most the record limit (32 MB) and the kept start, never the 50 MB row
    out = list(articles_from([a2, a3]))
    assert [a.external_id for a in out] == ["h2", "h3"]
    assert _titles(out) == ["Bài thứ hai", "Bài thứ ba"] and out[0].paragraphs == ["Nội dung, hai."]
    assert a2.record == str(2 + 2 * 10_000 * (50 * 2**20 // len(chunk) + 1) + 1)  # lines inside the field count


def _split_like_python(data: bytes, chunk: int, limit: int = 10**9) -> list[tuple[int, bytes, int, bool]]:
    from bantin.sources.csv import split_rows

    return list(split_rows((data[i:i + chunk] for i in range(0, len(data), chunk)), ord(","), limit, keep=8))


_CELL = st.text(alphabet=st.sampled_from(list('ab ,"\r\nđế')), max_size=6)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=1, max_size=6),
       term=st.sampled_from(["\n", "\r\n", "\r"]), quoting=st.sampled_from([0, 1, 2]),
       chunk=st.integers(1, 9), tail=st.booleans())
def test_split_rows_agrees_with_python_csv(rows, term, quoting, chunk, tail) -> None:
    """Whatever the line ends, quoting and chunk boundaries, the rows found are the rows csv.reader finds."""
    import csv
    import io

    text = _csv_text(rows, lineterminator=term, quoting=quoting)
    if not tail:
        text = text[:-len(term)]
    data = text.encode()
    expected = list(csv.reader(io.StringIO(text, newline="")))
    got = []
    for _line, row, size, complete in _split_like_python(data, chunk):
        assert complete and size == len(row)
        got.extend(csv.reader(io.StringIO(row.decode(), newline="")) if row not in (b"", b"\r") else [[]])
    assert got == expected


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab,"\r\n')), max_size=16), chunk=st.integers(1, 5))
def test_split_rows_agrees_with_python_csv_on_malformed_text_too(text, chunk) -> None:
    """Stray quotes, quotes inside unquoted fields, text after a closing quote, an open quote at the end."""
    import csv
    import io

    try:
        expected = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return
    got = []
    for _line, row, _size, _complete in _split_like_python(text.encode(), chunk):
        got.extend(csv.reader(io.StringIO(row.decode(), newline="")) if row not in (b"", b"\r") else [[]])
    assert got == expected


def test_split_rows_over_the_limit_keeps_a_prefix_and_resumes() -> None:
    data = b'a,"' + b"x\n" * 50 + b'"\nb,c\r\nd,"e\r\nf"\n'
    rows = _split_like_python(data, 7, limit=40)
    assert [(line, size > 40) for line, _r, size, _c in rows] == [(1, True), (52, False), (53, False)]
    assert rows[0][1] == b'a,"x\nx\nx' and rows[1][1] == b"b,c\r" and rows[2][1] == b'd,"e\r\nf"'


def test_csv_headers_any_case_or_unicode_form_and_a_mapped_name_with_a_comma(tmp_path: Path) -> None:
    import unicodedata

    from bantin.sources.fields import parse_map

    p = tmp_path / "hoa.csv"
    p.write_text('Title,Content,URL\nTiêu đề,Nội dung.,https://vnexpress.net/a-1.html\n', encoding="utf-8")
    [a] = read(p)
    assert a.title == "Tiêu đề" and a.paragraphs == ["Nội dung."] and a.outlet == "VnExpress"
    q = tmp_path / "phay.csv"
    header = unicodedata.normalize("NFD", '"Tiêu đề","Nội dung, chi tiết"')  # a decomposed header
    q.write_text(header + '\nBài một,"Thân bài, có phẩy."\n', encoding="utf-8")
    [b] = read(q, parse_map('title=tiêu đề,body="Nội dung, chi tiết"'))
    assert b.title == "Bài một" and b.paragraphs == ["Thân bài, có phẩy."]


def test_parquet_huge_integers_are_dropped_with_a_flag(tmp_path: Path) -> None:
    import decimal

    p = tmp_path / "big.parquet"
    pq.write_table(pa.table({
        "title": ["Một", "Hai", "Ba"], "body": ["Bài một.", "Bài hai.", "Bài ba."],
        "views": pa.array([2**64 - 1, 2**63, 42], type=pa.uint64()),
        "luot_xem": pa.array([decimal.Decimal(10**30)] * 3, type=pa.decimal128(38, 0)),
    }), p)
    out = read(p)
    assert [a.views for a in out] == [None, None, 42]
    assert out[0].flags == ["views-dropped:18446744073709551615"]
    import orjson

    for a in out:
        orjson.dumps(a.to_dict())

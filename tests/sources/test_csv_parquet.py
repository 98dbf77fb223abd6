"""CSV and Parquet readers: the same field names and --map as JSON Lines, streaming, rows kept as records."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

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

"""Exports read back (issue 15, items 2 and 21): `bantin export` → `bantin ingest` gives the same articles — same
ids and fields — adds nothing to the archive they came from, and the CSV export is one of those formats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import orjson
import pytest

import bantin
from conftest import SAMPLES, SEED_LIKE, run_cli

FORMATS = ("jsonl", "parquet", "csv")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """An enriched archive with what cleaning finds: a cut lead, flags, external ids, views, lists, a tag with a
    comma, a caption with quotes, an undated article, an exact duplicate."""
    d = tmp_path_factory.mktemp("src")
    (d / "seed.txt").write_text(SEED_LIKE, encoding="utf-8")
    rows = [
        {"id": "x-1", "title": "Giá xăng giảm lần thứ ba", "sapo": "Giá xăng RON95 giảm 500 đồng...",
         "body": "Liên Bộ Công Thương - Tài chính điều chỉnh giá.\nGiá dầu cũng giảm.\n\u200bGiá dầu cũng giảm.",
         "published_at": "16/05/2024 15:00", "url": "https://vnexpress.net/gia-xang-1.html", "views": "12.345",
         "authors": ["Lê Phương", "Minh Anh"], "tags": ["giá xăng", "Hà Nội, Việt Nam"], "section": "Kinh doanh",
         "captions": ['Cây xăng ở "Cầu Giấy".']},
        {"id": "x-2", "title": "Bài không ngày tháng", "body": "Nội dung không có ngày.\nDòng hai.", "outlet": "Tuổi Trẻ"},
        {"id": "x-3", "title": "Bài chép lại", "body": "Liên Bộ Công Thương - Tài chính điều chỉnh giá.\nGiá dầu cũng giảm.",
         "published_at": "2024-05-17T08:00:00+07:00", "views": 1e30},
        {"id": "x-5", "title": "Chỉ có lời dẫn", "sapo": "Bài này không có thân bài, chỉ có lời dẫn.",
         "tags": ["một", "hai"]},
        {"id": "x-4", "title": "Bài chép lại", "body": "Liên Bộ Công Thương - Tài chính điều chỉnh giá.\nGiá dầu cũng giảm.",
         "published_at": "2024-05-17T08:00:00+07:00"},
    ]
    (d / "a.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    db = d / "src.db"
    with bantin.open(str(db)) as b:
        b.ingest([str(d / "seed.txt"), str(d / "a.jsonl"), str(SAMPLES / "dumps"), str(SAMPLES / "exports")],
                 workers=1)
        for fmt in FORMATS:
            assert b.export(str(d / f"out.{fmt}"), fmt) == b.store.count()
    return db


def _articles(db: Path) -> dict[str, dict]:
    with bantin.open(str(db)) as b:
        return {a.id: a.to_dict() for a in b.articles()}


def _counts(db: Path) -> dict:
    with bantin.open(str(db)) as b:
        s = b.stats()
    return {k: s[k] for k in ("articles", "inputs", "raw_inputs", "rejected", "db_bytes")}


def test_the_source_has_what_must_survive(source: Path) -> None:
    arts = list(_articles(source).values())
    assert any(a["sapo_truncated"] for a in arts) and any(a["flags"] for a in arts)
    assert any(a["annotations"].get("entities") for a in arts) and any(a["external_id"] == "x-1" for a in arts)
    assert any(f.startswith("views-dropped") for a in arts for f in a["flags"])
    assert any(not a["paragraphs"] and a["tags"] for a in arts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_read_into_a_fresh_archive_is_the_same_articles(source: Path, tmp_path: Path, fmt: str) -> None:
    out = source.parent / f"out.{fmt}"
    db = tmp_path / "moved.db"
    with bantin.open(str(db)) as b:
        rep = b.ingest([str(out)], workers=1)
        assert (rep.added, rep.rejected) == (len(_articles(source)), 0)
        assert b.ingest([str(out)], workers=1).existing == rep.added  # idempotent
    before, after = _articles(source), _articles(db)
    assert set(after) == set(before)
    for aid, a in before.items():
        b = dict(after[aid])
        a = dict(a)
        pa, pb = a.pop("provenance"), b.pop("provenance")
        assert b == a, aid  # every field: external id, cut lead, flags, versions, annotations...
        mine = [p for p in pb if p["path"] == str(out)]  # one entry for the export's record, the originals kept
        assert len(mine) == 1 and mine[0]["format"] == fmt
        assert sorted(map(repr, (p for p in pb if p["path"] != str(out)))) == sorted(map(repr, pa))


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_read_into_its_own_archive_adds_nothing(source: Path, tmp_path: Path, fmt: str) -> None:
    import shutil

    db = tmp_path / "same.db"
    shutil.copy(source, db)
    before, counts = _articles(db), _counts(db)
    with bantin.open(str(db)) as b:
        rep = b.ingest([str(source.parent / f"out.{fmt}")], workers=1)
    assert (rep.added, rep.existing, rep.rejected) == (0, len(before), 0)
    assert _articles(db) == before
    assert {k: v for k, v in _counts(db).items() if k != "db_bytes"} == \
        {k: v for k, v in counts.items() if k != "db_bytes"}


def test_show_raw_of_an_imported_article_says_where_its_bytes_come_from(source: Path, tmp_path: Path) -> None:
    out = source.parent / "out.jsonl"
    db = tmp_path / "moved.db"
    run_cli("ingest", "--no-enrich", str(out), db=db, check=0)
    aid = next(a for a in _articles(source).values() if a["external_id"] == "x-1")["id"]
    r = run_cli("show", "--raw", aid, db=db, check=0)
    line = next(x for x in out.read_bytes().splitlines(keepends=True) if aid.encode() in x)
    assert r.stdout == line.rstrip(b"\n")  # the export's record is the raw input here
    note = r.stderr.decode()
    assert "not in this archive" in note and "a.jsonl" in note and "bantin export" in note


def test_export_csv_is_one_documented_row_per_article_and_json_reports(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    rep = json.loads(run_cli("export", "--format", "csv", "-o", str(out), "--json", db=source, check=0).stdout)
    n = len(_articles(source))
    assert rep["articles"] == n and rep["format"] == "csv" and rep["output"] == str(out)
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    from bantin.export import CSV_COLUMNS

    assert len(rows) == n and tuple(rows[0]) == CSV_COLUMNS
    x1 = next(r for r in rows if r["external_id"] == "x-1")
    assert x1["tags"] == "giá xăng\nHà Nội, Việt Nam" and x1["authors"] == "Lê Phương\nMinh Anh"
    assert x1["views"] == "12345" and x1["sapo_truncated"] == "true" and "\n" in x1["body"]
    assert json.loads(x1["provenance"])[0]["record"] == "1"
    # stdout works too; the report then goes to stderr
    r = run_cli("export", "--format", "csv", "--json", db=source, check=0)
    assert r.stdout.decode().replace("\r\n", "\n") == out.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert json.loads(r.stderr)["articles"] == n
    # and a spreadsheet's edit of a cell still reads back as the article, with its id
    rows[0]["title"] = rows[0]["title"] + " (sửa)"
    edited = tmp_path / "edited.csv"
    with open(edited, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, CSV_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    db = tmp_path / "ed.db"
    run_cli("ingest", "--no-enrich", str(edited), db=db, check=0)
    got = _articles(db)
    assert set(got) == set(_articles(source)) and got[rows[0]["id"]]["title"].endswith("(sửa)")


def test_a_broken_export_record_is_rejected_with_the_reason(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    rec = {"id": "abc", "title": "T", "paragraphs": "không phải danh sách", "versions": {},
           "provenance": [{"path": "a", "record": "1", "raw_sha256": "0" * 64, "format": "text"}]}
    p.write_bytes(orjson.dumps(rec) + b"\n")
    r = run_cli("ingest", str(p), db=tmp_path / "b.db", check=1)
    assert b"bantin export record: 'paragraphs' is not a list of text" in r.stderr

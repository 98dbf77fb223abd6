"""`bantin extract` (nothing stored) and re-extraction (`bantin reextract`, `Bantin.reextract`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import bantin
from bantin.model import Article
from conftest import run_cli

FIX = Path(__file__).resolve().parent.parent / "sources" / "fixtures"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    d = tmp_path / "pages"
    d.mkdir()
    for name in ("sites/vnexpress.html", "sites/24h.html", "html/generic_article.html", "html/homepage.html"):
        (d / Path(name).name).write_bytes((FIX / name).read_bytes())
    return d


def test_extract_json_lines_in_input_order_and_stores_nothing(pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    p = run_cli("extract", str(pages), "--json", db=db)
    assert p.returncode == 1  # the homepage was rejected
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [Path(x["path"]).name for x in lines] == ["24h.html", "generic_article.html", "homepage.html",
                                                     "vnexpress.html"]
    arts = [x for x in lines if "reject" not in x]
    rej = [x for x in lines if "reject" in x]
    assert len(arts) == 3 and len(rej) == 1
    for a in arts:  # the model's JSON form plus the input's path and record
        assert set(a) >= {"path", "record", "id", "title", "sapo", "paragraphs", "published_at", "authors",
                          "credit", "captions", "provenance", "versions"}
        assert Article.from_dict({k: v for k, v in a.items() if k not in ("path", "record")}).title == a["title"]
    vx = next(a for a in arts if a["path"].endswith("vnexpress.html"))
    assert vx["authors"] == ["Võ Hải"] and vx["published_at"] == "2025-11-02T20:15:07+07:00"
    assert rej[0]["reject"].startswith("not an article") and rej[0]["stage"] == "parse"
    assert set(rej[0]) == {"path", "record", "reject", "stage"}
    assert not db.exists()


def test_extract_human_output_and_exit_code(pages: Path) -> None:
    p = run_cli("extract", str(pages / "generic_article.html"), check=0)
    out = p.stdout.decode()
    assert "Đồng bằng sông Cửu Long chủ động trữ nước ngọt mùa khô" in out and "Minh Anh" in out
    assert "TTXVN" in out and "[ảnh] Cống Cái Hàng" in out
    p = run_cli("extract", str(pages / "homepage.html"), check=1)
    assert "not an article" in p.stderr.decode()
    run_cli("extract", str(pages / "missing.html"), check=2)


def _body_rows(db: Path) -> list[int]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT rowid FROM articles ORDER BY rowid")]
    finally:
        con.close()


def test_reextract_updates_in_place_after_an_extractor_change(pages: Path, tmp_path: Path, monkeypatch) -> None:
    from bantin.sources import html, htmltext

    db_path = tmp_path / "a.db"
    with bantin.open(str(db_path)) as db:
        rep = db.ingest([str(pages)], workers=1)
        assert rep.added == 3
        before = {a.id: a for a in db.articles()}
        rows_before = _body_rows(db_path)
        vx = next(a for a in before.values() if a.outlet == "VnExpress")
        # nothing changed yet: the current extractor made every article
        r0 = db.reextract()
        assert (r0.same_versions, r0.changed) == (3, 0)

        # a new extractor version that writes captions into the text
        monkeypatch.setattr(html, "VERSION", "test-2")
        orig = htmltext.refine

        def refine(blocks, ctx):
            body = orig(blocks, ctx)
            body.paragraphs = body.paragraphs + ["Chú thích: " + c for c in body.captions]
            return body

        monkeypatch.setattr(htmltext, "refine", refine)
        r1 = db.reextract()
        assert r1.examined == 3 and r1.changed == 2 and r1.unchanged == 1 and r1.now_rejected == 0
        after = {a.id: a for a in db.articles()}
        assert set(after) == set(before)  # same ids
        assert _body_rows(db_path) == rows_before  # same rows (publication times did not change)
        new_vx = after[vx.id]
        assert new_vx.paragraphs[-1].startswith("Chú thích: Xe buýt điện chạy thử")
        assert new_vx.versions["extractor"].startswith("html/test-2+")
        assert new_vx.provenance == vx.provenance
        # the full-text index follows: the new words are found, and the old rows were deleted cleanly
        assert [h.id for h in db.search('"chú thích xe buýt điện"')] == [vx.id]
        assert [h.id for h in db.search("buýt điện Nội Bài")] == [vx.id]
        # idempotent
        r2 = db.reextract()
        assert (r2.same_versions, r2.changed) == (3, 0)
        r3 = db.reextract(everything=True)
        assert (r3.changed, r3.unchanged) == (0, 3)


def test_reextract_moves_a_row_when_the_date_changes_and_reports_rejects(pages: Path, tmp_path: Path,
                                                                        monkeypatch) -> None:
    from bantin.sources import html

    db_path = tmp_path / "b.db"
    with bantin.open(str(db_path)) as db:
        db.ingest([str(pages)], workers=1)
        gen = next(a for a in db.articles() if a.outlet == "baomau.vn")
        assert gen.published_at == "2025-10-22T19:25:00+07:00"
        monkeypatch.setattr(html, "VERSION", "test-3")
        orig = html._choose_date

        def later(structured, visible):
            d = orig(structured, visible)
            if d is None or d.date.value.year != 2025:
                return d
            from dataclasses import replace
            return html.hm.DateFound(replace(d.date, value=d.date.value.replace(year=2026)), d.text, d.source)

        monkeypatch.setattr(html, "_choose_date", later)
        rep = db.reextract(formats=["html"])
        assert rep.changed == 2 and rep.moved == 2
        moved = db.get(gen.id)
        assert moved.published_at == "2026-10-22T19:25:00+07:00"
        assert [h.id for h in db.search("trữ nước ngọt", since="2026-01-01")] == [gen.id]
        assert db.search("trữ nước ngọt", until="2025-12-31") == []

        # an extractor that now rejects the 24h page: reported, kept unless asked to drop
        monkeypatch.setattr(html, "VERSION", "test-4")
        orig_extract = html.extract

        def picky(text, **kw):
            page = orig_extract(text, **kw)
            if page.outlet == "24h":
                raise html.NotArticle("not an article: test says so")
            return page

        monkeypatch.setattr(html, "extract", picky)
        rep = db.reextract(dry_run=True)
        assert rep.now_rejected == 1 and rep.dropped == 0
        assert db.stats()["articles"] == 3
        rep = db.reextract(drop_rejected=True)
        assert rep.now_rejected == 1 and rep.dropped == 1
        assert db.stats()["articles"] == 2
        assert any("test says so" in r.reason for r in db.rejects())


def test_reextract_cli_reports_counts(pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run_cli("ingest", str(pages), "-q", db=db, check=1)
    rep = json.loads(run_cli("reextract", "--json", db=db, check=0).stdout)
    assert rep["examined"] == 3 and rep["same_versions"] == 3 and rep["changed"] == 0
    rep = json.loads(run_cli("reextract", "--all", "--format", "html", "--json", db=db, check=0).stdout)
    assert rep["unchanged"] == 3 and rep["changed"] == 0
    out = run_cli("reextract", db=db, check=0).stdout.decode()
    assert "examined 3" in out and "now rejected 0" in out


def test_huge_integers_neither_crash_extract_json_nor_reject_on_ingest(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    p.write_text('{"title": "Tiêu đề", "body": "Nội dung bài.", "views": 1000000000000000000000000000000}\n'
                 '{"title": "Hai", "body": "Bài hai.", "views": 18446744073709551615}\n', encoding="utf-8")
    q = tmp_path / "big.csv"
    q.write_text("title,body,views\nBa,Bài ba.,99999999999999999999999999\n", encoding="utf-8")
    r = run_cli("extract", "--json", str(p), str(q), check=0)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["views"] for x in lines] == [None, None, None]
    assert all(any(f.startswith("views-dropped:") for f in x["flags"]) for x in lines)
    r = run_cli("ingest", "--no-enrich", "--json", str(p), str(q), db=tmp_path / "a.db", check=0)
    assert json.loads(r.stdout)["added"] == 3

"""An enrichment failure never turns an article into a Reject: the article is stored, the failing enricher's
annotation left out, the article flagged ``enrich-failed:NAME`` and the ingest report lists it.

The failure found in the 128k VietNews ingest (1 record of 128,060 lost): an amount printed with a typo,
"tổng mức đầu tư là 672.625.712.000 tỷ đồng" (672 tỷ meant), read as printed is 6.7e20 — an int past 64 bits,
which the document encoder (orjson) refuses, so ``prepare`` raised and the whole article became a Reject."""

from __future__ import annotations

import json

import orjson
import pytest

from bantin import pipeline
from bantin.enrich import facts
from bantin.enrich.amounts import find_amounts
from bantin.model import Raw
from bantin.store.base import Prepared
from tests.conftest import run_cli

# synthetic, in the shape of the real one: an absurd amount (a typo) in an otherwise ordinary article
TEXT = ("Dự án chung cư xây trên đất văn phòng\n\n"
        "Theo văn bản của công ty gửi UBND phường, tổng mức đầu tư là 1.500.000.000.000 tỷ đồng. "
        "Dự án cao 30 tầng, khởi công ngày 12/6/2012 tại quận Hoàng Mai, Hà Nội.")


def _raw(text: str = TEXT, record: str = "") -> Raw:
    return Raw(text.encode(), "du-an.txt", record, "text")


def test_an_amount_past_64_bits_is_a_float_that_the_store_can_encode():
    (a,) = [a for a in find_amounts("tổng mức đầu tư là 1.500.000.000.000 tỷ đồng") if a.unit == "VND"]
    assert isinstance(a.value, float) and a.value == pytest.approx(1.5e21)
    orjson.dumps(a.to_dict("tổng mức đầu tư là 1.500.000.000.000 tỷ đồng"))
    big = find_amounts("nợ 9.223.372.036.854.775.807 đồng")[0]  # the largest 64-bit int stays exact
    assert big.value == (1 << 63) - 1 and isinstance(big.value, int)


def test_the_article_with_an_absurd_amount_is_stored_with_its_amounts():
    p = pipeline.process(_raw())
    assert isinstance(p, Prepared), p  # was: Reject at stage "prepare" (TypeError: Integer exceeds 64-bit range)
    amounts = p.article.annotations["amounts"]
    assert any(m["value"] == pytest.approx(1.5e21) and m["unit"] == "VND" for m in amounts)
    assert not pipeline.enrich_failures(p.article)


@pytest.mark.parametrize("name", [n for n, _s in pipeline.ENRICHERS])
def test_any_enricher_that_raises_is_skipped_not_the_article(monkeypatch, name):
    def boom(article):
        article.annotations[name] = ["half done"]
        raise RuntimeError("bug")

    monkeypatch.setattr(pipeline, "ENRICHERS", [(n, boom if n == name else s) for n, s in pipeline.ENRICHERS])
    p = pipeline.process(_raw())
    assert isinstance(p, Prepared), p
    assert pipeline.enrich_failures(p.article) == [name]
    assert name not in p.article.annotations  # what it did before failing is taken back
    others = [n for n, _s in pipeline.ENRICHERS if n not in (name, "topic", "quotes")]
    assert all(n in p.article.annotations for n in others)


def test_an_enricher_whose_output_cannot_be_stored_is_skipped(monkeypatch):
    def bad_amounts(article):  # the failure mode of the lost record, whatever the enricher
        article.annotations["amounts"] = [{"start": 0, "end": 1, "text": "x", "value": 10 ** 21}]
        return article

    monkeypatch.setattr(pipeline, "ENRICHERS",
                        [(n, bad_amounts if n == "amounts" else s) for n, s in pipeline.ENRICHERS])
    p = pipeline.process(_raw())
    assert isinstance(p, Prepared), p
    assert pipeline.enrich_failures(p.article) == ["amounts"]
    assert "amounts" not in p.article.annotations and "dates" in p.article.annotations


def test_prepare_failing_on_an_annotation_drops_that_annotation_only(monkeypatch):
    """Behind ``enrich``: an annotation that passes the encoder but breaks ``prepare`` (an entity without a
    type) costs that annotation, not the article."""
    def bad_entities(article):
        article.annotations["entities"] = [{"field": "title", "start": 0, "end": 2, "text": "Dự", "name": "Dự"}]
        return article

    monkeypatch.setattr(pipeline, "ENRICHERS",
                        [(n, bad_entities if n == "entities" else s) for n, s in pipeline.ENRICHERS])
    p = pipeline.process(_raw())
    assert isinstance(p, Prepared), p
    assert "entities" in pipeline.enrich_failures(p.article)  # (quotes, reading the entities, may fail too)
    assert "entities" not in p.article.annotations and "amounts" in p.article.annotations


def test_a_bad_article_is_still_a_reject_naming_its_stage(monkeypatch):
    """The guard is for enrichment only: when prepare fails on the article itself, it is a Reject."""
    from bantin.store import base

    def broken(_article):
        raise RuntimeError("index bug")

    monkeypatch.setattr(pipeline, "prepare", broken)
    monkeypatch.setattr(base, "prepare", broken)
    r = pipeline.process(_raw())
    assert not isinstance(r, Prepared) and r.stage == "prepare" and "index bug" in r.reason


def test_ingest_stores_every_record_and_reports_the_skipped_enricher(tmp_path, monkeypatch):
    def boom(_text):
        raise RuntimeError("bug")

    monkeypatch.setattr(facts, "amounts_in", boom)
    from bantin.store.sqlite import SQLiteArchive

    store = SQLiteArchive(str(tmp_path / "a.db"))
    try:
        raws = [_raw(TEXT, "1"), _raw(TEXT.replace("Hà Nội", "Đà Nẵng"), "2")]
        rep = pipeline.ingest_raws(store, raws, workers=1)
        assert (rep.added, rep.rejected, rep.enrich_failed) == (2, 0, 2)
        assert rep.enrich_failures[0] == {"path": "du-an.txt", "record": "1", "id": rep.added_ids[0],
                                          "enrichers": ["amounts"]}
        d = rep.to_dict()
        assert d["enrich_failed"] == 2 and d["enrich_failures"][1]["enrichers"] == ["amounts"]
        a = store.get(rep.added_ids[0])
        assert "enrich-failed:amounts" in a.flags and "amounts" not in a.annotations
    finally:
        store.close()


def test_cli_ingest_stores_the_article_and_says_which_enricher_was_skipped(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from bantin.cli import main

    def boom(_text):
        raise RuntimeError("bug")

    monkeypatch.setattr(facts, "amounts_in", boom)
    src = tmp_path / "news.jsonl"
    title, body = TEXT.split("\n\n")
    src.write_text(json.dumps({"title": title, "body": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    r = CliRunner().invoke(main, ["--db", str(db), "ingest", str(src), "--workers", "1", "--no-dedup"])
    assert r.exit_code == 0, r.output
    assert "news.jsonl:1" in r.stderr and "amounts failed on this article; stored without it" in r.stderr
    assert "enrichment skipped on 1 articles" in r.stdout
    r = CliRunner().invoke(main, ["--db", str(db), "ingest", str(src), "--json"])  # again: nothing new
    assert json.loads(r.stdout)["already_there"] == 1


def test_cli_ingest_of_the_lost_records_shape_stores_it(tmp_path):
    """End to end through the command, as the benchmark ran it: the amount past 64 bits in a JSONL record."""
    src = tmp_path / "news.jsonl"
    title, body = TEXT.split("\n\n")
    src.write_text(json.dumps({"title": title, "body": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    rep = json.loads(run_cli("ingest", str(src), "--json", db=db, check=0).stdout)
    assert (rep["added"], rep["rejected"], rep["enrich_failed"]) == (1, 0, 0)
    hits = json.loads(run_cli("search", "tổng mức đầu tư", "--json", db=db, check=0).stdout)
    hits = hits["hits"] if isinstance(hits, dict) else hits
    shown = json.loads(run_cli("show", hits[0]["id"], "--json", db=db, check=0).stdout)
    assert any(m["value"] == pytest.approx(1.5e21) for m in shown["annotations"]["amounts"])


def test_an_amount_past_64_bits_is_shown_without_invented_digits():
    """A float past 2**53 printed as an int would show digits the text never had (6.72625712e20 →
    672 625 712 000 000 065 536); the page shows it in exponent form, the CLI as it did."""
    from bantin.web.render import _num

    assert _num(6.72625712e20) == "6.72626e+20" and _num(1.5e6) == "1 500 000" and _num(2.5) == "2.5"


def test_the_ray_runner_counts_the_skipped_enrichers_as_the_others_do(monkeypatch):
    """Ray's map step hands the driver each article's enrich-failed item beside its record, and its report keeps
    the ``enrich_failed`` count (it used to drop it). ``_process`` is the map step's function, run here in-process."""
    import pickle

    import numpy as np

    from bantin import ray_engine

    def boom(_text):
        raise RuntimeError("bug")

    monkeypatch.setattr(facts, "amounts_in", boom)
    items = [pickle.dumps(r) for r in (_raw(TEXT, "1"), _raw("Chỉ một dòng", "2"))]  # the second: a Reject
    cols = ray_engine._process({"item": np.array(items, dtype=object), "order": np.array([0, 1])},
                               enrich=True, want_rows=False, want_prepared=True)
    assert cols["kind"] == ["a", "r"]
    got = [orjson.loads(e) if e else None for e in cols["ef"]]  # b"" where every enricher ran
    assert got[1] is None
    assert got[0] == {"path": "du-an.txt", "record": "1", "id": cols["id"][0], "enrichers": ["amounts"]}
    rep = ray_engine.RayReport(enrich_failed=1, enrich_failures=[got[0]])
    assert rep.to_dict()["enrich_failed"] == 1 and rep.to_dict()["enrich_failures"] == [got[0]]

"""Quality floors of the facts stages on the hand-labelled gold (bench/gold) and the shared data: a regression in
quotes, dates, amounts, topic or summary fails CI. Floors: tests/eval/facts_baseline.json (measured by
bench/facts.py, less a small margin). Skipped without ../shared."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, needs_shared, run_cli

pytestmark = pytest.mark.eval
FLOORS = json.loads((Path(__file__).parent / "facts_baseline.json").read_text())


def _bench():
    needs_shared("data", "vims", "vims_dev.jsonl")
    import os

    os.environ.setdefault("BANTIN_SHARED", str(SHARED))
    spec = importlib.util.spec_from_file_location("bench_facts", ROOT / "bench" / "facts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.SHARED = SHARED
    import sys

    sys.path.insert(0, str(ROOT / "bench" / "gold"))
    import tools

    tools.SHARED = SHARED
    return mod


@pytest.mark.parametrize("which", ["heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f",
                                   "heldout_g", "heldout_h", "heldout_i", "heldout_j", "heldout_k", "heldout_l",
                                   "heldout_m", "dev", "train_t1", "train_t2", "train_t3"])
def test_gold_floors(which):
    r = _bench().score(which)
    f = FLOORS[which]
    assert r["quotes"]["f1"] >= f["quote_f1"], r["quotes"]
    assert r["quotes"]["speaker_accuracy"] >= f["speaker_accuracy"], r["quotes"]
    assert r["dates"]["value_accuracy"] >= f["date_accuracy"], r["dates"]
    assert r["dates"]["false_dates_on_nondates"] == 0, r["dates"]
    assert r["amounts"]["accuracy"] >= f["amount_accuracy"], r["amounts"]


def test_topic_floor():
    needs_shared("data", "ner", "vlsp2018_train_dev.jsonl")
    t = _bench().topic_scores()
    assert t["accuracy"] >= FLOORS["topic_accuracy"], t
    assert t["accuracy"] > t["majority_baseline"] + 0.3


def test_summary_floor():
    needs_shared("data", "vietnews", "val.jsonl.gz")
    s = _bench().summary_scores(300)
    assert s["bantin"]["rouge1"] >= FLOORS["summary_rouge1_300"], s
    assert s["bantin"]["rougeL"] >= FLOORS["summary_rougeL_300"], s


def test_keyword_floor():
    """Keywords of VietNews val bodies against their titles and abstracts, and no pieces of four-syllable words."""
    needs_shared("data", "vietnews", "val.jsonl.gz")
    k = _bench().keyword_scores(300)["bantin"]
    assert k["in_title_or_abstract"] >= FLOORS["keywords_in_title_or_abstract_300"], k
    assert k["pieces_of_4_syllable_words"] <= FLOORS["keywords_pieces_of_4_syllable_words_300_max"], k


def test_seed_article_facts(db):
    seed = needs_shared("seeds", "000_c97eb5e13326f596.txt")
    run_cli("ingest", str(seed), db=db, check=0)
    [line] = run_cli("export", db=db, check=0).stdout.splitlines()
    ann = json.loads(line)["annotations"]
    quotes = [q for q in ann["quotes"] if q["speaker"] == "Uông Văn Bân"]
    assert quotes and quotes[0]["speaker_role"] == "Người phát ngôn Bộ Ngoại giao Trung Quốc"
    assert quotes[0]["text"].startswith("Để thực hiện sự đồng thuận")
    assert not any(q["text"] == "lạm dụng" for q in ann["quotes"])
    dates = {(d["text"].lower(), d["value"], d["part"]) for d in ann["dates"]}
    assert {("ngày 14/5", "2024-05-14", None), ("tháng 11 năm ngoái", "2023-11", None), ("hôm qua", "2024-05-15", None),
            ("đầu tháng này", "2024-05", "early")} <= dates
    assert ("32 tỷ USD", 32_000_000_000, "USD") in {(a["text"], a["value"], a["unit"]) for a in ann["amounts"]}
    assert ann["topic"] in ("Thế giới", "Công nghệ")

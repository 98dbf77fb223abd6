"""Quality gate: NER scores on the VLSP dev sets must not drop below pinned floors.

Floors live in ``tests/eval/ner_baseline.json`` (written from a bench run of the
shipped model, minus a small tolerance).  Skipped when the shared data
(``../shared/data/ner`` or ``$BANTIN_SHARED/data/ner``) is absent.
Runs in a few seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bantin.enrich.ner import MODEL_VERSION, extract_entities
from bantin.enrich.ner import evaluate as ev

BASELINE = json.loads((Path(__file__).parent / "ner_baseline.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.eval

_DATA = ev.ner_data_dir()
if not (_DATA / "vlsp2016_dev_sentences.jsonl").exists() or not (_DATA / "vlsp2018_train_dev.jsonl").exists():
    pytest.skip(f"shared NER data not found in {_DATA} (set BANTIN_SHARED to the shared/ folder)",
                allow_module_level=True)

LOADERS = {"vlsp2016_dev": lambda: ev.load_vlsp2016("dev"), "vlsp2018_dev": lambda: ev.load_vlsp2018("dev")}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_dev_scores_above_floor(name):
    docs = LOADERS[name]()
    gold = [d.spans for d in docs]
    pred = [[(e.start, e.end, e.type) for e in extract_entities(d.text)] for d in docs]
    sc = ev.score(gold, pred)
    floors = BASELINE["floors"][name]
    report = ev.format_scores(f"{name} ({MODEL_VERSION})", sc)
    for key, floor in floors.items():
        assert sc[key].f1 >= floor, f"{key} F1 {sc[key].f1:.4f} fell below floor {floor}\n{report}"


def test_baseline_matches_model_version():
    assert BASELINE["model_version"] == MODEL_VERSION, (
        "the shipped model changed: rerun `python training/ner/make_baseline.py` and review the new floors")

"""The hand-annotated VietNews NER set (issue 14): its integrity, and the shipped model's score on it.

The gold (``tests/eval/vietnews_ner``) is offsets into the shared ``vietnews/val.jsonl.gz``; skipped when
the shared data is absent.  The floor lives in ``ner_baseline.json`` (``training/ner/make_baseline.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bantin.enrich.ner import MODEL_VERSION, extract_entities
from bantin.enrich.ner import evaluate as ev

pytestmark = pytest.mark.eval

GOLD = Path(__file__).parent / "vietnews_ner" / "gold.jsonl"
BASELINE = json.loads((Path(__file__).parent / "ner_baseline.json").read_text(encoding="utf-8"))
if not (ev.shared_root() / "data" / "vietnews" / "val.jsonl.gz").exists():
    pytest.skip(f"shared VietNews data not found under {ev.shared_root()} (set BANTIN_SHARED)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def docs():
    return ev.load_vietnews_gold(GOLD)  # raises if a gold surface is not where its offsets say


def test_gold_set_shape(docs):
    assert len(docs) >= 100
    domains = {}
    for d in docs:
        domains[d.category] = domains.get(d.category, 0) + 1
        assert all(0 <= s < e <= d.end for s, e, _ in d.spans)
        assert all(t in {"PER", "LOC", "ORG", "MISC"} for _, _, t in d.spans)
    assert set(domains) == {"sports", "entertainment", "technology", "world"}
    assert min(domains.values()) >= 25
    assert len({d.id for d in docs}) == len(docs)


def test_shipped_model_above_floor(docs):
    pred = [ev.clip(d, [(e.start, e.end, e.type) for e in extract_entities(d.text)]) for d in docs]
    sc = ev.score([d.spans for d in docs], pred)
    floors = BASELINE["floors"]["vietnews_gold"]
    report = ev.format_scores(f"VietNews gold ({MODEL_VERSION})", sc)
    for key, floor in floors.items():
        assert sc[key].f1 >= floor, f"{key} F1 {sc[key].f1:.4f} fell below floor {floor}\n{report}"

"""Quality gate: stories on ViMs dev (200 hand-made same-event clusters) must stay above the pinned floors.

The archive is built by the real command from the JSONL as it is; the gold `cluster_id` is only read here,
to score `bantin stories --json` (each member's `external_id` is the input's `doc_id`).
"""

import json
from pathlib import Path

import pytest

from bantin.dedup.metrics import score
from conftest import needs_shared, run_cli

pytestmark = pytest.mark.eval
BASELINE = json.loads((Path(__file__).parent / "stories_baseline.json").read_text())["vims_dev"]


def test_vims_dev_stories_above_floor(db):
    path = needs_shared("data", "vims", "vims_dev.jsonl")
    gold = {}
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        gold[d["doc_id"]] = d["cluster_id"]
    run_cli("ingest", str(path), "-q", db=db, check=0)
    stories = json.loads(run_cli("stories", "--json", db=db, check=0).stdout)
    pred = {m["external_id"]: str(s["id"]) for s in stories for m in s["members"]}
    assert set(pred) <= set(gold)
    s = score(pred, gold)
    print(f"ViMs dev stories: B3 P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} ARI {s['ari']:.3f}")
    assert s["f1"] >= BASELINE["b3_f1"], s
    assert s["ari"] >= BASELINE["ari"], s
    assert s["precision"] >= BASELINE["b3_precision"], s
    assert s["recall"] >= BASELINE["b3_recall"], s

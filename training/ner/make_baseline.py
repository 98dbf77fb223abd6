"""Write tests/eval/ner_baseline.json from the shipped model's dev scores (step 3).

    .venv/bin/python training/ner/make_baseline.py

Floors are the measured F1 minus a small tolerance (0.005 micro, 0.02 per type),
so the CI gate catches real regressions, not rounding.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner import MODEL_VERSION, extract_entities  # noqa: E402
from bantin.enrich.ner import evaluate as ev  # noqa: E402

OUT = ROOT / "tests/eval/ner_baseline.json"


def floor3(x: float) -> float:
    return math.floor(x * 1000) / 1000


def main() -> None:
    out = {"model_version": MODEL_VERSION, "scores": {}, "floors": {},
           "note": "exact-span F1 on dev; VLSP 2018 scored on depth-0 entities; written by training/ner/make_baseline.py"}
    sets = [("vlsp2016_dev", ev.load_vlsp2016("dev")), ("vlsp2018_dev", ev.load_vlsp2018("dev")),
            ("vietnews_gold", ev.load_vietnews_gold())]
    for name, docs in sets:
        gold = [d.spans for d in docs]
        pred = [ev.clip(d, [(e.start, e.end, e.type) for e in extract_entities(d.text)]) for d in docs]
        sc = ev.score(gold, pred)
        print(ev.format_scores(name, sc))
        out["scores"][name] = {t: {"p": round(s.p, 4), "r": round(s.r, 4), "f1": round(s.f1, 4)} for t, s in sc.items()}
        out["floors"][name] = {"micro": floor3(sc["micro"].f1 - 0.005),
                               **{t: floor3(sc[t].f1 - 0.02) for t in ("PER", "LOC", "ORG")}}
    OUT.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

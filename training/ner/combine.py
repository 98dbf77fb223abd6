"""Pair a (re)trained CRF with an existing neural scorer: choose alpha on VLSP 2016 dev, write the scorer.

    .venv/bin/python training/ner/combine.py --crf build/std-all/model.npz \
        --scorer src/bantin/data/ner/scorer.npz --out src/bantin/data/ner/scorer.npz --version ner-crf-2026.12.4

The scorer is trained independently of the CRF (``train_nn.py``: it reads the featurizer's attributes, not
the CRF's weights), so a new CRF can be combined with an existing scorer; only the weight alpha of the
scorer's logits in the emissions is chosen again, on VLSP 2016 dev alone (VLSP 2018 dev is printed for
information and never used to choose).  The weights are copied unchanged; ``version`` and ``alpha`` are
rewritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402
from bantin.enrich.ner.extract import extract  # noqa: E402
from bantin.enrich.ner.gazetteer import load_gazetteer_entries  # noqa: E402
from bantin.enrich.ner.model import CRFModel  # noqa: E402

ALPHAS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def scores(m: CRFModel, docs) -> dict:
    pred = [[(e.start, e.end, e.type) for e in extract(m, d.text)] for d in docs]
    return ev.score([d.spans for d in docs], pred)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crf", required=True)
    ap.add_argument("--scorer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--version", required=True)
    args = ap.parse_args()
    m = CRFModel(args.crf, load_gazetteer_entries(), args.scorer)
    dev16, dev18 = ev.load_vlsp2016("dev"), ev.load_vlsp2018("dev")
    res = {}
    for a in ALPHAS:
        m.scorer.alpha = a
        res[a] = scores(m, dev16)["micro"].f1
        print(f"alpha {a}: VLSP 2016 dev micro-F1 {res[a]:.4f}", flush=True)
    best = max(ALPHAS, key=lambda a: (res[a], -abs(a - 1.0)))
    m.scorer.alpha = best
    print(ev.format_scores(f"VLSP 2018 dev at alpha {best} (not used to choose)", scores(m, dev18)), flush=True)
    z = dict(np.load(args.scorer))
    z["alpha"] = np.array(best, dtype=np.float32)
    z["version"] = np.array(args.version)
    tmp = Path(args.out).with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **z)
    tmp.replace(args.out)
    print(f"alpha {best} (2016 dev {res[best]:.4f}) -> {args.out}")


if __name__ == "__main__":
    main()

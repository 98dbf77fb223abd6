"""Sweep the weight of emission pooling (``model.pool_emissions``, "one type per name per article") at decode
time: the emission scores of every text are computed once, then pooled with each weight, decoded and scored
by the full extraction pipeline (``extract.entities_from_labels``), as ``extract`` does.

    .venv/bin/python training/ner/poolsweep.py dev --weights 0,0.3,0.5,0.7,1           # shipped model, both dev sets
    .venv/bin/python training/ner/poolsweep.py vietnews --weights 0,0.5                # the hand-annotated VietNews set
    .venv/bin/python training/ner/poolsweep.py xd fast --folds "The thao,Giai tri,KH - CN" --weights 0,0.5,1

``xd`` scores the fold models of a cross-domain configuration (crossdomain.py) on their held-out sections,
micro over the folds given.  Weights are chosen on the tuning sections only; never on a reserved test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training/ner"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402
from bantin.enrich.ner.extract import entities_from_labels  # noqa: E402
from bantin.enrich.ner.features import COL_RUN  # noqa: E402
from bantin.enrich.ner.gazetteer import DATA_DIR, load_gazetteer_entries  # noqa: E402
from bantin.enrich.ner.model import CRFModel, pool_emissions  # noqa: E402
from bantin.enrich.ner.text import segments, tokenize  # noqa: E402


def prepare(m: CRFModel, docs: list[ev.Doc]) -> list:
    """Per text: tokens, offsets, segments, the un-pooled emission scores and the run positions."""
    out = []
    pool, m.pool = m.pool, 0.0
    for d in docs:
        toks, starts, ends = tokenize(d.text)
        if not toks:
            out.append(None)
            continue
        segs = segments(toks, starts, d.text)
        emit = m.emissions(toks, segs)
        A, idx = m.featurizer.attributes(toks, segs)
        out.append((toks, starts, ends, segs, emit, A[idx, COL_RUN["rpos"]].copy()))
    m.pool = pool
    return out


def decode(m: CRFModel, docs: list[ev.Doc], prep: list, w: float, mode: str = "labels") -> list[list[tuple[int, int, str]]]:
    preds = []
    for d, p in zip(docs, prep):
        if p is None:
            preds.append([])
            continue
        toks, starts, ends, segs, emit, rpos = p
        e = emit.copy()
        if w > 0 and len(toks):
            pool_emissions(e, toks, rpos, w, m.labels if mode == "types" else None)
        labels = [m.labels[i] for i in m.viterbi(e, segs).tolist()]
        preds.append(ev.clip(d, [(x.start, x.end, x.type)
                                 for x in entities_from_labels(d.text, toks, starts, ends, segs, labels)]))
    return preds


def summary(docs, preds) -> dict:
    sc = ev.score([d.spans for d in docs], preds)
    return {"scores": {t: {"p": v.p, "r": v.r, "f1": v.f1, "tp": v.tp, "fp": v.fp, "fn": v.fn} for t, v in sc.items()},
            "errors": ev.error_classes(docs, preds)}


def line(name: str, w: float, s: dict) -> str:
    sc = s["scores"]
    e = s["errors"]
    return (f"{name:<16} w={w:<4} F1 {sc['micro']['f1']:.4f} (P {sc['micro']['p']:.3f} R {sc['micro']['r']:.3f}) "
            + " ".join(f"{t} {sc[t]['f1']:.3f}" for t in ("PER", "LOC", "ORG"))
            + f" | wrong type {e.get('wrong type', 0)}, wrong boundary {e.get('wrong boundary', 0)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["dev", "vietnews", "xd"])
    ap.add_argument("config", nargs="?", default="fast")
    ap.add_argument("--folds", default=None)
    ap.add_argument("--weights", default="0,0.3,0.5,0.7,1")
    ap.add_argument("--mode", choices=["labels", "types"], default="labels",
                    help="pool every label's score, or only the type given a name (model.pool_emissions)")
    ap.add_argument("--crf-only", action="store_true", help="dev: the shipped CRF without its scorer")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    weights = [float(x) for x in args.weights.split(",")]
    gaz = load_gazetteer_entries()
    report: dict = {"what": args.what, "mode": args.mode, "weights": weights, "sets": {}}
    if args.what in ("dev", "vietnews"):
        m = CRFModel(DATA_DIR / "model.npz", gaz, None if args.crf_only else DATA_DIR / "scorer.npz")
        sets = ([("VLSP 2016 dev", ev.load_vlsp2016("dev")), ("VLSP 2018 dev", ev.load_vlsp2018("dev"))]
                if args.what == "dev" else [("VietNews gold", ev.load_vietnews_gold())])
        for name, docs in sets:
            prep = prepare(m, docs)
            report["sets"][name] = {}
            for w in weights:
                s = summary(docs, decode(m, docs, prep, w, args.mode))
                report["sets"][name][str(w)] = s
                print(line(name, w, s), flush=True)
    else:
        import crossdomain as xd
        cats = [c.strip() for c in args.folds.split(",")] if args.folds else list(ev.CATEGORIES)
        alldocs = ev.load_vlsp2018("all")
        docs_all: list = []
        preds_all: dict[float, list] = {w: [] for w in weights}
        for cat in cats:
            d = xd.fold_dir(args.config, cat)
            if not (d / "model.npz").exists():
                print(f"{cat}: no fold model in {d}, skipped", flush=True)
                continue
            m = CRFModel(d / "model.npz", gaz, None)
            docs = [x for x in alldocs if x.category == cat]
            prep = prepare(m, docs)
            report["sets"][cat] = {}
            for w in weights:
                p = decode(m, docs, prep, w, args.mode)
                preds_all[w] += p
                s = summary(docs, p)
                report["sets"][cat][str(w)] = s
                print(line(cat, w, s), flush=True)
            docs_all += docs
        if docs_all:
            report["sets"]["micro"] = {}
            for w in weights:
                s = summary(docs_all, preds_all[w])
                report["sets"]["micro"][str(w)] = s
                print(line("micro", w, s), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

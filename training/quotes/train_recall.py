"""Learn the scorer of ``bantin.enrich.quote_recall`` from the hand-labelled quote sets of ``bench/gold``.

    BANTIN_SHARED=/work/shared .venv/bin/python training/quotes/train_recall.py cache   # candidates of every set
    .venv/bin/python training/quotes/train_recall.py cv --blind DIR                      # the blind estimate
    .venv/bin/python training/quotes/train_recall.py fit --threshold T                   # write data/quotes/recall.json

Labels: a candidate is a quote when it overlaps a gold quote by at least half of the shorter span (the matching of
``bench/facts.py``). The model: logistic regression over the candidate's string features (those seen at least
twice in the training sets), L2 penalty, fitted with L-BFGS.

The **blind estimate** (``cv``): for every blind set X of the quote follow-ups (C-I), the *rules as they were when X
was first scored* (that commit's ``find_quotes``, dumped to ``DIR/blind_x.json`` by ``dump_blind.py``), together
with this scorer trained on every other set (X never seen), kept candidates added where the rules found nothing;
pooled over C-K against the rules alone. Speakers of the added quotes are resolved without the article's earlier
speakers (an approximation of the pipeline, which resolves them in text order). The threshold is chosen on this
pooled estimate; a new blind set then judges the whole (bench/gold/RULES.md).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "gold"))
sys.path.insert(0, str(ROOT / "bench"))

SETS = ["dev", "heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f", "heldout_g", "heldout_h",
        "heldout_i", "heldout_j", "heldout_k", "train_t1", "train_t2", "train_t3"]
BLIND = ["heldout_c", "heldout_d", "heldout_e", "heldout_f", "heldout_g", "heldout_h", "heldout_i", "heldout_j", "heldout_k"]
NEED_SPEAKER = True  # a candidate whose speaker cannot be read is not added
CACHE = ROOT / "training" / "quotes" / "build" / "candidates.pkl"
OUT = ROOT / "src" / "bantin" / "data" / "quotes" / "recall.json"


def _ov(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _match(a0, a1, b0, b1) -> bool:
    ov = _ov(a0, a1, b0, b1)
    return ov > 0 and ov >= 0.5 * min(a1 - a0, b1 - b0)


def build_cache(sets: list[str]) -> dict:
    import facts
    from tools import text_of

    from bantin.enrich.ner import extract_entities
    from bantin.enrich.quote_recall import candidates
    from bantin.enrich import quotes
    from bantin.enrich.quotes import _Finder, _paragraphs, find_quotes

    recall = quotes._recall

    out = {}
    for s in sets:
        for doc, g in facts.load_gold(s).items():
            if "quote" not in set(g["kinds"] or ("quote",)):
                continue
            text = text_of(doc)
            ents = extract_entities(text)
            tup = sorted((e.start, e.end, e.type, e.name or e.text) for e in ents)
            f = _Finder(text, tup)
            quotes._recall = lambda *a: None  # the rules alone
            try:
                rules = [(q.start, q.end) for q in find_quotes(text, ents)]
            finally:
                quotes._recall = recall
            gold = [(e["start"], e["end"], e.get("speaker")) for e in g["items"] if e["kind"] == "quote"]
            rows = []
            for c in candidates(f, _paragraphs(text)):
                spk = _speaker(f, c)
                rows.append({"kind": c.kind, "start": c.start, "end": c.end, "feats": c.feats,
                             "label": any(_match(a, b, c.start, c.end) for a, b, _s in gold),
                             "rules": any(_match(a, b, c.start, c.end) for a, b in rules), "speaker": spk})
            out[doc] = {"set": s, "rows": rows, "gold": gold}
    return out


def _speaker(f, c) -> tuple | None:
    """(speaker, entity) of a candidate as the pipeline reads it, without the article's earlier speakers."""
    ph = c.phrase
    r = f.spk.resolve(ph, []) if ph is not None else None
    return (r[0], r[2]) if r else None


def _vocab(rows, min_count=2) -> dict[str, int]:
    cnt: dict[str, int] = {}
    for r in rows:
        for x in set(r["feats"]):
            cnt[x] = cnt.get(x, 0) + 1
    return {x: i for i, x in enumerate(sorted(k for k, v in cnt.items() if v >= min_count))}


def _matrix(rows, vocab):
    from scipy.sparse import csr_matrix

    ind, ptr = [], [0]
    for r in rows:
        ind.extend(sorted({vocab[x] for x in r["feats"] if x in vocab}))
        ptr.append(len(ind))
    return csr_matrix((np.ones(len(ind)), ind, ptr), shape=(len(rows), len(vocab)))


def fit(rows, l2=1.0):
    from scipy.optimize import minimize

    vocab = _vocab(rows)
    X = _matrix(rows, vocab)
    y = np.array([1.0 if r["label"] else 0.0 for r in rows])

    def loss(wb):
        w, b = wb[:-1], wb[-1]
        z = X @ w + b
        p = 1 / (1 + np.exp(-z))
        ll = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * l2 * w @ w
        g = p - y
        return ll, np.concatenate([X.T @ g + l2 * w, [g.sum()]])

    res = minimize(loss, np.zeros(len(vocab) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    w, b = res.x[:-1], res.x[-1]
    return {x: float(w[i]) for x, i in vocab.items() if abs(w[i]) > 1e-6}, float(b)


def _prob(rows, weights, bias):
    from bantin.enrich.quote_recall import probability

    return [probability(r["feats"], weights, bias) for r in rows]


def blind_estimate(cache, blind_dir: Path, thresholds, l2=1.0, sets=None) -> dict:
    import facts

    per_t = {t: {"tp": 0, "fp": 0, "fn": 0, "sok": 0, "sn": 0} for t in [None, *thresholds]}
    added_examples = []
    for x in sets or BLIND:
        train = [r for d in cache.values() if d["set"] != x for r in d["rows"]]
        weights, bias = fit(train, l2)
        blind = json.load(open(blind_dir / f"blind_{x.split('_')[-1]}.json"))
        for doc, d in cache.items():
            if d["set"] != x:
                continue
            rq = [SimpleNamespace(**q) for q in blind[doc]["quotes"]]
            probs = _prob(d["rows"], weights, bias)
            for t in per_t:
                preds = list(rq)
                if t is not None:
                    for r, p in sorted(zip(d["rows"], probs), key=lambda z: -z[1]):
                        if NEED_SPEAKER and not r["speaker"]:
                            continue
                        if p >= t and not any(_ov(q.start, q.end, r["start"], r["end"]) for q in preds):
                            spk = r["speaker"] or (None, None)
                            preds.append(SimpleNamespace(start=r["start"], end=r["end"], speaker=spk[0],
                                                         speaker_entity=spk[1], added=True))
                _score(d["gold"], preds, per_t[t], facts.speaker_ok)
    out = {}
    for t, c in per_t.items():
        P = c["tp"] / max(1, c["tp"] + c["fp"])
        R = c["tp"] / max(1, c["tp"] + c["fn"])
        out["rules" if t is None else f"{t:.2f}"] = {"P": round(P, 4), "R": round(R, 4),
                                                    "F1": round(2 * P * R / max(1e-9, P + R), 4),
                                                    "speaker": round(c["sok"] / max(1, c["sn"]), 4), **c}
    return out


def _score(gold, preds, acc, speaker_ok):
    used = set()
    for a, b, spk in gold:
        best = next((i for i, q in enumerate(preds) if i not in used and _match(a, b, q.start, q.end)), None)
        if best is None:
            acc["fn"] += 1
            continue
        used.add(best)
        acc["tp"] += 1
        acc["sn"] += 1
        acc["sok"] += speaker_ok(spk, preds[best])
    acc["fp"] += len(preds) - len(used)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["cache", "cv", "fit"])
    ap.add_argument("--blind", type=Path, help="directory of blind_<x>.json dumps (cv)")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--sets", help="comma-separated sets to estimate on (cv; default: the blind sets C-J)")
    a = ap.parse_args()
    if a.cmd == "cache":
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        cache = build_cache(SETS)
        pickle.dump(cache, open(CACHE, "wb"))
        rows = [r for d in cache.values() for r in d["rows"]]
        print(f"{len(cache)} documents, {len(rows)} candidates, {sum(r['label'] for r in rows)} quotes, "
              f"{sum(r['label'] and not r['rules'] for r in rows)} quotes the rules miss")
        return
    cache = pickle.load(open(CACHE, "rb"))
    if a.cmd == "cv":
        res = blind_estimate(cache, a.blind, [0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97], a.l2,
                             a.sets.split(",") if a.sets else None)
        for k, v in res.items():
            print(k, v)
        return
    rows = [r for d in cache.values() for r in d["rows"]]
    weights, bias = fit(rows, a.l2)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"about": "bantin.enrich.quote_recall scorer; training/quotes/train_recall.py fit "
                                        f"--threshold {a.threshold} --l2 {a.l2}; trained on {', '.join(SETS)}",
                               "bias": round(bias, 6), "threshold": a.threshold,
                               "weights": {k: round(v, 6) for k, v in sorted(weights.items())}},
                              ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(weights)} weights -> {OUT}")


if __name__ == "__main__":
    main()

"""Clustering scores for story evaluation: B-cubed precision/recall/F1 and the adjusted Rand index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from math import comb


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed (Bagga & Baldwin) over the items of ``gold``; ``pred`` must label each of them."""
    P: dict[str, set[str]] = defaultdict(set)
    G: dict[str, set[str]] = defaultdict(set)
    for d in gold:
        P[pred[d]].add(d)
        G[gold[d]].add(d)
    p = r = 0.0
    for d in gold:
        inter = len(P[pred[d]] & G[gold[d]])
        p += inter / len(P[pred[d]])
        r += inter / len(G[gold[d]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ari(pred: Mapping[str, str], gold: Mapping[str, str]) -> float:
    """Adjusted Rand index (Hubert & Arabie) from the contingency table."""
    cont: dict[tuple[str, str], int] = defaultdict(int)
    a: dict[str, int] = defaultdict(int)
    b: dict[str, int] = defaultdict(int)
    for d in gold:
        cont[(pred[d], gold[d])] += 1
        a[pred[d]] += 1
        b[gold[d]] += 1
    n = len(gold)
    index = sum(comb(v, 2) for v in cont.values())
    sa, sb = sum(comb(v, 2) for v in a.values()), sum(comb(v, 2) for v in b.values())
    expected = sa * sb / comb(n, 2) if n > 1 else 0.0
    top = (sa + sb) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def score(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Both scores; items of ``gold`` missing from ``pred`` count as singletons."""
    full = {d: pred.get(d, "single:" + d) for d in gold}
    p, r, f = bcubed(full, gold)
    return {"precision": p, "recall": r, "f1": f, "ari": ari(full, gold), "clusters": len(set(full.values()))}

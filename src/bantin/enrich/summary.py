"""Extractive summary: the two or three sentences of the body that best stand for the article.

Each sentence gets a score from a few features — its position, its IDF-weighted overlap with the title and with
the whole text, its length, whether it is a quotation — combined by weights fitted on VietNews train
(``training/facts/build.py``: least squares against each sentence's ROUGE-1 recall of the article's abstract;
``data/facts/summary.json``). The best sentences are taken (skipping near-repeats) and returned in text order.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

from bantin.dedup.features import _idf, syllables

__all__ = ["FEATURES", "sentences", "sentence_features", "summarize"]

FEATURES = ["bias", "first", "second", "third", "fourth", "relpos", "title", "centre", "short", "loglen", "quote",
            "digits"]
_SENT = re.compile(r"[^\n]+?(?:[.!?…]+[”\"»)]*(?=\s+[^\W\d_a-zđ]|\s+[“\"(]|\s*$)|(?=\n)|$)", re.M)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs split after . ! ? … followed by a capital or a quotation."""
    out = []
    for m in _SENT.finditer(text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _weights(toks: list[str], idf: dict[str, float], unk: float) -> dict[str, float]:
    w: dict[str, float] = {}
    for t in toks:
        w[t] = w.get(t, 0.0) + idf.get(t, unk)
    return w


def sentence_features(title: str, text: str, sents: list[tuple[int, int]]) -> list[list[float]]:
    idf, unk = _idf()
    title_set = set(syllables(title))
    toks = [syllables(text[a:b]) for a, b in sents]
    centre = _weights([t for ts in toks for t in ts], idf, unk)
    cnorm = math.sqrt(sum(v * v for v in centre.values())) or 1.0
    n = len(sents)
    out = []
    for i, ((a, b), ts) in enumerate(zip(sents, toks)):
        if not ts:
            out.append([1.0, *(0.0,) * (len(FEATURES) - 1)])
            continue
        sw = _weights(ts, idf, unk)
        snorm = math.sqrt(sum(v * v for v in sw.values())) or 1.0
        tsim = sum(idf.get(t, unk) for t in set(ts) & title_set) / (sum(idf.get(t, unk) for t in title_set) or 1.0)
        csim = sum(v * centre[k] for k, v in sw.items()) / (snorm * cnorm)
        s = text[a:b]
        out.append([1.0, float(i == 0), float(i == 1), float(i == 2), float(i == 3), i / max(1, n - 1), tsim, csim,
                    float(len(ts) < 8), math.log(len(ts)), float(s[:1] in "“\"" or "“" in s),
                    float(any(c.isdigit() for c in s))])
    return out


@lru_cache(maxsize=1)
def _model() -> tuple[list[float], str]:
    d = json.loads((resources.files("bantin") / "data" / "facts" / "summary.json").read_text(encoding="utf-8"))
    assert d["features"] == FEATURES, "summary.json was fitted on other features"
    return d["weights"], d["version"]


def summary_version() -> str:
    return _model()[1]


def summarize(title: str, text: str, n: int | None = None) -> list[tuple[int, int]]:
    """Spans of the chosen sentences of ``text``, in text order (2 sentences; 3 for long articles)."""
    sents = sentences(text)
    if not sents:
        return []
    if n is None:
        n = 3 if len(sents) >= 12 else 2
    if len(sents) <= n:
        return sents
    w, _v = _model()
    feats = sentence_features(title, text, sents)
    scores = [sum(a * b for a, b in zip(w, f)) for f in feats]
    order = sorted(range(len(sents)), key=lambda i: -scores[i])
    chosen: list[int] = []
    chosen_sets: list[set[str]] = []
    for i in order:
        a, b = sents[i]
        ts = set(syllables(text[a:b]))
        if len(ts) < 5:
            continue
        if any(len(ts & c) / len(ts | c) > 0.6 for c in chosen_sets):
            continue
        chosen.append(i)
        chosen_sets.append(ts)
        if len(chosen) == n:
            break
    return [sents[i] for i in sorted(chosen)]

"""What story clustering compares: a TF-IDF vector of an article's syllables. Pure.

Terms are syllables in the exact form (NFC, one tone-mark style, lower case; diacritics kept). The title counts
``TITLE_WEIGHT`` times, then the lead and the body. Term frequency is sub-linear (1 + log tf); inverse document
frequency comes from a table shipped with bantin (``data/syllable_df.tsv.gz``, counted over the VietNews
training articles by ``bench/make_idf.py``), so an article's vector does not depend on what else is in the
archive and a 10-article archive weighs words as well as a million-article one. Syllables missing from the
table (names, numbers, rare words) get the highest weight.

When an enricher has put entities on the article (``annotations["entities"]``: a list of mentions with a
``name`` or ``text``), each distinct entity adds a term of its own, weighted by the mean IDF of its syllables
times ``ENTITY_WEIGHT``: two articles naming the same people and places move closer, common places ("Hà Nội")
barely count. The vector is cut to its ``TOP_TERMS`` heaviest terms and L2-normalised.
"""

from __future__ import annotations

import gzip
import math
import re
import zlib
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from bantin.clean.fold import exact

FEATURES_VERSION = "tfidf-2"
TITLE_WEIGHT = 2
TOP_TERMS = 96
_WORD = re.compile(r"[^\W_]+")


def syllables(text: str) -> list[str]:
    return _WORD.findall(exact(text))


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    path = resources.files("bantin") / "data" / "syllable_df.tsv.gz"
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as fh:
        head = fh.readline().rstrip("\n").split("\t")
        n = int(head[1])
        table: dict[str, float] = {}
        for line in fh:
            s, c = line.rstrip("\n").split("\t")
            table[s] = math.log((n + 1) / (int(c) + 1)) + 1.0
    unknown = math.log((n + 1) / 3) + 1.0
    return table, unknown


def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))


#: Weight of an entity term relative to the mean IDF of its syllables (measured on ViMs dev: entity terms at
#: full title weight and the highest IDF pulled unrelated stories together — B-cubed F1 0.961 → 0.944; at this
#: weight they change nothing measurable, 0.961).
ENTITY_WEIGHT = 0.5


def _entity_counts(annotations: dict[str, Any]) -> Counter[str]:
    ents = annotations.get("entities") if annotations else None
    out: Counter[str] = Counter()
    if isinstance(ents, list):
        for e in ents:
            name = (e.get("name") or e.get("text")) if isinstance(e, dict) else e if isinstance(e, str) else None
            if isinstance(name, str) and name.strip():
                out[" ".join(syllables(name))] += 1
    out.pop("", None)
    return out


def story_vector(title: str, sapo: str | None, paragraphs: list[str],
                 annotations: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(term ids uint32, weights float32): the article's L2-normalised TF-IDF vector, heaviest terms only."""
    idf, unknown = _idf()
    tf: Counter[str] = Counter()
    for s in syllables(title):
        tf[s] += TITLE_WEIGHT
    tf.update(syllables("\n".join(filter(None, [sapo, *paragraphs]))))
    weights = {t: (1.0 + math.log(c)) * idf.get(t, unknown) for t, c in tf.items()}
    for name, c in _entity_counts(annotations or {}).items():
        syl = name.split(" ")
        w = (1.0 + math.log(c)) * ENTITY_WEIGHT * sum(idf.get(s, unknown) for s in syl) / len(syl)
        weights["\x01" + name] = weights.get("\x01" + name, 0.0) + w
    if not weights:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.float32)
    items = sorted(((term_id(t), w) for t, w in weights.items()), key=lambda x: (-x[1], x[0]))[:TOP_TERMS]
    merged: dict[int, float] = {}
    for i, w in items:
        merged[i] = merged.get(i, 0.0) + w
    ids = np.fromiter(merged.keys(), dtype=np.uint32, count=len(merged))
    ws = np.fromiter(merged.values(), dtype=np.float64, count=len(merged))
    order = np.argsort(ids)
    ids, ws = ids[order], ws[order]
    ws /= np.linalg.norm(ws) or 1.0
    return ids, ws.astype(np.float32)


def vector_blob(ids: np.ndarray, ws: np.ndarray) -> bytes:
    return ids.astype("<u4").tobytes() + ws.astype("<f4").tobytes()


def vector_from_blob(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 8
    return np.frombuffer(blob[: 4 * n], dtype="<u4"), np.frombuffer(blob[4 * n:], dtype="<f4")

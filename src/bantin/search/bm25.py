"""FTS5's ``bm25()`` over an index held as arrays: the title+lead tier of a search ranked without FTS5.

FTS5 ranks a tier by reading, for every query, each phrase's whole doclist (its IDF), then each candidate row's
instances and size. ``TermIndex`` holds the same figures, read once per archive generation
(``SQLiteArchive.lead_index_arrays``): each term's articles with its weighted frequency there, every row's size,
the row and token totals. ``TermIndex.bm25`` then computes, for a query's phrases and a set of rows, the very
floats FTS5's ``fts5Bm25Function`` computes (``sqlite/ext/fts5/fts5_aux.c``: k1 = 1.2, b = 0.75, IDF
``log((N - n + 0.5) / (n + 0.5))`` floored at 1e-6, the column weights applied per occurrence, the score summed
phrase by phrase in query order and negated) — the same IEEE operations in the same order, so the same bits;
``tests/search/test_bm25.py`` checks it against FTS5 row by row.

Only for phrases of one token of letters and digits (what FTS5's tokenizer leaves as it is): the caller asks FTS5
for anything else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

K1 = 1.2
B = 0.75


@dataclass(slots=True)
class TermIndex:
    """An FTS5 index's terms, aligned to an array of row ids (``rowids``, ascending: the facet arrays')."""

    terms: dict[str, tuple[int, int]]  # term → [start, end) in ``pos``/``tf``
    pos: np.ndarray  # int32: positions in ``rowids`` of each term's rows, ascending per term
    tf: np.ndarray  # float32: the weighted frequency of the term in that row (exact small integers)
    size: np.ndarray  # float64 per position: the row's size in tokens, every column (FTS5's xColumnSize(-1))
    rows: int  # FTS5's xRowCount
    avgdl: float  # xColumnTotalSize(-1) / xRowCount, as FTS5 divides them
    nbytes: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, a: dict[str, Any], rowids: np.ndarray) -> TermIndex | None:
        """From ``lead_index_arrays`` and the row ids it is to be aligned to; None when the index holds a row that
        ``rowids`` does not (read at another moment: the caller keeps asking FTS5)."""
        if len(rowids) == 0 or a["rows"] <= 0:
            return None
        doc = a["rowids"]
        p = np.minimum(np.searchsorted(rowids, doc), len(rowids) - 1)
        if len(doc) and not (rowids[p] == doc).all():
            return None
        sp = np.minimum(np.searchsorted(rowids, a["size_rowids"]), len(rowids) - 1)
        if len(a["size_rowids"]) and not (rowids[sp] == a["size_rowids"]).all():
            return None
        size = np.zeros(len(rowids), np.float64)
        size[sp] = a["size"]
        starts = a["starts"]
        terms = {t: (int(starts[i]), int(starts[i + 1])) for i, t in enumerate(a["terms"])}
        pos = p.astype(np.int32)
        tf = a["tf"].astype(np.float32)
        return cls(terms=terms, pos=pos, tf=tf, size=size, rows=int(a["rows"]),
                   avgdl=float(a["tokens"]) / float(a["rows"]), nbytes=pos.nbytes + tf.nbytes + size.nbytes)

    def positions(self, term: str) -> np.ndarray:
        s, e = self.terms.get(term, (0, 0))
        return self.pos[s:e]

    def bm25(self, phrases: list[str], at: np.ndarray) -> np.ndarray:
        """``bm25(table, 10.0, 4.0)`` (the weights ``tf`` was read with) of the rows at positions ``at`` for a
        query of these one-token phrases, in the order the query names them (repeats included)."""
        size = self.size[at]
        # k1 * (1 - b + b * D / avgdl), evaluated as C evaluates it: (1 - b) + ((b * D) / avgdl)
        norm = K1 * ((1 - B) + (B * size) / self.avgdl)
        k1p1 = K1 + 1.0
        score = np.zeros(len(at), np.float64)
        for term in phrases:
            s, e = self.terms.get(term, (0, 0))
            hits = e - s
            idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
            if idf <= 0.0:
                idf = 1e-6
            if not hits:
                continue  # no row holds it: it adds exactly 0.0 to every score
            plist = self.pos[s:e]
            k = np.minimum(np.searchsorted(plist, at), len(plist) - 1)
            rows = np.flatnonzero(plist[k] == at)
            if not len(rows):
                continue  # none of these rows holds it: it adds exactly 0.0 to each score, as above
            # a row without the phrase adds idf * ((0 * k1p1) / (0 + norm)) = +0.0: only the others change
            freq = self.tf[s:e][k[rows]].astype(np.float64)
            score[rows] = score[rows] + idf * ((freq * k1p1) / (freq + norm[rows]))
        return -1.0 * score

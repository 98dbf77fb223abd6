"""Stories: articles from different outlets about the same event, grouped incrementally.

Each new canonical article (duplicates follow their canonical), in publication order, is compared with the
story members published within ``window_days`` of it (cosine of TF-IDF vectors, ``features``). Its score
for a story is the mean similarity to that story's members inside the window (average link: one loosely
related member cannot drag an article in); it joins the best story when that score reaches ``threshold``,
and opens a new story otherwise. The window keeps two similar events apart in time (two floods a year apart
are two stories) while a long story still grows: each new article only needs neighbours within the window.

Articles without a publication date are not placed in stories (time is half of what a story is); they are
counted in the report. Measured on ViMs dev (200 hand-made clusters), see BENCHMARKS.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bantin.dedup.features import vector_from_blob
from bantin.store.base import DedupRow

WINDOW_DAYS = 3.0
THRESHOLD = 0.3


@dataclass(slots=True)
class StoryReport:
    placed: int = 0
    opened: int = 0
    joined: int = 0
    undated: int = 0


def _ts(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


DIM = 1 << 20  # term ids are folded into this many columns for the sparse products
BLOCK = 64
_Q = np.zeros(DIM, dtype=np.float32)  # reused query buffer (entries reset after each use)


class _Index:
    """Story members' vectors in blocks of rows (flat term/weight/row arrays); each block knows its time span,
    so a query only touches the blocks that overlap its window. Similarities of a block to a query are one
    ``bincount`` over the block's non-zeros against a dense query vector."""

    def __init__(self) -> None:
        # full blocks: (cols, vals, rows, ts, story, lo, hi)
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, float]] = []
        self._rows: list[tuple[np.ndarray, np.ndarray]] = []
        self._ts: list[float] = []
        self._story: list[int] = []
        self._spans: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, doc: int, story: int, ts: float, vec: tuple[np.ndarray, np.ndarray]) -> None:
        self._rows.append(vec)
        self._ts.append(ts)
        self._story.append(story)
        if len(self._rows) >= BLOCK:
            self.blocks.append(self._build())
            self._spans = None
            self._rows, self._ts, self._story = [], [], []

    def _build(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, float]:
        cols = np.concatenate([r[0] for r in self._rows]).astype(np.int64) % DIM
        vals = np.concatenate([r[1] for r in self._rows]).astype(np.float32)
        rows = np.repeat(np.arange(len(self._rows)), [len(r[0]) for r in self._rows])
        ts = np.array(self._ts, dtype=np.float64)
        return cols, vals, rows, ts, np.array(self._story, dtype=np.int64), float(ts.min()), float(ts.max())

    def best(self, vec: tuple[np.ndarray, np.ndarray], ts: float, window: float) -> tuple[int, float] | None:
        """The story whose members within the window are on average most similar, and that mean; only
        stories sharing a term with the article count. None when there is none."""
        cols = vec[0].astype(np.int64) % DIM
        q = _Q
        np.add.at(q, cols, vec[1])
        if self._spans is None:
            self._spans = (np.array([b[5] for b in self.blocks]), np.array([b[6] for b in self.blocks]))
        lo_all, hi_all = self._spans
        chosen = [self.blocks[i] for i in np.flatnonzero((hi_all >= ts - window) & (lo_all <= ts + window))]
        if self._rows:
            chosen.append(self._build())
        sims, stories = [], []
        try:
            for c, v, r, t, st, _lo, _hi in chosen:
                near = np.abs(t - ts) <= window
                if not near.any():
                    continue
                sim = np.bincount(r, weights=v * q[c], minlength=len(t))
                sims.append(sim[near])
                stories.append(st[near])
        finally:
            q[cols] = 0.0
        if not sims:
            return None
        s = np.concatenate(sims)
        st = np.concatenate(stories)
        ids, inv = np.unique(st, return_inverse=True)
        mean = np.bincount(inv, weights=s) / np.bincount(inv)
        mean[np.bincount(inv, weights=(s > 0).astype(np.float64)) == 0] = -1.0
        i = int(np.argmax(mean))  # ties: the smallest story id (np.unique sorts)
        return (int(ids[i]), float(mean[i])) if mean[i] >= 0 else None


def representative(members: Sequence[tuple[int, str, bytes | None, bool]]) -> int:
    """The canonical member most similar to the others (the medoid); the earliest one on ties."""
    vecs = [(r, vector_from_blob(v)) for r, _, v, can in members if can and v]
    if not vecs:
        return members[0][0]
    if len(vecs) <= 2:
        return vecs[0][0]
    vecs = vecs[:200]
    import scipy.sparse as sp  # here: a third of a second to import, and an ingest of undated articles needs none

    indptr = np.zeros(len(vecs) + 1, dtype=np.int64)
    np.cumsum([len(v[1][0]) for v in vecs], out=indptr[1:])
    m = sp.csr_matrix((np.concatenate([v[1][1] for v in vecs]),
                       np.concatenate([v[1][0] for v in vecs]).astype(np.int64) % DIM, indptr),
                      shape=(len(vecs), DIM))
    total = np.asarray((m @ m.T).sum(axis=1)).ravel()
    return vecs[int(np.argmax(total))][0]


def match_ids(old: dict[int, set[int]], new: dict[int, set[int]]) -> dict[int, int]:
    """Which old story each new story continues (new id → old id), after the stories were made again from
    scratch: pairs with the most members in common first (ties: the older story), each id used once; a new
    story sharing no member with a free old one continues none."""
    story_of = {doc: sid for sid, docs in old.items() for doc in docs}
    common: dict[tuple[int, int], int] = {}
    for nid, docs in new.items():
        for doc in docs:
            oid = story_of.get(doc)
            if oid is not None:
                common[(nid, oid)] = common.get((nid, oid), 0) + 1
    out: dict[int, int] = {}
    taken: set[int] = set()
    for (nid, oid), _n in sorted(common.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if nid not in out and oid not in taken:
            out[nid] = oid
            taken.add(oid)
    return out


def update_stories(store, pending: Sequence[DedupRow], canonical_of: dict[int, int], *,
                   window_days: float = WINDOW_DAYS, threshold: float = THRESHOLD) -> StoryReport:
    rep = StoryReport()
    window = window_days * 86400.0
    dated = [r for r in pending if r.published_at and r.vec is not None]
    rep.undated = len(pending) - len(dated)
    if not dated:
        return rep
    lo = min(r.published_at for r in dated)
    hi = max(r.published_at for r in dated)
    since = (datetime.fromisoformat(lo) - timedelta(days=window_days + 1)).isoformat()
    until = (datetime.fromisoformat(hi) + timedelta(days=window_days + 1)).isoformat()
    index = _Index()
    for doc, story, pub, vec in store.story_window(since, until):
        index.add(doc, story, _ts(pub), vector_from_blob(vec))
    members: list[tuple[int, int, float | None]] = []
    touched: set[int] = set()
    placed: dict[int, int] = {}
    dups = []
    for r in sorted(dated, key=lambda x: (_ts(x.published_at or ""), x.rowid)):
        can = canonical_of.get(r.rowid, r.rowid)
        if can != r.rowid:
            dups.append((r, can))
            continue
        vec = vector_from_blob(r.vec or b"")
        ts = _ts(r.published_at or "")
        best = index.best(vec, ts, window)
        if best is not None and best[1] >= threshold:
            story, sim = best[0], best[1]
            rep.joined += 1
        else:
            story, sim = store.story_new(), None
            rep.opened += 1
        index.add(r.rowid, story, ts, vec)
        placed[r.rowid] = story
        members.append((r.rowid, story, sim))
        touched.add(story)
    if dups:
        known = store.story_of([c for _, c in dups if c not in placed])
        for r, can in dups:
            story = placed.get(can, known.get(can))
            if story is None:  # its canonical is undated or not placed: the copy stands for the text
                story = store.story_new()
                rep.opened += 1
                placed[can] = story
            members.append((r.rowid, story, 1.0))
            touched.add(story)
    # a regrouped article whose old story differs from its canonical's follows the canonical
    moved = store.story_of(canonical_of.keys())
    can_story = store.story_of(set(canonical_of.values()))
    can_story.update(placed)
    for row, can in canonical_of.items():
        if row in placed or row == can:
            continue
        s_new = can_story.get(can)
        s_old = moved.get(row)
        if s_new is not None and s_old is not None and s_new != s_old:
            members.append((row, s_new, 1.0))
            touched.update((s_new, s_old))
    store.story_add(members)
    rep.placed = len(members)
    store.story_refresh(touched, representative)
    return rep

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


class _Index:
    """Story members' vectors in a term → postings index, for sparse dot products."""

    def __init__(self) -> None:
        self.docs: list[tuple[int, int, float]] = []  # (doc rowid, story, timestamp)
        self.post: dict[int, list[tuple[int, float]]] = {}

    def add(self, doc: int, story: int, ts: float, vec: tuple[np.ndarray, np.ndarray]) -> None:
        i = len(self.docs)
        self.docs.append((doc, story, ts))
        for t, w in zip(vec[0].tolist(), vec[1].tolist()):
            self.post.setdefault(t, []).append((i, w))

    def scores(self, vec: tuple[np.ndarray, np.ndarray], ts: float, window: float) -> dict[int, float]:
        """Mean similarity to each story's members within the window."""
        acc: dict[int, float] = {}
        for t, w in zip(vec[0].tolist(), vec[1].tolist()):
            for i, v in self.post.get(t, ()):
                acc[i] = acc.get(i, 0.0) + w * v
        if not acc:
            return {}
        near = {self.docs[i][1] for i, v in acc.items() if abs(self.docs[i][2] - ts) <= window}
        sums: dict[int, float] = {}
        counts: dict[int, int] = {}
        for i, (_, story, t) in enumerate(self.docs):
            if story in near and abs(t - ts) <= window:
                sums[story] = sums.get(story, 0.0) + acc.get(i, 0.0)
                counts[story] = counts.get(story, 0) + 1
        return {s: sums[s] / counts[s] for s in sums}


def representative(members: Sequence[tuple[int, str, bytes | None, bool]]) -> int:
    """The canonical member most similar to the others (the medoid); the earliest one on ties."""
    vecs = [(r, vector_from_blob(v)) for r, _, v, can in members if can and v]
    if not vecs:
        return members[0][0]
    if len(vecs) <= 2:
        return vecs[0][0]
    vecs = vecs[:60]
    dicts = [dict(zip(ids.tolist(), ws.tolist())) for _, (ids, ws) in vecs]
    best, best_score = vecs[0][0], -1.0
    for i, (r, _) in enumerate(vecs):
        s = sum(sum(w * dicts[j].get(t, 0.0) for t, w in dicts[i].items()) for j in range(len(vecs)) if j != i)
        if s > best_score + 1e-9:
            best, best_score = r, s
    return best


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
        scores = index.scores(vec, ts, window)
        best = max(scores.items(), key=lambda kv: (kv[1], -kv[0]), default=None)
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

"""The archive-level dedup step: ``run(store)`` after an ingest, or ``bantin dedup``.

One transaction: keys for articles stored without them (an archive from before dedup, or signatures made
under another hashing scheme), then duplicate groups (``groups``), per-outlet boilerplate (``boilerplate``)
and stories (``stories``) for the articles not yet checked. Idempotent: a second run finds nothing to check.
``rebuild=True`` forgets every earlier comparison first (same result, from scratch).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from bantin.dedup import boilerplate, compute, groups, minhash, stories

KEY_BATCH = 256


@dataclass(slots=True)
class DedupReport:
    checked: int = 0
    threshold: float = minhash.DEFAULT_THRESHOLD
    rekeyed: int = 0
    exact: int = 0
    url: int = 0
    near: int = 0
    candidates: int = 0
    groups_changed: int = 0
    stories_opened: int = 0
    stories_joined: int = 0
    stories_kept: int = 0  # rebuild: stories that kept their id (the most members in common with an old one)
    undated: int = 0
    boilerplate_outlets: list[str] = field(default_factory=list)
    boilerplate_rewritten: int = 0
    boilerplate_lines: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        return d


MIN_THRESHOLD = 0.1


def check_threshold(threshold: Any) -> float:
    """A near-duplicate threshold as a float in [0.1, 1]; ValueError otherwise (nan would turn near-duplicate
    detection off without a word: every comparison with nan is false)."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ValueError(f"{threshold!r} is not a number")
    t = float(threshold)
    if not (MIN_THRESHOLD <= t <= 1.0):  # also false for nan
        raise ValueError(f"{threshold!r} is not between {MIN_THRESHOLD} and 1")
    return t


def run(store, *, threshold: float | None = None, window_days: float = stories.WINDOW_DAYS,
        story_threshold: float = stories.THRESHOLD, rebuild: bool = False) -> DedupReport:
    """``threshold``: near-duplicate Jaccard threshold; a new value is kept for later runs (and redoes the
    comparisons, since the LSH bands depend on it); None uses the archive's (default 0.8)."""
    if threshold is not None:
        threshold = check_threshold(threshold)
    t0 = time.perf_counter()
    rep = DedupReport()
    with store.transaction():
        kept = store.meta_get("dedup.threshold")
        current = float(kept) if kept else minhash.DEFAULT_THRESHOLD
        if threshold is None:
            threshold = current
        elif threshold != current:
            store.meta_set("dedup.threshold", repr(threshold))
            rebuild = True
        rep.threshold = threshold
        stale = store.dedup_stale(minhash.scheme())
        old_stories: dict[int, set[int]] | None = None
        if rebuild or stale:
            old_stories, last_id = store.story_memberships(), store.story_last_id()
            store.dedup_reset()
        redo = store.dedup_missing() + stale
        for i in range(0, len(redo), KEY_BATCH):
            batch = list(store.articles_by_rowid(redo[i:i + KEY_BATCH]))
            store.dedup_set_keys(list(zip([r for r, _ in batch], compute([a for _, a in batch]))))
            rep.rekeyed += len(batch)
        pending = store.dedup_pending()
        rep.checked = len(pending)
        if pending:
            g = groups.update_groups(store, pending, threshold)
            rep.exact, rep.url, rep.near = g.exact, g.url, g.near
            rep.candidates, rep.groups_changed = g.candidates, g.groups_changed
            b = boilerplate.update(store, pending, g.exact_rows)
            rep.boilerplate_outlets = b.outlets_learned
            rep.boilerplate_rewritten, rep.boilerplate_lines = b.articles_rewritten, b.lines_removed
            s = stories.update_stories(store, pending, g.canonical_of, window_days=window_days,
                                       threshold=story_threshold)
            rep.stories_opened, rep.stories_joined, rep.undated = s.opened, s.joined, s.undated
        if old_stories is not None:  # story ids are in URLs people share: a rebuilt story keeps its old id
            new_stories = store.story_memberships()
            ids = stories.match_ids(old_stories, new_stories)
            rep.stories_kept = len(ids)
            fresh = sorted(set(new_stories) - set(ids))
            ids.update({cur: last_id + 1 + i for i, cur in enumerate(fresh)})
            store.story_renumber(ids, last_id + len(fresh))
    rep.seconds = time.perf_counter() - t0
    return rep

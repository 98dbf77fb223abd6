"""What the web page and the REST API ask of an archive, beyond the CLI's questions: a search over the *whole*
result set (how many texts match, facets by outlet and entity, articles per day), pages that stay put while
articles are added (cursors), and the home, article, entity and story views.

``Bantin`` exposes these as methods (``search_page``, ``article_view``, ``entity_view``, ``home``…); the faces call
those and nothing below. The store gives flat arrays (every article's outlet, duplicate group and entities; the
row ids a query matches); this module folds duplicates into one hit per text, counts facets with numpy and cuts
pages.

**The result set.** A query typed with diacritics means that spelling: its result set is the articles matching it
exactly (tone-mark style aside), unless none do; a query without diacritics matches every spelling ("thuy si" →
Thụy Sĩ, thủy sĩ…). Relevance ranks that set as ``Bantin.search`` does (title+lead before full text, BM25 among
the newest ``CANDIDATES`` matches of each tier); sorting by date walks all of it.

**Cursors.** A page's cursor names the query, the sort, the last hit shown, and the archive state the first page
was computed on. Sorted by date, the next page holds the texts published before the last one shown — exact
whatever was added meanwhile (new articles appear only if they are older than the cursor). Sorted by relevance, the
next page continues the first page's ranking as remembered by this process (the last ``RESULTS_KEPT`` result
lists), so nothing is shown twice or skipped while articles are added; a cursor from before a restart continues
after its last hit in the current ranking.

**Shared state.** Per archive (file or PostgreSQL URL) and process: a watch connection whose ``data_version``
tells when any other connection committed (a new *generation*), the facet arrays of the current generation, each
index token's articles read so far in this generation (SQLite: a query of single words is then matched by set
operations, without FTS5), and the result lists of recent queries. Every reader thread's ``Bantin`` shares them.

**Cold searches.** A query met for the first time costs: matching (set operations on cached tokens' articles, or
one FTS5 query), the title+lead tier's BM25, folding and facets with numpy, and 20 snippets. The full-text tier's
BM25 (whose IDF pass reads each term's whole doclist) waits until a page needs it (``ResultSet.whole``); the
answers are those of the first definition (``tests/api/test_fast_search.py``; ``bench/coldsearch.py`` on a real
archive). A store without ``ranked_tier``/``term_rowids`` (PostgreSQL) takes the first definition's path.
What is left of a cold search on 128k articles (~6 ms): reading a word's articles from FTS5 the first time it is
met (~1.4 ms, most of it the few hundred common words; SQLite's own work), the hits' documents (~0.8 ms: zstd and
JSON), 20 snippets (~0.9 ms), top entities (~0.4–0.6 ms: a sparse product or the result's rows of a sparse
matrix), the title+lead tier (~0.5 ms).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import re
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from bantin.search.bm25 import TermIndex

from bantin.model import Article

if TYPE_CHECKING:
    from bantin.search.query import Query
    from bantin.store.base import Filters
    from bantin.store.sqlite import SQLiteArchive

#: Result lists remembered per archive (for exact relevance cursors and repeated queries).
RESULTS_KEPT = 64
#: Entity and article views (and the home page) remembered per archive: a few kilobytes each.
VIEWS_KEPT = 2048
#: Facet arrays slower to build than this may be used one generation late while an ingest keeps committing.
SLOW_INDEX_SECONDS = 0.2
TOP_OUTLETS = 20
TOP_ENTITIES = 12
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
SORTS = ("relevance", "date")
#: Bytes of index tokens' articles kept per archive generation for queries of single words.
TERM_CACHE_BYTES = 48 << 20
#: Entities counted apart for the top-entities facet (``FacetIndex.top_entities``).
FREQUENT_ENTITIES = 1024
#: This process's cursors name it, so a cursor from another process (or before a restart) is not taken for ours.
INSTANCE = secrets.token_hex(4)


_PAGES_LOCK = threading.Lock()


class CursorError(ValueError):
    """A cursor that is not one of ours, or belongs to another query."""


# -- facet arrays ----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class FacetIndex:
    """Every article of one archive generation, as arrays ordered by row id."""

    rowids: np.ndarray  # int64, ascending
    outlet: np.ndarray  # int32 code into ``outlets`` (-1: none)
    outlets: list[str]
    canon: np.ndarray  # int64: the canonical copy's row id (own row id unless a checked duplicate)
    group_size: np.ndarray  # int32: articles with this text (set on canonicals; 1 elsewhere)
    m_idx: np.ndarray  # int32: article position of each mention
    m_eid: np.ndarray  # intp (what bincount counts without a copy): entity id of each mention
    m_n: np.ndarray  # int32: how often the article names it
    m_start: np.ndarray  # int64: where each article's mentions start (mentions are in article order)
    #: the ``FREQUENT_ENTITIES`` entities in most articles, for the top-entities facet of big results: their ids
    #: (ascending), and their mentions alone, numbered densely (``f_eid``, by article, ``f_start`` as ``m_start``).
    #: An entity outside them is in fewer than ``f_floor`` articles.
    f_ids: np.ndarray | None = None
    f_eid: np.ndarray | None = None
    f_start: np.ndarray | None = None
    f_floor: int = 0
    #: the same mentions as an entity × article matrix (scipy CSR): a big result's counts in one product; and as
    #: an article × entity one, whose rows a smaller result takes
    f_by_entity: Any = None
    f_by_article: Any = None
    #: the other entities' mentions (int32 ids, by article; ``r_start`` as ``m_start``)
    r_eid: np.ndarray | None = None
    r_start: np.ndarray | None = None
    topic: np.ndarray | None = None  # int16 code into ``topics`` (-1: none)
    topics: list[str] = field(default_factory=list)
    #: ``rowids`` as runs of consecutive row ids (first row id, position, length of each), when they are few (an
    #: archive of undated articles: one run): ``find`` then computes positions instead of searching for them
    run_rowid: np.ndarray | None = None
    run_pos: np.ndarray | None = None
    run_len: np.ndarray | None = None
    is_copy: np.ndarray | None = None  # bool: a checked duplicate of another row (``canon != rowids``)
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # entity id → (name, type), as facets ask
    built_at: float = 0.0
    build_seconds: float = 0.0

    @classmethod
    def build(cls, a: dict[str, Any]) -> FacetIndex:
        order = np.argsort(a["rowids"], kind="stable")
        rowids = a["rowids"][order]
        n = len(rowids)
        canon = rowids.copy()
        size = np.ones(n, np.int32)
        pos, ok = _find(rowids, a["dup_rowid"])
        canon[pos[ok]] = a["dup_canonical"][ok]
        cpos, cok = _find(rowids, a["dup_canonical"][ok])
        np.add.at(size, cpos[cok], 1)
        mpos, mok = _find(rowids, a["mention_rowid"])
        m_idx, m_eid, m_n = mpos[mok], a["mention_eid"][mok], a["mention_n"][mok]
        if len(m_idx) > 1 and not (m_idx[1:] >= m_idx[:-1]).all():
            o = np.argsort(m_idx, kind="stable")
            m_idx, m_eid, m_n = m_idx[o], m_eid[o], m_n[o]
        topic = np.full(n, -1, np.int16)
        for code, ids in enumerate(a.get("topic_rowids", ())):
            tpos, tok = _find(rowids, ids)
            topic[tpos[tok]] = code
        m_eid = m_eid.astype(np.intp)
        f: dict[str, Any] = {}
        articles = np.bincount(m_eid) if len(m_eid) else np.zeros(0, np.intp)  # one mention row per article
        if len(articles) > FREQUENT_ENTITIES:
            floor = int(np.sort(articles)[-FREQUENT_ENTITIES])
            frequent = articles >= floor
            ids = np.flatnonzero(frequent)
            dense = np.full(len(articles), -1, np.intp)
            dense[ids] = np.arange(len(ids))
            keep = frequent[m_eid]
            f = {"f_ids": ids, "f_eid": dense[m_eid[keep]], "f_floor": floor,
                 "f_start": np.searchsorted(m_idx[keep], np.arange(n + 1)).astype(np.int64)}
            import scipy.sparse as sp

            f["f_by_article"] = sp.csr_matrix((np.ones(len(f["f_eid"]), np.int32), f["f_eid"], f["f_start"]),
                                              shape=(n, len(ids)))
            f["f_by_entity"] = f["f_by_article"].T.tocsr()
            f["r_eid"] = m_eid[~keep].astype(np.int32)
            f["r_start"] = np.searchsorted(m_idx[~keep], np.arange(n + 1)).astype(np.int64)
        return cls(rowids=rowids, outlet=a["outlet"][order], outlets=list(a["outlets"]), canon=canon,
                   group_size=size, m_idx=m_idx.astype(np.int32), m_eid=m_eid,
                   m_n=m_n.astype(np.int32), m_start=np.searchsorted(m_idx, np.arange(n + 1)).astype(np.int64),
                   topic=topic, topics=list(a.get("topics", ())), is_copy=canon != rowids, **f, **_runs(rowids))

    def find(self, rowids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_find(self.rowids, rowids)``: positions (insertion points where absent, clipped to the last) and
        whether each is there — from the runs of consecutive row ids when there are few (no binary search of
        the whole array: ~10× faster for a common word's 30,000 articles)."""
        if self.run_rowid is None or self.run_pos is None or self.run_len is None or not len(self.rowids):
            return _find(self.rowids, rowids)
        v = np.asarray(rowids, np.int64)
        last = len(self.rowids) - 1
        if len(self.run_rowid) == 1:
            pos = v - self.run_rowid[0]
            ok = (pos >= 0) & (pos <= last)
            return np.clip(pos, 0, last), ok
        r = np.searchsorted(self.run_rowid, v, side="right") - 1  # the run starting at or before each
        after = r >= 0
        r = np.maximum(r, 0)
        off = v - self.run_rowid[r]
        length = self.run_len[r]
        ok = after & (off < length)
        pos = np.where(after, self.run_pos[r] + np.minimum(off, length), 0)  # in its run, or the next run's start
        return np.minimum(pos, last), ok

    def mentions_of(self, positions: np.ndarray) -> np.ndarray:
        """Indexes into the mention arrays of the articles at these positions: a slice per article when they are
        few, a pass over every mention when they are many."""
        if len(positions) * 4 > len(self.rowids):
            sel = np.zeros(len(self.rowids), bool)
            sel[positions] = True
            return np.flatnonzero(sel[self.m_idx])
        return _slices(self.m_start, positions)

    def top_entities(self, positions: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` entities named in most of the articles at these positions (ids, counts; ties: lower id
        first, as ``_top``). From the frequent entities' mentions alone when the k-th count reaches ``f_floor``
        (then no other entity can reach it, nor tie), else from every mention."""
        if self.f_ids is not None and self.f_eid is not None and self.f_start is not None:
            if self.f_by_entity is not None and len(positions) * 5 > len(self.rowids):
                chosen = np.zeros(len(self.rowids), np.int32)  # a big result: one sparse product (~0.55 ms at
                chosen[positions] = 1  # any size on 128k articles) rather than gathering its mentions
                counts = np.asarray(self.f_by_entity @ chosen).astype(np.intp)
            elif self.f_by_article is not None:  # its articles' rows of the matrix, taken in one pass (scipy)
                counts = np.bincount(self.f_by_article[positions].indices, minlength=len(self.f_ids))
            else:
                counts = np.bincount(self.f_eid[_slices(self.f_start, positions)], minlength=len(self.f_ids))
            top = _top(counts, k)
            if len(top) == k and counts[top[-1]] >= self.f_floor:
                return self.f_ids[top], counts[top]
            if self.r_eid is not None and self.r_start is not None:
                # the frequent entities' counts are exact already: count the other entities' mentions alone
                # (sorted, as 32-bit ids) and rank both together, as counting every mention would
                rest = np.sort(self.r_eid[_slices(self.r_start, positions)])
                if len(rest) * 16 < len(self.m_eid):
                    first = np.flatnonzero(np.r_[True, rest[1:] != rest[:-1]]) if len(rest) else \
                        np.zeros(0, np.intp)
                    have = np.flatnonzero(counts)
                    ids = np.concatenate([self.f_ids[have], rest[first].astype(np.intp)])
                    cnt = np.concatenate([counts[have], np.diff(np.r_[first, len(rest)])]).astype(np.intp)
                    top = np.lexsort((ids, -cnt))[:k]  # most first, ties: lower id first (as ``_top``)
                    return ids[top], cnt[top]
        eids = self.m_eid[self.mentions_of(positions)]
        if not len(eids):
            return np.zeros(0, np.intp), np.zeros(0, np.intp)
        if len(eids) * 16 < len(self.m_eid):  # few mentions: sort them rather than count into every entity's slot
            ids, counts = np.unique(eids, return_counts=True)
            top = np.lexsort((ids, -counts))[:k]  # most first, ties: lower id first (as ``_top``)
            return ids[top], counts[top]
        counts = np.bincount(eids)
        top = _top(counts, k)
        return top, counts[top]

    def copies(self, rowid: int) -> int:
        """Articles sharing this article's text (itself included)."""
        return int(self.copies_of(np.array([rowid], np.int64))[0])

    def copies_of(self, rowids: np.ndarray) -> np.ndarray:
        """``copies`` of each of these row ids (1 for one the arrays do not hold), in one pass: a page's hits
        looked up together rather than two searches of the whole array each."""
        rowids = np.asarray(rowids, np.int64)
        out = np.ones(len(rowids), np.int64)
        pos, ok = self.find(rowids)
        if ok.any():
            cpos, cok = self.find(self.canon[pos[ok]])
            out[ok] = np.where(cok, self.group_size[cpos], 1)
        return out


def _runs(rowids: np.ndarray) -> dict[str, np.ndarray]:
    """``FacetIndex``'s runs of consecutive row ids, when there are at most one per 16 articles; else none."""
    if not len(rowids):
        return {}
    starts = np.flatnonzero(np.diff(rowids) != 1) + 1
    if (len(starts) + 1) * 16 > len(rowids) and len(starts):
        return {}
    pos = np.r_[0, starts].astype(np.int64)
    return {"run_rowid": rowids[pos], "run_pos": pos, "run_len": np.diff(np.r_[pos, len(rowids)])}


def _slices(start: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The indexes start[p]..start[p+1]-1 of every position p, in order (CSR rows, concatenated)."""
    starts, ends = start[positions], start[positions + 1]
    lens = ends - starts
    total = int(lens.sum())
    if not total:
        return np.zeros(0, np.int64)
    # arange over the concatenated slices: each slice's offsets, shifted to its start
    shift = np.repeat(starts - np.cumsum(lens) + lens, lens)
    return np.arange(total) + shift


def _find(sorted_arr: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``values`` in ``sorted_arr`` and whether each is there."""
    if len(sorted_arr) == 0:
        return np.zeros(len(values), np.int64), np.zeros(len(values), bool)
    pos = np.searchsorted(sorted_arr, values)
    pos = np.minimum(pos, len(sorted_arr) - 1)
    return pos, sorted_arr[pos] == values


# -- shared per-archive state ------------------------------------------------------------------------------------
class ArchiveState:
    """Per archive file and process: generations, facet arrays, remembered results, cached views."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._watch: SQLiteArchive | None = None
        self._version: int | None = None
        self.generation = 0
        self._index: FacetIndex | None = None
        self._index_gen = -1
        self.results: OrderedDict[tuple[Any, ...], ResultSet] = OrderedDict()
        self.views: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._computing: dict[tuple[Any, ...], threading.Event] = {}
        self._terms: OrderedDict[str, np.ndarray] = OrderedDict()  # token → positions in the facet arrays
        self._terms_gen = -1
        self._terms_size = 0
        # the title+lead index as arrays (``search.bm25``): (generation, facet arrays, index), built in the background
        self._lead: tuple[int, FacetIndex, TermIndex] | None = None
        self._lead_building = False
        self._lead_tried_gen = -1
        self._lead_next = 0.0  # monotonic time before which no new build starts (an archive being written to)

    def current(self) -> int:
        """The archive's generation: a new one whenever another connection committed since the last call."""
        from bantin.archive import open_store

        with self._lock:
            if self._watch is None:
                self._watch = open_store(self.path, readonly=True)
            try:
                v = self._watch.data_version()
            except Exception:
                if not getattr(self._watch, "broken", False):
                    raise
                self._watch.close()  # its database connection was lost (a server restart): a new one
                self._watch = open_store(self.path, readonly=True)
                v = self._watch.data_version()
            if self._version is not None and v != self._version:
                self.generation += 1
            self._version = v
            return self.generation

    def index(self, gen: int, store: SQLiteArchive) -> FacetIndex:
        idx = self._index
        if idx is not None and self._index_gen == gen:
            return idx
        if idx is not None and idx.build_seconds >= SLOW_INDEX_SECONDS and \
                time.monotonic() - idx.built_at < 10 * idx.build_seconds:
            return idx  # a big archive being written to: rebuild at most every 10 build-times
        with self._build_lock:
            if self._index is not None and self._index_gen >= gen:
                return self._index
            t0 = time.perf_counter()
            built = FacetIndex.build(store.facet_arrays())
            built.build_seconds = time.perf_counter() - t0
            built.built_at = time.monotonic()
            self._index, self._index_gen = built, gen
            return built

    def fresh(self, gen: int, index: FacetIndex) -> bool:
        """Whether ``index`` holds every article of generation ``gen`` (not one kept from an earlier one)."""
        return self._index is index and self._index_gen == gen

    def lead(self, gen: int, index: FacetIndex) -> TermIndex | None:
        """The title+lead index of generation ``gen`` as arrays, aligned to ``index``, when it has been read; else
        None (the caller ranks that tier with FTS5) and its reading starts in the background — once per generation,
        and at most every ten reading-times while the archive keeps changing."""
        if "://" in self.path:  # PostgreSQL ranks in the database (no lead_index_arrays)
            return None
        with self._lock:
            if self._lead is not None and self._lead[0] == gen and self._lead[1] is index:
                return self._lead[2]
            if self._lead_building or self._lead_tried_gen >= gen or time.monotonic() < self._lead_next:
                return None
            self._lead_building, self._lead_tried_gen = True, gen
        threading.Thread(target=self._build_lead, args=(gen, index), daemon=True, name="bantin-lead-index").start()
        return None

    def _build_lead(self, gen: int, index: FacetIndex) -> None:
        from bantin.archive import open_store

        t0 = time.monotonic()
        built = None
        try:
            store = open_store(self.path, readonly=True)
            try:
                arrays = store.lead_index_arrays() if hasattr(store, "lead_index_arrays") else None
            finally:
                store.close()
            if arrays is not None:
                built = TermIndex.build(arrays, index.rowids)
            if built is not None and self.current() != gen:
                built = None  # the archive changed while it was read: the next generation reads it again
        except Exception:  # noqa: BLE001 - an optimisation: FTS5 ranks the tier as before
            built = None
        finally:
            with self._lock:
                if built is not None:
                    self._lead = (gen, index, built)
                self._lead_building = False
                self._lead_next = time.monotonic() + 10 * (time.monotonic() - t0)

    def term_rows(self, gen: int, index: FacetIndex, store: SQLiteArchive) -> Callable[[str], np.ndarray | None]:
        """A function giving each index token's articles in ``index``: ascending positions (int32) when they are
        few, else a packed bitmap (uint8, one bit per article: 16 KB for 128k articles) — read once per generation
        and kept (the ``TERM_CACHE_BYTES`` most recently used); None when the index does not hold them all
        (articles added meanwhile: the caller asks FTS5 instead)."""
        n = len(index.rowids)

        def rows(token: str) -> np.ndarray | None:
            with self._lock:
                if self._terms_gen != gen:
                    self._terms.clear()
                    self._terms_gen, self._terms_size = gen, 0
                hit = self._terms.get(token)
                if hit is not None:
                    self._terms.move_to_end(token)
                    return hit
            pos, ok = index.find(store.term_rowids(token))
            if not ok.all():
                return None
            if len(pos) * 32 > n:
                bits = np.zeros(n, bool)
                bits[pos] = True
                out = np.packbits(bits)
            else:
                out = pos.astype(np.int32)
            with self._lock:
                if self._terms_gen == gen and token not in self._terms:
                    self._terms[token] = out
                    self._terms_size += out.nbytes
                    while self._terms_size > TERM_CACHE_BYTES and len(self._terms) > 1:
                        self._terms_size -= self._terms.popitem(last=False)[1].nbytes
            return out

        return rows

    def remember(self, key: tuple[Any, ...], res: ResultSet) -> None:
        with self._lock:
            self.results[key] = res
            self.results.move_to_end(key)
            while len(self.results) > RESULTS_KEPT:
                self.results.popitem(last=False)

    def result(self, key: tuple[Any, ...], make: Callable[[], ResultSet]) -> ResultSet:
        """The remembered result for ``key``, or ``make()``'s — computed once when several threads ask for the same
        new query at the same moment (the others wait for it rather than doing the same work)."""
        while True:
            res = self.recall(key)
            if res is not None:
                return res
            with self._lock:
                ev = self._computing.get(key)
                mine = ev is None
                if mine:
                    ev = self._computing[key] = threading.Event()
            if not mine:
                ev.wait(120)
                continue  # remembered by the other thread now (or it failed: try ourselves)
            try:
                res = make()
                self.remember(key, res)
                return res
            finally:
                with self._lock:
                    self._computing.pop(key, None)
                ev.set()

    def recall(self, key: tuple[Any, ...]) -> ResultSet | None:
        with self._lock:
            res = self.results.get(key)
            if res is not None:
                self.results.move_to_end(key)
            return res

    def view(self, name: Any, gen: int, make: Callable[[], Any]) -> Any:
        """A view computed once per generation (the home page's figures, entity pages, articles); the
        ``VIEWS_KEPT`` most recently used are kept. Shared: callers must not change what they get."""
        with self._lock:
            hit = self.views.get(name)
            if hit is not None and hit[0] == gen:
                self.views.move_to_end(name)
                return hit[1]
        value = make()
        with self._lock:
            self.views[name] = (gen, value)
            while len(self.views) > VIEWS_KEPT:
                self.views.popitem(last=False)
        return value

    def close(self) -> None:
        with self._lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None


_STATES: dict[str, ArchiveState] = {}
_STATES_LOCK = threading.Lock()


def state(path: str) -> ArchiveState:
    from bantin.archive import is_postgres_url

    key = path if is_postgres_url(path) else os.path.realpath(path)
    with _STATES_LOCK:
        st = _STATES.get(key)
        if st is None:
            st = _STATES[key] = ArchiveState(key)
        return st


# -- whole-result search ----------------------------------------------------------------------------------------
@dataclass(slots=True)
class ResultSet:
    """One query's whole result, for one archive generation."""

    spelling: str  # "exact" (as typed, with diacritics) or "any"
    matched: np.ndarray  # row ids of every matching article, ascending
    shown: np.ndarray  # one article per text (duplicate group), newest first
    ranked: list[tuple[int, float, str]]  # (shown row id, score, tier), best first: the first tiers until ``rest``
    index: FacetIndex
    facets: dict[str, Any] | None = None
    #: (score, tier) of every ranked text: made when first asked for (``scores_of``); the first page of a
    #: relevance search reads its hits' from the head of ``ranked`` instead
    by_rowid: dict[int, tuple[float, str]] | None = None
    pages: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # pages already made (snippets and all)
    n_ranked: int = -1  # len of the whole ranking (known before ``rest`` has run)
    shown_at: tuple[np.ndarray, np.ndarray] | None = None  # ``index.find(shown)``
    #: the full-text tier, ranked when a page first needs it (the first page mostly comes from title+lead alone)
    rest: Callable[[SQLiteArchive], list[tuple[int, float, str]]] | None = None
    _rank_lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """A page of this result, made once: the archive has not changed since, so neither has the page."""
        hit = self.pages.get(key)
        if hit is None:
            hit = make()
            with _PAGES_LOCK:
                while len(self.pages) >= 16:
                    self.pages.pop(next(iter(self.pages)))
                self.pages[key] = hit
        return hit

    def whole(self, store: SQLiteArchive) -> list[tuple[int, float, str]]:
        """The whole ranking (the full-text tier ranked now if it was not yet)."""
        if self.rest is not None:
            with self._rank_lock:
                if self.rest is not None:
                    more = self.rest(store)
                    if self.by_rowid is not None:
                        self.by_rowid.update((r, (sc, t)) for r, sc, t in more)
                    self.ranked = self.ranked + more
                    self.rest = None
        return self.ranked

    def scores_of(self, rowids: list[int]) -> dict[int, tuple[float, str]]:
        """(score, tier) of these row ids that the ranking holds (so far): from the head of the ranking when they
        are its first texts (a first page by relevance), else from ``by_rowid``, made once."""
        head = self.ranked[:len(rowids)]
        if len(head) == len(rowids) and all(r == h[0] for r, h in zip(rowids, head)):
            return {r: (sc, t) for r, sc, t in head}
        if self.by_rowid is None:
            with self._rank_lock:
                if self.by_rowid is None:
                    self.by_rowid = {r: (sc, t) for r, sc, t in self.ranked}
        return self.by_rowid

    @property
    def total(self) -> int:
        return int(len(self.shown))


def _top(counts: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the ``k`` largest non-zero counts, largest first, ties by index — as a stable sort of the whole
    array would give, without sorting 300,000 entities' counts for a dozen."""
    if len(counts) <= k:
        order = np.argsort(-counts, kind="stable")
        return order[counts[order] > 0]
    # the k-th largest count from a histogram of the counts (small integers with many ties, where a partition is
    # slow), then every index that could be in the top k (ties at the edge included), sorted
    hist = np.bincount(counts)
    kth = len(hist) - 1 - int(np.searchsorted(np.cumsum(hist[::-1]), k))
    cand = np.flatnonzero(counts >= max(kth, 1))
    return cand[np.argsort(-counts[cand], kind="stable")][:k]


def _fold(index: FacetIndex, matched: np.ndarray,
          found: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """For each matched article, the one article that stands for its text: its canonical copy when that matches
    too, else the newest matching copy. ``found``: ``index.find(matched)``, when known."""
    pos, ok = found if found is not None else index.find(matched)
    # most articles are their own canonical: look up only the others (a copy held in the arrays)
    at = np.flatnonzero(index.is_copy[pos] & ok) if index.is_copy is not None and len(matched) else \
        np.flatnonzero(ok & (index.canon[pos] != matched))
    shown = matched.copy()
    if not len(at):
        return shown
    canon = index.canon[pos[at]]
    cin = _find(matched, canon)[1]
    shown[at[cin]] = canon[cin]
    if not cin.all():  # copies whose canonical does not match: the newest matching copy of each text
        out = at[~cin]
        c2, m2 = canon[~cin], matched[out]
        o = np.lexsort((m2, c2))
        c2s, m2s = c2[o], m2[o]
        starts = np.r_[True, c2s[1:] != c2s[:-1]]
        last = np.r_[c2s[1:] != c2s[:-1], True]
        reps = m2s[last][np.cumsum(starts) - 1]
        sub = np.empty_like(m2)
        sub[o] = reps
        shown[out] = sub
    return shown


def _counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_counts=True)`` of small non-negative integers (days since 1970) by counting
    rather than sorting."""
    if not len(values):
        return np.zeros(0, values.dtype), np.zeros(0, np.intp)
    lo = int(values.min())
    c = np.bincount(values - lo)
    at = np.flatnonzero(c)
    return (at + lo).astype(values.dtype), c[at]


def round6(x: np.ndarray) -> list[float]:
    """``[round(v, 6) for v in x.tolist()]`` without a Python call per value: ``round`` gives the double nearest
    to k / 10**6 for the integer k nearest to x · 10**6 (ties to even), and k / 1e6 in IEEE division is that
    double. x · 1e6 as a double is within half an ulp (< 1.2e-7 below 2**31) of the exact product, so its nearest
    integer is k unless the product lies within 1e-6 of a half: those values (and any not finite or too large)
    are rounded by ``round`` itself."""
    with np.errstate(invalid="ignore", over="ignore"):  # inf and nan: left to round below
        r = x * 1e6
        k = np.rint(r)
        out = k / 1e6
        odd = ~(np.abs(np.abs(r - k) - 0.5) > 1e-6) | ~(np.abs(r) < 2.0 ** 31)  # near a half, huge, inf or nan
    if odd.any():
        for i in np.flatnonzero(odd).tolist():
            out[i] = round(float(x[i]), 6)
    return out.tolist()


def _single_words(query: Query) -> bool:
    """Whether every clause is one token, no prefix: then the result is set operations on tokens' articles."""
    return all(len(c.exact) == 1 and not c.prefix for c in [*(c for g in query.groups for c in g), *query.negated])


def _match_terms(store: SQLiteArchive, index: FacetIndex, query: Query, form: str, filters: Filters,
                 rows: Callable[[str], np.ndarray | None]) -> tuple[np.ndarray, np.ndarray] | None:
    """``match_rowids`` of a query of single words, from each token's articles (``rows``): the AND of groups, each
    the OR of its clauses' spellings, less the negated ones — what FTS5 computes from the same doclists, kept per
    generation so a new query of known words costs a few array operations. None: ask FTS5."""
    from bantin.store.fts5 import _options

    if query.empty or filters.outlet or filters.entity_keys is not None or filters.topic:
        return None
    n = len(index.rowids)
    acc: np.ndarray | None = None
    for g in query.groups:
        bits: np.ndarray | None = None  # the common spellings' bitmaps, OR-ed packed (8 articles a byte)
        few: list[np.ndarray] = []  # the others' positions
        for c in g:
            for tok in _options(c, form)[0]:
                p = rows(tok)
                if p is None:
                    return None
                if p.dtype == np.uint8:  # a bitmap
                    bits = p.copy() if bits is None else np.bitwise_or(bits, p, out=bits)
                else:
                    few.append(p)
        m = np.unpackbits(bits, count=n).view(bool) if bits is not None else np.zeros(n, bool)
        for p in few:
            m[p] = True
        acc = m if acc is None else np.logical_and(acc, m, out=acc)
    assert acc is not None
    for c in query.negated:
        for tok in _options(c, form)[0]:
            p = rows(tok)
            if p is None:
                return None
            if p.dtype == np.uint8:
                acc &= ~np.unpackbits(p, count=n).view(bool)
            else:
                acc[p] = False
    at = np.flatnonzero(acc)
    out = index.rowids[at]
    if filters.since or filters.until:
        lo, hi = store.rowid_bounds(filters.since, filters.until)
        keep = (out >= lo) & (out <= hi)
        at, out = at[keep], out[keep]
    return out, at  # row ids and their positions in the index


_PHRASE = re.compile(r'"([^"]*)"')


def _lead_tier(store: SQLiteArchive, lead: TermIndex, index: FacetIndex, query: Query, form: str, expr: str | None,
               filters: Filters) -> list[tuple[int, float]] | None:
    """``store.ranked_tier("lead", expr, filters)`` of a query of single words, from the title+lead index held as
    arrays (``search.bm25``): its ``CANDIDATES`` newest matches with FTS5's bm25, best first (ties: newest first)
    — the same rows and the same floats. None: ask FTS5 (filters other than dates, phrases FTS5's tokenizer might
    split)."""
    got = _lead_arrays(store, lead, index, query, form, expr, filters)
    return None if got is None else list(zip(got[0].tolist(), got[1].tolist()))


def _lead_arrays(store: SQLiteArchive, lead: TermIndex, index: FacetIndex, query: Query, form: str,
                 expr: str | None, filters: Filters) -> tuple[np.ndarray, np.ndarray] | None:
    """``_lead_tier`` as arrays (row ids, bm25), which ``compute`` takes as they are."""
    from bantin.store.fts5 import _options
    from bantin.store.sqlite import CANDIDATES

    if expr is None or filters.outlet or filters.entity_keys is not None or filters.topic or query.empty:
        return None
    phrases = _PHRASE.findall(expr)  # in the order FTS5 numbers them
    if not phrases or not all(p.isalnum() for p in phrases):
        return None
    n = len(index.rowids)
    acc: np.ndarray | None = None
    for g in query.groups:
        m = np.zeros(n, bool)
        for c in g:
            for tok in _options(c, form)[0]:
                m[lead.positions(tok)] = True
        acc = m if acc is None else np.logical_and(acc, m, out=acc)
    assert acc is not None
    for c in query.negated:
        for tok in _options(c, form)[0]:
            acc[lead.positions(tok)] = False
    at = np.flatnonzero(acc)
    if filters.since or filters.until:
        lo, hi = store.rowid_bounds(filters.since, filters.until)
        r = index.rowids[at]
        at = at[(r >= lo) & (r <= hi)]
    at = at[-CANDIDATES:]
    if not len(at):
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    bm = lead.bm25(phrases, at)
    rowids = index.rowids[at]
    order = np.lexsort((-rowids, bm))  # by bm25, ties newest first (as ranked_tier sorts FTS5's rows)
    return rowids[order], bm[order]


def _present(query: Query, form: str, rows: Callable[[str], np.ndarray | None]) -> str | None:
    """``compile_search``'s expression of a query of single words without the spellings no article holds (the
    tokens' articles say which): FTS5 matches the same rows and BM25 gives them the same scores — a phrase no row
    holds adds exactly 0 to every score — with fewer phrases to look up. None: keep the full expression."""
    from bantin.store.fts5 import _options, _or, _q

    def spelled(c: Any) -> list[str] | None:
        out = []
        for tok in _options(c, form)[0]:
            p = rows(tok)
            if p is None:
                return None
            if len(p):
                out.append(_q(tok))
        return out

    groups = []
    for g in query.groups:
        alts: list[str] = []
        for c in g:
            sp = spelled(c)
            if sp is None:
                return None
            if sp:
                alts.append(_or(sp))
        if not alts:
            return None  # nothing matches: the full expression finds nothing as cheaply
        groups.append(_or(alts))
    nots = ""
    for c in query.negated:
        sp = spelled(c)
        if sp is None:
            return None
        if sp:
            nots += f" NOT {_or(sp)}"
    body = " AND ".join(groups)
    return f"({body}){nots}" if nots else body


def compute(store: SQLiteArchive, index: FacetIndex, query: Query, filters: Filters,
            rows: Callable[[str], np.ndarray | None] | None = None, lead: TermIndex | None = None) -> ResultSet:
    """The whole result of ``query``; ``rows`` (``ArchiveState.term_rows``, when ``index`` is of this generation)
    lets a query of single words be matched without FTS5, and ``lead`` (``ArchiveState.lead``, the same) its
    title+lead tier be ranked without it."""
    fast = rows is not None and _single_words(query) and hasattr(store, "ranked_tier")

    def match(form: str) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None, str | None, Any]:
        expr, check = store.face_match(query, form, filters)
        if fast and expr is not None and check is None:
            out = _match_terms(store, index, query, form, filters, rows)  # type: ignore[arg-type]
            if out is not None:
                return out[0], (out[1], np.ones(len(out[1]), bool)), expr, check
        return store.match_rowids(expr, filters, check), None, expr, check

    spelling = "any"
    matched = None
    if query.has_diacritics:
        matched, found, expr, check = match("exact")
        if len(matched):
            spelling = "exact"
    if spelling == "any":
        matched, found, expr, check = match("expanded")
    assert matched is not None
    if found is None:
        found = index.find(matched)
    shown_of = _fold(index, matched, found)
    alone = shown_of == matched
    shown = matched[alone][::-1]  # every text's stand-in stands for itself: one per text, newest first
    shown_at = (found[0][alone][::-1], found[1][alone][::-1])
    n_tiers = 4 if query.has_diacritics else 2
    first = 0 if spelling == "exact" or not query.has_diacritics else 2
    form = "exact" if spelling == "exact" else "expanded"
    ranked: list[tuple[int, float, str]] = []
    seen: set[int] = set()

    def take(k: int, tier: str, rows: list[tuple[int, float]] | tuple[np.ndarray, np.ndarray],
             out: list[tuple[int, float, str]]) -> None:
        base = float(n_tiers - (first + k))
        if isinstance(rows, tuple) and len(rows) == 2 and isinstance(rows[0], np.ndarray):  # (row ids, bm25)
            rids, bms = rows
        elif rows:
            ids_, bms_ = zip(*rows)
            rids, bms = np.array(ids_, np.int64), np.array(bms_, np.float64)
        else:
            return
        if not len(rids):
            return
        mpos, mok = _find(matched, rids)
        shown = np.where(mok, shown_of[np.minimum(mpos, len(shown_of) - 1)], rids) if len(matched) else rids
        # each text once, at its best row, and not again after an earlier tier (as a loop with a ``seen`` set)
        keep = np.zeros(len(shown), bool)
        keep[np.unique(shown, return_index=True)[1]] = True
        if seen:
            keep &= ~np.isin(shown, np.fromiter(seen, np.int64, len(seen)))
        at = np.flatnonzero(keep)
        rel = -bms[at]
        scores = base + rel / (1.0 + rel)  # IEEE operations, element by element: the floats Python's would be
        ids = shown[at].tolist()
        seen.update(ids)
        out.extend(zip(ids, round6(scores), itertools.repeat(tier)))

    if not hasattr(store, "ranked_tier") or check is not None:
        for k, (tier, tier_rows) in enumerate(store.ranked_rowids([(form, expr)], filters, check)):
            take(k, tier, tier_rows, ranked)
        res = ResultSet(spelling=spelling, matched=matched, shown=shown, ranked=ranked, index=index,
                        n_ranked=len(ranked), shown_at=shown_at)
    else:
        from bantin.store.sqlite import CANDIDATES

        if fast and expr is not None:
            expr = _present(query, form, rows) or expr  # type: ignore[arg-type]
        lead_rows: Any = _lead_arrays(store, lead, index, query, form, expr, filters) \
            if fast and lead is not None else None
        if lead_rows is None:
            lead_rows = store.ranked_tier("lead", expr, filters)
        take(0, f"lead-{form}", lead_rows, ranked)
        # the full-text tier's candidates are the newest CANDIDATES of the whole result (the same expression and
        # filters): how many texts the ranking holds is known now; their order (BM25) when a page needs it
        cand = matched[-CANDIDATES:]
        n_ranked = len(seen.union(shown_of[-CANDIDATES:].tolist())) if len(cand) else len(seen)

        def rest(st: SQLiteArchive) -> list[tuple[int, float, str]]:
            if not len(cand):
                return []
            keep = set(cand.tolist())  # the same candidates even if articles were added since
            tier_rows = [r for r in st.ranked_tier("text", expr, filters, within=(int(cand[0]), int(cand[-1])))
                         if r[0] in keep]
            more: list[tuple[int, float, str]] = []
            take(1, f"text-{form}", tier_rows, more)
            return more

        res = ResultSet(spelling=spelling, matched=matched, shown=shown, ranked=ranked, index=index,
                        n_ranked=n_ranked, rest=rest, shown_at=shown_at)
    return res


def facets(store: SQLiteArchive, res: ResultSet) -> dict[str, Any]:
    """Outlets, top entities and articles per day over the whole result set (one article per text)."""
    if res.facets is not None:
        return res.facets
    index, shown = res.index, res.shown
    pos, ok = res.shown_at if res.shown_at is not None else index.find(shown)
    known = pos[ok]
    codes = index.outlet[known]
    n_out = np.bincount(codes + 1, minlength=len(index.outlets) + 1)
    outlets = [{"name": index.outlets[i - 1], "count": int(n_out[i])}
               for i in np.argsort(-n_out[1:], kind="stable") + 1 if n_out[i] > 0][:TOP_OUTLETS]
    no_outlet = int(n_out[0]) + int((~ok).sum())
    days = store.days_of(shown)
    dated = days[days >= 0]
    uniq, counts = _counts(dated)
    day_names = (np.datetime64("1970-01-01", "D") + uniq.astype("timedelta64[D]")).astype(str)
    per_day = [{"day": d, "count": int(c)} for d, c in zip(day_names.tolist(), counts.tolist())]
    entities: list[dict[str, Any]] = []
    if len(index.m_idx) and len(known):
        ids, counts = index.top_entities(known, TOP_ENTITIES)
        top = [(int(e), int(c)) for e, c in zip(ids, counts) if c > 0]
        names = index.names  # an entity's name and type never change (entities are only ever added)
        missing = [e for e, _c in top if e not in names]
        if missing:
            names.update(store.entity_names(missing))
        entities = [{"name": names[e][0], "type": names[e][1], "count": c} for e, c in top if e in names]
    topics: list[dict[str, Any]] = []
    if index.topic is not None and index.topics:
        n_top = np.bincount(index.topic[known].astype(np.int64) + 1, minlength=len(index.topics) + 1)
        topics = [{"name": index.topics[i - 1], "count": int(n_top[i])}
                  for i in np.argsort(-n_top[1:], kind="stable") + 1 if n_top[i] > 0]
    res.facets = {"outlets": outlets, "no_outlet": no_outlet, "topics": topics, "entities": entities,
                  "per_day": per_day, "undated": int((days < 0).sum())}
    return res.facets


def params_key(q: str, filters: Filters) -> tuple[Any, ...]:
    return (q.strip(), filters.since, filters.until, filters.outlet,
            tuple(filters.entity_keys) if filters.entity_keys is not None else None, filters.entity_type,
            filters.topic)


def _hash(key: tuple[Any, ...], sort: str) -> str:
    return hashlib.blake2b(orjson.dumps([list(map(str, key)), sort]), digest_size=6).hexdigest()


def encode_cursor(d: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(d)).decode().rstrip("=")


def decode_cursor(cursor: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        d = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        raise CursorError(f"cursor {cursor[:40]!r} is not a cursor this server made") from None
    if not isinstance(d, dict) or d.get("v") != 1 or d.get("w") != what:
        raise CursorError(f"cursor {cursor[:40]!r} is not a {what} cursor")
    return d


def _int(d: dict[str, Any], k: str) -> int:
    v = d.get(k)
    if not isinstance(v, int) or isinstance(v, bool):
        raise CursorError("cursor is damaged (bad field %r)" % k)
    return v


def cut(res: ResultSet, recall: Callable[[int], ResultSet | None], *, key: tuple[Any, ...], sort: str,
        cursor: str | None, limit: int, gen: int, store: SQLiteArchive | None = None) -> tuple[list[int], str | None]:
    """The row ids of one page and the cursor of the next (None at the end). ``store`` ranks the rest of a
    result (``ResultSet.whole``) when the page reaches past its first tiers."""
    h = _hash(key, sort)
    c = decode_cursor(cursor, "search") if cursor else None
    if c is not None and c.get("h") != h:
        raise CursorError("this cursor belongs to another query (q, filters and sort must stay the same)")
    if sort == "date":
        shown = res.shown
        if c is not None:
            last = _int(c, "r")
            # shown is newest first: the next page starts at the first text published before the last one shown
            start = int(np.searchsorted(-shown, -last, side="right"))
        else:
            start = 0
        page = [int(x) for x in shown[start:start + limit]]
        more = start + limit < len(shown)
        nxt = encode_cursor({"v": 1, "w": "search", "h": h, "s": "d", "r": page[-1]}) if more and page else None
        return page, nxt
    def whole(r: ResultSet) -> list[tuple[int, float, str]]:
        if r.rest is None or store is None:
            return r.ranked
        return r.whole(store)

    ranked = res.ranked if c is None and res.rest is not None and len(res.ranked) > limit else whole(res)
    start = 0
    if c is not None:
        pos, last, g = _int(c, "p"), _int(c, "r"), _int(c, "g")
        snap = recall(g) if c.get("i") == INSTANCE else None
        if snap is not None and 0 < pos <= len(whole(snap)) and snap.ranked[pos - 1][0] == last:
            ranked, gen = snap.ranked, g
            start = pos
        else:
            start = next((i + 1 for i, (r, _s, _t) in enumerate(ranked) if r == last), -1)
            if start < 0:  # the last hit is gone: continue after its place in the order (score, then row id)
                sc = c.get("sc")
                if not isinstance(sc, (int, float)):
                    raise CursorError("cursor is damaged (bad field 'sc')")
                start = next((i for i, (r, s, _t) in enumerate(ranked) if (s, r) < (sc, last)), len(ranked))
    page = [r for r, _s, _t in ranked[start:start + limit]]
    end = start + len(page)
    nxt = None
    if page and end < len(ranked):
        r, s, _t = ranked[end - 1]
        nxt = encode_cursor({"v": 1, "w": "search", "h": h, "s": "r", "g": gen, "i": INSTANCE, "p": end,
                             "r": r, "sc": s})
    return page, nxt


def entity_profiles(store: SQLiteArchive, index: FacetIndex, eids: list[int], since: str | None,
                    until: str | None, limit: int) -> list[dict[str, Any]]:
    """``SQLiteArchive.entity_profile`` from the facet arrays: the same counts (copies of a text left out), months
    (Vietnam time), latest articles and co-occurring entities, plus articles per day — in milliseconds where the
    SQL reads every mention of a popular name (seconds for "Mỹ" on 128k articles)."""
    lo, hi = store.rowid_bounds(since, until)
    names = store.entity_names(eids)
    out = []
    for eid in eids:
        if eid not in names:
            continue
        mine = index.m_eid == eid
        pos, ns = index.m_idx[mine], index.m_n[mine]
        rows = index.rowids[pos]
        keep = (index.canon[pos] == rows) & (rows >= lo) & (rows <= hi)
        pos, rows, ns = pos[keep], rows[keep], ns[keep]
        order = np.argsort(-rows, kind="stable")
        pos, rows, ns = pos[order], rows[order], ns[order]
        days = store.days_of(rows)
        dated = days >= 0
        day_names = (np.datetime64("1970-01-01", "D") + days[dated].astype("timedelta64[D]")).astype(str)
        months: dict[str, int] = {}
        by_day: dict[str, int] = {}
        for d, n in zip(day_names.tolist(), ns[dated].tolist()):
            months[d[:7]] = months.get(d[:7], 0) + n
            by_day[d] = by_day.get(d, 0) + 1
        heads = store.article_heads(rows[:limit].tolist())
        latest = [{"id": heads[r][0], "title": heads[r][1], "published_at": heads[r][2], "outlet": heads[r][3],
                   "mentions": int(n)} for r, n in zip(rows[:limit].tolist(), ns[:limit].tolist()) if r in heads]
        co: list[dict[str, Any]] = []
        if len(pos):
            counts = np.bincount(index.m_eid[index.mentions_of(pos)], minlength=eid + 1)
            counts[eid] = 0
            if counts.any():
                top = _top(counts, limit)
                floor = counts[top[-1]]
                cands = np.nonzero(counts >= max(floor, 1))[0].tolist()
                cnames = store.entity_names(cands)
                ranked = sorted(((-int(counts[e]), cnames[e][0], cnames[e][1]) for e in cands if e in cnames))
                co = [{"name": n, "type": t, "articles": -c} for c, n, t in ranked[:limit]]
        out.append({"name": names[eid][0], "type": names[eid][1], "articles": int(len(rows)),
                    "mentions": int(ns.sum()), "by_month": dict(sorted(months.items())), "latest": latest,
                    "co_occurring": co, "by_day": dict(sorted(by_day.items()))})
    return out


@functools.lru_cache(maxsize=1)
def alias_tables() -> dict[tuple[str, str], list[str]]:
    """(type, alias key of a canonical name) → the canonical name and its aliases, from the NER alias tables."""
    from bantin.enrich.ner.gazetteer import alias_key, load_tables

    out: dict[tuple[str, str], list[str]] = {}
    for typ, canon, aliases in load_tables():
        out.setdefault((typ, alias_key(canon)), []).extend([canon, *aliases])
    return out


def entity_spans(article: Article) -> list[dict[str, Any]]:
    return [m for m in article.annotations.get("entities", ()) if isinstance(m, dict)]

"""The fast path of a whole-result search (single words matched from each token's cached articles, the full-text
tier ranked only when a page reaches it) answers exactly what the first definition answered: FTS5 over the whole
result, both BM25 tiers at once. Compared on many generated queries of the test archive (SQLite: the PostgreSQL
store has no fast path and takes the first definition's)."""

from __future__ import annotations

import json
import random
import re

import numpy as np
import pytest

from bantin import browse
from bantin.archive import Bantin
from bantin.clean.fold import fold
from bantin.store.base import Filters
from web_fixtures import copy_archive


class FirstDefinition:
    """The store as the first definition used it: no ``ranked_tier``, so ``compute`` ranks both tiers by FTS5 at
    once, and no term rows, so it matches by FTS5."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        if name == "ranked_tier":
            raise AttributeError(name)
        return getattr(self._store, name)


def vocabulary(b: Bantin) -> list[str]:
    words: set[str] = set()
    for a in b.store.iter_articles():
        for text in (a.title, a.sapo or "", *a.paragraphs[:3]):
            words.update(w.lower() for w in re.findall(r"[^\W\d_]{2,}", text))
    return sorted(words)


def queries(words: list[str], n: int, seed: int = 11) -> list[tuple[str, Filters]]:
    rng = random.Random(seed)
    out: list[tuple[str, Filters]] = []
    shapes = ["{a}", "{a} {b}", "{a} {b} {c}", "{a} OR {b}", "{a} -{b}", "{a} {b} OR {c}", "{a} -{b} -{c}",
              "{a} zzqxv", "-{a} {b}"]
    for i in range(n):
        a, b_, c = rng.choice(words), rng.choice(words), rng.choice(words)
        q = rng.choice(shapes).format(a=a, b=b_, c=c)
        if i % 2:
            q = fold(q).replace("OR", "OR")  # without diacritics: every spelling
        if i % 3 == 0:
            q = q.replace("òa", "oà").replace("ủy", "uỷ")  # old tone style where it applies
        f = Filters()
        if i % 7 == 0:
            f = Filters(since="2024-03-05", until="2024-03-20")
        elif i % 11 == 0:
            f = Filters(since="2024-03-10")
        out.append((q, f))
    return out


def same(fast: browse.ResultSet, old: browse.ResultSet, store) -> None:
    assert fast.spelling == old.spelling
    assert np.array_equal(fast.matched, old.matched)
    assert np.array_equal(fast.shown, old.shown)
    assert fast.n_ranked == len(old.ranked)
    assert fast.whole(store) == old.ranked
    want = {r: (sc, t) for r, sc, t in old.ranked}
    ids = list(want)
    for k in (1, 5, 20, len(ids)):  # a first page: read from the head of the ranking
        assert fast.scores_of(ids[:k]) == {r: want[r] for r in ids[:k]}
    for sub in (ids[2:7], ids[::-1][:5], [-1, *ids[:1]]):  # any other: from the whole ranking's table
        got = fast.scores_of(sub)
        assert {r: got[r] for r in sub if r in got} == {r: want[r] for r in sub if r in want}
    assert fast.scores_of([-1]) is fast.by_rowid and fast.by_rowid == want
    assert json.dumps(browse.facets(store, fast), sort_keys=True) == json.dumps(browse.facets(store, old),
                                                                                sort_keys=True)


def test_fast_path_answers_what_fts5_answers_on_many_queries(sqlite_archive):
    with Bantin(str(sqlite_archive), readonly=True) as b:
        st = browse.ArchiveState(b.path)  # its own term cache, not the one other tests share
        gen = st.current()
        index = st.index(gen, b.store)
        assert st.fresh(gen, index)
        rows = st.term_rows(gen, index, b.store)
        used = 0

        def counted(tok):
            nonlocal used
            used += 1
            return rows(tok)

        words = vocabulary(b)
        assert len(words) > 200
        qs = queries(words, 400)
        for q, f in qs:
            query = b._parse(q)
            fast = browse.compute(b.store, index, query, f, counted)
            old = browse.compute(FirstDefinition(b.store), index, query, f, None)
            assert old.rest is None
            same(fast, old, b.store)
        assert used > 500  # the fast path did run (single words, no outlet/entity filter)
        assert st._terms  # and kept the tokens' articles
        # a phrase, a prefix and an outlet filter go to FTS5, still the same answer
        for q, f in (('"đường sắt" tốc', Filters()), ("đườ*", Filters()), ("duong sat", Filters(outlet="Dân trí"))):
            query = b._parse(q)
            same(browse.compute(b.store, index, query, f, rows),
                 browse.compute(FirstDefinition(b.store), index, query, f, None), b.store)


def test_first_page_waits_for_the_full_text_tier_only_when_it_needs_it(sqlite_archive):
    """Page one of a query whose title+lead tier fills it does not rank the full-text tier; a page past it, a
    date-sorted page and the ranking's size are still those of the whole ranking."""
    with Bantin(str(sqlite_archive), readonly=True) as b:
        st = browse.ArchiveState(b.path)
        gen = st.current()
        index = st.index(gen, b.store)
        query = b._parse("duong sat")
        res = browse.compute(b.store, index, query, Filters(), st.term_rows(gen, index, b.store))
        old = browse.compute(FirstDefinition(b.store), index, query, Filters(), None)
        assert 0 < len(res.ranked) < len(old.ranked) and res.rest is not None
        key = browse.params_key("duong sat", Filters())
        page, nxt = browse.cut(res, lambda g: None, key=key, sort="relevance", cursor=None, limit=5, gen=gen,
                               store=b.store)
        assert res.rest is not None  # not needed yet
        assert page == [r for r, _s, _t in old.ranked[:5]] and nxt
        seen = list(page)
        while nxt:
            page, nxt = browse.cut(res, lambda g: None, key=key, sort="relevance", cursor=nxt, limit=5, gen=gen,
                                   store=b.store)
            seen += page
        assert seen == [r for r, _s, _t in old.ranked]
        assert res.rest is None and res.n_ranked == len(old.ranked)


@pytest.mark.parametrize("q", ["đường sắt", "duong sat"])
def test_tokens_kept_are_forgotten_when_the_archive_changes(sqlite_archive, tmp_path, q):
    """A new article is found by the next search: the tokens' articles are kept per archive generation."""
    archive = copy_archive(sqlite_archive, tmp_path / "copy.db")
    before = Bantin(str(archive), readonly=True).search_page(q, limit=100)
    src = tmp_path / "new.jsonl"
    src.write_text(json.dumps({"id": "new-rail", "title": "Đường sắt mới khánh thành",
                               "body": "Tuyến đường sắt mới được khánh thành sáng nay.",
                               "published_at": "2024-05-01T08:00:00+07:00", "outlet": "VnExpress"},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    with Bantin(str(archive)) as w:
        w.ingest([str(src)], workers=1)
    with Bantin(str(archive), readonly=True) as b:
        after = b.search_page(q, limit=100)
        assert after.total == before.total + 1
        assert "Đường sắt mới khánh thành" in [h.title for h in after.hits]
        st = browse.state(b.path)
        gen = st.current()
        index = st.index(gen, b.store)
        query = b._parse(q)
        same(browse.compute(b.store, index, query, Filters(), st.term_rows(gen, index, b.store)),
             browse.compute(FirstDefinition(b.store), index, query, Filters(), None), b.store)


@pytest.mark.parametrize("frequent", [1, 3, 8, 20])
def test_top_entities_from_the_frequent_ones_are_the_top_of_all(sqlite_archive, monkeypatch, frequent):
    """The top-entities facet counted over the most frequent entities alone (when the k-th count shows no other
    can reach it) is the top of every entity's count, ties by entity id — on random sets of articles."""
    monkeypatch.setattr(browse, "FREQUENT_ENTITIES", frequent)
    with Bantin(str(sqlite_archive), readonly=True) as b:
        index = browse.FacetIndex.build(b.store.facet_arrays())
        assert index.f_ids is not None
        rng = np.random.default_rng(3)
        n = len(index.rowids)
        short = 0
        for _ in range(300):
            pos = np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))[::-1]
            for k in (1, 2, 5, 12):
                ids, counts = index.top_entities(pos, k)
                full = np.bincount(index.m_eid[index.mentions_of(pos)])
                top = browse._top(full, k)
                assert ids.tolist() == top.tolist() and counts.tolist() == full[top].tolist()
                short += len(top) == k and full[top[-1]] >= index.f_floor
        assert 0 < short < 300 * 4  # the frequent entities alone decided some; the others, counted apart, the rest


def test_title_lead_tier_from_arrays_is_fts5s_to_the_bit(sqlite_archive):
    """The title+lead tier ranked from the index held as arrays (``search.bm25``) gives FTS5's rows and bm25
    floats exactly, and whole results identical to the first definition's, on the same generated queries."""
    with Bantin(str(sqlite_archive), readonly=True) as b:
        st = browse.ArchiveState(b.path)
        gen = st.current()
        index = st.index(gen, b.store)
        rows = st.term_rows(gen, index, b.store)
        st._build_lead(gen, index)  # what lead() starts in the background, here in this thread
        lead = st.lead(gen, index)
        assert lead is not None and lead.rows == len(index.rowids)
        from bantin.store.fts5 import compile_search

        compared = 0
        for q, f in queries(vocabulary(b), 400, seed=5):
            query = b._parse(q)
            for form in ("exact", "expanded"):
                expr = compile_search(query, form).expr
                arrays = browse._lead_tier(b.store, lead, index, query, form, expr, f)
                if arrays is None:
                    continue
                assert arrays == b.store.ranked_tier("lead", expr, f), (q, form)
                compared += 1
            same(browse.compute(b.store, index, query, f, rows, lead),
                 browse.compute(FirstDefinition(b.store), index, query, f, None), b.store)
        assert compared > 400


def test_copies_of_a_page_are_each_hits_copies(sqlite_archive):
    """The copies of a page's hits looked up together are each one's ``copies`` (1 for a row id the arrays do not
    hold), and a search's hits show them."""
    with Bantin(str(sqlite_archive), readonly=True) as b:
        index = browse.FacetIndex.build(b.store.facet_arrays())
        rowids = index.rowids.tolist()
        assert any(index.copies(r) > 1 for r in rowids)  # the test archive has copies of one text
        asked = rowids[::-1] + [max(rowids) + 5, -1] + rowids[:3]
        assert index.copies_of(asked).tolist() == [index.copies(r) if r in set(rowids) else 1 for r in asked]
        assert index.copies_of([]).tolist() == []
        hits = b.search_page("duong sat", limit=100).hits
        ids = b.store.rowids_of([h.id for h in hits])
        assert [h.copies for h in hits] == [index.copies(ids[h.id]) for h in hits]
        assert any(h.copies > 1 for h in hits)


def test_a_reader_finds_its_archive_state_once(sqlite_archive, monkeypatch):
    """Each request of a reader does not resolve the archive's path again (``realpath`` stats every directory of
    it): the state is found once per ``Bantin``, and it is the one every reader of that file shares."""
    import os

    with Bantin(str(sqlite_archive), readonly=True) as b:
        b.search_page("duong sat", limit=5)
        calls = []
        real = os.path.realpath
        monkeypatch.setattr(os.path, "realpath", lambda p, *a, **k: calls.append(p) or real(p, *a, **k))
        for q in ("duong sat", "đường sắt", "ga tau", "duong sat"):
            b.search_page(q, limit=5)
        b.article_view(b.search_page("duong sat", limit=1).hits[0].id)
        assert calls == []
        assert b._browse_state() is browse.state(str(sqlite_archive))

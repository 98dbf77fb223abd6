"""Many requests at once, as 16 clients make them: each answered, a new query computed once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import web_fixtures as W
from web_fixtures import make_client


def test_one_new_query_asked_by_many_threads_is_computed_once(archive, monkeypatch):
    from bantin import browse
    from bantin.archive import Bantin

    calls = []
    real = browse.compute
    gate = threading.Event()

    def slow_compute(*a, **kw):
        calls.append(1)
        gate.wait(2)  # hold the first computation until the others have asked
        return real(*a, **kw)

    monkeypatch.setattr(browse, "compute", slow_compute)
    dbs = [Bantin(str(archive), readonly=True) for _ in range(8)]
    try:
        with ThreadPoolExecutor(8) as ex:
            futures = [ex.submit(db.search_page, W.RAIL_Q, limit=5) for db in dbs]
            threading.Timer(0.5, gate.set).start()
            pages = [f.result(30) for f in futures]
    finally:
        for db in dbs:
            db.close()
    assert len(calls) == 1
    assert len({tuple(h.id for h in p.hits) for p in pages}) == 1 and pages[0].total > 20


def test_concurrent_requests_all_answered(archive):
    with make_client(archive) as c:
        urls = [f"/api/v1/search?q={q}&limit=20" for q in ("duong sat", "đường sắt", "metro", "ha noi", "lua")] * 6
        urls += ["/search?q=duong+sat", "/", "/stories", "/entities/Hà Nội"] * 5
        with ThreadPoolExecutor(16) as ex:
            codes = list(ex.map(lambda u: c.get(u).status_code, urls))
    assert codes == [200] * len(urls)


def test_readers_are_a_bounded_pool(archive):
    from bantin.api.app import READER_THREADS

    with make_client(archive) as c:
        with ThreadPoolExecutor(24) as ex:
            list(ex.map(lambda i: c.get(f"/api/v1/search?q=duong+sat&limit={1 + i % 20}"), range(96)))
        made = len(c.app.app.state.readers._all)
    assert 1 <= made <= READER_THREADS


def test_reader_threads_as_configured(archive, monkeypatch):
    """``bantin serve --threads 1``: requests of one process are read one at a time, through one archive
    connection, however many clients ask at once — and all answered."""
    from bantin.archive import Bantin

    busy, most = [0], [0]
    lock = threading.Lock()
    real = Bantin.search_page

    def counted(self, *a, **kw):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        try:
            return real(self, *a, **kw)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(Bantin, "search_page", counted)
    with make_client(archive, reader_threads=1) as c:
        with ThreadPoolExecutor(16) as ex:
            codes = list(ex.map(lambda i: c.get(f"/api/v1/search?q=duong+sat&limit={1 + i % 20}").status_code,
                                range(48)))
        made = len(c.app.app.state.readers._all)
    assert codes == [200] * 48
    assert made == 1 and most[0] == 1


def test_mentions_of_articles_by_slices_or_by_a_pass():
    """The two ways of finding the mentions of some articles give the same mentions."""
    import numpy as np

    from bantin.browse import FacetIndex

    rng = np.random.default_rng(3)
    rowids = np.sort(rng.choice(10**6, 400, replace=False)).astype(np.int64)
    m_rows = rng.choice(rowids, 3000)
    idx = FacetIndex.build({"rowids": rowids, "outlet": np.full(400, -1, np.int32), "outlets": [],
                            "dup_rowid": np.zeros(0, np.int64), "dup_canonical": np.zeros(0, np.int64),
                            "mention_rowid": m_rows, "mention_eid": rng.integers(0, 50, 3000),
                            "mention_n": np.ones(3000, np.int64)})
    for k in (0, 1, 5, 99, 100, 101, 400):
        pos = np.sort(rng.choice(400, k, replace=False))
        got = np.sort(idx.mentions_of(pos))
        want = np.flatnonzero(np.isin(idx.m_idx, pos))
        assert np.array_equal(got, want), k


def test_top_counts_as_a_full_sort_gives_them():
    import numpy as np

    from bantin.browse import _top

    rng = np.random.default_rng(5)
    for n, k in [(1, 5), (10, 3), (1000, 12), (5000, 20), (300, 300), (2000, 12)]:
        counts = rng.integers(0, 6, n) * (rng.random(n) < (0.002 if n == 2000 else 0.8))  # many ties, zeros
        want = np.argsort(-counts, kind="stable")[:k]
        assert np.array_equal(_top(counts, k), want[counts[want] > 0])

"""Many requests at once, as 16 clients make them: each answered, a new query computed once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import web_fixtures as W
from api.conftest import make_client


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

"""`bantin serve --workers N`: the expensive reads answered by N search processes from one queue — the same answers
as one process gives, errors that stay errors, and a search process that dies costs no request."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from web_fixtures import make_client


def _ready(c, timeout: float = 90.0):
    pool = c.app.app.state.readers.pool  # SecurityHeaders wraps the FastAPI app
    deadline = time.monotonic() + timeout
    while not pool.ready:
        assert time.monotonic() < deadline, "the search processes did not start"
        time.sleep(0.1)
    return pool


QUESTIONS = [("/api/v1/search", {"q": "duong sat"}), ("/api/v1/search", {"q": "đường sắt", "sort": "date"}),
             ("/api/v1/search", {"q": "ha noi", "limit": 2}), ("/api/v1/entities", {"limit": 5}),
             ("/api/v1/stories", {}), ("/api/v1/rejects", {})]


@pytest.fixture(scope="module")
def pooled(built_archive):
    with make_client(built_archive, search_processes=2) as c:
        yield c


def test_search_processes_give_the_answers_one_process_gives(pooled, built_archive):
    pool = _ready(pooled)
    assert len(pool.pids()) == 2 and os.getpid() not in pool.pids()
    with make_client(built_archive) as alone:
        before = pool.answered
        for url, params in QUESTIONS:
            a, b = pooled.get(url, params=params), alone.get(url, params=params)
            assert a.status_code == b.status_code == 200, (url, a.text)
            ja, jb = a.json(), b.json()
            if isinstance(ja, dict):  # a cursor names the process that made it; the rest is the same
                ja.pop("next_cursor", None), jb.pop("next_cursor", None)
            assert ja == jb, url
        hit = alone.get("/api/v1/search", params={"q": "duong sat"}).json()["hits"][0]["id"]
        assert pooled.get(f"/api/v1/articles/{hit}").json() == alone.get(f"/api/v1/articles/{hit}").json()
        ent = alone.get("/api/v1/entities", params={"limit": 1}).json()[0]["name"]
        assert pooled.get(f"/api/v1/entities/{ent}").json() == alone.get(f"/api/v1/entities/{ent}").json()
        for path in ("/search?q=duong+sat", f"/articles/{hit}", f"/entities/{ent}"):
            assert pooled.get(path).status_code == 200, path
        # every question above went to the search processes (rejects_page included), not to this process
        assert pool.answered - before >= len(QUESTIONS) + 2 + 3


def test_paging_through_search_processes_meets_every_hit_once(pooled, built_archive):
    _ready(pooled)
    with make_client(built_archive) as alone:
        for sort in ("relevance", "date"):
            want = [h["id"] for h in alone.get("/api/v1/search", params={"q": "ha noi", "sort": sort,
                                                                          "limit": 100}).json()["hits"]]
            assert len(want) > 4
            got, cursor = [], None
            while True:
                r = pooled.get("/api/v1/search", params={"q": "ha noi", "sort": sort, "limit": 3,
                                                          **({"cursor": cursor} if cursor else {})}).json()
                got += [h["id"] for h in r["hits"]]
                cursor = r["next_cursor"]
                if not cursor:
                    break
            assert got == want, sort


def test_a_refused_query_is_the_same_400_through_a_search_process(pooled, built_archive):
    _ready(pooled)
    with make_client(built_archive) as alone:
        for params in ({"q": "-tau"}, {"q": "tau", "since": "2024-13-45"}):
            a, b = pooled.get("/api/v1/search", params=params), alone.get("/api/v1/search", params=params)
            assert a.status_code == b.status_code == 400 and a.json() == b.json(), params
        assert pooled.get("/search", params={"q": "-tau"}).status_code == 400


def test_a_search_process_that_dies_costs_no_request(pooled, built_archive):
    if not isinstance(built_archive, Path):
        pytest.skip("the SQLite leg shows it; the store does not matter here")
    pool = _ready(pooled)
    victim = pool.pids()[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.3)
    for _ in range(5):  # answered by this process's threads while the pool starts again
        r = pooled.get("/api/v1/search", params={"q": "duong sat"})
        assert r.status_code == 200 and r.json()["total"] >= 1
    pool = _ready(pooled)
    assert victim not in pool.pids() and len(pool.pids()) == 2
    before = pool.answered
    assert pooled.get("/api/v1/search", params={"q": "ga tau"}).status_code == 200
    assert pool.answered == before + 1


def test_search_processes_see_what_is_ingested_meanwhile(archive, tmp_path):
    import web_fixtures as W

    auth = {"Authorization": "Bearer t0k"}
    with make_client(archive, token="t0k", search_processes=2) as c:
        pool = _ready(c)
        before = c.get("/api/v1/search", params={"q": "pool-new"}).json()["total"]
        src = W.write_jsonl(tmp_path / "new.jsonl", W.more_rail(3, 12, "pool-new"))
        r = c.post("/api/v1/ingest", headers=auth, content=src.read_bytes(), params={"name": "new.jsonl"})
        assert r.status_code == 200 and r.json()["added"] == 3, r.text
        answered = pool.answered
        for _ in range(4):  # each search process, whichever answers, sees the three new articles
            r = c.get("/api/v1/search", params={"q": "pool-new", "sort": "date"}).json()
            assert r["total"] == before + 3
        assert pool.answered == answered + 4

"""Both stores give the same archive, and a PostgreSQL archive stays right with several writers and readers.

Every test here needs a PostgreSQL server (it skips with a message otherwise; `.ci/run` starts one)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

import bantin
from bantin.archive import Bantin
from conftest import BANTIN, SAMPLES
from dedup_fixtures import body, record, write_jsonl

QUERIES = ["thuy si", "Thụy Sĩ", "giá vàng", "gia vang", "hoa giai", "hòa giải", "metro", "Hà Nội", "ha noi",
           "\"tuyến metro\"", "metro -suối", "bão OR lũ", "thủ*", "tri tue nhan tao", "người dân", "xe máy",
           "đội tuyển", "bong da", "sạt lở", "du lịch"]


def corpus(tmp_path: Path, n: int = 300) -> Path:
    """Articles sharing a vocabulary (so ranking has work to do), some copies and near copies, some undated."""
    rng = random.Random(7)
    recs = []
    for i in range(n):
        paras = body(i % 240, rng.randint(2, 8))
        day = 1 + i % 27
        pub = None if i % 17 == 0 else f"2024-0{1 + i % 9}-{day:02d}T{8 + i % 10:02d}:00:00+07:00"
        title = " ".join(paras[0].split()[: rng.randint(4, 10)])
        recs.append(record(f"r{i}", title, paras, pub, outlet=["a.vn", "b.vn", "c.vn"][i % 3],
                           sapo=paras[-1] if i % 2 else None))
    return write_jsonl(tmp_path / "corpus.jsonl", recs)


def snapshot(b: Bantin) -> dict:
    """What a user can see of an archive, backend-neutral."""
    arts = {a.id: a.to_dict() for a in b.articles()}
    raws = {p.raw_sha256: b.store.get_raw(p.raw_sha256) for a in b.articles() for p in a.provenance}
    stats = {k: v for k, v in b.stats().items() if k not in ("db_path", "db_bytes", "schema_version")}
    stories = sorted((sorted(m["id"] for m in s.members), s.title, s.size, s.first_seen, s.last_seen)
                     for s in b.stories())
    groups = {}
    for i in arts:
        can, members = b.duplicates(i)
        groups[i] = (can.id if can else None, sorted((m.id, m.dup_kind, m.similarity) for m in members))
    searches = {q: [(h.id, h.tier, h.score, h.copies, h.snippet) for h in b.search(q, limit=10)] for q in QUERIES}
    searches["f"] = [h.id for h in b.search("người", since="2024-03-01", until="2024-05-31", outlet="B.VN")]
    return {"articles": arts, "raws": raws, "stats": stats, "stories": stories, "groups": groups,
            "rejects": [r.to_dict() for r in b.rejects()], "searches": searches,
            "entities": b.entities(limit=30), "entity": b.entity("Hà Nội")}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same inputs ingested into a SQLite file and a PostgreSQL archive (entities on the samples only, to
    keep it quick); shared by the tests that only read them."""
    from conftest import PgSchema

    tmp_path = tmp_path_factory.mktemp("pair")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "title": "Chỉ có tiêu đề"}\n{broken\n', encoding="utf-8")
    schema = PgSchema()
    out = []
    try:
        for path in (str(tmp_path / "a.db"), schema.url):
            with bantin.open(path) as b:
                b.ingest([str(SAMPLES)], workers=1)
                b.ingest([str(corpus(tmp_path)), str(bad)], workers=1, enrich=False)
            out.append(path)
        yield out
    finally:
        schema.drop()


def test_both_stores_hold_and_answer_the_same(pair):
    with bantin.open(pair[0]) as s, bantin.open(pair[1]) as p:
        a, b = snapshot(s), snapshot(p)
    assert a["stats"]["articles"] > 250 and a["rejects"] and a["stories"] and a["entities"]
    assert any(len(g[1]) > 1 for g in a["groups"].values())  # there are duplicate groups to compare
    for key in a:
        assert a[key] == b[key], key
    assert all(a["searches"][q] for q in QUERIES[:10])


def test_migrate_both_ways_loses_nothing(pair, tmp_path):
    sqlite_path, pg_path = pair
    back = str(tmp_path / "back.db")
    r = subprocess.run([BANTIN, "migrate", pg_path, back, "--json"], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    with bantin.open(sqlite_path) as s, bantin.open(back) as t:
        want, got = snapshot(s), snapshot(t)
        assert got == want
        # the crawl frontier and settings come along too
    from bantin.store.base import FrontierRow

    with bantin.open(back) as t:
        t.store.frontier_put([FrontierRow(url="https://x.vn/a", host="https://x.vn", hints={"title": "Tin"})],
                             raws=[("ab" * 32, b"<html>trang</html>")])
        t.store.meta_set("dedup.threshold", "0.8")
    # into a second PostgreSQL archive and back again
    from conftest import PgSchema

    second = PgSchema()
    try:
        r = subprocess.run([BANTIN, "migrate", back, second.url], capture_output=True)
        assert r.returncode == 0, r.stderr.decode()
        with bantin.open(back) as t, bantin.open(second.url) as u:
            assert snapshot(u) == snapshot(t)
            assert u.store.frontier_get(["https://x.vn/a"]) == t.store.frontier_get(["https://x.vn/a"])
            assert u.store.get_raw("ab" * 32) == b"<html>trang</html>"
            assert u.store.meta_get("dedup.threshold") == "0.8"
            # the copy is a working archive: new articles get fresh row ids and ids from the sequences
            u.ingest([str(write_jsonl(tmp_path / "new.jsonl", [record("new", "Bài mới hoàn toàn", body(999),
                                                                              "2025-01-01T08:00:00+07:00")]))])
            assert u.search("bai moi hoan toan")[0].title == "Bài mới hoàn toàn"
        # DEST must be empty
        r = subprocess.run([BANTIN, "migrate", back, second.url], capture_output=True)
        assert r.returncode == 2 and b"already holds" in r.stderr
    finally:
        second.drop()


def test_migrate_lists_every_table_of_both_schemas(tmp_path, pg_url):
    from bantin.migrate import NOT_COPIED, TABLES

    listed = {t for t, _c, _o in TABLES}
    with bantin.open(str(tmp_path / "a.db")) as s:
        names = {r[0] for r in s.store.con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    names = {n for n in names if not n.startswith(("lead_fts_", "text_fts_", "sqlite_"))}
    assert names - NOT_COPIED == listed
    with bantin.open(pg_url) as p:
        names = {r[0] for r in p.store.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    assert names - NOT_COPIED == listed


def _ingest(url: str, *paths: str, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    return subprocess.Popen([BANTIN, "--db", url, "ingest", *paths, "--no-enrich", "--workers", "1", "-q", "--json",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _bulk(tmp_path: Path, name: str, ids: range) -> Path:
    return write_jsonl(tmp_path / name, [record(f"k{i}", f"Bản tin số {i} về thời tiết", body(i, 3),
                                                f"2024-06-{1 + i % 28:02d}T07:{i % 60:02d}:00+07:00")
                                         for i in ids])


def test_overlapping_ingests_at_once_store_each_article_once(tmp_path, pg_url):
    a = _bulk(tmp_path, "a.jsonl", range(0, 2600))
    b = _bulk(tmp_path, "b.jsonl", range(1300, 3900))  # 1,300 articles in both files
    procs = [_ingest(pg_url, str(a)), _ingest(pg_url, str(b))]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()[-2000:]
    with bantin.open(pg_url) as db:
        assert db.stats()["articles"] == 3900
        ids = [x.external_id for x in db.articles()]
        assert sorted(ids) == sorted(f"k{i}" for i in range(3900))
        assert db.stats()["inputs"] == 5200  # both files' records are in the provenance
        shared = db.get(db.search("ban tin so 2000")[0].id)
        assert sorted(p.path for p in shared.provenance) == sorted([str(a), str(b)])
        assert db.store.dedup_stats()["pending"] == 0
        rowids = [r[0] for r in db.store.con.execute("SELECT rowid FROM articles")]
        assert len(rowids) == len(set(rowids))


def test_ingest_killed_halfway_then_run_again(tmp_path, pg_url):
    src = _bulk(tmp_path, "k.jsonl", range(0, 4000))
    p = _ingest(pg_url, str(src))
    with bantin.open(pg_url) as db:
        deadline = time.time() + 120
        while db.store.count() < 1000 and time.time() < deadline and p.poll() is None:
            time.sleep(0.05)
        p.send_signal(signal.SIGKILL)
        p.wait()
        partial = db.store.count()
    assert 0 < partial < 4000, "the ingest was not stopped halfway"
    again = _ingest(pg_url, str(src))
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()[-2000:]
    with bantin.open(pg_url) as db:
        assert sorted(a.external_id for a in db.articles()) == sorted(f"k{i}" for i in range(4000))
        assert db.stats()["inputs"] == 4000
        assert db.store.dedup_stats()["pending"] == 0


def test_readers_are_not_blocked_by_a_writer(tmp_path, pg_url):
    first = _bulk(tmp_path, "one.jsonl", range(0, 5))
    with bantin.open(pg_url) as w:
        w.ingest([str(first)])
    from bantin import pipeline
    from bantin.sources import expand_paths, read_inputs

    later = _bulk(tmp_path, "two.jsonl", range(100, 105))
    batch = pipeline.attach_dedup([pipeline.process(r, False) for r in read_inputs(expand_paths([str(later)]))])
    with bantin.open(pg_url) as w, bantin.open(pg_url) as r:
        with w.store.transaction():  # a writer holding the write lock with uncommitted articles
            w.store.put(batch)
            t0 = time.perf_counter()
            hits = r.search("ban tin so")
            seen = r.stats()["articles"]
            waited = time.perf_counter() - t0
            # a second writer waits for the lock, a reader never does
            other = threading.Thread(target=lambda: Bantin(pg_url).store.put(batch))
            other.start()
            time.sleep(0.5)
            assert other.is_alive()
        other.join(timeout=30)
        assert not other.is_alive()
        assert waited < 2.0 and seen == 5 and len(hits) == 5
        assert r.stats()["articles"] == 10


def test_bad_url_and_missing_driver_are_clear_messages(tmp_path):
    r = subprocess.run([BANTIN, "--db", "postgresql://u:secret@127.0.0.1:1/none", "stats"], capture_output=True,
                       timeout=60)
    assert r.returncode == 66  # the archive cannot be opened (README: exit statuses)
    assert b"cannot open archive postgresql://u:***@127.0.0.1:1/none" in r.stderr and b"secret" not in r.stderr
    assert b"Traceback" not in r.stderr
    env = {**os.environ, "BANTIN_DB": "postgresql://u@127.0.0.1:1/none"}
    r = subprocess.run([BANTIN, "stats"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 66 and b"cannot open archive postgresql://" in r.stderr


def test_one_crawl_per_postgresql_archive_and_the_lock_dies_with_its_session(pg_url):
    from bantin.store.base import ArchiveBusy
    from bantin.store.postgres import PostgresArchive

    a, b = PostgresArchive(pg_url), PostgresArchive(pg_url)
    with a.crawl_lock():
        with pytest.raises(ArchiveBusy, match="another crawl is running"):
            with b.crawl_lock():
                pass
        assert a.frontier_rows(run=1) == []
    with b.crawl_lock():
        pass
    cm = a.crawl_lock()
    cm.__enter__()
    a.con.close()  # the crawling process died without letting go
    # the server ends the dead session's locks once it has seen the connection go: soon, not at once
    deadline = time.monotonic() + 10
    while True:
        try:
            with b.crawl_lock():
                break
        except ArchiveBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    b.close()


def test_stats_name_every_outlet_on_both_stores(tmp_path, pg_url):
    """`bantin stats` counts every outlet on either store (PostgreSQL's store cut its list at 20 before spellings
    were merged, so `outlets_total` said 20), busiest first."""
    rng = random.Random(3)
    recs = [record(f"o{i}", f"Tin số {i} về giá lúa ở tỉnh thứ {i % 25}", body(i, 2), outlet=f"bao{i % 25:02d}.vn")
            for i in range(25 + 40)]
    rng.shuffle(recs)
    src = write_jsonl(tmp_path / "outlets.jsonl", recs)
    got = []
    for path in (str(tmp_path / "o.db"), pg_url):
        with bantin.open(path) as b:
            b.ingest([str(src)], workers=1, enrich=False)
            s = b.stats(top_outlets=100)
            got.append((s["outlets_total"], list(s["outlets"].items())))
    assert got[0][0] == 25 and len(got[0][1]) == 25 and got[0] == got[1]
    assert got[0][1][0] == ("bao00.vn", 3) and got[0][1][-1] == ("bao24.vn", 2)

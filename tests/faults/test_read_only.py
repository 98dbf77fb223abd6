"""A read-only archive (issue 15, item 19): on read-only media every read command works — whether or not the
-wal/-shm files exist — and every write command says the archive is read-only (exit 73), without a traceback."""

import json
import shutil
import sqlite3

import pytest

import bantin
from bantin.store.base import ArchiveReadOnly
from conftest import SAMPLES, run_cli
from faults.store_helpers import read_only_view

EXIT_READ_ONLY = 73

READS = [("stats", "--json"), ("search", "thuy si", "--json"), ("export", "-o", "-"), ("rejects", "--json"),
         ("stories", "--json"), ("entities", "--json")]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    d = tmp_path_factory.mktemp("ro") / "src"
    d.mkdir()
    run_cli("ingest", str(SAMPLES), "-q", db=d / "a.db", check=0)
    return d


def _reads_work(db, n):
    for args in READS:
        p = run_cli(*args, db=db)
        assert p.returncode == 0, (args, p.stderr.decode()[-1500:])
    assert json.loads(run_cli("stats", "--json", db=db).stdout)["articles"] == n
    assert json.loads(run_cli("search", "thuy si", "--json", db=db).stdout)
    some = json.loads(run_cli("export", db=db).stdout.splitlines()[0])["id"]
    run_cli("show", some, db=db, check=0)


def test_reads_work_and_writes_say_read_only(archive, tmp_path):
    n = json.loads(run_cli("stats", "--json", db=archive / "a.db").stdout)["articles"]
    assert not (archive / "a.db-wal").exists()  # closed cleanly: no WAL index to open, none can be made
    with read_only_view(archive, tmp_path / "ro") as ro:
        db = ro / "a.db"
        _reads_work(db, n)
        for args in (("ingest", str(SAMPLES / "dumps")), ("dedup",), ("reextract",)):
            p = run_cli(*args, db=db)
            err = p.stderr.decode()
            assert p.returncode == EXIT_READ_ONLY and "read-only" in err and "Traceback" not in err, (args, err)
        p = run_cli("ingest", str(SAMPLES / "dumps"), db=ro / "new.db")
        assert p.returncode == EXIT_READ_ONLY and "read-only" in p.stderr.decode()
        assert sorted(x.name for x in ro.iterdir()) == ["a.db"]  # reads created nothing

        with bantin.open(str(db), readonly=True) as b:
            assert b.stats()["articles"] == n and b.search("thuy si")
        with pytest.raises(ArchiveReadOnly, match="read-only"):
            bantin.open(str(db))


def test_reads_work_with_wal_and_shm_present(archive, tmp_path):
    """Copied while a writer had it open: the -wal holds committed changes, which reads must see."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(archive / "a.db", src / "a.db")
    n = json.loads(run_cli("stats", "--json", db=src / "a.db").stdout)["articles"]
    con = sqlite3.connect(src / "a.db")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("DELETE FROM articles WHERE rowid = (SELECT max(rowid) FROM articles)")
    con.commit()
    assert (src / "a.db-wal").stat().st_size > 0
    with read_only_view(src, tmp_path / "ro") as ro:
        _reads_work(ro / "a.db", n - 1)
    con.close()


def test_an_archive_opened_read_only_refuses_writes_before_working(archive, tmp_path):
    from bantin.store.base import ArchiveReadOnly as RO

    with bantin.open(str(archive / "a.db"), readonly=True) as b:
        n = b.stats()["articles"]
        for write in (lambda: b.ingest([str(SAMPLES / "dumps")]), lambda: b.dedup(rebuild=True),
                      lambda: b.reextract(), lambda: b.crawl(["http://127.0.0.1:9/"])):
            with pytest.raises(RO, match="opened read-only"):
                write()
        assert b.stats()["articles"] == n

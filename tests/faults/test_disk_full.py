"""Disk full (issue 15, item 18): a real full disk — a 3 MB tmpfs — under an ingest and while reading.

One clear message and its own exit status (74), no traceback; the archive stays intact; read commands keep
working while the disk stays full; the same ingest completes once there is space, adding each article once.
"""

import json
import subprocess

from conftest import SAMPLES, run_cli
from faults.store_helpers import counts, ids, tmpfs, write_news

EXIT_DISK_FULL = 74


def _one_clear_error(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode()
    assert "Traceback" not in err and "rollback" not in err, err
    assert err.count("Error:") == 1 and "full" in err, err
    return err


def test_ingest_on_a_full_disk_stops_cleanly_and_reads_keep_working(tmp_path):
    news = write_news(tmp_path / "news.jsonl", 3000)  # ~6 MB of text, ~18 MB stored: more than the disk holds
    with tmpfs(tmp_path / "disk", "6m") as disk:
        db = disk / "a.db"
        run_cli("ingest", str(SAMPLES / "dumps"), "-q", db=db, check=0)
        before = counts(db)

        p = run_cli("ingest", str(news), "--no-enrich", "-q", db=db)
        assert p.returncode == EXIT_DISK_FULL, (p.returncode, p.stderr.decode()[-2000:])
        assert "stopped after storing" in _one_clear_error(p)
        after = counts(db)
        assert after["integrity"]
        # the first batch (1,000 articles) fitted and is kept, whole; the next one was undone, whole
        assert after["articles"] == before["articles"] + 1000
        assert after["articles"] == after["distinct_ids"] == after["with_provenance"] == after["text_fts"]
        assert after["pending"] == 1000  # the duplicate check did not run: the next command does it

        # fill what is left: the disk stays full while we read
        with open(disk / "filler", "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        for args in (("stats", "--json"), ("search", "thuy si", "--json"), ("rejects", "--json"), ("stories",),
                     ("show", sorted(ids(db))[0], "--json")):
            r = run_cli(*args, db=db)
            assert r.returncode == 0, (args, r.stderr.decode()[-1500:])
        assert json.loads(run_cli("stats", "--json", db=db).stdout)["articles"] == after["articles"]
        out = tmp_path / "export.jsonl"  # export to another disk
        run_cli("export", "-o", str(out), db=db, check=0)
        assert len(out.read_bytes().splitlines()) == after["articles"]

        # writes on the full disk: the same clear message, whichever command
        for args in (("ingest", str(news), "--no-enrich", "-q"), ("dedup",), ("ingest", str(SAMPLES), "-q")):
            _one_clear_error(run_cli(*args, db=db, check=EXIT_DISK_FULL))
        assert counts(db) == after

        # space again: the same command completes; nothing is doubled
        (disk / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        run_cli("ingest", str(news), "--no-enrich", "-q", db=db, check=0)
        final = counts(db)
        assert final["integrity"] and final["pending"] == 0
        assert final["articles"] == before["articles"] + 3000 == final["distinct_ids"] == final["with_provenance"]
        assert final["provenance"] == final["articles"] and final["text_fts"] == final["lead_fts"] == 3000 + 5


def test_python_api_raises_archive_full(tmp_path):
    import pytest

    import bantin
    from bantin.store.base import ArchiveFull

    news = write_news(tmp_path / "news.jsonl", 3000)
    with tmpfs(tmp_path / "disk", "2m") as disk:
        with bantin.open(str(disk / "a.db")) as db:
            with pytest.raises(ArchiveFull, match="full"):
                db.ingest([str(news)], enrich=False, workers=1)
            n = db.stats()["articles"]
        with bantin.open(str(disk / "a.db"), readonly=True) as db:  # still readable
            assert db.stats()["articles"] == n

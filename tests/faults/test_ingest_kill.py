"""An ingest killed with SIGKILL (issue 15): whenever it dies — mid-batch, between batches, after the last batch
but before the duplicate check — running the same command again loses nothing and doubles nothing: the archive
ends with exactly the articles (same ids) a clean ingest makes, each checked for duplicates."""

import json
import os
import signal
import sqlite3
import subprocess
import time

from conftest import BANTIN, run_cli
from faults.store_helpers import counts, ids, write_news

N = 2500


def _stored(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _kill_when(db, news, stored_at_least: int) -> int:
    """Start an ingest, SIGKILL it (and its process group) once ``stored_at_least`` articles are committed."""
    proc = subprocess.Popen([BANTIN, "--db", str(db), "ingest", str(news), "--no-enrich", "-q", "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    n = 0
    while time.time() < deadline and proc.poll() is None:
        n = _stored(db)
        if n >= stored_at_least:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return _stored(db)


def test_killed_ingest_rerun_gives_the_clean_archive(tmp_path):
    news = write_news(tmp_path / "news.jsonl", N, seed=7, words=60)
    clean = tmp_path / "clean.db"
    run_cli("ingest", str(news), "--no-enrich", "-q", db=clean, check=0)
    expected = ids(clean)
    assert len(expected) == N

    db = tmp_path / "killed.db"
    first = _kill_when(db, news, 1)  # as soon as one batch is in
    assert 0 < first < N
    c = counts(db)
    assert c["integrity"] and c["articles"] == c["with_provenance"] == c["text_fts"] == c["lead_fts"] == first
    second = _kill_when(db, news, first + 1)  # killed again, later
    assert first <= second <= N

    run_cli("ingest", str(news), "--no-enrich", "-q", db=db, check=0)
    c = counts(db)
    assert ids(db) == expected
    assert c["integrity"] and c["pending"] == 0 and c["dedup_docs"] == N
    assert c["articles"] == c["distinct_ids"] == c["provenance"] == c["text_fts"] == c["lead_fts"] == N


def test_articles_stored_but_not_checked_are_checked_by_the_next_ingest(tmp_path):
    """A kill after the last batch and before the duplicate check leaves unchecked articles; re-running the ingest
    (which then adds nothing) must still check them."""
    news = write_news(tmp_path / "news.jsonl", 50, seed=3, words=40)
    db = tmp_path / "a.db"
    run_cli("ingest", str(news), "--no-enrich", "--no-dedup", "-q", db=db, check=0)  # the same state
    assert counts(db)["pending"] == 50
    rep = json.loads(run_cli("ingest", str(news), "--no-enrich", "-q", "--json", db=db, check=0).stdout)
    assert rep["added"] == 0 and rep["dedup"]["checked"] == 50
    assert counts(db)["pending"] == 0

"""Exit statuses are distinct and documented (issue 15, item 26): 0 ok, 1 rejected inputs / nothing by that id
or name, 2 usage, 66 archive cannot be opened, 73 read-only (tests/faults), 74 disk full (tests/faults)."""

import json
import math

import pytest

from conftest import SAMPLES, run_cli

EXIT_ARCHIVE = 66


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("x") / "a.db"
    run_cli("ingest", str(SAMPLES), "-q", db=db, check=0)
    return db


@pytest.mark.parametrize("cmd", [("ingest", str(SAMPLES / "dumps")), ("stats",), ("search", "ma"), ("dedup",)])
def test_a_directory_as_archive_is_exit_66(tmp_path, cmd):
    p = run_cli(*cmd, db=tmp_path)
    assert p.returncode == EXIT_ARCHIVE and "is a directory" in p.stderr.decode() and b"Traceback" not in p.stderr


@pytest.mark.parametrize("cmd", [("stats",), ("search", "ma"), ("export",), ("show", "abcdef12"), ("stories",)])
def test_reading_a_missing_archive_is_exit_66_and_creates_nothing(tmp_path, cmd):
    p = run_cli(*cmd, db=tmp_path / "none.db")
    assert p.returncode == EXIT_ARCHIVE and "no archive" in p.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_not_an_archive_is_exit_66(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("not a database " * 100)
    for cmd in (("stats",), ("ingest", str(SAMPLES / "dumps"))):
        p = run_cli(*cmd, db=f)
        assert p.returncode == EXIT_ARCHIVE and "not a bantin archive" in p.stderr.decode(), p.stderr


def test_unknown_entity_is_exit_1_with_and_without_json(archive):
    p = run_cli("entity", "Không Có Ai", db=archive)
    assert p.returncode == 1 and "no entity" in p.stdout.decode()
    p = run_cli("entity", "Không Có Ai", "--json", db=archive)
    assert p.returncode == 1 and json.loads(p.stdout) == []
    p = run_cli("show", "ffffffffffffffff", "--json", db=archive)
    assert p.returncode == 1


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-0.5", "1.5", "0"])
def test_dedup_threshold_out_of_range_is_a_usage_error(archive, value):
    before = run_cli("stats", "--json", db=archive).stdout
    p = run_cli("dedup", "--threshold", value, db=archive)
    assert p.returncode == 2 and "--threshold" in p.stderr.decode(), (value, p.stderr)
    assert run_cli("stats", "--json", db=archive).stdout == before


def test_library_errors_name_the_cli_option(archive):
    p = run_cli("search", "ma", "--since", "2024-13-45", db=archive)
    assert p.returncode == 2 and "--since" in p.stderr.decode()
    p = run_cli("entities", "--type", "nobody", db=archive)
    assert p.returncode == 2 and "--type" in p.stderr.decode() and "PER" in p.stderr.decode()
    assert run_cli("entities", "--type", "person", "--json", db=archive, check=0).stdout == \
        run_cli("entities", "--type", "PER", "--json", db=archive, check=0).stdout
    assert not math.isnan(json.loads(run_cli("dedup", "--json", db=archive, check=0).stdout)["threshold"])


def test_an_empty_file_or_another_apps_database_is_not_taken_over(tmp_path):
    import sqlite3

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    p = run_cli("stats", db=empty)
    assert p.returncode == EXIT_ARCHIVE and "not a bantin archive" in p.stderr.decode() and empty.stat().st_size == 0
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts(name TEXT)")
    con.commit()
    con.close()
    for cmd in (("stats",), ("ingest", str(SAMPLES / "dumps"))):
        p = run_cli(*cmd, db=other)
        assert p.returncode == EXIT_ARCHIVE and "not a bantin archive" in p.stderr.decode(), (cmd, p.stderr)
    names = {r[0] for r in sqlite3.connect(other).execute("SELECT name FROM sqlite_master")}
    assert names == {"contacts"}

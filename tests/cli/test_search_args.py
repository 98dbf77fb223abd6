"""`bantin search` takes a query that starts with "-" (issue 15, item 27): an exclusion, not options."""

import json

import pytest

from conftest import SAMPLES, run_cli


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("s") / "a.db"
    run_cli("ingest", str(SAMPLES), "-q", db=db, check=0)
    return db


def ids(p):
    assert p.returncode == 0, p.stderr.decode()
    return [h["id"] for h in json.loads(p.stdout)]


def test_leading_exclusion_is_query_text(archive):
    want = ids(run_cli("search", "--json", "--", "-vàng hà nội", db=archive))
    assert want  # the documented form
    assert ids(run_cli("search", "-vàng", "hà", "nội", "--json", db=archive)) == want
    assert ids(run_cli("search", "-vàng hà nội", "--json", db=archive)) == want
    assert ids(run_cli("search", "--json", "-vàng", "hà nội", db=archive)) == want
    # -h… and -n… words are not -h (help) and -n (limit)
    p = run_cli("search", "-hà", "nội", "--json", db=archive)
    assert p.returncode == 0 and not p.stdout.startswith(b"Usage")
    assert run_cli("search", "-nội", "hà", "--json", db=archive).returncode == 0


def test_options_still_work_around_the_query(archive):
    assert len(ids(run_cli("search", "hà nội", "-n", "1", "--json", db=archive))) == 1
    assert len(ids(run_cli("search", "-n1", "hà nội", "--json", db=archive))) == 1
    assert len(ids(run_cli("search", "--limit=1", "hà", "nội", "--json", db=archive))) == 1
    p = run_cli("search", "hà", "--limt", "2", db=archive)  # a mistyped long option is an error, not a word
    assert p.returncode == 2 and "No such option" in p.stderr.decode()
    assert run_cli("search", "-h", db=archive).stdout.startswith(b"Usage")
    assert run_cli("search", db=archive).returncode == 2

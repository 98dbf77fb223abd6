"""Replay the hand-written gold of the gathered outlet pages (tests/sources/fixtures/sites/MANIFEST.json + gold/).

The pages are not committed (they are the outlets'); they come from the shared data or from
``bench/fetch_pages.py`` (bench/pages, or $BANTIN_PAGES). Pages that are absent are skipped. A field that does not
match its gold fails the test unless it is one of the misses listed below with its reason (so a regression, or a
fix, shows up here).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bantin.model import Reject

ROOT = Path(__file__).resolve().parents[2]


def _bench_extract():
    """bench/extract.py, loaded by path: putting bench/ on sys.path would shadow the tests' `crawl` package with
    bench/crawl.py for every test collected after this one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "bench" / "extract.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_extract"] = mod
    spec.loader.exec_module(mod)
    return mod

#: (page id, field) → why bantin still gets it wrong.
KNOWN_MISSES: dict[tuple[str, str], str] = {}


def _pages() -> list[dict]:
    pages, _absent = _bench_extract().gathered_pages()
    return pages


PAGES = _pages() if (ROOT / "tests/sources/fixtures/sites/MANIFEST.json").exists() else []


@pytest.mark.eval
@pytest.mark.skipif(not PAGES, reason="no gathered page is here: run bench/fetch_pages.py (and set BANTIN_SHARED)")
@pytest.mark.parametrize("page", PAGES, ids=[p["id"] for p in PAGES])
def test_gathered_page_matches_its_gold(page: dict) -> None:
    extract = sys.modules.get("bench_extract") or _bench_extract()

    if page.get("sealed"):
        pytest.skip(f"sealed hold-out page: {page['sealed']}")
    got = extract.run_bantin(page["path"].read_bytes(), str(page["path"]))
    gold = page["gold"]
    if not gold["is_article"]:
        assert isinstance(got, Reject), f"{page['id']} is a {page['kind']} page but was read as an article"
        return
    assert not isinstance(got, Reject), got.reason
    fields = extract.bantin_fields(got)
    misses = {f: fields[f] for f in extract.FIELDS if f in gold and not extract.field_ok(f, gold[f], fields[f])}
    unexpected = {f: v for f, v in misses.items() if (page["id"], f) not in KNOWN_MISSES}
    assert not unexpected, json.dumps(unexpected, ensure_ascii=False)[:800]
    fixed = [f for (pid, f) in KNOWN_MISSES if pid == page["id"] and f not in misses]
    assert not fixed, f"now right, drop from KNOWN_MISSES: {fixed}"

"""The seed document and the shared VietNews files, through the real command (skipped without ../shared)."""

import json

import pytest

from conftest import needs_shared, run_cli

pytestmark = pytest.mark.eval


def test_seed_ingests_to_exactly_one_clean_article(db):
    seed = needs_shared("seeds", "000_c97eb5e13326f596.txt")
    rep = json.loads(run_cli("ingest", str(seed), "--json", db=db, check=0).stdout)
    assert rep["added"] == 1
    [line] = run_cli("export", db=db, check=0).stdout.splitlines()
    a = json.loads(line)
    text = seed.read_text(encoding="utf-8").splitlines()
    assert a["title"] == text[0].strip()
    assert a["published_at"] == "2024-05-16T14:51:00+07:00"
    assert a["views"] == 235
    assert a["sapo_truncated"] is True and not a["sapo"].endswith(("...", "…"))
    assert text[3].startswith(a["sapo"])
    body = [ln.strip() for ln in text[4:] if ln.strip()]
    half = len(body) // 2
    assert body[:half] == body[half:]  # the input really prints its body twice
    assert a["paragraphs"] == body[:half]  # once each, in order
    for q in ["doi thoai AI", "đối thoại AI", "thuỵ sĩ", "Thụy Sĩ", "thuy si"]:
        hits = json.loads(run_cli("search", q, "--json", db=db, check=0).stdout)
        assert [h["id"] for h in hits] == [a["id"]], q


def test_vietnews_sample_ingests_with_the_mapping(db, tmp_path):
    import gzip

    src = needs_shared("data", "vietnews", "val.jsonl.gz")
    sample = tmp_path / "val_sample.jsonl.gz"
    with gzip.open(src, "rb") as f, gzip.open(sample, "wb") as out:
        for i, line in enumerate(f):
            if i >= 2000:
                break
            out.write(line)
    rep = json.loads(run_cli("ingest", str(sample), "--map", "sapo=abstract,body=body", "--json", "--no-enrich",
                             db=db).stdout)
    assert rep["read"] == 2000 and rep["rejected"] == 0
    assert rep["added"] + rep["already_there"] == 2000
    hits = json.loads(run_cli("search", "cong an", "--json", "--limit", "5", db=db, check=0).stdout)
    assert len(hits) == 5

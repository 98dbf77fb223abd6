"""Entities through the real command: annotate, ingest with enrichment, facets."""

import json

from conftest import SAMPLES, SEED_LIKE, run_cli


def lines(p):
    return [json.loads(x) for x in p.stdout.splitlines()]


def test_annotate_plain_and_jsonl_offsets_are_into_each_line():
    text = "Chủ tịch Trung Quốc Tập Cận Bình gặp Tổng thống Mỹ Joe Biden.\n{\"text\": \"Ông Bân nói ở Hà Nội hôm qua.\", \"published_at\": \"2024-05-16T14:51:00+07:00\", \"id\": \"x\"}\n"
    out = lines(run_cli("annotate", "--json", input=text.encode(), check=0))
    assert [o["line"] for o in out] == [1, 2]
    first = out[0]
    for e in first["entities"]:
        assert first["text"][e["start"]:e["end"]] == e["text"]
    assert {(e["text"], e["type"]) for e in first["entities"]} >= {("Tập Cận Bình", "PER"), ("Joe Biden", "PER")}
    second = out[1]
    assert second["id"] == "x" and second["text"].startswith("Ông Bân")
    assert any(d["value"].startswith("2024-05-15") for d in second["dates"])  # "hôm qua" from published_at


def test_annotate_edge_inputs_return_cleanly(tmp_path):
    big = ("Thủ tướng Phạm Minh Chính làm việc tại Hà Nội. " * 25000)[:1_000_000]
    odd = ["", "No Vietnamese here, just English from London and Paris.", "混合文字 Москва ✓ 😀 Hà Nội",
           "\x00\x01 control", big]
    src = tmp_path / "in.txt"
    src.write_text("\n".join(odd) + "\n", encoding="utf-8")
    out = lines(run_cli("annotate", str(src), "--json", check=0))
    assert len(out) == len(odd)
    for o in out:
        for e in o["entities"]:
            assert o["text"][e["start"]:e["end"]] == e["text"]
    assert out[0]["entities"] == []
    assert any(e["name"] == "Hà Nội" for e in out[2]["entities"])
    assert len(out[4]["entities"]) > 1000


def test_ingest_enriches_and_entities_are_facets(db, tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_text(SEED_LIKE, encoding="utf-8")
    run_cli("ingest", str(SAMPLES), str(seed), db=db, check=0)
    top = json.loads(run_cli("entities", "--json", "--type", "LOC", db=db, check=0).stdout)
    assert all(r["type"] == "LOC" for r in top) and {"Hà Nội", "Trung Quốc"} <= {r["name"] for r in top}
    # an alias finds the canonical entity; the facet narrows a search
    prof = json.loads(run_cli("entity", "Hoa Kỳ", "--json", db=db, check=0).stdout)
    assert prof and prof[0]["name"] == "Mỹ" and prof[0]["articles"] >= 1
    hits = json.loads(run_cli("search", "AI", "--entity", "Trung Quốc", "--json", db=db, check=0).stdout)
    assert hits and all("Trung Quốc" in json.loads(run_cli("show", h["id"], "--json", db=db).stdout)["annotations"]
                        ["entities"].__repr__() for h in hits)
    none = json.loads(run_cli("search", "AI", "--entity", "Không Ai Cả", "--json", db=db, check=0).stdout)
    assert none == []
    a = json.loads(run_cli("show", hits[0]["id"], "--json", db=db).stdout)
    assert a["versions"]["ner"]
    assert run_cli("entity", "Không Ai Cả", db=db).returncode == 1


def test_no_enrich_skips_entities(db):
    run_cli("ingest", str(SAMPLES / "dumps"), "--no-enrich", db=db, check=0)
    assert json.loads(run_cli("entities", "--json", db=db, check=0).stdout) == []


def test_annotate_answers_a_line_whose_id_cannot_be_written_back_and_goes_on():
    deep = "[" * 300 + "]" * 300  # orjson reads 300 levels but writes at most 254
    text = '{"text": "Hà Nội", "id": ' + deep + '}\n{"text": "Ông Bân ở Đà Nẵng.", "id": 7}\n'
    p = run_cli("annotate", "--json", input=text.encode(), check=0)
    err = p.stderr.decode()
    assert "Traceback" not in err and "line 1:" in err and '"id"' in err
    out = lines(p)
    assert [o["line"] for o in out] == [1, 2]
    assert "id" not in out[0] and out[0]["error"].startswith("id not written")
    assert any(e["text"] == "Hà Nội" for e in out[0]["entities"])
    assert out[1]["id"] == 7 and "error" not in out[1]

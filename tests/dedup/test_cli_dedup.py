"""`bantin dedup`, `stories`, `story`, and the duplicate/story parts of `show` and `search`, run for real."""

import json

from conftest import run_cli
from dedup_fixtures import body, record, write_jsonl


def j(p):
    return json.loads(p.stdout)


def _data(tmp_path):
    paras = ["Mưa lớn gây lũ quét tại Lào Cai, nhiều tuyến đường bị chia cắt, người dân được sơ tán khẩn cấp."] \
        + body(21, 8)
    recs = [record("n1", "Lũ quét ở Lào Cai", paras, "2024-09-10T08:00:00+07:00", outlet="a.vn",
                   url="https://a.vn/lu-quet-lao-cai.html"),
            record("n2", "Lào Cai: lũ quét", paras, "2024-09-10T11:00:00+07:00", outlet="b.vn"),
            record("n3", "Lũ quét <b>Lào Cai</b>", paras[:-1], "2024-09-10T12:00:00+07:00", outlet="c.vn"),
            record("n4", "Giá vàng tăng", ["Giá vàng miếng SJC tăng mạnh phiên sáng nay.",
                                           "Các doanh nghiệp kinh doanh kim loại quý điều chỉnh bảng giá.",
                                           "Chênh lệch với thế giới vẫn ở mức cao."],
                   "2024-09-10T09:00:00+07:00", outlet="a.vn")]
    return write_jsonl(tmp_path / "in.jsonl", recs)


def test_ingest_runs_dedup_and_commands_show_it(db, tmp_path):
    p = run_cli("ingest", str(_data(tmp_path)), db=db, check=0)
    assert b"duplicates: exact 1" in p.stdout and b"near 1" in p.stdout
    rep = j(run_cli("dedup", "--json", db=db, check=0))
    assert rep["checked"] == 0  # ingest already did it
    hits = j(run_cli("search", "lu quet lao cai", "--json", db=db, check=0))
    assert len(hits) == 1 and hits[0]["copies"] == 3
    out = run_cli("search", "lu quet", db=db, check=0).stdout.decode()
    assert "3 copies" in out
    stories = j(run_cli("stories", "--json", db=db, check=0))
    flood = next(s for s in stories if s["size"] == 3)
    assert {m["external_id"] for m in flood["members"]} == {"n1", "n2", "n3"}
    assert all(set(m) >= {"id", "external_id", "duplicate_of"} for m in flood["members"])
    one = j(run_cli("story", str(flood["id"]), "--json", db=db, check=0))
    assert one == flood
    text = run_cli("story", str(flood["id"]), db=db, check=0).stdout.decode()
    assert "copy of" in text and "<b>Lào Cai</b>" in text  # shown as text, not markup
    canon = hits[0]["id"]
    shown = j(run_cli("show", canon, "--json", db=db, check=0))
    assert shown["duplicates"]["canonical"] == canon and len(shown["duplicates"]["members"]) == 3
    assert shown["story"] == flood["id"]
    kinds = sorted(str(m["kind"]) for m in shown["duplicates"]["members"])
    assert kinds == ["None", "exact", "near"]
    human = run_cli("show", canon, db=db, check=0).stdout.decode()
    assert "3 copies of this text (canonical copy)" in human and f"story: {flood['id']}" in human


def test_stories_since_and_missing_story(db, tmp_path):
    run_cli("ingest", str(_data(tmp_path)), db=db, check=0)
    assert j(run_cli("stories", "--since", "2025-01-01", "--json", db=db, check=0)) == []
    assert len(j(run_cli("stories", "--since", "2024-09-01", "--json", db=db, check=0))) == 2
    assert len(j(run_cli("stories", "--min-size", "2", "--json", db=db, check=0))) == 1
    p = run_cli("stories", "--since", "hôm qua", db=db)
    assert p.returncode == 2 and b"Traceback" not in p.stderr
    p = run_cli("story", "9999", db=db)
    assert p.returncode == 1 and b"no story" in p.stderr
    assert "Lũ quét" in run_cli("stories", db=db, check=0).stdout.decode()


def test_no_dedup_then_dedup_and_threshold(db, tmp_path):
    rep = j(run_cli("ingest", str(_data(tmp_path)), "--no-dedup", "--json", db=db, check=0))
    assert "dedup" not in rep
    assert j(run_cli("search", "lu quet lao cai", "--json", db=db, check=0))[0]["copies"] == 1
    rep = j(run_cli("dedup", "--json", db=db, check=0))
    assert rep["checked"] == 4 and rep["exact"] == 1 and rep["near"] == 1
    assert j(run_cli("dedup", "--json", db=db, check=0))["checked"] == 0
    rep = j(run_cli("dedup", "--threshold", "0.95", "--json", db=db, check=0))
    assert rep["checked"] == 4 and rep["near"] == 0 and rep["threshold"] == 0.95
    assert b"checked 0" in run_cli("dedup", db=db, check=0).stdout
    p = run_cli("dedup", "--threshold", "7", db=db)
    assert p.returncode == 2

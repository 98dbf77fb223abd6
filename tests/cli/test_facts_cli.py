"""Facts through the real command: annotate --json, ingest → show, quotes, entity quotes, search --topic."""

import json

from conftest import run_cli

# lines of the seed article (the project's first document), shortened
SEED_FACTS = """Mỹ và Trung Quốc lần đầu tiên tổ chức đối thoại liên chính phủ về AI
16/05/2024 - 14:51
Mỹ và Trung Quốc lần đầu tiên tổ chức đối thoại liên chính phủ về trí tuệ nhân tạo (AI) tại Geneva, Thụy Sĩ.
Hai bên tái khẳng định cam kết thực hiện sự đồng thuận đạt được tại hội nghị thượng đỉnh hồi tháng 11 năm ngoái giữa Chủ tịch Trung Quốc Tập Cận Bình và Tổng thống Mỹ Joe Biden.
Người phát ngôn Bộ Ngoại giao Trung Quốc Uông Văn Bân nhấn mạnh: “Trung Quốc và Mỹ tổ chức cuộc đối thoại liên chính phủ đầu tiên về AI ở Geneva, Thụy Sĩ vào ngày 14/5 theo giờ địa phương”.
Người phát ngôn Nhà Trắng Adrienne Watson nêu ra những quan ngại về việc Trung Quốc "lạm dụng" trí tuệ nhân tạo.
Một nhóm thượng nghị sĩ của Mỹ hôm qua đã kêu gọi Quốc hội phê duyệt 32 tỷ USD tài trợ cho nghiên cứu trí tuệ nhân tạo (AI). Đầu tháng này, Mỹ đã kêu gọi Trung Quốc và Nga cam kết không sử dụng AI trong việc ra quyết định về vũ khí hạt nhân.
"""


def _facts_ok(res: dict, text: str, resolved: bool) -> None:
    for key in ("dates", "amounts", "quotes"):
        for x in res[key]:
            assert text[x["start"]:x["end"]] == x["text"], (key, x)
    dates = {d["text"]: (d["value"], d["part"]) for d in res["dates"]}
    if resolved:
        assert dates["ngày 14/5"] == ("2024-05-14", None)
        assert dates["tháng 11 năm ngoái"] == ("2023-11", None)
        assert dates["hôm qua"] == ("2024-05-15", None)
        assert dates["Đầu tháng này"] == ("2024-05", "early")
    else:  # nothing to resolve against: reported, never guessed
        assert dates["hôm qua"] == (None, None) and dates["ngày 14/5"] == (None, None)
    assert [(a["text"], a["value"], a["unit"]) for a in res["amounts"]] == [("32 tỷ USD", 32_000_000_000, "USD")]
    [q] = res["quotes"]  # "lạm dụng" is a scare quote, not a quote
    assert (q["speaker"], q["speaker_role"]) == ("Uông Văn Bân", "Người phát ngôn Bộ Ngoại giao Trung Quốc")
    assert q["text"].startswith("Trung Quốc và Mỹ tổ chức")
    assert res["topic"] in ("Thế giới", "Công nghệ")
    assert res["keywords"] and res["summary"]


def test_annotate_json_gives_every_fact_with_offsets():
    text = "\n".join(SEED_FACTS.splitlines()[2:])
    line = json.dumps({"text": text, "published_at": "2024-05-16T14:51:00+07:00"}, ensure_ascii=False)
    [with_ref, without] = [json.loads(x) for x in run_cli("annotate", "--json", input=(
        line + "\n" + json.dumps({"text": text}, ensure_ascii=False) + "\n").encode(), check=0).stdout.splitlines()]
    _facts_ok(with_ref, text, resolved=True)
    _facts_ok(without, text, resolved=False)
    assert {"entities", "dates", "amounts", "quotes", "topic", "keywords", "summary"} <= set(with_ref)


def test_ingest_show_quotes_entity_and_topic_filter(db, tmp_path):
    src = tmp_path / "seed.txt"
    src.write_text(SEED_FACTS, encoding="utf-8")
    run_cli("ingest", str(src), db=db, check=0)
    [hit] = json.loads(run_cli("search", "AI", "--json", db=db, check=0).stdout)
    a = json.loads(run_cli("show", hit["id"], "--json", db=db, check=0).stdout)
    ann = a["annotations"]
    body = "\n".join(a["paragraphs"])
    fields = {"title": a["title"], "sapo": a["sapo"] or "", "body": body}
    for key in ("dates", "amounts", "quotes"):
        for x in ann[key]:
            assert fields[x["field"]][x["start"]:x["end"]] == x["text"]
    assert {d["text"]: d["value"] for d in ann["dates"]}["hôm qua"] == "2024-05-15"  # from published_at
    assert hit["topic"] == ann["topic"] in ("Thế giới", "Công nghệ")
    shown = run_cli("show", hit["id"], db=db, check=0).stdout.decode()
    assert "Uông Văn Bân" in shown and "topic:" in shown and "32 tỷ USD" in shown

    qs = json.loads(run_cli("quotes", "--json", db=db, check=0).stdout)
    assert [(q["speaker"], q["id"]) for q in qs] == [("Uông Văn Bân", hit["id"])]
    assert json.loads(run_cli("quotes", "--speaker", "uong van ban", "--json", db=db, check=0).stdout) == qs
    assert json.loads(run_cli("quotes", "--speaker", "Không Ai Cả", "--json", db=db, check=0).stdout) == []
    assert json.loads(run_cli("quotes", "--since", "2030-01-01", "--json", db=db, check=0).stdout) == []
    assert run_cli("quotes", "--since", "yesterday", db=db).returncode == 2
    assert "Uông Văn Bân" in run_cli("quotes", db=db, check=0).stdout.decode()
    [prof] = json.loads(run_cli("entity", "Uông Văn Bân", "--json", db=db, check=0).stdout)
    assert [q["text"] for q in prof["quotes"]] == [qs[0]["text"]]

    topic = ann["topic"]
    folded = {"Thế giới": "the gioi", "Công nghệ": "cong nghe"}[topic]
    assert json.loads(run_cli("search", "AI", "--topic", folded, "--json", db=db, check=0).stdout)[0]["id"] == hit["id"]
    assert json.loads(run_cli("search", "AI", "--topic", "Thể thao", "--json", db=db, check=0).stdout) == []
    bad = run_cli("search", "AI", "--topic", "nope", db=db)
    assert bad.returncode == 2 and b"not a topic" in bad.stderr
    stats = json.loads(run_cli("stats", "--json", db=db, check=0).stdout)
    assert stats["topics"] == {topic: 1}


def test_no_enrich_stores_no_facts(db, tmp_path):
    src = tmp_path / "seed.txt"
    src.write_text(SEED_FACTS, encoding="utf-8")
    run_cli("ingest", str(src), "--no-enrich", db=db, check=0)
    assert json.loads(run_cli("quotes", "--json", db=db, check=0).stdout) == []
    [hit] = json.loads(run_cli("search", "AI", "--json", db=db, check=0).stdout)
    assert hit["topic"] is None

"""Per-outlet boilerplate learning, and stories grouped by text and time."""

import json
import sqlite3

import bantin
from bantin.dedup import boilerplate
from dedup_fixtures import body, record, write_jsonl

FOOTER = "Mời quý độc giả đón đọc số báo in ngày mai của chúng tôi"
PROMPT = "Bấm theo dõi kênh để không bỏ lỡ tin nóng"


def _outlet_batch(n: int, start: int = 0) -> list[dict]:
    recs = []
    for i in range(start, start + n):
        paras = body(1000 + i, 8)
        recs.append(record(f"o{i}", f"Tin số {i}", [PROMPT] + paras + [FOOTER] if i % 3 else paras + [FOOTER],
                           f"2024-0{1 + i % 9}-1{i % 10}T08:00:00+07:00", outlet="baomau.vn"))
    rare = body(5000, 8)
    for i in range(2):  # a line two articles share is not boilerplate
        recs.append(record(f"r{i}", f"Hiếm {i}", body(6000 + i, 6) + [rare[0]], "2024-03-01T08:00:00+07:00",
                           outlet="baomau.vn"))
    return recs


def test_boilerplate_learned_removed_from_clean_text_not_raw(tmp_path):
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        rep = b.ingest(str(write_jsonl(tmp_path / "a.jsonl", _outlet_batch(40))))
        assert rep.dedup["boilerplate_outlets"] == ["baomau.vn"]
        ids = dict(b.store.con.execute("SELECT external_id, id FROM articles"))
        a = b.get(ids["o1"])
        assert FOOTER not in a.paragraphs and PROMPT not in a.paragraphs
        assert "boilerplate-removed:2" in a.flags
        bp = a.annotations["boilerplate"]
        assert bp["version"].startswith(boilerplate.BP_VERSION) and [0, PROMPT] in bp["removed"]
        assert FOOTER.encode() in b.raw(a)  # raw untouched
        assert any(body(5000, 8)[0] in b.get(ids[f"r{i}"]).paragraphs for i in range(2))
        # the full-text index follows the clean text
        assert b.search('"đón đọc số báo in"') == []
        assert len(b.search("tin so", limit=100)) == 40
        # later articles of the outlet get the learned set as they arrive
        rep = b.ingest(str(write_jsonl(tmp_path / "b.jsonl", _outlet_batch(3, start=100))))
        ids = dict(b.store.con.execute("SELECT external_id, id FROM articles"))
        assert FOOTER not in b.get(ids["o101"]).paragraphs


def test_boilerplate_reapplied_exactly_when_the_set_changes(tmp_path):
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "a.jsonl", _outlet_batch(40))))
        ids = dict(b.store.con.execute("SELECT external_id, id FROM articles"))
        first = b.get(ids["o1"])
        # a new recurring line appears in many later articles: the set grows, old removals are replayed
        later = []
        for i in range(200, 240):
            later.append(record(f"o{i}", f"Tin {i}", body(i, 6) + ["Ảnh: Báo Mẫu", FOOTER],
                                "2024-04-01T08:00:00+07:00", outlet="baomau.vn"))
        b.ingest(str(write_jsonl(tmp_path / "b.jsonl", later)))
        again = b.get(ids["o1"])
        assert again.paragraphs == first.paragraphs  # o1 has no "Ảnh:" line: same text, new version
        assert again.annotations["boilerplate"]["version"] != first.annotations["boilerplate"]["version"]
        assert "Ảnh: Báo Mẫu" not in b.get(dict(b.store.con.execute(
            "SELECT external_id, id FROM articles"))["o201"]).paragraphs


def flood(seed: int, place: str, when: str, outlet: str, n: int) -> dict:
    paras = [f"Mưa lớn kéo dài nhiều ngày gây lũ quét và sạt lở đất nghiêm trọng tại {place}.",
             f"Theo Ban chỉ huy phòng chống thiên tai tỉnh {place}, nước lũ dâng cao làm ngập hàng nghìn ngôi nhà.",
             f"Lực lượng cứu hộ đã sơ tán người dân vùng lũ {place} đến nơi an toàn, nhiều tuyến đường bị chia cắt.",
             ] + body(seed, 2)
    return record(f"f{n}", f"Lũ quét gây thiệt hại nặng ở {place}", paras, when, outlet=outlet)


def test_stories_group_by_text_within_a_time_window(tmp_path):
    recs = [flood(1, "Quảng Bình", "2023-10-10T08:00:00+07:00", "a.vn", 1),
            flood(2, "Quảng Bình", "2023-10-11T09:00:00+07:00", "b.vn", 2),
            flood(3, "Quảng Bình", "2023-10-12T10:00:00+07:00", "c.vn", 3),
            flood(4, "Quảng Bình", "2024-10-10T08:00:00+07:00", "a.vn", 4),  # a year later: another flood
            flood(5, "Quảng Bình", "2024-10-11T08:00:00+07:00", "b.vn", 5),
            record("gold", "Giá vàng tăng mạnh", ["Giá vàng trong nước tăng mạnh theo thế giới."] + body(9, 4),
                   "2023-10-11T08:00:00+07:00", outlet="a.vn"),
            record("copy", "Lũ quét Quảng Bình", flood(1, "Quảng Bình", "", "", 0)["body"].split("\n"),
                   "2023-10-10T12:00:00+07:00", outlet="d.vn"),
            record("nodate", "Lũ quét gây thiệt hại nặng ở Quảng Bình", body(3, 4))]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        rep = b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
        assert rep.dedup["undated"] == 1
        stories = b.stories()
        of = {m["external_id"]: s.id for s in stories for m in s.members}
        assert of["f1"] == of["f2"] == of["f3"] == of["copy"]
        assert of["f4"] == of["f5"] != of["f1"]
        assert of["gold"] not in (of["f1"], of["f4"])
        assert "nodate" not in of
        s = b.story(of["f1"])
        assert s.size == 4 and s.outlets == ["a.vn", "b.vn", "c.vn", "d.vn"]
        assert s.first_seen == "2023-10-10T08:00:00+07:00" and s.last_seen == "2023-10-12T10:00:00+07:00"
        copy = next(m for m in s.members if m["external_id"] == "copy")
        assert copy["duplicate_of"] is not None
        assert "Quảng Bình" in s.title
        assert [x.id for x in b.stories(since="2024-01-01")] == [of["f4"]]


def test_story_joins_incrementally_and_rerun_is_stable(tmp_path):
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "a.jsonl", [flood(1, "Hà Giang", "2024-07-01T08:00:00+07:00", "a.vn", 1)])))
        r = b.ingest(str(write_jsonl(tmp_path / "b.jsonl",
                                     [flood(2, "Hà Giang", "2024-07-02T08:00:00+07:00", "b.vn", 2)])))
        assert r.dedup["stories_joined"] == 1 and r.dedup["stories_opened"] == 0
        before = [s.to_dict() for s in b.stories()]
        assert b.dedup().checked == 0 and [s.to_dict() for s in b.stories()] == before
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_entities_when_present_move_articles_closer():
    from bantin.dedup.features import story_vector

    a = story_vector("Họp báo", None, body(1, 3), {"entities": [{"text": "Nguyễn Văn An"}, {"text": "Hà Nội"}]})
    b = story_vector("Họp báo", None, body(2, 3), {"entities": [{"text": "Nguyễn Văn An"}, {"text": "Hà Nội"}]})
    a0 = story_vector("Họp báo", None, body(1, 3))
    b0 = story_vector("Họp báo", None, body(2, 3))

    def cos(x, y):
        dx = dict(zip(x[0].tolist(), x[1].tolist()))
        return sum(w * dx.get(t, 0.0) for t, w in zip(y[0].tolist(), y[1].tolist()))

    assert cos(a, b) > cos(a0, b0)
    assert json.dumps([float(w) for w in a[1]])  # plain floats, L2-normalised
    assert abs(sum(float(w) ** 2 for w in a[1]) - 1.0) < 1e-4


def test_entity_offsets_follow_the_text_when_boilerplate_is_removed(tmp_path):
    """Removing a learned line shifts the body: entity offsets and the entity index must follow it."""
    people = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Phạm Minh Tuấn"]
    places = ["Nghệ An", "Quảng Ninh", "Đồng Nai", "Lâm Đồng", "Cà Mau"]
    recs = []
    for i in range(40):
        named = (f"Ông {people[i % 4]}, Chủ tịch UBND tỉnh {places[i % 5]}, cho biết sẽ kiểm tra lại lô hàng 5 tấn "
                 f"số {i} vào ngày 14/5.")
        paras = [PROMPT] + body(2000 + i, 4) + [named, FOOTER]
        recs.append(record(f"e{i}", f"Tin {i}", paras, f"2024-05-{1 + i % 28:02d}T08:00:00+07:00",
                           outlet="baomau.vn"))
    with bantin.open(str(tmp_path / "a.db")) as b:
        b.ingest(str(write_jsonl(tmp_path / "a.jsonl", recs)))
        ids = dict(b.store.con.execute("SELECT external_id, id FROM articles"))
        a = b.get(ids["e4"])
        assert PROMPT not in a.paragraphs and "boilerplate-removed:2" in a.flags
        text = "\n".join(a.paragraphs)
        ents = [m for m in a.annotations["entities"] if m["field"] == "body"]
        assert ents, "the article's named people/places/organisations were found"
        for m in ents:
            assert text[m["start"]:m["end"]] == m["text"], m
        assert any(m["text"] == "Nguyễn Văn An" for m in ents)
        for key in ("quotes", "dates", "amounts"):  # the facts' offsets follow the text too
            found = [m for m in a.annotations[key] if m["field"] == "body"]
            assert found, key
            for m in found:
                assert text[m["start"]:m["end"]] == m["text"], (key, m)
        assert len(b.search("kiem tra", entity="Nguyễn Văn An", limit=100)) == 10


def test_entity_counts_count_a_copied_text_once(tmp_path):
    text = ["Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng cho biết ngân sách năm nay tăng thu.",
            "Ông Thắng nói thêm rằng chi đầu tư công sẽ được đẩy nhanh trong quý bốn."]
    recs = [record("c1", "Ngân sách tăng thu", text, "2024-10-01T08:00:00+07:00", outlet="a.vn"),
            record("c2", "Ngân sách tăng thu mạnh", text, "2024-10-01T09:00:00+07:00", outlet="b.vn"),
            record("c3", "Chuyện khác", ["Ông Nguyễn Văn Thắng dự hội nghị ở Hà Nội sáng nay."] + body(7, 3),
                   "2024-10-05T08:00:00+07:00", outlet="a.vn")]
    with bantin.open(str(tmp_path / "a.db")) as b:
        rep = b.ingest(str(write_jsonl(tmp_path / "a.jsonl", recs)))
        assert rep.dedup["exact"] == 1
        top = {(e["name"], e["type"]): e for e in b.entities(limit=50)}
        assert top[("Nguyễn Văn Thắng", "PER")]["articles"] == 2  # c1 and c3; c2 is a copy of c1
        prof = b.entity("Nguyễn Văn Thắng")[0]
        assert prof["articles"] == 2


def test_quotes_table_follows_the_text_when_boilerplate_is_removed(tmp_path, archive_path):
    """A learned line that reads as a quote leaves the `quotes` table with the line (bantin quotes, bantin entity),
    and the article's real quotes stay — in both stores."""
    sign_off = "“Báo Mẫu luôn lắng nghe ý kiến của bạn đọc”, Ban biên tập cho biết."
    people = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Phạm Minh Tuấn"]
    recs = []
    for i in range(40):
        said = f"Ông {people[i % 4]} cho biết đơn vị sẽ kiểm tra lại toàn bộ lô hàng số {i} trong tuần tới."
        recs.append(record(f"q{i}", f"Tin {i}", body(3000 + i, 4) + [said, sign_off],
                           f"2024-05-{1 + i % 28:02d}T08:00:00+07:00", outlet="baomau.vn"))
    with bantin.open(archive_path) as b:
        b.ingest(str(write_jsonl(tmp_path / "a.jsonl", recs)))
        ids = dict(b.store.con.execute("SELECT external_id, id FROM articles").fetchall())
        a = b.get(ids["q4"])
        assert sign_off not in a.paragraphs
        assert not any("lắng nghe ý kiến" in q["text"] for q in a.annotations["quotes"])
        listed = b.quotes(limit=500)
        assert not any("lắng nghe ý kiến" in q["text"] for q in listed), listed[:3]
        assert sum("kiểm tra lại toàn bộ lô hàng" in q["text"] for q in listed) == 40
        assert b.quotes(speaker="Ban biên tập") == []
        (n,) = b.store.con.execute("SELECT count(*) FROM quotes").fetchone()
        assert n == 40

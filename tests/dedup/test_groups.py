"""Duplicate groups through the archive: exact, URL and near duplicates, canonical rules, incremental runs."""

import random
import sqlite3

import pytest

import bantin
from dedup_fixtures import body, record, write_jsonl


def groups(db) -> dict[str, tuple[str, str | None]]:
    """external_id → (canonical's external_id, kind)."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT a.external_id, c.external_id, d.dup_kind FROM dedup_docs d"
                       " JOIN articles a ON a.rowid = d.rowid JOIN articles c ON c.rowid = d.canonical").fetchall()
    con.close()
    return {a: (c, k) for a, c, k in rows}


def state(db) -> list[tuple]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT a.id, c.id, d.dup_kind, d.similarity, d.checked FROM dedup_docs d JOIN articles a"
                       " ON a.rowid = d.rowid LEFT JOIN articles c ON c.rowid = d.canonical ORDER BY a.id").fetchall()
    rows += con.execute("SELECT a.id, s.title, s.size, s.first_seen, s.last_seen, s.outlets FROM story_members m"
                        " JOIN articles a ON a.rowid = m.doc JOIN stories s ON s.id = m.story ORDER BY a.id").fetchall()
    con.close()
    return rows


def test_exact_duplicates_canonical_is_earliest(tmp_path):
    paras = body(1)
    recs = [
        record("late", "Tiêu đề A", paras, "2024-05-17T09:00:00+07:00", outlet="b.vn"),
        record("early", "Tiêu đề khác", [p.upper() for p in paras], "2024-05-16T09:00:00+07:00", outlet="a.vn"),
        record("undated", "Tiêu đề C", paras + ["Tin liên quan"], outlet="c.vn"),
        record("other", "Bài khác", body(2), "2024-05-16T10:00:00+07:00"),
    ]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        rep = b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
        assert rep.dedup["exact"] == 2
        g = groups(db)
        assert g["early"] == ("early", None)
        assert g["late"] == ("early", "exact") and g["undated"] == ("early", "exact")
        assert g["other"] == ("other", None)
        can, members = b.duplicates(b.store.con.execute(
            "SELECT id FROM articles WHERE external_id='late'").fetchone()[0])
        assert can is not None and can.external_id == "early" and len(members) == 3


def test_canonical_ties_go_to_the_longest(tmp_path):
    paras = body(3, 20)
    recs = [record("short", "T", paras[:19] + ["Câu cuối."], "2024-05-16T09:00:00+07:00"),
            record("long", "T", paras, "2024-05-16T09:00:00+07:00")]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
    g = groups(db)
    assert g["short"][0] == "long" and g["short"][1] == "near" and g["long"] == ("long", None)


def test_url_duplicates(tmp_path):
    recs = [record("v1", "Giá vàng hôm nay", body(4), "2024-05-16T08:00:00+07:00",
                   url="https://vnexpress.net/gia-vang-1.html"),
            record("v2", "Giá vàng hôm nay (cập nhật)", body(5), "2024-05-16T10:00:00+07:00",
                   url="https://m.vnexpress.net/amp/gia-vang-1.html?utm_source=zalo")]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        rep = b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
    assert rep.dedup["url"] == 1 and groups(db)["v2"] == ("v1", "url")


def _edits(paras: list[str], rng: random.Random) -> dict[str, list[str]]:
    typo = [" ".join(w[:-1] if rng.random() < 0.03 and len(w) > 2 else w for w in p.split()) for p in paras]
    return {
        "drop": paras[:5] + paras[6:],
        "reorder": paras[1:] + paras[:1],
        "typos": typo,
        "boilerplate": paras + ["Xem thêm:", "Chia sẻ bài viết", "Bình luận"],
        "prefix": ["(Dân trí) - " + paras[0]] + paras[1:] + ["Theo Dân trí"],
    }


def test_near_duplicates_on_constructed_edits(tmp_path):
    rng = random.Random(5)
    recs = []
    for i in range(4):
        paras = body(100 + i, 20)
        recs.append(record(f"{i}:orig", f"Bài {i}", paras, "2024-05-16T08:00:00+07:00"))
        for k, p in _edits(paras, rng).items():
            recs.append(record(f"{i}:{k}", f"Bài {i} {k}", p, "2024-05-16T09:00:00+07:00"))
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
    g = groups(db)
    for ext, (can, kind) in g.items():
        fam = ext.split(":")[0]
        assert can == f"{fam}:orig", (ext, can)
        if ext.endswith(":boilerplate"):  # generic navigation lines are left out of the content key
            assert kind == "exact"
        elif not ext.endswith(":orig"):
            assert kind == "near"


def test_threshold_is_configurable(tmp_path):
    paras = body(9, 20)
    half = paras[:12] + body(10, 8)
    recs = [record("a", "A", paras, "2024-05-16T08:00:00+07:00"), record("b", "B", half, "2024-05-16T09:00:00+07:00")]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
        assert groups(db)["b"] == ("b", None)
        rep = b.dedup(threshold=0.3)
        assert rep.checked == 2 and groups(db)["b"] == ("a", "near")
        assert b.dedup().threshold == 0.3  # kept for later runs


def _two_batches(tmp_path):
    fam = [body(200 + i, 16) for i in range(6)]
    a = [record(f"a{i}", f"A {i}", p, f"2024-05-1{i}T08:00:00+07:00") for i, p in enumerate(fam)]
    b = [record(f"b{i}", f"B {i}", p[:-1], f"2024-05-0{i + 1}T08:00:00+07:00") for i, p in enumerate(fam[:3])]
    b += [record(f"b{i}", f"B {i}", body(300 + i), f"2024-05-1{i}T09:00:00+07:00") for i in range(3, 6)]
    return write_jsonl(tmp_path / "a.jsonl", a), write_jsonl(tmp_path / "b.jsonl", b)


def test_incremental_only_new_compared_and_rerun_idempotent(tmp_path):
    pa, pb = _two_batches(tmp_path)
    db = tmp_path / "x.db"
    with bantin.open(str(db)) as b:
        r1 = b.ingest(str(pa))
        assert r1.dedup["checked"] == 6
        r2 = b.ingest(str(pb))
        assert r2.dedup["checked"] == 6  # only B's articles
        g = groups(db)
        for i in range(3):  # B's copies are older: they become canonical, A's articles point to them
            assert g[f"a{i}"] == (f"b{i}", "near") and g[f"b{i}"] == (f"b{i}", None)
        assert r2.dedup["groups_changed"] == 3
        before = state(db)
        r3 = b.dedup()
        assert r3.checked == 0 and state(db) == before
        r4 = b.dedup(rebuild=True)
        assert r4.checked == 12 and state(db) == before


def test_order_of_arrival_does_not_change_groups(tmp_path):
    pa, pb = _two_batches(tmp_path)
    d1, d2 = tmp_path / "1.db", tmp_path / "2.db"
    with bantin.open(str(d1)) as b:
        b.ingest([str(pa)])
        b.ingest([str(pb)])
    with bantin.open(str(d2)) as b:
        b.ingest([str(pb)])
        b.ingest([str(pa)])
    assert groups(d1) == groups(d2)


def test_archive_without_keys_is_keyed_by_dedup(tmp_path):
    paras = body(11)
    recs = [record("x", "X", paras, "2024-05-16T08:00:00+07:00"), record("y", "Y", paras, "2024-05-17T08:00:00+07:00")]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)), dedup=False)
        b.store.con.execute("DELETE FROM dedup_docs")  # as if stored before dedup existed
        rep = b.dedup()
        assert rep.rekeyed == 2 and rep.exact == 1
    assert groups(db)["y"] == ("x", "exact")


def test_search_shows_the_canonical_once_with_copies(tmp_path):
    paras = ["Đội tuyển bóng đá Việt Nam thắng đậm trong trận đấu tối qua tại sân Mỹ Đình."] + body(12)
    recs = [record("c1", "Việt Nam thắng đậm", paras, "2024-05-16T08:00:00+07:00", outlet="a.vn"),
            record("c2", "Việt Nam thắng đậm", paras, "2024-05-16T09:00:00+07:00", outlet="b.vn"),
            record("c3", "Việt Nam thắng đậm đối thủ", paras[:-1], "2024-05-16T10:00:00+07:00", outlet="c.vn"),
            record("o", "Bóng đá nữ", ["Đội tuyển bóng đá nữ tập luyện."] + body(13), "2024-05-16T11:00:00+07:00")]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
        hits = b.search("bong da")
        assert len(hits) == 2
        top = {h.title: h for h in hits}
        assert top["Việt Nam thắng đậm"].copies == 3 and top["Bóng đá nữ"].copies == 1
        assert b.get(top["Việt Nam thắng đậm"].id).external_id == "c1"
        # a filter that excludes the canonical shows the matching copy instead
        [h] = b.search("thang dam", outlet="c.vn")
        assert b.get(h.id).external_id == "c3" and h.copies == 3
        assert b.search("thang dam", since="2024-05-16T08:30:00")[0].id != top["Việt Nam thắng đậm"].id


@pytest.mark.parametrize("n", [1, 3])
def test_dedup_report_on_empty_runs(tmp_path, n):
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        for _ in range(n):
            rep = b.dedup()
            assert rep.checked == 0 and rep.exact == rep.near == 0


def test_v1_archive_migrates_and_gets_keys(tmp_path, monkeypatch):
    """An archive made before schema v3 opens, migrates in order, and `dedup` keys what it already holds."""
    from bantin.store import sqlite as store_sqlite

    paras = body(31)
    src = write_jsonl(tmp_path / "in.jsonl", [record("p", "P", paras, "2024-05-16T08:00:00+07:00"),
                                              record("q", "Q", paras, "2024-05-17T08:00:00+07:00")])
    db = tmp_path / "old.db"
    monkeypatch.setattr(store_sqlite, "MIGRATIONS", store_sqlite.MIGRATIONS[:1])
    monkeypatch.setattr("bantin.pipeline.attach_dedup", lambda items: items)  # a v1 bantin made no keys
    with bantin.open(str(db)) as b:
        b.ingest(str(src), dedup=False, enrich=False)
        assert b.store.schema_version == 1
    monkeypatch.undo()
    with bantin.open(str(db)) as b:
        assert b.store.schema_version == max(v for v, _ in store_sqlite.MIGRATIONS)
        assert b.store.con.execute("SELECT count(*) FROM schema_migrations WHERE version = 3").fetchone()[0] == 1
        rep = b.dedup()
        assert rep.rekeyed == 2 and rep.exact == 1
    assert groups(db)["q"] == ("p", "exact")


def test_signatures_of_another_scheme_are_recomputed(tmp_path):
    """A signature stored under another hashing scheme is never compared: the next run rekeys and redoes."""
    paras = body(41, 20)
    recs = [record("s1", "S", paras, "2024-05-16T08:00:00+07:00"),
            record("s2", "S", paras[:19], "2024-05-17T08:00:00+07:00")]
    db = tmp_path / "a.db"
    with bantin.open(str(db)) as b:
        b.ingest(str(write_jsonl(tmp_path / "in.jsonl", recs)))
        before = groups(db)
        b.store.con.execute("UPDATE dedup_docs SET scheme = 'sh-0/old', sig = zeroblob(512)")
        rep = b.dedup()
        assert rep.rekeyed == 2 and rep.checked == 2
        from bantin.dedup import minhash

        assert {r[0] for r in b.store.con.execute("SELECT scheme FROM dedup_docs")} == {minhash.scheme()}
    assert groups(db) == before == {"s1": ("s1", None), "s2": ("s1", "near")}

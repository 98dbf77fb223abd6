"""Story ids are stable (issue 15, item 12): they are in URLs people share, so `dedup --rebuild` (and anything
that rebuilds: a new threshold, re-extraction) keeps each story's id, and no id is ever given twice."""

import bantin
from bantin.dedup.stories import match_ids
from dedup_fixtures import body, record, write_jsonl

from tests.dedup.test_boilerplate_stories import flood


def _members(b) -> dict[int, set[str]]:
    return {s.id: {m["external_id"] for m in s.members} for s in b.stories()}


def _archive(tmp_path):
    """Stories opened in an order a rebuild (which goes by publication time) does not follow."""
    batches = [
        [flood(4, "Quảng Bình", "2024-10-10T08:00:00+07:00", "a.vn", 4),
         flood(5, "Quảng Bình", "2024-10-11T08:00:00+07:00", "b.vn", 5)],
        [record("gold", "Giá vàng tăng mạnh", ["Giá vàng trong nước tăng mạnh theo thế giới."] + body(9, 4),
                "2023-10-11T08:00:00+07:00", outlet="a.vn")],
        [flood(1, "Quảng Bình", "2023-10-10T08:00:00+07:00", "a.vn", 1),
         flood(2, "Quảng Bình", "2023-10-11T09:00:00+07:00", "b.vn", 2)],
        [record("rice", "Giá lúa gạo", ["Giá lúa gạo xuất khẩu tăng."] + body(21, 4), "2023-01-05T08:00:00+07:00",
                outlet="c.vn")],
    ]
    b = bantin.open(str(tmp_path / "a.db"))
    for i, recs in enumerate(batches):
        b.ingest(str(write_jsonl(tmp_path / f"{i}.jsonl", recs)))
    return b


def test_rebuild_keeps_every_story_id(tmp_path):
    with _archive(tmp_path) as b:
        before = _members(b)
        assert len(before) == 4 and sorted(before) == [1, 2, 3, 4]
        rep = b.dedup(rebuild=True)
        assert _members(b) == before and rep.stories_kept == 4
        b.dedup(rebuild=True)
        assert _members(b) == before
        # a new threshold redoes everything too
        b.dedup(threshold=0.9)
        assert _members(b) == before


def test_new_stories_after_a_rebuild_get_fresh_ids(tmp_path):
    with _archive(tmp_path) as b:
        before = _members(b)
        b.ingest(str(write_jsonl(tmp_path / "new.jsonl", [
            record("bus", "Xe buýt điện", ["Thành phố mở tuyến xe buýt điện mới."] + body(33, 4),
                   "2022-06-01T08:00:00+07:00", outlet="d.vn")])))
        after = _members(b)
        assert {k: v for k, v in after.items() if k in before} == before
        (new_id,) = set(after) - set(before)
        assert new_id == 5
        b.dedup(rebuild=True)
        assert _members(b) == after


def test_ids_of_deleted_stories_are_not_given_again(tmp_path):
    with _archive(tmp_path) as b:
        st = b.store
        with st.transaction():
            gone = max(_members(b))
            st.con.execute("DELETE FROM story_members WHERE story = ?", (gone,))
            st.story_refresh([gone], lambda rows: rows[0][0])  # an emptied story is deleted
        assert gone not in _members(b)
        with st.transaction():
            assert st.story_new() == gone + 1
        b.dedup(rebuild=True)  # its old members form a story again: a new id, not the deleted one
        assert max(_members(b)) > gone + 1


def test_match_ids_pairs_by_most_members_in_common():
    old = {1: {10, 11, 12}, 2: {20, 21}, 3: {30}}
    new = {7: {20, 21, 12}, 8: {10, 11}, 9: {40}, 6: {30, 31}}
    assert match_ids(old, new) == {8: 1, 7: 2, 6: 3}
    # a split: the bigger part keeps the id; a merge: the id with more members wins
    assert match_ids({1: {1, 2, 3, 4}}, {5: {1}, 6: {2, 3, 4}}) == {6: 1}
    assert match_ids({1: {1}, 2: {2, 3}}, {5: {1, 2, 3}}) == {5: 2}


def test_story_ids_survive_a_rebuild_on_postgresql(tmp_path):
    from conftest import PgSchema, pg_server

    pg_server()
    schema = PgSchema()
    try:
        b = bantin.open(schema.url)
        batches = [[flood(4, "Quảng Bình", "2024-10-10T08:00:00+07:00", "a.vn", 4)],
                   [flood(1, "Quảng Bình", "2023-10-10T08:00:00+07:00", "a.vn", 1),
                    record("gold", "Giá vàng tăng mạnh", ["Giá vàng trong nước tăng mạnh theo thế giới."] + body(9, 4),
                           "2023-10-11T08:00:00+07:00", outlet="a.vn")]]
        for i, recs in enumerate(batches):
            b.ingest(str(write_jsonl(tmp_path / f"{i}.jsonl", recs)), workers=1, enrich=False)
        before = _members(b)
        assert len(before) == 3
        b.dedup(rebuild=True)
        assert _members(b) == before
        b.ingest(str(write_jsonl(tmp_path / "new.jsonl", [
            record("bus", "Xe buýt điện", ["Thành phố mở tuyến xe buýt điện mới."] + body(33, 4),
                   "2022-06-01T08:00:00+07:00", outlet="d.vn")])), workers=1, enrich=False)
        assert set(_members(b)) - set(before) == {max(before) + 1}
        b.close()
    finally:
        schema.drop()

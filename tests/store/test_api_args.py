"""The Python API takes what Python users pass and names its own parameters when it refuses (issue 15, item 28;
dedup thresholds, item 13)."""

import datetime
import math

import pytest

import bantin
from bantin.archive import QueryError
from conftest import SEED_LIKE


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("api")
    (d / "seed.txt").write_text(SEED_LIKE, encoding="utf-8")
    (d / "people.txt").write_text("Lãnh đạo hai nước gặp nhau ở Geneva\n16/05/2024 - 16:00\nChủ tịch Trung Quốc Tập "
                                  "Cận Bình gặp Tổng thống Mỹ Joe Biden tại Geneva, Thụy Sĩ.\n", encoding="utf-8")
    with bantin.open(str(d / "a.db")) as b:
        b.ingest([str(d / "seed.txt"), str(d / "people.txt")], workers=1)
        yield b


@pytest.mark.parametrize("since", [datetime.date(2024, 5, 1), datetime.datetime(2024, 5, 16, 14, 0),
                                   datetime.datetime(2024, 5, 16, 7, 0, tzinfo=datetime.timezone.utc), "2024-05-16"])
def test_dates_and_datetimes_are_taken_everywhere(db, since):
    assert db.search("thuy si", since=since)
    assert db.search("thuy si", until=since) == [] or isinstance(since, str)
    assert db.entities(since=since)
    assert db.entity("Geneva", since=since)
    db.stories(since=since)


def test_a_date_after_excludes(db):
    assert db.search("thuy si", since=datetime.date(2024, 5, 17)) == []
    assert db.search("thuy si", until=datetime.date(2024, 5, 16))


@pytest.mark.parametrize("spelling", ["PER", "per", "person", "People", " Person "])
def test_entity_type_spellings(db, spelling):
    people = db.entities(type="PER")
    assert people and all(e["type"] == "PER" for e in people)
    assert db.entities(type=spelling) == people


@pytest.mark.parametrize("call, param", [
    (lambda b: b.entities(type="nobody"), "type"),
    (lambda b: b.entity("Geneva", type="city"), "type"),
    (lambda b: b.search("ma", entity="Geneva", entity_type="x"), "entity_type"),
    (lambda b: b.search("ma", since=20240516), "since"),
    (lambda b: b.search("ma", until="16/05/2024"), "until"),
    (lambda b: b.search("ma", limit=0), "limit"),
    (lambda b: b.search("ma", offset=-1), "offset"),
    (lambda b: b.entities(limit=0), "limit"),
    (lambda b: b.stories(min_size=0), "min_size"),
    (lambda b: b.dedup(threshold=math.nan), "threshold"),
    (lambda b: b.dedup(threshold=math.inf), "threshold"),
    (lambda b: b.dedup(threshold=-0.2), "threshold"),
    (lambda b: b.dedup(threshold=1.2), "threshold"),
])
def test_refusals_name_the_parameter_not_a_cli_flag(db, call, param):
    with pytest.raises(QueryError) as e:
        call(db)
    assert e.value.param == param and str(e.value).startswith(param + ":") and "--" not in str(e.value)


def test_nan_threshold_is_not_stored(db):
    with pytest.raises(QueryError):
        db.dedup(threshold=float("nan"))
    assert db.store.meta_get("dedup.threshold") in (None, "0.8")
    from bantin.dedup import run

    with pytest.raises(ValueError):
        run.run(db.store, threshold=float("nan"))

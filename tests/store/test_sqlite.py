"""The store suite: every test runs against both backends (``archive_path``: a SQLite file and, when a server
answers, a PostgreSQL schema of its own)."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bantin.archive import Bantin, QueryError
from bantin.clean.article import clean
from bantin.model import Draft, Raw, Reject
from bantin.store.base import prepare


def art(title, body, *, sapo=None, published=None, outlet=None, path="/in/a.txt", record="", ext=None):
    raw = Raw(payload=f"{title}\n{body}".encode(), path=path, record=record, format="text")
    d = Draft(raw=raw, title=title, sapo=sapo, paragraphs=body.split("\n"), published_at=published, outlet=outlet,
              external_id=ext, extractor="test/1")
    a = clean(d)
    assert not isinstance(a, Reject), a
    return prepare(a)


@pytest.fixture
def b(archive_path):
    with Bantin(archive_path) as x:
        yield x


def test_put_get_roundtrip_keeps_raw_and_provenance(b):
    p = art("Giá vàng tăng", "Giá vàng hôm nay tăng mạnh.", published="2024-05-16T14:51:00+07:00")
    res = b.store.put([p])
    assert (res.added, res.existing) == (1, 0)
    a = b.get(p.article.id)
    assert a.title == "Giá vàng tăng" and a.published_at == "2024-05-16T14:51:00+07:00"
    assert a.provenance[0].path == "/in/a.txt"
    assert b.raw(a) == "Giá vàng tăng\nGiá vàng hôm nay tăng mạnh.".encode()
    assert b.get(p.article.id[:8]).id == p.article.id  # unique prefix


def test_same_article_twice_and_from_two_files(b):
    p1 = art("Tiêu đề", "Nội dung.", path="/in/a.txt")
    p2 = art("Tiêu đề", "Nội dung.", path="/in/copy/a.txt")
    assert p1.article.id == p2.article.id
    assert b.store.put([p1]).added == 1
    assert b.store.put([p1]).existing == 1
    r = b.store.put([p2])
    assert (r.added, r.existing) == (0, 1)
    a = b.get(p1.article.id)
    assert sorted(p.path for p in a.provenance) == ["/in/a.txt", "/in/copy/a.txt"]
    assert b.stats()["articles"] == 1


def test_seen_inputs_names_exactly_the_stored_inputs(b):
    """Path, record and bytes must all match; many records of a file at once (asked in groups)."""
    stored = [art(f"Bài {i}", f"Nội dung số {i}.", path="/in/a.jsonl", record=str(i)) for i in range(0, 1200, 2)]
    stored.append(art("Bài khác", "Nội dung khác.", path="/in/b.jsonl", record="1"))
    b.store.put(stored)
    keys = {(p.article.provenance[0].path, p.article.provenance[0].record, p.article.provenance[0].raw_sha256)
            for p in stored}
    sha = next(iter(keys))[2]
    asked = sorted(keys) + [("/in/a.jsonl", str(i), sha) for i in range(1, 1200, 2)]  # records not stored
    asked += [("/in/a.jsonl", "0", "00" * 32), ("/in/c.jsonl", "0", sha), ("/in/b.jsonl", "2", sha)]
    assert b.store.seen_inputs(asked) == keys
    assert b.store.seen_inputs([]) == set()


def test_rejects_are_kept_and_cleared_when_the_input_later_succeeds(b):
    r = Reject(path="/in/x.jsonl", record="3", stage="parse", reason="malformed JSON", raw_sha256="ab" * 32,
               payload=b"{broken", size=7)
    b.store.put([r, r])
    assert [(x.path, x.record, x.reason) for x in b.rejects()] == [("/in/x.jsonl", "3", "malformed JSON")]
    assert b.store.get_raw("ab" * 32) == b"{broken"
    b.store.put([art("Đã sửa", "Nội dung.", path="/in/x.jsonl", record="3")])
    assert b.rejects() == []


@pytest.fixture
def corpus(b):
    docs = [
        art("Chuyện con ma ở làng", "Dân làng kể chuyện con ma suốt nhiều năm.", published="2024-01-01T08:00:00+07:00",
            outlet="a.vn"),
        art("Món quà tặng má", "Bài viết về người mẹ, người má của tôi.", published="2024-02-01T08:00:00+07:00",
            outlet="b.vn"),
        art("Bitcoin vượt đỉnh", "Thị trường tiền số sôi động.", published="2024-03-01T08:00:00+07:00", outlet="a.vn"),
        art("Thị trường tiền số", "Bitcoin bitcoin bitcoin bitcoin tăng giá.", published="2024-04-01T08:00:00+07:00",
            outlet="b.vn"),
        art("Hội nghị tại Thụy Sĩ", "Các bên gặp nhau ở Geneva.", published="2024-05-01T08:00:00+07:00", outlet="c.vn"),
        art("Thủy điện xả lũ", "Nhà máy thủy điện xả lũ ở miền núi. Chuyện xảy ra ở Thuỵ Sĩ chưa từng có.",
            outlet="c.vn"),
    ]
    b.store.put(docs)
    return {d.article.title: d.article.id for d in docs}


def titles(hits):
    return [h.title for h in hits]


def test_exact_diacritics_rank_above_folded(b, corpus):
    assert titles(b.search("má")) == ["Món quà tặng má", "Chuyện con ma ở làng"]
    assert set(titles(b.search("ma"))) == {"Món quà tặng má", "Chuyện con ma ở làng"}


def test_title_matches_rank_above_body_matches(b, corpus):
    assert titles(b.search("bitcoin"))[0] == "Bitcoin vượt đỉnh"


@pytest.mark.parametrize("q", ["thuy si", "thuỵ sĩ", "Thụy Sĩ", "THUY SI", "\"thụy sĩ\""])
def test_diacritic_and_tone_style_insensitive(b, corpus, q):
    assert set(titles(b.search(q))) == {"Hội nghị tại Thụy Sĩ", "Thủy điện xả lũ"}


def test_exact_title_hit_first_for_diacritic_query(b, corpus):
    assert titles(b.search("Thụy Sĩ"))[0] == "Hội nghị tại Thụy Sĩ"


def test_filters(b, corpus):
    assert titles(b.search("bitcoin", since="2024-03-15")) == ["Thị trường tiền số"]
    assert titles(b.search("bitcoin", until="2024-03-01")) == ["Bitcoin vượt đỉnh"]
    assert titles(b.search("bitcoin", outlet="b.vn")) == ["Thị trường tiền số"]
    # undated articles are outside any date range
    assert titles(b.search("thuy si", since="2000-01-01")) == ["Hội nghị tại Thụy Sĩ"]


def test_syntax_exclusion_or_and_prefix(b, corpus):
    assert titles(b.search("ma -làng")) == ["Món quà tặng má"]
    assert set(titles(b.search("geneva OR bitcoin"))) == {"Hội nghị tại Thụy Sĩ", "Bitcoin vượt đỉnh",
                                                           "Thị trường tiền số"}
    assert titles(b.search("bitc*")) and titles(b.search("gene*")) == ["Hội nghị tại Thụy Sĩ"]


def test_snippet_marks_matches_and_escapes(b):
    b.store.put([art("Tiêu đề <script>", "Đoạn có <b>thẻ</b> và Thụy Sĩ & Geneva.")])
    [h] = b.search("thuy si")
    assert "<mark>Thụy</mark> <mark>Sĩ</mark>" in h.snippet
    assert "&lt;b&gt;" in h.snippet and "<b>" not in h.snippet and "&amp;" in h.snippet


@pytest.mark.parametrize("q", ['"', '*', 'NEAR(', 'OR', '-', ':', '"NEAR( OR - : *', 'a AND OR NOT b',
                                "title:x", "^a", "{title}: x", "'; DROP TABLE articles; --", "\x00", "ma)))"])
def test_fts_syntax_never_breaks_the_store(b, corpus, q):
    try:
        b.search(q)
    except QueryError:
        pass
    assert b.stats()["articles"] == 6


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('"*():-^{}+ \'ORNEADTmaáđ0x\\')), max_size=30))
def test_random_query_strings_never_raise(b, q):
    b.store.put([art("Tiêu đề ma", "Nội dung đủ dài.")])  # the same article each time: stored once
    try:
        b.search(q)
    except QueryError:
        pass
    assert b.stats()["articles"] == 1


def test_schema_is_versioned(b):
    mod = "bantin.store.postgres" if b.path.startswith("postgresql://") else "bantin.store.sqlite"
    assert b.store.schema_version == max(v for v, _ in __import__(mod, fromlist=["x"]).MIGRATIONS)
    if mod.endswith("sqlite"):
        con = sqlite3.connect(b.path)
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_ingest_that_adds_nothing_still_checks_articles_left_unchecked(b, tmp_path):
    """An ingest stopped between its last batch and its dedup step leaves unchecked articles; running it again
    adds nothing but must still check them."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "title": "Tin một", "body": "Nội dung của tin một."}\n', encoding="utf-8")
    b.ingest([str(src)], dedup=False)
    assert b.store.dedup_stats()["pending"] == 1
    rep = b.ingest([str(src)])
    assert rep.added == 0 and b.store.dedup_stats()["pending"] == 0


def with_entities(title, body, ents, **kw):
    """An article whose entity stage found ``ents`` = [(text in body, type, canonical name)]."""
    p = art(title, body, **kw)
    a = p.article
    a.annotations["entities"] = [{"field": "body", "start": body.index(t), "end": body.index(t) + len(t), "text": t,
                                  "type": typ, "name": name} for t, typ, name in ents]
    return prepare(a)


def test_entity_lookups_are_type_aware_and_keep_the_typed_spelling(b):
    """"Hoa Kỳ" is an alias of the place Mỹ: it must not find the person "My" (both fold to "my"); a spelling typed
    with diacritics finds that spelling; a name typed without diacritics finds every spelling of it."""
    b.store.put([
        with_entities("Thuế quan", "Hoa Kỳ áp thuế mới với thép nhập khẩu.", [("Hoa Kỳ", "LOC", "Mỹ")],
                      published="2024-05-01T08:00:00+07:00"),
        with_entities("Thuế quan 2", "Chị My bán thép ở chợ Đồng Xuân.", [("My", "PER", "My")],
                      published="2024-05-02T08:00:00+07:00"),
        with_entities("Thuế quan 3", "Thụy Sĩ giảm thuế thép.", [("Thụy Sĩ", "LOC", "Thụy Sĩ")],
                      published="2024-05-03T08:00:00+07:00"),
    ])

    def names(n):
        return sorted((e["name"], e["type"]) for e in b.entity(n))

    assert names("Hoa Kỳ") == [("Mỹ", "LOC")]
    assert names("Mỹ") == [("Mỹ", "LOC")] == names("mỹ")
    assert names("My") == [("My", "PER"), ("Mỹ", "LOC")]  # typed without diacritics: every spelling
    assert titles(b.search("thep", entity="Hoa Kỳ")) == ["Thuế quan"]
    for spelled in ("thuy si", "Thụy Sĩ", "thuỵ sĩ", "THUY SI"):
        assert titles(b.search("thep", entity=spelled)) == ["Thuế quan 3"], spelled
    assert b.search("thep", entity="Thúy Sĩ") == []  # another spelling typed with diacritics


def test_topic_counts_break_ties_by_topic_alike_on_both_stores(b):
    """Stats' topics: by count, then by topic in code-point order (PostgreSQL's COLLATE "C", SQLite's BINARY), so
    both stores list them alike whatever the PostgreSQL database's collation ("Đời sống" after "Xe")."""
    ps = []
    for i, topic in enumerate(["Xe", "Đời sống", "Xe", "Kinh doanh", "Bất động sản", "Đời sống", "Kinh doanh",
                               "Bất động sản", "Bất động sản", "Du lịch"]):
        p = art(f"Bài số {i}", f"Nội dung bài số {i}.", published=f"2024-05-{10 + i:02d}T08:00:00+07:00")
        p.article.annotations["topic"] = topic
        ps.append(prepare(p.article))
    b.store.put(list(reversed(ps)))
    assert list(b.stats()["topics"].items()) == [("Bất động sản", 3), ("Kinh doanh", 2), ("Xe", 2),
                                                 ("Đời sống", 2), ("Du lịch", 1)]


def test_every_date_range_keeps_the_same_articles_on_both_stores(b):
    """--since/--until (a bare date covers its whole day, +07:00) is one clause for search, its facets, entities,
    an entity's profile and quotes, on either store (``store.sqlite.date_range``)."""
    ids = []
    for i, pub in enumerate(["2024-05-15T23:59:59+07:00", "2024-05-16T00:00:00+07:00", "2024-05-16T23:59:59+07:00",
                             "2024-05-17T00:00:00+07:00"]):
        p = art(f"Hà Nội mưa lớn {i}", f"Mưa lớn ở Hà Nội lần {i}.", published=pub)
        p.article.annotations["entities"] = [{"field": "title", "start": 0, "end": 6, "text": "Hà Nội",
                                              "type": "LOC", "name": "Hà Nội"}]
        p.article.annotations["quotes"] = [{"field": "body", "start": 0, "end": 5, "text": f"Mưa lớn {i}",
                                            "speaker": "Nguyễn Văn An", "speaker_role": None,
                                            "speaker_entity": "Nguyễn Văn An"}]
        p = prepare(p.article)
        ids.append(p.article.id)
        b.store.put([p])
    day = {"since": "2024-05-16", "until": "2024-05-16"}
    assert {h.id for h in b.search("mưa", **day)} == set(ids[1:3])
    assert {h.id for h in b.search("mưa", since="2024-05-16T12:00:00+07:00")} == set(ids[2:])
    assert [(e["name"], e["articles"]) for e in b.entities(**day)] == [("Hà Nội", 2)]
    assert [e["articles"] for e in b.entities(until="2024-05-15")] == [1]
    (prof,) = b.entity("Hà Nội", **day)
    assert sorted(a["id"] for a in prof["latest"]) == sorted(ids[1:3])
    assert sorted(q["id"] for q in b.quotes(**day)) == sorted(ids[1:3])
    assert [q["id"] for q in b.quotes(since="2024-05-17")] == [ids[3]]


def test_the_writers_record_comes_out_of_a_pickle_whole(b):
    """What a worker process sends the writer (``Prepared.for_writer``, pickled flat) is the same record on the
    other side, with and without dedup keys, and stores the same article."""
    import pickle

    from bantin.pipeline import attach_dedup
    from bantin.store.base import Prepared

    p = art("Giá vàng tăng", "Giá vàng hôm nay tăng mạnh.\nNgười dân đổ xô đi mua.", sapo="Sáng nay.",
            published="2024-05-16T14:51:00+07:00", outlet="VnExpress", ext="x1")
    bare = art("Tin khác", "Nội dung khác hẳn.")
    for item in (attach_dedup([p])[0].for_writer(), bare.for_writer()):
        back = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        assert isinstance(back, type(item))
        for name in Prepared.__slots__:
            assert getattr(back, name) == getattr(item, name), name
    assert bare.for_writer().dedup is None
    back = pickle.loads(pickle.dumps(attach_dedup([p])[0].for_writer()))
    assert back.dedup is not None and back.forms.body and back.article.provenance == p.article.provenance
    assert b.store.put([back]).added == 1
    assert b.get(p.article.id).to_dict() == p.article.to_dict()


def test_the_writers_record_keeps_the_enrichment_failures_for_the_report():
    """An article whose enrichment was skipped still says so on the writer's side of the pickle (the ingest
    report counts ``enrich-failed:`` flags there, whichever process prepared the article)."""
    import pickle

    p = art("Dự án", "Tổng mức đầu tư 672.625.712.000 tỷ đồng.")
    p.article.flags = ["enrich-failed:amounts", "views-dropped:x"]
    back = pickle.loads(pickle.dumps(p.for_writer()))
    assert back.article.flags == ["enrich-failed:amounts"]

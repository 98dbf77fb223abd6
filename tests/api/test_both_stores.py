"""The faces ask the same questions of both stores: on one archive copied into PostgreSQL (``bantin migrate``: the
same row ids, duplicates and stories), every search page, facet, cursor, entity page, story page and the home page
are the same as on the SQLite file."""

from __future__ import annotations

import pytest

import web_fixtures as W
from conftest import PgSchema

QUERIES = [W.RAIL_Q, W.RAIL_Q_PLAIN, '"duong sat"', "metro", "thuy si", "ha noi -duong", "lu* quet", "đường sặt",
           "cong truong OR nha thau", '"ho chi minh"']


@pytest.fixture(scope="module")
def pair(sqlite_archive):
    from bantin import browse
    from bantin.archive import Bantin

    s = PgSchema()
    try:
        with Bantin(str(sqlite_archive), readonly=True) as src:
            src.migrate_to(s.url)
        with Bantin(str(sqlite_archive), readonly=True) as a, Bantin(s.url, readonly=True) as b:
            yield a, b
    finally:
        browse.state(s.url).close()
        s.drop()


def _pages(db, q, **kw):
    out, cursor = [], None
    while True:
        page = db.search_page(q, cursor=cursor, limit=3, **kw)
        d = page.to_dict()
        d.pop("next_cursor")
        out.append(d)
        cursor = page.next_cursor
        if not cursor:
            return out


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_search_pages_and_facets_are_the_same(pair, q, sort):
    a, b = pair
    assert _pages(a, q, sort=sort) == _pages(b, q, sort=sort)


@pytest.mark.parametrize("kw", [
    {"since": "2024-03-10", "until": "2024-03-20"}, {"outlet": "Báo Dân trí"}, {"entity": "Hà Nội"},
    {"entity": "Nguyễn Văn Thắng", "entity_type": "PER"}, {"entity": "nobody at all"}, {"topic": "giao thong"},
])
def test_filters_are_the_same(pair, kw):
    from bantin.archive import QueryError

    a, b = pair
    try:
        want = _pages(a, W.RAIL_Q_PLAIN, **kw)
    except QueryError as e:  # (a topic the taxonomy does not have: the same error from both)
        with pytest.raises(QueryError, match=str(e)):
            _pages(b, W.RAIL_Q_PLAIN, **kw)
        return
    assert want == _pages(b, W.RAIL_Q_PLAIN, **kw)


def test_entity_story_reject_and_home_views_are_the_same(pair):
    a, b = pair
    for name in ["Hà Nội", "Bộ GTVT", "Trần Hồng Hà", "Kim Sang-sik", "Việt Nam", "Không Ai Cả"]:
        assert a.entity_view(name) == b.entity_view(name), name
        assert a.entity_view(name, since="2024-03-10", limit=3) == b.entity_view(name, since="2024-03-10", limit=3)
    for kw in [{}, {"min_size": 2}, {"since": "2024-03-05"}, {"until": "2024-03-01"}]:
        pa, pb = [], []
        for db, out in ((a, pa), (b, pb)):
            cursor = None
            while True:
                rows, cursor = db.stories_page(cursor=cursor, limit=2, **kw)
                out += [s.to_dict() for s in rows]
                if not cursor:
                    break
        assert pa == pb and pa, kw
    assert a.rejects_page(limit=1)[0] == b.rejects_page(limit=1)[0]
    own = ("db_path", "db_bytes", "schema_version")  # each store's own
    ha, hb = ({**h, "stats": {k: v for k, v in h["stats"].items() if k not in own}}
              for h in (a.home(), b.home()))  # (copies: the home view is shared)
    assert ha == hb and ha["trending_entities"]
    some = [x.id for x in a.search_page(W.RAIL_Q, limit=5).hits]
    assert [a.article_view(i) for i in some] == [b.article_view(i) for i in some]


def test_a_query_that_breaks_nothing_in_either_store(pair):
    from bantin.archive import QueryError

    for db in pair:
        for q in ["'; DROP TABLE articles; --", "a:*", "!x & y", "<->", "\\'"]:
            try:
                db.search_page(q)
            except QueryError:
                pass
        assert db.search_page(W.RAIL_Q).total > 0

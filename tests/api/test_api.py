"""The REST API (/api/v1) through the real ASGI app: every endpoint, every filter, pagination while articles are
added, bad parameters (4xx with a message, never a 500), the token on writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import web_fixtures as W
from web_fixtures import make_client
from conftest import SAMPLES, run_cli

RAIL = {f"rail-{i:02d}" for i in range(W.N_RAIL)}


def ext_ids(client, ids):
    """external ids of articles (the fixture's own ids) by bantin id."""
    return [client.get(f"/api/v1/articles/{i}").json()["external_id"] for i in ids]


def walk(client, params, limit):
    """Every page of a search; returns the hits' ids in order and the number of pages."""
    ids, cursor, pages = [], None, 0
    while True:
        q = dict(params, limit=limit, **({"cursor": cursor} if cursor else {}))
        r = client.get("/api/v1/search", params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        ids += [h["id"] for h in body["hits"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            return ids, pages


# -- search -------------------------------------------------------------------------------------------------------
def test_search_without_diacritics_finds_every_spelling_with_snippets_and_facets(ro_client):
    r = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN, "limit": 100})
    assert r.status_code == 200
    body = r.json()
    assert body["spelling"] == "any" and body["query"] == W.RAIL_Q_PLAIN
    ext = set(ext_ids(ro_client, [h["id"] for h in body["hits"]]))
    assert RAIL <= ext and "undated-1" in ext
    assert "rail-05-copy" not in ext  # the copy of rail-05 is folded into it…
    (h5,) = [h for h in body["hits"] if ro_client.get(f"/api/v1/articles/{h['id']}").json()["external_id"] ==
             "rail-05"]
    assert h5["copies"] == 2  # …and counted
    assert all("<mark>" in h["snippet"] for h in body["hits"] if h["id"] != "x")
    assert body["total"] == len(body["hits"])  # everything fits on one page of 100
    f = body["facets"]
    outlets = {o["name"]: o["count"] for o in f["outlets"]}
    assert outlets["VnExpress"] == outlets["Tuổi Trẻ"] == outlets["Dân trí"] == 8
    assert "Báo Mới" not in outlets  # the copy is not counted again
    ents = {(e["name"], e["type"]): e["count"] for e in f["entities"]}
    assert ents[("Bộ Giao thông vận tải", "ORG")] == 24 and ents[("Nguyễn Văn Thắng", "PER")] == 8
    days = {d["day"]: d["count"] for d in f["per_day"]}
    assert all(days[f"2024-03-{d:02d}"] >= 1 for d in range(1, 25))
    assert f["undated"] == 1
    assert sum(days.values()) + f["undated"] == body["total"]


def test_search_json_is_the_model(ro_client):
    """/search writes its JSON without the model (orjson, for speed): it must still be exactly what the model
    documents — the same fields, no more, every value of the declared type — with and without facets, by date,
    on a later page."""
    from bantin.api import models

    def same_fields(body: dict, model: type) -> None:
        assert set(body) == set(model.model_fields), (model.__name__, set(body) ^ set(model.model_fields))

    first = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN, "limit": 2})
    assert first.headers["content-type"] == "application/json"
    bodies = [first.json()]
    bodies.append(ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN, "limit": 2,
                                                          "cursor": bodies[0]["next_cursor"]}).json())
    bodies.append(ro_client.get("/api/v1/search", params={"q": W.RAIL_Q, "sort": "date", "facets": "false"}).json())
    for body in bodies:
        parsed = models.SearchResponse.model_validate(body, strict=True)
        assert parsed.model_dump(mode="json") == body
        same_fields(body, models.SearchResponse)
        assert body["hits"]
        for h in body["hits"]:
            same_fields(h, models.Hit)
        if body["facets"] is not None:
            same_fields(body["facets"], models.Facets)
    assert bodies[0]["facets"] is not None and bodies[2]["facets"] is None


def test_search_with_diacritics_is_that_spelling(ro_client):
    exact = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q}).json()
    plain = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN}).json()
    assert exact["spelling"] == "exact"
    assert exact["total"] < plain["total"]  # "duong sat" also finds "đường sạt" (a landslide on a road)
    # no exact match: every spelling instead
    assert ro_client.get("/api/v1/search", params={"q": "đường sặt"}).json()["spelling"] == "any"


@pytest.mark.parametrize("params, expect", [
    ({"since": "2024-03-20"}, {f"rail-{i:02d}" for i in range(19, 24)}),
    ({"until": "2024-03-03"}, {"rail-00", "rail-01", "rail-02"}),
    ({"since": "2024-03-10", "until": "2024-03-11T23:00:00+07:00"}, {"rail-09", "rail-10"}),
    ({"outlet": "dân trí"}, {f"rail-{i:02d}" for i in range(2, 24, 3)}),
    ({"entity": "Nguyễn Văn Thắng", "type": "PER"}, {f"rail-{i:02d}" for i in range(0, 24, 3)}),
    ({"entity": "Nguyễn Văn Thắng", "type": "LOC"}, set()),
    ({"entity": "nobody at all"}, set()),
])
def test_search_filters(ro_client, params, expect):
    r = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q, "limit": 100, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    got = ext_ids(ro_client, [h["id"] for h in body["hits"]])
    assert {x for x in got if x and x.startswith("rail-")} == expect  # (the samples have a metro line too)
    assert body["total"] == len(got)
    assert sum(o["count"] for o in body["facets"]["outlets"]) + body["facets"]["no_outlet"] == len(got)


def test_sort_by_date_is_newest_first_and_facets_can_be_skipped(ro_client):
    body = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q, "sort": "date", "limit": 30,
                                                   "facets": "false"}).json()
    dated = [h["published_at"] for h in body["hits"] if h["published_at"]]
    assert dated == sorted(dated, reverse=True)
    assert body["facets"] is None and body["sort"] == "date"


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_cover_the_result_once(ro_client, sort):
    full = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN, "sort": sort, "limit": 100}).json()
    ids, pages = walk(ro_client, {"q": W.RAIL_Q_PLAIN, "sort": sort}, limit=4)
    assert ids == [h["id"] for h in full["hits"]]
    assert pages == -(-len(ids) // 4)


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("forget", [False, True])
def test_pages_stay_right_while_articles_are_added(tmp_path, archive, sort, forget):
    """Page 1, then articles added (newer, older and in the middle of the result), then the next pages: nothing
    shown twice, nothing that was there skipped. ``forget``: the server lost its remembered results (a restart)."""
    from bantin import browse
    from bantin.archive import Bantin

    with make_client(archive) as c:
        before_ids, _ = walk(c, {"q": W.RAIL_Q, "sort": sort}, limit=100)
        first = c.get("/api/v1/search", params={"q": W.RAIL_Q, "sort": sort, "limit": 5}).json()
        seen = [h["id"] for h in first["hits"]]
        new = W.more_rail(3, 2, "new") + W.more_rail(3, -5, "old") + [
            dict(W.more_rail(1, 1, "mid")[0], published_at="2024-03-12T12:30:00+07:00")]
        with Bantin(str(archive)) as w:
            rep = w.ingest([str(W.write_jsonl(tmp_path / "new.jsonl", new))], workers=1)
        assert rep.added == 7
        if forget:
            browse.state(str(archive)).results.clear()
        cursor = first["next_cursor"]
        while cursor:
            body = c.get("/api/v1/search", params={"q": W.RAIL_Q, "sort": sort, "limit": 5, "cursor": cursor}).json()
            seen += [h["id"] for h in body["hits"]]
            cursor = body["next_cursor"]
        assert len(seen) == len(set(seen)), "a hit was shown twice"
        assert set(before_ids) <= set(seen), "a hit that was there was skipped"
        if sort == "date":  # added articles older than the page shown come later, in order
            arts = [c.get(f"/api/v1/articles/{i}").json() for i in seen]
            got = [a["external_id"] for a in arts]
            assert {"old-0", "old-1", "old-2", "mid-0"} <= set(got)
            dated = [a["published_at"] for a in arts if a["published_at"]]
            assert dated == sorted(dated, reverse=True)
        # a new search sees the new articles
        assert c.get("/api/v1/search", params={"q": W.RAIL_Q, "limit": 1}).json()["total"] == len(before_ids) + 7


def test_bad_search_parameters_are_400_with_a_message(ro_client):
    cases = {
        "q=": "q", "q=%20": "no words", "q=-bong": "only excludes", "q=x&limit=0": "limit", "q=x&limit=abc": "limit",
        "q=x&limit=101": "limit", "q=x&since=yesterday": "since", "q=x&until=2024-13-01": "until",
        "q=x&sort=best": "sort", "q=x&type=PERSON": "type", "q=x&cursor=%%%": "cursor", "q=x&cursor=eyJ2IjoxfQ": "cursor",
        "q=x&facets=maybe": "facets", "": "q",
    }
    for query, word in cases.items():
        r = ro_client.get("/api/v1/search?" + query)
        assert r.status_code == 400, (query, r.status_code, r.text)
        body = r.json()
        assert body["status"] == 400 and word in body["error"], (query, body)
    # a cursor of another query
    c = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q, "limit": 2}).json()["next_cursor"]
    r = ro_client.get("/api/v1/search", params={"q": "metro", "cursor": c})
    assert r.status_code == 400 and "another query" in r.json()["error"]


def test_query_syntax_never_reaches_fts5(ro_client):
    for q in ['"', "NEAR(a b)", "a AND OR NOT", "title:x", "x*y^2", "'; DROP TABLE articles; --", "\x00", "(((",
              "đường\u200bsắt", "🚄 " * 50]:
        r = ro_client.get("/api/v1/search", params={"q": q})
        assert r.status_code in (200, 400), (q, r.status_code, r.text)
        assert "error" in r.json() or "hits" in r.json()


# -- articles -----------------------------------------------------------------------------------------------------
def test_article_is_what_show_json_prints(ro_client, built_archive):
    hit = ro_client.get("/api/v1/search", params={"q": "metro", "limit": 1}).json()["hits"][0]
    api = ro_client.get(f"/api/v1/articles/{hit['id']}").json()
    cli = json.loads(run_cli("show", hit["id"], "--json", db=built_archive, check=0).stdout)
    assert api == cli
    assert api["duplicates"]["members"] and api["story"] is not None
    # a unique prefix works too, as in the CLI
    assert ro_client.get(f"/api/v1/articles/{hit['id'][:8]}").json()["id"] == hit["id"]


def test_raw_input_byte_for_byte_in_a_sandbox(ro_client):
    hits = ro_client.get("/api/v1/search", params={"q": "lu quet", "limit": 5}).json()["hits"]
    a = next(ro_client.get(f"/api/v1/articles/{h['id']}").json() for h in hits)
    r = ro_client.get(f"/api/v1/articles/{a['id']}", params={"raw": "true"})
    assert r.status_code == 200
    assert r.content == Path(a["provenance"][0]["path"]).read_bytes()
    assert r.headers["content-type"].startswith("text/plain")
    assert "sandbox" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_unknown_things_are_404_json(ro_client):
    for url in ["/api/v1/articles/ffffffffffffffff", "/api/v1/articles/ffffffffffffffff?raw=1", "/api/v1/stories/999999",
                "/api/v1/entities/Không%20Ai%20Cả", "/api/v1/nothing", "/api/v2/search?q=x"]:
        r = ro_client.get(url)
        assert r.status_code == 404, url
        assert r.headers["content-type"] == "application/json" and r.json()["error"], url
    r = ro_client.delete("/api/v1/search?q=x")
    assert r.status_code == 405 and "DELETE" in r.json()["error"]
    for url in ["/api/v1/stories/abc", "/api/v1/stories/99999999999999999999999", "/api/v1/stories/-1"]:
        r = ro_client.get(url)
        assert r.status_code == 400 and "story_id" in r.json()["error"], url


# -- stories, entities, stats, rejects --------------------------------------------------------------------------------
def test_stories_pages_and_one_story(ro_client):
    body = ro_client.get("/api/v1/stories", params={"min_size": 2, "limit": 1}).json()
    assert len(body["stories"]) == 1 and body["next_cursor"]
    second = ro_client.get("/api/v1/stories", params={"min_size": 2, "limit": 1, "cursor": body["next_cursor"]}).json()
    assert second["stories"][0]["id"] != body["stories"][0]["id"]
    everything = ro_client.get("/api/v1/stories", params={"min_size": 2}).json()["stories"]
    assert [s["id"] for s in everything] == [body["stories"][0]["id"], second["stories"][0]["id"]]
    rail = max(everything, key=lambda s: s["size"])
    assert rail["size"] == 25 and len(rail["members"]) == 25
    one = ro_client.get(f"/api/v1/stories/{rail['id']}").json()
    assert one == rail
    only_april = ro_client.get("/api/v1/stories", params={"since": "2024-04-01", "min_size": 2}).json()["stories"]
    assert rail["id"] not in [s["id"] for s in only_april]
    before_march = ro_client.get("/api/v1/stories", params={"until": "2024-02-28", "min_size": 2}).json()["stories"]
    assert before_march == []
    to_march = ro_client.get("/api/v1/stories", params={"until": "2024-03-01", "min_size": 2}).json()["stories"]
    assert [s["id"] for s in to_march] == [rail["id"]]  # it began on March 1st
    assert ro_client.get("/api/v1/stories", params={"since": "soon"}).status_code == 400


def test_entities_and_one_entity(ro_client):
    rows = ro_client.get("/api/v1/entities", params={"type": "PER"}).json()
    assert rows[0] == {"name": "Trần Hồng Hà", "type": "PER", "articles": 16, "mentions": 16}
    assert all(r["type"] == "PER" for r in rows)
    prof = ro_client.get("/api/v1/entities/Bộ Giao thông vận tải").json()
    (p,) = prof
    assert p["articles"] == 24 and sum(p["by_day"].values()) == 24 and len(p["by_day"]) == 24
    assert {c["name"] for c in p["co_occurring"]} >= {"Hà Nội", "Trần Hồng Hà"}
    assert "Bộ GTVT" in p["aliases"]  # from the alias table
    assert len(ro_client.get("/api/v1/entities/Bộ Giao thông vận tải", params={"limit": 3}).json()[0]["latest"]) == 3
    # an alias finds the canonical entity
    assert ro_client.get("/api/v1/entities/Bộ GTVT").json()[0]["name"] == "Bộ Giao thông vận tải"
    assert ro_client.get("/api/v1/entities", params={"type": "X"}).status_code == 400


def test_stats_and_rejects(tmp_path, archive):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x"}\nnot json\n{"title": "Tiêu đề", "body": "Nội dung bài báo đủ dài để giữ lại."}\n',
                   encoding="utf-8")
    from bantin.archive import Bantin

    with Bantin(str(archive)) as w:
        w.ingest([str(bad)], workers=1)
    with make_client(archive) as c:
        s = c.get("/api/v1/stats").json()
        assert s["articles"] == 39 and s["db_path"] == W.archive_name(archive) and s["last_ingest"]["at"]
        all_rejects = c.get("/api/v1/rejects").json()
        assert len(all_rejects["rejects"]) == s["rejected"] == 2 and all_rejects["next_cursor"] is None
        p1 = c.get("/api/v1/rejects", params={"limit": 1}).json()
        p2 = c.get("/api/v1/rejects", params={"limit": 1, "cursor": p1["next_cursor"]}).json()
        assert p1["rejects"] + p2["rejects"] == all_rejects["rejects"] and p2["next_cursor"] is None
        assert all(r["path"].endswith("bad.jsonl") and r["reason"] for r in all_rejects["rejects"])


# -- writes -------------------------------------------------------------------------------------------------------
def test_writes_are_off_without_a_token(client):
    r = client.post("/api/v1/ingest", content=b'{"title": "a"}\n')
    assert r.status_code == 403 and "token" in r.json()["error"]


def test_writes_need_the_right_token(archive, tmp_path):
    with make_client(archive, token="s3cret-token") as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"},
                        {"Authorization": "Bearer s3cret-token-and-more"}):
            r = c.post("/api/v1/ingest", content=b"{}", headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", headers
        body = (SAMPLES / "exports" / "tin-ngan.jsonl").read_bytes()
        r = c.post("/api/v1/ingest", content=body, params={"name": "tin.jsonl"},
                   headers={"Authorization": "Bearer s3cret-token", "Content-Type": "application/x-ndjson"})
        assert r.status_code == 200, r.text
        rep = r.json()
        # the same report `bantin ingest --json` prints: same keys; the samples are already there
        cli = json.loads(run_cli("ingest", str(SAMPLES / "exports" / "tin-ngan.jsonl"), "--json",
                                 db=tmp_path / "cli.db", check=0).stdout)
        assert set(rep) == set(cli)
        assert rep["already_there"] == cli["added"] and rep["added"] == 0 and rep["rejected"] == 0


def test_ingest_multipart_files_and_a_body(archive, tmp_path):
    auth = {"Authorization": "Bearer t0k"}
    with make_client(archive, token="t0k") as c:
        a = W.write_jsonl(tmp_path / "a.jsonl", W.more_rail(2, 10, "up-a"))
        b = W.write_jsonl(tmp_path / "b.jsonl", W.more_rail(1, 20, "up-b") + [{"title": ""}])
        r = c.post("/api/v1/ingest", headers=auth, files=[("file", ("../../etc/a.jsonl", a.read_bytes())),
                                                          ("file", ("b.jsonl", b.read_bytes()))])
        assert r.status_code == 200, r.text
        rep = r.json()
        assert rep["added"] == 3 and rep["rejected"] == 1
        assert rep["rejects"][0]["path"] == "upload:b.jsonl" and rep["rejects"][0]["record"] == "2"
        hit = c.get("/api/v1/search", params={"q": "up-a"}).json()["hits"][0]
        prov = c.get(f"/api/v1/articles/{hit['id']}").json()["provenance"]
        assert prov[0]["path"] == "upload:a.jsonl"  # the client's name, without its directories
        # --map as a parameter; a bad one is a 400
        doc = json.dumps({"tieude": "Đường sắt: tin theo map", "noidung": "Nội dung về đường sắt tốc độ cao.",
                          "published_at": "2024-05-01"}, ensure_ascii=False).encode()
        r = c.post("/api/v1/ingest", headers=auth, content=doc, params={"map": "title=tieude,body=noidung"})
        assert r.status_code == 200 and r.json()["added"] == 1, r.text
        r = c.post("/api/v1/ingest", headers=auth, content=doc, params={"map": "nonsense"})
        assert r.status_code == 400 and "map" in r.json()["error"]
        assert c.post("/api/v1/ingest", headers=auth, content=b"").status_code == 400
        r = c.post("/api/v1/ingest", headers={**auth, "Content-Type": "image/png"}, content=b"\x89PNG")
        assert r.status_code == 415


def test_a_huge_upload_is_refused_before_it_is_read(archive):
    """1 GB announced by Content-Length: 413 at once, not a byte of the body read; 1 GB sent without a length
    (chunked): refused once the limit is passed, with memory staying small."""
    import asyncio
    import tracemalloc

    import httpx

    from bantin.api.app import ServeConfig, create_app

    app = create_app(ServeConfig(db=str(archive), token="t", max_upload=4 << 20))
    sent = [0]

    async def gigabyte():
        chunk = b"x" * (1 << 20)
        for _ in range(1024):
            sent[0] += len(chunk)
            yield chunk

    async def post(headers):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.post("/api/v1/ingest", content=gigabyte(),
                                headers={"Authorization": "Bearer t", **headers})

    r = asyncio.run(post({"Content-Length": str(1 << 30)}))
    assert r.status_code == 413 and "1,073,741,824" in r.json()["error"]
    assert sent[0] == 0
    tracemalloc.start()
    r = asyncio.run(post({"Transfer-Encoding": "chunked"}))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert r.status_code == 413 and "more than 4,194,304" in r.json()["error"]
    assert sent[0] <= 6 << 20 and peak < 32 << 20, (sent[0], peak)


# -- the rest ---------------------------------------------------------------------------------------------------------
def test_every_response_carries_security_headers(ro_client):
    for url in ["/api/v1/stats", "/api/v1/search?q=x", "/api/v1/nothing", "/", "/api/openapi.json"]:
        h = ro_client.get(url).headers
        assert h["x-content-type-options"] == "nosniff", url
        assert "default-src 'none'" in h["content-security-policy"], url
        assert "script-src 'self'" in h["content-security-policy"] or "script-src 'none'" in \
            h["content-security-policy"], url


def test_openapi_lists_every_endpoint_with_typed_responses(ro_client):
    spec = ro_client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert paths >= {"/api/v1/search", "/api/v1/articles/{id}", "/api/v1/stories", "/api/v1/stories/{story_id}",
                     "/api/v1/entities", "/api/v1/entities/{name}", "/api/v1/stats", "/api/v1/rejects",
                     "/api/v1/ingest"}
    assert "SearchResponse" in spec["components"]["schemas"]
    docs = ro_client.get("/api/docs")
    assert docs.status_code == 200 and "/api/v1/search" in docs.text and "<script" not in docs.text


def test_no_parameter_value_makes_a_server_error(ro_client):
    """Anything a client can put in a query string gets 200 or a 4xx with a message (the one-off schemathesis run
    in BENCHMARKS.md goes further)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
    params = st.fixed_dictionaries({}, optional={
        "q": text, "since": text, "until": text, "outlet": text, "entity": text, "cursor": text,
        "type": st.sampled_from(["PER", "LOC", "x", ""]), "sort": st.sampled_from(["date", "relevance", "?"]),
        "limit": st.sampled_from(["1", "0", "-1", "abc", "100", "1e3"]), "min_size": text, "raw": text})
    paths = st.sampled_from(["/api/v1/search", "/api/v1/stories", "/api/v1/entities", "/api/v1/rejects",
                             "/api/v1/entities/Hà Nội", "/search", "/search.atom", "/stories", "/entities"])

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(paths, params)
    def check(path, p):
        r = ro_client.get(path, params=p)
        assert r.status_code in (200, 400, 404), (path, p, r.status_code, r.text[:300])
        if r.status_code != 200 and path.startswith("/api/"):
            assert r.json()["error"]

    check()


@pytest.mark.parametrize("name, kw", [
    ("Hà Nội", {}), ("Bộ Giao thông vận tải", {"limit": 3}), ("Trần Hồng Hà", {"since": "2024-03-10"}),
    ("Nguyễn Văn Thắng", {"until": "2024-03-12", "type": "PER"}), ("Việt Nam", {}), ("Không Ai Cả", {}),
])
def test_entity_pages_count_as_the_cli_does(built_archive, name, kw):
    """The entity view counts from the facet arrays; `bantin entity` (SQLiteArchive.entity_profile) from SQL: the
    same numbers, months, latest articles and co-occurring entities."""
    from bantin.archive import Bantin, entity_keys

    with Bantin(str(built_archive), readonly=True) as db:
        fast = db.entity_view(name, **kw)
        slow = db.store.entity_profile(entity_keys(name), type=kw.get("type"), since=kw.get("since"),
                                       until=kw.get("until"), limit=kw.get("limit", 20))
    assert [{k: v for k, v in p.items() if k not in ("by_day", "aliases")} for p in fast] == slow
    for p in fast:
        assert sum(p["by_day"].values()) == p["articles"]


def test_topic_filter_and_facet(ro_client):
    body = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN, "limit": 100}).json()
    topics = {t["name"]: t["count"] for t in body["facets"]["topics"]}
    assert topics and sum(topics.values()) <= body["total"]
    name, count = max(topics.items(), key=lambda kv: kv[1])
    from bantin.clean.fold import fold

    narrowed = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN, "topic": fold(name), "limit": 100}).json()
    assert narrowed["total"] == count and {h["topic"] for h in narrowed["hits"]} == {name}
    r = ro_client.get("/api/v1/search", params={"q": "x", "topic": "không phải chủ đề"})
    assert r.status_code == 400 and "topic" in r.json()["error"]


def test_a_persons_page_has_their_latest_quotes(ro_client):
    (p,) = ro_client.get("/api/v1/entities/Kim Sang-sik").json()
    assert p["quotes"] and p["quotes"][0]["text"].startswith("Các cầu thủ đã chơi")
    html = ro_client.get("/entities/Kim Sang-sik").text
    assert "<q>Các cầu thủ đã chơi" in html


def test_a_huge_upload_over_a_real_socket_is_refused_early(archive):
    """The same through uvicorn on loopback: 1 GB announced, 413 while the client has sent almost nothing."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    from bantin.api.app import ServeConfig, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=str(archive), token="t")), host="127.0.0.1",
                                        port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    while not srv.started:
        time.sleep(0.02)
    sent = [0]

    def gigabyte():
        chunk = b"x" * (1 << 20)
        for _ in range(1024):
            sent[0] += len(chunk)
            yield chunk

    try:
        with httpx.Client(trust_env=False, timeout=30) as c:
            t0 = time.monotonic()
            try:
                r = c.post(f"http://127.0.0.1:{port}/api/v1/ingest", content=gigabyte(),
                           headers={"Authorization": "Bearer t", "Content-Length": str(1 << 30),
                                    "Expect": "100-continue"})
                assert r.status_code == 413
            except httpx.TransportError:  # the server answered and closed while the client was still sending
                pass
            assert time.monotonic() - t0 < 20
        assert sent[0] < 64 << 20, sent[0]  # what the socket buffers took, not the gigabyte
    finally:
        srv.should_exit = True
        th.join(10)


def test_a_quoted_phrase_counts_adjacent_words_only(ro_client):
    """The whole result of a phrase (its count, facets and pages) means what `bantin search` means by it: the
    words next to each other, in any spelling when typed without diacritics."""
    loose = ro_client.get("/api/v1/search", params={"q": "duong sat", "limit": 100}).json()
    phrase = ro_client.get("/api/v1/search", params={"q": '"duong sat"', "limit": 100}).json()
    assert phrase["total"] < loose["total"]
    from bantin.clean.fold import fold

    for h in phrase["hits"]:
        a = ro_client.get(f"/api/v1/articles/{h['id']}").json()
        text = fold(" ".join([a["title"], a["sapo"] or "", *a["paragraphs"]]).lower())
        assert "duong sat" in " ".join(text.split()), a["title"]
    ids, _pages = walk(ro_client, {"q": '"duong sat"', "sort": "date"}, limit=7)
    assert sorted(ids) == sorted(h["id"] for h in phrase["hits"]) and len(ids) == phrase["total"]


def test_readers_cannot_write_and_see_each_write_as_a_new_state(archive, tmp_path):
    """The server's readers open the archive read-only (SQLite: query_only; PostgreSQL: read-only transactions),
    and the archive's data version — what tells the server its facets and remembered results are stale — moves
    when a writer commits, not when a writer merely opens it."""
    import re

    from bantin.archive import Bantin

    with Bantin(str(archive), readonly=True) as r:
        with pytest.raises(Exception) as e:
            r.store.con.execute("DELETE FROM meta")
        assert re.search(r"read-?only", str(e.value)), e.value
        v = r.store.data_version()
        Bantin(str(archive)).close()
        assert r.store.data_version() == v
        with Bantin(str(archive)) as w:
            w.ingest([str(W.write_jsonl(tmp_path / "one.jsonl", W.more_rail(1, 3, "dv")))], workers=1)
        assert r.store.data_version() != v


def test_a_lost_database_connection_is_replaced(built_archive):
    """A PostgreSQL session ended under the server (a restart, an idle timeout): the next request gets an answer
    from a new connection, not a 500."""
    if isinstance(built_archive, Path):
        pytest.skip("PostgreSQL sessions only (a SQLite file has no connection to lose)")
    import psycopg

    from bantin import browse

    with make_client(built_archive) as c:
        assert c.get("/api/v1/search", params={"q": W.RAIL_Q}).status_code == 200
        pids = [db.store.con.info.backend_pid for db in c.app.app.state.readers._all]
        st = browse.state(built_archive)
        st.current()
        pids.append(st._watch.con.info.backend_pid)
        with psycopg.connect(built_archive, autocommit=True) as k:
            for pid in pids:
                k.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for url in ["/api/v1/search?q=metro", "/api/v1/stats", "/"]:
            assert c.get(url).status_code == 200, url

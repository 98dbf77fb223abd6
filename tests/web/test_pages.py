"""The web page without a browser: every page renders, untrusted text is escaped everywhere, links go only to
http(s) and to this site, the language switch, Atom feeds, and the annotation panel issue 12 fills."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import web_fixtures as W
from web_fixtures import make_client
from bantin.web import render
from bantin.web.i18n import translator


def first_id(client, q):
    return client.get("/api/v1/search", params={"q": q, "limit": 1}).json()["hits"][0]["id"]


def test_every_page_renders_in_vietnamese_by_default(ro_client):
    art = first_id(ro_client, "metro")
    story = ro_client.get("/api/v1/stories", params={"min_size": 2}).json()["stories"][0]["id"]
    for url in ["/", "/search", f"/search?q={W.RAIL_Q_PLAIN}", f"/search?q={W.RAIL_Q}&sort=date&outlet=VnExpress",
                f"/articles/{art}", "/stories", f"/stories/{story}", "/entities", "/entities?type=PER",
                "/entities/Hà Nội", "/api/docs"]:
        r = ro_client.get(url)
        assert r.status_code == 200, (url, r.text[:500])
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="vi">' in r.text, url
        assert "<script" not in r.text, url  # no script at all, inline or not


def test_search_page_shows_count_chart_facets_and_feeds(ro_client):
    html = ro_client.get("/search", params={"q": W.RAIL_Q_PLAIN, "limit": 100}).text
    total = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q_PLAIN}).json()["total"]
    assert f'<b class="total">{total}</b> kết quả' in html
    assert "<svg" in html and "<rect" in html  # articles per day (here per week: a year of results)
    assert "Số bài mỗi tuần" in html
    march = ro_client.get("/search", params={"q": W.RAIL_Q_PLAIN, "until": "2024-03-31"}).text
    assert "Số bài mỗi ngày" in march
    assert 'href="/search?q=duong+sat&amp;since=2024-03-05&amp;until=2024-03-05"' in march  # a bar narrows
    assert 'href="/search?q=duong+sat&amp;outlet=VnExpress"' in html  # an outlet facet
    assert "entity=B%E1%BB%99+Giao+th%C3%B4ng+v%E1%BA%ADn+t%E1%BA%A3i&amp;type=ORG" in html  # an entity facet
    assert 'href="/search.atom?q=duong+sat"' in html and 'href="/api/v1/search?q=duong+sat"' in html
    assert "2 bản sao" in html  # the wire copy
    assert "<mark>" in html
    # typed with diacritics: only that spelling, and a way to every spelling
    html = ro_client.get("/search", params={"q": W.RAIL_Q}).text
    assert 'href="/search?q=duong+sat"' in html


def test_a_bad_parameter_is_a_page_with_a_message(ro_client):
    r = ro_client.get("/search", params={"q": "x", "since": "hôm qua"})
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert "hôm qua" in r.text and "is not a date" in r.text
    r = ro_client.get("/articles/nothing-like-this")
    assert r.status_code == 404 and "nothing-like-this" in r.text
    assert ro_client.get("/search", params={"q": "x", "limit": "lots"}).status_code == 400


def test_untrusted_text_is_escaped_everywhere(ro_client):
    xss = first_id(ro_client, "lua tang")
    pages = [ro_client.get(f"/articles/{xss}").text, ro_client.get("/search", params={"q": "lua tang"}).text,
             ro_client.get("/search", params={"q": '"><script>alert(9)</script>'}).text,
             ro_client.get("/entities/<script>alert(8)</script>").text,
             ro_client.get("/search", params={"q": "lua", "outlet": '<i>Báo</i> "Lạ"'}).text]
    for html in pages:
        low = html.lower()
        assert "<script" not in low and "<img" not in low and "<svg onload" not in low and "<i>báo" not in low
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.startswith(("/", "http://", "https://")), href
            assert "javascript" not in href.lower(), href
    art = pages[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Giá lúa tăng &#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in art
    assert '<span class="muted url">javascript:alert(document.domain)</span>' in art  # shown, not linked


@pytest.mark.parametrize("url, ok", [
    ("https://vnexpress.net/a.html", True), ("http://x.vn/?a=1&b=2", True), ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False), (" javascript:alert(1)", False), ("java\tscript:alert(1)", False),
    ("data:text/html,<script>", False), ("vbscript:x", False), ("//evil.example/", False), ("/relative", False),
    ("https:///nohost", False), ("http://a b", False), (None, False), (42, False), ("ftp://x.vn/f", False),
])
def test_links_only_to_http_urls(url, ok):
    assert (render.safe_href(url) is not None) == ok


def test_annotations_are_drawn_nested_or_not_at_all():
    t = translator("vi")
    text = "Ông Nguyễn Văn A nói “Hà Nội đẹp” hôm qua."
    ann = {"entities": [{"field": "body", "start": 4, "end": 16, "text": "Nguyễn Văn A", "type": "PER",
                         "name": "Nguyễn Văn A"},
                        {"field": "body", "start": 22, "end": 28, "text": "Hà Nội", "type": "LOC", "name": "Hà Nội"},
                        {"field": "body", "start": 0, "end": 3, "text": "sai", "type": "PER", "name": "x"},  # mismatch
                        {"field": "body", "start": 30, "end": 99, "text": "x", "type": "LOC", "name": "y"}],  # out
           "quotes": [{"field": "body", "start": 21, "end": 33, "text": "“Hà Nội đẹp”", "speaker": "<b>A</b>"}],
           "dates": [{"field": "body", "start": 34, "end": 41, "text": "hôm qua", "value": "2024-05-15"},
                     {"field": "body", "start": 10, "end": 25, "value": "crossing"}]}  # crosses two spans
    (html,) = render.paragraphs_html([text], ann, t)
    assert str(html) == ('Ông <a class="ent ent-PER" href="/entities/Nguy%E1%BB%85n%20V%C4%83n%20A?type=PER" '
                         'title="Nguyễn Văn A · Người">Nguyễn Văn A</a> nói <span class="quote" title="nói: '
                         '&lt;b&gt;A&lt;/b&gt;">“<a class="ent ent-LOC" href="/entities/H%C3%A0%20N%E1%BB%99i?type=LOC" '
                         'title="Hà Nội · Nơi chốn">Hà Nội</a> đẹp”</span> <span class="date" title="2024-05-15">'
                         'hôm qua</span>.')


def test_the_annotation_panel_shows_quotes_dates_amounts_topic_keywords_summary(tmp_path):
    """Issue 12's annotations, when an article carries them, appear on its page (and nothing when it does not)."""
    from bantin.archive import Bantin
    from bantin.model import Article
    from bantin.store.base import prepare

    body = "Ông Uông Văn Bân nói: “Giá sẽ tăng 32 tỷ USD”.\nViệc này diễn ra ngày 14/5."
    a = Article(id="f" * 16, title="Bài có dữ kiện", paragraphs=body.split("\n"), published_at="2024-05-16T10:00:00+07:00",
                annotations={
                    "entities": [{"field": "body", "start": 4, "end": 16, "text": "Uông Văn Bân", "type": "PER",
                                  "name": "Uông Văn Bân"}],
                    "quotes": [{"field": "body", "start": 22, "end": 45, "text": "“Giá sẽ tăng 32 tỷ USD”",
                                "speaker": "Uông Văn Bân", "speaker_role": "Người phát ngôn",
                                "speaker_entity": "Uông Văn Bân"}],
                    "amounts": [{"field": "body", "start": 35, "end": 44, "text": "32 tỷ USD", "value": 32e9,
                                 "value_max": None, "unit": "USD"}],
                    "dates": [{"field": "body", "start": 69, "end": 73, "text": "14/5", "value": "2024-05-14",
                               "granularity": "day", "value_end": None}],
                    "topic": "Kinh doanh", "keywords": ["giá", "tỷ USD"], "summary": "Giá sẽ tăng."})
    db = tmp_path / "facts.db"
    with Bantin(str(db)) as b:
        b.store.put([prepare(a)])
    with make_client(db) as c:
        html = c.get(f"/articles/{a.id}").text
    panel = html.split('id="facts"')[1].split("</section>")[0]
    assert "hidden" not in panel.split(">")[0]
    assert "<q>“Giá sẽ tăng 32 tỷ USD”</q>" in panel and "Người phát ngôn" in panel
    assert "14/5" in panel and "2024-05-14" in panel
    assert "32 tỷ USD" in panel and "32 000 000 000" in panel
    assert "Giá sẽ tăng." in panel and "tỷ USD" in panel
    assert "Chủ đề: Kinh doanh" in html  # the topic, beside the outlet
    assert '<span class="amount" title="32 000 000 000 USD">32 tỷ USD</span>' in html
    assert '<span class="date" title="2024-05-14">14/5</span>' in html


def test_language_switch_by_parameter_then_cookie(ro_client):
    r = ro_client.get("/?lang=en")
    assert '<html lang="en">' in r.text and "Stories" in r.text
    assert "lang=en" in r.headers["set-cookie"]
    assert 'href="/?lang=vi"' in r.text  # the way back
    r = ro_client.get("/search", params={"q": "metro"})  # the cookie from the client's jar
    assert '<html lang="en">' in r.text and "results" in r.text
    r = ro_client.get("/search", params={"q": "metro", "lang": "vi"})
    assert '<html lang="vi">' in r.text and "kết quả" in r.text
    r = ro_client.get("/?lang=xx")
    assert r.status_code == 200 and '<html lang="vi">' in r.text and "set-cookie" not in r.headers


def test_no_redirects_anywhere(ro_client):
    for url in ["/search/", "//evil.example/", "/stories/", "/static", "/\\evil.example"]:
        r = ro_client.get(url, follow_redirects=False)
        assert not 300 <= r.status_code < 400, url


def test_atom_feeds_of_a_search_and_an_entity(ro_client):
    import feedparser

    r = ro_client.get("/search.atom", params={"q": W.RAIL_Q, "limit": 5})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    f = feedparser.parse(r.content)
    assert not f.bozo and f.feed.title == f"bantin: {W.RAIL_Q}" and len(f.entries) == 5
    dates = [e.published for e in f.entries]
    assert dates == sorted(dates, reverse=True)
    assert all(e.link.startswith("http://testserver/articles/") and e.id.startswith("urn:bantin:article:")
               for e in f.entries)
    xss = feedparser.parse(ro_client.get("/search.atom", params={"q": "lua tang"}).content)
    assert xss.entries[0].title == W.XSS_TITLE  # text, exactly; the reader escapes it
    f = feedparser.parse(ro_client.get("/entities/Nguyễn Văn Thắng.atom", params={"type": "PER"}).content)
    assert not f.bozo and len(f.entries) == 8 and f.feed.title == "bantin: Nguyễn Văn Thắng"
    assert ro_client.get("/entities/Không Ai.atom").status_code == 404
    assert ro_client.get("/search.atom").status_code == 400


def test_story_page_timeline_and_folded_copies(ro_client):
    rail = max(ro_client.get("/api/v1/stories", params={"min_size": 2}).json()["stories"], key=lambda s: s["size"])
    html = ro_client.get(f"/stories/{rail['id']}").text
    assert html.count("<circle") == 25 and html.count('class="copy"') == 1
    assert "Đưa tin đầu tiên" in html
    assert "<details><summary>1 bản sao</summary>" in html


def test_entity_page_chart_aliases_cooccurring(ro_client):
    html = ro_client.get("/entities/Bộ GTVT").text  # an alias
    assert "Bộ Giao thông vận tải" in html and "Còn gọi là" in html and "Bộ GTVT" in html
    assert html.count('class="bar"') == 24
    assert 'href="/entities/H%C3%A0%20N%E1%BB%99i?type=LOC"' in html
    assert "/entities/B%E1%BB%99%20Giao%20th%C3%B4ng%20v%E1%BA%ADn%20t%E1%BA%A3i.atom?type=ORG" in html


def test_article_page_links_entities_source_raw_duplicates_story(ro_client):
    hits = ro_client.get("/api/v1/search", params={"q": W.RAIL_Q, "limit": 100}).json()["hits"]
    h = next(h for h in hits if h["copies"] == 2)
    html = ro_client.get(f"/articles/{h['id']}").text
    assert 'class="ent ent-ORG" href="/entities/B%E1%BB%99%20Giao%20th%C3%B4ng%20v%E1%BA%ADn%20t%E1%BA%A3i?type=ORG"' \
        in html
    assert re.search(r'<a class="source" href="https://example\.vn/duong-sat-\d+\.html"', html)
    assert f'href="/api/v1/articles/{h["id"]}?raw=true"' in html
    assert 'id="duplicates"' in html and "trùng hoàn toàn" in html
    assert "Bài này thuộc sự kiện" in html
    assert "Bộ trưởng" in html


def test_home_page_numbers(ro_client):
    html = ro_client.get("/").text
    stats = ro_client.get("/api/v1/stats").json()
    assert f"<b>{stats['articles']}</b><span>Bài báo</span>" in html
    assert "Được nhắc nhiều trong 7 ngày cuối" in html


@pytest.mark.parametrize("snippet, html", [
    ("…a <mark>b</mark> &amp; &lt;script&gt;…", "…a <mark>b</mark> &amp; &lt;script&gt;…"),  # as made: kept
    ("<script>alert(1)</script> <mark>x</mark>", "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>"),
    ('<mark onclick="x">y</mark>', "&lt;mark onclick=&#34;x&#34;&gt;y&lt;/mark&gt;"),
    ("a < b", "a &lt; b"),
])
def test_a_snippet_keeps_only_marks(snippet, html):
    assert str(render.snippet_html(snippet)) == html

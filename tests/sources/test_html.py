"""The HTML reader: fixture pages written for these tests (no shared data), bad pages, and the pieces of the
Vietnamese layer (title suffixes, bylines, credits, dates)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bantin.model import Article, Raw, Reject
from bantin.pipeline import articles_from
from bantin.sources import html, htmlmeta, htmltext, read_inputs
from bantin.sources.base import expand_paths

FIX = Path(__file__).parent / "fixtures"
GOLD_KEYS = ("title", "sapo", "paragraphs", "published_at", "updated_at", "outlet", "url", "language", "authors",
             "tags", "captions", "section", "credit")


def article_of(payload: bytes, path: str = "/in/page.html", **hints) -> Article | Reject:
    [out] = list(articles_from([Raw(payload=payload, path=path, record="", format="html", hints=hints)]))
    return out


def page(body: str, head: str = "<title>Tiêu đề bài viết thử nghiệm - Báo Mẫu</title>") -> bytes:
    return f"<!doctype html><html lang='vi'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>" \
        .encode()


BODY = ("<h1>Tiêu đề bài viết thử nghiệm</h1><div class='content'>"
        + "".join(f"<p>Đoạn văn thứ {i} nói về chuyện giao thông ở Hà Nội trong những ngày mưa lớn kéo dài, "
                  f"người dân phải lội nước để đi làm và đưa con đến trường.</p>" for i in range(1, 6))
        + "</div>")


# -- gold fixtures ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sites/vnexpress", "sites/vnexpress_2012", "sites/24h", "sites/dantri",
                                  "sites/dantri_2012", "sites/zing_2012",
                                  "html/generic_article"])
def test_fixture_pages_match_their_gold(name: str) -> None:
    src = FIX / f"{name}.html"
    gold = json.loads((FIX / f"{name}.json").read_text(encoding="utf-8"))
    a = article_of(src.read_bytes(), str(src))
    assert isinstance(a, Article), a
    got = {k: getattr(a, k) for k in GOLD_KEYS}
    assert got == {k: gold.get(k) for k in GOLD_KEYS}
    assert a.versions["extractor"] == html.extractor_version()


def test_vnexpress_parser_is_used_and_generic_path_agrees() -> None:
    """The outlet parser reads the same article as the generic path (trafilatura + layer), only faster."""
    from bantin.sources import sites

    src = (FIX / "sites/vnexpress.html").read_bytes()
    with_site = article_of(src)
    saved = dict(sites._BY_DOMAIN)
    sites._BY_DOMAIN.clear()
    try:
        generic = article_of(src)
    finally:
        sites._BY_DOMAIN.update(saved)
    assert isinstance(with_site, Article) and isinstance(generic, Article)
    assert generic.paragraphs == with_site.paragraphs
    assert generic.authors == with_site.authors == ["Võ Hải"]
    assert generic.captions == with_site.captions


def test_homepage_is_rejected_with_evidence() -> None:
    src = (FIX / "html/homepage.html").read_bytes()
    for hints in ({}, {"url": "https://baomau.vn/"}):
        r = article_of(src, **hints)
        assert isinstance(r, Reject)
        assert r.reason.startswith("not an article: looks like a homepage or section index")
        assert "headline links" in r.reason
    assert "URL path '/'" in article_of(src, url="https://baomau.vn/").reason


def test_url_from_hint_or_crawl_path_gives_outlet_display_name() -> None:
    a = article_of(page(BODY), path="https://vnexpress.net/giao-thong-1234567.html")
    assert isinstance(a, Article)
    assert a.url == "https://vnexpress.net/giao-thong-1234567.html" and a.outlet == "VnExpress"
    b = article_of(page(BODY), url="https://www.thanhnien.vn/a-185.htm#top")
    assert b.url == "https://www.thanhnien.vn/a-185.htm" and b.outlet == "Thanh Niên"


# -- titles ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("title_tag,h1,want", [
    ("Giá vàng tăng mạnh - VnExpress", "Giá vàng tăng mạnh", "Giá vàng tăng mạnh"),
    ("Giá vàng tăng mạnh | Báo Thanh Niên", None, "Giá vàng tăng mạnh"),
    ("Giá vàng tăng mạnh - Kinh doanh - Dân trí", None, "Giá vàng tăng mạnh"),
    ("Teen9x News - 8/3 boy vào bếp", "8/3 boy vào bếp", "8/3 boy vào bếp"),
    # the h1 here is the site's slogan, found after the article's title in <title>
    ("Người khổ hạnh vì bớt lạ - Ảnh | Trang dành cho giới trẻ - VnExpress iOne",
     "Trang dành cho giới trẻ - VnExpress iOne", "Người khổ hạnh vì bớt lạ"),
])
def test_title_without_outlet_suffix(title_tag: str, h1: str | None, want: str) -> None:
    body = (f"<h1>{h1}</h1>" if h1 else "") + BODY.split("</h1>", 1)[1]
    a = article_of(page(body, f"<title>{title_tag}</title>"), url="https://vnexpress.net/x-1234567.html")
    assert isinstance(a, Article), a
    assert a.title == want


def test_strip_site_keeps_dashes_inside_titles() -> None:
    names = ["VnExpress", "vnexpress.net"]
    assert htmlmeta.strip_site("Hòa Hiệp - Bá Thắng tái hợp - VnExpress", names) == "Hòa Hiệp - Bá Thắng tái hợp"


# -- dates ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("head,body_extra,want", [
    ('<meta property="article:published_time" content="2025-10-22T12:25:52Z">', "", "2025-10-22T19:25:52+07:00"),
    ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"x",'
     '"datePublished":"2025-10-22T19:25:52+07:00"}</script>', "", "2025-10-22T19:25:52+07:00"),
    ("", '<time itemprop="datePublished" datetime="2024-05-16T14:51:00+07:00">16/5</time>',
     "2024-05-16T14:51:00+07:00"),
    ("", '<span class="date">Thứ tư, 22/10/2025, 19:25 (GMT+7)</span>', "2025-10-22T19:25:00+07:00"),
    ("", "<div>Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)</div>", "2012-12-24T03:04:00+07:00"),
    ("", '<p class="time">20.05.2016 | 10:49 AM</p>', "2016-05-20T10:49:00+07:00"),
    # a structured date without a time takes the time from the visible date line of the same day
    ('<meta property="article:published_time" content="2025-03-05">', '<span>05/03/2025 08:30</span>',
     "2025-03-05T08:30:00+07:00"),
])
def test_published_at_from_meta_ld_time_or_visible_text(head: str, body_extra: str, want: str) -> None:
    body = BODY.replace("</h1>", "</h1>" + body_extra, 1)
    a = article_of(page(body, "<title>Tiêu đề bài viết thử nghiệm</title>" + head))
    assert isinstance(a, Article), a
    assert a.published_at == want


def test_relative_date_line_uses_fetch_time() -> None:
    body = BODY.replace("</h1>", "</h1><span class='time'>2 giờ trước</span>", 1)
    raw = Raw(payload=page(body), path="https://baomau.vn/a-1.html", record="", format="html",
              fetched_at="2025-10-22T12:00:00+07:00")
    [a] = list(articles_from([raw]))
    assert a.published_at == "2025-10-22T10:00:00+07:00"


def test_no_invented_date() -> None:
    a = article_of(page(BODY))
    assert isinstance(a, Article) and a.published_at is None


# -- sapo, byline, credit, captions ----------------------------------------------------------------------------
def test_sapo_is_its_own_field_and_not_repeated_in_the_body() -> None:
    sapo = "Đây là phần sapo của bài viết, tóm tắt nội dung chính để người đọc nắm nhanh câu chuyện."
    body = BODY.replace("</h1>", f"</h1><h2 class='sapo'>{sapo}</h2>", 1).replace(
        "<div class='content'>", f"<div class='content'><p><strong>{sapo}</strong></p>", 1)
    a = article_of(page(body))
    assert a.sapo == sapo
    assert sapo not in a.paragraphs and len(a.paragraphs) == 5


def test_outlet_tagged_lead_under_title_is_the_sapo() -> None:
    lead = "(NLĐO) - Cho rằng chủ hụi nói chuyện mình thiếu nợ, bị cáo đã xách dao đi gây án khiến một người chết."
    body = BODY.replace("</h1>", f"</h1><h3>{lead}</h3>", 1)
    a = article_of(page(body), url="https://nld.com.vn/a-20121226051446379.htm")
    assert a.sapo == lead


@pytest.mark.parametrize("line,authors", [
    ("Lê Phương", ["Lê Phương"]), ("Tin, ảnh: Vũ Phương Thảo", ["Vũ Phương Thảo"]), ("K. Miên", ["K. Miên"]),
    ("Quang Phong - Tùng Nguyên", ["Quang Phong", "Tùng Nguyên"]), ("Nhóm PV", ["Nhóm PV"]), ("H.V.", ["H.V."]),
    ("Minh Anh (tổng hợp)", ["Minh Anh"]),
    ("Hà Nội", None), ("Chúc các bạn may mắn nha.", None), ("Theo TTXVN", None), ("Xem thêm: Giá vàng", None),
    ("Ngày 22/10 bác sĩ cho biết", None),
])
def test_author_lines(line: str, authors: list[str] | None) -> None:
    assert htmltext.author_names(line) == authors


@pytest.mark.parametrize("line,credit", [
    ("Theo TTXVN", "TTXVN"), ("(Theo AFP)", "AFP"), ("Nguồn: Dân trí", "Dân trí"), ("Theo Infonet", "Infonet"),
    ("Theo bác sĩ Hồng, bệnh nhân cần nghỉ ngơi", None), ("Theo đó, giá xăng giảm", None),
])
def test_credit_lines(line: str, credit: str | None) -> None:
    assert htmltext.credit_of(line) == credit


def test_byline_and_credit_leave_the_body() -> None:
    body = BODY.replace("</div>", "<p>Lê Phương (Theo AFP)</p></div>", 1)
    a = article_of(page(body))
    assert a.authors == ["Lê Phương"] and a.credit == "AFP"
    assert all("Lê Phương" not in p for p in a.paragraphs)


def test_publisher_in_meta_author_is_not_an_author() -> None:
    a = article_of(page(BODY, "<title>Tiêu đề bài viết thử nghiệm - VnExpress</title>"
                              "<meta name='author' content='VnExpress'>"), url="https://vnexpress.net/a-1234567.html")
    assert a.authors == []


def test_caption_lines_become_captions() -> None:
    body = BODY.replace("</div>", "<table><tr><td><img src='a.jpg'></td></tr><tr><td>Người dân lội nước trên "
                                  "phố Nguyễn Trãi. Ảnh: Ngọc Thành</td></tr></table></div>", 1)
    a = article_of(page(body))
    assert a.captions == ["Người dân lội nước trên phố Nguyễn Trãi. Ảnh: Ngọc Thành"]
    assert not any("Ngọc Thành" in p for p in a.paragraphs)


def test_related_links_at_the_end_are_cut() -> None:
    links = "".join(f"<li><a href='/b{i}.html'>Tin liên quan số {i} về giao thông Hà Nội mùa mưa</a> (21/12)</li>"
                    for i in range(6))
    body = BODY.replace("</div>", f"<h3>Tin liên quan</h3><ul>{links}</ul></div>", 1)
    a = article_of(page(body))
    assert len(a.paragraphs) == 5 and not any("Tin liên quan" in p for p in a.paragraphs)


# -- bad pages: a clear reason each, nothing crashes the batch ------------------------------------------------------
def test_truncated_page_is_rejected() -> None:
    full = page(BODY)
    r = article_of(full[: len(full) // 2])
    assert isinstance(r, Reject) and r.reason.startswith("truncated HTML")


def test_wrong_declared_charset_is_flagged_and_the_real_one_used() -> None:
    body = ("<html><head><meta charset='windows-1252'><title>Tiêu đề bài viết thử nghiệm</title></head><body>"
            + BODY + "</body></html>").encode()
    a = article_of(body)
    assert isinstance(a, Article)
    assert a.title == "Tiêu đề bài viết thử nghiệm"
    assert any(f.startswith("charset-mismatch:declared windows-1252, read as utf-8") for f in a.flags)
    # declared UTF-8, written in Windows-1258 (legacy Vietnamese): decoded as what it is
    legacy = ("<html><head><meta charset='utf-8'><title>Tiêu đề bài viết thử nghiệm</title></head><body>"
              + BODY + "</body></html>")
    legacy = _cp1258(legacy)
    b = article_of(legacy)
    assert isinstance(b, Article), b
    assert b.title == "Tiêu đề bài viết thử nghiệm" and "giao thông ở Hà Nội" in b.paragraphs[0]
    assert "charset-mismatch:declared utf-8, read as cp1258" in b.flags


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: letters with hats/horns precomposed, tone marks as combining characters."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        t = "".join(c for c in d if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out.append((base + t).encode("cp1258"))
    return b"".join(out)


def test_huge_page_is_rejected_without_parsing(tmp_path: Path) -> None:
    big = page(BODY + "<p>" + "x" * (50 << 20) + "</p>")
    r = article_of(big)
    assert isinstance(r, Reject) and r.reason.startswith("page too large")
    p = tmp_path / "big.html"
    p.write_bytes(big)
    [rr] = list(read_inputs(expand_paths([str(p)])))
    assert isinstance(rr, Reject) and "too large" in rr.reason and rr.size > 50 << 20


def test_page_with_only_scripts_is_rejected() -> None:
    r = article_of(b"<html><head><script>var a=1;</script></head><body><script>document.write('x')</script>"
                   b"<script src='app.js'></script></body></html>")
    assert isinstance(r, Reject)
    assert r.reason == "no article text: the page has only 3 <script> elements and 0 characters of visible text"


def test_binary_file_named_html_is_rejected() -> None:
    r = article_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    assert isinstance(r, Reject) and r.stage == "decode" and r.reason.startswith("not an HTML page")


def test_no_markup_is_rejected() -> None:
    r = article_of("Chỉ là một dòng chữ, không có thẻ HTML nào cả.".encode())
    assert isinstance(r, Reject) and "no markup" in r.reason


def test_a_batch_of_bad_pages_goes_on(tmp_path: Path) -> None:
    good = page(BODY)
    files = {"good.html": good, "cut.html": good[:300], "empty.html": b"", "bin.htm": b"\x00\x01\x02" * 100,
             "scripts.html": b"<html><body><script>x()</script></body></html>",
             "gz.html.gz": gzip.compress(good.replace("Hà Nội".encode(), "Huế".encode()))}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    out = list(articles_from(r for r in read_inputs(expand_paths([str(tmp_path)])) if isinstance(r, Raw)))
    arts = [a for a in out if isinstance(a, Article)]
    rejs = {Path(r.path).name: r.reason for r in out if isinstance(r, Reject)}
    assert len(arts) == 2
    assert set(rejs) == {"cut.html", "empty.html", "bin.htm", "scripts.html"}
    assert all(reason and "internal error" not in reason for reason in rejs.values())

"""Rules for Vietnamese outlets found on real pages (issue 16), each on a small page written for the test in the
shape of the layout where it was seen (the real pages are in tests/sources/fixtures/sites/MANIFEST.json)."""

from __future__ import annotations

import pytest

from bantin.model import Article, Raw, Reject
from bantin.pipeline import articles_from
from bantin.sources import htmltext


def article_of(payload: bytes, path: str = "/in/page.html") -> Article | Reject:
    [out] = list(articles_from([Raw(payload=payload, path=path, record="", format="html")]))
    return out


HEAD = ("<meta charset='utf-8'><title>Tin kinh doanh: thị trường, tài chính | Báo Mẫu</title>"
        "<meta property='og:type' content='article'>"
        "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"headline\":\"Tin kinh doanh\"}</script>")
PARA = ("Giá vàng trong nước tiếp tục đi xuống trong phiên sáng nay khi thị trường thế giới chịu áp lực từ đồng "
        "USD mạnh lên, các doanh nghiệp lớn đồng loạt điều chỉnh giá niêm yết {i} lần trong ngày.")


def teaser(i: int) -> str:
    return (f"<article class='article-item'><h3 class='article-title'><a href='/kinh-doanh/tin-so-{i}-2022122"
            f"{i:04d}.htm'>Doanh nghiệp số {i} công bố kết quả kinh doanh quý ba vượt kế hoạch</a></h3>"
            f"<div class='article-excerpt'><a href='/kinh-doanh/tin-so-{i}.htm'>(Báo Mẫu) - Doanh nghiệp số {i} "
            f"vừa công bố lợi nhuận quý ba tăng mạnh so với cùng kỳ, nhờ giá bán và sản lượng đều tăng, "
            f"ban lãnh đạo kỳ vọng cả năm vượt kế hoạch đề ra.</a></div></article>")


def test_section_page_declaring_og_article_is_rejected() -> None:
    """A section page is a list of teasers (headline link + summary) whatever its meta says (og:type article,
    JSON-LD NewsArticle), and has no URL to give it away when read from a file."""
    body = ("<div class='nav'><a href='/'>Trang chủ</a> <a href='/kinh-doanh.htm'>Kinh doanh</a></div>"
            "<h1 class='title-page'>Kinh doanh</h1><div class='main'>" + "".join(teaser(i) for i in range(12))
            + "</div>")
    out = article_of(f"<!doctype html><html lang='vi'><head>{HEAD}</head><body>{body}</body></html>".encode())
    assert isinstance(out, Reject), out
    assert "teasers under headline links" in out.reason


def test_article_with_a_related_box_is_kept() -> None:
    body = ("<h1 class='title-page detail'>Giá vàng giảm sau dấu hiệu khả quan của kinh tế Mỹ</h1>"
            "<div class='singular-content'>" + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(8)) + "</div>"
            "<div class='related'>" + "".join(teaser(i) for i in range(4)) + "</div>")
    out = article_of(f"<!doctype html><html lang='vi'><head>{HEAD}</head><body>{body}</body></html>".encode())
    assert isinstance(out, Article), out
    assert len(out.paragraphs) == 8


def _article(tail: str) -> Article:
    body = ("<article><h1 class='title-page detail'>Năm khủng khiếp của tiền điện tử</h1>"
            "<div class='singular-content'>" + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5)) + tail)
    out = article_of(f"<!doctype html><html lang='vi'><head>{HEAD}</head><body>{body}</body></html>".encode())
    assert isinstance(out, Article), out
    return out


def test_theo_outlet_in_a_source_block_is_the_credit() -> None:
    """Dân trí 2022: ``<div class="singular-source">Theo <strong>CNBC</strong></div>`` after the text."""
    a = _article("</div><div class='singular-source'>Theo <strong>CNBC</strong></div></article>")
    assert a.credit == "CNBC"
    assert a.authors == []
    assert all("CNBC" not in p for p in a.paragraphs)


def test_theo_person_then_source_outlet_line() -> None:
    """A republished text: "Theo Thanh Xuân" (the writer) then "VnEconomy" (the outlet it came from)."""
    a = _article("<p style='text-align: right'>Theo <strong>Thanh Xuân</strong></p>"
                 "<p style='text-align: right'><em>VnEconomy</em></p></div></article>")
    assert a.authors == ["Thanh Xuân"]
    assert a.credit == "VnEconomy"
    assert a.paragraphs[-1] == PARA.format(i=4)


def test_source_outlet_line_alone_is_the_credit() -> None:
    """CafeF ends a republished article with the source outlet's name on its own line."""
    body = htmltext.Body()
    bl = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [htmltext.Block("Đại Đoàn Kết", "p")]
    htmltext.take_byline(bl, body)
    assert body.credit == "Đại Đoàn Kết"
    assert len(bl) == 3
    body = htmltext.Body()
    bl = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [htmltext.Block("Theo Hồ Hương", "p"),
                                                                      htmltext.Block("Nhịp sống thị trường", "p")]
    htmltext.take_byline(bl, body)
    assert (body.authors, body.credit) == (["Hồ Hương"], "Nhịp sống thị trường")
    # an ordinary short closing line is not taken for an outlet
    body = htmltext.Body()
    bl = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [htmltext.Block("Xin cảm ơn!", "p")]
    htmltext.take_byline(bl, body)
    assert body.credit is None and len(bl) == 4


def test_h1_wins_over_a_differently_worded_og_title() -> None:
    head = ("<meta charset='utf-8'><title>Giá xăng giảm mạnh từ chiều nay | Báo Mẫu</title>"
            "<meta property='og:title' content='Giá xăng giảm mạnh từ chiều nay'>")
    body = ("<h1 class='detail-title'>Giá xăng dầu đồng loạt giảm mạnh từ 15h chiều nay</h1><div class='content'>"
            + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5)) + "</div>")
    a = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(a, Article) and a.title == "Giá xăng dầu đồng loạt giảm mạnh từ 15h chiều nay"
    # a section name or slogan in the <h1> does not replace the headline
    body2 = "<h1>Kinh doanh</h1><div class='content'>" + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5)) \
        + "</div>"
    a = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body2}</body></html>".encode())
    assert isinstance(a, Article) and a.title == "Giá xăng giảm mạnh từ chiều nay"


def test_upper_case_byline_is_title_cased() -> None:
    assert htmltext.author_names("NHẬT XUÂN - NGHI VŨ") == ["Nhật Xuân", "Nghi Vũ"]
    assert htmltext.author_names("K. MIÊN") == ["K. Miên"]
    assert htmltext.author_names("Quang Phong - Tùng Nguyên") == ["Quang Phong", "Tùng Nguyên"]
    a = _article("<p style='text-align:right'><strong>NHẬT XUÂN - NGHI VŨ</strong></p></div></article>")
    assert a.authors == ["Nhật Xuân", "Nghi Vũ"]


def test_syndication_credit_splits_writer_and_outlet() -> None:
    """"Theo Sầm Hoa (Vietnamnet/Reuters)": the writer is an author, the outlets are the credit; an outlet or
    agency alone (one word, capitals, or a name of the outlet table) stays the credit."""
    split = htmltext.split_credit
    assert split("Sầm Hoa (Vietnamnet/Reuters)") == (["Sầm Hoa"], "Vietnamnet/Reuters")
    assert split("Minh Nguyễn/Vcamp.vn") == (["Minh Nguyễn"], "Vcamp.vn")
    assert split("Hồ Hương") == (["Hồ Hương"], None)
    for outlet in ("TTXVN", "Thanh Niên", "Forbes, Newsweek", "Infonet", "Người Lao Động"):
        assert split(outlet) == ([], outlet)
    a = _article("<p style='text-align:right'>Theo Minh Nguyễn/Vcamp.vn</p></div></article>")
    assert (a.authors, a.credit) == (["Minh Nguyễn"], "Vcamp.vn")


def test_lead_printed_with_an_ellipsis_keeps_it() -> None:
    """Người Lao Động prints its leads ending "...": that is the lead as printed, not a cut mark."""
    lead = "(NLĐO) - Cho rằng chủ hụi méc mẹ vợ chuyện mình thiếu nợ, bị cáo đã xách dao đi nói chuyện..."
    body = ("<h1>Thiếu tiền hụi, xách dao đi nói chuyện với chủ nợ</h1>"
            f"<h3 class='sapo'>{lead}</h3><div class='content'>"
            + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5)) + "</div>")
    head = "<meta charset='utf-8'><title>Thiếu tiền hụi, xách dao đi nói chuyện với chủ nợ | Báo Mẫu</title>"
    a = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(a, Article) and a.sapo == lead and not a.sapo_truncated


def test_credit_on_the_line_under_the_title() -> None:
    """Soha 2012: "Theo Ngoisao | 25/12/2012 10:25" between the headline and the lead."""
    head = "<meta charset='utf-8'><title>Can Lộ Lộ lả lơi với khăn tắm | Giải trí | Báo Mẫu</title>"
    body = ("<h1>Can Lộ Lộ lả lơi với khăn tắm</h1><div class='clearfix'><span>Theo Ngoisao</span> | "
            "<span>25/12/2012 10:25</span></div><div class='content'>"
            + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5)) + "</div>")
    a = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(a, Article)
    assert (a.credit, a.published_at) == ("Ngoisao", "2012-12-25T10:25:00+07:00")


def test_label_above_the_headline_and_credit_in_a_source_box() -> None:
    """Xinhxinh 2012: the section name printed above the <h1> inside the content; "Theo K14" in a div.source
    (the text sits in an inner div) after a last paragraph split by inline tags."""
    head = "<meta charset='utf-8'><title>4 bước mix đồ đêm Noel - Phong cách - Báo Mẫu</title>"
    body = ("<div class='detail'><h2 class='h2catname'>Phong cách</h2><h1>4 bước mix đồ đêm Noel</h1>"
            + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5))
            + "<p>Sau khi đã chọn xong trang phục, <b>bạn có thể</b> tự tin đến buổi tiệc Noel rồi, chúc các bạn "
              "vui vẻ.</p><div class='source'><div class='fl'>Theo K14</div></div></div>"
              "<h3>Tin liên quan</h3><ul><li><a href='/a.htm'>Ngắm bạn trẻ thế giới mix đồ đón Xmas</a></li></ul>")
    a = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(a, Article)
    assert a.paragraphs[0] == PARA.format(i=0)
    assert a.credit == "K14"


@pytest.mark.parametrize("name", ["dantri_2012", "vnexpress_2012", "zing_2012"])
def test_outlet_parser_reads_what_the_generic_path_gets_wrong(name: str) -> None:
    """Each outlet parser exists because the generic path gets a field of that layout wrong (a saved file
    without a URL picks its parser by the layout's selectors)."""
    import json
    from pathlib import Path

    from bantin.sources import sites

    fix = Path(__file__).parent / "fixtures/sites"
    src = (fix / f"{name}.html").read_bytes()
    gold = json.loads((fix / f"{name}.json").read_text(encoding="utf-8"))
    fields = ("paragraphs", "authors", "captions", "credit", "published_at")
    with_parser = article_of(src, "/in/saved.html")
    assert isinstance(with_parser, Article)
    assert {k: getattr(with_parser, k) for k in fields} == {k: gold[k] for k in fields}
    saved = list(sites.PARSERS), dict(sites._BY_DOMAIN)
    sites.PARSERS.clear()
    sites._BY_DOMAIN.clear()
    try:
        generic = article_of(src, "/in/saved.html")
    finally:
        sites.PARSERS[:] = saved[0]
        sites._BY_DOMAIN.update(saved[1])
    assert isinstance(generic, Article)
    assert {k: getattr(generic, k) for k in fields} != {k: gold[k] for k in fields}


def test_headline_in_capitals_at_the_top_of_an_e_magazine_is_not_the_lead() -> None:
    head = "<meta charset='utf-8'><title>Thế trận giằng co sau 10 tháng xung đột | Báo Mẫu</title>"
    body = ("<div class='e-magazine__body'><h4>THẾ TRẬN GIẰNG CO TRÊN CHIẾN TRƯỜNG SAU 10 THÁNG GIAO TRANH KHỐC "
            "LIỆT</h4>" + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(6)) + "</div>")
    a = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(a, Article) and a.sapo is None


def test_homepage_whose_extracted_text_is_one_featured_box_is_rejected() -> None:
    """A homepage without teasers under its links: the extractor finds one featured box, while the page's
    headline links hold far more text."""
    links = "".join(f"<li><a href='/xa-hoi/tin-so-{i}-2022122{i:04d}.htm'>Tin số {i}: cơ quan chức năng công bố "
                    f"kết quả kiểm tra sau sự cố giao thông</a></li>" for i in range(40))
    body = ("<div class='featured'><h2><a href='/xa-hoi/tin-chinh-20221224.htm'>Tin chính của ngày</a></h2>"
            f"<p>{PARA.format(i=1)}</p><p>{PARA.format(i=2)}</p></div><ul class='list'>{links}</ul>")
    head = "<meta charset='utf-8'><title>Báo Điện Tử</title>"
    out = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(out, Reject), out
    assert "headline links hold" in out.reason


def test_link_to_the_original_box_gives_the_credit_not_text() -> None:
    """CafeF/Soha 2026 end a republished text with the writer ("Theo Phạm Trường"), the source outlet in its own
    block (p.source), then a "Theo <outlet>" box with "Copy link", "Link bài gốc", "Lấy link!" and the original's
    address: writer → author, outlet → credit, none of it is text."""
    tail = ("</div><div class='t-contentdetail content_source'><p class='author'>Theo Phạm Trường</p>"
            "<p class='source' data-field='source'> Tiền Phong</p></div>"
            "<div class='bottom-info'><a class='link-source-name' href='javascript:;'>Theo "
            "<span class='link-source-text-name'>Tiền Phong</span><span><i>Copy link</i></span></a>"
            "<div class='link-source-detail'><span>Link bài gốc</span><span><i>Lấy link!</i></span>"
            "<span class='link-source-full'>https://tienphong.vn/bai-goc-post1860960.tpo</span></div></div>"
            "</article>")
    a = _article(tail)
    assert a.credit == "Tiền Phong"
    assert a.authors == ["Phạm Trường"]
    assert a.paragraphs[-1] == PARA.format(i=4)
    # the blocks as the main-content extractor hands them over on the real page
    blocks = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [
        htmltext.Block("Theo Phạm Trường", "p", "author"), htmltext.Block("Tiền Phong", "p", "source"),
        htmltext.Block("Theo Tiền Phong", "p"), htmltext.Block("Copy link", "p"),
        htmltext.Block("Link bài gốc", "p"), htmltext.Block("Lấy link!", "p"),
        htmltext.Block("https://tienphong.vn/bai-goc-post1860960.tpo", "p")]
    body = htmltext.refine(blocks, htmltext.Context())
    assert (body.authors, body.credit) == (["Phạm Trường"], "Tiền Phong")
    assert body.paragraphs == [PARA.format(i=i) for i in range(3)]


def test_source_class_line_is_the_credit() -> None:
    """An outlet name that no table knows, marked as the source by its class, is the credit."""
    body = htmltext.Body()
    bl = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [htmltext.Block("Nhà Đầu Tư Trẻ", "p",
                                                                                     "source")]
    htmltext.take_byline(bl, body)
    assert body.credit == "Nhà Đầu Tư Trẻ" and len(bl) == 3
    # the same line without the class is no credit
    body = htmltext.Body()
    bl = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [htmltext.Block("Nhà Đầu Tư Trẻ", "p")]
    htmltext.take_byline(bl, body)
    assert body.credit is None


CAPTIONS = ["Trang trại lợn của công ty nằm trong thung lũng, chỉ có một con đường độc đạo dẫn vào từ quốc lộ.",
            "Dự án được tỉnh chấp thuận chủ trương đầu tư năm 2021 với tổng vốn hơn 770 tỷ đồng, rộng hơn 50 ha.",
            "Sau vụ tai nạn, công an tỉnh phối hợp với các đơn vị liên quan phong tỏa hiện trường, làm rõ nguyên "
            "nhân.",
            "Các khu chuồng nuôi trong trang trại được xây dựng quy mô, có hệ thống xử lý nước thải riêng."]


def test_photo_story_whose_captions_the_extractor_dropped() -> None:
    """A photo story (every text block is a figure caption, CafeF 2026) where the main-content extractor kept
    only the sapo and the source box: the captions inside the article are the text, in order, and the source line
    is still the credit though nothing else is left after it."""
    ctx = htmltext.Context(title="Cận cảnh trại lợn nơi xảy ra vụ tai nạn",
                           captions={htmltext.text_key(c): c for c in CAPTIONS})
    blocks = [htmltext.Block("Cận cảnh trại lợn nơi xảy ra vụ tai nạn", "head"),
              htmltext.Block("Tiền Phong", "p", "source"), htmltext.Block("Theo Tiền Phong", "p"),
              htmltext.Block("Copy link", "p"), htmltext.Block("https://tienphong.vn/bai-goc-post1.tpo", "p")]
    body = htmltext.refine(blocks, ctx)
    assert body.paragraphs == CAPTIONS
    assert body.credit == "Tiền Phong"
    assert "photo-story" in body.flags and body.captions == []
    # two captions beside real text are captions, not the text
    ctx = htmltext.Context(captions={htmltext.text_key(c): c for c in CAPTIONS[:2]})
    body = htmltext.refine([htmltext.Block(PARA.format(i=i), "p") for i in range(3)], ctx)
    assert body.paragraphs == [PARA.format(i=i) for i in range(3)] and body.captions == CAPTIONS[:2]


def test_writer_in_the_author_meta_when_the_text_names_the_outlet() -> None:
    """``article:author`` "Theo Phạm Trường" and a "Theo Tiền Phong" line under the text: both are used."""
    head = HEAD + "<meta property='article:author' content='Theo Phạm Trường'>"
    body = ("<article><h1 class='title-page detail'>Năm khủng khiếp của tiền điện tử</h1>"
            "<div class='singular-content'>" + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5))
            + "<p>Theo Tiền Phong</p></div></article>")
    out = article_of(f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>".encode())
    assert isinstance(out, Article), out
    assert (out.authors, out.credit) == (["Phạm Trường"], "Tiền Phong")


def test_theo_a_domain_is_the_outlet_it_names() -> None:
    """Soha 2026: "Theo tienphong.vn" in the link-to-the-original box is the credit, named as the outlet."""
    assert htmltext.credit_of("Theo tienphong.vn") == "Tiền Phong"
    assert htmltext.credit_of("Theo baochuamoi.com.vn") == "baochuamoi.com.vn"
    body = htmltext.Body()
    bl = [htmltext.Block(PARA.format(i=i), "p") for i in range(3)] + [
        htmltext.Block("Theo tienphong.vn", "p"), htmltext.Block("Copy link", "p"),
        htmltext.Block("https://tienphong.vn/clip-o-to-post1860982.tpo", "p")]
    out = htmltext.refine(bl, htmltext.Context())
    assert out.credit == "Tiền Phong" and len(out.paragraphs) == 3


def test_source_box_away_from_the_text_gives_the_credit() -> None:
    """Soha 2026 prints the "Theo tienphong.vn" box after the tags and a "prefer us on Google" box, out of the
    extracted text's reach: the CMS's link-source name is the credit."""
    tail = ("</div><div class='gg-news'><a href='https://www.google.com/preferences/source?q=soha.vn'>Thêm SOHA "
            "trên Google</a><span class='t-tip'>Chọn SOHA làm nguồn <strong>ưu tiên</strong> trên <em>Google "
            "Search</em>. <a href='javascript:void(0)'>Xem hướng dẫn.</a></span></div>"
            "<div class='tags'><b class='box-title'>Tags</b></div>"
            "<div class='bottom-info'><div class='link-source-wrapper'><a class='link-source-name' "
            "href='javascript:;'>Theo <span class='link-source-text-name'>tienphong.vn</span>"
            "<span class='btn-copy-link-source'><i>Copy link</i></span></a><div class='link-source-detail'>"
            "<span class='link-source-detail-title'>Link bài gốc</span><span class='link-source-full'>"
            "https://tienphong.vn/clip-post1860982.tpo</span></div></div></div></article>")
    a = _article(tail)
    assert a.credit == "Tiền Phong"
    assert a.paragraphs[-1] == PARA.format(i=4)


def _without_site_parsers(payload: bytes) -> Article | Reject:
    from bantin.sources import sites

    saved = list(sites.PARSERS), dict(sites._BY_DOMAIN)
    sites.PARSERS.clear()
    sites._BY_DOMAIN.clear()
    try:
        return article_of(payload, "/in/saved.html")
    finally:
        sites.PARSERS[:] = saved[0]
        sites._BY_DOMAIN.update(saved[1])


BULLETS = ["Hãng bán lẻ kiên nhẫn chờ thị trường sách điện tử chín muồi.",
           "Thành công tới từ việc thay đổi cả một ngành có hệ thống.",
           "Điểm yếu của hãng là quan hệ với báo chí."]
GENK_2012 = (
    "<html><head><meta charset='utf-8'><title>Hãng bán lẻ lão luyện trong cuộc chiến công nghệ</title></head><body>"
    "<div class='menu'><ul>" + "".join(f"<li><a href='/m{i}.chn'>Mục {i}</a></li>" for i in range(8)) + "</ul></div>"
    "<div class='contentleft'><div class='news-show'><div class='news-showtitle margintop10'>"
    "<h2 class='sub_title'><a href='/internet.chn'>Internet</a></h2>"
    "<h1>Hãng bán lẻ lão luyện trong cuộc chiến công nghệ</h1><div class='note'><span>"
    "<span id='ctl00_ContentPlaceHolder1_ContentNews2_lblDattime'>21/12/2012 - 08:04</span></span></div></div>"
    "<div class='assessment'><div class='assessment-main1'><div class='init_content o_h'>"
    + "<br/>".join(f"- {b}" for b in BULLETS) + "</div><DIV align=center>"
    "<P style='TEXT-ALIGN: left'><I>Đây là quan điểm của một nhà phân tích trên tạp chí Forbes.</I></P>"
    + "".join(f"<P style='TEXT-ALIGN: left'>{PARA.format(i=i)}</P><P><BR></P>" for i in range(5))
    + "<DIV style='TEXT-ALIGN: right'><I>Theo Minh Nguyễn/Vcamp.vn</I></DIV></DIV></div></div>"
    "<div class='tinlienquan'><h2>Tin liên quan</h2><ul><li><a href='/a.chn'>Một tin khác về công nghệ</a></li>"
    "</ul></div></div></div></body></html>")


def test_genk_bulleted_lead_is_the_sapo() -> None:
    """GenK 2012 prints its lead as "- …" lines in div.init_content inside the text's box: the generic path
    reads those lines as body paragraphs (the first one lost); the GenK parser makes them the sapo, one line."""
    a = article_of(GENK_2012.encode(), "/in/saved.html")
    assert isinstance(a, Article)
    assert a.sapo == " ".join(f"- {b}" for b in BULLETS)
    assert a.paragraphs[0] == "Đây là quan điểm của một nhà phân tích trên tạp chí Forbes."
    assert a.paragraphs[-1] == PARA.format(i=4)
    assert a.authors == ["Minh Nguyễn"] and a.credit == "Vcamp.vn"
    assert a.published_at == "2012-12-21T08:04:00+07:00"
    generic = _without_site_parsers(GENK_2012.encode())
    assert isinstance(generic, Article)
    assert (generic.sapo, generic.paragraphs[0]) != (a.sapo, a.paragraphs[0])


def _vbulletin_page(published: str, footer: str) -> bytes:
    return (
        "<html><head><meta charset='utf-8'><title>Vào bếp làm bánh tình yêu - Teen9x</title></head><body>"
        "<div class='article_width' id='article_content'><div class='title'><h1 class='article_title "
        "cms_article_title'><span>Vào bếp làm bánh tình yêu</span></h1></div>"
        "<div class='article_author_date_comment_container'><div class='article_username_container'> by "
        "<a class='username' href='/members/1-admin.html'>Admin</a></div><div class='article_username_container'>"
        f"{published} &nbsp; Số lần xem: 169</div></div>"
        "<div class='article cms_clear restore postcontainer'>"
        + "".join(f"<p class='Normal'>{PARA.format(i=i)}</p>" for i in range(5))
        + "<p class='Normal' align='right'><strong>Lọ Mọ</strong></p></div></div>"
        "<div id='vbcms_widget_calendar_table'><table><tr><th>Tháng 12 2012</th></tr></table>12-27-2012</div>"
        f"<div class='below_body'><div id='footer_time' class='shade footer_time'>{footer}</div></div>"
        "</body></html>").encode()


@pytest.mark.parametrize(("published", "footer", "want"), [
    # vBulletin prints month first, on a 12-hour clock, in the board's zone (its footer says which)
    ("Published on 03-08-2011  01:00 AM", "Múi giờ GMT +8. Hiện tại là <span>02:43 AM</span>",
     "2011-03-08T00:00:00+07:00"),
    ("Published on 12-24-2012  09:15 PM", "All times are GMT +7. The time now is 02:43 AM",
     "2012-12-24T21:15:00+07:00"),
    ("Published on 11-05-2012  12:30 AM", "", "2012-11-05T00:30:00+07:00"),
])
def test_vbulletin_published_on_is_month_first_in_the_boards_zone(published: str, footer: str, want: str) -> None:
    a = article_of(_vbulletin_page(published, footer), "/in/saved.html")
    assert isinstance(a, Article)
    assert a.published_at == want
    assert a.authors == ["Lọ Mọ"]
    generic = _without_site_parsers(_vbulletin_page(published, footer))
    assert isinstance(generic, Article) and generic.published_at != want


PHOTO_CAPTIONS = [f"Chú thích thứ {i}: {PARA.format(i=i)}" for i in range(6)]


def _tienphong_photo_story() -> bytes:
    def pair(i: int) -> str:
        return ("<div class='layout-image-2'><figure><img src='data:,' data-src='https://cdn.example/a.jpg'></figure>"
                f"<figure><img src='data:,' data-src='https://cdn.example/b.jpg'></figure>"
                f"<figcaption>{PHOTO_CAPTIONS[i]}</figcaption></div>")

    def related(i: int) -> str:
        return (f"<div class='article-relate' data-source='related-news'><article class='story'><h2 class='story__heading'>"
                f"<a class='cms-link' href='https://tienphong.vn/tin-{i}-post18{i:05d}.tpo'>Một tin liên quan số {i} của "
                f"chuyên mục giải trí</a></h2></article></div>")

    ad = "<div class='sda_middle'><div id='sdaWeb_SdaArticleMiddle' class='rennab fyi'></div></div>"
    return (
        "<html><head><meta charset='utf-8'><title>Siêu mẫu bị chê trên mạng xã hội</title>"
        "<link rel='canonical' href='https://tienphong.vn/sieu-mau-bi-che-post1874000.tpo'>"
        "<meta property='og:type' content='article'></head><body><div class='article'>"
        "<div class='article__header'><h1 class='article__title cms-title'> Siêu mẫu bị chê trên mạng xã hội </h1>"
        "<div class='article__meta'><div class='wrap-author'><div class='author'> Minh Vũ </div></div>"
        "<time class='time' datetime='2026-09-06T15:33:28+07:00'>06/09/2026 15:33</time></div></div>"
        "<div class='article__sapo cms-desc'><p>TPO - Một siêu mẫu bị chỉ trích sau khi thả tim ảnh bạn trai.</p></div>"
        "<div class='article__body zce-content-body cms-body'>"
        + pair(0) + pair(1) + pair(2) + ad + pair(3) + related(1) + pair(4) + ad + pair(5) + related(2) + related(3)
        + "</div><div class='article-footer'><div class='article__author'><span class='name'>Minh Vũ</span></div>"
        "<div class='article__tag'><a href='/tu-khoa/a.tpo'>#Siêu mẫu</a></div></div></div></body></html>").encode()


def test_tienphong_photo_story_keeps_every_caption_in_order() -> None:
    """A Tiền Phong photo story: the figcaptions under each pair of photos are the text, with ad slots and
    related-article boxes between them. The outlet parser keeps all six captions in page order (the generic path
    kept three of the real page's nine) and none of the related headlines."""
    a = article_of(_tienphong_photo_story(), "/in/saved.html")
    assert isinstance(a, Article)
    assert a.paragraphs == PHOTO_CAPTIONS
    assert a.sapo == "TPO - Một siêu mẫu bị chỉ trích sau khi thả tim ảnh bạn trai."
    assert a.authors == ["Minh Vũ"]
    assert a.published_at.startswith("2026-09-06T15:33")


def _desk_byline_page(author: str) -> bytes:
    return (
        "<html><head><meta charset='utf-8'><title>Khởi tố thêm một giáo viên trong vụ gian lận thi cử</title>"
        "<link rel='canonical' href='https://vtv.vn/khoi-to-them-mot-giao-vien-100260717183037249.htm'>"
        "<meta property='og:site_name' content='BAO DIEN TU VTV'><meta property='og:type' content='article'>"
        f"<meta property='article:author' content='{author}'>"
        "<meta property='article:published_time' content='2026-07-17T18:49:00'></head><body><article>"
        "<h1 class='title'>Khởi tố thêm một giáo viên trong vụ gian lận thi cử</h1>"
        f"<div class='flex-author'><span class='name'>{author}</span><p class='days'>17/07/2026 18:49 GMT+7</p></div>"
        + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(5)) + "</article></body></html>").encode()


def test_byline_with_the_outlets_own_desk_in_brackets_names_the_writer() -> None:
    """VTV signs "Phùng Anh (VTV Online)": the bracket names the page's own site (its online desk), so the
    writer is Phùng Anh and there is no syndication credit; a bracket naming another outlet is not stripped."""
    a = article_of(_desk_byline_page("Phùng Anh (VTV Online)"), "/in/saved.html")
    assert isinstance(a, Article)
    assert a.authors == ["Phùng Anh"]
    assert a.credit is None
    other = article_of(_desk_byline_page("Phùng Anh (Reuters)"), "/in/saved.html")
    assert isinstance(other, Article)
    assert other.authors != ["Phùng Anh"]


def test_text_paragraph_whose_class_looks_like_an_ad_is_kept() -> None:
    """VOV marks a quote paragraph in the middle of the text `class="ads-detail-center"` (an ad slot is placed
    after it): the junk-class pruning must not drop a <p> of the text itself."""
    quote = ("“Tập thể này không bao giờ từ bỏ, chúng tôi tiếp tục chơi bóng với quyết tâm cao nhất và tin rằng có "
             "thể giành chiến thắng ngay trong 90 phút” - đội trưởng chia sẻ thêm.")
    body = ("<nav class='menu'><a href='/a'>Thể thao</a><a href='/b'>Bóng đá</a></nav><article>"
            "<h1 class='article-title'>Đội tuyển đối diện án phạt sau khi vào chung kết</h1>"
            "<div class='text-long'>" + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(3))
            + f"<p class=' ads-detail-center'>{quote}</p><div><div id='block-ads-69' class='block-ads'></div></div>"
            + "".join(f"<p>{PARA.format(i=i)}</p>" for i in range(3, 6)) + "</div></article>")
    a = article_of(f"<html><head><meta charset='utf-8'>{HEAD}</head><body>{body}</body></html>".encode())
    assert isinstance(a, Article)
    assert quote in a.paragraphs

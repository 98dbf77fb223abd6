"""Bylines at the end of text dumps and JSONL/CSV bodies are authors and credits, not text — and not entities."""

from __future__ import annotations

import json

import pytest

from bantin.clean.article import clean
from bantin.model import Article, Raw
from bantin.pipeline import make_article
from bantin.sources import parse

BODY = ["Sáng 12/3, Công an huyện Di Linh (Lâm Đồng) cho biết đã bắt giữ hai đối tượng trộm cắp tài sản.",
        "Hai người khai đã lấy trộm 5 chiếc xe máy trong tháng qua rồi mang đi bán ở các tỉnh lân cận."]


def jsonl_article(body: list[str], **extra) -> Article:
    line = json.dumps({"title": "Bắt hai đối tượng trộm xe máy", "body": "\n".join(body), **extra}, ensure_ascii=False)
    a = clean(parse(Raw(payload=line.encode(), path="/x/a.jsonl", record="1", format="jsonl")))
    assert isinstance(a, Article)
    return a


@pytest.mark.parametrize("line,authors,credit", [
    ("Mộc Miên (Tổng hợp)", ["Mộc Miên"], None),
    ("Vũ Anh (Theo Reuters)", ["Vũ Anh"], "Reuters"),
    ("Theo TTXVN", [], "TTXVN"),
    ("Ngân Hà - Hoàng Kim", ["Ngân Hà", "Hoàng Kim"], None),
    ("Đ. V (T / h)", ["Đ. V"], None),
    ("H.Y (tổng hợp)", ["H.Y"], None),
])
def test_a_trailing_byline_becomes_authors_and_credit(line, authors, credit):
    a = jsonl_article([*BODY, line])
    assert a.paragraphs == BODY
    assert a.authors == authors and a.credit == credit
    assert f"byline-moved:{line}" in a.flags  # the printed line is kept


@pytest.mark.parametrize("last", [
    "Vụ việc đang được cơ quan chức năng điều tra, làm rõ.",
    "* Bài viết thể hiện quan điểm riêng của tác giả",
    "Hà Nội",
    "Xem thêm: Máy bay nổ 8 lốp, đường băng Tokyo đóng cửa",
    "Kinh doanh",
])
def test_text_that_only_looks_short_stays_text(last):
    a = jsonl_article([*BODY, last])
    assert a.paragraphs == [*BODY, last] and a.authors == [] and not any(f.startswith("byline") for f in a.flags)


def test_a_one_line_body_is_never_taken():
    a = jsonl_article(["Mộc Miên"])
    assert a.paragraphs == ["Mộc Miên"]


def test_text_dumps_too_and_the_id_does_not_change():
    text = "Bắt hai đối tượng trộm xe máy\n" + "\n".join(BODY) + "\nMộc Miên (Tổng hợp)\n"
    raw = Raw(payload=text.encode(), path="/x/a.txt", record="", format="text")
    a = clean(parse(raw))
    assert a.paragraphs == BODY and a.authors == ["Mộc Miên"]
    from bantin.clean.article import article_id
    from bantin.clean.fold import text_keys

    # the id is made from the body as the input printed it (byline included): ids from earlier versions hold
    assert a.id == article_id(None, None, a.title, "".join(text_keys([*BODY, "Mộc Miên (Tổng hợp)"])))


def test_authors_given_as_a_field_are_kept_and_merged():
    a = jsonl_article([*BODY, "Mộc Miên (Tổng hợp)"], author="Mộc Miên")
    assert a.authors == ["Mộc Miên"]
    b = jsonl_article([*BODY, "Vũ Anh (Theo Reuters)"], author="Lê Phương", credit="AFP")
    assert b.authors == ["Lê Phương", "Vũ Anh"] and b.credit == "AFP"


def test_the_byline_is_not_an_entity_of_the_text():
    """"Mộc Miên (Tổng hợp)" was tagged as a place in 172 VietNews articles."""
    line = json.dumps({"title": "Bắt hai đối tượng trộm xe máy", "body": "\n".join([*BODY, "Mộc Miên (Tổng hợp)"])},
                      ensure_ascii=False)
    a = make_article(Raw(payload=line.encode(), path="/x/a.jsonl", record="1", format="jsonl"))
    assert isinstance(a, Article) and a.authors == ["Mộc Miên"]
    names = {m["name"] for m in a.annotations["entities"]}
    assert "Di Linh" in names or "Lâm Đồng" in names
    assert not any("Mộc Miên" in n or "Tổng hợp" in n for n in names)


@pytest.mark.parametrize("tail,kept,authors", [
    (["Neil Gorsuch.", "Phương Vũ"], ["Neil Gorsuch."], ["Phương Vũ"]),  # a caption above: only the byline goes
    (["Trung Quốc", "Đài Loan", "Hong Kong", "Nhật Bản"], ["Trung Quốc", "Đài Loan", "Hong Kong", "Nhật Bản"], []),
    (["Phong Linh", "Thiết kế: Nguyễn Thực"], [], ["Phong Linh", "Nguyễn Thực"]),  # a role line and a names line
    (["Nguyễn Văn A", "Trần Thị B"], ["Nguyễn Văn A", "Trần Thị B"], []),  # two names lines: a list, not a byline
    (["Video: Hiện trường vụ tai nạn trên cao tốc", "An Nhơn"], [], ["An Nhơn"]),
])
def test_conservative_on_blocks_of_short_lines(tail, kept, authors):
    a = jsonl_article([*BODY, *tail])
    assert a.paragraphs == [*BODY, *kept] and a.authors == authors

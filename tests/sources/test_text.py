import pytest

from bantin.clean.article import clean
from bantin.model import Article, Raw, Reject
from bantin.sources import text
from conftest import SEED_LIKE


def parse_clean(s: str | bytes) -> Article | Reject:
    payload = s.encode() if isinstance(s, str) else s
    d = text.parse(Raw(payload=payload, path="/x/a.txt", record="", format="text"))
    return d if isinstance(d, Reject) else clean(d)


BODY = ("Nội dung đoạn thứ nhất của bài báo nói về một sự kiện quan trọng.\n"
        "Đoạn thứ hai tiếp tục trình bày chi tiết sự kiện và ý kiến của các bên.\n")


@pytest.mark.parametrize("line,iso", [
    ("16/05/2024 - 14:51", "2024-05-16T14:51:00+07:00"),
    ("Thứ năm, 16/5/2024, 14:51 (GMT+7)", "2024-05-16T14:51:00+07:00"),
    ("16-05-2024 14:51", "2024-05-16T14:51:00+07:00"),
    ("14:51 16/05/2024", "2024-05-16T14:51:00+07:00"),
    ("Cập nhật: 16/05/2024 14:51", "2024-05-16T14:51:00+07:00"),
    ("Cập nhật lúc 14:51 ngày 16/05/2024", "2024-05-16T14:51:00+07:00"),
    ("20.05.2016 | 10:49 AM", "2016-05-20T10:49:00+07:00"),
    ("Thứ 6, 11:03, 20/05/2016", "2016-05-20T11:03:00+07:00"),
    ("16/05/2024 14:51 GMT+0", "2024-05-16T21:51:00+07:00"),
])
def test_date_line_forms(line, iso):
    a = parse_clean(f"Tiêu đề bài báo\n{line}\n{BODY}")
    assert isinstance(a, Article)
    assert a.published_at == iso
    assert a.paragraphs == BODY.strip().split("\n")


def test_seed_shape_title_date_views_truncated_lead_body_twice():
    a = parse_clean(SEED_LIKE)
    assert isinstance(a, Article)
    assert a.title == "Mỹ và Trung Quốc lần đầu tiên tổ chức đối thoại liên chính phủ về AI"
    assert a.published_at == "2024-05-16T14:51:00+07:00"
    assert a.views == 235
    assert a.sapo.endswith("nhằm thúc") and a.sapo_truncated
    assert "sapo-truncated" in a.flags
    assert len(a.paragraphs) == 3
    assert a.paragraphs[0].startswith("Phái đoàn") and a.paragraphs[2].startswith("Cuộc họp")
    assert any(f.startswith("repeated-body-removed") for f in a.flags)


@pytest.mark.parametrize("views_line,views", [("1.284", 1284), ("Lượt xem: 3.402", 3402), ("235 lượt xem", 235)])
def test_view_count_forms(views_line, views):
    a = parse_clean(f"Tiêu đề\n16/05/2024 14:51\n{views_line}\n{BODY}")
    assert a.views == views


def test_title_that_contains_a_date_is_not_metadata():
    a = parse_clean("Ngày 16/5: Mỹ và Trung Quốc đối thoại\n" + BODY)
    assert a.title.startswith("Ngày 16/5") and a.published_at is None
    assert a.paragraphs[0].startswith("Nội dung")


def test_ambiguous_lines_stay_text():
    # a body line that starts with a date is not a date line; a number far from the title is not a view count
    a = parse_clean("Tiêu đề\nNgày 16/05/2024, đoàn công tác đã đến Hà Nội làm việc với các bộ ngành.\n2024\n" + BODY)
    assert a.published_at is None and a.views is None
    assert a.paragraphs[0].startswith("Ngày 16/05/2024") and "2024" in a.paragraphs


def test_lead_without_cut_mark_and_without_metadata_block_stays_in_body():
    a = parse_clean("Tiêu đề\n16/05/2024 14:51\n" + BODY)
    assert a.sapo is None and len(a.paragraphs) == 2


@pytest.mark.parametrize("content,reason", [
    ("", "no text"),
    ("   \n\n \t\n", "no text"),
    ("12345\n67890\n", "no recognisable title"),
    ("x" * 500 + "\nbody\n", "no recognisable title"),
    ("Chỉ có tiêu đề\n", "only a title"),
])
def test_rejects_say_why(content, reason):
    r = parse_clean(content)
    assert isinstance(r, Reject) and reason in r.reason
    assert r.path == "/x/a.txt"


PY_SCRIPT = '''#!/usr/bin/env python3
"""Tải tin tức từ trang báo và lưu vào tệp."""
import json
import sys
from pathlib import Path

URL = "https://vnexpress.net/rss/tin-moi-nhat.rss"


def main(out: str) -> None:
    items = fetch(URL)
    for it in items:
        print(it["title"])
    Path(out).write_text(json.dumps(items))


if __name__ == "__main__":
    main(sys.argv[1])
'''
JS = """// lấy danh sách bài viết
const items = [];
function load(url) {
  fetch(url).then(r => r.json()).then(data => {
    items.push(...data);
  });
}
load('/api/tin-moi');
"""
OLD_PAGE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>Giá vàng tăng mạnh - '
            'Báo Mẫu</title></head><body><div class="menu"><a href="/">Trang chủ</a> <a href="/kt">Kinh tế</a></div>'
            '<div class="content"><h1>Giá vàng tăng mạnh</h1><p>Giá vàng trong nước sáng nay tăng thêm 500.000 đồng '
            'mỗi lượng, lên mức cao nhất từ đầu năm.</p><p>Các doanh nghiệp cho biết nhu cầu mua vàng tăng trong '
            'những ngày gần đây.</p></div></body></html>')


@pytest.mark.parametrize("content,reason", [
    (PY_SCRIPT, "program code, not article text"),
    (JS, "program code, not article text"),
    ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Tin mới</title></channel></rss>',
     "markup, not article text: the file is XML"),
])
def test_code_and_markup_saved_as_text_are_rejected_with_the_reason(content, reason):
    r = parse_clean(content)
    assert isinstance(r, Reject) and r.stage == "parse" and reason in r.reason
    assert r.payload == content.encode()


def test_a_web_page_saved_as_text_is_read_as_a_page():
    a = parse_clean(OLD_PAGE)
    assert isinstance(a, Article), a
    assert a.title == "Giá vàng tăng mạnh" and "html-in-text-file" in a.flags
    assert a.paragraphs[0].startswith("Giá vàng trong nước sáng nay") and not any("<" in p for p in a.paragraphs)


def test_articles_with_lists_and_formulas_are_not_code():
    lines = [f"- Dự án khu nghỉ dưỡng số {i} do công ty CP Phát triển {i} (Đà Nẵng) làm chủ đầu tư;" for i in range(8)]
    a = parse_clean("Danh sách dự án ven biển\n" + "\n".join(lines) + "\nTỷ lệ x = 5% được áp dụng (theo quy định).\n")
    assert isinstance(a, Article) and len(a.paragraphs) == 9

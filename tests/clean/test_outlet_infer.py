"""Outlets named by the text of inputs that carry no outlet field (issue 16), and the text-dump fixes that came
with it: a date line cut inside its zone, a lead pasted again into the body."""

from __future__ import annotations

import json

import pytest

from bantin.clean.outlet_infer import infer_outlet
from bantin.model import Article, Raw
from bantin.pipeline import articles_from

BODY = ("Đoạn thứ hai của bài viết nói về tình hình giao thông trong những ngày mưa lớn.\n"
        "Đoạn thứ ba kể lại ý kiến của người dân sống hai bên đường về việc ngập nước.")


def one(payload: str, fmt: str = "text", path: str = "/in/bai.txt") -> Article:
    [a] = list(articles_from([Raw(payload=payload.encode(), path=path, record="1", format=fmt)]))
    assert isinstance(a, Article), a
    return a


@pytest.mark.parametrize("first, want, how", [
    ("(Dân trí) - Sáng nay, giá vàng miếng tăng thêm 500.000 đồng mỗi lượng.", "Dân trí", "dateline"),
    ("(NLĐO)- Cho rằng chủ hụi méc mẹ vợ chuyện mình thiếu nợ, bị cáo đã xách dao đi nói chuyện.",
     "Người Lao Động", "dateline"),
    ("TT - Sáng 3/6, UBND TP.HCM tổ chức họp báo về dự án chống ngập.", "Tuổi Trẻ", "dateline"),
    ("(TNO) TAND TP.Đà Nẵng vừa mở phiên tòa xét xử sơ thẩm 5 bị cáo.", "Thanh Niên", "dateline"),
])
def test_dateline_names_the_outlet_of_a_text_dump(first: str, want: str, how: str) -> None:
    a = one(f"Tiêu đề bài viết thử nghiệm\n{first}\n{BODY}")
    assert a.outlet == want
    assert f"outlet-inferred:{how}" in a.flags


def test_closing_credit_and_url_line_name_the_outlet() -> None:
    a = one(f"Tiêu đề bài viết thử nghiệm\n{BODY}\nTheo TTXVN")
    assert (a.outlet, "outlet-inferred:credit" in a.flags) == ("TTXVN", True)
    a = one(f"Tiêu đề bài viết thử nghiệm\n{BODY}\nNguồn: https://nld.com.vn/thoi-su/bai-viet-2024.htm")
    assert (a.outlet, "outlet-inferred:url" in a.flags) == ("Người Lao Động", True)


def test_jsonl_without_outlet_field_gets_one_and_a_given_outlet_wins() -> None:
    rec = {"title": "Tiêu đề bài viết thử nghiệm", "sapo": "(Dân trí) - Sáng nay giá vàng tăng mạnh.",
           "body": BODY}
    assert one(json.dumps(rec, ensure_ascii=False), "jsonl", "/in/x.jsonl").outlet == "Dân trí"
    a = one(json.dumps({**rec, "outlet": "Báo Mẫu"}, ensure_ascii=False), "jsonl", "/in/x.jsonl")
    assert a.outlet == "Báo Mẫu" and not any(f.startswith("outlet-inferred") for f in a.flags)


def test_places_and_sentences_are_not_outlets() -> None:
    assert infer_outlet("Hà Nội - Ba tuyến buýt điện mới chạy từ sáng 3/11.", []) is None
    assert infer_outlet("TP.HCM - Sáng nay mưa lớn.", []) is None
    assert infer_outlet(None, ["Theo ông Tuyển, thị trường sẽ phục hồi vào năm sau."]) is None
    assert one(f"Tiêu đề bài viết thử nghiệm\n{BODY}").outlet is None


def test_date_line_cut_inside_its_zone_is_a_date_not_body_text() -> None:
    a = one(f"Tiêu đề bài viết thử nghiệm\nThứ sáu, 3/6/2016 | 09:34 GMT+\n{BODY}")
    assert a.published_at == "2016-06-03T09:34:00+07:00"
    assert all("GMT" not in p for p in a.paragraphs)


def test_lead_pasted_into_the_body_is_not_a_paragraph() -> None:
    lead = "Mưa lớn kéo dài từ đêm qua khiến nhiều tuyến phố ở Hà Nội ngập sâu, giao thông ùn tắc."
    a = one(f"Tiêu đề bài viết thử nghiệm\n12/09/2024 - 07:35\n{lead}\n{lead}\n{BODY}")
    assert a.sapo == lead
    assert a.paragraphs == BODY.split("\n")


def test_a_given_outlet_name_is_mapped_to_the_canonical_one() -> None:
    rec = {"title": "Tiêu đề bài viết thử nghiệm", "body": BODY, "outlet": "Báo Thanh Niên"}
    assert one(json.dumps(rec, ensure_ascii=False), "jsonl", "/in/x.jsonl").outlet == "Thanh Niên"


def test_clean_does_not_import_sources() -> None:
    """clean/ is below sources/ in the flow: what both use (the outlet table, the lead's cut mark) lives in clean."""
    import ast
    from pathlib import Path

    import bantin.clean

    for f in Path(bantin.clean.__file__).parent.glob("*.py"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        mods = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        mods |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(m.startswith("bantin.sources") for m in mods), (f.name, mods)

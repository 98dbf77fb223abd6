"""A small archive for the API, page and browser tests: the bundled samples plus generated articles with outlets,
dates, entities, copies of one text, an undated article and one written to attack the page (XSS)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import SAMPLES

OUTLETS = ["VnExpress", "Tuổi Trẻ", "Dân trí"]
XSS_TITLE = '<script>alert(1)</script> Giá lúa tăng "><img src=x onerror=alert(1)>'
XSS_URL = "javascript:alert(document.domain)"
#: the query that finds the generated rail articles, with and without diacritics
RAIL_Q, RAIL_Q_PLAIN = "đường sắt", "duong sat"
N_RAIL = 24


def rail_articles() -> list[dict]:
    """24 dated articles about a railway (one text published twice), from three outlets over 24 days."""
    out = []
    for i in range(N_RAIL):
        day = 1 + i
        who = "Nguyễn Văn Thắng" if i % 3 == 0 else "Trần Hồng Hà"
        body = (f"Bộ Giao thông vận tải cho biết dự án đường sắt tốc độ cao đoạn số {i + 1} đã hoàn thành "
                f"{10 + i}% khối lượng.\nBộ trưởng {who} kiểm tra công trường tại Hà Nội sáng ngày {day}/3.\n"
                f"Theo kế hoạch, đoạn {i + 1} dài {20 + i} km sẽ thông xe vào quý {1 + i % 4} năm sau, "
                f"nối Hà Nội với các tỉnh phía nam.\nNhà thầu đã huy động {100 + 7 * i} kỹ sư và công nhân "
                f"làm việc ba ca mỗi ngày để bù tiến độ bị chậm trong mùa mưa năm ngoái.")
        out.append({"id": f"rail-{i:02d}", "title": f"Đường sắt tốc độ cao: đoạn {i + 1} đạt {10 + i}% khối lượng",
                    "sapo": f"Công trường đoạn {i + 1} làm việc ba ca để kịp tiến độ.", "body": body,
                    "published_at": f"2024-03-{day:02d}T{8 + i % 10:02d}:00:00+07:00",
                    "outlet": OUTLETS[i % 3], "url": f"https://example.vn/duong-sat-{i}.html"})
    # a wire copy: the text of rail-05, republished by another outlet a day later
    copy = dict(out[5])
    copy.update(id="rail-05-copy", outlet="Báo Mới", url="https://example.vn/copy-duong-sat-5.html",
                published_at="2024-03-07T09:30:00+07:00")
    out.append(copy)
    return out


def other_articles() -> list[dict]:
    return [
        {"id": "xss-1", "title": XSS_TITLE, "sapo": '<b>in đậm</b> "><svg onload=alert(2)>',
         "body": "Nông dân ở Cần Thơ bán lúa giá cao.\n<script>alert(3)</script> và \"><img src=x onerror=alert(4)>\n"
                 "Xem thêm tại javascript:alert(5) hoặc liên hệ UBND thành phố Cần Thơ.",
         "published_at": "2024-04-02T10:00:00+07:00", "outlet": "<i>Báo</i> \"Lạ\"", "url": XSS_URL,
         "authors": ["<script>alert(6)</script>"], "tags": ["<img src=x onerror=alert(7)>"]},
        {"id": "undated-1", "title": "Bài không ghi ngày về đường sắt đô thị",
         "body": "Tuyến đường sắt đô thị số 2 đang được khảo sát.\nChưa có lịch khởi công cụ thể."},
    ]


def build(dir: Path) -> Path:
    """Ingest the samples and the generated articles into ``dir/web.db`` (entities on, duplicates checked)."""
    from bantin.archive import Bantin

    dir.mkdir(parents=True, exist_ok=True)
    src = dir / "gen.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in rail_articles() + other_articles()),
                   encoding="utf-8")
    db = dir / "web.db"
    with Bantin(str(db)) as b:
        b.ingest([str(SAMPLES), str(src)], workers=1)
    return db


def copy_archive(src: Path, dst: Path) -> Path:
    """A consistent copy (SQLite's backup API: the WAL included)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def more_rail(n: int, start_day: int, prefix: str) -> list[dict]:
    """``n`` more rail articles (for pagination across inserts), on days from ``start_day`` of April 2024 or,
    with a negative day, of February."""
    topics = ["giải phóng mặt bằng ở Nghệ An", "đấu thầu gói thép ray", "đào tạo kỹ sư vận hành tàu",
              "khảo sát địa chất vùng núi", "vốn vay ưu đãi cho nhà ga", "di dời đường điện cao thế",
              "thiết kế cầu cạn qua sông Hồng", "tín hiệu điều khiển chạy tàu", "bảo vệ môi trường khu rừng"]
    out = []
    for i in range(n):
        month, day = (4, start_day + i) if start_day > 0 else (2, -start_day + i)
        topic = topics[(sum(map(ord, prefix)) + i) % len(topics)]
        out.append({"id": f"{prefix}-{i}", "title": f"Đường sắt: {topic} ({prefix} {i})",
                    "body": f"Về dự án đường sắt tốc độ cao, {topic} được đẩy nhanh trong tháng {month}.\n"
                            f"Ban quản lý dự án {prefix.upper()} {i} báo cáo {37 * (i + 3) % 101} vướng mắc "
                            f"cần tháo gỡ, trong đó {i + 2} việc liên quan đến {topics[(i + 4) % len(topics)]}.",
                    "published_at": f"2024-{month:02d}-{day:02d}T12:00:00+07:00", "outlet": "VnExpress"})
    return out


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path




# -- pytest fixtures, shared by tests/api and tests/web (their conftest.py import them) --------------------------
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory) -> Path:
    """The test archive, built once per session; tests that write get their own copy (``archive``)."""
    return build(tmp_path_factory.mktemp("webarchive"))


@pytest.fixture
def archive(tmp_path: Path, built_archive: Path) -> Path:
    return copy_archive(built_archive, tmp_path / "copy.db")


def make_client(db: Path, **config):
    from fastapi.testclient import TestClient

    from bantin.api.app import ServeConfig, create_app

    return TestClient(create_app(ServeConfig(db=str(db), **config)))


@pytest.fixture
def client(archive: Path):
    with make_client(archive) as c:
        yield c


@pytest.fixture(scope="session")
def ro_client(built_archive: Path):
    """A client over the shared archive, for tests that only read."""
    with make_client(built_archive) as c:
        yield c

"""Article texts for the dedup tests: distinct real-looking Vietnamese sentences, made reproducibly."""

from __future__ import annotations

import json
import random
from pathlib import Path

SYLLABLES = ("người dân huyện xã tỉnh thành phố công an điều tra vụ việc chính quyền địa phương cho biết ngày "
             "hôm qua sáng chiều tối nay năm tháng tuần trước sau đó khoảng hơn gần triệu đồng tỷ lao động học "
             "sinh giáo viên trường bệnh viện bác sĩ cấp cứu giao thông xe máy ô tô tai nạn cầu đường dự án vốn "
             "đầu tư doanh nghiệp thị trường giá vàng tăng giảm mạnh nhẹ ổn định thời tiết mưa lớn nắng nóng "
             "bão lũ sạt lở đất miền núi vùng ven biển hòa bình khỏe mạnh thủy sản nông nghiệp lúa gạo cà phê "
             "xuất khẩu nhập hàng hóa dịch vụ du lịch khách quốc tế bóng đá đội tuyển trận đấu bàn thắng").split()


def sentence(rng: random.Random, n: int = 18) -> str:
    words = [rng.choice(SYLLABLES) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def body(seed: int, paragraphs: int = 12) -> list[str]:
    rng = random.Random(seed)
    return [sentence(rng, rng.randint(14, 26)) for _ in range(paragraphs)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def record(id: str, title: str, paras: list[str], published: str | None = None, url: str | None = None,
           outlet: str | None = None, sapo: str | None = None) -> dict:
    r: dict = {"id": id, "title": title, "body": "\n".join(paras)}
    if published:
        r["published_at"] = published
    if url:
        r["url"] = url
    if outlet:
        r["outlet"] = outlet
    if sapo:
        r["sapo"] = sapo
    return r

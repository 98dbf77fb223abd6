"""Helpers of the archive fault tests (disk full, read-only media, killed ingest): synthetic news and mounts."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

SYLLABLES = ("người dân thành phố công an hội nghị kinh tế giá vàng thị trường chứng khoán bóng đá đội tuyển "
             "học sinh trường giáo dục bệnh viện bác sĩ y tế mưa lũ miền núi giao thông tai nạn xe máy đường "
             "sắt sân bay xuất khẩu nông sản doanh nghiệp ngân hàng lãi suất chính phủ quốc hội bộ trưởng đại "
             "biểu cử tri văn hóa du lịch biển đảo khoa học công nghệ trí tuệ nhân tạo điện thoại mạng").split()


def write_news(path: Path, n: int, *, seed: int = 1, words: int = 300) -> Path:
    """``n`` distinct articles as JSON Lines (random syllables: they neither compress much nor deduplicate)."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            body = "\n".join(" ".join(rnd.choice(SYLLABLES) for _ in range(words // 5)) + "." for _ in range(5))
            f.write(json.dumps({"id": f"tin-{seed}-{i}", "title": f"Tin số {i}: " + " ".join(rnd.sample(SYLLABLES, 6)),
                                "body": body, "published_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+07:00"},
                               ensure_ascii=False) + "\n")
    return path


def counts(db: Path) -> dict[str, int]:
    """Rows that must agree in a consistent archive (read-only; the WAL is read)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "distinct_ids": one("SELECT count(DISTINCT id) FROM articles"),
            "with_provenance": one("SELECT count(DISTINCT article_rowid) FROM provenance"),
            "provenance": one("SELECT count(*) FROM provenance"),
            "text_fts": one("SELECT count(*) FROM text_fts_docsize"),
            "lead_fts": one("SELECT count(*) FROM lead_fts_docsize"),
            "dedup_docs": one("SELECT count(*) FROM dedup_docs"),
            "pending": one("SELECT count(*) FROM dedup_docs WHERE checked = 0"),
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0] == "ok",
        }
    finally:
        con.close()


def ids(db: Path) -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT id FROM articles")}
    finally:
        con.close()


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def tmpfs(where: Path, size: str):
    """A small tmpfs at ``where`` (a real full disk: ENOSPC from the kernel); skips without mount rights."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)):
        pytest.skip("needs root (mount) to make a small tmpfs for the disk-full tests")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


@contextmanager
def read_only_view(src: Path, where: Path):
    """``src`` seen read-only at ``where``: a read-only bind mount as root (EROFS, as on read-only media), else a
    copy whose files and folder lose their write permission (EACCES)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        if not _mount("--bind", str(src), str(where)):
            pytest.skip("cannot bind-mount here")
        if not _mount("-o", "remount,bind,ro", str(where)):
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
            pytest.skip("cannot remount read-only here")
        try:
            yield where
        finally:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
        return
    for f in src.iterdir():
        (where / f.name).write_bytes(f.read_bytes())
        os.chmod(where / f.name, 0o444)
    os.chmod(where, 0o555)
    try:
        yield where
    finally:
        os.chmod(where, 0o755)

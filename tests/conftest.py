"""Shared test helpers: the real `bantin` command, sample files, and the shared-data location."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
BANTIN = str(Path(sys.executable).parent / "bantin")


def run_cli(*args: str, db: Path | None = None, input: bytes | None = None, env: dict | None = None,
            check: int | None = None) -> subprocess.CompletedProcess:
    """Run the installed `bantin` command; returns the completed process (stdout/stderr as bytes)."""
    cmd = [BANTIN]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += list(args)
    e = {**os.environ, **(env or {})}
    p = subprocess.run(cmd, input=input, capture_output=True, env=e, timeout=300)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout.decode()[-2000:], p.stderr.decode()[-2000:])
    return p


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def needs_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear message."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs shared data at {p} (set BANTIN_SHARED to its location)")
    return p


SEED_LIKE = """Mỹ và Trung Quốc lần đầu tiên tổ chức đối thoại liên chính phủ về AI
16/05/2024 - 14:51
235
Mỹ và Trung Quốc lần đầu tiên tổ chức đối thoại về trí tuệ nhân tạo (AI) tại Geneva, Thụy Sĩ. Đây là một phần trong nỗ lực nhằm thúc ...
Phái đoàn hai nước tập trung thảo luận cách tiếp cận của mỗi bên trong việc giải quyết vấn đề an toàn công nghệ.
Người phát ngôn Bộ Ngoại giao Trung Quốc nhấn mạnh cuộc đối thoại diễn ra ở Geneva vào ngày 14/5 theo giờ địa phương.
Cuộc họp không đề cập đến các biện pháp hạn chế xuất khẩu công nghệ tiên tiến.
Phái đoàn hai nước tập trung thảo luận cách tiếp cận của mỗi bên trong việc giải quyết vấn đề an toàn công nghệ.
Người phát ngôn Bộ Ngoại giao Trung Quốc nhấn mạnh cuộc đối thoại diễn ra ở Geneva vào ngày 14/5 theo giờ địa phương.
Cuộc họp không đề cập đến các biện pháp hạn chế xuất khẩu công nghệ tiên tiến.
"""

"""Shared test helpers: the real `bantin` command, sample files, and the shared-data location."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
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


# -- archives of both backends -----------------------------------------------------------------------------------
#: A PostgreSQL server for the tests: $BANTIN_TEST_PG (`.ci/postgres.sh start` prints it), else the throwaway
#: cluster's default address. Tests that need it skip with this message when no server answers.
PG_DEFAULT = "postgresql://postgres@127.0.0.1:55432/bantin_test"
_pg_state: dict[str, str | None] = {}


def pg_server() -> str:
    """URL of a reachable PostgreSQL server, or skip the test saying how to get one."""
    if "url" not in _pg_state:
        url = os.environ.get("BANTIN_TEST_PG") or PG_DEFAULT
        try:
            import psycopg

            psycopg.connect(url, connect_timeout=3).close()
            _pg_state["url"], _pg_state["why"] = url, None
        except Exception as e:  # noqa: BLE001 - no driver, no server, refused: all mean "skip"
            _pg_state["url"], _pg_state["why"] = None, f"{type(e).__name__}: {str(e).strip()[:200]}"
    if _pg_state["url"] is None:
        if os.environ.get("BANTIN_TEST_PG") and os.environ.get("CI"):
            pytest.fail(f"BANTIN_TEST_PG is set but the server does not answer ({_pg_state['why']})")
        pytest.skip("PostgreSQL tests need a server: run `eval \"$(.ci/postgres.sh start)\"` (sets BANTIN_TEST_PG) "
                    f"— none reachable ({_pg_state['why']})")
    return _pg_state["url"]  # type: ignore[return-value]


def pg_schema_url(url: str, schema: str) -> str:
    from urllib.parse import quote

    return url + ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")


class PgSchema:
    """A fresh schema in the test database, as its own archive (``url``); dropped by ``drop``."""

    def __init__(self) -> None:
        import uuid

        import psycopg

        self.base = pg_server()
        self.name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.base, autocommit=True) as c:
            c.execute(f"CREATE SCHEMA {self.name}")
        self.url = pg_schema_url(self.base, self.name)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as c:
            c.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_path(request, tmp_path) -> Iterator[str]:
    """Where a fresh archive lives, once per backend: a SQLite file, or a PostgreSQL URL (a schema of its own)."""
    if request.param == "sqlite":
        yield str(tmp_path / "archive.db")
        return
    s = PgSchema()
    try:
        yield s.url
    finally:
        s.drop()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL archive URL (skips without a server)."""
    s = PgSchema()
    try:
        yield s.url
    finally:
        s.drop()

"""`bantin serve` as a user runs it: it starts, answers, and stops cleanly on Ctrl-C; the warnings it owes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import httpx
import pytest

from conftest import BANTIN, SAMPLES, run_cli


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_then_stops_on_ctrl_c(db, workers):
    run_cli("ingest", str(SAMPLES), "--no-enrich", db=db, check=0)
    port = _port()
    p = subprocess.Popen([BANTIN, "serve", "--db", str(db), "--port", str(port), "--workers", workers],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "BANTIN_TOKEN": ""})
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(trust_env=False, timeout=10) as c:
            while True:
                try:
                    r = c.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "thuy si"})
                    break
                except httpx.HTTPError:
                    assert p.poll() is None and time.monotonic() < deadline, p.stderr.read().decode()[-2000:]
                    time.sleep(0.1)
            assert r.status_code == 200 and r.json()["total"] >= 1
            assert c.get(f"http://127.0.0.1:{port}/").status_code == 200
        p.send_signal(signal.SIGINT)
        assert p.wait(20) == 0
        err = p.stderr.read().decode()
        assert "writes off" in err and "Traceback" not in err
    finally:
        if p.poll() is None:
            p.kill()


def test_serving_beyond_loopback_without_a_token_warns(db):
    # 192.0.2.1 is a documentation address: nothing listens there, the server cannot bind it and exits
    p = run_cli("serve", "--host", "192.0.2.1", "--port", str(_port()), db=db, env={"BANTIN_TOKEN": ""})
    err = p.stderr.decode()
    assert "warning: serving on 192.0.2.1 without a token" in err
    assert p.returncode != 0


def test_a_bad_token_file_is_a_usage_error(db, tmp_path):
    empty = tmp_path / "token"
    empty.write_text("\n")
    p = run_cli("serve", "--token-file", str(empty), db=db)
    assert p.returncode == 2 and "token file is empty" in p.stderr.decode()
    p = run_cli("serve", "--token-file", str(tmp_path / "missing"), db=db)
    assert p.returncode == 2 and "--token-file" in p.stderr.decode()
    p = run_cli("serve", "--max-upload", "lots", db=db)
    assert p.returncode == 2 and "not a size" in p.stderr.decode()


def test_a_postgresql_archive_is_refused_with_a_way_out():
    p = run_cli("serve", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert p.returncode == 2 and "bantin migrate" in p.stderr.decode()

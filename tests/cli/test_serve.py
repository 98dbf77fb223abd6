"""`bantin serve` as a user runs it: it starts, answers, and stops cleanly on Ctrl-C; the warnings it owes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import BANTIN, SAMPLES, run_cli


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_answer(c: httpx.Client, p: subprocess.Popen, url: str, params: dict) -> httpx.Response:
    """The server's first answer to a GET, once it listens (within a minute, and while it runs)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return c.get(url, params=params)
        except httpx.HTTPError:
            assert p.poll() is None and time.monotonic() < deadline, p.stderr.read().decode()[-2000:]
            time.sleep(0.1)


def _children(pid: int) -> list[int]:
    out = []
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


@pytest.mark.parametrize("workers,threads", [("1", "8"), ("2", "1"), ("auto", "8")])
def test_serve_answers_then_stops_on_ctrl_c(db, workers, threads):
    run_cli("ingest", str(SAMPLES), "--no-enrich", db=db, check=0)
    port = _port()
    p = subprocess.Popen([BANTIN, "serve", "--db", str(db), "--port", str(port), "--workers", workers,
                          "--threads", threads],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "BANTIN_TOKEN": ""})
    try:
        with httpx.Client(trust_env=False, timeout=10) as c:
            r = _first_answer(c, p, f"http://127.0.0.1:{port}/api/v1/search", {"q": "thuy si"})
            assert r.status_code == 200 and r.json()["total"] >= 1
            assert c.get(f"http://127.0.0.1:{port}/").status_code == 200
        children = _children(p.pid)
        want = min(len(os.sched_getaffinity(0)), 4) if workers == "auto" else int(workers)
        want = want if want > 1 else 0
        if want:  # the search processes (started in the background; a few seconds at most)
            deadline = time.monotonic() + 60
            while len(children) < want and time.monotonic() < deadline:
                time.sleep(0.2)
                children = _children(p.pid)
            assert len(children) >= want
        p.send_signal(signal.SIGINT)
        assert p.wait(20) == 0
        time.sleep(0.2)
        assert not [c for c in children if os.path.exists(f"/proc/{c}") and _state(c) != "Z"], "left running"
        err = p.stderr.read().decode()
        assert "writes off" in err and "Traceback" not in err
    finally:
        if p.poll() is None:
            p.kill()


def test_search_processes_end_with_a_killed_server(db):
    run_cli("ingest", str(SAMPLES), "--no-enrich", db=db, check=0)
    port = _port()
    p = subprocess.Popen([BANTIN, "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(children := _children(p.pid)) < 2:
            assert time.monotonic() < deadline and p.poll() is None, "no search processes"
            time.sleep(0.2)
        with httpx.Client(trust_env=False, timeout=10) as c:
            assert _first_answer(c, p, f"http://127.0.0.1:{port}/api/v1/search", {"q": "thuy si"}).status_code == 200
    finally:
        p.kill()  # no Ctrl-C, no shutdown: the pool is never told
        p.wait()
    deadline = time.monotonic() + 20
    while alive := [c for c in children if _state(c) not in ("gone", "Z")]:
        assert time.monotonic() < deadline, f"search processes {alive} outlived their server"
        time.sleep(0.2)


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
    p = run_cli("serve", "--threads", "0", db=db)
    assert p.returncode == 2 and "--threads" in p.stderr.decode()
    for bad in ("0", "many", "65"):
        p = run_cli("serve", "--workers", bad, db=db)
        assert p.returncode == 2 and "--workers" in p.stderr.decode() and "auto" in p.stderr.decode(), bad


def test_a_postgresql_archive_without_a_server_is_one_message():
    p = run_cli("serve", "--db", "postgresql://nobody:secret@127.0.0.1:1/none")
    err = p.stderr.decode()
    assert p.returncode == 66 and "cannot open archive postgresql://nobody:***@127.0.0.1:1/none" in err, err
    assert "secret" not in err and "Traceback" not in err


def test_serve_a_postgresql_archive_reads_and_ingests_with_the_token(pg_url, tmp_path):
    """`bantin serve --db postgresql://…` as a team runs it: searches answer from the shared archive, POST /ingest
    writes into it with the token and the next search sees the new article, the password is never printed."""
    url = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")  # trust auth: never asked
    run_cli("ingest", str(SAMPLES), "--no-enrich", db=url, check=0)
    port = _port()
    p = subprocess.Popen([BANTIN, "serve", "--db", url, "--port", str(port)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "BANTIN_TOKEN": "t0k"})
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        with httpx.Client(trust_env=False, timeout=30) as c:
            r = _first_answer(c, p, f"{base}/search", {"q": "thuy si"})
            assert r.status_code == 200 and r.json()["total"] >= 1
            assert c.get(f"{base}/search", params={"q": "cap treo ba na"}).json()["total"] == 0
            doc = ('{"title": "Cáp treo Bà Nà đón khách trở lại", "body": "Hệ thống cáp treo Bà Nà hoạt động lại '
                   'từ sáng nay sau đợt bảo trì.", "published_at": "2024-06-01T08:00:00+07:00"}\n').encode()
            r = c.post(f"{base}/ingest", content=doc, params={"name": "new.jsonl"})
            assert r.status_code == 401
            r = c.post(f"{base}/ingest", content=doc, params={"name": "new.jsonl", "enrich": "false"},
                       headers={"Authorization": "Bearer t0k", "Content-Type": "application/x-ndjson"})
            assert r.status_code == 200 and r.json()["added"] == 1, r.text
            hits = c.get(f"{base}/search", params={"q": "cap treo ba na"}).json()["hits"]
            assert [h["title"] for h in hits] == ["Cáp treo Bà Nà đón khách trở lại"]
            stats = c.get(f"{base}/stats").json()
            assert stats["db_path"] == urlsplit(url).path.lstrip("/") and "s3cret" not in str(stats)
        p.send_signal(signal.SIGINT)
        assert p.wait(20) == 0
        err = p.stderr.read().decode()
        assert "writes on" in err and "postgres:***@" in err and "s3cret" not in err and "Traceback" not in err
    finally:
        if p.poll() is None:
            p.kill()

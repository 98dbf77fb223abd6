"""bench/serve.py's load generator: with wrk, every path of a list is asked once before any is asked again — its
"distinct" queries must be met for the first time, not sent by each wrk thread in turn."""

from __future__ import annotations

import collections
import http.server
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk (apt-get install wrk)")
def test_wrk_threads_never_ask_the_same_path_before_the_list_goes_round(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import serve
    finally:
        sys.path.remove(str(ROOT / "bench"))
    monkeypatch.setattr(serve, "OUT", tmp_path)  # its wrk script and path list go here
    asked: collections.Counter[str] = collections.Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - http.server's name
            asked[self.path] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        urls = [f"/q/{i}" for i in range(200_000)]  # more than 1 s of requests can reach
        r = serve.load(f"http://127.0.0.1:{server.server_address[1]}", urls, clients=4, seconds=1)
    finally:
        server.shutdown()
    assert r["errors"] == 0 and r["requests"] > 100
    assert sum(asked.values()) >= r["requests"]
    assert max(asked.values()) == 1, f"{sum(v > 1 for v in asked.values())} paths asked more than once"

"""Server CPU per request of searches `bantin serve` has never met: one client asking one at a time, then
16 keep-alive connections (wrk) for a few seconds — CPU seconds of the server's processes (/proc) per answered
request, which other processes on a shared machine inflate far less than latency.

    .venv/bin/python bench/servecpu.py [--workers 2] [--threads 1] [--seconds 8] [--one 300] [--db bench/out/vn128k.db]

The server first answers --warm other distinct queries one at a time (so what it keeps of words is warm, as in
bench/serve.py's --warm-seconds), then --one of bench/serve.py's distinct queries one at a time, then wrk sends the
rest (each asked once: no query twice unless the run outlasts the list — then "REPEATS" is printed and the figure
is not one of new searches). Also prints each server thread's CPU and the load average.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serve import BANTIN, OUT, WRK_SCRIPT, distinct_queries  # noqa: E402

TCK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            for c in open(f"/proc/{pid}/task/{t}/children").read().split():
                out += tree(int(c))
    except FileNotFoundError:
        pass
    return out


def cpu(pid: int) -> float:
    s = 0.0
    for p in tree(pid):
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            s += (int(f[11]) + int(f[12])) / TCK
        except FileNotFoundError:
            pass
    return s


def threads(pid: int) -> dict[tuple[int, int], float]:
    out = {}
    for p in tree(pid):
        for t in os.listdir(f"/proc/{p}/task"):
            try:
                f = open(f"/proc/{p}/task/{t}/stat").read().rsplit(")", 1)[1].split()
                out[(p, int(t))] = (int(f[11]) + int(f[12])) / TCK
            except FileNotFoundError:
                pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=str(OUT / "vn128k.db"))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=None, help="bantin serve --threads (default: the server's)")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--path", default="/api/v1/search")
    ap.add_argument("--port", type=int, default=8791)
    ap.add_argument("--warm", type=int, default=600, help="other distinct queries first, one at a time")
    ap.add_argument("--one", type=int, default=300, help="distinct queries one at a time (0: none)")
    a = ap.parse_args()
    db = Path(a.db)
    dist = distinct_queries(db, 2000)
    seen = set(dist)
    others = [q for q in distinct_queries(db, 4000, seed=8) if q not in seen]
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", a.port)) == 0:
            raise SystemExit(f"port {a.port} is busy")
    cmd = [BANTIN, "--db", str(db), "serve", "--port", str(a.port), "--log-level", "warning",
           "--workers", str(a.workers)] + (["--threads", str(a.threads)] if a.threads else [])
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(lambda: (p.terminate(), p.wait()))
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", a.port)
            c.request("GET", "/favicon.ico")
            c.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    conns = [http.client.HTTPConnection("127.0.0.1", a.port) for _ in range(max(1, a.workers * 2))]

    def run(qs: list[str]) -> None:
        for i, q in enumerate(qs):
            c = conns[i % len(conns)]
            c.request("GET", f"{a.path}?q={quote(q)}&limit=20")
            r = c.getresponse()
            r.read()
            assert r.status == 200, r.status

    run(others[:a.warm])
    time.sleep(2)
    load0 = os.getloadavg()[0]
    if a.one:
        t0, w = cpu(p.pid), time.perf_counter()
        run(dist[:a.one])
        print(f"one client: {a.one} distinct, server CPU {(cpu(p.pid) - t0) / a.one * 1000:.2f} ms/request, "
              f"wall {(time.perf_counter() - w) / a.one * 1000:.2f} ms", flush=True)
    rest = dist[a.one:]
    paths, script = OUT / "servecpu-paths.txt", OUT / "servecpu.lua"
    paths.write_text("".join(f"{a.path}?q={quote(q)}&limit=20\n" for q in rest))
    script.write_text(WRK_SCRIPT)
    th0, t0 = threads(p.pid), cpu(p.pid)
    r = subprocess.run(["wrk", "-t", "2", "-c", str(a.clients), "-d", f"{a.seconds}s", "--timeout", "60s", "-s",
                        str(script), f"http://127.0.0.1:{a.port}", "--", str(paths), "2"],
                       capture_output=True, text=True)
    used, th1 = cpu(p.pid) - t0, threads(p.pid)
    line = next(x for x in r.stdout.splitlines() if x.startswith("WRK "))
    n, dur, err, p50, p95, p99, _mean = line.split()[1:]
    n = int(n)
    print(f"{a.clients} clients: {n} requests{' (REPEATS)' if n > len(rest) else ''}, {err} errors, "
          f"{n / (int(dur) / 1e6):.1f} req/s, p50 {float(p50):.1f} p95 {float(p95):.1f} p99 {float(p99):.1f} ms; "
          f"server CPU {used / n * 1000:.2f} ms/request; load {load0:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
    for k in sorted(th1, key=lambda k: -(th1[k] - th0.get(k, 0)))[:12]:
        if th1[k] - th0.get(k, 0) > 0.2:
            print(f"   process {k[0]} thread {k[1]}: {th1[k] - th0.get(k, 0):.2f} s")


if __name__ == "__main__":
    main()

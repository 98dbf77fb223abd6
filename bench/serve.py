"""`bantin serve` under load, side by side with Datasette serving a bare FTS5 table of the same articles.

    .venv/bin/python bench/serve.py                         # the 128k VietNews archive (built if missing)
    .venv/bin/python bench/serve.py --seconds 10 --clients 16 --db bench/out/vn128k.db

Both servers run alone in turn on loopback, as a user starts them (`bantin --db ARCHIVE serve`; `datasette serve
-i bare.db`), and 16 clients (keep-alive connections, wrk when installed — `apt-get install wrk` — else asyncio
+ httpx) send requests back to back for a bounded time, each endpoint measured on its own: requests/s and
p50/p95/p99 latency.

- search: bantin's `GET /api/v1/search?q=…` (20 hits with snippets, the whole result's size, outlet and entity
  facets and articles per day) and its page `GET /search?q=…` (the same, as HTML with the chart); Datasette's
  JSON for one SQL query over the bare table — the 20 best by `bm25()` with `snippet()` — which is what a user of
  Datasette would write (no facets, no duplicate folding, diacritic-free matching on folded copies of the text).
- article page `GET /articles/ID` and entity page `GET /entities/NAME` (bantin only: Datasette has no such pages).

Two query sets: the 40 fixed queries of bench/ingest.py (common and rare, with and without diacritics) — after the
first round bantin answers them from the result lists it keeps per archive state — and 2,000 distinct two-word
queries taken from titles (half without diacritics), which it mostly meets for the first time — asked after the
server has answered other distinct queries for --warm-seconds (20 s; not recorded), as a server that has been up a
while: what it keeps of words (each token's articles, the title+lead index as arrays) is warm, these queries'
results are not. `--warm-seconds 0` measures a server that has just started. The page's distinct queries are a
third list (asked after the API's, the API's own would be answered from what it kept).

Servers: `bantin serve --workers 1` (one process: every endpoint), `bantin serve --workers 2` (one HTTP process and
two search processes: the API search and the page), Datasette; `--only` picks some.

The bare table: one FTS5 table with the title, lead and body and a folded copy of each (NFD, marks removed, đ→d),
like bench/ingest.py's, but keeping its content so Datasette can show titles and snippets.
Needs Datasette: `python -m venv bench/out/dsenv && bench/out/dsenv/bin/pip install datasette` (or `--datasette`).
Prints a table; writes bench/out/serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from ingest import INPUTS, QUERIES, _fold_naive  # noqa: E402

OUT = ROOT / "bench" / "out"
BANTIN = str(Path(sys.executable).parent / "bantin")

DS_SQL = ("select rowid, title, snippet(articles, 5, '<mark>', '</mark>', '…', 24) as snippet from articles "
          "where articles match :q order by bm25(articles, 0, 0, 0, 10.0, 4.0, 1.0) limit 20")


def build_bare(db: Path) -> None:
    """The peer's table: title, lead and body with a folded copy of each, content kept (Datasette shows it)."""
    tmp = db.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode=MEMORY")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE articles USING fts5(title, sapo, body, title_f, sapo_f, body_f,"
                " tokenize='unicode61 remove_diacritics 0')")
    rows, n = [], 0
    for path in INPUTS:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                t, a, b = d.get("title", ""), d.get("abstract", ""), d.get("body", "")
                n += 1
                rows.append((n, t, a, b, _fold_naive(t), _fold_naive(a), _fold_naive(b)))
                if len(rows) >= 5000:
                    with con:
                        con.executemany("INSERT INTO articles(rowid, title, sapo, body, title_f, sapo_f, body_f)"
                                        " VALUES(?,?,?,?,?,?,?)", rows)
                    rows.clear()
    with con:
        con.executemany("INSERT INTO articles(rowid, title, sapo, body, title_f, sapo_f, body_f) VALUES(?,?,?,?,?,?,?)",
                        rows)
    with con:
        con.execute("INSERT INTO articles(articles) VALUES('optimize')")
    con.close()
    tmp.rename(db)


def ds_match(q: str) -> str:
    """The bare table's MATCH for a query typed by a user: folded words, each quoted, over the folded columns."""
    return "{title_f sapo_f body_f}: " + " ".join('"%s"' % w for w in re.findall(r"[^\W_]+", _fold_naive(q)))


def distinct_queries(db: Path, n: int, seed: int = 7) -> list[str]:
    """Two adjacent words from random titles of the archive; every other one without diacritics."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = con.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    titles = []
    while len(titles) < n * 2:
        rows = con.execute("SELECT title FROM articles WHERE rowid >= ? ORDER BY rowid LIMIT 50",
                           (rng.randrange(top),)).fetchall()
        titles += [r[0] for r in rows[:5]]
    con.close()
    out: list[str] = []
    seen: set[str] = set()
    for t in titles:
        words = [w for w in re.findall(r"[^\W\d_]+", t) if len(w) > 1]
        if len(words) < 2:
            continue
        i = rng.randrange(len(words) - 1)
        q = f"{words[i]} {words[i + 1]}".lower()
        if len(out) % 2:
            q = _fold_naive(q)
        if q not in seen:
            seen.add(q)
            out.append(q)
        if len(out) >= n:
            break
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int, probe: str, env: dict | None = None) -> tuple[subprocess.Popen, float]:
    """Start a server; return it and the seconds until it answered ``probe``."""
    import httpx

    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    deadline = t0 + 120
    with httpx.Client(trust_env=False, timeout=5) as c:
        while True:
            if p.poll() is not None:
                raise SystemExit(f"{cmd[0]} exited: {p.stderr.read().decode()[-2000:]}")
            try:
                if c.get(f"http://127.0.0.1:{port}{probe}").status_code == 200:
                    return p, time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            if time.perf_counter() > deadline:
                p.kill()
                raise SystemExit(f"{cmd[0]} did not start")
            time.sleep(0.02)


def stop(p: subprocess.Popen) -> None:
    p.terminate()
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()


async def _load(base: str, urls: list[str], clients: int, seconds: float) -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one(c: httpx.AsyncClient, k: int) -> None:
        nonlocal errors
        i = k * 7919
        while time.perf_counter() < deadline:
            url = urls[i % len(urls)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await c.get(url)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            lat.append(time.perf_counter() - t0)
            errors += not ok

    async with httpx.AsyncClient(base_url=base, trust_env=False, timeout=60, limits=limits) as c:
        t0 = time.perf_counter()
        await asyncio.gather(*(one(c, k) for k in range(clients)))
        wall = time.perf_counter() - t0
    lat.sort()

    def pct(p: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1)

    return {"requests": len(lat), "rps": round(len(lat) / wall, 1), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "mean_ms": round(1000 * statistics.fmean(lat), 1) if lat else None,
            "errors": errors}


WRK_SCRIPT = r"""
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end
local paths, i, step = {}, 0, 1
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  step = tonumber(args[2]) or 1
  -- math.random gives every thread the same start (LuaJIT seeds each thread's state alike): thread k takes every
  -- step-th path from start + k - 1, so no path is asked twice before the list has gone round (with one shared
  -- start and step 1 the two threads sent every "distinct" query twice, the second answered from the first)
  i = math.random(#paths) + id - 1 - step
end
request = function()
  i = i + step
  return wrk.format("GET", paths[(i - 1) % #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %.3f %.3f %.3f %.3f\n", summary.requests, summary.duration,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.mean / 1000))
end
"""


def load(base: str, urls: list[str], clients: int, seconds: float) -> dict:
    """``clients`` connections sending requests back to back for ``seconds``: with wrk (C, two threads) when it is
    installed (apt-get install wrk), so the load generator takes little of the CPU the server needs; else with
    asyncio + httpx in this process."""
    wrk = shutil.which("wrk")
    if not wrk:
        return asyncio.run(_load(base, urls, clients, seconds))
    script, paths = OUT / "wrk.lua", OUT / "wrk-paths.txt"
    script.write_text(WRK_SCRIPT)
    paths.write_text("\n".join(urls) + "\n")
    threads = 2
    p = subprocess.run([wrk, "-t", str(threads), "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--timeout",
                        "60s", "-s", str(script), base, "--", str(paths), str(threads)], capture_output=True, text=True)
    line = next((x for x in p.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk failed: {p.stdout[-1000:]} {p.stderr[-1000:]}")
    n, dur, err, p50, p95, p99, mean = line.split()[1:]
    return {"requests": int(n), "rps": round(int(n) / (int(dur) / 1e6), 1), "p50_ms": float(p50),
            "p95_ms": float(p95), "p99_ms": float(p99), "mean_ms": float(mean), "errors": int(err),
            "client": "wrk"}


def warm(base: str, urls: list[str]) -> float:
    """Each URL once, one at a time; returns the mean seconds (a first, cold pass)."""
    import httpx

    t0 = time.perf_counter()
    with httpx.Client(base_url=base, trust_env=False, timeout=120) as c:
        for u in urls:
            c.get(u)
    return (time.perf_counter() - t0) / max(1, len(urls))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=str(OUT / "vn128k.db"), help="bantin archive (built with entities if missing)")
    ap.add_argument("--bare", default=str(OUT / "bare128k.db"), help="the peer's FTS5 table (built if missing)")
    ap.add_argument("--datasette", default=None, help="datasette command (default: bench/out/dsenv, else PATH)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=15.0, help="per endpoint and query set")
    ap.add_argument("--distinct", type=int, default=2000)
    ap.add_argument("--warm-seconds", type=float, default=20.0,
                    help="before the distinct queries, each server answers other distinct queries this long (a "
                         "server that has been up a while: its caches hold words, not these queries); 0: none")
    ap.add_argument("--only", action="append", choices=["bantin", "bantin×2", "datasette"],
                    help="measure only this server (repeatable; default: all three)")
    args = ap.parse_args()
    only = set(args.only or ["bantin", "bantin×2", "datasette"])
    OUT.mkdir(parents=True, exist_ok=True)
    db, bare = Path(args.db), Path(args.bare)
    ds = args.datasette or (str(OUT / "dsenv/bin/datasette") if (OUT / "dsenv/bin/datasette").exists()
                            else shutil.which("datasette"))
    if not ds:
        raise SystemExit("needs Datasette: python -m venv bench/out/dsenv && bench/out/dsenv/bin/pip install datasette")
    if not db.exists():
        print(f"building {db} (128k VietNews articles, entities on: about 11 minutes on a quiet machine)…")
        subprocess.run([BANTIN, "--db", str(db), "ingest", *map(str, INPUTS), "--map", "sapo=abstract,body=body",
                        "-q", "--json"], check=False, stdout=subprocess.DEVNULL)
    if not bare.exists():
        print(f"building {bare}…")
        build_bare(bare)
    load0 = os.getloadavg()
    fixed = list(QUERIES)
    distinct = distinct_queries(db, args.distinct)
    measured = set(distinct)
    others = [q for q in distinct_queries(db, 2 * args.distinct, seed=8) if q not in measured][:args.distinct]
    res: dict = {"clients": args.clients, "seconds": args.seconds, "load_before": load0, "runs": []}

    def warm_up(server: str, base: str, urls: list[str]) -> None:
        """Other distinct queries for --warm-seconds, not recorded: what the server keeps of words (not of these
        queries' results) is what it would keep after answering others for a while."""
        if args.warm_seconds > 0:
            r = load(base, urls, args.clients, args.warm_seconds)
            res.setdefault("warm_up", []).append({"server": server, "requests": r["requests"], "rps": r["rps"]})
            print(f"  {server:9} warmed up with {r['requests']} requests of {len(urls)} other distinct queries",
                  flush=True)

    def record(server: str, endpoint: str, qset: str, r: dict) -> None:
        res["runs"].append({"server": server, "endpoint": endpoint, "queries": qset, **r})
        print(f"  {server:9} {endpoint:36} {qset:9} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f}  "
              f"p95 {r['p95_ms']:7.1f}  p99 {r['p99_ms']:7.1f} ms  ({r['requests']} requests, {r['errors']} errors)",
              flush=True)

    api = {k: [f"/api/v1/search?{urlencode({'q': q, 'limit': 20})}" for q in v]
           for k, v in (("fixed", fixed), ("distinct", distinct), ("others", others))}
    # the page's distinct queries are others again: asked after the API's, the API's would be answered from the
    # result lists it left (wrk starts at the same place in every run)
    taken = measured | set(others)
    page_distinct = [q for q in distinct_queries(db, 3 * args.distinct, seed=9) if q not in taken][:args.distinct]
    page = {k: [f"/search?{urlencode({'q': q})}" for q in v]
            for k, v in (("fixed", fixed), ("distinct", page_distinct))}

    # -- bantin ------------------------------------------------------------------------------------------------
    if "bantin" in only:
        bantin_one(args, db, api, page, res, record, warm_up)
    if "bantin×2" in only:
        bantin_two(args, db, api, page, record, warm_up)
    if "datasette" in only:
        datasette(args, ds, bare, fixed, distinct, others, res, record, warm_up)
    res["load_after"] = os.getloadavg()
    print(f"load average before {load0[0]:.1f}, after {res['load_after'][0]:.1f}")
    (OUT / "serve.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))


def bantin_one(args, db, api, page, res, record, warm_up) -> None:
    """One `bantin serve` process: the API and page searches, article and entity pages."""
    port = free_port()
    p, startup = start([BANTIN, "--db", str(db), "serve", "--port", str(port), "--log-level", "warning",
                        "--workers", "1"], port, "/favicon.ico")
    res["bantin_startup_s"] = round(startup, 2)
    base = f"http://127.0.0.1:{port}"
    print(f"bantin serve answered after {startup:.2f} s", flush=True)
    try:
        import httpx

        with httpx.Client(base_url=base, trust_env=False, timeout=120) as c:
            t0 = time.perf_counter()
            c.get("/api/v1/search", params={"q": "việt nam"})
            res["bantin_first_search_s"] = round(time.perf_counter() - t0, 2)  # waits for the facet arrays
            print(f"first search answered {res['bantin_first_search_s']} s later (facet arrays built meanwhile)",
                  flush=True)
            arts = [h["id"] for q in ("công an", "bóng đá", "giá vàng", "thủ tướng", "học sinh", "bệnh viện")
                    for h in c.get("/api/v1/search", params={"q": q, "limit": 100}).json()["hits"]]
            ents = [e["name"] for e in c.get("/api/v1/entities", params={"limit": 300}).json()]
        res["bantin_cold_mean_ms"] = round(1000 * warm(base, api["fixed"]), 1)
        warm(base, page["fixed"])
        print(f"bantin: the 40 fixed queries once, cold: {res['bantin_cold_mean_ms']} ms mean", flush=True)
        for qset in ("fixed", "distinct"):
            if qset == "distinct":
                warm_up("bantin", base, api["others"])
            record("bantin", "GET /api/v1/search (JSON)", qset, load(base, api[qset], args.clients, args.seconds))
            record("bantin", "GET /search (HTML page)", qset, load(base, page[qset], args.clients, args.seconds))
        art_urls = [f"/articles/{a}" for a in arts]
        ent_urls = ["/entities/" + quote(e, safe="") for e in ents]
        res["bantin_article_cold_mean_ms"] = round(1000 * warm(base, art_urls), 1)
        res["bantin_entity_cold_mean_ms"] = round(1000 * warm(base, ent_urls), 1) if ent_urls else None
        print(f"bantin: each article page once, cold: {res['bantin_article_cold_mean_ms']} ms mean; each entity "
              f"page once: {res['bantin_entity_cold_mean_ms']} ms mean", flush=True)
        record("bantin", "GET /articles/ID (HTML page)", f"{len(arts)} ids",
               load(base, art_urls, args.clients, args.seconds))
        if ents:
            record("bantin", "GET /entities/NAME (HTML page)", f"{len(ents)} top",
                   load(base, ent_urls, args.clients, args.seconds))
    finally:
        stop(p)



def bantin_two(args, db, api, page, record, warm_up) -> None:
    """`bantin serve --workers 2`: one HTTP process handing searches to two search processes; the API search and
    the search page."""
    name = "bantin×2"
    port = free_port()
    p, startup = start([BANTIN, "--db", str(db), "serve", "--port", str(port), "--log-level", "warning",
                        "--workers", "2"], port, "/favicon.ico")
    base = f"http://127.0.0.1:{port}"
    try:
        warm(base, api["fixed"] * 2)  # each process meets the fixed queries once
        for qset in ("fixed", "distinct"):
            if qset == "distinct":
                warm_up(name, base, api["others"])
            record(name, "GET /api/v1/search (JSON)", qset, load(base, api[qset], args.clients, args.seconds))
            record(name, "GET /search (HTML page)", qset, load(base, page[qset], args.clients, args.seconds))
    finally:
        stop(p)



def datasette(args, ds, bare, fixed, distinct, others, res, record, warm_up) -> None:
    """Datasette over the bare FTS5 table: one SQL query (bm25, snippet) as its JSON."""
    port = free_port()
    p, startup = start([ds, "serve", "-i", str(bare), "--port", str(port), "--setting", "sql_time_limit_ms", "20000"],
                       port, "/-/versions.json")
    res["datasette_startup_s"] = round(startup, 2)
    base = f"http://127.0.0.1:{port}"
    name = bare.stem
    try:
        ds_urls = {k: [f"/{name}.json?{urlencode({'sql': DS_SQL, 'q': ds_match(q)})}" for q in v]
                   for k, v in (("fixed", fixed), ("distinct", distinct))}
        res["datasette_cold_mean_ms"] = round(1000 * warm(base, ds_urls["fixed"]), 1)
        print(f"datasette: the 40 fixed queries once, cold: {res['datasette_cold_mean_ms']} ms mean", flush=True)
        others_ds = [f"/{name}.json?{urlencode({'sql': DS_SQL, 'q': ds_match(q)})}" for q in others]
        for qset in ("fixed", "distinct"):
            if qset == "distinct":
                warm_up("datasette", base, others_ds)
            record("datasette", "GET /bare.json?sql=… (bm25, snippet)", qset,
                   load(base, ds_urls[qset], args.clients, args.seconds))
    finally:
        stop(p)


if __name__ == "__main__":
    main()

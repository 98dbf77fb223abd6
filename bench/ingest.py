"""Ingest and search speed: bantin vs a bare sqlite3 FTS5 load of the same text, side by side in one run.

    .venv/bin/python bench/ingest.py                    # the 128k VietNews articles (train + val)
    .venv/bin/python bench/ingest.py --limit 20000      # a quicker run on the first 20k
    .venv/bin/python bench/ingest.py --enrich --skip-baseline   # with entity enrichment (issue 5's 30-min budget)

bantin runs as the real command (`bantin ingest … --map sapo=abstract`, all cleaning on, default workers; entity
enrichment off unless --enrich) into a fresh archive. The baseline is what a user would write by hand: one process, json.loads, a contentless FTS5 table
with the original title/abstract/body and a folded copy of each (NFD, combining marks removed, đ→d), one
transaction per 2,000 rows, and `bm25()` queries over the folded columns.

Search latency is measured over a fixed query set of common and rare terms, with and without diacritics,
through the library call users make (`Bantin.search`, snippets included) and the baseline's bm25 query;
each query runs once to warm the cache, then timings are taken over 3 runs (median per query).
Prints a table; writes bench/out/ingest.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
INPUTS = [SHARED / "data/vietnews/train.jsonl.gz", SHARED / "data/vietnews/val.jsonl.gz"]

QUERIES = [
    # common, with diacritics
    "việt nam", "hà nội", "công an", "thủ tướng", "người dân", "bóng đá", "giá vàng", "học sinh", "khởi tố",
    "tai nạn giao thông", "Đà Nẵng", "ung thư", "xe máy", "chứng khoán", "bệnh viện",
    # common, without diacritics
    "viet nam", "ha noi", "cong an", "thu tuong", "nguoi dan", "bong da", "gia vang", "hoc sinh", "da nang",
    # rare or specific, both ways
    "Thụy Sĩ", "thuy si", "đối thoại", "doi thoai", "trí tuệ nhân tạo", "tri tue nhan tao", "lũ quét", "lu quet",
    "bitcoin", "World Cup", "Messi", "Geneva", "sạt lở", "sat lo", "hòa giải", "hoà giải",
]


def _fold_naive(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return re.sub(r"[\u0300-\u036f]", "", s)


def bench_baseline(inputs: list[Path], db: Path, limit: int | None) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    cpu0 = _cpu(resource.RUSAGE_SELF)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE VIRTUAL TABLE f USING fts5(title, sapo, body, title_f, sapo_f, body_f, content='',"
                " tokenize='unicode61 remove_diacritics 0')")
    n = 0
    rows = []
    for path in inputs:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                t, a, b = d.get("title", ""), d.get("abstract", ""), d.get("body", "")
                n += 1
                rows.append((n, t, a, b, _fold_naive(t), _fold_naive(a), _fold_naive(b)))
                if len(rows) >= 2000:
                    with con:
                        con.executemany("INSERT INTO f(rowid,title,sapo,body,title_f,sapo_f,body_f)"
                                        " VALUES(?,?,?,?,?,?,?)", rows)
                    rows.clear()
                if limit and n >= limit:
                    break
        if limit and n >= limit:
            break
    if rows:
        with con:
            con.executemany("INSERT INTO f(rowid,title,sapo,body,title_f,sapo_f,body_f) VALUES(?,?,?,?,?,?,?)", rows)
    secs = time.perf_counter() - t0
    cpu = _cpu(resource.RUSAGE_SELF) - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def query(q: str) -> None:
        expr = " ".join('"%s"' % w for w in re.findall(r"[^\W_]+", _fold_naive(q)))
        con.execute("SELECT rowid, bm25(f, 0, 0, 0, 10.0, 4.0, 1.0) AS s FROM f WHERE f MATCH ? ORDER BY s LIMIT 10",
                    ("{title_f sapo_f body_f}: " + expr,)).fetchall()

    lat = _latencies(query)
    size = sum(os.path.getsize(str(db) + s) for s in ("", "-wal") if os.path.exists(str(db) + s))
    con.close()
    return {"articles": n, "seconds": secs, "cpu_seconds": cpu, "per_second": n / secs, "peak_mb": peak,
            "db_mb": size / 1e6, **lat}


def _cpu(who: int) -> float:
    """user + system CPU seconds so far (RUSAGE_CHILDREN: of every waited-for child, its workers included)."""
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _latencies(run) -> dict:
    for q in QUERIES:  # warm-up pass (cold timings reported separately)
        run(q)
    per_query = {}
    for q in QUERIES:
        ts = []
        for _ in range(3):
            t0 = time.perf_counter()
            run(q)
            ts.append((time.perf_counter() - t0) * 1000)
        per_query[q] = statistics.median(ts)
    vals = sorted(per_query.values())
    return {"p50_ms": statistics.median(vals), "p95_ms": vals[max(0, int(round(0.95 * len(vals))) - 1)],
            "max_ms": vals[-1], "per_query_ms": per_query}


def bench_bantin(inputs: list[Path], db: Path, limit: int | None, workers: str, enrich: bool,
                 dedup: bool = True) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    paths = [str(p) for p in inputs]
    tmp = None
    if limit:
        tmp = tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False)
        n = 0
        for path in inputs:
            with gzip.open(path, "rb") as fh:
                for line in fh:
                    tmp.write(line)
                    n += 1
                    if n >= limit:
                        break
            if n >= limit:
                break
        tmp.close()
        paths = [tmp.name]
    bantin = str(Path(sys.executable).parent / "bantin")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    cmd = [bantin, "--db", str(db), "ingest", *paths, "--map", "sapo=abstract", "--json", "-q", "--workers", workers]
    if not enrich:
        cmd.append("--no-enrich")
    if not dedup:
        cmd.append("--no-dedup")
    p = subprocess.run(cmd, capture_output=True)
    secs = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if tmp:
        os.unlink(tmp.name)
    if p.returncode not in (0, 1):
        raise SystemExit(f"bantin ingest failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    rep = json.loads(p.stdout)
    sys.path.insert(0, str(ROOT / "src"))
    import bantin as bt

    with bt.open(str(db)) as b:
        lat = _latencies(lambda q: b.search(q, limit=10))
        size = b.stats()["db_bytes"]
    dd = (rep.get("dedup") or {}).get("seconds")
    return {"articles": rep["added"], "rejected": rep["rejected"], "seconds": secs, "per_second": rep["added"] / secs,
            "dedup_seconds": dd, "ingest_seconds": secs - (dd or 0.0),
            "cpu_seconds": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_mb": max(after.ru_maxrss, before.ru_maxrss) / 1024, "db_mb": size / 1e6, **lat}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--workers", default="auto")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--enrich", action="store_true", help="also run entity enrichment during ingest")
    ap.add_argument("--no-dedup", action="store_true",
                    help="skip the duplicate/story check that ingest runs after the batch (timed separately)")
    ap.add_argument("--out", default=str(ROOT / "bench/out/ingest.json"))
    args = ap.parse_args()
    missing = [p for p in INPUTS if not p.exists()]
    if missing:
        raise SystemExit(f"needs the VietNews files at {missing[0]} (set BANTIN_SHARED to the shared folder)")
    with tempfile.TemporaryDirectory() as d:
        res = {"bantin": bench_bantin(INPUTS, Path(d) / "bantin.db", args.limit, args.workers, args.enrich,
                                        dedup=not args.no_dedup)}
        if not args.skip_baseline:
            res["bare_fts5"] = bench_baseline(INPUTS, Path(d) / "bare.db", args.limit)
    rows = [("articles", "{:,}"), ("seconds", "{:.1f}"), ("cpu_seconds", "{:.1f}"), ("per_second", "{:,.0f}"), ("peak_mb", "{:,.0f}"),
            ("db_mb", "{:,.0f}"), ("p50_ms", "{:.1f}"), ("p95_ms", "{:.1f}"), ("max_ms", "{:.1f}")]
    names = list(res)
    print(f"{'':14}" + "".join(f"{n:>16}" for n in names))
    for key, fmt in rows:
        print(f"{key:14}" + "".join(f"{fmt.format(res[n][key]):>16}" for n in names))
    b = res["bantin"]
    if b.get("dedup_seconds") is not None:
        print(f"\nbantin: {b['ingest_seconds']:.1f} s reading, cleaning and storing "
              f"({b['articles'] / b['ingest_seconds']:,.0f}/s) + {b['dedup_seconds']:.1f} s duplicates and stories")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
          "(cpu_seconds: user + system, bantin's worker processes included; less sensitive to load than seconds)")
    print(f"\nqueries: {len(QUERIES)} (common and rare, with and without diacritics); "
          f"peak_mb = largest process (bantin: main or worker)")
    slow = sorted(res["bantin"]["per_query_ms"].items(), key=lambda kv: -kv[1])[:5]
    print("slowest bantin queries: " + ", ".join(f"{q!r} {ms:.1f} ms" for q, ms in slow))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

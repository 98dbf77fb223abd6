"""The 128k VietNews ingest four ways in one run — in-process, `--workers 2`, Ray local with 2 CPUs, and into
PostgreSQL — with articles/s, CPU seconds and peak memory for each, the equality check of their outputs (same
article ids, same duplicate groups, same stories), and PostgreSQL search against SQLite (top-10 agreement and
latency over bench/ingest.py's 40 queries).

Run it inside a loopback-only network namespace (Ray's start-up probes a cloud metadata address):

    RAY_USAGE_STATS_ENABLED=0 RAY_AUTH_MODE=disabled unshare -n sh -c \\
        'ip link set lo up && exec .venv/bin/python bench/scale.py'            # 128,060 articles
    … bench/scale.py --limit 20000                                            # a quicker run

A throwaway PostgreSQL server is started (``.ci/postgres.sh``) unless $BANTIN_TEST_PG names one. Each way runs
as the real command (`bantin ingest … --map sapo=abstract --no-enrich`, duplicates and stories included) in a
child process of its own, so CPU seconds (user + system, all descendants: worker processes, Ray's workers) and
peak memory (largest single process) are its own. Ray writes Parquet only (`--out DIR --no-store`): its
duplicate groups and stories are the ones found in the cluster. Writes bench/out/scale.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
BANTIN = str(Path(sys.executable).parent / "bantin")

from ingest import INPUTS, QUERIES, _latencies  # noqa: E402


def one(way: str, paths: list[str], target: str, out: str | None) -> None:
    """Child mode: run one ingest as a grandchild and report its own resource use."""
    cmd = [BANTIN, "--db", target, "ingest", *paths, "--map", "sapo=abstract", "--no-enrich", "-q", "--json"]
    if way == "in-process":
        cmd += ["--workers", "1"]
    elif way in ("workers-2", "postgresql"):
        cmd += ["--workers", "2"]
    elif way == "ray":
        cmd += ["--engine", "ray", "--cpus", "2", "--out", out or "", "--no-store"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True)
    secs = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{way}: bantin ingest failed ({p.returncode}): {p.stderr.decode()[-3000:]}")
    rep = json.loads(p.stdout)
    print(json.dumps({"seconds": secs, "cpu_seconds": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024,
                      "report": rep}))


def run_way(way: str, paths: list[str], target: str, out: str | None = None) -> dict:
    p = subprocess.run([sys.executable, __file__, "--one", way, "--target", target, "--out-dir", out or "",
                        "--", *paths], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(p.stderr[-3000:])
    res = json.loads(p.stdout.strip().splitlines()[-1])
    rep = res.pop("report")
    n = rep.get("added") or rep.get("articles_out") or 0
    res.update({"articles": n, "per_second": n / res["seconds"], "rejected": rep.get("rejected"),
                "dedup_seconds": (rep.get("dedup") or {}).get("seconds"), "stage_seconds": rep.get("stage_seconds")})
    return res


def archive_view(path: str) -> dict:
    """ids, duplicate groups {canonical id: member ids}, stories (sorted member id lists) of an archive."""
    import bantin

    with bantin.open(path, readonly=not path.startswith("postgresql")) as b:
        q = b.store.con.execute  # plain SQL both stores understand
        ids = [r[0] for r in q("SELECT id FROM articles")]
        groups: dict[str, set[str]] = {}
        for a, c in q("SELECT a.id, c.id FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                      " JOIN articles c ON c.rowid = d.canonical WHERE d.canonical IN"
                      " (SELECT canonical FROM dedup_docs WHERE dup_kind IS NOT NULL)"):
            groups.setdefault(c, set()).add(a)
        stories: dict[int, list[str]] = {}
        for a, st in q("SELECT a.id, m.story FROM story_members m JOIN articles a ON a.rowid = m.doc"):
            stories.setdefault(st, []).append(a)
    return {"ids": sorted(ids), "groups": {k: v for k, v in groups.items() if len(v) > 1},
            "stories": sorted(sorted(v) for v in stories.values())}


def compare(views: dict[str, dict]) -> dict:
    names = list(views)
    ref = views[names[0]]
    out = {}
    for n in names[1:]:
        v = views[n]
        out[n] = {
            "same_ids": v["ids"] == ref["ids"],
            "same_groups": v["groups"] == ref["groups"],
            "same_stories": v["stories"] == ref["stories"],
        }
        if not out[n]["same_ids"]:
            out[n]["ids_only_here"] = len(set(v["ids"]) - set(ref["ids"]))
            out[n]["ids_missing"] = len(set(ref["ids"]) - set(v["ids"]))
        if not out[n]["same_groups"]:
            a = {frozenset(g) for g in v["groups"].values()}
            b = {frozenset(g) for g in ref["groups"].values()}
            out[n]["groups_differing"] = len(a ^ b)
        if not out[n]["same_stories"]:
            a = {tuple(s) for s in v["stories"]}
            b = {tuple(s) for s in ref["stories"]}
            out[n]["stories_differing"] = len(a ^ b)
    return out


def search_compare(sqlite_path: str, pg_url: str) -> dict:
    import bantin

    with bantin.open(pg_url) as p:
        p.store.optimize()  # statistics and visibility map after the bulk load, as a server's autovacuum would
    per_query = {}
    with bantin.open(sqlite_path, readonly=True) as s, bantin.open(pg_url) as p:
        for q in QUERIES:
            a = [h.id for h in s.search(q, limit=10)]
            b = [h.id for h in p.search(q, limit=10)]
            per_query[q] = {"same_top10": a == b, "same_set": set(a) == set(b), "overlap": len(set(a) & set(b)),
                            "n": len(a)}
        lat_pg = _latencies(lambda q: p.search(q, limit=10))
        lat_sqlite = _latencies(lambda q: s.search(q, limit=10))
    return {"agreement": per_query, "same_top10": sum(v["same_top10"] for v in per_query.values()),
            "queries": len(QUERIES), "postgresql": lat_pg, "sqlite": lat_sqlite}


def loopback_only() -> bool:
    try:
        return [n for _i, n in socket.if_nameindex()] == ["lo"]
    except OSError:
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--ways", default="in-process,workers-2,ray,postgresql")
    ap.add_argument("--keep", metavar="DIR", help="keep the archives and Parquet output in DIR")
    ap.add_argument("--out", default=str(ROOT / "bench/out/scale.json"))
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--target", help=argparse.SUPPRESS)
    ap.add_argument("--out-dir", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.one, args.paths, args.target, args.out_dir)
        return
    ways = args.ways.split(",")
    if "ray" in ways and not loopback_only():
        raise SystemExit("run this inside a loopback-only network namespace (see the docstring): Ray's start-up "
                         "must not reach the network")
    missing = [p for p in INPUTS if not p.exists()]
    if missing:
        raise SystemExit(f"needs the VietNews files at {missing[0]} (set BANTIN_SHARED to the shared folder)")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    work = Path(args.keep or tempfile.mkdtemp(prefix="bantin-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    paths = [str(p) for p in INPUTS]
    if args.limit:
        sub = work / f"first{args.limit}.jsonl"
        with sub.open("wb") as f:
            n = 0
            for p in INPUTS:
                with gzip.open(p, "rb") as fh:
                    for line in fh:
                        f.write(line)
                        n += 1
                        if n >= args.limit:
                            break
                if n >= args.limit:
                    break
        paths = [str(sub)]
    pg_env = None
    pg_url = os.environ.get("BANTIN_TEST_PG")
    if "postgresql" in ways and not pg_url:
        out = subprocess.run(["bash", str(ROOT / ".ci/postgres.sh"), "start"], capture_output=True, text=True,
                             check=True).stdout
        pg_env = dict(x.split("=", 1) for x in out.replace("export ", "").split())
        pg_url = pg_env["BANTIN_TEST_PG"]
    res: dict = {"articles_in": args.limit or 128060, "load_at_start": os.getloadavg()[0], "ways": {}}
    views: dict[str, dict] = {}
    try:
        if pg_url and "postgresql" in ways:
            import psycopg

            with psycopg.connect(pg_url, autocommit=True) as c:
                c.execute("DROP SCHEMA IF EXISTS bench_scale CASCADE")
                c.execute("CREATE SCHEMA bench_scale")
            from urllib.parse import quote

            pg_archive = pg_url + ("&" if "?" in pg_url else "?") + "options=" + quote("-csearch_path=bench_scale")
        for way in ways:
            target = {"in-process": str(work / "inproc.db"), "workers-2": str(work / "workers2.db"),
                      "ray": str(work / "ray-unused.db"), "postgresql": pg_archive if "postgresql" in ways else ""}[way]
            outdir = str(work / "ray-out") if way == "ray" else None
            print(f"{way} …", file=sys.stderr, flush=True)
            res["ways"][way] = run_way(way, paths, target, outdir)
            res["ways"][way]["load_after"] = os.getloadavg()[0]
            print(f"  {res['ways'][way]['seconds']:.1f} s, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
            if way == "ray":
                from bantin.ray_engine import read_out

                views[way] = read_out(outdir)  # type: ignore[arg-type]
                views[way]["ids"] = sorted(views[way]["ids"])
            else:
                views[way] = archive_view(target)
        res["equality"] = compare(views)
        res["duplicate_groups"] = {w: len(v["groups"]) for w, v in views.items()}
        res["stories"] = {w: len(v["stories"]) for w, v in views.items()}
        if "postgresql" in ways and "in-process" in ways:
            res["search"] = search_compare(str(work / "inproc.db"), pg_archive)
    finally:
        if pg_env:
            subprocess.run(["bash", str(ROOT / ".ci/postgres.sh"), "stop"], env={**os.environ, **pg_env})
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    res["load_at_end"] = os.getloadavg()[0]
    print(f"\n{'':16}" + "".join(f"{w:>14}" for w in res["ways"]))
    for key, fmt in (("articles", "{:,}"), ("seconds", "{:.1f}"), ("per_second", "{:,.0f}"),
                     ("cpu_seconds", "{:.1f}"), ("peak_mb", "{:,.0f}")):
        print(f"{key:16}" + "".join(f"{fmt.format(v[key]):>14}" for v in res["ways"].values()))
    print("\nequality with in-process:", json.dumps(res["equality"]))
    print("duplicate groups:", res["duplicate_groups"], " stories:", res["stories"])
    if "search" in res:
        s = res["search"]
        print(f"search: same top-10 as SQLite for {s['same_top10']}/{s['queries']} queries; PostgreSQL p50 "
              f"{s['postgresql']['p50_ms']:.1f} ms, p95 {s['postgresql']['p95_ms']:.1f} ms, max "
              f"{s['postgresql']['max_ms']:.1f} ms (SQLite p50 {s['sqlite']['p50_ms']:.1f}, p95 "
              f"{s['sqlite']['p95_ms']:.1f})")
        for q, v in s["agreement"].items():
            if not v["same_top10"]:
                print(f"  differs: {q!r} overlap {v['overlap']}/{v['n']} (same set: {v['same_set']})")
    print(f"load average: {res['load_at_start']:.1f} at the start, {res['load_at_end']:.1f} at the end "
          f"({os.cpu_count()} cores)")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()

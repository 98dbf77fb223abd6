"""CPU time of a cold search (a query this process has not met) on an archive, in-process, and every answer.

    .venv/bin/python bench/coldsearch.py --db bench/out/vn128k.db [--n 2000] [--dump answers.json] [--compare old.json]

Takes bench/serve.py's distinct queries (two adjacent title words, every other one without diacritics), opens the
archive read-only as `bantin serve` does, builds the facet arrays once (not counted), then asks
`Bantin.search_page(q, limit=20)` for each query once — whole result set, ranking, facets, snippets — and reports
CPU seconds (``time.process_time``: what the 2 cores spend, whatever the load from other processes) per search,
mean and percentiles, and wall time. ``--dump`` writes every answer (hits with scores and tiers, size, facets);
``--compare`` checks them against an earlier dump: the same answers, query for query.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serve import distinct_queries  # noqa: E402


def answer(page) -> dict:
    return {"total": page.total, "ranked": page.ranked, "spelling": page.spelling,
            "hits": [[h.id, h.score, h.tier, h.copies, h.snippet] for h in page.hits], "facets": page.facets}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=str(ROOT / "bench/out/vn128k.db"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--dump", default=None)
    ap.add_argument("--compare", default=None)
    ap.add_argument("--profile", default=None, help="write a cProfile of the timed loop here")
    ap.add_argument("--no-lead", action="store_true",
                    help="rank the title+lead tier with FTS5 (as before the index was held as arrays)")
    ap.add_argument("--warm", type=int, default=0,
                    help="also report the searches after the first WARM (the token cache warm by then)")
    args = ap.parse_args()
    import bantin
    from bantin import browse

    queries = distinct_queries(Path(args.db), args.n)
    b = bantin.open(args.db, readonly=True)
    st = browse.state(b.path)
    gen = st.current()
    idx = st.index(gen, b.store)  # the facet arrays, built once at start as `bantin serve` does
    if not args.no_lead:  # and the title+lead index as arrays (serve reads it in the background at start)
        t0 = time.perf_counter()
        while st.lead(gen, idx) is None and time.perf_counter() - t0 < 120:
            time.sleep(0.2)
        print(f"title+lead index read in {time.perf_counter() - t0:.1f} s"
              f"{'' if st.lead(gen, idx) is not None else ' — NOT READY: FTS5 ranks it'}")
    b.search_page("khởi động", limit=20)  # imports, first statements
    prof = None
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    cpu, answers = [], {}
    w0 = time.perf_counter()
    load0 = os.getloadavg()[0]
    for q in queries:
        c0 = time.process_time()
        page = b.search_page(q, limit=20)
        cpu.append(time.process_time() - c0)
        answers[q] = answer(page)
    wall = time.perf_counter() - w0
    if prof is not None:
        prof.disable()
        prof.dump_stats(args.profile)
    late = sorted(cpu[args.warm:]) if 0 < args.warm < len(cpu) else []
    cpu.sort()
    ms = [1000 * c for c in cpu]
    print(f"{len(queries)} cold searches: CPU mean {statistics.fmean(ms):.1f} ms, p50 {ms[len(ms) // 2]:.1f}, "
          f"p95 {ms[int(0.95 * len(ms))]:.1f}, p99 {ms[int(0.99 * len(ms))]:.1f}, max {ms[-1]:.1f}; "
          f"wall mean {1000 * wall / len(queries):.1f} ms; load {load0:.1f} → {os.getloadavg()[0]:.1f}")
    if late:
        lm = [1000 * c for c in late]
        print(f"  after the first {args.warm}: CPU mean {statistics.fmean(lm):.2f} ms, p50 {lm[len(lm) // 2]:.1f}, "
              f"p95 {lm[int(0.95 * len(lm))]:.1f}")
    if args.dump:
        Path(args.dump).write_text(json.dumps(answers, ensure_ascii=False))
    if args.compare:
        old = json.loads(Path(args.compare).read_text())
        diff = [q for q in queries if q in old and old[q] != answers[q]]
        print(f"compared with {args.compare}: {len(diff)} of {sum(q in old for q in queries)} answers differ")
        for q in diff[:10]:
            for k in answers[q]:
                if old[q][k] != answers[q][k]:
                    print(f"  {q!r}: {k} differs: {str(old[q][k])[:300]} → {str(answers[q][k])[:300]}")


if __name__ == "__main__":
    main()

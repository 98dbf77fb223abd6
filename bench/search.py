"""Search latency and phrase correctness on an existing archive (no ingest): the bench/ingest.py query set plus
quoted phrases, through ``Bantin.search`` (snippets included), median of 3 runs per query after a warm-up.

    .venv/bin/bantin --db /tmp/vn20k.db ingest val.jsonl --map sapo=abstract --no-enrich   # e.g. 20k VietNews
    .venv/bin/python bench/search.py --db /tmp/vn20k.db

For every quoted phrase it also counts hits whose title, lead and body hold no adjacent match of the phrase
(diacritics ignored): a phrase search must return none.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import QUERIES  # noqa: E402

PHRASES = [
    '"ho chi minh"', '"Hồ Chí Minh"', '"thanh pho ho chi minh"', '"Tập Cận Bình"', '"tap can binh"',
    '"tai nạn giao thông"', '"tai nan giao thong"', '"uy ban nhan dan"', '"Ủy ban nhân dân tỉnh"',
    '"bo truong bo cong an"', '"cong ty co phan"', '"nguoi dan"', '"viet nam"', '"dai hoi dong co dong"',
    '"thủ tướng chính phủ"', '"ngan hang nha nuoc"', '"cảnh sát giao thông"', '"hoa hau"', '"so y te"',
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", default=None, help="write the figures as JSON here")
    args = ap.parse_args()
    import bantin
    from bantin.clean.fold import fold

    queries = QUERIES + PHRASES
    with bantin.open(args.db, readonly=True) as b:
        for q in queries:
            b.search(q, limit=10)
        per_query, cpu, hits, wrong = {}, {}, {}, {}
        for q in queries:
            ts, cs = [], []
            for _ in range(3):
                t0, c0 = time.perf_counter(), time.process_time()
                res = b.search(q, limit=10)
                ts.append((time.perf_counter() - t0) * 1000)
                cs.append((time.process_time() - c0) * 1000)
            per_query[q] = statistics.median(ts)
            cpu[q] = statistics.median(cs)
            hits[q] = len(res)
            if q.startswith('"'):
                words = re.findall(r"[^\W_]+", fold(q))
                pat = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])")
                bad = 0
                for h in res:
                    a = b.get(h.id)
                    fields = [a.title, a.sapo or "", "\n".join(a.paragraphs + a.captions)]
                    if not any(pat.search(fold(f.lower())) for f in fields):
                        bad += 1
                wrong[q] = bad

    def summary(qs: list[str], times: dict[str, float]) -> dict:
        vals = sorted(times[q] for q in qs)
        return {"p50_ms": statistics.median(vals), "p95_ms": vals[max(0, int(round(0.95 * len(vals))) - 1)],
                "max_ms": vals[-1]}

    res = {k: summary(qs, per_query) for k, qs in (("words", QUERIES), ("phrases", PHRASES), ("all", queries))}
    res["cpu"] = {k: summary(qs, cpu) for k, qs in (("words", QUERIES), ("phrases", PHRASES), ("all", queries))}
    res.update({"per_query_ms": per_query, "per_query_cpu_ms": cpu, "hits": hits, "phrase_hits_not_adjacent": wrong})
    print("wall clock (CPU time: less sensitive to other processes on the machine)")
    for k in ("words", "phrases", "all"):
        s, c = res[k], res["cpu"][k]
        print(f"{k:8} p50 {s['p50_ms']:6.1f} ({c['p50_ms']:6.1f}) ms   p95 {s['p95_ms']:6.1f} ({c['p95_ms']:6.1f}) ms"
              f"   max {s['max_ms']:6.1f} ({c['max_ms']:6.1f}) ms")
    print("phrase queries: hits (not adjacent), ms (CPU ms)")
    for q in PHRASES:
        print(f"  {q:32} {hits[q]:3} ({wrong[q]})  {per_query[q]:6.1f} ({cpu[q]:6.1f})")
    if args.out:
        Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

"""``bantin.annotate`` on single sentences and articles: same answers, CPU per call.

    .venv/bin/python bench/annotate_speed.py --save bench/out/annotate_ref.jsonl.gz     # answers of this code
    .venv/bin/python bench/annotate_speed.py --compare bench/out/annotate_ref.jsonl.gz  # same answers?
    .venv/bin/python bench/annotate_speed.py --time                                     # CPU per call
    PYTHONPATH=/path/to/other/tree/src .venv/bin/python bench/annotate_speed.py --time  # another version

The texts: VLSP 2016 dev (2,000 single sentences), VLSP 2018 dev (260 articles) and the first 500 VietNews val
articles (title, lead and body) — dev and val splits only; the test splits stay untouched. ``--save`` writes
``bantin.annotate``'s whole answer for each (as JSON, keys sorted), ``--compare`` reports every text whose answer
differs. ``--time`` pins the process to one core with one BLAS thread (as ``bench/ner.py``), runs ``annotate`` over the 2,000 sentences ``--repeat`` times
and prints the best CPU time per sentence (``time.process_time``: what this process used, whatever the load), and
the entity stage (``extract_entities``) alone the same way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from itertools import islice
from pathlib import Path

if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bantin  # noqa: E402
from bantin.enrich.annotate import annotate  # noqa: E402
from bantin.enrich.ner import extract_entities  # noqa: E402
from bantin.enrich.ner import evaluate as ev  # noqa: E402

REF = "2018-06-01T08:00:00"  # a publication time for the articles, so relative dates resolve


def texts() -> list[tuple[str, str, str | None]]:
    """(id, text, published_at) of every text checked."""
    out = [(f"vlsp2016/{d.id}", d.text, None) for d in ev.load_vlsp2016("dev")]
    out += [(f"vlsp2018/{d.id}", d.text, REF) for d in ev.load_vlsp2018("dev")]
    path = ev.shared_root() / "data" / "vietnews" / "val.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for k, line in enumerate(islice(f, 500)):
            d = json.loads(line)
            text = "\n".join(p for p in (d.get("title"), d.get("abstract"), d.get("body")) if p)
            out.append((f"vietnews/{k}", text, REF))
    return out


def answers():
    for tid, text, ref in texts():
        yield tid, json.dumps(annotate(text, ref), ensure_ascii=False, sort_keys=True)


def time_calls(repeat: int, free: bool = False) -> None:
    if not free:  # as bench/ner.py and the CLI run: one core, one BLAS thread
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    sents = [d.text for d in ev.load_vlsp2016("dev")]
    for s in sents[:50]:  # load every lazily read table, warm the token caches as a long run would
        annotate(s)
    for name, fn in (("annotate", annotate), ("extract_entities", extract_entities)):
        best = float("inf")
        for _ in range(repeat):
            c = time.process_time()
            for s in sents:
                fn(s)
            best = min(best, time.process_time() - c)
        print(f"{name:<17} {1e3 * best / len(sents):.4f} ms CPU per sentence (best of {repeat} x {len(sents)}; "
              f"{len(sents) / best:,.0f}/s)  [{Path(bantin.__file__).parents[1]}; load {os.getloadavg()[0]:.1f}]",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--save", help="write every text's answer to this .jsonl.gz")
    ap.add_argument("--compare", help="compare every text's answer with this .jsonl.gz")
    ap.add_argument("--time", action="store_true", help="CPU time per call on the 2,000 sentences")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--free", action="store_true",
                    help="--time without pinning and with numpy's default BLAS threads (a library user's process)")
    args = ap.parse_args()
    if args.save:
        Path(args.save).parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(args.save, "wt", encoding="utf-8") as f:
            for tid, js in answers():
                f.write(json.dumps({"id": tid, "answer": js}, ensure_ascii=False) + "\n")
    if args.compare:
        with gzip.open(args.compare, "rt", encoding="utf-8") as f:
            ref = {d["id"]: d["answer"] for d in map(json.loads, f)}
        n = diff = 0
        for tid, js in answers():
            n += 1
            if ref.get(tid) != js:
                diff += 1
                if diff <= 5:
                    print(f"DIFFERS {tid}\n  was {ref.get(tid)}\n  now {js}")
        missing = len(ref) - n
        print(f"{n} texts compared, {diff} differ, {missing} of the reference not met")
        if diff or missing:
            sys.exit(1)
    if args.time:
        time_calls(args.repeat, args.free)


if __name__ == "__main__":
    main()

"""Entity extraction: bantin vs underthesea, side by side.

    .venv/bin/python bench/ner.py                  # both dev sets + VietNews speed
    .venv/bin/python bench/ner.py --no-underthesea # bantin only (fast)
    BANTIN_SHARED=/path/to/shared .venv/bin/python bench/ner.py

Prints precision / recall / F1 per type (PER, LOC, ORG; MISC separately) and
micro-averaged over PER/LOC/ORG, exact span match (CoNLL style: a predicted
entity counts only if its start, end and type all equal a gold entity), on

- VLSP 2016 dev: 2,000 sentences (syllables joined by spaces);
- VLSP 2018 dev: 260 raw articles, depth-0 (outermost) gold entities only;

for bantin.enrich.ner.extract_entities and for underthesea.ner (underthesea
sees one sentence at a time, from its own sent_tokenize on each line of an
article), plus sentences/s for both.  Finally bantin's articles/s and
sentences/s on VietNews bodies.  Timings are single-process, model already
loaded, the process pinned to one core with one BLAS thread.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner import MODEL_VERSION, extract_entities  # noqa: E402
from bantin.enrich.ner import evaluate as ev  # noqa: E402


def _compact(text: str):
    chars, idx = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            idx.append(i)
    return "".join(chars), idx


def underthesea_spans(text: str, ner, sent_tokenize, stats: dict) -> list[tuple[int, int, str]]:
    """Run underthesea.ner sentence by sentence and map its words back to offsets."""
    out = []
    comp, idx = _compact(text)
    cur = 0
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for line in lines:
        sents = sent_tokenize(line) if sent_tokenize else [line]
        for sent in sents:
            stats["sentences"] = stats.get("sentences", 0) + 1
            try:
                tagged = ner(sent)
            except Exception:  # noqa: BLE001 - count and go on
                stats["errors"] = stats.get("errors", 0) + 1
                continue
            span = None
            for item in tagged:
                word, tag = item[0], item[-1]
                w = "".join(word.split())
                pos = comp.find(w, cur) if w else -1
                if pos < 0 or pos - cur > 200:
                    stats["unaligned"] = stats.get("unaligned", 0) + 1
                    if span:
                        out.append(tuple(span))
                        span = None
                    continue
                s, e = idx[pos], idx[pos + len(w) - 1] + 1
                cur = pos + len(w)
                if tag == "O" or tag[2:] not in ("PER", "LOC", "ORG", "MISC"):
                    if span:
                        out.append(tuple(span))
                        span = None
                    continue
                typ = tag[2:]
                if tag.startswith("B-") or span is None or span[2] != typ:
                    if span:
                        out.append(tuple(span))
                    span = [s, e, typ]
                else:
                    span[1] = e
            if span:
                out.append(tuple(span))
    return out


def count_sentences(docs, sent_tokenize) -> int:
    return sum(len(sent_tokenize(ln)) for d in docs for ln in d.text.split("\n") if ln.strip())


class Clock:
    """Wall time and this process's CPU time (the machine may be shared: CPU time is the fairer figure)."""

    def __enter__(self):
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w
        self.cpu = time.process_time() - self.c


def run_bantin(docs):
    with Clock() as ck:
        pred = [[(e.start, e.end, e.type) for e in extract_entities(d.text)] for d in docs]
    return pred, ck


def run_annotate(docs):
    """The whole of ``bantin.annotate`` (entities + dates, amounts, quotes, topic, keywords, summary): what
    `bantin annotate` does per input line."""
    from bantin.enrich.annotate import annotate

    # warm every stage's lazily loaded tables (quote speakers, keyword lexicon, topic model, fold tables), as the
    # entity model is loaded before timing: what is measured is the steady state of a long run
    annotate("Khởi động ngày 1/5 với 5 tỷ đồng tại Hà Nội.\nÔng Nguyễn Văn An, Giám đốc Sở Tài chính, cho biết: "
             "“Chúng tôi sẽ hoàn thành dự án trong quý II/2024 với tổng vốn 1.200 tỷ đồng”. Theo Reuters, Sina "
             "cho hay, tuần trước bà Lan nói rằng trí tuệ nhân tạo sẽ thay đổi ngành ngân hàng.", "2024-05-16")
    with Clock() as ck:
        for d in docs:
            annotate(d.text)
    return ck


def run_underthesea(docs, sentence_level: bool):
    from underthesea import ner, sent_tokenize

    stats: dict = {}
    with Clock() as ck:
        pred = [underthesea_spans(d.text, ner, None if sentence_level else sent_tokenize, stats) for d in docs]
    return pred, ck, stats


def vietnews_speed(n: int) -> str:
    path = ev.shared_root() / "data" / "vietnews" / "val.jsonl.gz"
    if not path.exists():
        return f"(VietNews not found at {path})"
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in islice(f, n):
            d = json.loads(line)
            texts.append("\n".join(p for p in (d.get("title"), d.get("abstract"), d.get("body")) if p))
    sents = sum(t.count("\n") + 1 for t in texts)
    with Clock() as ck:
        ents = sum(len(extract_entities(t)) for t in texts)
    mb = sum(len(t) for t in texts) / 1e6
    dt = ck.cpu
    return (f"VietNews val, first {len(texts)} articles (title+lead+body, {sents} lines, {mb:.1f}M chars), "
            f"one process, cold token cache: {len(texts)/dt:,.0f} articles/s, {sents/dt:,.0f} sentences/s "
            f"(CPU time; wall {len(texts)/ck.wall:,.0f} articles/s), {ents} entities; "
            f"128k articles ≈ {128_000/(len(texts)/dt)/60:.1f} min on one core, "
            f"{128_000/(len(texts)/dt)/120:.1f} min on two")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-underthesea", action="store_true", help="score bantin only")
    ap.add_argument("--vietnews", type=int, default=2000, help="VietNews articles for the speed run (0: skip)")
    ap.add_argument("--json", help="also write the scores to this JSON file")
    args = ap.parse_args()

    data = ev.ner_data_dir()
    if not (data / "vlsp2016_dev_sentences.jsonl").exists() or not (data / "vlsp2018_train_dev.jsonl").exists():
        sys.exit(f"bench/ner.py: shared NER data not found in {data}.\n"
                 "It lives in ../shared/data/ner next to the repository root; "
                 "set BANTIN_SHARED=/path/to/shared to point elsewhere.")

    # one core for both systems, as the product's workers run (one BLAS thread each): CPU time is then
    # comparable, and a multi-threaded BLAS cannot make bantin look faster in wall time or slower in CPU time
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    t0 = time.perf_counter()
    extract_entities("Khởi động mô hình tại Hà Nội.")
    print(f"bantin {MODEL_VERSION}: model loaded in {time.perf_counter()-t0:.2f}s")
    sets = [("VLSP 2016 dev (sentences)", ev.load_vlsp2016("dev"), True),
            ("VLSP 2018 dev (articles, depth 0)", ev.load_vlsp2018("dev"), False)]
    report = {"model_version": MODEL_VERSION, "sets": {}}
    ut = None
    if not args.no_underthesea:
        try:
            import underthesea  # noqa: F401

            ut = True
        except ImportError:
            print("underthesea not installed: pip install underthesea (bench-only dependency)")
    for name, docs, sentence_level in sets:
        gold = [d.spans for d in docs]
        pred, dt = run_bantin(docs)
        if sentence_level:
            n_sent = len(docs)
        else:
            from underthesea import sent_tokenize  # only for counting sentences fairly

            n_sent = count_sentences(docs, sent_tokenize)
        sc = ev.score(gold, pred)
        print()
        print(f"== {name}: {len(docs)} docs, {n_sent} sentences, {sum(map(len, gold))} gold entities")
        print(ev.format_scores(f"bantin {MODEL_VERSION}", sc))
        print(f"  speed: {n_sent/dt.cpu:,.0f} sentences/s CPU time ({dt.cpu:.2f}s; wall {n_sent/dt.wall:,.0f}/s)")
        entry = {"bantin": {t: {"p": s.p, "r": s.r, "f1": s.f1} for t, s in sc.items()},
                 "bantin_sentences_per_s_cpu": n_sent / dt.cpu, "sentences": n_sent}
        adt = run_annotate(docs)
        print(f"  bantin annotate (entities + facts): {n_sent/adt.cpu:,.0f} sentences/s CPU time ({adt.cpu:.2f}s)")
        entry["annotate_sentences_per_s_cpu"] = n_sent / adt.cpu
        if ut:
            upred, udt, stats = run_underthesea(docs, sentence_level)
            usc = ev.score(gold, upred)
            print(ev.format_scores("underthesea.ner", usc))
            print(f"  speed: {n_sent/udt.cpu:,.0f} sentences/s CPU time ({udt.cpu:.1f}s; wall {n_sent/udt.wall:,.0f}/s); "
                  f"bantin is {udt.cpu/dt.cpu:.0f}x faster (annotate with the facts {udt.cpu/adt.cpu:.0f}x)  "
                  f"[words not aligned: {stats.get('unaligned', 0)}]")
            entry["underthesea"] = {t: {"p": s.p, "r": s.r, "f1": s.f1} for t, s in usc.items()}
            entry["underthesea_sentences_per_s_cpu"] = n_sent / udt.cpu
        report["sets"][name] = entry
    if args.vietnews:
        print()
        print(vietnews_speed(args.vietnews))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

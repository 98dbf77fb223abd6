"""Entity extraction: bantin vs underthesea, side by side.

    .venv/bin/python bench/ner.py                  # both dev sets + VietNews speed
    .venv/bin/python bench/ner.py --no-underthesea # bantin only (fast)
    BANTIN_SHARED=/path/to/shared .venv/bin/python bench/ner.py
    .venv/bin/python bench/ner.py --cross-domain --config shipped   # leave-one-category-out protocol

Prints precision / recall / F1 per type (PER, LOC, ORG; MISC separately) and
micro-averaged over PER/LOC/ORG, exact span match (CoNLL style: a predicted
entity counts only if its start, end and type all equal a gold entity), on

- VLSP 2016 dev: 2,000 sentences (syllables joined by spaces);
- VLSP 2018 dev: 260 raw articles, depth-0 (outermost) gold entities only;
- the hand-annotated VietNews articles of ``tests/eval/vietnews_ner`` (bantin only; per domain);

for bantin.enrich.ner.extract_entities and for underthesea.ner (underthesea
sees one sentence at a time, from its own sent_tokenize on each line of an
article), plus sentences/s for both.  Finally bantin's articles/s and
sentences/s on VietNews bodies.  Timings are single-process, model already
loaded, the process pinned to one core with one BLAS thread.

``--cross-domain`` runs the cross-domain protocol instead (issue 14; see
``training/ner/crossdomain.py``): for each of the ten sections of VLSP 2018
train+dev, the fold model of a training configuration (trained on VLSP 2016
train and the nine other sections; ``--train`` trains the folds that are not
there yet, which takes hours) is scored on the held-out section; the report is
per section, micro over all ten, per type, and the error classes of
``evaluate.error_classes``.
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
    ap.add_argument("--cross-domain", action="store_true",
                    help="leave-one-category-out over VLSP 2018 train+dev (see training/ner/crossdomain.py)")
    ap.add_argument("--config", default="shipped", help="cross-domain: training configuration (crossdomain.CONFIGS)")
    ap.add_argument("--folds", default=None, help="cross-domain: comma-separated sections (default: all ten)")
    ap.add_argument("--crf-only", action="store_true", help="cross-domain: score the fold CRFs without their scorers")
    ap.add_argument("--train", action="store_true", help="cross-domain: train the fold models that are missing")
    ap.add_argument("--pool", type=float, default=None,
                    help="cross-domain: decode with this weight of emission pooling over a name's mentions "
                         "(model.pool_emissions) instead of the fold model's own")
    ap.add_argument("--pool-mode", choices=["labels", "types"], default=None,
                    help="cross-domain: with --pool, pool every label's score or only the type of a name")
    args = ap.parse_args()
    if args.cross_domain:
        return cross_domain(args)

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
    gold_file = ROOT / "tests/eval/vietnews_ner/gold.jsonl"
    if gold_file.exists() and (ev.shared_root() / "data" / "vietnews" / "val.jsonl.gz").exists():
        print()
        report["sets"]["VietNews hand-annotated"] = vietnews_gold_report(ev.load_vietnews_gold(gold_file))
    if args.vietnews:
        print()
        print(vietnews_speed(args.vietnews))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


def vietnews_gold_report(docs, extract_fn=None) -> dict:
    """Scores on the hand-annotated VietNews articles (tests/eval/vietnews_ner): micro, per type, per
    domain (sports, entertainment, technology, world) and the error classes."""
    extract_fn = extract_fn or extract_entities
    pred = [ev.clip(d, [(e.start, e.end, e.type) for e in extract_fn(d.text)]) for d in docs]
    gold = [d.spans for d in docs]
    sc = ev.score(gold, pred)
    print(f"== VietNews hand-annotated (tests/eval/vietnews_ner): {len(docs)} articles, "
          f"{sum(1 for g in gold for x in g if x[2] != 'MISC')} gold PER/LOC/ORG + "
          f"{sum(1 for g in gold for x in g if x[2] == 'MISC')} MISC")
    print(ev.format_scores(f"bantin {MODEL_VERSION}", sc))
    out = {"all": {t: {"p": v.p, "r": v.r, "f1": v.f1} for t, v in sc.items()}, "domains": {}}
    for dom in sorted({d.category for d in docs}):
        idx = [i for i, d in enumerate(docs) if d.category == dom]
        s = ev.score([gold[i] for i in idx], [pred[i] for i in idx])
        print(f"  {dom:<14} {len(idx):3d} articles  micro F1 {s['micro'].f1:.3f}  PER {s['PER'].f1:.3f}  "
              f"LOC {s['LOC'].f1:.3f}  ORG {s['ORG'].f1:.3f}  MISC {s['MISC'].f1:.3f}")
        out["domains"][dom] = {t: {"p": v.p, "r": v.r, "f1": v.f1} for t, v in s.items()}
    errs = ev.error_classes(docs, pred)
    print("  error classes: " + ", ".join(f"{k} {v}" for k, v in errs.items()))
    out["errors"] = errs
    return out


def cross_domain(args) -> None:
    """Score the fold models of one configuration on their held-out sections (see crossdomain.py)."""
    sys.path.insert(0, str(ROOT / "training/ner"))
    import crossdomain as xd
    from bantin.enrich.ner.extract import extract
    from bantin.enrich.ner.model import CRFModel

    if args.config not in xd.CONFIGS:
        sys.exit(f"bench/ner.py: unknown configuration {args.config!r}; one of {', '.join(sorted(xd.CONFIGS))}")
    cats = [c.strip() for c in args.folds.split(",")] if args.folds else list(ev.CATEGORIES)
    bad = [c for c in cats if c not in ev.CATEGORIES]
    if bad:
        sys.exit(f"bench/ner.py: unknown section(s) {bad}; the ten are: {', '.join(ev.CATEGORIES)}")
    docs = ev.load_vlsp2018("all")
    gaz = xd.gazetteer_entries(args.config)
    gold_all, pred_all, docs_all, report = [], [], [], {"config": args.config, "crf_only": args.crf_only,
                                                        "pool": args.pool,
                                                        "pool_mode": args.pool_mode, "folds": {}}
    print(f"cross-domain protocol, configuration {args.config!r}{' (CRFs alone)' if args.crf_only else ''}: "
          "train on VLSP 2016 train + nine VLSP 2018 sections, test on the tenth")
    print(f"{'held-out section':<12} {'docs':>5} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6}  "
          f"{'PER':>6} {'LOC':>6} {'ORG':>6} {'MISC':>6}")
    for cat in cats:
        d = xd.fold_dir(args.config, cat)
        crf_only = args.crf_only or xd.CONFIGS[args.config][1] is None
        if args.train:
            xd.train_fold(args.config, cat, crf_only)
        scorer = d / "scorer.npz"
        if not (d / "model.npz").exists() or (not crf_only and not scorer.exists()):
            print(f"{cat:<12} (no fold model in {d}: run with --train, or crossdomain.py train)")
            continue
        m = CRFModel(d / "model.npz", gaz, None if crf_only else scorer)
        if args.pool is not None:
            m.pool = args.pool
        if args.pool_mode is not None:
            m.pool_mode = args.pool_mode
        test = [x for x in docs if x.category == cat]
        gold = [x.spans for x in test]
        pred = [[(e.start, e.end, e.type) for e in extract(m, x.text)] for x in test]
        sc = ev.score(gold, pred)
        s = sc["micro"]
        print(f"{cat:<12} {len(test):5d} {s.tp + s.fn:6d} {s.p:6.3f} {s.r:6.3f} {s.f1:6.3f}  "
              + " ".join(f"{sc[t].f1:6.3f}" for t in ("PER", "LOC", "ORG", "MISC")), flush=True)
        report["folds"][cat] = {t: {"p": v.p, "r": v.r, "f1": v.f1, "tp": v.tp, "fp": v.fp, "fn": v.fn}
                                for t, v in sc.items()}
        gold_all += gold
        pred_all += pred
        docs_all += test
    if not docs_all:
        return
    sc = ev.score(gold_all, pred_all)
    print()
    print(ev.format_scores(f"micro over {len(report['folds'])} held-out section(s)", sc))
    errs = ev.error_classes(docs_all, pred_all)
    print("\nerror classes (counts over the held-out sections; see evaluate.error_classes):")
    for k, v in errs.items():
        print(f"  {k:<40} {v:6d}")
    report["micro"] = {t: {"p": v.p, "r": v.r, "f1": v.f1, "tp": v.tp, "fp": v.fp, "fn": v.fn} for t, v in sc.items()}
    report["errors"] = errs
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

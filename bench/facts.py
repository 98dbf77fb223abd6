"""Facts quality and speed: quotes, dates, amounts (hand-labelled gold), topic (VLSP 2018 dev), summary (VietNews).

    BANTIN_SHARED=/work/shared .venv/bin/python bench/facts.py              # held-out and dev, all of it
    BANTIN_SHARED=/work/shared .venv/bin/python bench/facts.py --set all -v # every gold set (B-M, T1-T3: quotes only)
    .venv/bin/python bench/facts.py --set dev --no-summary --no-speed       # while writing rules

Gold: bench/gold/facts_{heldout,heldout_b,…,heldout_m,dev,train_t1,train_t2,train_t3}.jsonl (made from bench/gold/hand/*.txt by
bench/gold/tools.py resolve; rules, and which sets were looked at when, in bench/gold/RULES.md: score a blind set
once, at the end of rule work). Scoring:

- quotes: a predicted quote matches a gold one when their spans overlap by at least half of the shorter; detection
  P/R/F1 over documents labelled for quotes; speaker accuracy over matched pairs (the predicted speaker, its
  canonical entity, or a gold alternative contained in the other, case- and diacritic-insensitive; an unattributed
  gold quote needs no speaker).
- dates: a gold expression is right when a predicted mention overlaps it with the same value (ISO at its
  granularity; null for null) and, for ranges, the same end; "false dates" = predicted mentions overlapping a
  labelled non-date (must be 0).
- amounts: right when a predicted amount overlaps it with the same value, value_max and unit.
- topic: accuracy on VLSP 2018 dev (categories mapped as in training/facts/build.py; KH - CN also accepts Khoa học)
  beside the majority class of the training labels.
- summary: ROUGE-1/2/L F1 on lower-cased syllables against VietNews val abstracts, beside lead-2 and lead-3.
- keywords: of VietNews val bodies (title and abstract withheld): the share that the title or abstract contains
  (as a whole phrase), beside TF-IDF over 1–2 syllable n-grams and over 2-syllable n-grams only (IDF over the
  same articles, n-grams that begin or end with a function word out);
  and the share that are pieces of a longer word (every occurrence in the body has the same syllable next to it),
  or of a four-syllable word of the shipped lexicon that the body contains ("trí tuệ" of "trí tuệ nhân tạo").
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "gold"))
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
GOLD = ROOT / "bench" / "gold"


def _fold(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFD", s.lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d").split())


def load_gold(which: str) -> dict[str, dict]:
    """{doc: {"ref", "kinds", "items": [...]}} from bench/gold/facts_<which>.jsonl."""
    docs: dict[str, dict] = {}
    with open(GOLD / f"facts_{which}.jsonl", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            d = docs.setdefault(e["doc"], {"ref": e.get("ref"), "kinds": e.get("kinds"), "items": []})
            if e["kind"] != "doc":  # a "doc" record only lists the document (it may hold no item of a kind)
                d["items"].append(e)
    return docs


def _overlap(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def predict(text: str, ref: str | None) -> dict:
    from bantin.clean.dates import find_mentions
    from bantin.enrich.amounts import find_amounts
    from bantin.enrich.facts import reference_time
    from bantin.enrich.ner import extract_entities
    from bantin.enrich.quotes import find_quotes

    ents = extract_entities(text)
    return {"quotes": find_quotes(text, ents), "dates": find_mentions(text, ref=reference_time(ref)),
            "amounts": find_amounts(text)}


def speaker_ok(gold: str | None, q) -> bool:
    if gold is None:
        return True
    cands = [_fold(x) for x in (q.speaker, q.speaker_entity) if x]
    for alt in gold.split("|"):
        g = _fold(alt)
        for c in cands:
            if c == g or (len(c.split()) >= 2 and len(g.split()) >= 2 and (c in g or g in c)):
                return True
            if len(g.split()) == 1 and g in c.split():  # "Messi" / "Lionel Messi"
                return True
    return False


def score(which: str, verbose: bool = False) -> dict:
    from tools import text_of

    gold = load_gold(which)
    q_tp = q_fp = q_fn = 0
    spk_ok = spk_n = 0
    d_ok = d_n = 0
    false_dates = 0
    spurious_dates = 0
    a_ok = a_n = 0
    spurious_amounts = 0
    misses: dict[str, list] = defaultdict(list)
    for doc, g in gold.items():
        text = text_of(doc)
        kinds = set(g["kinds"] or ("date", "nondate", "amount", "quote"))
        p = predict(text, g["ref"])
        items = g["items"]
        # quotes
        if "quote" in kinds:
            gq = [e for e in items if e["kind"] == "quote"]
            used = set()
            for e in gq:
                best = None
                for i, q in enumerate(p["quotes"]):
                    if i in used:
                        continue
                    ov = _overlap(e["start"], e["end"], q.start, q.end)
                    if ov and ov >= 0.5 * min(e["end"] - e["start"], q.end - q.start):
                        best = i
                        break
                if best is None:
                    q_fn += 1
                    misses["quote"].append((doc, e["span"]))
                    continue
                used.add(best)
                q_tp += 1
                spk_n += 1
                if speaker_ok(e.get("speaker"), p["quotes"][best]):
                    spk_ok += 1
                else:
                    misses["speaker"].append((doc, e["span"], e.get("speaker"), p["quotes"][best].speaker))
            for i, q in enumerate(p["quotes"]):
                if i not in used:
                    q_fp += 1
                    misses["quote_fp"].append((doc, text[q.start:q.end][:60], q.speaker))
        # dates
        gd = [e for e in items if e["kind"] == "date"]
        nd = [e for e in items if e["kind"] == "nondate"]
        for e in gd:
            d_n += 1
            hit = [m for m in p["dates"] if _overlap(e["start"], e["end"], m.start, m.end)]
            ok = any(m.iso() == e["value"] and (e.get("value_end") is None or m.iso_end() == e["value_end"])
                     for m in hit)
            d_ok += ok
            if not ok:
                misses["date"].append((doc, e["span"], e["value"], [(text[m.start:m.end], m.iso()) for m in hit]))
        for m in p["dates"]:
            if any(_overlap(e["start"], e["end"], m.start, m.end) for e in nd):
                false_dates += 1
                misses["false_date"].append((doc, text[m.start:m.end], m.iso()))
            elif "date" in kinds and not any(_overlap(e["start"], e["end"], m.start, m.end) for e in gd):
                spurious_dates += 1
                misses["date_fp"].append((doc, text[m.start:m.end], m.iso()))
        # amounts
        ga = [e for e in items if e["kind"] == "amount"]
        for e in ga:
            a_n += 1
            hit = [a for a in p["amounts"] if _overlap(e["start"], e["end"], a.start, a.end)]
            ok = any(abs(a.value - e["value"]) <= 1e-9 * max(1, abs(e["value"])) and a.unit == e["unit"]
                     and (a.value_max == e.get("value_max") or (a.value_max is not None and e.get("value_max") is not None
                                                               and abs(a.value_max - e["value_max"]) < 1e-6))
                     for a in hit)
            a_ok += ok
            if not ok:
                misses["amount"].append((doc, e["span"], e["value"], e["unit"],
                                         [(text[a.start:a.end], a.value, a.unit) for a in hit]))
        if "amount" in kinds:
            for a in p["amounts"]:
                if not any(_overlap(e["start"], e["end"], a.start, a.end) for e in ga):
                    spurious_amounts += 1
                    misses["amount_fp"].append((doc, text[a.start:a.end], a.value, a.unit))
    prec = q_tp / (q_tp + q_fp) if q_tp + q_fp else 0.0
    rec = q_tp / (q_tp + q_fn) if q_tp + q_fn else 0.0
    res = {
        "documents": len(gold),
        "quotes": {"gold": q_tp + q_fn, "predicted": q_tp + q_fp, "precision": prec, "recall": rec,
                   "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                   "speaker_accuracy": spk_ok / spk_n if spk_n else 0.0, "speaker_matched": spk_n},
        "dates": {"gold": d_n, "value_accuracy": d_ok / d_n if d_n else 0.0,
                  "nondates": sum(1 for g in gold.values() for e in g["items"] if e["kind"] == "nondate"),
                  "false_dates_on_nondates": false_dates, "other_predicted_not_in_gold": spurious_dates},
        "amounts": {"gold": a_n, "accuracy": a_ok / a_n if a_n else 0.0,
                    "predicted_not_in_gold": spurious_amounts},
    }
    if verbose:
        for k, v in misses.items():
            print(f"--- {which} {k} ({len(v)})")
            for x in v:
                print("   ", x)
    return res


def topic_scores() -> dict:
    sys.path.insert(0, str(ROOT / "training" / "facts"))
    from build import VLSP_MAP, vims, vlsp  # the training script's own readers and mapping

    from bantin.enrich.topic import classify

    train = vlsp("train") + vims()
    majority = Counter(lab for _t, lab in train).most_common(1)[0][0]
    dev = []
    with open(SHARED / "data/ner/vlsp2018_train_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["split"] == "dev":
                dev.append(d)
    ok = ok_strict = base = 0
    conf: Counter = Counter()
    t0 = time.process_time()
    for d in dev:
        gold = VLSP_MAP[d["category"]]
        title = d.get("title") or ""
        pred, _p = classify((title + "\n") * 2 + d["text"])
        ok_strict += pred == gold
        ok += pred == gold or (d["category"] == "KH - CN" and pred == "Khoa học")
        base += majority == gold
        conf[(gold, pred)] += 1
    dt = time.process_time() - t0
    n = len(dev)
    return {"documents": n, "accuracy": ok / n, "accuracy_strict": ok_strict / n, "majority_class": majority,
            "majority_baseline": base / n, "ms_per_doc": 1000 * dt / n,
            "confusions": [[g, p, c] for (g, p), c in conf.most_common() if g != p][:12]}


def _rouge_n(ref: list[str], hyp: list[str], n: int) -> float:
    r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    h = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
    ov = sum((r & h).values())
    if not ov:
        return 0.0
    p, rc = ov / sum(h.values()), ov / sum(r.values())
    return 2 * p * rc / (p + rc)


def _lcs(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _rouge_l(ref: list[str], hyp: list[str]) -> float:
    lcs = _lcs(ref, hyp)
    if not lcs:
        return 0.0
    p, r = lcs / len(hyp), lcs / len(ref)
    return 2 * p * r / (p + r)


def rouge(ref: str, hyp: str) -> tuple[float, float, float]:
    from bantin.enrich.topic import tokens

    r, h = tokens(ref), tokens(hyp)
    return _rouge_n(r, h, 1), _rouge_n(r, h, 2), _rouge_l(r, h)


def summary_scores(n: int) -> dict:
    from bantin.enrich.summary import sentences, summarize

    sums = {"bantin": [0.0, 0.0, 0.0], "lead-2": [0.0, 0.0, 0.0], "lead-3": [0.0, 0.0, 0.0]}
    count = 0
    with gzip.open(SHARED / "data/vietnews/val.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in islice(f, n):
            d = json.loads(line)
            body, ref = d["body"], d["abstract"]
            sents = sentences(body)
            if not sents or not ref.strip():
                continue
            count += 1
            cands = {"bantin": " ".join(body[a:b] for a, b in summarize(d["title"], body)),
                     "lead-2": " ".join(body[a:b] for a, b in sents[:2]),
                     "lead-3": " ".join(body[a:b] for a, b in sents[:3])}
            for k, hyp in cands.items():
                for i, v in enumerate(rouge(ref, hyp)):
                    sums[k][i] += v
    return {"articles": count, **{k: {"rouge1": v[0] / count, "rouge2": v[1] / count, "rougeL": v[2] / count}
                                  for k, v in sums.items()}}


def _kw_syllables(s: str) -> list[str]:
    from bantin.enrich.topic import tokens

    return tokens(s)


def _contains(hay: list[str], needle: list[str]) -> bool:
    k = len(needle)
    return k > 0 and any(hay[i:i + k] == needle for i in range(len(hay) - k + 1))


def _fragment(chunks: list[list[str]], kw: list[str]) -> bool:
    """A keyword that is a piece of a longer word: it occurs at least twice and every time with the same syllable
    after it (or before it), that syllable not a function word ("trí tuệ" always followed by "nhân")."""
    from bantin.enrich.keywords import _FUNCTION

    k = len(kw)
    after, before, n = set(), set(), 0
    for c in chunks:
        for i in range(len(c) - k + 1):
            if c[i:i + k] == kw:
                n += 1
                after.add(c[i + k] if i + k < len(c) else None)
                before.add(c[i - 1] if i > 0 else None)
    if n < 2:
        return False
    return any(len(side) == 1 and None not in side and not (side & _FUNCTION) and not next(iter(side)).isdigit()
               for side in (after, before))


def _lower_chunks(text: str) -> list[list[str]]:
    """Runs of words written in lower case (a name's syllables are capitalised: not a word the lexicon splits)."""
    import re as _re

    return [w.split() for w in _re.findall(r"(?:(?<![^\W\d_])[^\W\d_A-Z]*[a-zđà-ỹ][^\W\d_]*(?:[^\S\n]+|$))+", text)
            if w.strip() and w[0].islower()]


def _lexicon4() -> list[str]:
    """The shipped lexicon's four-syllable words (read from the file: the measure is the same whichever code runs)."""
    path = ROOT / "src" / "bantin" / "data" / "facts" / "phrases.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [k for k, _c in (line.rstrip("\n").split("\t") for line in islice(f, 1, None)) if k.count(" ") == 3]


def keyword_scores(n: int) -> dict:
    """Keywords of VietNews val bodies (title and abstract withheld) against their title + abstract: the share of
    keywords the writer also put there, beside TF-IDF over 1–2 syllable n-grams; and the share of keywords that
    are pieces of a longer word the body always writes whole."""
    import math

    from bantin.enrich.keywords import _CHUNK, _FUNCTION, keywords
    from bantin.enrich.ner import extract_entities

    docs = []
    with gzip.open(SHARED / "data/vietnews/val.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in islice(f, n):
            d = json.loads(line)
            if d["abstract"].strip() and d["title"].strip() and len(d["body"]) >= 200:
                docs.append(d)
    chunked = [[_kw_syllables(c) for c in _CHUNK.findall(d["body"])] for d in docs]
    df: Counter = Counter()
    for ch in chunked:
        grams = set()
        for c in ch:
            for i in range(len(c)):
                for k in (1, 2):
                    g = tuple(c[i:i + k])
                    if len(g) == k and g[0] not in _FUNCTION and g[-1] not in _FUNCTION \
                            and not any(x.isdigit() for x in g):
                        grams.add(g)
        df.update(grams)
    stats = {name: {"keywords": 0, "hits": 0, "multi": 0, "fragments": 0, "pieces": 0}
             for name in ("bantin", "tf-idf", "tf-idf-2")}
    fours = [k.split() for k in _lexicon4()]
    t_cpu = 0.0
    for d, ch in zip(docs, chunked):
        ref = _kw_syllables(d["title"] + " " + d["abstract"])
        low_body = " ".join(" ".join(c) for c in _lower_chunks(d["body"]))
        names = sorted({e.name for e in extract_entities(d["body"]) if e.type in ("PER", "LOC", "ORG")})
        t0 = time.process_time()
        ours = [_kw_syllables(k) for k in keywords("", d["body"], names)]
        t_cpu += time.process_time() - t0
        tf: Counter = Counter()
        for c in ch:
            for i in range(len(c)):
                for k in (1, 2):
                    g = tuple(c[i:i + k])
                    if g in df:
                        tf[g] += 1
        ranked = sorted(tf, key=lambda g: (-tf[g] * math.log(len(docs) / df[g]), g))

        def top(grams) -> list[list[str]]:
            out: list[list[str]] = []
            for g in grams:
                if any(_contains(b, list(g)) or _contains(list(g), b) for b in out):
                    continue
                out.append(list(g))
                if len(out) == 8:
                    break
            return out

        base, base2 = top(ranked), top(g for g in ranked if len(g) == 2)
        for name, kws in (("bantin", ours), ("tf-idf", base), ("tf-idf-2", base2)):
            st = stats[name]
            for kw in kws:
                st["keywords"] += 1
                st["hits"] += _contains(ref, kw)
                st["multi"] += len(kw) > 1
                st["fragments"] += " ".join(kw) in low_body and _fragment(ch, kw)
                # a piece of a four-syllable word the body contains ("trí tuệ" of "trí tuệ nhân tạo")
                st["pieces"] += len(kw) < 4 and any(_contains(w, kw) and any(_contains(c, w) for c in ch)
                                                    for w in fours if kw[0] in w)
    out: dict = {"articles": len(docs), "bantin_ms_per_article": 1000 * t_cpu / max(1, len(docs))}
    for name, st in stats.items():
        k = max(1, st["keywords"])
        out[name] = {"per_article": st["keywords"] / max(1, len(docs)), "in_title_or_abstract": st["hits"] / k,
                     "multi_syllable": st["multi"] / k, "fragments": st["fragments"] / k,
                     "pieces_of_4_syllable_words": st["pieces"] / k}
    return out


def speed(n: int) -> dict:
    """CPU ms per article of each stage on VietNews val (title + lead + body), one process."""
    from bantin.enrich import facts
    from bantin.enrich.ner import extract_entities
    from bantin.enrich.topic import topic_of

    docs = []
    with gzip.open(SHARED / "data/vietnews/val.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in islice(f, n):
            d = json.loads(line)
            docs.append((d["title"], d["abstract"] + "\n" + d["body"]))
    texts = [t + "\n\n" + b for t, b in docs]
    out = {}
    facts.dates_in("khởi động ngày 1/5", None)
    facts.keywords_of("a", "b", [])
    facts.summary_of("a", "b. C d.")
    topic_of("a", "b")
    t0 = time.process_time()
    ents = [[{"start": e.start, "end": e.end, "text": e.text, "type": e.type, "name": e.name}
             for e in extract_entities(t)] for t in texts]
    out["entities (reference)"] = time.process_time() - t0
    stages = {
        "dates": lambda i: facts.dates_in(texts[i], None),
        "amounts": lambda i: facts.amounts_in(texts[i]),
        "quotes": lambda i: facts.quotes_in(texts[i], ents[i]),
        "topic": lambda i: topic_of(docs[i][0], docs[i][1]),
        "keywords": lambda i: facts.keywords_of(docs[i][0], docs[i][1],
                                                sorted({e["name"] for e in ents[i] if e["type"] != "MISC"})),
        "summary": lambda i: facts.summary_of(docs[i][0], docs[i][1]),
    }
    for name, fn in stages.items():
        t0 = time.process_time()
        for i in range(len(texts)):
            fn(i)
        out[name] = time.process_time() - t0
    res = {k: 1000 * v / len(texts) for k, v in out.items()}
    res["facts total"] = sum(v for k, v in res.items() if k != "entities (reference)")
    res["articles"] = len(texts)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=["heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f",
                                      "heldout_g", "heldout_h", "heldout_i", "heldout_j", "heldout_k", "heldout_l",
                                      "heldout_m", "dev", "train_t1", "train_t2", "train_t3", "both", "train", "looked", "all"],
                    default="both",
                    help="both = heldout + dev; train = the training sets of the learnt quote scorer (T1-T3); "
                         "looked = every set looked at while writing rules or trained on (dev, held-out, B-L, T1-T3); "
                         "all = every gold set (held-out M is blind: scored once)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    ap.add_argument("--no-topic", action="store_true")
    ap.add_argument("--no-summary", action="store_true")
    ap.add_argument("--no-keywords", action="store_true")
    ap.add_argument("--keyword-articles", type=int, default=1000)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--summary-articles", type=int, default=2000)
    ap.add_argument("--speed-articles", type=int, default=2000)
    ap.add_argument("--json", default=str(ROOT / "bench" / "out" / "facts.json"))
    args = ap.parse_args()
    if not (SHARED / "data").exists():
        sys.exit(f"bench/facts.py: shared data not found at {SHARED} (set BANTIN_SHARED)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    report: dict = {}
    sets = {"both": ["heldout", "dev"], "looked": ["heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f",
                                                  "heldout_g", "heldout_h", "heldout_i", "heldout_j", "heldout_k", "heldout_l",
                                                  "dev", "train_t1", "train_t2", "train_t3"],
            "train": ["train_t1", "train_t2", "train_t3"],
            "all": ["heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f", "heldout_g",
                    "heldout_h", "heldout_i", "heldout_j", "heldout_k", "heldout_l", "heldout_m", "dev", "train_t1",
                    "train_t2", "train_t3"]}
    for which in sets.get(args.set, [args.set]):
        r = score(which, args.verbose)
        report[which] = r
        q, d, a = r["quotes"], r["dates"], r["amounts"]
        print(f"== {which}: {r['documents']} documents")
        print(f"  quotes   {q['gold']} gold, {q['predicted']} predicted: P {q['precision']:.3f} R {q['recall']:.3f} "
              f"F1 {q['f1']:.3f} (target 0.90); speaker accuracy {q['speaker_accuracy']:.3f} on {q['speaker_matched']} "
              f"matched (target 0.85)")
        print(f"  dates    {d['gold']} gold: value accuracy {d['value_accuracy']:.3f} (target 0.95); false dates on "
              f"{d['nondates']} non-dates: {d['false_dates_on_nondates']} (target 0); other predicted dates not in "
              f"gold: {d['other_predicted_not_in_gold']}")
        print(f"  amounts  {a['gold']} gold: accuracy {a['accuracy']:.3f} (target 0.97); predicted not in gold: "
              f"{a['predicted_not_in_gold']}")
    if not args.no_topic:
        t = topic_scores()
        report["topic"] = t
        print(f"== topic, VLSP 2018 dev ({t['documents']} articles): accuracy {t['accuracy']:.3f} "
              f"(strict KH-CN = Công nghệ: {t['accuracy_strict']:.3f}); majority class ({t['majority_class']}) "
              f"{t['majority_baseline']:.3f}; {t['ms_per_doc']:.2f} ms/article")
        print("  top confusions (gold → predicted):", ", ".join(f"{g}→{p} {c}" for g, p, c in t["confusions"]))
    if not args.no_summary:
        s = summary_scores(args.summary_articles)
        report["summary"] = s
        print(f"== summary, VietNews val first {args.summary_articles} ({s['articles']} scored), ROUGE F1 on syllables")
        for k in ("bantin", "lead-2", "lead-3"):
            print(f"  {k:8} R-1 {s[k]['rouge1']:.4f}  R-2 {s[k]['rouge2']:.4f}  R-L {s[k]['rougeL']:.4f}")
    if not args.no_keywords:
        k = keyword_scores(args.keyword_articles)
        report["keywords"] = k
        print(f"== keywords, VietNews val first {args.keyword_articles} ({k['articles']} scored; body only, title and "
              f"abstract withheld)")
        for name in ("bantin", "tf-idf", "tf-idf-2"):
            r = k[name]
            print(f"  {name:8} {r['per_article']:.1f}/article: in title or abstract {r['in_title_or_abstract']:.3f}, "
                  f"multi-syllable {r['multi_syllable']:.3f}, pieces of a longer word {r['fragments']:.3f}, of a "
                  f"four-syllable word {r['pieces_of_4_syllable_words']:.4f}")
    if not args.no_speed:
        sp = speed(args.speed_articles)
        report["speed_ms_per_article"] = sp
        print(f"== speed, CPU ms per article, VietNews val first {sp['articles']} (one core):")
        print("  " + ", ".join(f"{k} {v:.2f}" for k, v in sp.items() if k != "articles"))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

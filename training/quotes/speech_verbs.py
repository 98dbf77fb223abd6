"""How often a word introduces what is said, counted on unlabelled news: ``src/bantin/data/quotes/speech_verbs.tsv``.

    BANTIN_SHARED=/work/shared .venv/bin/python training/quotes/speech_verbs.py

For every sequence of one to three lowercase syllables ``w`` seen right before ``rằng`` or right before a colon or a
comma that opens a quotation (``w: “``, ``w, “``) in the VietNews *train* bodies — every article of a gold set under
``bench/gold`` left out, so that no judged article counts — the table holds how often it was seen so (``said``) and
how often it was seen at all (``seen``). ``quote_recall`` turns ``said / seen`` into a feature of the verb before a
candidate clause: a verb no labelled quote ever used ("lập luận", "thú nhận", "phát tín hiệu") still carries what the
corpus says about it. Only sequences seen so at least ``--min-said`` times are kept.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "bantin" / "data" / "quotes" / "speech_verbs.tsv"

_WORD = re.compile(r"[^\W\d_]+")
_INTRO = re.compile(r"((?:[^\W\d_]+ +){0,2}[^\W\d_]+) *(?:rằng(?![^\W\d_])|[:,] *[“\"«])")


def gold_ids() -> set[str]:
    ids = set()
    for p in glob.glob(str(ROOT / "bench" / "gold" / "*.jsonl")):
        for line in open(p, encoding="utf-8"):
            d = json.loads(line).get("doc") or ""
            if d.startswith("vietnews-train:"):
                ids.add(d.split(":", 1)[1])
    return ids


def bodies(skip: set[str]):
    with gzip.open(SHARED / "data" / "vietnews" / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if str(d["id"]) in skip:
                continue
            yield unicodedata.normalize("NFC", d["body"]).lower()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-said", type=int, default=5)
    a = ap.parse_args()
    skip = gold_ids()
    said: Counter = Counter()
    n = 0
    for body in bodies(skip):
        n += 1
        for m in _INTRO.finditer(body):
            syl = m.group(1).split()
            for k in (1, 2, 3):
                if len(syl) >= k:
                    said[" ".join(syl[-k:])] += 1
    keep = {w for w, c in said.items() if c >= a.min_said}
    seen: Counter = Counter()
    for body in bodies(skip):
        for line in body.split("\n"):
            syl = _WORD.findall(line)
            for i in range(len(syl)):
                for k in (1, 2, 3):
                    if i + k <= len(syl):
                        w = " ".join(syl[i:i + k])
                        if w in keep:
                            seen[w] += 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(f"# training/quotes/speech_verbs.py --min-said {a.min_said}: VietNews train, {n} articles "
                f"({len(skip)} gold articles left out); word<TAB>said<TAB>seen\n")
        for w in sorted(keep, key=lambda w: (-said[w], w)):
            f.write(f"{w}\t{said[w]}\t{max(seen[w], said[w])}\n")
    print(f"{n} articles, {len(keep)} sequences -> {OUT}")


if __name__ == "__main__":
    main()

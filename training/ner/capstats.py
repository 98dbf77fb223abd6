"""How often each syllable is written with a capital letter inside a sentence (VietNews).

A capital letter in mid-sentence is the strongest cue for a name, but many
names are also common words ("Bốn" = four, "Thành", "Dư", "Tâm") and many
capitalised words are not names at all.  Counting, over the unlabelled
VietNews corpus, how often a syllable is capitalised when it is *not* the
first word of a sentence gives the CRF a prior that covers syllables the
labelled data never showed.

    .venv/bin/python training/ner/capstats.py    # -> training/ner/build/capstats.tsv

Output: one line per normalised syllable key seen at least --min-count times
mid-sentence: ``key<TAB>mid-sentence count<TAB>capitalised mid-sentence count``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner.text import TOKEN_RE, feature_key  # noqa: E402

# a token after one of these starts a sentence or a quotation: its case says nothing
_OPENERS = set(".!?…:;\"“”'‘’([-–—«»")


def shared_dir() -> Path:
    return Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared")) / "data"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "training/ner/build/capstats.tsv"))
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    d = shared_dir() / "vietnews"
    paths = [d / "train.jsonl.gz", d / "val.jsonl.gz"]
    t0 = time.time()
    total: Counter = Counter()  # surface -> mid-sentence count (surfaces first: fewer feature_key calls)
    for p in paths:
        with gzip.open(p, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                for part in (doc.get("abstract") or "", doc.get("body") or ""):  # titles are often Title Case
                    for sent in part.split("\n"):
                        prev = "."
                        for m in TOKEN_RE.finditer(sent):
                            s = m.group()
                            if prev not in _OPENERS and s[0].isalpha():
                                total[s] += 1
                            prev = s
        print(f"{p.name} read in {time.time()-t0:.0f}s, {len(total)} surfaces", flush=True)
    mid: Counter = Counter()
    cap: Counter = Counter()
    for s, n in total.items():
        k = feature_key(s)
        mid[k] += n
        if s[0].isupper():
            cap[k] += n
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n_out = 0
    with open(out, "w", encoding="utf-8") as f:
        for k, n in sorted(mid.items()):
            if n >= args.min_count and "\t" not in k and "\n" not in k:
                f.write(f"{k}\t{n}\t{cap[k]}\n")
                n_out += 1
    print(f"wrote {n_out} syllables to {out} in {time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()

"""Build the syllable document-frequency table that story clustering weighs terms with (TF-IDF).

    .venv/bin/python bench/make_idf.py          # reads ../shared/data/vietnews/train.jsonl.gz

Writes src/bantin/data/syllable_df.tsv.gz: a header line ``#docs<TAB>N``, then ``syllable<TAB>df`` for every
syllable (exact form: NFC, one tone-mark style, lower case) found in at least MIN_DF articles. Only counts are
kept, no text. Data: VietNews train (Nguyen et al. 2019), 105,418 articles; see src/bantin/data/README.md.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
MIN_DF = 5

from bantin.dedup.features import syllables  # noqa: E402


def main() -> None:
    df: Counter[str] = Counter()
    n = 0
    with gzip.open(SHARED / "data/vietnews/train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text = "\n".join([d.get("title") or "", d.get("abstract") or "", d.get("body") or ""])
            df.update(set(syllables(text)))
            n += 1
    out = ROOT / "src/bantin/data/syllable_df.tsv.gz"
    rows = sorted(((s, c) for s, c in df.items() if c >= MIN_DF), key=lambda x: (-x[1], x[0]))
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(f"#docs\t{n}\n")
        for s, c in rows:
            fh.write(f"{s}\t{c}\n")
    print(f"{n:,} articles, {len(rows):,} syllables with df >= {MIN_DF} -> {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

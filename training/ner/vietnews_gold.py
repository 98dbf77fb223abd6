"""The hand-annotated VietNews NER set (issue 14): build its offsets from the annotator's name lists.

    .venv/bin/python training/ner/vietnews_gold.py show 8847 10410      # print scored regions to annotate
    .venv/bin/python training/ner/vietnews_gold.py build                # annotations.txt -> gold.jsonl

The gold lives in ``tests/eval/vietnews_ner/``: ``annotations.txt`` is what the annotator wrote after
reading each article (the rules are in ``GUIDELINES.md`` beside it), ``gold.jsonl`` the character offsets
it resolves to, into the article text of the shared file ``vietnews/val.jsonl.gz`` (no article text is
stored in the repository; each entity keeps its surface so that a change in the shared file shows).

The article text is title, abstract and body joined by "\\n" (empty fields left out), as
``bench/ner.py`` and the ingest read VietNews; the scored region is the text up to the end of the line
holding character 1,200 (the whole text when shorter): the model reads the whole article, only
entities starting in the region are scored.

``annotations.txt``: one block per article, opened by ``## <line number in val.jsonl.gz> <domain>``;
then one name a line: ``<surface> <TYPE>`` marks every occurrence of the surface in the region (whole
words only; a longer name listed in the block wins where two overlap), ``<surface> <TYPE> @i,j`` only
its i-th, j-th occurrences (0-based, counted over all whole-word occurrences in the region; matching
ignores NFC/NFD and old/new tone-mark placement, not the case of a word's first letter), and type
``-`` says that those occurrences are no entity (e.g. "Nam" as a word inside a longer phrase).  ``#``
starts a comment.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner.text import feature_key, tokenize  # noqa: E402
GOLD_DIR = ROOT / "tests/eval/vietnews_ner"
REGION_CHARS = 1200
TYPES = {"PER", "LOC", "ORG", "MISC", "-"}


def shared_file() -> Path:
    base = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
    return base / "data/vietnews/val.jsonl.gz"


def article_text(d: dict) -> str:
    return "\n".join(p for p in (d.get("title"), d.get("abstract"), d.get("body")) if p)


def region_end(text: str) -> int:
    if len(text) <= REGION_CHARS:
        return len(text)
    nl = text.find("\n", REGION_CHARS)
    return len(text) if nl < 0 else nl


def read_articles(lines: set[int]) -> dict[int, dict]:
    out = {}
    with gzip.open(shared_file(), "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i in lines:
                out[i] = json.loads(line)
            if len(out) == len(lines):
                break
    return out


def parse(path: Path) -> list[dict]:
    blocks, cur = [], None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip() if not raw.startswith("##") else raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("## "):
            parts = line[3:].split()
            cur = {"line": int(parts[0]), "domain": parts[1], "names": []}
            blocks.append(cur)
            continue
        m = re.fullmatch(r"\s*(.+?)\s+(PER|LOC|ORG|MISC|-)(?:\s+@([\d,]+))?\s*", line)
        if not m or cur is None:
            raise SystemExit(f"{path}:{n}: cannot read {raw!r}")
        occ = [int(x) for x in m.group(3).split(",")] if m.group(3) else None
        cur["names"].append((m.group(1), m.group(2), occ, n))
    return blocks


def _tokens(text: str):
    """(key, original token, start, end) per token: keys ignore NFC/NFD and tone-mark placement
    ("hoà"/"hòa"), as VietNews mixes them; the case of each token's first letter still has to agree."""
    toks, starts, ends = tokenize(text)
    return [(feature_key(t), t[:1].isupper(), s, e) for t, s, e in zip(toks, starts, ends)]


def occurrences(toks, end: int, surface: str) -> list[tuple[int, int]]:
    """(start, end) of every whole-token occurrence of ``surface`` that starts before ``end``."""
    want = [(k, up) for k, up, _, _ in _tokens(surface)]
    n = len(want)
    out = []
    for i in range(len(toks) - n + 1):
        if toks[i][2] >= end:
            break
        if all((toks[i + j][0], toks[i + j][1]) == want[j] for j in range(n)):
            out.append((toks[i][2], toks[i + n - 1][3]))
    return out


def resolve(block: dict, d: dict) -> dict:
    text = article_text(d)
    end = region_end(text)
    toks = _tokens(text)
    claimed = bytearray(end)
    ents = []
    # longer surfaces first, so "Real Madrid" is claimed before "Madrid"; explicit occurrences before "all"
    names = sorted(block["names"], key=lambda x: (-len(x[0]), x[2] is None))
    for surface, typ, occ, n in names:
        pos = occurrences(toks, end, surface)
        if not pos:
            raise SystemExit(f"annotations.txt:{n}: {surface!r} not found in the region of line {block['line']}")
        picked = pos if occ is None else [pos[i] for i in occ if i < len(pos)]
        if occ is not None and len(picked) != len(occ):
            raise SystemExit(f"annotations.txt:{n}: {surface!r} has only {len(pos)} occurrence(s)")
        for s, e in picked:
            if any(claimed[s:e]):
                continue
            claimed[s:e] = b"\x01" * (e - s)
            if typ != "-":
                ents.append([s, e, typ, unicodedata.normalize("NFC", text[s:e])])
    ents.sort()
    return {"file": "vietnews/val.jsonl.gz", "line": block["line"], "id": d["id"], "domain": block["domain"],
            "end": end, "entities": ents}


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "show":
        lines = [int(x) for x in sys.argv[2:]]
        arts = read_articles(set(lines))
        for i in lines:
            text = article_text(arts[i])
            print(f"## {i} {arts[i]['id']}\n{text[:region_end(text)]}\n")
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "build":
        blocks = parse(GOLD_DIR / "annotations.txt")
        arts = read_articles({b["line"] for b in blocks})
        out = [resolve(b, arts[b["line"]]) for b in blocks]
        with open(GOLD_DIR / "gold.jsonl", "w", encoding="utf-8") as f:
            for r in out:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        n = sum(len(r["entities"]) for r in out)
        by = {}
        for r in out:
            by[r["domain"]] = by.get(r["domain"], 0) + 1
        print(f"wrote {len(out)} articles {by}, {n} entities -> {GOLD_DIR / 'gold.jsonl'}")
        return
    raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

"""Helpers for hand-labelling the facts gold sets (see RULES.md beside this file).

    python bench/gold/tools.py show vims:123            # print a shared article, one numbered line per paragraph
    python bench/gold/tools.py show vietnews-val:<id>
    python bench/gold/tools.py resolve hand/dates_heldout.txt dates_heldout.jsonl

``resolve`` turns hand-written entries (the exact span as printed in the article, which occurrence, and the values
read off by the labeller) into gold records with character offsets into the shared file's text field. It only
locates spans; every value in the gold was written by hand.

Documents: ``vims:<doc_id>`` (field ``content``, clusters 1-200 only), ``vietnews-train:<id>`` /
``vietnews-val:<id>`` (field ``body``), ``vlsp2018:<id>`` (field ``text``, train/dev only).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))


@lru_cache(maxsize=None)
def _vims() -> dict[str, dict]:
    out = {}
    with open(SHARED / "data/vims/vims_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if int(d["cluster_id"].split("_")[1]) <= 200:
                out[str(d["doc_id"])] = d
    return out


@lru_cache(maxsize=None)
def _vietnews(split: str) -> dict[str, dict]:
    assert split in ("train", "val")
    out = {}
    with gzip.open(SHARED / f"data/vietnews/{split}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out[str(d["id"])] = d
    return out


@lru_cache(maxsize=None)
def _vlsp2018() -> dict[str, dict]:
    out = {}
    with open(SHARED / "data/ner/vlsp2018_train_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("split") in ("train", "dev"):
                out[str(d["id"])] = d
    return out


FIELDS = {"vims": "content", "vietnews-train": "body", "vietnews-val": "body", "vlsp2018": "text"}


def document(doc: str) -> dict:
    src, _, key = doc.partition(":")
    if src == "vims":
        return _vims()[key]
    if src.startswith("vietnews-"):
        return _vietnews(src.split("-", 1)[1])[key]
    if src == "vlsp2018":
        return _vlsp2018()[key]
    raise KeyError(doc)


def text_of(doc: str) -> str:
    return document(doc)[FIELDS[doc.split(":", 1)[0]]]


def show(doc: str) -> None:
    d = document(doc)
    print("#", doc, "|", d.get("title"), "|", d.get("published_raw") or "", "|", d.get("url") or d.get("category") or "")
    pos = 0
    for i, line in enumerate(text_of(doc).split("\n")):
        print(f"[{i} @{pos}] {line}")
        pos += len(line) + 1


def _nfc_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` in NFC and, for each NFC offset (and the end), the offset in ``text``: some bodies put tone marks as
    combining characters after a precomposed letter, so a span typed from the printed article is found in NFC."""
    norm, omap, i = [], [], 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        norm.append(piece)
        omap.extend([i] * len(piece))
        i = j
    omap.append(len(text))
    return "".join(norm), omap


def resolve(hand: str, out: str) -> None:
    """Hand file: JSON lines; a line {"doc": ..., ...} sets defaults (doc, ref, set) for the lines after it; an
    entry needs "span" (exact text) and optionally "nth" (1-based occurrence, default 1) or "after" (a string that
    occurs before the span)."""
    ctx: dict = {}
    n = 0
    with open(hand, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            e = json.loads(line)
            if "span" not in e:
                ctx = dict(e) if "doc" in e else {**ctx, **e}  # a document line starts afresh
                if "doc" in e:  # the document is in the set even when it holds nothing of a kind (false positives)
                    w.write(json.dumps({**ctx, "kind": "doc"}, ensure_ascii=False) + "\n")
                continue
            e = {**ctx, **e}
            orig = text_of(e["doc"])
            text, omap = _nfc_with_map(orig)
            typed = e["span"]
            for k in ("span", "after", "span_end"):
                if k in e:
                    e[k] = unicodedata.normalize("NFC", e[k])
            start = 0
            if "after" in e:
                a = text.find(e.pop("after"))
                if a < 0:
                    sys.exit(f"{hand}:{lineno}: 'after' not found")
                start = a
            nth = e.pop("nth", 1)
            pos = start - 1
            for _ in range(nth):
                pos = text.find(e["span"], pos + 1)
                if pos < 0:
                    sys.exit(f"{hand}:{lineno}: span {e['span']!r} (occurrence {nth}) not in {e['doc']}")
            end = pos + len(e["span"])
            long = "span_end" in e
            if long:  # long spans (quotes): from "span" to the end of the next "span_end"
                q = text.find(e["span_end"], pos)
                if q < 0:
                    sys.exit(f"{hand}:{lineno}: span_end {e['span_end']!r} not after the span")
                end = q + len(e.pop("span_end"))
            pos, end = omap[pos], omap[end]
            # the stored span is the document's own characters
            e["span"] = orig[pos:end][:40] if long else typed if orig.startswith(typed, pos) else orig[pos:end]
            e["start"], e["end"] = pos, end
            w.write(json.dumps(e, ensure_ascii=False) + "\n")
            n += 1
    print(f"{out}: {n} entries")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "show":
        for d in sys.argv[2:]:
            show(d)
    elif cmd == "resolve":
        resolve(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)

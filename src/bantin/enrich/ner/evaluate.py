"""Loading the VLSP NER dev/train data and CoNLL-style exact-span scoring.

Used by ``training/ner``, ``bench/ner.py`` and ``tests/eval``.  Nothing here
ships data: it reads ``$BANTIN_SHARED/data/ner`` (default ``../shared`` next
to the repository root).

Conventions:
- VLSP 2016: one sentence per record, ``text`` is syllables joined by spaces.
- VLSP 2018: whole articles; only depth-0 (outermost) entities are scored,
  nested ones (``UBND [TP Hải Phòng]``) are ignored on both sides.
- A span counts when (start, end, type) match exactly.  Micro-averages are
  over PER, LOC and ORG; MISC is reported on its own.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

TYPE_MAP = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "MISCELLANEOUS": "MISC",
            "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
MAIN_TYPES = ("PER", "LOC", "ORG")


@dataclass
class Doc:
    id: str
    text: str
    spans: list[tuple[int, int, str]]  # gold (start, end, type), outermost only


def repo_root() -> Path:
    return Path(__file__).resolve().parents[4]


def shared_root() -> Path:
    env = os.environ.get("BANTIN_SHARED")
    return Path(env) if env else repo_root().parent / "shared"


def ner_data_dir() -> Path:
    return shared_root() / "data" / "ner"


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    spans = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int, str]] = []
    end = -1
    for s in spans:
        if s[0] >= end:
            out.append(s)
            end = s[1]
    return out


def load_vlsp2016(split: str) -> list[Doc]:
    docs = []
    with open(ner_data_dir() / f"vlsp2016_{split}_sentences.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            spans = [(e["start"], e["end"], TYPE_MAP[e["type"]]) for e in d["entities"]]
            docs.append(Doc(d["id"], d["text"], _outermost(spans)))
    return docs


def load_vlsp2018(split: str) -> list[Doc]:
    docs = []
    with open(ner_data_dir() / "vlsp2018_train_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["split"] != split:
                continue
            spans = [(e["start"], e["end"], TYPE_MAP[e["type"]]) for e in d["entities"] if e["depth"] == 0]
            docs.append(Doc(d["id"], d["text"], _outermost(spans)))
    return docs


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: list[list[tuple[int, int, str]]], pred: list[list[tuple[int, int, str]]]) -> dict[str, Score]:
    """Per type (PER, LOC, ORG, MISC) and 'micro' (PER+LOC+ORG) exact-match scores."""
    out = {t: Score() for t in (*MAIN_TYPES, "MISC")}
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        for t in out:
            gt = {s for s in gs if s[2] == t}
            pt = {s for s in ps if s[2] == t}
            out[t].tp += len(gt & pt)
            out[t].fp += len(pt - gt)
            out[t].fn += len(gt - pt)
    micro = Score()
    for t in MAIN_TYPES:
        micro.tp += out[t].tp
        micro.fp += out[t].fp
        micro.fn += out[t].fn
    out["micro"] = micro
    return out


def format_scores(name: str, sc: dict[str, Score]) -> str:
    lines = [f"{name:<28} {'P':>6} {'R':>6} {'F1':>6}  {'gold':>5} {'pred':>5}"]
    for t in ("PER", "LOC", "ORG", "micro", "MISC"):
        s = sc[t]
        label = "micro (PER/LOC/ORG)" if t == "micro" else t + (" (separate)" if t == "MISC" else "")
        lines.append(f"  {label:<26} {s.p:6.3f} {s.r:6.3f} {s.f1:6.3f}  {s.tp + s.fn:5d} {s.tp + s.fp:5d}")
    return "\n".join(lines)

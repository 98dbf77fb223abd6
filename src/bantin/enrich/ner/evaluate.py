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
    category: str = ""  # VLSP 2018: the article's section (see CATEGORIES)


# The ten sections of VLSP 2018 train+dev (its ``category`` field, which spells "Đời sống" two ways:
# "Doi song" in train, "Doi Song" in dev).  These are the folds of the cross-domain protocol.
CATEGORIES = ("Doi song", "Giai tri", "Giao duc", "KH - CN", "Kinh te", "Phap luat", "The gioi", "The thao",
              "Van hoa", "Xa hoi")


def category_of(raw: str) -> str:
    """The fold name of a raw VLSP 2018 ``category`` value (case and spacing ignored)."""
    key = " ".join(raw.split()).lower()
    for c in CATEGORIES:
        if c.lower() == key:
            return c
    raise ValueError(f"unknown VLSP 2018 category {raw!r}")


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
    """VLSP 2018 articles of ``split`` ("train", "dev", or "all" for both), depth-0 entities."""
    docs = []
    with open(ner_data_dir() / "vlsp2018_train_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if split != "all" and d["split"] != split:
                continue
            spans = [(e["start"], e["end"], TYPE_MAP[e["type"]]) for e in d["entities"] if e["depth"] == 0]
            docs.append(Doc(d["id"], d["text"], _outermost(spans), category_of(d.get("category") or "")))
    return docs


def load_vietnews_gold(path: Path | None = None) -> list[Doc]:
    """The hand-annotated VietNews articles (``tests/eval/vietnews_ner/gold.jsonl``, issue 14): each
    ``Doc`` holds the whole article text (title, abstract and body joined by "\n", as read from the shared
    ``vietnews/val.jsonl.gz``), its gold spans, its domain as ``category`` and, in ``end``, the end of
    the annotated region: score only predictions that start before it (``clip``).  Raises ValueError
    when the shared file's text no longer matches a gold surface."""
    import gzip

    path = path or repo_root() / "tests/eval/vietnews_ner/gold.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    want = {r["line"] for r in recs}
    texts: dict[int, str] = {}
    with gzip.open(shared_root() / "data" / "vietnews" / "val.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i in want:
                d = json.loads(line)
                texts[i] = "\n".join(p for p in (d.get("title"), d.get("abstract"), d.get("body")) if p)
                if len(texts) == len(want):
                    break
    import unicodedata

    docs = []
    for r in recs:
        text = texts[r["line"]]
        for s, e, t, surface in r["entities"]:
            if unicodedata.normalize("NFC", text[s:e]) != surface:
                raise ValueError(f"{path}: line {r['line']}: {surface!r} is not at {s}:{e} of the shared text")
        doc = Doc(r["id"], text, [(s, e, t) for s, e, t, _ in r["entities"]], r["domain"])
        doc.end = r["end"]  # type: ignore[attr-defined]
        docs.append(doc)
    return docs


def clip(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Predicted spans that start in the annotated region of ``doc`` (all of them when it has none)."""
    end = getattr(doc, "end", None)
    return spans if end is None else [x for x in spans if x[0] < end]


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


# ---------------------------------------------------------------------------------------------- error classes
# Context words (lower case) that say what kind of thing a name is, looked for just before or after any
# mention of the name in the same text.
GROUP_CUES = ("đội", "clb", "câu lạc bộ", "nhóm", "ban nhạc", "boyband", "girlgroup", "girl group", "boy band",
              "band", "hãng", "công ty", "tập đoàn")
COIN_CUES = ("tiền ảo", "tiền điện tử", "tiền mã hóa", "tiền mã hoá", "tiền số", "tiền kỹ thuật số",
             "đồng tiền", "coin", "token")


def _near(text: str, name: str, cues: tuple[str, ...], before: int = 30, after: int = 20) -> bool:
    """Whether any mention of ``name`` in ``text`` has one of ``cues`` within a few characters."""
    low, key = text.lower(), name.lower()
    pos = low.find(key)
    while pos >= 0:
        window = low[max(0, pos - before):pos] + " " + low[pos + len(key):pos + len(key) + after]
        if any(c in window for c in cues):
            return True
        pos = low.find(key, pos + 1)
    return False


def error_classes(docs: list[Doc], preds: list[list[tuple[int, int, str]]]) -> dict[str, int]:
    """Counts of the error classes of issue 14, over PER/LOC/ORG (a MISC prediction is not an error here).

    Generic classes, each error counted once: ``wrong type`` (the exact gold span, another type; also
    per pair, e.g. ``wrong type ORG->PER``), ``wrong boundary`` (a prediction overlapping a gold entity,
    not the same span), ``spurious <T>`` (a prediction overlapping no gold entity, MISC included),
    ``missed <T>`` (a gold entity no prediction overlaps).  Named classes (subsets of the above):
    ``MISC as PER/ORG/LOC`` (a product, event, currency… annotated MISC, predicted as a main type);
    ``coin as PER`` (a PER prediction that is not a gold PER, next to a word for a cryptocurrency);
    ``group as PER`` (a gold ORG predicted PER at the same span — clubs, bands, companies) and
    ``… with a group cue`` (one of "đội", "CLB", "nhóm", "ban nhạc", "hãng", … next to a mention);
    ``character/person as LOC`` (gold PER predicted LOC); ``one-word ORG missed`` (a gold ORG of
    one word with no ORG prediction at its span)."""
    c: dict[str, int] = {}

    def add(k: str, n: int = 1) -> None:
        c[k] = c.get(k, 0) + n

    for d, pred in zip(docs, preds):
        gold = {(s, e): t for s, e, t in d.spans}
        pr = {(s, e): t for s, e, t in pred}
        gspans = sorted(gold)
        pspans = sorted(k for k, t in pr.items() if t in MAIN_TYPES)

        def overlaps(span, spans):
            return any(a < span[1] and span[0] < b for a, b in spans)

        for sp in pspans:
            t = pr[sp]
            gt = gold.get(sp)
            if gt == t:
                continue
            name = d.text[sp[0]:sp[1]]
            if t == "PER" and gt != "PER" and _near(d.text, name, COIN_CUES):
                add("coin as PER")
            if gt is not None:
                if gt == "MISC":
                    add(f"MISC as {t}")
                    add(f"spurious {t}")  # MISC is not scored: a main-type prediction there is a false positive
                    continue
                add("wrong type")
                add(f"wrong type {gt}->{t}")
                if gt == "ORG" and t == "PER":
                    add("group as PER")
                    if _near(d.text, name, GROUP_CUES):
                        add("group as PER with a group cue")
                if gt == "PER" and t == "LOC":
                    add("character/person as LOC")
            elif overlaps(sp, [g for g in gspans if gold[g] in MAIN_TYPES]):
                add("wrong boundary")
            else:
                add(f"spurious {t}")
        for sp in gspans:
            t = gold[sp]
            if t not in MAIN_TYPES or pr.get(sp) == t:
                continue
            name = d.text[sp[0]:sp[1]]
            if t == "ORG" and " " not in name.strip():
                add("one-word ORG missed")
            if sp not in pr and not overlaps(sp, pspans):
                add(f"missed {t}")
    return dict(sorted(c.items()))

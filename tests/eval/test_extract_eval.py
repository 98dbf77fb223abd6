"""Quality gate for the HTML reader on the shared pages (skipped without ../shared): floors in baseline.json.

The same measures as bench/extract.py (which also times bantin against trafilatura): title accuracy against
the <title> cut to the length another project's tests assert, publication date found (with a time of day),
body length agreement with the asserted text length, homepages rejected, and the VnExpress 2025 page against its
gold JSON (title, author, time, sapo, every paragraph, token F1 with the sapo counted).
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from bantin.model import Article, Raw, Reject
from bantin.pipeline import articles_from
from conftest import needs_shared

pytestmark = pytest.mark.eval
BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())


def squash(s: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s or "")).strip()


def f1(pred: str, gold: str) -> float:
    tok = lambda s: Counter(re.findall(r"\w+", unicodedata.normalize("NFC", s).lower()))  # noqa: E731
    p, g = tok(pred), tok(gold)
    common = sum((p & g).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def cut_title(ht: str, n: int) -> str:
    if len(ht) == n or re.match(r"\s*[-|–—:]", ht[n:]):
        return ht[:n]
    if re.search(r"[-|–—:]\s*$", ht[:-n]):
        return ht[-n:]
    return ht[:n]


def extract(path: Path) -> Article | Reject:
    [out] = list(articles_from([Raw(payload=path.read_bytes(), path=str(path), record="", format="html")]))
    return out


def test_outlets_2012_against_floors() -> None:
    root = needs_shared("data", "html", "outlets_2012")
    idx = json.loads((root / "index.json").read_text())
    titles, timed, dated, agree, homes, art_rejects = [], [], [], [], 0, []
    for e in idx:
        out = extract(root / e["file"])
        if e["kind"] == "homepage":
            homes += isinstance(out, Reject) and out.reason.startswith("not an article")
            continue
        if isinstance(out, Reject):
            art_rejects.append((e["file"], out.reason))
            continue
        asserts = e["asserts_by_test"].get("TestParser.scala") or []
        tlen = next((int(a.split("==")[1]) for a in asserts if a.startswith("article.title.length")), None)
        xlen = next((int(a.split("==")[1]) for a in asserts if a.startswith("article.text.length")), None)
        ht = squash(e["html_title"])
        gold = cut_title(ht, tlen) if tlen else ht.split(" - ")[0]
        titles.append(squash(out.title) == gold)
        dated.append(bool(out.published_at))
        timed.append(bool(out.published_at) and not out.published_at.split("T")[1].startswith("00:00:00"))
        if xlen:
            n = len("\n".join(([out.sapo] if out.sapo else []) + out.paragraphs))
            agree.append(min(n, xlen) / max(n, xlen))
    b = BASELINE
    assert len(art_rejects) <= b["articles_rejected"], art_rejects
    assert homes >= b["homepages_rejected"]
    assert sum(titles) / len(titles) >= b["title_accuracy"]
    assert sum(timed) / len(timed) >= b["date_with_time"]
    assert sum(dated) / len(dated) >= b["date_any"]
    assert statistics.mean(agree) >= b["length_agreement"]


def test_vnexpress_2025_matches_its_gold() -> None:
    root = needs_shared("data", "html", "vnexpress_2025")
    gold = json.loads((root / "VnExpress.json").read_text())["V1"]
    a = extract(root / "VnExpress_2025_10_22.html")
    assert isinstance(a, Article), a
    assert a.title == gold["title"]
    assert a.authors == gold["authors"] == ["Lê Phương"]
    assert a.published_at == "2025-10-22T19:25:52+07:00" == gold["publishing_date"].replace(" ", "T")
    summary = squash(" ".join(gold["body"]["summary"]))
    assert squash(a.sapo) == summary
    paras = [squash(p) for s in gold["body"]["sections"] for p in s["paragraphs"]]
    ours = [squash(p) for p in a.paragraphs]
    caps = [squash(c) for c in a.captions]
    assert all(p in ours or p in caps for p in paras)  # the gold counts the photo caption as a paragraph
    assert a.outlet == "VnExpress" and a.section == "Sức khỏe"
    assert a.tags == gold["topics"]
    gold_text = "\n".join([summary] + paras)
    assert f1("\n".join([a.sapo] + a.paragraphs), gold_text) >= BASELINE["vnexpress_f1_with_sapo"]
    assert f1("\n".join([a.sapo] + a.paragraphs + a.captions), gold_text) >= \
        BASELINE["vnexpress_f1_with_sapo_and_captions"]

"""HTML extraction quality and speed: bantin's HTML reader vs bare trafilatura (metadata on), side by side.

    .venv/bin/python bench/extract.py                 # pages: outlets_2012 + vnexpress_2025 (needs ../shared)
    .venv/bin/python bench/extract.py --warc          # also the synthetic WARC runs (memory, records/s)
    .venv/bin/python bench/extract.py --warc-only --warc-records 10000 --warc-mb 100

Pages (``../shared/data/html``): for every page of ``outlets_2012`` (15 articles, 4 homepages) and the
VnExpress 2025 page, both tools get the saved bytes and no URL (as ``bantin ingest page.html`` does):

* bantin: ``sources.parse`` + ``clean`` (the whole reader: decoding, metadata, text, Vietnamese layer);
* trafilatura: ``bare_extraction(bytes, with_metadata=True, date_extraction_params={"outputformat":
  "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": True})`` (the configuration that gives
  times at all; ENVIRONMENT.md).

Title: gold is the page's ``<title>`` cut to the length another project's tests assert (``index.json``), i.e.
the headline without the outlet suffix; vnexpress3 has no assertion and its gold is the ``<title>`` before
" - VnExpress". Titles compare after NFC and whitespace squashing. Date found "with time": a publication date
whose time of day is not 00:00:00. Body length agreement: min/max of our text length (sapo + paragraphs) and the
asserted ``article.text.length`` (a weak reference: another extractor's output). Homepages: rejected as not an
article (trafilatura has no such notion; it counts as rejecting only when it returns nothing).
Timing: both tools run on each page in turn, ``--repeat`` rounds, median per page; ms/page is the mean of the
medians.

VnExpress 2025 vs its gold JSON (the fundus test fixture): title, authors, publication time, sapo, every body
paragraph (the gold counts the photo caption as a body paragraph: it is found in our captions), and body token
F1 with the sapo counted (tokens: lower-case words; ours = sapo + paragraphs + captions, gold = summary +
paragraphs; also without captions). Trafilatura's F1 on its text (+ description).

WARC (``--warc``): synthetic WARC files built here from generated pages (a news-page template filled with
VietNews text at run time, a few English pages, images and request records); nothing is committed. Peak memory of
``bantin ingest --workers 1`` streaming a ~100 MB WARC (RSS of the child process) and end-to-end records/s of
``bantin ingest`` (default workers) on a 10k-record WARC.
Writes bench/out/extract.json.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
HTML = SHARED / "data/html"
TRAF_DATE = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": True}


def squash(s: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s or "")).strip()


def tokens(s: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", s).lower())


def f1(pred: str, gold: str) -> float:
    p, g = Counter(tokens(pred)), Counter(tokens(gold))
    common = sum((p & g).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


# ----------------------------------------------------------------------------------------------------------------
# the pages
# ----------------------------------------------------------------------------------------------------------------
def _cut_title(ht: str, n: int) -> str:
    """The asserted-length piece of a <title> that stands alone: a prefix followed by a separator (or nothing),
    else a suffix preceded by one ("Teen9x News - 8/3 boy…")."""
    if len(ht) == n or re.match(r"\s*[-|–—:]", ht[n:]):
        return ht[:n]
    if re.search(r"[-|–—:]\s*$", ht[:-n]):
        return ht[-n:]
    return ht[:n]


def load_pages() -> list[dict]:
    idx = json.loads((HTML / "outlets_2012/index.json").read_text())
    pages = []
    for e in idx:
        p = HTML / "outlets_2012" / e["file"]
        asserts = e["asserts_by_test"].get("TestParser.scala") or []
        tlen = next((int(a.split("==")[1]) for a in asserts if a.startswith("article.title.length")), None)
        xlen = next((int(a.split("==")[1]) for a in asserts if a.startswith("article.text.length")), None)
        ht = squash(e["html_title"])
        gold_title = _cut_title(ht, tlen) if tlen else ht.split(" - ")[0]
        pages.append({"name": p.name, "path": p, "kind": e["kind"], "url": e["url"],
                      "gold_title": gold_title if e["kind"] == "article" else None, "text_len": xlen})
    vx = HTML / "vnexpress_2025/VnExpress_2025_10_22.html"
    gold = json.loads((HTML / "vnexpress_2025/VnExpress.json").read_text())["V1"]
    pages.append({"name": vx.name, "path": vx, "kind": "article", "url": None, "gold_title": gold["title"],
                  "text_len": None, "gold": gold})
    return pages


def run_bantin(data: bytes, path: str):
    from bantin import sources
    from bantin.clean.article import clean
    from bantin.model import Raw, Reject

    raw = Raw(payload=data, path=path, record="", format="html")
    d = sources.parse(raw)
    if isinstance(d, Reject):
        return d
    return clean(d)


def run_traf(data: bytes):
    from trafilatura import bare_extraction

    return bare_extraction(data, with_metadata=True, date_extraction_params=TRAF_DATE)


def has_time(iso: str | None) -> bool:
    if not iso or "T" not in iso:
        return False
    return not iso.split("T", 1)[1].startswith("00:00:00")


def bench_pages(repeat: int) -> dict:
    from bantin.model import Reject

    pages = load_pages()
    datas = {p["name"]: p["path"].read_bytes() for p in pages}
    # warm up both (imports, model loading)
    for p in pages[:2]:
        run_bantin(datas[p["name"]], str(p["path"]))
        run_traf(datas[p["name"]])
    times: dict[str, dict[str, list[float]]] = {p["name"]: {"bantin": [], "traf": []} for p in pages}
    results: dict[str, dict] = {}
    for r in range(repeat):
        for p in pages:
            data = datas[p["name"]]
            t = time.perf_counter()
            ours = run_bantin(data, str(p["path"]))
            times[p["name"]]["bantin"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            theirs = run_traf(data)
            times[p["name"]]["traf"].append((time.perf_counter() - t) * 1000)
            if r == 0:
                results[p["name"]] = {"ours": ours, "traf": theirs}
    rows = []
    for p in pages:
        ours, theirs = results[p["name"]]["ours"], results[p["name"]]["traf"]
        o_rej = isinstance(ours, Reject)
        row = {"page": p["name"], "kind": p["kind"],
               "ms_bantin": statistics.median(times[p["name"]]["bantin"]),
               "ms_traf": statistics.median(times[p["name"]]["traf"]),
               "bantin_rejected": o_rej, "traf_rejected": theirs is None,
               "reject_reason": ours.reason if o_rej else None}
        if not o_rej:
            text = "\n".join(([ours.sapo] if ours.sapo else []) + ours.paragraphs)
            row.update(bantin_title=ours.title, bantin_date=ours.published_at, bantin_len=len(text),
                       bantin_authors=ours.authors, bantin_credit=ours.credit, bantin_outlet=ours.outlet)
        if theirs is not None:
            row.update(traf_title=theirs.title, traf_date=theirs.date, traf_len=len(theirs.text or ""),
                       traf_author=theirs.author)
        if p["kind"] == "article":
            gt = p["gold_title"]
            row["gold_title"] = gt
            row["bantin_title_ok"] = (not o_rej) and squash(ours.title) == squash(gt)
            row["traf_title_ok"] = theirs is not None and squash(theirs.title) == squash(gt)
            row["bantin_time"] = (not o_rej) and has_time(ours.published_at)
            row["traf_time"] = theirs is not None and has_time(theirs.date)
            row["bantin_date_any"] = (not o_rej) and bool(ours.published_at)
            row["traf_date_any"] = theirs is not None and bool(theirs.date)
            if p["text_len"]:
                row["ref_len"] = p["text_len"]
                for k in ("bantin", "traf"):
                    n = row.get(f"{k}_len") or 0
                    row[f"{k}_agree"] = min(n, p["text_len"]) / max(n, p["text_len"]) if n else 0.0
        rows.append(row)
    return {"rows": rows, "gold": vnexpress_gold(pages[-1], results[pages[-1]["name"]])}


def vnexpress_gold(page: dict, res: dict) -> dict:
    from bantin.model import Reject

    gold = page["gold"]
    ours, theirs = res["ours"], res["traf"]
    g_paras = [squash(x) for s in gold["body"]["sections"] for x in s["paragraphs"]]
    g_sum = squash(" ".join(gold["body"]["summary"]))
    out: dict = {}
    if isinstance(ours, Reject):
        return {"rejected": ours.reason}
    ours_paras = [squash(x) for x in ours.paragraphs]
    caps = [squash(x) for x in ours.captions]
    out["title"] = squash(ours.title) == squash(gold["title"])
    out["authors"] = ours.authors
    out["authors_ok"] = ours.authors == gold["authors"]
    want = gold["publishing_date"].replace(" ", "T")
    out["published_at"] = ours.published_at
    out["date_ok"] = ours.published_at == want
    out["sapo_ok"] = squash(ours.sapo) == g_sum
    found = []
    for gp in g_paras:
        found.append(gp in ours_paras or gp in caps)
    out["paragraphs_found"] = f"{sum(found)}/{len(found)}"
    out["paragraphs_in_body"] = f"{sum(gp in ours_paras for gp in g_paras)}/{len(g_paras)}"
    gold_text = "\n".join([g_sum] + g_paras)
    out["f1_sapo_body_captions"] = round(f1("\n".join([ours.sapo or ""] + ours.paragraphs + ours.captions),
                                            gold_text), 4)
    out["f1_sapo_body"] = round(f1("\n".join([ours.sapo or ""] + ours.paragraphs), gold_text), 4)
    if theirs is not None:
        out["traf_f1_text"] = round(f1(theirs.text or "", gold_text), 4)
        out["traf_f1_text_description"] = round(f1((theirs.description or "") + "\n" + (theirs.text or ""),
                                                   gold_text), 4)
        out["traf_author"] = theirs.author
        out["traf_date"] = theirs.date
    return out


def print_pages(res: dict) -> None:
    rows = res["rows"]
    print(f"\n{'page':28} {'kind':8} {'title ok':>9} {'time found':>11} {'len agree':>10} {'rejected':>9} "
          f"{'ms/page':>15}")
    print(f"{'':28} {'':8} {'bt / tf':>9} {'bt / tf':>11} {'bt / tf':>10} {'bt / tf':>9} {'bantin / traf':>15}")
    yn = {True: "y", False: "-", None: " "}
    for r in rows:
        ag = (f"{r['bantin_agree']:.2f}/{r['traf_agree']:.2f}" if "bantin_agree" in r else "")
        art = r["kind"] == "article"
        print(f"{r['page'][:28]:28} {r['kind']:8} "
              f"{(yn[r.get('bantin_title_ok')] + ' / ' + yn[r.get('traf_title_ok')]) if art else '':>9} "
              f"{(yn[r.get('bantin_time')] + ' / ' + yn[r.get('traf_time')]) if art else '':>11} {ag:>10} "
              f"{yn[r['bantin_rejected']] + ' / ' + yn[r['traf_rejected']]:>9} "
              f"{r['ms_bantin']:7.1f} / {r['ms_traf']:6.1f}")
    arts = [r for r in rows if r["kind"] == "article"]
    homes = [r for r in rows if r["kind"] == "homepage"]
    ag = [r for r in arts if "bantin_agree" in r]
    summ = {
        "articles": len(arts), "homepages": len(homes),
        "bantin_title_accuracy": sum(r["bantin_title_ok"] for r in arts) / len(arts),
        "traf_title_accuracy": sum(r["traf_title_ok"] for r in arts) / len(arts),
        "bantin_date_with_time": sum(r["bantin_time"] for r in arts) / len(arts),
        "traf_date_with_time": sum(r["traf_time"] for r in arts) / len(arts),
        "bantin_date_any": sum(r["bantin_date_any"] for r in arts) / len(arts),
        "traf_date_any": sum(r["traf_date_any"] for r in arts) / len(arts),
        "bantin_len_agreement": statistics.mean(r["bantin_agree"] for r in ag),
        "traf_len_agreement": statistics.mean(r["traf_agree"] for r in ag),
        "bantin_homepages_rejected": sum(r["bantin_rejected"] for r in homes),
        "traf_homepages_rejected": sum(r["traf_rejected"] for r in homes),
        "bantin_articles_rejected": sum(r["bantin_rejected"] for r in arts),
        "bantin_ms_per_page": statistics.mean(r["ms_bantin"] for r in rows),
        "traf_ms_per_page": statistics.mean(r["ms_traf"] for r in rows),
    }
    summ["speed_ratio"] = summ["bantin_ms_per_page"] / summ["traf_ms_per_page"]
    res["summary"] = summ
    print(f"\n{'':34}{'bantin':>10}{'trafilatura':>14}")
    for label, a, b, fmt in (
            ("title accuracy", "bantin_title_accuracy", "traf_title_accuracy", "{:.0%}"),
            ("date found, with time", "bantin_date_with_time", "traf_date_with_time", "{:.0%}"),
            ("date found, any", "bantin_date_any", "traf_date_any", "{:.0%}"),
            ("body length agreement (mean)", "bantin_len_agreement", "traf_len_agreement", "{:.2f}"),
            ("homepages rejected (of %d)" % len(homes), "bantin_homepages_rejected", "traf_homepages_rejected",
             "{}"),
            ("ms/page (mean of medians)", "bantin_ms_per_page", "traf_ms_per_page", "{:.1f}")):
        print(f"{label:34}{fmt.format(summ[a]):>10}{fmt.format(summ[b]):>14}")
    print(f"{'bantin / trafilatura time':34}{summ['speed_ratio']:>10.2f}x   (target ≤ 1.5x)")
    g = res["gold"]
    print("\nVnExpress 2025 vs gold JSON:")
    for k, v in g.items():
        print(f"  {k:28} {v}")


# ----------------------------------------------------------------------------------------------------------------
# the gathered outlet pages with hand-written gold (tests/sources/fixtures/sites: MANIFEST.json + gold/)
# ----------------------------------------------------------------------------------------------------------------
SITES = ROOT / "tests/sources/fixtures/sites"
FIELDS = ("title", "published_at", "authors", "sapo", "credit", "first_paragraph", "last_paragraph")


def gathered_pages() -> tuple[list[dict], int]:
    """Manifest pages whose bytes are here (shared data or bench/pages) and whose gold exists; and how many are
    absent."""
    import importlib.util

    # by path: bench/ on sys.path would shadow the tests' `crawl` package with bench/crawl.py
    spec = importlib.util.spec_from_file_location("bench_fetch_pages", ROOT / "bench" / "fetch_pages.py")
    fetch_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fetch_pages)
    default_out = fetch_pages.default_out

    man = json.loads((SITES / "MANIFEST.json").read_text(encoding="utf-8"))["pages"]
    out, absent = [], 0
    for p in man:
        path = SHARED / "data" / p["shared"] if "shared" in p else default_out() / p["file"]
        gp = SITES / "gold" / f"{p['id']}.json"
        if not path.exists() or not gp.exists():
            absent += 1
            continue
        out.append({**p, "path": path, "gold": json.loads(gp.read_text(encoding="utf-8"))})
    return out, absent





def _same_text(a: str | None, b: str | None) -> bool:
    return squash(a) == squash(b)


def _minute(iso: str | None) -> str | None:
    """'2025-10-22T19:25:52+07:00' → '2025-10-22T19:25+07:00' (the printed resolution, zone kept)."""
    if not iso:
        return None
    m = re.match(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", iso)
    if not m:
        return iso
    z = m.group(2) or ""
    z = "+00:00" if z == "Z" else (z if ":" in z or not z else z[:3] + ":" + z[3:])
    return m.group(1) + z


def field_ok(name: str, gold, got) -> bool:
    if name in ("title", "sapo", "credit", "first_paragraph", "last_paragraph"):
        alts = gold if isinstance(gold, list) else [gold]
        return any((a is None and not got) or (a is not None and _same_text(a, got)) for a in alts)
    if name == "published_at":
        alts = gold if isinstance(gold, list) else [gold]
        return any((a is None and not got) or (a is not None and _minute(got) == a) for a in alts)
    if name == "authors":
        return [squash(x) for x in gold] == [squash(x) for x in (got or [])]
    raise KeyError(name)


def bantin_fields(a) -> dict:
    return {"title": a.title, "published_at": a.published_at, "authors": a.authors, "sapo": a.sapo,
            "credit": a.credit, "first_paragraph": a.paragraphs[0] if a.paragraphs else None,
            "last_paragraph": a.paragraphs[-1] if a.paragraphs else None,
            "body": "\n".join(([a.sapo] if a.sapo else []) + a.paragraphs)}


def traf_fields(d) -> dict:
    lines = [x for x in (d.text or "").split("\n") if x.strip()]
    authors = [x.strip() for x in re.split(r"[;,]", d.author or "") if x.strip()]
    return {"title": d.title, "published_at": d.date, "authors": authors, "sapo": d.description,
            "credit": None, "first_paragraph": lines[0] if lines else None,
            "last_paragraph": lines[-1] if lines else None,
            "body": "\n".join(([d.description] if d.description else []) + lines)}


def bench_gathered(repeat: int) -> dict:
    from bantin.model import Reject

    pages, absent = gathered_pages()
    if not pages:
        return {"pages": 0, "absent": absent}
    datas = {p["id"]: p["path"].read_bytes() for p in pages}
    for p in pages[:2]:
        run_bantin(datas[p["id"]], str(p["path"]))
        run_traf(datas[p["id"]])
    rows = []
    for p in pages:
        data, tb, tt = datas[p["id"]], [], []
        for r in range(repeat):
            t = time.perf_counter()
            ours = run_bantin(data, str(p["path"]))
            tb.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            theirs = run_traf(data)
            tt.append((time.perf_counter() - t) * 1000)
        g = p["gold"]
        row = {"id": p["id"], "kind": p["kind"], "split": p["split"], "outlet": p["outlet"],
               "ms_bantin": statistics.median(tb), "ms_traf": statistics.median(tt),
               "bantin_rejected": isinstance(ours, Reject), "traf_rejected": theirs is None}
        if isinstance(ours, Reject):
            row["reject_reason"] = ours.reason
        if p["kind"] == "article":
            fo = None if isinstance(ours, Reject) else bantin_fields(ours)
            ft = None if theirs is None else traf_fields(theirs)
            for f in FIELDS:
                if f not in g:
                    continue
                row[f"bantin_{f}"] = fo is not None and field_ok(f, g[f], fo[f])
                row[f"traf_{f}"] = ft is not None and field_ok(f, g[f], ft[f])
                if not row[f"bantin_{f}"]:
                    row.setdefault("bantin_misses", {})[f] = fo[f] if fo else "(rejected)"
            if "body" in g:
                gold_body = "\n".join(([g["sapo"]] if g.get("sapo") else []) + g["body"])
                row["bantin_f1"] = f1(fo["body"], gold_body) if fo else 0.0
                row["traf_f1"] = f1(ft["body"], gold_body) if ft else 0.0
        rows.append(row)
    return {"rows": rows, "absent": absent}


def print_gathered(res: dict) -> dict:
    rows = res.get("rows") or []
    print(f"\nGathered outlet pages (tests/sources/fixtures/sites): {len(rows)} pages here, {res['absent']} absent "
          "(bench/fetch_pages.py brings them)")
    summ: dict = {}
    for split in ("dev", "holdout", "all"):
        rs = [r for r in rows if split == "all" or r["split"] == split]
        arts = [r for r in rs if r["kind"] == "article"]
        lists = [r for r in rs if r["kind"] == "listing"]
        s = {"articles": len(arts), "listings": len(lists),
             "outlets": len({r["outlet"] for r in rs})}
        for f in FIELDS:
            scored = [r for r in arts if f"bantin_{f}" in r]
            if scored:
                s[f] = {"n": len(scored), "bantin": sum(r[f"bantin_{f}"] for r in scored) / len(scored),
                        "traf": sum(r[f"traf_{f}"] for r in scored) / len(scored)}
        s["articles_kept"] = {"bantin": sum(not r["bantin_rejected"] for r in arts),
                              "traf": sum(not r["traf_rejected"] for r in arts)}
        s["listings_rejected"] = {"bantin": sum(r["bantin_rejected"] for r in lists),
                                  "traf": sum(r["traf_rejected"] for r in lists)}
        f1s = [r for r in arts if "bantin_f1" in r]
        if f1s:
            s["body_f1"] = {"n": len(f1s), "bantin": statistics.mean(r["bantin_f1"] for r in f1s),
                            "traf": statistics.mean(r["traf_f1"] for r in f1s)}
        if rs:
            s["ms_per_page"] = {"bantin": statistics.mean(r["ms_bantin"] for r in rs),
                                "traf": statistics.mean(r["ms_traf"] for r in rs)}
        summ[split] = s
        print(f"\n  {split}: {len(arts)} articles, {len(lists)} listing pages, {s['outlets']} outlets")
        print(f"  {'field':22}{'n':>4}{'bantin':>9}{'trafilatura':>13}")
        for f in FIELDS:
            if f in s:
                print(f"  {f:22}{s[f]['n']:>4}{s[f]['bantin']:>9.0%}{s[f]['traf']:>13.0%}")
        print(f"  {'articles kept':22}{len(arts):>4}{s['articles_kept']['bantin']:>9}{s['articles_kept']['traf']:>13}")
        print(f"  {'listings rejected':22}{len(lists):>4}{s['listings_rejected']['bantin']:>9}"
              f"{s['listings_rejected']['traf']:>13}")
        if "body_f1" in s:
            print(f"  {'body token F1 (mean)':22}{s['body_f1']['n']:>4}{s['body_f1']['bantin']:>9.3f}"
                  f"{s['body_f1']['traf']:>13.3f}")
        if "ms_per_page" in s:
            mb, mt = s["ms_per_page"]["bantin"], s["ms_per_page"]["traf"]
            print(f"  {'ms/page':22}{'':>4}{mb:>9.1f}{mt:>13.1f}   ({mb / mt:.2f}x)")
    for r in rows:
        if r.get("bantin_misses") or (r["kind"] == "listing") != r["bantin_rejected"]:
            print(f"  miss {r['id']} [{r['split']}]: rejected={r['bantin_rejected']} "
                  f"{json.dumps(r.get('bantin_misses', {}), ensure_ascii=False)[:400]}")
    return summ


# ----------------------------------------------------------------------------------------------------------------
# synthetic WARC
# ----------------------------------------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{title} - Báo Tin Mẫu</title>
<meta property="og:type" content="article"><meta property="og:title" content="{title}">
<meta property="og:url" content="{url}"><meta name="description" content="{sapo_short}">
<meta property="article:published_time" content="{iso}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title_js}",
"datePublished":"{iso}","author":{{"@type":"Person","name":"{author}"}}}}</script>
<style>body{{font-family:sans-serif}} .nav a{{margin:0 4px}}</style>
<script>var ads = [{ads}]; function track(){{return 1;}}</script>
</head><body>
<div class="nav">{nav}</div>
<div class="main"><div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/{sec_slug}">{section}</a></div>
<h1 class="title-detail">{title}</h1>
<span class="date">{date_line}</span>
<p class="description">{sapo}</p>
<article class="fck_detail">
{body}
<p class="Normal" style="text-align:right;"><strong>{author}</strong></p>
</article>
<div class="tags">{tags}</div>
</div>
<div class="sidebar"><h3>Tin liên quan</h3><ul>{related}</ul><h3>Đọc nhiều</h3>{most}</div>
<div class="footer">Bản quyền © Báo Tin Mẫu. Giấy phép số 123/GP-BTTTT. {footer}</div>
</body></html>"""
EN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{t}</title></head><body>
<h1>{t}</h1>{p}</body></html>"""
EN_WORDS = ("the market city council report said on Tuesday that new rules would apply to all residents "
            "from next year while officials expect prices to rise further in the coming months").split()


def text_source(n: int) -> list[dict]:
    """VietNews articles (at run time, from ../shared) or, without them, generated syllable text."""
    path = SHARED / "data/vietnews/val.jsonl.gz"
    out = []
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d.get("title") and d.get("body"):
                    out.append(d)
                if len(out) >= n:
                    break
    if not out:
        rnd = random.Random(1)
        syl = "an bạn các cho có của được đã để điều đó gì hai không là làm lại mà một năm người nhà những nhiều " \
              "nước ra sẽ tại theo thì trên trong từ và về việc với xã hội chính phủ kinh tế".split()
        for i in range(n):
            body = "\n".join(" ".join(rnd.choice(syl) for _ in range(40)).capitalize() + "." for _ in range(10))
            out.append({"title": f"Tin số {i} " + " ".join(rnd.choice(syl) for _ in range(8)), "abstract":
                        " ".join(rnd.choice(syl) for _ in range(30)) + ".", "body": body})
    return out


def make_page(i: int, doc: dict, rnd: random.Random, pad: int = 0, others: list[dict] | None = None
              ) -> tuple[str, bytes]:
    import html as _h

    others = others or [doc]
    heads = [squash(o["title"]) for o in others]

    url = f"https://tinmau.vn/thoi-su/bai-{i}-{rnd.randrange(10**6)}.html"
    day, hh, mm = 1 + i % 28, i % 24, (i * 7) % 60
    iso = f"2024-{1 + i % 12:02d}-{day:02d}T{hh:02d}:{mm:02d}:00+07:00"
    paras = [x for x in doc["body"].split("\n") if x.strip()]
    body = "\n".join(f'<p class="Normal">{_h.escape(x)}</p>' for x in paras)
    nav = " ".join(f'<a href="/muc-{k}">Chuyên mục {k}</a>' for k in range(150))
    related = "".join(f'<li><a href="/tin-{k}-{i}.html">{_h.escape(rnd.choice(heads))}</a></li>'
                      for k in range(60))
    most = "".join(f'<div class="item"><a href="/doc-{k}-{i}.html"><img src="/i/{k}.jpg"></a><h4><a href='
                   f'"/doc-{k}-{i}.html">{_h.escape(rnd.choice(heads))}</a></h4><p>'
                   f'{_h.escape(squash(rnd.choice(others).get("abstract") or "")[:120])}</p></div>'
                   for k in range(40))
    title = squash(doc["title"])
    page = PAGE.format(title=_h.escape(title), title_js=title.replace('"', "'"), url=url, iso=iso,
                       sapo=_h.escape(squash(doc.get("abstract") or paras[0])),
                       sapo_short=_h.escape(squash(doc.get("abstract") or "")[:150]), author="Nguyễn Văn An",
                       ads=",".join(str(rnd.randrange(10**6)) for _ in range(2500)), nav=nav, section="Thời sự",
                       sec_slug="thoi-su", date_line=f"Thứ hai, {day}/{1 + i % 12}/2024, {hh:02d}:{mm:02d} (GMT+7)",
                       body=body, tags=", ".join(f'<a href="/tag/{k}">thẻ {k}</a>' for k in range(5)),
                       related=related, most=most, footer="x" * pad)
    return url, page.encode("utf-8")


def warc_record(kind: str, url: str, block: bytes, date: str = "2024-06-01T10:00:00Z") -> bytes:
    ctype = "application/http; msgtype=" + ("response" if kind == "response" else "request")
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\nWARC-Date: {date}\r\n"
            f"WARC-Target-URI: {url}\r\nContent-Type: {ctype}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


def http_response(body: bytes, ctype: str = "text/html; charset=utf-8") -> bytes:
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def build_warc(path: Path, n_records: int, *, target_mb: float | None = None, gz: bool = True,
               seed: int = 7) -> dict:
    """A WARC of ``n_records`` response records: 90% Vietnamese article pages (about 45 KB of HTML each, the
    size of a light real news page: navigation, related and most-read lists, scripts), 5% English pages,
    5% images;
    with ``target_mb`` the pages are padded so the file reaches about that size (uncompressed records)."""
    rnd = random.Random(seed)
    docs = text_source(min(n_records, 3000))
    pad = 0
    if target_mb:
        _, sample = make_page(0, docs[0], rnd, 0, docs)
        pad = max(0, int(target_mb * 1e6 / n_records) - len(sample))
    counts = Counter()
    raw_bytes = 0
    with open(path, "wb") as f:
        for i in range(n_records):
            r = i % 20
            if r == 18:
                t = " ".join(rnd.choice(EN_WORDS) for _ in range(10)).capitalize()
                p = "".join("<p>" + " ".join(rnd.choice(EN_WORDS) for _ in range(60)) + ".</p>" for _ in range(6))
                rec = warc_record("response", f"https://example.com/news/{i}.html",
                                  http_response(EN_PAGE.format(t=t, p=p).encode()))
                counts["english"] += 1
            elif r == 19:
                rec = warc_record("response", f"https://tinmau.vn/img/{i}.jpg",
                                  http_response(bytes(rnd.randrange(256) for _ in range(2000)), "image/jpeg"))
                counts["image"] += 1
            else:
                doc = docs[i % len(docs)]
                if i >= len(docs):  # vary the text so every page is a different article
                    doc = dict(doc, title=f"{doc['title']} ({i})",
                               body=doc["body"] + f"\nBản tin số {i} cập nhật lúc {i % 24} giờ.")
                url, page = make_page(i, doc, rnd, pad, docs)
                rec = warc_record("response", url, http_response(page))
                counts["vietnamese"] += 1
            raw_bytes += len(rec)
            if gz:
                buf = io.BytesIO()
                with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=1) as g:
                    g.write(rec)
                f.write(buf.getvalue())
            else:
                f.write(rec)
    return {"records": n_records, **counts, "uncompressed_mb": round(raw_bytes / 1e6, 1),
            "file_mb": round(path.stat().st_size / 1e6, 1)}


def run_ingest(warc: Path, workers: str) -> dict:
    """`bantin ingest` in a child process: wall time, the report and the child's peak RSS."""
    bantin = str(Path(sys.executable).parent / "bantin")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "w.db"
        code = ("import resource, subprocess, sys, time, json; t=time.perf_counter(); "
                "p=subprocess.run(sys.argv[1:], capture_output=True); dt=time.perf_counter()-t; "
                "ru=resource.getrusage(resource.RUSAGE_CHILDREN); "
                "print(json.dumps({'seconds': dt, 'rc': p.returncode, 'maxrss_mb': ru.ru_maxrss/1024, "
                "'cpu_seconds': ru.ru_utime + ru.ru_stime, "
                "'stdout': p.stdout.decode(), 'stderr': p.stderr.decode()[-500:]}))")
        out = subprocess.run([sys.executable, "-c", code, bantin, "--db", str(db), "ingest", str(warc), "--json",
                              "-q", "--workers", workers], capture_output=True, text=True, check=True)
        res = json.loads(out.stdout)
        rep = json.loads(res["stdout"]) if res["stdout"].strip().startswith("{") else {}
        res["report"] = {k: rep.get(k) for k in ("read", "added", "already_there", "rejected")}
        res.pop("stdout")
        return res


def bench_warc(n_records: int, target_mb: float, mem_records: int) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.warc"
        info = build_warc(big, mem_records, target_mb=target_mb, gz=False)
        r = run_ingest(big, "1")
        out["memory"] = {"warc": info, **r}
        print(f"\nWARC memory: {info['file_mb']} MB WARC, {info['records']:,} records → peak RSS "
              f"{r['maxrss_mb']:.0f} MB (bantin ingest --workers 1; target < 300 MB); {r['seconds']:.1f} s, "
              f"{r['cpu_seconds']:.0f} CPU-s; {r['report']}")
        big.unlink()
        many = Path(tmp) / "many.warc.gz"
        info = build_warc(many, n_records, gz=True)
        r = run_ingest(many, "auto")
        rate = n_records / r["seconds"]
        cpu_rate = n_records / r["cpu_seconds"]
        out["throughput"] = {"warc": info, **r, "records_per_s": rate, "records_per_cpu_s": cpu_rate,
                             "pages_per_s": info["vietnamese"] / r["seconds"]}
        print(f"WARC throughput: {info['records']:,} records ({info['file_mb']} MB gz; {info['vietnamese']:,} "
              f"Vietnamese pages, {info['english']:,} English, {info['image']:,} images) → {r['seconds']:.1f} s, "
              f"{rate:.0f} records/s ({out['throughput']['pages_per_s']:.0f} Vietnamese pages/s) end to end "
              f"(bantin ingest, workers auto; target ≥ 50 records/s); {r['report']}")
        print(f"  CPU time {r['cpu_seconds']:.0f} s = {cpu_rate:.1f} records per CPU-second (all processes); "
              f"load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warc", action="store_true")
    ap.add_argument("--warc-only", action="store_true")
    ap.add_argument("--warc-records", type=int, default=10000)
    ap.add_argument("--warc-mb", type=float, default=100)
    ap.add_argument("--mem-records", type=int, default=2500)
    ap.add_argument("--gathered-only", action="store_true", help="only the gathered outlet pages with gold")
    ap.add_argument("--split", choices=("dev", "holdout", "all"), default="all",
                    help="which gathered pages to score (holdout: the pages kept back while writing rules)")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores")
    out: dict = {"load": load}
    if args.gathered_only or not args.warc_only:
        import trafilatura

        print(f"trafilatura {trafilatura.__version__}")
        res = bench_gathered(args.repeat)
        if args.split != "all":
            res["rows"] = [r for r in res.get("rows", []) if r["split"] == args.split]
        out["gathered"] = {"summary": print_gathered(res), "rows": res.get("rows")}
    if not args.warc_only and not args.gathered_only:
        if not HTML.exists():
            sys.exit(f"needs the shared pages at {HTML}")
        import trafilatura

        print(f"trafilatura {trafilatura.__version__}")
        res = bench_pages(args.repeat)
        print_pages(res)
        out["pages"] = {"summary": res["summary"], "gold": res["gold"],
                        "rows": [{k: v for k, v in r.items()} for r in res["rows"]]}
    if args.warc or args.warc_only:
        out["warc"] = bench_warc(args.warc_records, args.warc_mb, args.mem_records)
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/extract.json").write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()

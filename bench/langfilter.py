"""What deciding the language on the extracted text costs: a WARC of real pages through `bantin ingest`, this tree
against a base revision (before the decision moved after extraction), same WARC, same settings.

    .venv/bin/python bench/langfilter.py                       # base: main's merge-base
    .venv/bin/python bench/langfilter.py --base c952569 --english 600 --copies 8

``--skip thanhnien.com.vn --skip soyte`` leaves out the three pages the base's filter dropped (two Thanh Niên 2012
pages on SharePoint and the SharePoint-style page), so both revisions extract the same pages: the difference is
then what the new check costs. The WARC (built here, nothing committed): the Vietnamese pages of ``../shared/data/html`` (19 pages of 2012
outlets, 4 of them homepages, and the VnExpress 2025 page), the test fixtures' pages (``tests/sources/fixtures``)
and a SharePoint-style page (a Vietnamese article behind an English ribbon and menus), each ``--copies`` times
under different URLs; and ``--english`` English pages found on this machine (HTML documentation under
/usr/share/doc and ~/.rustup: real prose pages with navigation, as a general crawl holds them).
Each revision runs `bantin ingest WARC --no-enrich --no-dedup --workers 1 --json` into a fresh archive, ``--repeat``
times; wall-clock seconds (median) and what was added and rejected, and how (stage) are printed. The base runs from
`git archive` of its src/ with this tree's virtualenv. Writes bench/out/langfilter.json.
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "tests"))

from sources.warcutil import response_record, sharepoint_page, write_warc  # noqa: E402


def vietnamese_pages() -> list[tuple[str, bytes]]:
    pages = []
    index = SHARED / "data/html/outlets_2012/index.json"
    if index.exists():
        for e in json.loads(index.read_text()):
            pages.append((e["url"], (index.parent / e["file"]).read_bytes()))
    vne = SHARED / "data/html/vnexpress_2025/VnExpress_2025_10_22.html"
    if vne.exists():
        pages.append(("https://vnexpress.net/bai-2025.html", vne.read_bytes()))
    for p in sorted((ROOT / "tests/sources/fixtures").rglob("*.html")):
        pages.append((f"https://fixture.vn/{p.stem}.html", p.read_bytes()))
    pages.append(("https://soyte.quangnam.gov.vn/tin/hoi-nghi.aspx", sharepoint_page()))
    return pages


def english_pages(n: int) -> list[tuple[str, bytes]]:
    files = sorted(set(glob.glob("/usr/share/doc/**/*.html", recursive=True)) |
                   set(glob.glob(os.path.expanduser("~/.rustup/**/share/doc/**/*.html"), recursive=True)))
    out = []
    for f in files:
        data = Path(f).read_bytes()
        if 8_000 <= len(data) <= 400_000 and b"</html>" in data[-2000:].lower():
            out.append((f"https://docs.example.org/{len(out)}.html", data))
        if len(out) >= n:
            break
    return out


def build(path: Path, english: int, copies: int, skip: list[str] = ()) -> dict:
    vi = [(u, b) for u, b in vietnamese_pages() if not any(s in u for s in skip)]
    en = english_pages(english)
    recs = []
    for c in range(copies):
        recs += [response_record(f"{u}?copy={c}", b) for u, b in vi]
    recs += [response_record(u, b) for u, b in en]
    # interleave, as a crawl would: one Vietnamese page every few English ones
    step = max(1, len(recs) // max(1, len(vi) * copies))
    order = sorted(range(len(recs)), key=lambda i: (i % step, i))
    write_warc(path, [recs[i] for i in order], gz=True)
    return {"vietnamese_pages": len(vi) * copies, "distinct_vietnamese": len(vi), "english_pages": len(en),
            "bytes": path.stat().st_size}


def base_src(rev: str, dest: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        t.extractall(dest, filter="data")
    return dest / "src"


def run(src: Path, warc: Path, db: Path) -> dict:
    code = "import sys; from bantin.cli import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, "--db", str(db), "ingest", str(warc), "--no-enrich", "--no-dedup",
                        "--workers", "1", "--json", "-q"], capture_output=True, env=env)
    secs = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr.decode()[-3000:])
    rep = json.loads(p.stdout)
    stages = Counter(r["stage"] for r in rep["rejects"])
    return {"seconds": secs, "added": rep["added"], "already_there": rep["already_there"],
            "rejected": rep["rejected"], "reject_stages": dict(stages)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default=None, help="revision to compare with (default: merge-base with main)")
    ap.add_argument("--english", type=int, default=400)
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", action="append", default=[], metavar="URL_PART",
                    help="leave out Vietnamese pages whose URL contains this (e.g. the pages the base's filter drops, "
                         "to compare equal work)")
    args = ap.parse_args()
    base = args.base or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"], capture_output=True,
                                       text=True, check=True).stdout.strip()
    out: dict = {"base": base, "load": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        warc = t / "pages.warc.gz"
        out["warc"] = build(warc, args.english, args.copies, args.skip)
        out["skip"] = args.skip
        print(f"WARC: {out['warc']}")
        srcs = {"base": base_src(base, t / "base"), "this": ROOT / "src"}
        runs: dict[str, list[dict]] = {name: [] for name in srcs}
        for i in range(args.repeat):  # interleaved, so both see the same load
            for name, src in srcs.items():
                runs[name].append(run(src, warc, t / f"{name}{i}.db"))
        for name, rs in runs.items():
            r = dict(rs[0])
            r["runs"] = [round(x["seconds"], 2) for x in rs]
            r["seconds"] = statistics.median(x["seconds"] for x in rs)
            out[name] = r
            print(f"{name:>5}: {r['seconds']:.1f} s (runs {r['runs']}) · added {r['added']} · already there "
                  f"{r['already_there']} · rejected {r['rejected']} {r['reject_stages']}")
    out["load_after"] = os.getloadavg()[0]
    (ROOT / "bench/out").mkdir(exist_ok=True)
    name = "langfilter-skip.json" if args.skip else "langfilter.json"
    (ROOT / "bench/out" / name).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

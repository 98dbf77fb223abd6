"""Bring the gathered outlet pages of ``tests/sources/fixtures/sites/MANIFEST.json`` onto this machine.

The pages are real news pages found in public repositories; their text belongs to the outlets and the repositories
carry no licence that lets us redistribute them, so only the manifest (repository, commit, path, licence, sha256)
and the hand-written gold are committed. This script fetches each page at its recorded commit, applies the
recorded transform (``strip-jsp-directive``: a student project saved Dân trí pages as ``.jsp`` files and put a
``<%@ page %>`` line in front) and checks the sha256.

    .venv/bin/python bench/fetch_pages.py                      # from GitHub (needs the network, once)
    .venv/bin/python bench/fetch_pages.py --mirror DIR         # from local git clones: DIR/<owner>+<name>/repo
    .venv/bin/python bench/fetch_pages.py --out DIR            # where to put them (default bench/pages,
                                                               # or $BANTIN_PAGES)

Pages of the manifest that live in the shared data (``shared`` key) are not fetched: they are read from
``$BANTIN_SHARED/data/...`` where they are. Tests and ``bench/extract.py`` skip pages that are absent.

Pages with an ``excerpt`` key were read through a code index that serves files but no repository snapshot: what
was scored is a hand excerpt of the page (its ``sha256``), kept in the output directory. Fetching brings the whole
page from the repository instead; its digest cannot match the excerpt's, so it is reported and kept as fetched
(an existing excerpt is never overwritten). The gold applies to both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests/sources/fixtures/sites/MANIFEST.json"
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


def default_out() -> Path:
    return Path(os.environ.get("BANTIN_PAGES", ROOT / "bench/pages"))


def transform(data: bytes, how: str | None) -> bytes:
    if not how:
        return data
    if how == "strip-jsp-directive":
        if data.startswith(b"<%@"):
            data = data[data.index(b"%>") + 2:].lstrip(b"\r\n")
        return data
    raise ValueError(f"unknown transform {how!r}")


def from_mirror(mirror: Path, src: dict) -> bytes:
    git = mirror / src["repo"].replace("/", "+") / "repo"
    return subprocess.run(["git", "-C", str(git), "show", f"{src['commit']}:{src['path']}"],
                          capture_output=True, check=True).stdout


def from_github(src: dict) -> bytes:
    url = RAW_URL.format(**src)
    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 - a fixed https URL
        return r.read()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, help="directory of local git mirrors (<owner>+<name>/repo)")
    ap.add_argument("--out", type=Path, default=default_out())
    args = ap.parse_args()
    pages = json.loads(MANIFEST.read_text(encoding="utf-8"))["pages"]
    args.out.mkdir(parents=True, exist_ok=True)
    bad = 0
    for p in pages:
        if "shared" in p:
            continue
        dest = args.out / p["file"]
        if dest.exists() and (p.get("excerpt") or hashlib.sha256(dest.read_bytes()).hexdigest() == p["sha256"]):
            continue
        try:
            data = from_mirror(args.mirror, p["source"]) if args.mirror else from_github(p["source"])
        except Exception as e:  # noqa: BLE001 - report and go on with the others
            print(f"{p['id']}: not fetched: {e}", file=sys.stderr)
            bad += 1
            continue
        data = transform(data, p.get("transform"))
        digest = hashlib.sha256(data).hexdigest()
        if p.get("excerpt") and digest != p["sha256"]:
            print(f"{p['id']}: the whole page (sha256 {digest}); the manifest's digest is of a hand excerpt",
                  file=sys.stderr)
        elif digest != p["sha256"]:
            print(f"{p['id']}: sha256 {digest} differs from the manifest's {p['sha256']}", file=sys.stderr)
            bad += 1
            continue
        dest.write_bytes(data)
    print(f"{len(pages) - bad} of {len(pages)} pages in place ({args.out})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

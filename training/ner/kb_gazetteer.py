"""Build the knowledge-base gazetteer ``src/bantin/data/ner/kb_names.tsv`` (issue 14: world knowledge).

    .venv/bin/python training/ner/kb_gazetteer.py --crypto DIR --icons DIR --clubs GITDIR

Typed names from public, CC0-licensed sources (see ``training/ner/kb/SOURCES.md`` for versions,
commits and licences) plus the hand-written ``training/ner/kb/hand.tsv``:

- COIN  cryptocurrency names and tickers   (npm ``cryptocurrency-icons``, ``manifest.json``)
- BRAND companies, brands, products, apps   (npm ``simple-icons``, ``data/simple-icons.json``: titles and aliases)
- GROUP football clubs, sports teams, bands  (GitHub ``openfootball/clubs``: names and alternative names;
                                              hand.tsv: NBA clubs, music groups)

The names are features of the model (one flag per category, see ``features.GAZ_EXTRA``), never rules:
"Apple" in the BRAND list does not make every "Apple" an organisation.  Names of one or two characters
and names that are only digits are left out (too ambiguous to help).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src/bantin/data/ner/kb_names.tsv"
HAND = ROOT / "training/ner/kb/hand.tsv"


def ok(name: str) -> bool:
    name = " ".join(name.split())
    return len(name) >= 3 and not name.replace(" ", "").isdigit() and "\t" not in name and "|" not in name


def coins(d: Path) -> set[str]:
    out = set()
    for c in json.loads((d / "manifest.json").read_text(encoding="utf-8")):
        out.add(c["name"])
        if c["symbol"].isalnum():
            out.add(c["symbol"])
    return out


def brands(d: Path) -> set[str]:
    data = json.loads((d / "data/simple-icons.json").read_text(encoding="utf-8"))
    icons = data["icons"] if isinstance(data, dict) else data
    out = set()
    for ic in icons:
        out.add(ic["title"])
        al = ic.get("aliases") or {}
        out.update(al.get("aka", []))
        out.update(v for v in (al.get("loc") or {}).values())
    return out


_CLUB = re.compile(r"^([^\s#=|][^,#]*?)\s*(?:,|#|$)")


def clubs(git_dir: Path) -> set[str]:
    files = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", "HEAD"],
                           capture_output=True, text=True, check=True).stdout.split()
    out = set()
    for f in files:
        if not f.endswith(".clubs.txt") or ".lang." in f:
            continue
        text = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{f}"], capture_output=True,
                              text=True, check=True).stdout
        for line in text.splitlines():
            body = line.split("#", 1)[0]
            if not body.strip() or body.lstrip().startswith("="):
                continue
            if body.lstrip().startswith("|"):
                out.update(a.strip() for a in body.split("|") if a.strip())
                continue
            if body.startswith(("ii)", "iii)")):
                body = body.split(")", 1)[1]
            m = _CLUB.match(body.strip())
            if m:
                out.add(m.group(1).strip())
    # "[en]" language tags; "$$Sponsor$$ Club": sponsor prefixes the files mark with $$
    return {re.sub(r"\s*\[\w+\]$", "", re.sub(r"\$\$[^$]*\$\$\s*", "", n)).strip() for n in out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crypto", type=Path, required=True, help="unpacked npm cryptocurrency-icons package")
    ap.add_argument("--icons", type=Path, required=True, help="unpacked npm simple-icons package")
    ap.add_argument("--clubs", type=Path, required=True, help="git directory of openfootball/clubs")
    args = ap.parse_args()
    rows: dict[str, set[str]] = {"COIN": coins(args.crypto), "BRAND": brands(args.icons), "GROUP": clubs(args.clubs)}
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cat, names = line.split("\t", 1)
            rows[cat].update(n.strip() for n in names.split("|"))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Knowledge-base gazetteer (issue 14): CATEGORY<TAB>name. Built by training/ner/kb_gazetteer.py\n"
                "# from CC0 sources (training/ner/kb/SOURCES.md) and training/ner/kb/hand.tsv. Features, not rules.\n")
        for cat in ("COIN", "BRAND", "GROUP"):
            for n in sorted({" ".join(x.split()) for x in rows[cat] if ok(x)}):
                f.write(f"{cat}\t{n}\n")
    print({k: len(v) for k, v in rows.items()}, f"-> {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)", file=sys.stderr)


if __name__ == "__main__":
    main()

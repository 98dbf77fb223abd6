"""Is it the same archive? A fingerprint of a SQLite archive for speed work that must not change what is stored.

    .venv/bin/python bench/fingerprint.py before.db before.json     # fingerprint an archive
    .venv/bin/python bench/fingerprint.py after.db after.json --compare before.json

Hashes every table a change to ingest could touch — articles (rowids included), raw inputs, provenance, duplicate
keys and groups, LSH bands, stories, rejects, boilerplate tables, and FTS5's own shadow tables (the index segments
and document sizes) — and keeps the top-10 ids, tiers and scores of `bench/ingest.py`'s 40 queries. Issue 13's
passes (ingest13, ingest14) checked each change with it on the first 20k VietNews articles: build the archive from
the same input before and after (`bantin --db X ingest …`), fingerprint both, compare. Exit status 1 when they differ,
naming the parts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import QUERIES  # noqa: E402 - the 40 queries of the ingest benchmark

TABLES = (
    ("articles", "rowid, id, title, published_at, outlet, url, external_id, views, language, doc"),
    ("raws", "sha256, size, codec, data"),
    ("provenance", "article_rowid, path, record, raw_sha256, format"),
    ("dedup_docs", "rowid, content_key, url_key, length, scheme, sig, lines, vec, canonical, dup_kind, similarity, "
                   "checked"),
    ("lsh_bands", "key, doc"),
    ("story_members", "doc, story, similarity"),
    ("stories", "id, title, rep, first_seen, last_seen, size, outlets"),  # not updated_at: the clock of the ingest
    ("rejects", "path, record, stage, reason"),
    ("boilerplate_lines", "*"),
    ("boilerplate_outlets", "*"),
    ("text_fts_data", "*"),
    ("lead_fts_data", "*"),
    ("text_fts_docsize", "*"),
    ("lead_fts_docsize", "*"),
)


def fingerprint(path: str) -> dict:
    import bantin

    out: dict = {}
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out["articles_n"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, cols in TABLES:
            if table not in names:
                out[table] = None
                continue
            h = hashlib.sha256()
            for row in con.execute(f"SELECT {cols} FROM {table} ORDER BY 1, 2"):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()
    finally:
        con.close()
    with bantin.open(path, readonly=True) as b:
        out["search"] = {q: [[h.id, h.tier, round(h.score, 6)] for h in b.search(q, limit=10)] for q in QUERIES}
    return out


def differences(a: dict, b: dict) -> list[str]:
    return [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", help="a bantin SQLite archive (read only)")
    ap.add_argument("out", help="where to write the fingerprint (JSON)")
    ap.add_argument("--compare", metavar="JSON", help="an earlier fingerprint to compare with")
    args = ap.parse_args()
    if not Path(args.db).is_file():
        print(f"fingerprint: {args.db}: no such archive", file=sys.stderr)
        return 2
    fp = fingerprint(args.db)
    Path(args.out).write_text(json.dumps(fp, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{args.db}: {fp['articles_n']:,} articles, {len(TABLES)} tables and {len(QUERIES)} searches hashed")
    if args.compare:
        diff = differences(json.loads(Path(args.compare).read_text(encoding="utf-8")), fp)
        print("the same archive" if not diff else "DIFFERENT: " + ", ".join(diff))
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

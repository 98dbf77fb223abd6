"""``bantin migrate SRC DEST``: copy a whole archive from one store to another (SQLite ⇄ PostgreSQL).

Every table is copied row for row with its row ids (articles keep their publication-slot row ids, so duplicate
groups, stories, mentions and the crawl frontier, which refer to row ids, come across unchanged): documents and
raw inputs as stored bytes (nothing is decoded or recompressed), provenance, rejects, duplicate keys and groups,
LSH bands, learned boilerplate, stories, entities and mentions, crawl runs and the frontier, the archive's
settings (``meta``). The full-text index is derived: DEST builds its own from the documents with the function
that indexed them (``search.index.index_forms``). DEST must hold no articles. One transaction on DEST: a
migration that fails or is stopped leaves it as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bantin.search.index import index_forms
from bantin.store.base import decode_doc

#: (table, columns, key for ordering) — every table of the archive except the full-text index and the schema's
#: own bookkeeping (a test checks that a new table is listed here).
TABLES: list[tuple[str, tuple[str, ...], str]] = [
    ("meta", ("key", "value"), "key"),
    ("articles", ("rowid", "id", "title", "published_at", "outlet", "url", "external_id", "views", "language", "doc",
                  "doc_codec", "added_at", "updated_at"), "rowid"),
    ("raws", ("rowid", "sha256", "size", "codec", "data"), "rowid"),
    ("provenance", ("article_rowid", "path", "record", "raw_sha256", "format", "source", "fetched_at", "added_at"),
     "article_rowid, path, record"),
    ("rejects", ("rid", "path", "record", "stage", "reason", "raw_sha256", "size", "added_at"), "rid"),
    ("crawl_runs", ("id", "started_at", "ended_at", "status", "seeds", "options"), "id"),
    ("frontier", ("rowid", "url", "host", "state", "kind", "priority", "run", "discovered_from", "redirect_to",
                  "attempts", "next_attempt_at", "last_status", "last_error", "etag", "last_modified", "fetched_at",
                  "checked_at", "raw_sha256", "stored", "hints", "added_at"), "rowid"),
    ("dedup_docs", ("rowid", "content_key", "url_key", "length", "scheme", "sig", "lines", "vec", "canonical",
                    "dup_kind", "similarity", "checked"), "rowid"),
    ("lsh_bands", ("key", "doc"), "key, doc"),
    ("boilerplate_lines", ("outlet", "hash", "n"), "outlet, hash"),
    ("boilerplate_outlets", ("outlet", "articles", "version", "hashes"), "outlet"),
    ("stories", ("id", "title", "rep", "first_seen", "last_seen", "size", "outlets", "updated_at"), "id"),
    ("story_members", ("doc", "story", "similarity"), "doc"),
    ("entities", ("eid", "name", "type", "key"), "eid"),
    ("mentions", ("article_rowid", "eid", "n"), "article_rowid, eid"),
    ("topics", ("article_rowid", "topic"), "article_rowid"),
    ("quotes", ("article_rowid", "seq", "speaker", "speaker_key", "role", "text"), "article_rowid, seq"),
]
#: Tables a store keeps for itself: the derived full-text index and the schema bookkeeping.
NOT_COPIED = {"schema_migrations", "lead_fts", "text_fts", "fts_lead", "fts_text", "fts_stats", "fts_df"}
PAGE = 1000


class MigrateError(ValueError):
    """The migration cannot start (DEST not empty, same archive twice)."""


@dataclass(slots=True)
class MigrateReport:
    source: str
    dest: str
    rows: dict[str, int] = field(default_factory=dict)
    indexed: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "dest": self.dest, "rows": self.rows, "indexed": self.indexed,
                "seconds": round(self.seconds, 3)}


def migrate(src: Any, dest: Any, *, on_table: Callable[[str, int], None] | None = None) -> MigrateReport:
    """Copy archive ``src`` into the empty archive ``dest`` (both opened stores)."""
    from bantin.store.postgres import redact

    t0 = time.perf_counter()
    rep = MigrateReport(source=redact(src.path), dest=redact(dest.path))
    if dest.count():
        raise MigrateError(f"{rep.dest} already holds {dest.count():,} articles; migrate into an empty archive")
    with dest.transaction():
        for table, cols, order in TABLES:
            n = 0
            rows: list[tuple[Any, ...]] = []
            for row in src.dump_rows(table, cols, order):
                if table == "meta" and row[0] == "schema_version":
                    continue
                rows.append(row)
                if len(rows) >= PAGE:
                    dest.load_rows(table, cols, rows)
                    n += len(rows)
                    rows = []
            if rows:
                dest.load_rows(table, cols, rows)
                n += len(rows)
            rep.rows[table] = n
            if on_table is not None:
                on_table(table, n)
        batch = []
        for rowid, doc, codec in src.dump_rows("articles", ("rowid", "doc", "doc_codec"), "rowid"):
            batch.append((rowid, index_forms(decode_doc(bytes(doc), [], codec))))
            if len(batch) >= PAGE:
                dest.index_rows(batch)
                rep.indexed += len(batch)
                batch = []
        if batch:
            dest.index_rows(batch)
            rep.indexed += len(batch)
        dest.finish_load()
    rep.seconds = time.perf_counter() - t0
    return rep

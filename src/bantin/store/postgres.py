"""The shared archive: a PostgreSQL database behind the same ``Archive`` protocol as the SQLite file.

    bantin --db postgresql://user@host/dbname ingest …     (or BANTIN_DB=postgresql://…)

Same tables, same row ids (publication-second slots, ``sqlite.rowid_base``), same numbered migrations
(``MIGRATIONS``, applied once each and recorded in ``schema_migrations``), same answers: full-text search
matches the same articles and ranks them the same way (``pgsearch``: the SQLite index's tokens in a
``tsvector``, the query compiled from the same forms and spellings, FTS5's BM25 recomputed in Python over the
same candidates).

Concurrency: every write transaction (a batch of ``put``, a dedup run, a re-extracted article, a crawl frontier
update) first takes one transaction-scoped advisory lock, so writers — several ``bantin ingest`` processes on
one archive, from several machines — take turns per batch exactly as SQLite's single writer does: no article is
lost or stored twice, row ids are allocated without races, and a dedup run sees a stable archive. The expensive
work (parsing, cleaning, enrichment, dedup keys) runs before the lock, in each writer's own processes. Readers
take no lock: PostgreSQL's MVCC gives them the last committed state while a writer works.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import orjson

from bantin.model import Article, Provenance, Reject
from bantin.search.index import indexed_texts
from bantin.search.query import Query
from bantin.store import pgsearch
from bantin.store.base import (
    DOC_CODEC,
    ArchiveBusy,
    DedupRow,
    EntityLookup,
    Filters,
    FrontierRow,
    HitRow,
    Prepared,
    PutResult,
    StoredInput,
    StoryRow,
    compress_raw,
    decode_doc,
    decode_doc_dict,
    decompress_raw,
    entity_key,
)
from bantin.store.fts5 import compile_search
from bantin.store.sqlite import (CANDIDATES, MAX_CHECKED, MAX_LEARNED, REJECTS_PAGE, UNDATED_LIMIT, SQLiteArchive,
                                 _bound, _int_list, _now, and_date_range, date_range, facet_arrays_from,
                                 quote_dicts, quotes_query, rejects_with_keys, rowid_base, stories_page_query)

if TYPE_CHECKING:
    import psycopg

    from bantin.search.index import IndexForms

#: The advisory lock every write transaction takes (one archive per database).
WRITE_LOCK = 0x62616E74  # "bant"; the second key is the schema's hash, so archives in two schemas do not wait
CRAWL_LOCK = 0x63726177  # "craw": held by the one crawl of an archive
SLOT = 1 << 20

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE articles(
    rowid BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    published_at TEXT,
    outlet TEXT,
    url TEXT,
    external_id TEXT,
    views BIGINT,
    language TEXT,
    doc BYTEA NOT NULL,
    doc_codec TEXT NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_outlet_ci ON articles(lower(outlet));
CREATE INDEX articles_external_id ON articles(external_id);
CREATE INDEX articles_url ON articles(url);
CREATE TABLE raws(
    rowid BIGSERIAL PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size BIGINT NOT NULL,
    codec TEXT NOT NULL,
    data BYTEA
);
CREATE TABLE provenance(
    article_rowid BIGINT NOT NULL,
    path TEXT NOT NULL,
    record TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    source TEXT,
    fetched_at TEXT,
    added_at TEXT NOT NULL,
    seq BIGSERIAL,
    PRIMARY KEY(article_rowid, path, record)
);
CREATE INDEX provenance_input ON provenance(path, record, raw_sha256);
CREATE TABLE rejects(
    rid BIGSERIAL PRIMARY KEY,
    path TEXT NOT NULL,
    record TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw_sha256 TEXT,
    size BIGINT,
    added_at TEXT NOT NULL,
    UNIQUE(path, record, raw_sha256, reason)
);
CREATE INDEX rejects_input ON rejects(path, record);
CREATE TABLE fts_lead(rowid BIGINT PRIMARY KEY, tsv TSVECTOR NOT NULL, ntok INTEGER NOT NULL, b1 INTEGER NOT NULL,
    b2 INTEGER NOT NULL);
CREATE TABLE fts_text(rowid BIGINT PRIMARY KEY, tsv TSVECTOR NOT NULL, ntok INTEGER NOT NULL, b1 INTEGER NOT NULL,
    b2 INTEGER NOT NULL);
CREATE INDEX fts_lead_tsv ON fts_lead USING gin(tsv);
CREATE INDEX fts_text_tsv ON fts_text USING gin(tsv);
CREATE TABLE fts_stats(tbl TEXT PRIMARY KEY, rows BIGINT NOT NULL, tokens BIGINT NOT NULL);
INSERT INTO fts_stats VALUES ('fts_lead', 0, 0), ('fts_text', 0, 0);
CREATE TABLE fts_df(tbl TEXT NOT NULL, lexeme TEXT NOT NULL, df INTEGER NOT NULL, PRIMARY KEY(tbl, lexeme));
"""),
    (2, """
CREATE TABLE crawl_runs(
    id BIGSERIAL PRIMARY KEY,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    seeds TEXT NOT NULL,
    options TEXT NOT NULL
);
CREATE TABLE frontier(
    rowid BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    state TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    run BIGINT,
    discovered_from TEXT,
    redirect_to TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DOUBLE PRECISION,
    last_status INTEGER,
    last_error TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT,
    checked_at TEXT,
    raw_sha256 TEXT,
    stored INTEGER NOT NULL DEFAULT 0,
    hints TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX frontier_host ON frontier(state, host, priority);
CREATE INDEX frontier_retry ON frontier(state, next_attempt_at);
CREATE INDEX frontier_unstored ON frontier(stored, state);
"""),
    (3, """
CREATE TABLE dedup_docs(
    rowid BIGINT PRIMARY KEY,
    content_key TEXT NOT NULL,
    url_key TEXT,
    length INTEGER NOT NULL,
    scheme TEXT NOT NULL,
    sig BYTEA,
    lines BYTEA,
    vec BYTEA,
    canonical BIGINT,
    dup_kind TEXT,
    similarity DOUBLE PRECISION,
    checked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dedup_docs_content ON dedup_docs(content_key);
CREATE INDEX dedup_docs_url ON dedup_docs(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX dedup_docs_canonical ON dedup_docs(canonical);
CREATE INDEX dedup_docs_pending ON dedup_docs(checked) WHERE checked = 0;
CREATE TABLE lsh_bands(key BIGINT NOT NULL, doc BIGINT NOT NULL, PRIMARY KEY(key, doc));
CREATE TABLE boilerplate_lines(outlet TEXT NOT NULL, hash BIGINT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(outlet, hash));
CREATE TABLE boilerplate_outlets(outlet TEXT PRIMARY KEY, articles INTEGER NOT NULL, version TEXT NOT NULL,
    hashes BYTEA NOT NULL);
CREATE TABLE stories(
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    rep BIGINT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    size INTEGER NOT NULL,
    outlets TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories(last_seen);
CREATE TABLE story_members(doc BIGINT PRIMARY KEY, story BIGINT NOT NULL, similarity DOUBLE PRECISION);
CREATE INDEX story_members_story ON story_members(story);
"""),
    (4, """
CREATE TABLE entities(
    eid BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE(name, type)
);
CREATE INDEX entities_key ON entities(key, type);
CREATE TABLE mentions(
    article_rowid BIGINT NOT NULL,
    eid BIGINT NOT NULL REFERENCES entities(eid),
    n INTEGER NOT NULL,
    PRIMARY KEY(article_rowid, eid)
);
CREATE INDEX mentions_entity ON mentions(eid, article_rowid);
"""),
    # 12, as in the SQLite store: topic and quotes (bantin.enrich.facts)
    (12, """
CREATE TABLE topics(
    article_rowid BIGINT PRIMARY KEY,
    topic TEXT NOT NULL
);
CREATE INDEX topics_topic ON topics(topic, article_rowid);
CREATE TABLE quotes(
    article_rowid BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    speaker TEXT,
    speaker_key TEXT NOT NULL,
    role TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY(article_rowid, seq)
);
CREATE INDEX quotes_speaker ON quotes(speaker_key, article_rowid);
"""),
]

_NOT_A_COPY = (" AND NOT EXISTS (SELECT 1 FROM dedup_docs d WHERE d.rowid = m.article_rowid"
               " AND d.dup_kind IS NOT NULL)")
_LEAD_WEIGHTS = {"A": 10.0, "B": 4.0}
_TEXT_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 1.0}


def is_url(path: str | None) -> bool:
    return bool(path) and re.match(r"^postgres(ql)?://", path or "") is not None


def redact(url: str) -> str:
    """The URL without its password (for messages and ``stats``)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[-1]}"))


def psycopg_connect(url: str) -> psycopg.Connection:
    try:
        import psycopg
    except ImportError as e:
        raise RuntimeError("a PostgreSQL archive needs psycopg: pip install 'bantin[postgresql]'") from e
    return psycopg.connect(url, autocommit=True, connect_timeout=10)


class PostgresArchive:
    """An archive in a PostgreSQL database (one archive per database)."""

    def __init__(self, url: str, *, readonly: bool = False):
        self.path = url
        self.readonly = readonly
        self.con = psycopg_connect(url)
        self._df: dict[tuple[str, pgsearch.Phrase], tuple[int, int]] = {}  # (table, phrase) → (rows then, hits)
        self._in_tx = 0
        if readonly:
            self.con.execute("SET default_transaction_read_only = on")
        else:
            self._migrate()

    # -- schema -------------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._write(counted=False):
            c = self.con
            c.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            c.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at TEXT)")
            applied = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
            known = {v for v, _ in MIGRATIONS}
            unknown = applied - known
            if unknown:
                raise RuntimeError(f"{redact(self.path)}: archive has schema migrations {sorted(unknown)} that "
                                   "this version of bantin does not know; upgrade bantin")
            for v, sql in sorted(MIGRATIONS):
                if v in applied:
                    continue
                for stmt in sql.split(";\n"):
                    if stmt.strip():
                        c.execute(stmt)
                c.execute("INSERT INTO schema_migrations(version, applied_at) VALUES(%s, %s)", (v, _now()))
            c.execute("INSERT INTO meta(key, value) VALUES('schema_version', %s)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(max(known)),))

    @property
    def schema_version(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def _write(self, *, counted: bool = True) -> Iterator[None]:
        """A write transaction holding the archive's write lock (nested calls join the outer transaction). It
        counts itself in ``meta.data_version`` (``counted``: the migration check at every open does not), so
        readers know the archive changed."""
        if self._in_tx:
            self._in_tx += 1
            try:
                yield
            finally:
                self._in_tx -= 1
            return
        with self.con.transaction():
            self.con.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (WRITE_LOCK,))
            self._in_tx = 1
            try:
                yield
                if counted:
                    self.con.execute("INSERT INTO meta(key, value) VALUES('data_version', '1') ON CONFLICT(key)"
                                     " DO UPDATE SET value = (meta.value::bigint + 1)::text")
            finally:
                self._in_tx = 0

    def transaction(self) -> Any:
        return self._write()

    # -- writing ------------------------------------------------------------------------------------------------
    def seen_inputs(self, keys: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        if not keys:
            return set()
        rows = self.con.execute(
            "SELECT DISTINCT p.path, p.record, p.raw_sha256 FROM provenance p"
            " JOIN unnest(%s::text[], %s::text[], %s::text[]) AS k(path, record, sha)"
            " ON p.path = k.path AND p.record = k.record AND p.raw_sha256 = k.sha",
            ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys])).fetchall()
        return {tuple(r) for r in rows}  # type: ignore[misc]

    def _slot_max(self, bases: Sequence[int]) -> dict[int, int | None]:
        if not bases:
            return {}
        rows = self.con.execute(
            "SELECT b, (SELECT max(rowid) FROM articles WHERE rowid BETWEEN b AND b + %s) FROM unnest(%s::bigint[]) b",
            (SLOT - 1, list(bases))).fetchall()
        return dict(rows)

    def _rowids(self, published: Sequence[str | None]) -> list[int]:
        """New row ids for articles with these publication times, in order (the caller holds the write lock)."""
        bases = [rowid_base(p) for p in published]
        nxt: dict[int, int] = {}
        for b, m in self._slot_max(sorted({b for b in bases if b is not None})).items():
            nxt[b] = (m + 1) if m is not None else b
        undated: int | None = None
        out = []
        for b in bases:
            if b is not None and nxt[b] < b + SLOT:
                out.append(nxt[b])
                nxt[b] += 1
                continue
            if undated is None:
                row = self.con.execute("SELECT max(rowid) FROM articles WHERE rowid < %s", (UNDATED_LIMIT,)).fetchone()
                undated = (row[0] or 0) + 1
            out.append(undated)
            undated += 1
        return out

    def put(self, batch: Sequence[Prepared | Reject]) -> PutResult:
        res = PutResult()
        now = _now()
        with self._write():
            c = self.con
            cur = c.cursor()
            ids = list({item.article.id for item in batch if not isinstance(item, Reject)})
            known: dict[str, int] = dict(c.execute("SELECT id, rowid FROM articles WHERE id = ANY(%s)",
                                                   (ids,)).fetchall()) if ids else {}
            new = []
            seen_new: set[str] = set()
            for item in batch:
                if not isinstance(item, Reject) and item.article.id not in known and item.article.id not in seen_new:
                    seen_new.add(item.article.id)
                    new.append(item)
            for item, rowid in zip(new, self._rowids([p.article.published_at for p in new])):
                known[item.article.id] = rowid
            arts, fts, raws, provs, dds, ments, rejects = [], [], [], [], [], [], []
            tops: list[tuple[int, str]] = []
            quotes: list[tuple[Any, ...]] = []
            added: set[str] = set()
            for item in batch:
                if isinstance(item, Reject):
                    rejects.append(item)
                    res.rejected += 1
                    continue
                a = item.article
                rowid = known[a.id]
                if a.id in seen_new and a.id not in added:
                    added.add(a.id)
                    arts.append((rowid, a.id, a.title, a.published_at, a.outlet, a.url, a.external_id, a.views,
                                 a.language, item.doc, DOC_CODEC, now))
                    fts.append((rowid, item.forms))
                    k = item.dedup
                    if k is not None:
                        dds.append((rowid, k.content_key, k.url_key, k.length, k.scheme, k.sig, k.lines, k.vec))
                    ments.extend((rowid, *e) for e in item.entities)
                    if item.topic:
                        tops.append((rowid, item.topic))
                    quotes.extend((rowid, i, *q) for i, q in enumerate(item.quotes))
                    res.added += 1
                    res.added_ids.append(a.id)
                else:
                    res.existing += 1
                    if item.copy:  # an exported copy of an article already here: nothing to add
                        continue
                for p in a.provenance:
                    if item.raw_sha256 is None or p.raw_sha256 == item.raw_sha256:  # a copy's older inputs: no bytes
                        raws.append((p.raw_sha256, item.raw_size, item.raw_codec, item.raw))
                    provs.append((rowid, p.path, p.record, p.raw_sha256, p.format, p.source, p.fetched_at, now))
            for r in rejects:
                self._put_reject(cur, r, now)
            if arts:
                cur.executemany(
                    "INSERT INTO articles(rowid, id, title, published_at, outlet, url, external_id, views, language,"
                    " doc, doc_codec, added_at) VALUES(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", arts)
                self._fts_insert(cur, fts)
            if dds:
                cur.executemany("INSERT INTO dedup_docs(rowid, content_key, url_key, length, scheme, sig, lines, vec)"
                                " VALUES(%s,%s,%s,%s,%s,%s,%s,%s)", dds)
            if raws:
                raws = list({r[0]: r for r in raws}.values())
                raws.sort(key=lambda r: r[0])
                cur.executemany("INSERT INTO raws(sha256, size, codec, data) VALUES(%s,%s,%s,%s)"
                                " ON CONFLICT (sha256) DO NOTHING", raws)
            if provs:
                cur.executemany(
                    "INSERT INTO provenance(article_rowid, path, record, raw_sha256, format, source, fetched_at,"
                    " added_at) VALUES(%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING", provs)
                # an input that now makes an article is no longer a reject
                cur.execute("DELETE FROM rejects r USING unnest(%s::text[], %s::text[]) AS k(path, record)"
                            " WHERE r.path = k.path AND r.record = k.record",
                            ([p[1] for p in provs], [p[2] for p in provs]))
            if ments:
                self._put_mentions(cur, ments)
            self._put_facts(cur, tops, quotes)
        return res

    @staticmethod
    def _put_facts(cur: psycopg.Cursor, tops: list[tuple[int, str]], quotes: list[tuple[Any, ...]]) -> None:
        if tops:
            cur.executemany("INSERT INTO topics(article_rowid, topic) VALUES(%s,%s) ON CONFLICT (article_rowid)"
                            " DO UPDATE SET topic = excluded.topic", tops)
        if quotes:
            cur.executemany("INSERT INTO quotes(article_rowid, seq, speaker, speaker_key, role, text)"
                            " VALUES(%s,%s,%s,%s,%s,%s) ON CONFLICT (article_rowid, seq) DO UPDATE SET"
                            " speaker = excluded.speaker, speaker_key = excluded.speaker_key, role = excluded.role,"
                            " text = excluded.text", quotes)

    _FTS = (("fts_lead", lambda f: [f.title, f.sapo]), ("fts_text", lambda f: [f.title, f.sapo, f.body]))

    def _fts_insert(self, cur: psycopg.Cursor, items: Sequence[tuple[int, IndexForms]]) -> None:
        """Full-text rows of new articles (COPY), and what BM25 needs kept up to date: rows and tokens per table,
        documents per lexeme (FTS5 keeps the same in its index)."""
        for table, fields in self._FTS:
            df: dict[str, int] = {}
            tokens = 0
            with cur.copy(f"COPY {table}(rowid, tsv, ntok, b1, b2) FROM STDIN") as cp:
                for rowid, f in items:
                    r = pgsearch.tsvector_literal(fields(f))
                    cp.write_row((rowid, r.literal, r.ntok, r.b1, r.b2))
                    tokens += r.ntok
                    for lx in r.lexemes:
                        df[lx] = df.get(lx, 0) + 1
            self._fts_counts(cur, table, len(items), tokens, df)

    @staticmethod
    def _fts_counts(cur: psycopg.Cursor, table: str, rows: int, tokens: int, df: dict[str, int]) -> None:
        cur.execute("UPDATE fts_stats SET rows = rows + %s, tokens = tokens + %s WHERE tbl = %s", (rows, tokens, table))
        if df:
            lex = sorted(df)
            cur.execute("INSERT INTO fts_df(tbl, lexeme, df) SELECT %s, l, n FROM unnest(%s::text[], %s::int[]) AS"
                        " x(l, n) ON CONFLICT (tbl, lexeme) DO UPDATE SET df = fts_df.df + excluded.df",
                        (table, lex, [df[x] for x in lex]))

    def _fts_remove(self, cur: psycopg.Cursor, rowid: int) -> None:
        """Delete an article's full-text rows, taking them out of the counts."""
        for table, _fields in self._FTS:
            old = cur.execute(f"DELETE FROM {table} WHERE rowid = %s RETURNING ntok, tsvector_to_array(tsv)",
                              (rowid,)).fetchone()
            if old:
                self._fts_counts(cur, table, -1, -old[0], {lx: -1 for lx in old[1]})

    def _put_mentions(self, cur: psycopg.Cursor, ments: list[tuple[int, str, str, str, int]]) -> None:
        names = sorted({(n, t, k) for _r, n, t, k, _c in ments})
        cur.executemany("INSERT INTO entities(name, type, key) VALUES(%s,%s,%s) ON CONFLICT (name, type) DO NOTHING",
                        names)
        eid = {(n, t): e for e, n, t in cur.execute(
            "SELECT e.eid, e.name, e.type FROM entities e JOIN unnest(%s::text[], %s::text[]) AS k(name, type)"
            " ON e.name = k.name AND e.type = k.type", ([x[0] for x in names], [x[1] for x in names])).fetchall()}
        rows = {(r, eid[(n, t)]): c for r, n, t, _k, c in ments}
        cur.executemany("INSERT INTO mentions(article_rowid, eid, n) VALUES(%s,%s,%s) ON CONFLICT (article_rowid, eid)"
                        " DO UPDATE SET n = excluded.n", [(r, e, c) for (r, e), c in sorted(rows.items())])

    def _put_reject(self, cur: psycopg.Cursor, r: Reject, now: str) -> None:
        if r.raw_sha256 and r.payload is not None:
            data, codec = compress_raw(r.payload)
            cur.execute("INSERT INTO raws(sha256, size, codec, data) VALUES(%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                        (r.raw_sha256, r.size if r.size is not None else len(r.payload), codec, data))
        # the latest verdict on an input replaces earlier ones (a retry under another --lang gives a new reason)
        cur.execute("DELETE FROM rejects WHERE path=%s AND record=%s AND raw_sha256 IS NOT DISTINCT FROM %s"
                    " AND reason <> %s", (r.path, r.record, r.raw_sha256, r.reason))
        cur.execute(
            "INSERT INTO rejects(path, record, stage, reason, raw_sha256, size, added_at) VALUES(%s,%s,%s,%s,%s,%s,%s)"
            " ON CONFLICT DO NOTHING", (r.path, r.record, r.stage, r.reason, r.raw_sha256, r.size, now))

    # -- reading ------------------------------------------------------------------------------------------------
    def _provenance(self, rowid: int) -> list[Provenance]:
        rows = self.con.execute(
            "SELECT path, record, raw_sha256, format, source, fetched_at FROM provenance WHERE article_rowid=%s"
            " ORDER BY added_at, path, record", (rowid,)).fetchall()
        return [Provenance(*r) for r in rows]

    def _article(self, rowid: int, doc: bytes, codec: str) -> Article:
        return decode_doc(bytes(doc), self._provenance(rowid), codec)

    def get(self, id: str) -> Article | None:  # noqa: A002
        row = self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE id=%s", (id,)).fetchone()
        if row is None:
            if len(id) < 6:
                return None
            prefix = re.sub(r"[%_\\]", "", id)
            rows = self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE id >= %s AND id < %s LIMIT 2",
                                    (prefix, prefix + "\U0010ffff")).fetchall()
            if len(rows) != 1:
                return None
            row = rows[0]
        return self._article(*row)

    def get_raw(self, sha256: str) -> bytes | None:
        row = self.con.execute("SELECT data, codec FROM raws WHERE sha256=%s", (sha256,)).fetchone()
        if row is None or row[0] is None:
            return None
        return decompress_raw(bytes(row[0]), row[1])

    def _pages(self, sql: str, args: Sequence[Any] = (), size: int = 500) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (which selects rowid first and has a ``{after}`` placeholder) in rowid order, a page at a
        time, so the archive may be written between pages and memory stays bounded."""
        last = -1
        while True:
            rows = self.con.execute(sql.format(after="rowid > %s") + f" ORDER BY rowid LIMIT {size}",
                                    [*args, last]).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    def iter_articles(self) -> Iterator[Article]:
        for rowid, doc, codec in self._pages("SELECT rowid, doc, doc_codec FROM articles WHERE {after}"):
            yield self._article(rowid, doc, codec)

    def count(self) -> int:
        return self.con.execute("SELECT count(*) FROM articles").fetchone()[0]

    def rejects(self, limit: int | None = None) -> list[Reject]:
        sql = "SELECT path, record, stage, reason, raw_sha256, size FROM rejects ORDER BY rid"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Reject(path=r[0], record=r[1], stage=r[2], reason=r[3], raw_sha256=r[4], size=r[5])
                for r in self.con.execute(sql)]

    def stats(self) -> dict[str, Any]:
        c = self.con
        one = lambda sql, *a: c.execute(sql, a).fetchone()[0]  # noqa: E731
        first, last = c.execute("SELECT min(published_at), max(published_at) FROM articles WHERE rowid >= %s",
                                (UNDATED_LIMIT,)).fetchone()
        outlets = c.execute(
            "SELECT coalesce(outlet, ''), count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, 1"
        ).fetchall()
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "rejected": one("SELECT count(*) FROM rejects"),
            "inputs": one("SELECT count(*) FROM provenance"),
            "raw_inputs": one("SELECT count(*) FROM raws"),
            "dated": one("SELECT count(*) FROM articles WHERE rowid >= %s", UNDATED_LIMIT),
            "first_published": first,
            "last_published": last,
            "outlets": {o or "(unknown)": n for o, n in outlets},
            "topics": self.topic_counts(),
            "schema_version": self.schema_version,
            "db_path": redact(self.path),
            "db_bytes": one("SELECT pg_database_size(current_database())"),
        }

    # -- search -------------------------------------------------------------------------------------------------
    def _table_stats(self, table: str) -> tuple[int, float]:
        rows, tokens = self.con.execute("SELECT rows, tokens FROM fts_stats WHERE tbl = %s", (table,)).fetchone()
        return rows, (tokens / rows if rows else 0.0)

    def _hits(self, table: str, phrases: Sequence[pgsearch.Phrase], n_rows: int) -> dict[pgsearch.Phrase, int]:
        """Rows of ``table`` holding each phrase (FTS5's IDF input): one-word phrases from the lexeme counts kept
        at write time; phrases of several words and prefixes counted (cached while the table's size holds)."""
        out: dict[pgsearch.Phrase, int] = {}
        words = sorted({p.tokens[0] for p in phrases if len(p.tokens) == 1 and not p.prefix})
        if words:
            df = dict(self.con.execute("SELECT lexeme, df FROM fts_df WHERE tbl = %s AND lexeme = ANY(%s)",
                                       (table, words)).fetchall())
            for p in phrases:
                if len(p.tokens) == 1 and not p.prefix:
                    out[p] = df.get(p.tokens[0], 0)
        todo = []
        for p in phrases:
            if p in out:
                continue
            got = self._df.get((table, p))
            if got is not None and got[0] == n_rows:
                out[p] = got[1]
            else:
                todo.append(p)
        if todo:
            if len(self._df) > 50_000:
                self._df.clear()
            todo = list(dict.fromkeys(todo))
            for i in range(0, len(todo), 64):
                part = todo[i:i + 64]
                sel = ", ".join(f"(SELECT count(*) FROM {table} WHERE tsv @@ %s::tsquery)" for _ in part)
                for p, n in zip(part, self.con.execute(f"SELECT {sel}", [p.tsquery() for p in part]).fetchone()):
                    self._df[(table, p)] = (n_rows, n)
                    out[p] = n
        return out

    def _rank(self, table: str, rowids: list[int], phrases: Sequence[pgsearch.Phrase], hits: dict[pgsearch.Phrase, int],
              n_rows: int, avgdl: float) -> dict[int, float]:
        """FTS5's bm25() of each candidate row for these phrases, from the positions of the query's lexemes only
        (marked with weight D and filtered out of the row's tsvector, without unnesting it)."""
        if not rowids:
            return {}
        weights = _LEAD_WEIGHTS if table == "fts_lead" else _TEXT_WEIGHTS
        idfs = [pgsearch.idf(n_rows, hits.get(p, 0)) for p in phrases]
        words = sorted({t for p in phrases for t in (p.tokens[:-1] if p.prefix else p.tokens)})
        occ: dict[int, dict[str, list[tuple[int, str]]]] = {r: {} for r in rowids}
        size: dict[int, int] = {}
        col = pgsearch.column_of
        for rowid, n, b1, b2, lex, positions in self.con.execute(
                f"SELECT f.rowid, f.ntok, f.b1, f.b2, u.lexeme, u.positions FROM {table} f,"
                " unnest(ts_filter(setweight(f.tsv, 'D', %s::text[]), '{d}')) u WHERE f.rowid = ANY(%s)",
                (words, rowids)):
            size[rowid] = n
            occ[rowid][lex] = [(p, col(p, b1, b2)) for p in positions]
        prefixes = sorted({p.tokens[-1] + "%" for p in phrases if p.prefix})
        if prefixes:
            for rowid, n, b1, b2, lex, positions in self.con.execute(
                    f"SELECT f.rowid, f.ntok, f.b1, f.b2, u.lexeme, u.positions FROM {table} f, unnest(f.tsv) u"
                    " WHERE f.rowid = ANY(%s) AND u.lexeme LIKE ANY(%s)", (rowids, prefixes)):
                size[rowid] = n
                occ[rowid][lex] = [(p, col(p, b1, b2)) for p in positions]
        return {r: pgsearch.bm25(phrases, idfs, occ[r], size.get(r, 0), avgdl, weights) for r in rowids}

    #: Below this share of a table's rows, the matches are found through the GIN index and the newest kept;
    #: above it, walking the row ids from the newest finds CANDIDATES matches sooner.
    SPARSE = {"fts_lead": 0.05, "fts_text": 0.2}

    def _candidates(self, table: str, c: pgsearch.Compiled, hits: dict[pgsearch.Phrase, int], n_rows: int,
                    where: list[str], args: list[Any]) -> tuple[list[int], dict[int, int]]:
        def est(p: pgsearch.Phrase) -> int:
            return hits.get(p, n_rows)

        estimate = min((sum(est(p) for p in g) for g in c.groups), default=n_rows)
        cond = " AND ".join(["f.tsv @@ %s::tsquery"] + where)
        if estimate < self.SPARSE[table] * n_rows:
            sql = (f"WITH m AS MATERIALIZED (SELECT f.rowid FROM {table} f WHERE {cond})"
                   f" SELECT rowid FROM m ORDER BY rowid DESC LIMIT {CANDIDATES}")
        else:
            sql = f"SELECT f.rowid FROM {table} f WHERE {cond} ORDER BY f.rowid DESC LIMIT {CANDIDATES}"
        # with each candidate's canonical when it is a checked duplicate (one round trip less)
        sql = (f"SELECT c.rowid, d.canonical FROM ({sql}) c LEFT JOIN dedup_docs d ON d.rowid = c.rowid"
               " AND d.dup_kind IS NOT NULL AND d.canonical IS NOT NULL ORDER BY c.rowid DESC")
        rows = self.con.execute(sql, [c.tsquery, *args]).fetchall()
        return [r[0] for r in rows], {r[0]: r[1] for r in rows if r[1] is not None}

    def _entity_ids(self, keys: Sequence[str | EntityLookup], type: str | None = None) -> list[int]:  # noqa: A002
        looks = [k if isinstance(k, EntityLookup) else EntityLookup(k) for k in keys]
        looks = [k for k in looks if k.key]
        if not looks:
            return []
        sql = "SELECT eid, name, type, key FROM entities WHERE key = ANY(%s)"
        args: list[Any] = [sorted({k.key for k in looks})]
        if type:
            sql += " AND type = %s"
            args.append(type)
        return [eid for eid, name, typ, key in self.con.execute(sql, args)
                if any(k.matches(name, typ, key) for k in looks)]

    def _filter_sql(self, filters: Filters) -> tuple[list[str], list[Any]] | None:
        """(conditions on ``f.rowid``, args) for search filters; None when nothing can match (an entity the
        archive does not know)."""
        where, args = date_range("f.rowid", filters.since, filters.until, ph="%s")
        if filters.outlet:
            where.append("f.rowid IN (SELECT rowid FROM articles WHERE lower(outlet) = lower(%s))")
            args.append(filters.outlet)
        if filters.entity_keys is not None:
            eids = self._entity_ids(filters.entity_keys, filters.entity_type)
            if not eids:
                return None
            where.append("f.rowid IN (SELECT article_rowid FROM mentions WHERE eid = ANY(%s))")
            args.append(eids)
        if filters.topic:
            where.append("f.rowid IN (SELECT article_rowid FROM topics WHERE topic = %s)")
            args.append(filters.topic)
        return where, args

    def _fts_stats(self) -> dict[str, tuple[int, float]]:
        """(rows, average tokens a row) of each full-text table."""
        return {t: (r, (k / r if r else 0.0)) for t, r, k in self.con.execute("SELECT tbl, rows, tokens FROM fts_stats")}

    def _compiled(self, table: str, query: Query, form: str, n_rows: int, learned: Any = None,
                  ) -> tuple[pgsearch.Compiled, dict[pgsearch.Phrase, int], pgsearch.Compiled | None] | None:
        """(the query's phrases, how many rows of ``table`` hold each, the tsquery without the spellings the
        index does not hold — they match nothing: the same result, a cheaper query; None when nothing can
        match). None: the query has no positive part."""
        full = pgsearch.compile_tsquery(query, form, learned=learned)
        if full is None:
            return None
        hits = self._hits(table, full.phrases, n_rows)
        c = pgsearch.compile_tsquery(query, form, keep=lambda p: hits.get(p, 0) > 0, learned=learned)
        return full, hits, (c if c is not None and c.tsquery else None)

    def _tier(self, table: str, query: Query, form: str, where: list[str], args: list[Any],
              stats: dict[str, tuple[int, float]], learned: Any = None,
              ) -> tuple[list[tuple[int, float]], dict[int, int]] | None:
        """One search tier: its ``CANDIDATES`` newest matches as (row id, bm25), best first (ties: newest first),
        and the canonical of each that is a checked duplicate. None: the query has no positive part."""
        n_rows, avgdl = stats[table]
        compiled = self._compiled(table, query, form, n_rows, learned)
        if compiled is None:
            return None
        full, hits, c = compiled
        if c is None:
            return [], {}
        cands, canon = self._candidates(table, c, hits, n_rows, where, args)
        scores = self._rank(table, cands, full.phrases, hits, n_rows, avgdl)
        return sorted(((r, scores[r]) for r in cands), key=lambda x: x[1]), canon

    def search(self, query: Query, *, limit: int = 10, offset: int = 0,
               filters: Filters | None = None) -> list[HitRow]:
        need = offset + limit
        filters = filters or Filters()
        f = self._filter_sql(filters)
        if f is None:
            return []
        where, args = f
        tiers: list[tuple[str, str, str]] = []
        forms = ["exact", "expanded"] if query.has_diacritics else ["expanded"]
        for form in forms:
            tiers.append((f"lead-{form}", "fts_lead", form))
            tiers.append((f"text-{form}", "fts_text", form))
        found: dict[int, tuple[float, str, int]] = {}
        order: list[int] = []
        stats = self._fts_stats()
        for rank, (name, table, form) in enumerate(tiers):
            if len(order) >= need:
                break
            tier = self._tier(table, query, form, where, args, stats)
            if tier is None:
                break
            rows, canon = tier
            base = float(len(tiers) - rank)
            for rowid, bm in rows:
                group = canon.get(rowid, rowid)
                if group in found:
                    continue
                rel = -bm
                found[group] = (base + rel / (1.0 + rel), name, rowid)
                order.append(group)
        hits: list[HitRow] = []
        page = order[offset:need]
        copies = self._copies(page)
        shown = {}
        for group in page:
            _score, _tier, matched = found[group]
            shown[group] = group if group == matched or self._passes(group, filters) else matched
        rows = {r[0]: r[1:] for r in self.con.execute(
            "SELECT rowid, id, doc, doc_codec FROM articles WHERE rowid = ANY(%s)", (list(shown.values()),))}
        provs: dict[int, list[Provenance]] = {}
        for r in self.con.execute("SELECT article_rowid, path, record, raw_sha256, format, source, fetched_at"
                                  " FROM provenance WHERE article_rowid = ANY(%s) ORDER BY added_at, path, record",
                                  (list(rows),)):
            provs.setdefault(r[0], []).append(Provenance(*r[1:]))
        for group in page:
            score, tier, _matched = found[group]
            show = shown[group]
            if show not in rows:
                continue
            aid, doc, codec = rows[show]
            hits.append(HitRow(id=aid, score=round(score, 6), tier=tier,
                               article=decode_doc(bytes(doc), provs.get(show, []), codec), copies=copies.get(group, 1)))
        return hits

    def _canonicals(self, rowids: Sequence[int]) -> dict[int, int]:
        if not rowids:
            return {}
        return dict(self.con.execute("SELECT rowid, canonical FROM dedup_docs WHERE rowid = ANY(%s)"
                                     " AND dup_kind IS NOT NULL AND canonical IS NOT NULL", (list(rowids),)).fetchall())

    def _copies(self, canonicals: Sequence[int]) -> dict[int, int]:
        if not canonicals:
            return {}
        return dict(self.con.execute("SELECT canonical, count(*) FROM dedup_docs WHERE canonical = ANY(%s)"
                                     " GROUP BY canonical", (list(canonicals),)).fetchall())

    def _passes(self, rowid: int, filters: Filters) -> bool:
        if filters.since and rowid < _bound(filters.since, end=False):
            return False
        if filters.until and rowid > _bound(filters.until, end=True):
            return False
        if filters.outlet:
            row = self.con.execute("SELECT 1 FROM articles WHERE rowid = %s AND lower(outlet) = lower(%s)",
                                   (rowid, filters.outlet)).fetchone()
            if row is None:
                return False
        if filters.topic:
            row = self.con.execute("SELECT 1 FROM topics WHERE article_rowid = %s AND topic = %s",
                                   (rowid, filters.topic)).fetchone()
            return row is not None
        return True

    # -- duplicates and stories (driven by bantin.dedup.run) -----------------------------------------------------
    _DD_COLS = ("d.rowid, a.id, a.published_at, a.outlet, d.length, d.content_key, d.url_key, d.scheme, d.sig,"
                " d.canonical, d.dup_kind, d.similarity")

    def _dd_rows(self, sql: str, args: Sequence[Any] = (), extra: bool = False) -> list[DedupRow]:
        out = []
        for r in self.con.execute(sql, args):
            row = DedupRow(*r[:12])
            if row.sig is not None:
                row.sig = bytes(row.sig)
            if extra:
                row.lines, row.vec, row.title, row.external_id = r[12:16]
                row.lines = None if row.lines is None else bytes(row.lines)
                row.vec = None if row.vec is None else bytes(row.vec)
            out.append(row)
        return out

    def meta_get(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    def meta_set(self, key: str, value: str) -> None:
        with self._write():
            self.con.execute("INSERT INTO meta(key, value) VALUES(%s, %s) ON CONFLICT(key) DO UPDATE"
                             " SET value = excluded.value", (key, value))

    def dedup_pending(self) -> list[DedupRow]:
        return self._dd_rows(f"SELECT {self._DD_COLS}, d.lines, d.vec, a.title, a.external_id FROM dedup_docs d"
                             " JOIN articles a ON a.rowid = d.rowid WHERE d.checked = 0 ORDER BY d.rowid", extra=True)

    def dedup_missing(self) -> list[int]:
        return [r[0] for r in self.con.execute(
            "SELECT a.rowid FROM articles a LEFT JOIN dedup_docs d ON d.rowid = a.rowid WHERE d.rowid IS NULL"
            " ORDER BY a.rowid")]

    def dedup_stale(self, scheme: str) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT rowid FROM dedup_docs WHERE scheme <> %s ORDER BY rowid",
                                               (scheme,))]

    def articles_by_rowid(self, rowids: Sequence[int]) -> Iterator[tuple[int, Article]]:
        rowids = list(rowids)
        for i in range(0, len(rowids), 500):
            for r in self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE rowid = ANY(%s)",
                                      (rowids[i:i + 500],)).fetchall():
                yield r[0], decode_doc(bytes(r[1]), [], r[2])

    def search_cards(self, rowids: Sequence[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        rowids = list(rowids)
        for i in range(0, len(rowids), 500):
            for r in self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE rowid = ANY(%s)",
                                      (rowids[i:i + 500],)).fetchall():
                d = decode_doc_dict(bytes(r[1]), r[2])
                d["topic"] = (d.pop("annotations", None) or {}).get("topic")
                out[r[0]] = d
        return out

    def dedup_set_keys(self, rows: Sequence[tuple[int, Any]]) -> None:
        with self._write():
            self.con.cursor().executemany(
                "INSERT INTO dedup_docs(rowid, content_key, url_key, length, scheme, sig, lines, vec, checked)"
                " VALUES(%s,%s,%s,%s,%s,%s,%s,%s,0) ON CONFLICT (rowid) DO UPDATE SET content_key = excluded.content_key,"
                " url_key = excluded.url_key, length = excluded.length, scheme = excluded.scheme, sig = excluded.sig,"
                " lines = excluded.lines, vec = excluded.vec, checked = 0, canonical = NULL, dup_kind = NULL,"
                " similarity = NULL",
                [(r, k.content_key, k.url_key, k.length, k.scheme, k.sig, k.lines, k.vec) for r, k in rows])
            self.con.execute("DELETE FROM lsh_bands WHERE doc = ANY(%s)", ([r for r, _ in rows],))

    def dedup_reset(self) -> None:
        with self._write():
            c = self.con
            c.execute("UPDATE dedup_docs SET canonical = NULL, dup_kind = NULL, similarity = NULL, checked = 0")
            for t in ("lsh_bands", "boilerplate_lines", "boilerplate_outlets", "stories", "story_members"):
                c.execute(f"DELETE FROM {t}")

    def dedup_find(self, content_keys: Iterable[str], url_keys: Iterable[str]) -> tuple[dict[str, int],
                                                                                      dict[str, int]]:
        ck = dict(self.con.execute("SELECT content_key, min(canonical) FROM dedup_docs WHERE checked = 1"
                                   " AND content_key = ANY(%s) GROUP BY content_key",
                                   (list(set(content_keys)),)).fetchall())
        uk = dict(self.con.execute("SELECT url_key, min(canonical) FROM dedup_docs WHERE checked = 1"
                                   " AND url_key = ANY(%s) GROUP BY url_key", (list(set(url_keys)),)).fetchall())
        return ck, uk

    def lsh_candidates(self, items: Sequence[tuple[int, Sequence[int]]]) -> list[tuple[int, int]]:
        """As ``SQLiteArchive.lsh_candidates``: the new band keys go to a temporary table (COPY), two joins find
        the pairs, then they are kept."""
        c = self.con
        with self._write():
            c.execute("CREATE TEMP TABLE IF NOT EXISTS new_bands(key BIGINT NOT NULL, doc BIGINT NOT NULL)"
                      " ON COMMIT DELETE ROWS")
            c.execute("TRUNCATE new_bands")
            n = sum(len(ks) for _, ks in items)
            if n:
                keys = np.fromiter((k for _, ks in items for k in ks), dtype=np.int64, count=n)
                docs = np.repeat(np.fromiter((r for r, _ in items), dtype=np.int64, count=len(items)),
                                 [len(ks) for _, ks in items])
                with c.cursor().copy("COPY new_bands(key, doc) FROM STDIN") as cp:
                    for i in range(0, n, 65536):
                        for k, d in zip(keys[i:i + 65536].tolist(), docs[i:i + 65536].tolist()):
                            cp.write_row((k, d))
                c.execute("CREATE INDEX IF NOT EXISTS new_bands_key ON new_bands(key)")
                c.execute("ANALYZE new_bands")
            pairs = c.execute("SELECT DISTINCT n.doc, b.doc FROM new_bands n JOIN lsh_bands b ON b.key = n.key"
                              " WHERE b.doc <> n.doc").fetchall()
            pairs += c.execute("SELECT DISTINCT a.doc, b.doc FROM new_bands a JOIN new_bands b"
                               " ON b.key = a.key AND b.doc < a.doc").fetchall()
            c.execute("INSERT INTO lsh_bands(key, doc) SELECT DISTINCT key, doc FROM new_bands ORDER BY key, doc"
                      " ON CONFLICT DO NOTHING")
            c.execute("TRUNCATE new_bands")
        return list(dict.fromkeys((int(a), int(b)) for a, b in pairs))

    def dedup_rows(self, rowids: Iterable[int]) -> list[DedupRow]:
        return self._dd_rows(f"SELECT {self._DD_COLS} FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                             " WHERE d.rowid = ANY(%s)", (list(set(rowids)),))

    def dedup_group_rows(self, canonicals: Iterable[int]) -> list[DedupRow]:
        return self._dd_rows(f"SELECT {self._DD_COLS} FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                             " WHERE d.canonical = ANY(%s)", (list(set(canonicals)),))

    def dedup_save(self, assign: Sequence[tuple[int, int, str | None, float | None]]) -> None:
        if not assign:
            return
        with self._write():
            self.con.execute(
                "UPDATE dedup_docs d SET canonical = a.c, dup_kind = a.k, similarity = a.s, checked = 1"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::float8[]) AS a(r, c, k, s) WHERE d.rowid = a.r",
                ([r for r, _, _, _ in assign], [c for _, c, _, _ in assign], [k for _, _, k, _ in assign],
                 [s for _, _, _, s in assign]))

    def duplicates(self, id: str) -> tuple[Article | None, list[DedupRow]]:  # noqa: A002
        row = self.con.execute("SELECT d.canonical FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                               " WHERE a.id = %s", (id,)).fetchone()
        if row is None or row[0] is None:
            return None, []
        members = self.dedup_group_rows([row[0]])
        members.sort(key=lambda m: (m.dup_kind is not None, m.published_at or "~", m.rowid))
        can = self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE rowid = %s", (row[0],)).fetchone()
        return (self._article(*can) if can else None), members

    # boilerplate --------------------------------------------------------------------------------------------
    def boilerplate_count(self, outlet: str, articles: int, hashes: Sequence[int]) -> None:
        counts: dict[int, int] = {}
        for h in hashes:
            counts[h] = counts.get(h, 0) + 1
        with self._write():
            self.con.execute("INSERT INTO boilerplate_outlets(outlet, articles, version, hashes)"
                             " VALUES(%s, %s, '', ''::bytea) ON CONFLICT(outlet) DO UPDATE"
                             " SET articles = boilerplate_outlets.articles + excluded.articles", (outlet, articles))
            if counts:
                items = sorted(counts.items())
                self.con.execute(
                    "INSERT INTO boilerplate_lines(outlet, hash, n) SELECT %s, h, n FROM unnest(%s::bigint[],"
                    " %s::int[]) AS x(h, n) ON CONFLICT(outlet, hash) DO UPDATE SET n = boilerplate_lines.n + excluded.n",
                    (outlet, [h for h, _ in items], [n for _, n in items]))

    def boilerplate_outlet(self, outlet: str, min_count: int) -> tuple[int, str, bytes, list[tuple[int, int]]]:
        row = self.con.execute("SELECT articles, version, hashes FROM boilerplate_outlets WHERE outlet = %s",
                               (outlet,)).fetchone()
        if row is None:
            return 0, "", b"", []
        over = self.con.execute("SELECT hash, n FROM boilerplate_lines WHERE outlet = %s AND n >= %s ORDER BY hash",
                                (outlet, min_count)).fetchall()
        return row[0], row[1], bytes(row[2]), [tuple(r) for r in over]  # type: ignore[misc]

    def boilerplate_learned(self) -> dict[str, tuple[str, bytes]]:
        return {o: (v, bytes(h)) for o, v, h in self.con.execute(
            "SELECT outlet, version, hashes FROM boilerplate_outlets WHERE version <> ''")}

    def boilerplate_set(self, outlet: str, version: str, hashes: bytes) -> None:
        with self._write():
            self.con.execute("UPDATE boilerplate_outlets SET version = %s, hashes = %s WHERE outlet = %s",
                             (version, hashes, outlet))

    def outlet_lines(self, outlet: str) -> list[tuple[int, bytes | None]]:
        return [(r, None if x is None else bytes(x)) for r, x in self.con.execute(
            "SELECT a.rowid, d.lines FROM articles a JOIN dedup_docs d ON d.rowid = a.rowid"
            " WHERE a.outlet = %s ORDER BY a.rowid", (outlet,))]

    def rowids_of_outlet(self, outlet: str) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT rowid FROM articles WHERE outlet = %s ORDER BY rowid",
                                               (outlet,))]

    def _set_fts(self, rowid: int, forms: IndexForms, *, old_rowid: int | None = None) -> None:
        """(Re)write an article's full-text rows."""
        cur = self.con.cursor()
        self._fts_remove(cur, old_rowid if old_rowid is not None else rowid)
        self._fts_insert(cur, [(rowid, forms)])

    def _fts_delete(self, rowid: int) -> None:
        self._fts_remove(self.con.cursor(), rowid)

    def replace_text(self, rowid: int, old: IndexForms, new: Prepared) -> None:
        with self._write():
            self._set_fts(rowid, new.forms)
            self.con.execute("UPDATE articles SET doc = %s, doc_codec = %s, title = %s WHERE rowid = %s",
                             (new.doc, DOC_CODEC, new.article.title, rowid))
            if "entities" in new.article.annotations:
                self.con.execute("DELETE FROM mentions WHERE article_rowid = %s", (rowid,))
                if new.entities:
                    self._put_mentions(self.con.cursor(), [(rowid, *e) for e in new.entities])
            if "quotes" in new.article.annotations:  # and so are quotes (bantin quotes, bantin entity), as in SQLite
                self.con.execute("DELETE FROM quotes WHERE article_rowid = %s", (rowid,))
                self._put_facts(self.con.cursor(), [], [(rowid, i, *q) for i, q in enumerate(new.quotes)])

    # stories ------------------------------------------------------------------------------------------------
    def story_window(self, since: str, until: str) -> list[tuple[int, int, str, bytes]]:
        return [(d, s, p, bytes(v)) for d, s, p, v in self.con.execute(
            "SELECT m.doc, m.story, a.published_at, d.vec FROM story_members m JOIN articles a ON a.rowid = m.doc"
            " JOIN dedup_docs d ON d.rowid = m.doc WHERE m.doc BETWEEN %s AND %s AND d.vec IS NOT NULL"
            " AND d.dup_kind IS NULL ORDER BY m.doc", (_bound(since, False), _bound(until, True)))]

    def story_of(self, rowids: Iterable[int]) -> dict[int, int]:
        return dict(self.con.execute("SELECT doc, story FROM story_members WHERE doc = ANY(%s)",
                                     (list(set(rowids)),)).fetchall())

    def story_new(self) -> int:
        """A new story's id, from the table's sequence: never one given before (ids are in shared URLs)."""
        with self._write():
            return int(self.con.execute("INSERT INTO stories(title, rep, size, outlets, updated_at)"
                                        " VALUES('', 0, 0, '[]', %s) RETURNING id", (_now(),)).fetchone()[0])

    def story_last_id(self) -> int:
        """The highest story id ever given (the sequence's, which deleting stories does not lower)."""
        row = self.con.execute("SELECT last_value, is_called FROM stories_id_seq").fetchone()
        return int(row[0]) if row[1] else 0

    def story_memberships(self) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for story, doc in self.con.execute("SELECT story, doc FROM story_members"):
            out.setdefault(story, set()).add(doc)
        return out

    def story_renumber(self, ids: dict[int, int], last_id: int) -> None:
        """Give stories new ids (``ids``: current → new) and make ``last_id`` the highest id given (the ids a
        rebuild took above it only for a moment are given again later; none of them was ever shown)."""
        with self._write():
            c = self.con
            if ids:
                with c.cursor() as cur:
                    for table, col in (("stories", "id"), ("story_members", "story")):
                        cur.executemany(f"UPDATE {table} SET {col} = %s WHERE {col} = %s", [(-k, k) for k in ids])
                        cur.executemany(f"UPDATE {table} SET {col} = %s WHERE {col} = %s",
                                        [(v, -k) for k, v in ids.items()])
            c.execute("SELECT setval('stories_id_seq', %s, %s)", (max(last_id, 1), last_id > 0))

    def story_add(self, members: Sequence[tuple[int, int, float | None]]) -> None:
        if not members:
            return
        last = {d: (s, sim) for d, s, sim in members}  # INSERT OR REPLACE: the last placement of a doc wins
        with self._write():
            self.con.execute(
                "INSERT INTO story_members(doc, story, similarity) SELECT * FROM unnest(%s::bigint[], %s::bigint[],"
                " %s::float8[]) ON CONFLICT (doc) DO UPDATE SET story = excluded.story, similarity = excluded.similarity",
                (list(last), [v[0] for v in last.values()], [v[1] for v in last.values()]))

    def story_refresh(self, story_ids: Iterable[int], pick_title) -> None:
        now = _now()
        with self._write():
            for sid in sorted(set(story_ids)):
                rows = [(r[0], r[1], r[2], r[3], None if r[4] is None else bytes(r[4]), r[5]) for r in self.con.execute(
                    "SELECT a.rowid, a.title, a.published_at, a.outlet, d.vec, d.dup_kind FROM story_members m"
                    " JOIN articles a ON a.rowid = m.doc LEFT JOIN dedup_docs d ON d.rowid = m.doc WHERE m.story = %s"
                    " ORDER BY a.rowid", (sid,))]
                if not rows:
                    self.con.execute("DELETE FROM stories WHERE id = %s", (sid,))
                    continue
                dates = [r[2] for r in rows if r[2]]
                outlets = sorted({r[3] for r in rows if r[3]})
                rep = pick_title([(r[0], r[1], r[4], r[5] is None) for r in rows])
                title = next(r[1] for r in rows if r[0] == rep)
                self.con.execute("UPDATE stories SET title = %s, rep = %s, first_seen = %s, last_seen = %s, size = %s,"
                                 " outlets = %s, updated_at = %s WHERE id = %s",
                                 (title, rep, min(dates) if dates else None, max(dates) if dates else None, len(rows),
                                  json.dumps(outlets, ensure_ascii=False), now, sid))

    def stories(self, *, since: str | None = None, limit: int | None = None, min_size: int = 1,
                members: bool = True) -> list[StoryRow]:
        sql = "SELECT id, title, first_seen, last_seen, size, outlets FROM stories WHERE size >= %s"
        args: list[Any] = [min_size]
        if since:
            sql += " AND last_seen >= %s"
            args.append(since)
        sql += " ORDER BY last_seen DESC NULLS LAST, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out = [StoryRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in self.con.execute(sql, args)]
        return self._with_members(out) if members else out

    def _with_members(self, stories: list[StoryRow]) -> list[StoryRow]:
        for st in stories:
            st.members = self._story_members(st.id)
        return stories

    def story(self, story_id: int) -> StoryRow | None:
        r = self.con.execute("SELECT id, title, first_seen, last_seen, size, outlets FROM stories WHERE id = %s",
                             (story_id,)).fetchone()
        if r is None:
            return None
        st = StoryRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]))
        st.members = self._story_members(st.id)
        return st

    def _story_members(self, sid: int) -> list[dict[str, Any]]:
        rows = self.con.execute(
            "SELECT a.id, a.external_id, a.title, a.published_at, a.outlet, a.url, m.similarity, d.dup_kind, c.id"
            " FROM story_members m JOIN articles a ON a.rowid = m.doc LEFT JOIN dedup_docs d ON d.rowid = m.doc"
            " LEFT JOIN articles c ON c.rowid = d.canonical AND d.dup_kind IS NOT NULL"
            " WHERE m.story = %s ORDER BY a.rowid", (sid,)).fetchall()
        return [{"id": r[0], "external_id": r[1], "title": r[2], "published_at": r[3], "outlet": r[4], "url": r[5],
                 "similarity": None if r[6] is None else round(r[6], 4), "duplicate_of": r[8]} for r in rows]

    def story_id_of(self, id: str) -> int | None:  # noqa: A002
        row = self.con.execute("SELECT m.story FROM story_members m JOIN articles a ON a.rowid = m.doc"
                               " WHERE a.id = %s", (id,)).fetchone()
        return row[0] if row else None

    def dedup_stats(self) -> dict[str, Any]:
        c = self.con
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "checked": one("SELECT count(*) FROM dedup_docs WHERE checked = 1"),
            "pending": one("SELECT count(*) FROM dedup_docs WHERE checked = 0"),
            "canonical": one("SELECT count(*) FROM dedup_docs WHERE checked = 1 AND dup_kind IS NULL"),
            "duplicates": {k: n for k, n in c.execute(
                "SELECT dup_kind, count(*) FROM dedup_docs WHERE dup_kind IS NOT NULL GROUP BY dup_kind")},
            "groups_with_copies": one("SELECT count(DISTINCT canonical) FROM dedup_docs WHERE dup_kind IS NOT NULL"),
            "stories": one("SELECT count(*) FROM stories"),
            "stories_multi": one("SELECT count(*) FROM stories WHERE size > 1"),
            "boilerplate_outlets": one("SELECT count(*) FROM boilerplate_outlets WHERE version <> ''"),
        }

    # -- crawl frontier ------------------------------------------------------------------------------------------
    _FRONTIER_COLS = tuple(f.name for f in dataclasses.fields(FrontierRow))
    _STORED_I, _HINTS_I = _FRONTIER_COLS.index("stored"), _FRONTIER_COLS.index("hints")

    def _frontier_row(self, r: tuple[Any, ...]) -> FrontierRow:
        d = dict(zip(self._FRONTIER_COLS, r))
        d["stored"] = bool(d["stored"])
        d["hints"] = orjson.loads(d["hints"]) if d["hints"] else {}
        return FrontierRow(**d)

    def _frontier_select(self, where: str, args: Sequence[Any], tail: str = "") -> list[FrontierRow]:
        sql = f"SELECT {', '.join(self._FRONTIER_COLS)} FROM frontier WHERE {where} {tail}"
        return [self._frontier_row(r) for r in self.con.execute(sql, list(args))]

    def frontier_get(self, urls: Sequence[str]) -> dict[str, FrontierRow]:
        urls = list(dict.fromkeys(urls))
        return {r.url: r for r in self._frontier_select("url = ANY(%s)", [urls])} if urls else {}

    def frontier_put(self, rows: Sequence[FrontierRow], raws: Sequence[tuple[str, bytes]] = ()) -> None:
        now = _now()
        cols = self._FRONTIER_COLS
        sql = (f"INSERT INTO frontier({', '.join(cols)}, added_at) VALUES({', '.join(['%s'] * (len(cols) + 1))})"
               f" ON CONFLICT(url) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in cols if c != 'url')}")
        values = []
        for r in rows:
            v = [getattr(r, c) for c in cols]
            v[self._STORED_I] = int(r.stored)
            v[self._HINTS_I] = orjson.dumps(r.hints).decode() if r.hints else None
            v.append(now)
            values.append(v)
        with self._write():
            cur = self.con.cursor()
            for sha, payload in raws:
                data, codec = compress_raw(payload)
                cur.execute("INSERT INTO raws(sha256, size, codec, data) VALUES(%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                            (sha, len(payload), codec, data))
            if values:
                cur.executemany(sql, values)

    def frontier_due(self, now: float, *, host: str | None = None, limit: int = 100) -> list[FrontierRow]:
        hc, args = ("AND host = %s", [host]) if host is not None else ("", [])
        rows = self._frontier_select(f"state = 'queued' {hc}", args, f"ORDER BY priority, rowid LIMIT {int(limit)}")
        if len(rows) < limit:
            rows += self._frontier_select(f"state = 'retry' {hc} AND next_attempt_at <= %s", [*args, now],
                                          f"ORDER BY priority, rowid LIMIT {int(limit) - len(rows)}")
            rows.sort(key=lambda r: r.priority)
        return rows

    def frontier_hosts(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT host FROM frontier WHERE state IN ('queued', 'retry') ORDER BY host")]

    def frontier_next_due(self) -> float | None:
        if self.con.execute("SELECT EXISTS(SELECT 1 FROM frontier WHERE state = 'queued')").fetchone()[0]:
            return 0.0
        return self.con.execute("SELECT min(next_attempt_at) FROM frontier WHERE state = 'retry'").fetchone()[0]

    def frontier_rows(self, *, states: Sequence[str] = (), unstored: bool = False, run: int | None = None,
                      limit: int | None = None) -> list[FrontierRow]:
        where, args = ["TRUE"], []
        if states:
            where.append("state = ANY(%s)")
            args.append(list(states))
        if run is not None:
            where.append("run = %s")
            args.append(run)
        if unstored:
            where.append("stored = 0 AND raw_sha256 IS NOT NULL")
        tail = "ORDER BY rowid" + (f" LIMIT {int(limit)}" if limit is not None else "")
        return self._frontier_select(" AND ".join(where), args, tail)

    def frontier_counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for state, kind, n in self.con.execute("SELECT state, kind, count(*) FROM frontier GROUP BY state, kind"):
            out.setdefault(state, {})[kind] = n
        return out

    @contextmanager
    def crawl_lock(self) -> Iterator[None]:
        """A session-level advisory lock: PostgreSQL releases it when this connection ends, however the crawling
        process dies."""
        got = self.con.execute("SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))", (CRAWL_LOCK,)).fetchone()[0]
        if not got:
            raise ArchiveBusy(f"another crawl is running on {redact(self.path)}")
        try:
            yield
        finally:
            if not self.con.closed:
                self.con.execute("SELECT pg_advisory_unlock(%s, hashtext(current_schema()))", (CRAWL_LOCK,))

    def crawl_run_start(self, seeds: Sequence[str], options: dict[str, Any]) -> int:
        with self._write():
            return int(self.con.execute(
                "INSERT INTO crawl_runs(started_at, status, seeds, options) VALUES(%s, 'running', %s, %s) RETURNING id",
                (_now(), orjson.dumps(list(seeds)).decode(), orjson.dumps(options).decode())).fetchone()[0])

    def crawl_run_end(self, run: int, status: str) -> None:
        with self._write():
            self.con.execute("UPDATE crawl_runs SET status=%s, ended_at=%s WHERE id=%s", (status, _now(), run))

    def crawl_runs(self, limit: int = 1) -> list[dict[str, Any]]:
        rows = self.con.execute("SELECT id, started_at, ended_at, status, seeds, options FROM crawl_runs"
                                f" ORDER BY id DESC LIMIT {int(limit)}").fetchall()
        return [{"id": r[0], "started_at": r[1], "ended_at": r[2], "status": r[3], "seeds": orjson.loads(r[4]),
                 "options": orjson.loads(r[5])} for r in rows]

    # -- quotes and topics (bantin.enrich.facts) ------------------------------------------------------------------
    def quotes(self, speaker_keys: Sequence[str] | None = None, *, since: str | None = None,
               until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Attributed quotes, newest article first; copies of a text count once."""
        if speaker_keys is not None and not speaker_keys:
            return []
        return quote_dicts(self.con.execute(*quotes_query(speaker_keys, since, until, limit, ph="%s")).fetchall())

    def topic_counts(self) -> dict[str, int]:
        return dict(self.con.execute("SELECT topic, count(*) FROM topics GROUP BY topic"
                                     ' ORDER BY count(*) DESC, topic COLLATE "C"').fetchall())  # as SQLite

    # -- entities -----------------------------------------------------------------------------------------------
    def top_entities(self, *, type: str | None = None, since: str | None = None, until: str | None = None,  # noqa: A002
                     limit: int = 50) -> list[dict[str, Any]]:
        rng, args = and_date_range("m.article_rowid", since, until, ph="%s")
        rng += _NOT_A_COPY
        tcond = ""
        if type:
            tcond = " AND e.type = %s"
            args.append(type)
        rows = self.con.execute(
            "SELECT e.name, e.type, count(*) AS articles, sum(m.n) AS mentions FROM mentions m"
            f" JOIN entities e ON e.eid = m.eid WHERE TRUE{rng}{tcond}"
            " GROUP BY m.eid, e.name, e.type ORDER BY articles DESC, mentions DESC, e.name COLLATE \"C\""
            f" LIMIT {int(limit)}", args).fetchall()
        return [{"name": n, "type": t, "articles": a, "mentions": int(k)} for n, t, a, k in rows]

    def entity_profile(self, keys: Sequence[str | EntityLookup], *, type: str | None = None, limit: int = 20,  # noqa: A002
                       since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        out = []
        rng, rargs = and_date_range("m.article_rowid", since, until, ph="%s")
        rng += _NOT_A_COPY
        for eid in sorted(self._entity_ids(keys, type)):
            name, typ = self.con.execute("SELECT name, type FROM entities WHERE eid=%s", (eid,)).fetchone()
            arts = self.con.execute(
                "SELECT a.id, a.title, a.published_at, a.outlet, m.n FROM mentions m JOIN articles a"
                f" ON a.rowid = m.article_rowid WHERE m.eid = %s{rng} ORDER BY m.article_rowid DESC",
                [eid, *rargs]).fetchall()
            months: dict[str, int] = {}
            for _id, _t, pub, _o, n in arts:
                if pub:
                    months[pub[:7]] = months.get(pub[:7], 0) + n
            co = self.con.execute(
                "SELECT e.name, e.type, count(*) FROM mentions m2 JOIN entities e ON e.eid = m2.eid"
                f" WHERE m2.article_rowid IN (SELECT m.article_rowid FROM mentions m WHERE m.eid = %s{rng})"
                " AND m2.eid <> %s GROUP BY m2.eid, e.name, e.type ORDER BY count(*) DESC, e.name COLLATE \"C\""
                " LIMIT %s", [eid, *rargs, eid, limit]).fetchall()
            out.append({
                "name": name, "type": typ, "articles": len(arts), "mentions": sum(a[4] for a in arts),
                "by_month": dict(sorted(months.items())),
                "latest": [{"id": i, "title": t, "published_at": p, "outlet": o, "mentions": n}
                           for i, t, p, o, n in arts[:limit]],
                "co_occurring": [{"name": n, "type": t, "articles": c} for n, t, c in co],
                "quotes": self.quotes([entity_key(name)], since=since, until=until, limit=min(limit, 10))
                if typ == "PER" else [],
            })
        return out

    # -- re-extraction ------------------------------------------------------------------------------------------
    def iter_inputs(self, formats: Sequence[str] | None = None) -> Iterator[StoredInput]:
        for rowid, doc, codec in self._pages("SELECT rowid, doc, doc_codec FROM articles WHERE {after}"):
            a = self._article(rowid, doc, codec)
            if not a.provenance:
                continue
            prov = a.provenance[0]
            if formats and prov.format not in formats:
                continue
            yield StoredInput(rowid, a, prov, self.get_raw(prov.raw_sha256))

    def replace(self, rowid: int, prepared: Prepared, old: Article) -> int:
        a = prepared.article
        now = _now()
        with self._write():
            c = self.con
            self._forget_dedup(rowid)
            new_rowid = rowid
            if rowid_base(a.published_at) != rowid_base(old.published_at):
                new_rowid = self._rowids([a.published_at])[0]
                for table, col in (("articles", "rowid"), ("provenance", "article_rowid")):
                    c.execute(f"UPDATE {table} SET {col} = %s WHERE {col} = %s", (new_rowid, rowid))
            for t in ("mentions", "topics", "quotes"):
                c.execute(f"DELETE FROM {t} WHERE article_rowid = %s", (rowid,))
            c.execute(
                "UPDATE articles SET title=%s, published_at=%s, outlet=%s, url=%s, external_id=%s, views=%s,"
                " language=%s, doc=%s, doc_codec=%s, updated_at=%s WHERE rowid=%s",
                (a.title, a.published_at, a.outlet, a.url, a.external_id, a.views, a.language, prepared.doc,
                 DOC_CODEC, now, new_rowid))
            self._set_fts(new_rowid, prepared.forms, old_rowid=rowid)
            if prepared.entities:
                self._put_mentions(c.cursor(), [(new_rowid, *e) for e in prepared.entities])
            self._put_facts(c.cursor(), [(new_rowid, prepared.topic)] if prepared.topic else [],
                            [(new_rowid, i, *q) for i, q in enumerate(prepared.quotes)])
        return new_rowid

    def drop(self, rowid: int, old: Article, reject: Reject) -> None:
        with self._write():
            c = self.con
            self._fts_delete(rowid)
            self._forget_dedup(rowid)
            for sql in ("DELETE FROM mentions WHERE article_rowid=%s", "DELETE FROM topics WHERE article_rowid=%s",
                        "DELETE FROM quotes WHERE article_rowid=%s", "DELETE FROM provenance WHERE article_rowid=%s",
                        "DELETE FROM articles WHERE rowid=%s"):
                c.execute(sql, (rowid,))
            self._put_reject(c.cursor(), reject, _now())

    def _forget_dedup(self, rowid: int) -> None:
        for sql in ("DELETE FROM dedup_docs WHERE rowid=%s", "DELETE FROM lsh_bands WHERE doc=%s",
                    "DELETE FROM story_members WHERE doc=%s"):
            self.con.execute(sql, (rowid,))

    # -- the faces (bantin serve, bantin.browse): whole-result facets, stable pages, the home page ---------------
    # Row ids encode the publication second as in the SQLite archive: the same pure helpers serve both.
    days_of = staticmethod(SQLiteArchive.days_of)
    rowid_bounds = staticmethod(SQLiteArchive.rowid_bounds)

    def data_version(self) -> int:
        """Changes whenever a write transaction commits to this archive (every ``_write`` counts one in ``meta``):
        what tells ``bantin serve`` that its facet arrays and remembered results are out of date."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def facet_arrays(self) -> dict[str, Any]:
        """As ``SQLiteArchive.facet_arrays``: every article's row id, outlet and topic, the duplicate copies and
        every mention, as numpy arrays (read as one text per query with ``string_agg``, parsed by numpy); outlets
        and topics in SQLite's order (byte order), so that facets tie alike."""
        c = self.con
        return facet_arrays_from(
            c.execute("SELECT outlet, string_agg(rowid::text, ',') FROM articles GROUP BY outlet"
                      ' ORDER BY outlet COLLATE "C" NULLS FIRST').fetchall(),
            c.execute("SELECT string_agg(rowid || ',' || canonical, ',') FROM dedup_docs"
                      " WHERE canonical <> rowid").fetchone()[0],
            c.execute("SELECT string_agg(article_rowid || ',' || eid || ',' || n, ',') FROM mentions").fetchone()[0],
            c.execute("SELECT topic, string_agg(article_rowid::text, ',') FROM topics GROUP BY topic"
                      ' ORDER BY topic COLLATE "C"').fetchall())

    def face_match(self, query: Query, form: str,
                   filters: Filters | None = None) -> tuple[pgsearch.FaceMatch | None, None]:
        """What ``match_rowids`` and ``ranked_rowids`` look for (None: nothing can match), with no check left to
        do. A phrase of many spellings means what ``SQLiteArchive.face_match`` makes of it: the spellings read in
        the newest texts that hold its words adjacent (``MAX_CHECKED`` texts at most, ``MAX_LEARNED`` spellings a
        phrase), as exact phrases — so both stores find and rank the same articles. The candidates here hold the
        words adjacent already (a tsquery phrase of alternatives), where FTS5's also hold them apart."""
        if pgsearch.compile_tsquery(query, form) is None:
            return None, None
        if not any(pgsearch.loose(c, form) for g in query.groups for c in g):
            return pgsearch.FaceMatch(query, form), None
        f = self._filter_sql(filters or Filters())
        if f is None:
            return None, None
        where, args = f
        compiled = self._compiled("fts_text", query, form, self._fts_stats()["fts_text"][0])
        check = compile_search(query, form).check
        assert compiled is not None and check is not None
        known: dict[tuple[int, int], set[tuple[str, ...]]] = {}
        checked, before = 0, None
        while compiled[2] is not None and checked < MAX_CHECKED:
            cond = " AND ".join(["f.tsv @@ %s::tsquery", *where] + (["f.rowid < %s"] if before is not None else []))
            rows = [r[0] for r in self.con.execute(
                f"SELECT f.rowid FROM fts_text f WHERE {cond} ORDER BY f.rowid DESC LIMIT {CANDIDATES}",
                [compiled[2].tsquery, *args, *([before] if before is not None else [])])]
            if not rows:
                break
            before = rows[-1]
            rows = rows[:MAX_CHECKED - checked]
            checked += len(rows)
            texts = self._texts(rows)
            for rowid in rows:
                for key, spelling in (check(texts.get(rowid, ())) or {}).items():
                    spells = known.setdefault(key, set())
                    if len(spells) < MAX_LEARNED:
                        spells.add(spelling)
            if len(rows) < CANDIDATES:
                break
        return pgsearch.FaceMatch(query, form, known), None

    def _texts(self, rowids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """(title, sapo, body) as stored, by row id: what the full-text rows were made of."""
        return {r: indexed_texts(decode_doc_dict(bytes(doc), codec)) for r, doc, codec in self.con.execute(
            "SELECT rowid, doc, doc_codec FROM articles WHERE rowid = ANY(%s)", (list(rowids),))}

    def match_rowids(self, expr: pgsearch.FaceMatch | None, filters: Filters | None = None,
                     check: Any = None) -> np.ndarray:
        """Row ids of every article matching ``expr`` (title, lead or body) and the filters, ascending: the whole
        result set, of which ``search`` ranks the best."""
        f = self._filter_sql(filters or Filters())
        if expr is None or f is None:
            return np.zeros(0, np.int64)
        compiled = self._compiled("fts_text", expr.query, expr.form, self._fts_stats()["fts_text"][0], expr.learned)
        if compiled is None or compiled[2] is None:
            return np.zeros(0, np.int64)
        where, args = f
        cond = " AND ".join(["f.tsv @@ %s::tsquery", *where])
        return _int_list(self.con.execute(f"SELECT string_agg(f.rowid::text, ',' ORDER BY f.rowid) FROM fts_text f"
                                          f" WHERE {cond}", [compiled[2].tsquery, *args]).fetchone()[0])

    def ranked_rowids(self, exprs: Sequence[tuple[str, pgsearch.FaceMatch | None]], filters: Filters | None = None,
                      check: Any = None) -> list[tuple[str, list[tuple[int, float]]]]:
        """The search tiers of these (form, match)es, best first (title+lead, then full text, per form), each with
        the ``CANDIDATES`` newest matches as (row id, bm25) ranked by bm25 — as ``search`` ranks them, every tier,
        unfolded (duplicate groups are the caller's)."""
        f = self._filter_sql(filters or Filters())
        stats = self._fts_stats()
        out: list[tuple[str, list[tuple[int, float]]]] = []
        for form, expr in exprs:
            for name, table in ((f"lead-{form}", "fts_lead"), (f"text-{form}", "fts_text")):
                tier = None if expr is None or f is None else \
                    self._tier(table, expr.query, form, *f, stats, learned=expr.learned)
                out.append((name, tier[0] if tier else []))
        return out

    def rowids_of(self, ids: Sequence[str]) -> dict[str, int]:
        return dict(self.con.execute("SELECT id, rowid FROM articles WHERE id = ANY(%s)", (list(ids),)).fetchall())

    def entity_ids(self, keys: Sequence[str | EntityLookup], type: str | None = None) -> list[int]:  # noqa: A002
        return self._entity_ids(keys, type)

    def article_heads(self, rowids: Sequence[int]) -> dict[int, tuple[str, str, str | None, str | None]]:
        """(id, title, published_at, outlet) by row id."""
        return {r[0]: r[1:] for r in self.con.execute(
            "SELECT rowid, id, title, published_at, outlet FROM articles WHERE rowid = ANY(%s)", (list(rowids),))}

    def entity_names(self, eids: Sequence[int]) -> dict[int, tuple[str, str]]:
        return {e: (n, t) for e, n, t in self.con.execute("SELECT eid, name, type FROM entities WHERE eid = ANY(%s)",
                                                          (list(eids),))}

    def last_ingest(self) -> dict[str, Any]:
        """When articles were last added, how many in the day before that, and the latest crawl run."""
        at = self.con.execute('SELECT max(added_at COLLATE "C") FROM provenance').fetchone()[0]
        recent = 0
        if at:
            since = (datetime.fromisoformat(at) - timedelta(days=1)).isoformat(timespec="seconds")
            recent = self.con.execute('SELECT count(DISTINCT article_rowid) FROM provenance'
                                      ' WHERE added_at COLLATE "C" >= %s', (since,)).fetchone()[0]
        runs = self.crawl_runs(1)
        return {"at": at, "articles_day_before": recent, "crawl": runs[0] if runs else None}

    def stories_page(self, *, since: str | None = None, until: str | None = None, min_size: int = 1,
                     before: tuple[str, int] | None = None, limit: int = 20) -> list[StoryRow]:
        """Stories newest first (by last article), ``limit`` after the key ``before`` = (last_seen, id) of the
        previous page's last story: keyset pages, stable while stories are added (dates compared byte for byte,
        as SQLite compares them, whatever the database's collation)."""
        sql, args = stories_page_query(since, until, min_size, before, limit, ph="%s", text='{} COLLATE "C"')
        return self._with_members([StoryRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]))
                                   for r in self.con.execute(sql, args)])

    def rejects_page(self, *, after: int = 0, limit: int = 50) -> list[tuple[int, Reject]]:
        """(key, reject) in the order they were stored, ``limit`` after the key ``after``."""
        return rejects_with_keys(self.con.execute(REJECTS_PAGE.format(ph="%s", limit=int(limit)), (after,)))

    # -- copying a whole archive (bantin.migrate) ----------------------------------------------------------------
    _SERIAL = {"raws": "rowid", "rejects": "rid", "crawl_runs": "id", "frontier": "rowid", "stories": "id",
               "entities": "eid"}

    def dump_rows(self, table: str, cols: Sequence[str], order: str) -> Iterator[tuple[Any, ...]]:
        """Every row of a table (the listed columns), in ``order``, through a server-side cursor."""
        conn = psycopg_connect(self.path)  # its own connection: the cursor's transaction stays open while we yield
        try:
            with conn.transaction(), conn.cursor(name="bantin_dump") as cur:
                cur.itersize = 1000
                cur.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")
                for row in cur:
                    yield tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
        finally:
            conn.close()

    def load_rows(self, table: str, cols: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows copied from another archive (inside ``transaction()``), with COPY."""
        with self._write():
            if table == "meta":
                self.con.cursor().executemany(
                    "INSERT INTO meta(key, value) VALUES(%s, %s) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    rows)
                return
            with self.con.cursor().copy(f"COPY {table}({', '.join(cols)}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)

    def index_rows(self, items: Sequence[tuple[int, IndexForms]]) -> None:
        """Full-text rows for copied articles (and the tables' statistics)."""
        with self._write():
            self._fts_insert(self.con.cursor(), items)

    def finish_load(self) -> None:
        """Sequences continue after the copied ids."""
        with self._write():
            for table, col in self._SERIAL.items():
                self.con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'),"
                                 f" greatest((SELECT max({col}) FROM {table}), 1))")

    # -- lifecycle ----------------------------------------------------------------------------------------------
    def optimize(self) -> None:
        """Refresh planner statistics and the visibility map (after a big ingest)."""
        self.con.execute("VACUUM (ANALYZE) articles, fts_lead, fts_text, dedup_docs, mentions")

    @property
    def broken(self) -> bool:
        """The database connection was lost (server restarted, session ended): this archive object is useless."""
        return bool(self.con.broken or self.con.closed)

    def close(self) -> None:
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass

    def __enter__(self) -> PostgresArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

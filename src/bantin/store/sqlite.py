"""The embedded archive: one SQLite file (WAL), versioned migrations, one transaction per batch.

Row ids order articles by publication time (``rowid_for``): the full-text index can then walk matches newest
first and stop early, and date filters become row-id ranges inside the index.

Search runs in tiers, best first, each tier filling the results the previous ones left:
title+lead exact → full text exact → title+lead any diacritics → full text any diacritics (exact tiers only when
the query has diacritics). Within a tier, hits are ranked by BM25 (title 10, lead 4, body 1) among the
``CANDIDATES`` newest matches.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.request import pathname2url

import numpy as np
import orjson

from bantin.model import Article, Provenance, Reject
from bantin.search.query import Query
from bantin.search.index import index_forms, indexed_texts
from bantin.store.base import (
    ArchiveError,
    ArchiveFull,
    ArchiveReadOnly,
    ArchiveUnavailable,
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
    decode_doc_head,
    decompress_raw,
    entity_key,
)
from bantin.store.fts5 import compile_search

if TYPE_CHECKING:
    from bantin.search.index import IndexForms

#: Matches scored per search tier (newest first) before BM25 ranking.
CANDIDATES = 400
#: At most this many candidates' texts are read per tier when FTS5 over-matches (phrases of many spellings).
MAX_CHECKED = 1000
#: Spellings of one phrase looked up as exact phrases (each read in a text that matched).
MAX_LEARNED = 8

VN_TZ = timezone(timedelta(hours=7))  # as clean.dates.VN_TZ; not imported to keep `bantin search` start-up light
#: Bytes of the archive a read-only connection maps into memory (``PRAGMA mmap_size``): searches read index pages
#: and documents without a copy per page (~20% of their SQLite time on the 128k archive). 0 (``BANTIN_MMAP=0``)
#: reads with system calls instead — for archives on storage whose read errors must not stop the process (an I/O
#: error in a mapped page is a signal, not an error SQLite can report).
READ_MMAP = 1 << 30
UNDATED_LIMIT = 1 << 40  # rowids below: articles without a publication time, in ingest order
_EPOCH_1900 = datetime(1900, 1, 1, tzinfo=timezone.utc)
_SECONDS_1900_TO_1970 = 2_208_988_800

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    published_at TEXT,
    outlet TEXT,
    url TEXT,
    external_id TEXT,
    views INTEGER,
    language TEXT,
    doc BLOB NOT NULL,
    doc_codec TEXT NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_external_id ON articles(external_id);
CREATE INDEX articles_url ON articles(url);
CREATE TABLE raws(
    rowid INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    codec TEXT NOT NULL,
    data BLOB
);
CREATE TABLE provenance(
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    path TEXT NOT NULL,
    record TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    source TEXT,
    fetched_at TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY(article_rowid, path, record)
) WITHOUT ROWID;
CREATE INDEX provenance_input ON provenance(path, record, raw_sha256);
CREATE TABLE rejects(
    rid INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    record TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw_sha256 TEXT,
    size INTEGER,
    added_at TEXT NOT NULL,
    UNIQUE(path, record, raw_sha256, reason)
);
CREATE INDEX rejects_input ON rejects(path, record);
CREATE VIRTUAL TABLE lead_fts USING fts5(title, sapo, content='', tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE text_fts USING fts5(title, sapo, body, content='',
    tokenize='unicode61 remove_diacritics 0');
"""),
    # 2: the crawl frontier (bantin.crawl): per-URL state, so a killed crawl resumes without refetching.
    (2, """
CREATE TABLE crawl_runs(
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    seeds TEXT NOT NULL,
    options TEXT NOT NULL
);
CREATE TABLE frontier(
    rowid INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    state TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    run INTEGER,
    discovered_from TEXT,
    redirect_to TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL,
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
    rowid INTEGER PRIMARY KEY,
    content_key TEXT NOT NULL,
    url_key TEXT,
    length INTEGER NOT NULL,
    scheme TEXT NOT NULL,
    sig BLOB,
    lines BLOB,
    vec BLOB,
    canonical INTEGER,
    dup_kind TEXT,
    similarity REAL,
    checked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dedup_docs_content ON dedup_docs(content_key);
CREATE INDEX dedup_docs_url ON dedup_docs(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX dedup_docs_canonical ON dedup_docs(canonical);
CREATE INDEX dedup_docs_pending ON dedup_docs(checked) WHERE checked = 0;
CREATE TABLE lsh_bands(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc)) WITHOUT ROWID;
CREATE TABLE boilerplate_lines(outlet TEXT NOT NULL, hash INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(outlet, hash)) WITHOUT ROWID;
CREATE TABLE boilerplate_outlets(outlet TEXT PRIMARY KEY, articles INTEGER NOT NULL, version TEXT NOT NULL,
    hashes BLOB NOT NULL);
CREATE TABLE stories(
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    rep INTEGER NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    size INTEGER NOT NULL,
    outlets TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_seen ON stories(last_seen);
CREATE TABLE story_members(doc INTEGER PRIMARY KEY, story INTEGER NOT NULL, similarity REAL);
CREATE INDEX story_members_story ON story_members(story);
"""),
    (4, """
CREATE TABLE entities(
    eid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE(name, type)
);
CREATE INDEX entities_key ON entities(key, type);
CREATE TABLE mentions(
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    eid INTEGER NOT NULL REFERENCES entities(eid),
    n INTEGER NOT NULL,
    PRIMARY KEY(article_rowid, eid)
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions(eid, article_rowid);
"""),
    # 12 (the issue that added it, so parallel branches' migrations 5, 6… do not collide): topic and quotes
    (12, """
CREATE TABLE topics(
    article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    topic TEXT NOT NULL
);
CREATE INDEX topics_topic ON topics(topic, article_rowid);
CREATE TABLE quotes(
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    speaker TEXT,
    speaker_key TEXT NOT NULL,
    role TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY(article_rowid, seq)
) WITHOUT ROWID;
CREATE INDEX quotes_speaker ON quotes(speaker_key, article_rowid);
"""),
    # 13 (issue 13: ingest cost): FTS5 keeps up to 16 MB of new index entries in memory before it writes them as a
    # segment (default 1 MB: 4–5 small segments per 1,000-article batch, each merged again later). Fewer, larger
    # segments: less merging at ingest (≈ 15% of the index's insert time), the same index content.
    (13, """
INSERT INTO text_fts(text_fts, rank) VALUES('hashsize', 16777216);
INSERT INTO lead_fts(lead_fts, rank) VALUES('hashsize', 16777216);
"""),
]


#: Entity counts and profiles count each text once: duplicates (pointing to a canonical copy) are left out.
_NOT_A_COPY = " AND NOT EXISTS (SELECT 1 FROM dedup_docs d WHERE d.rowid = m.article_rowid AND d.dup_kind IS NOT NULL)"


def _now() -> str:
    return datetime.now(timezone.utc).astimezone(VN_TZ).isoformat(timespec="seconds")


def _seconds_since_1900(iso: str) -> int | None:
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=VN_TZ)
    secs = int((dt - _EPOCH_1900).total_seconds())
    return secs if 0 <= secs < (1 << 33) else None


def rowid_base(published_at: str | None) -> int | None:
    """First row id of the slot for this publication second (None: undated)."""
    if not published_at:
        return None
    secs = _seconds_since_1900(published_at)
    if secs is None:
        return None
    return UNDATED_LIMIT + (secs << 20)


def _bound(value: str, end: bool) -> int:
    """Row id bound for a --since/--until value (ISO date or datetime; a bare date covers its whole day)."""
    v = value.strip()
    if len(v) == 10:  # a date
        v = v + ("T23:59:59" if end else "T00:00:00")
    dt = datetime.fromisoformat(v)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=VN_TZ)
    secs = max(0, int((dt - _EPOCH_1900).total_seconds()))
    return UNDATED_LIMIT + (secs << 20) + ((1 << 20) - 1 if end else 0)


def _varints(data: bytes) -> list[int]:
    """SQLite varints (FTS5's docsize and averages records): big-endian groups of 7 bits, the 9th byte whole."""
    out, i, n = [], 0, len(data)
    while i < n:
        v = 0
        for k in range(9):
            b = data[i]
            i += 1
            if k == 8:
                v = (v << 8) | b
                break
            v = (v << 7) | (b & 0x7F)
            if not b & 0x80:
                break
        out.append(v)
    return out


def _int_list(s: str | None) -> np.ndarray:
    """A ``group_concat`` of integers → an int64 array (numpy's text parser: ~20× faster than ``split``)."""
    if not s:
        return np.zeros(0, np.int64)
    return np.fromstring(s, dtype=np.int64, sep=",")


def facet_arrays_from(by_outlet: Iterable[tuple[str | None, str | None]], dups: str | None, mentions: str | None,
                      by_topic: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    """The facet arrays (``SQLiteArchive.facet_arrays``) from what either store reads: (outlet, its row ids as
    "1,2,…"), the copies as "rowid,canonical,…", the mentions as "rowid,eid,n,…", (topic, its row ids)."""
    rowids, codes, outlets = [], [], []
    for outlet, ids in by_outlet:
        arr = _int_list(ids)
        rowids.append(arr)
        codes.append(np.full(len(arr), -1 if outlet is None else len(outlets), dtype=np.int32))
        if outlet is not None:
            outlets.append(outlet)
    d = _int_list(dups).reshape(-1, 2)
    m = _int_list(mentions).reshape(-1, 3)
    topics, topic_rows = [], []
    for topic, ids in by_topic:
        topics.append(topic)
        topic_rows.append(_int_list(ids))
    return {"topics": topics, "topic_rowids": topic_rows,
            "rowids": np.concatenate(rowids) if rowids else np.zeros(0, np.int64),
            "outlet": np.concatenate(codes) if codes else np.zeros(0, np.int32), "outlets": outlets,
            "dup_rowid": d[:, 0], "dup_canonical": d[:, 1],
            "mention_rowid": m[:, 0], "mention_eid": m[:, 1], "mention_n": m[:, 2]}


def stories_page_query(since: str | None, until: str | None, min_size: int, before: tuple[str, int] | None,
                       limit: int, ph: str = "?", text: str = "{}") -> tuple[str, list[Any]]:
    """The SQL and arguments of ``stories_page`` for either store: ``ph`` its placeholder, ``text`` how a text
    column compares byte for byte (SQLite's default; PostgreSQL's needs ``COLLATE "C"``)."""
    last = text.format("coalesce(last_seen, '')")
    sql = f"SELECT id, title, first_seen, last_seen, size, outlets FROM stories WHERE size >= {ph}"
    args: list[Any] = [min_size]
    if since:
        sql += f" AND {text.format('last_seen')} >= {ph}"
        args.append(since)
    if until:
        sql += f" AND {text.format('first_seen')} <= {ph}"
        args.append(until if len(until) > 10 else until + "T23:59:59+07:00")
    if before is not None:
        sql += f" AND ({last} < {ph} OR ({last} = {ph} AND id < {ph}))"
        args.extend([before[0], before[0], before[1]])
    return sql + f" ORDER BY {last} DESC, id DESC LIMIT {int(limit)}", args


def date_range(column: str, since: str | None, until: str | None, ph: str = "?") -> tuple[list[str], list[Any]]:
    """The conditions (and their arguments) keeping rows whose ``column`` — an article's row id, which encodes its
    publication second — is within ``--since``/``--until`` (a bare date covers its whole day), for either store
    (``ph``: its placeholder)."""
    cond: list[str] = []
    args: list[Any] = []
    if since:
        cond.append(f"{column} >= {ph}")
        args.append(_bound(since, end=False))
    if until:
        cond.append(f"{column} <= {ph}")
        args.append(_bound(until, end=True))
    return cond, args


def and_date_range(column: str, since: str | None, until: str | None, ph: str = "?") -> tuple[str, list[Any]]:
    """``date_range`` as a suffix of a WHERE clause (" AND …", or "")."""
    cond, args = date_range(column, since, until, ph)
    return "".join(f" AND {c}" for c in cond), args


def quotes_query(speaker_keys: Sequence[str] | None, since: str | None, until: str | None, limit: int,
                 ph: str = "?") -> tuple[str, list[Any]]:
    """The SQL and arguments of ``quotes`` for either store (``ph``: its placeholder); rows → ``quote_dicts``."""
    where, args = ["NOT EXISTS (SELECT 1 FROM dedup_docs d WHERE d.rowid = q.article_rowid"
                   " AND d.dup_kind IS NOT NULL)"], []
    if speaker_keys is not None:
        where.append(f"q.speaker_key IN ({','.join([ph] * len(speaker_keys))})")
        args.extend(speaker_keys)
    cond, rargs = date_range("q.article_rowid", since, until, ph)
    where += cond
    args += rargs
    return ("SELECT q.speaker, q.role, q.text, a.id, a.title, a.published_at, a.outlet FROM quotes q"
            f" JOIN articles a ON a.rowid = q.article_rowid WHERE {' AND '.join(where)}"
            f" ORDER BY q.article_rowid DESC, q.seq LIMIT {int(limit)}", args)


def quote_dicts(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    return [{"speaker": sp, "speaker_role": ro, "text": tx, "id": i, "title": ti, "published_at": pu,
             "outlet": ou} for sp, ro, tx, i, ti, pu, ou in rows]


#: ``rejects_page``'s query (``ph``: the store's placeholder); its rows make ``rejects_with_keys``.
REJECTS_PAGE = ("SELECT rid, path, record, stage, reason, raw_sha256, size FROM rejects WHERE rid > {ph}"
                " ORDER BY rid LIMIT {limit}")


def rejects_with_keys(rows: Iterable[Sequence[Any]]) -> list[tuple[int, Reject]]:
    return [(r[0], Reject(path=r[1], record=r[2], stage=r[3], reason=r[4], raw_sha256=r[5], size=r[6]))
            for r in rows]


def _read_mmap() -> int:
    try:
        return max(0, int(os.environ.get("BANTIN_MMAP", READ_MMAP)))
    except ValueError:
        return READ_MMAP


def _chunks(seq: Sequence[Any], n: int) -> Iterator[list[Any]]:
    seq = list(seq)
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def band_arrays(items: Sequence[tuple[int, Sequence[int]]]) -> tuple[np.ndarray, np.ndarray]:
    """(keys, docs) of ``lsh_candidates``' items as int64 arrays sorted by key, then doc, each pair once (B-tree
    inserts in key order: no page is visited twice)."""
    n = sum(len(ks) for _, ks in items)
    keys = np.fromiter((k for _, ks in items for k in ks), dtype=np.int64, count=n)
    docs = np.repeat(np.fromiter((r for r, _ in items), dtype=np.int64, count=len(items)),
                     [len(ks) for _, ks in items])
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    if n > 1:
        first = np.ones(n, dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
        if not first.all():
            keys, docs = keys[first], docs[first]
    return keys, docs


def band_pairs(keys: np.ndarray, docs: np.ndarray) -> list[tuple[int, int]]:
    """The pairs (a, b), b < a, of documents sharing a key, each once (what a self-join of the band table on
    the key with ``b.doc < a.doc`` gives, DISTINCT), from ``band_arrays``' sorted keys: a numpy pass finds the
    keys held by more than one document, which are few."""
    if len(keys) < 2:
        return []
    same = np.flatnonzero(keys[1:] == keys[:-1])  # i: keys[i] == keys[i + 1]
    if not len(same):
        return []
    out: dict[tuple[int, int], None] = {}
    starts = same[np.r_[True, same[1:] != same[:-1] + 1]]  # first index of each run of one key
    for s in starts.tolist():
        e = s + 1
        while e < len(keys) and keys[e] == keys[s]:
            e += 1
        run = docs[s:e].tolist()  # ascending
        for j in range(1, len(run)):
            for i in range(j):
                out[(run[j], run[i])] = None
    return list(out)


#: Rows per INSERT of ``_insert_pairs`` (two parameters each: within SQLite's oldest limit of 999).
_ROWS_PER_INSERT = 499


def _insert_pairs(con: sqlite3.Connection, table: str, keys: np.ndarray, docs: np.ndarray) -> None:
    """INSERT OR IGNORE (key, doc) rows, ``_ROWS_PER_INSERT`` to a statement: executemany's cost per row was
    most of a first ingest's band inserts (0.25 s against 0.09 s for 320k rows)."""
    n = len(keys)
    step = 65536 - 65536 % _ROWS_PER_INSERT
    many = f"INSERT OR IGNORE INTO {table}(key, doc) VALUES" + ",".join(["(?,?)"] * _ROWS_PER_INSERT)
    for i in range(0, n, step):  # a slice at a time: Python ints for 2M band keys would cost ~150 MB
        flat = np.stack([keys[i:i + step], docs[i:i + step]], 1).ravel().tolist()
        full = len(flat) - len(flat) % (2 * _ROWS_PER_INSERT)
        for j in range(0, full, 2 * _ROWS_PER_INSERT):
            con.execute(many, flat[j:j + 2 * _ROWS_PER_INSERT])
        if full < len(flat):
            rest = flat[full:]
            con.execute(f"INSERT OR IGNORE INTO {table}(key, doc) VALUES" + ",".join(["(?,?)"] * (len(rest) // 2)),
                        rest)


def _why_readonly(path: str) -> str:
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "no write permission"


def _check_writable(path: str) -> None:
    """Raise ``ArchiveReadOnly`` before a write open of an archive that cannot be written (or created)."""
    d = os.path.dirname(os.path.abspath(path))
    if os.path.exists(path):
        if not os.access(path, os.W_OK):
            raise ArchiveReadOnly(f"archive {path} is read-only ({_why_readonly(path)}): it can be searched and "
                                  f"read (read commands; bantin.open(path, readonly=True)), not written")
        wal = path + "-wal"
        if not os.access(d, os.W_OK) and not (os.path.exists(wal) and os.access(wal, os.W_OK)):
            raise ArchiveReadOnly(f"archive {path} cannot be written: its folder {d} is read-only "
                                  f"({_why_readonly(d)}) and a write needs its -wal file there")
        return
    try:
        os.makedirs(d, exist_ok=True)
    except OSError as e:
        kind = {errno.ENOSPC: ArchiveFull, errno.EROFS: ArchiveReadOnly, errno.EACCES: ArchiveReadOnly,
                errno.EPERM: ArchiveReadOnly}.get(e.errno or 0, ArchiveUnavailable)
        raise kind(f"cannot create archive {path}: {e.strerror}") from e
    if not os.access(d, os.W_OK):
        raise ArchiveReadOnly(f"cannot create archive {path}: its folder is read-only ({_why_readonly(d)})")


#: Primary SQLite result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``).
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 8, 10, 11, 13, 14, 26
_LOW_SPACE = 1 << 20


def archive_error(e: sqlite3.Error, path: str) -> ArchiveError | None:
    """The archive error a storage failure is (full disk, read-only, not an archive); None for other errors."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    d = os.path.dirname(os.path.abspath(path))
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN, _SQLITE_FULL):
        try:
            free = shutil.disk_usage(d).free
        except OSError:
            free = None
        if primary == _SQLITE_FULL or (free is not None and free < _LOW_SPACE):
            return ArchiveFull(f"the disk holding archive {path} is full ({free or 0:,} bytes free): the write in "
                               f"progress was undone and what was stored before is intact; free some space and run "
                               f"the command again")
    if primary == _SQLITE_READONLY:
        return ArchiveReadOnly(f"archive {path} is read-only ({_why_readonly(d)}): it can be searched and read, "
                               f"not written")
    if primary in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
        return ArchiveUnavailable(f"{path} is not a bantin archive, or it is damaged ({e})")
    if primary == _SQLITE_CANTOPEN:
        return ArchiveUnavailable(f"cannot open archive {path} ({e})")
    return None


class SQLiteArchive:
    """The default archive backend."""

    def __init__(self, path: str, *, readonly: bool = False):
        self.path = path
        self.readonly = readonly
        self.immutable = False  # opened with immutable=1: read-only media or a full disk (no -shm possible)
        if os.path.isdir(path):
            raise ArchiveUnavailable(f"{path} is a directory, not an archive file: give the archive's file path")
        if readonly:
            self._migrate_if_needed()
            self.con = self._open_readonly()
        else:
            _check_writable(path)
            self.con = self._connect("")
        try:
            self.con.execute("PRAGMA busy_timeout=60000")
            if not readonly:
                self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=NORMAL")
            self.con.execute("PRAGMA foreign_keys=ON")
            self.con.execute("PRAGMA cache_size=-131072")
            self.con.execute("PRAGMA temp_store=MEMORY")
            if readonly:
                self.con.execute(f"PRAGMA mmap_size={_read_mmap()}")
            if not readonly:
                self._migrate()
            elif not self.con.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
                raise ArchiveUnavailable(f"{path} is not a bantin archive (an SQLite file without its tables)")
        except sqlite3.Error as e:
            self.con.close()
            raise archive_error(e, path) or ArchiveUnavailable(f"cannot open archive {path}: {e}") from e
        except BaseException:
            self.con.close()
            raise

    def _connect(self, query: str) -> sqlite3.Connection:
        uri = "file:" + pathname2url(os.path.abspath(self.path)) + query
        return sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None, check_same_thread=False)

    def _open_readonly(self) -> sqlite3.Connection:
        """A connection that writes nothing. Where the archive and its folder are writable, a normal one with
        ``query_only`` (so the last one out removes the -wal/-shm files, as after a write); else ``mode=ro``; else
        ``immutable=1``, where the WAL index (the -shm file) can neither be opened for writing nor created —
        read-only media, a full disk."""
        path = self.path
        if not os.path.exists(path):
            raise ArchiveUnavailable(f"no archive at {path} (`bantin ingest` creates one)")
        writable = os.access(path, os.W_OK) and os.access(os.path.dirname(os.path.abspath(path)), os.W_OK)
        err: sqlite3.Error | None = None
        for query, setup in ((("", "PRAGMA query_only=ON"),) if writable else ()) + (("?mode=ro", ""),):
            con = None
            try:
                con = self._connect(query)
                if setup:
                    con.execute(setup)
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return con
            except sqlite3.Error as e:
                if con is not None:
                    con.close()
                err = e
        wal = path + "-wal"
        if os.path.exists(wal) and os.path.getsize(wal) > 0:  # immutable=1 would not see what the log holds
            raise ArchiveUnavailable(f"cannot read archive {path}: its write-ahead log {wal} holds changes that can "
                                     f"only be read where its -shm file can be created or written ({err})")
        try:
            con = self._connect("?mode=ro&immutable=1")
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as e:
            raise archive_error(e, path) or ArchiveUnavailable(f"cannot open archive {path}: {e}") from e
        self.immutable = True
        return con

    def _migrate_if_needed(self) -> None:
        """Before a read-only open: an archive made by an older bantin is brought up to date if it is writable
        (reads need the new tables); on read-only media it is read as it is."""
        if not os.path.isfile(self.path) or not os.access(self.path, os.W_OK):
            return
        try:
            con = self._connect("?mode=ro")
            try:
                ours = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is not None
                pending = ours and self._pending(con)
            finally:
                con.close()
        except sqlite3.Error:
            return  # the read-only open says what is wrong
        if pending:
            try:
                SQLiteArchive(self.path).close()
            except ArchiveError:
                pass  # read-only after all, or full: read it as it is

    @staticmethod
    def _pending(con: sqlite3.Connection) -> bool:
        """Whether migrations (or the version record) are missing. Reads only."""
        try:
            applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
            row = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError:  # no such table: a new or pre-migration archive
            return True
        known = {v for v, _sql in MIGRATIONS}
        return applied != known or row is None or int(row[0]) != max(known)

    def _abort(self, e: BaseException) -> None:
        """After a failed write: roll back what is left of the transaction (SQLite has already rolled it back
        after some errors, a full disk among them) and raise a storage failure as the archive error it is."""
        if self.con.in_transaction:
            try:
                self.con.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        if isinstance(e, sqlite3.Error):
            err = archive_error(e, self.path)
            if err is not None:
                raise err from e

    # -- schema -------------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Apply every migration not yet applied, in version order, in one transaction.

        Applied versions are recorded one by one (``schema_migrations``), so migrations written on different
        branches (versions 2, 3, 4…) apply correctly whatever order they were merged in.
        """
        if not self._pending(self.con):
            return  # nothing to write: an up-to-date archive opens without a write (a full disk, a busy writer)
        names = {r[0] for r in self.con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if names and not names & {"articles", "meta", "schema_migrations"}:
            raise ArchiveUnavailable(f"{self.path} is not a bantin archive: it is an SQLite database with other "
                                     f"tables ({', '.join(sorted(names)[:5])})")
        cur = self.con.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at TEXT)")
            applied = {r[0] for r in cur.execute("SELECT version FROM schema_migrations")}
            row = cur.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row and not applied:  # an archive from before per-version tracking: versions up to it are in
                applied = {v for v, _sql in MIGRATIONS if v <= int(row[0])}
                cur.executemany("INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)",
                                [(v, _now()) for v in sorted(applied)])
            known = {v for v, _sql in MIGRATIONS}
            unknown = applied - known
            if unknown:
                raise ArchiveUnavailable(f"{self.path}: archive has schema migrations {sorted(unknown)} that this "
                                         f"version of bantin does not know; upgrade bantin")
            for v, sql in sorted(MIGRATIONS):
                if v in applied:
                    continue
                for stmt in sql.split(";\n"):
                    if stmt.strip():
                        cur.execute(stmt)
                cur.execute("INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)", (v, _now()))
            cur.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)",
                        (str(max(known)),))
            cur.execute("COMMIT")
        except BaseException as e:
            self._abort(e)
            raise

    @property
    def schema_version(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    # -- writing ------------------------------------------------------------------------------------------------
    def seen_inputs(self, keys: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        # one query per input file and 500 records (an ingest asks for every 64 records it reads: a query per
        # record cost the writer ~2 s per 100k articles)
        by_path: dict[str, list[tuple[str, str, str]]] = {}
        for k in keys:
            by_path.setdefault(k[0], []).append(k)
        out: set[tuple[str, str, str]] = set()
        for path, ks in by_path.items():
            wanted = set(ks)
            for part in _chunks(sorted({k[1] for k in ks}), 500):
                rows = self.con.execute(
                    f"SELECT record, raw_sha256 FROM provenance WHERE path=? AND record IN ({','.join('?' * len(part))})",
                    [path, *part])
                out.update(k for k in ((path, rec, sha) for rec, sha in rows) if k in wanted)
        return out

    def _new_rowid(self, cur: sqlite3.Cursor, published_at: str | None, taken: dict[int, int]) -> int:
        """Next free row id in the article's publication-second slot (``taken`` caches slots within a batch)."""
        base = rowid_base(published_at)
        if base is not None:
            nxt = taken.get(base)
            if nxt is None:
                row = cur.execute("SELECT max(rowid) FROM articles WHERE rowid BETWEEN ? AND ?",
                                  (base, base + (1 << 20) - 1)).fetchone()
                nxt = (row[0] + 1) if row[0] is not None else base
            if nxt < base + (1 << 20):
                taken[base] = nxt + 1
                return nxt
            # a million articles in one second: spill into the undated range
        nxt = taken.get(0)
        if nxt is None:
            row = cur.execute("SELECT max(rowid) FROM articles WHERE rowid < ?", (UNDATED_LIMIT,)).fetchone()
            nxt = (row[0] or 0) + 1
        taken[0] = nxt + 1
        return nxt

    def put(self, batch: Sequence[Prepared | Reject]) -> PutResult:
        res = PutResult()
        now = _now()
        cur = self.con.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            have_rejects = cur.execute("SELECT EXISTS(SELECT 1 FROM rejects)").fetchone()[0]
            taken: dict[int, int] = {}
            # articles of this batch already stored: one query per 500 ids, not one per article
            ids = list({item.article.id for item in batch if not isinstance(item, Reject)})
            known: dict[str, int] = {}
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                known.update(cur.execute(f"SELECT id, rowid FROM articles WHERE id IN ({','.join('?' * len(part))})",
                                         part).fetchall())
            arts, leads, texts, raws, provs, dds = [], [], [], [], [], []
            ments: list[tuple[int, str, str, str, int]] = []
            tops: list[tuple[int, str]] = []
            quotes: list[tuple[Any, ...]] = []
            for item in batch:
                if isinstance(item, Reject):
                    self._put_reject(cur, item, now)
                    res.rejected += 1
                    have_rejects = 1
                    continue
                a = item.article
                rowid = known.get(a.id)
                if rowid is None:
                    rowid = self._new_rowid(cur, a.published_at, taken)
                    known[a.id] = rowid
                    arts.append((rowid, a.id, a.title, a.published_at, a.outlet, a.url, a.external_id, a.views,
                                 a.language, item.doc, DOC_CODEC, now))
                    f = item.forms
                    leads.append((rowid, f.title, f.sapo))
                    texts.append((rowid, f.title, f.sapo, f.body))
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
                    known[a.id] = rowid
                    res.existing += 1
                    if item.copy:  # an exported copy of an article already here: nothing to add
                        continue
                for p in a.provenance:
                    if item.raw_sha256 is None or p.raw_sha256 == item.raw_sha256:  # a copy's older inputs: no bytes
                        raws.append((p.raw_sha256, item.raw_size, item.raw_codec, item.raw))
                    provs.append((rowid, p.path, p.record, p.raw_sha256, p.format, p.source, p.fetched_at, now))
            cur.executemany(
                "INSERT INTO articles(rowid, id, title, published_at, outlet, url, external_id, views, language, doc,"
                " doc_codec, added_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", arts)
            cur.executemany("INSERT INTO lead_fts(rowid, title, sapo) VALUES(?,?,?)", leads)
            cur.executemany("INSERT INTO text_fts(rowid, title, sapo, body) VALUES(?,?,?,?)", texts)
            if dds:
                cur.executemany("INSERT INTO dedup_docs(rowid, content_key, url_key, length, scheme, sig, lines,"
                                " vec) VALUES(?,?,?,?,?,?,?,?)", dds)
            cur.executemany("INSERT OR IGNORE INTO raws(sha256, size, codec, data) VALUES(?,?,?,?)", raws)
            cur.executemany(
                "INSERT OR IGNORE INTO provenance(article_rowid, path, record, raw_sha256, format, source,"
                " fetched_at, added_at) VALUES(?,?,?,?,?,?,?,?)", provs)
            if ments:
                self._put_mentions(cur, ments)
            self._put_facts(cur, tops, quotes)
            if have_rejects:  # an input that now makes an article is no longer a reject
                cur.executemany("DELETE FROM rejects WHERE path=? AND record=?", [(p[1], p[2]) for p in provs])
            cur.execute("COMMIT")
        except BaseException as e:
            self._abort(e)
            raise
        return res

    def _put_mentions(self, cur: sqlite3.Cursor, ments: list[tuple[int, str, str, str, int]]) -> None:
        cur.executemany("INSERT OR IGNORE INTO entities(name, type, key) VALUES(?,?,?)",
                        sorted({(n, t, k) for _r, n, t, k, _c in ments}))
        cur.executemany(
            "INSERT OR REPLACE INTO mentions(article_rowid, eid, n)"
            " SELECT ?, eid, ? FROM entities WHERE name=? AND type=?",
            [(r, c, n, t) for r, n, t, _k, c in ments])

    @staticmethod
    def _put_facts(cur: sqlite3.Cursor, tops: list[tuple[int, str]], quotes: list[tuple[Any, ...]]) -> None:
        if tops:
            cur.executemany("INSERT OR REPLACE INTO topics(article_rowid, topic) VALUES(?,?)", tops)
        if quotes:
            cur.executemany("INSERT OR REPLACE INTO quotes(article_rowid, seq, speaker, speaker_key, role, text)"
                            " VALUES(?,?,?,?,?,?)", quotes)

    def _put_reject(self, cur: sqlite3.Cursor, r: Reject, now: str) -> None:
        if r.raw_sha256 and r.payload is not None:
            data, codec = compress_raw(r.payload)
            cur.execute("INSERT OR IGNORE INTO raws(sha256, size, codec, data) VALUES(?,?,?,?)",
                        (r.raw_sha256, r.size if r.size is not None else len(r.payload), codec, data))
        # the latest verdict on an input replaces earlier ones (a retry under another --lang gives a new reason)
        cur.execute("DELETE FROM rejects WHERE path=? AND record=? AND raw_sha256 IS ? AND reason != ?",
                    (r.path, r.record, r.raw_sha256, r.reason))
        cur.execute(
            "INSERT OR IGNORE INTO rejects(path, record, stage, reason, raw_sha256, size, added_at)"
            " VALUES(?,?,?,?,?,?,?)",
            (r.path, r.record, r.stage, r.reason, r.raw_sha256, r.size, now))

    # -- reading ------------------------------------------------------------------------------------------------
    def _provenance(self, rowid: int) -> list[Provenance]:
        rows = self.con.execute(
            "SELECT path, record, raw_sha256, format, source, fetched_at FROM provenance WHERE article_rowid=?"
            " ORDER BY added_at, path, record", (rowid,)).fetchall()
        return [Provenance(*r) for r in rows]

    def _article(self, rowid: int, doc: bytes, codec: str) -> Article:
        return decode_doc(doc, self._provenance(rowid), codec)

    def get(self, id: str) -> Article | None:
        row = self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE id=?", (id,)).fetchone()
        if row is None:
            rows = self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE id LIKE ? LIMIT 2",
                                    (id.replace("%", "").replace("_", "") + "%",)).fetchall() if len(id) >= 6 else []
            if len(rows) != 1:
                return None
            row = rows[0]
        return self._article(*row)

    def get_raw(self, sha256: str) -> bytes | None:
        row = self.con.execute("SELECT data, codec FROM raws WHERE sha256=?", (sha256,)).fetchone()
        if row is None or row[0] is None:
            return None
        return decompress_raw(row[0], row[1])

    def iter_articles(self) -> Iterator[Article]:
        cur = self.con.execute("SELECT rowid, doc, doc_codec FROM articles ORDER BY rowid")
        for row in cur:
            yield self._article(*row)

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
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        first, last = c.execute(
            "SELECT min(published_at), max(published_at) FROM articles WHERE rowid >= ?", (UNDATED_LIMIT,)
        ).fetchone()
        outlets = c.execute(
            "SELECT coalesce(outlet, ''), count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, 1"
        ).fetchall()
        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.path.getsize(self.path + suffix)
            except OSError:
                pass
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "rejected": one("SELECT count(*) FROM rejects"),
            "inputs": one("SELECT count(*) FROM provenance"),
            "raw_inputs": one("SELECT count(*) FROM raws"),
            "dated": one(f"SELECT count(*) FROM articles WHERE rowid >= {UNDATED_LIMIT}"),
            "first_published": first,
            "last_published": last,
            "outlets": {o or "(unknown)": n for o, n in outlets},
            "topics": self.topic_counts(),
            "schema_version": self.schema_version,
            "db_path": os.path.abspath(self.path),
            "db_bytes": size,
        }

    # -- search -------------------------------------------------------------------------------------------------
    def search(self, query: Query, *, limit: int = 10, offset: int = 0,
               filters: Filters | None = None) -> list[HitRow]:
        need = offset + limit
        filters = filters or Filters()
        where, args = date_range("f.rowid", filters.since, filters.until)
        join = ""
        if filters.outlet:
            join = " JOIN articles a ON a.rowid = f.rowid"
            where.append("a.outlet = ? COLLATE NOCASE")
            args.append(filters.outlet)
        if filters.entity_keys is not None:
            eids = self._entity_ids(filters.entity_keys, filters.entity_type)
            if not eids:
                return []
            where.append(f"f.rowid IN (SELECT article_rowid FROM mentions WHERE eid IN ({','.join('?' * len(eids))}))")
            args.extend(eids)
        if filters.topic:
            where.append("f.rowid IN (SELECT article_rowid FROM topics WHERE topic = ?)")
            args.append(filters.topic)
        tiers: list[tuple[str, str, str, str]] = []  # (name, table, weights, form)
        forms = ["exact", "expanded"] if query.has_diacritics else ["expanded"]
        for form in forms:
            tiers.append((f"lead-{form}", "lead_fts", "10.0, 4.0", form))
            tiers.append((f"text-{form}", "text_fts", "10.0, 4.0, 1.0", form))
        found: dict[int, tuple[float, str, int]] = {}
        order: list[int] = []

        def fetch(table: str, weights: str, expr: str, before: int | None = None) -> list[tuple[int, float]]:
            """The tier's pool: the newest CANDIDATES matches (below row id ``before``), best BM25 first."""
            cond = " AND ".join([f"{table} MATCH ?"] + where + (["f.rowid < ?"] if before is not None else []))
            sql = (f"SELECT f.rowid, bm25({table}, {weights}) FROM {table}{join} WHERE {cond}"
                   f" ORDER BY f.rowid DESC LIMIT {CANDIDATES}")
            rows = self.con.execute(sql.replace("f.rowid", f"{table}.rowid"),
                                    [expr, *args, *([before] if before is not None else [])]).fetchall()
            rows.sort(key=lambda r: r[1])
            return rows

        def take(rows: list[tuple[int, float]], base: float, name: str, check: Any = None) -> int:
            """Add rows as hits (copies of one text are one hit: their canonical's). With ``check``, each text
            is read first, and only while hits are wanted. Returns how many texts were read."""
            canon = self._canonicals([r[0] for r in rows])
            n = 0
            for rowid, bm in rows:
                group = canon.get(rowid, rowid)
                if group in found:
                    continue
                if check is not None:
                    if len(order) >= need:
                        break
                    n += 1
                    if check(self._fields(rowid, name)) is None:
                        continue
                rel = -bm
                found[group] = (base + rel / (1.0 + rel), name, rowid)
                order.append(group)
            return n

        matches: dict[str, Any] = {}
        seen: dict[str, dict[tuple[int, int], set[tuple[str, ...]]]] = {}  # phrase spellings read, per form
        for rank, (name, table, weights, form) in enumerate(tiers):
            if len(order) >= need:
                break
            match = matches.get(form) or matches.setdefault(form, compile_search(query, form))
            if match.expr is None:
                break
            base = float(len(tiers) - rank)
            if match.check is None:  # the expression is exact: its newest CANDIDATES matches are the pool
                take(fetch(table, weights, match.expr), base, name)
                continue
            # FTS5 over-matches (a phrase of many spellings): the expression gives candidates, best first, whose
            # texts are read until there are enough hits (MAX_CHECKED texts at most). Each spelling of the phrase
            # read in a text is then looked up as an exact phrase, which finds the articles spelled alike unread.
            known = seen.setdefault(form, {})
            checked = 0

            def lookup() -> int:
                learned = match.learned(known)
                if learned is None:
                    return 0
                expr, needs_check = learned
                return take(fetch(table, weights, expr), base, name, match.check if needs_check else None)

            if known:  # spellings read in an earlier tier
                checked += lookup()
            before: int | None = None
            while len(order) < need and checked < MAX_CHECKED:
                rows = fetch(table, weights, match.expr, before)
                if not rows:
                    break
                before = min(r[0] for r in rows)
                canon = self._canonicals([r[0] for r in rows])
                for rowid, bm in rows:
                    if len(order) >= need or checked >= MAX_CHECKED:
                        break
                    group = canon.get(rowid, rowid)
                    if group in found:
                        continue
                    checked += 1
                    spelled = match.check(self._fields(rowid, name))
                    if spelled is None:
                        continue
                    rel = -bm
                    found[group] = (base + rel / (1.0 + rel), name, rowid)
                    order.append(group)
                    new = False
                    for key, spelling in spelled.items():
                        spells = known.setdefault(key, set())
                        if spelling not in spells and len(spells) < MAX_LEARNED:
                            spells.add(spelling)
                            new = True
                    if new:
                        checked += lookup()
                if len(rows) < CANDIDATES:
                    break
        hits: list[HitRow] = []
        page = order[offset:need]
        copies = self._copies(page)
        for group in page:
            score, tier, matched = found[group]
            show = group if group == matched or self._passes(group, filters) else matched
            row = self.con.execute("SELECT id, doc, doc_codec FROM articles WHERE rowid=?", (show,)).fetchone()
            if row is None:
                continue
            hits.append(HitRow(id=row[0], score=round(score, 6), tier=tier,
                               article=self._article(show, row[1], row[2]), copies=copies.get(group, 1)))
        return hits

    def _fields(self, rowid: int, tier: str) -> list[str]:
        """The texts a search tier's table indexed for an article (title, lead; and body for text tiers), as
        stored."""
        row = self.con.execute("SELECT doc, doc_codec FROM articles WHERE rowid=?", (rowid,)).fetchone()
        if row is None:
            return []
        texts = indexed_texts(decode_doc_dict(row[0], row[1]))  # a dict, not an Article: cheaper
        return list(texts[:2]) if tier.startswith("lead") else list(texts)

    def _canonicals(self, rowids: Sequence[int]) -> dict[int, int]:
        """Canonical row id of each of these articles that is a checked duplicate."""
        out: dict[int, int] = {}
        for chunk in _chunks(rowids, 500):
            q = ",".join("?" * len(chunk))
            out.update(self.con.execute(f"SELECT rowid, canonical FROM dedup_docs WHERE rowid IN ({q})"
                                        " AND dup_kind IS NOT NULL AND canonical IS NOT NULL", chunk))
        return out

    def _copies(self, canonicals: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for chunk in _chunks(canonicals, 500):
            q = ",".join("?" * len(chunk))
            out.update(self.con.execute(f"SELECT canonical, count(*) FROM dedup_docs WHERE canonical IN ({q})"
                                        " GROUP BY canonical", chunk))
        return out

    def _passes(self, rowid: int, filters: Filters) -> bool:
        """Whether an article satisfies the search filters (a canonical outside them is not shown)."""
        if filters.since and rowid < _bound(filters.since, end=False):
            return False
        if filters.until and rowid > _bound(filters.until, end=True):
            return False
        if filters.outlet:
            row = self.con.execute("SELECT 1 FROM articles WHERE rowid = ? AND outlet = ? COLLATE NOCASE",
                                   (rowid, filters.outlet)).fetchone()
            if row is None:
                return False
        if filters.topic:
            row = self.con.execute("SELECT 1 FROM topics WHERE article_rowid = ? AND topic = ?",
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
            if extra:
                row.lines, row.vec, row.title, row.external_id = r[12:16]
            out.append(row)
        return out

    def meta_get(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def meta_set(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            self.con.execute("BEGIN IMMEDIATE")
            yield
            self.con.execute("COMMIT")
        except BaseException as e:
            self._abort(e)
            raise

    def dedup_pending(self) -> list[DedupRow]:
        """Articles not yet compared, oldest publication first (undated first, in ingest order)."""
        return self._dd_rows(f"SELECT {self._DD_COLS}, d.lines, d.vec, a.title, a.external_id FROM dedup_docs d"
                             " JOIN articles a ON a.rowid = d.rowid WHERE d.checked = 0 ORDER BY d.rowid", extra=True)

    def dedup_missing(self) -> list[int]:
        """Row ids of articles without dedup keys (stored before dedup existed)."""
        return [r[0] for r in self.con.execute(
            "SELECT a.rowid FROM articles a LEFT JOIN dedup_docs d ON d.rowid = a.rowid WHERE d.rowid IS NULL")]

    def dedup_stale(self, scheme: str) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT rowid FROM dedup_docs WHERE scheme <> ?", (scheme,))]

    def articles_by_rowid(self, rowids: Sequence[int]) -> Iterator[tuple[int, Article]]:
        for chunk in _chunks(rowids, 500):
            q = ",".join("?" * len(chunk))
            for r in self.con.execute(f"SELECT rowid, doc, doc_codec FROM articles WHERE rowid IN ({q})", chunk):
                yield r[0], decode_doc(r[1], [], r[2])

    def search_cards(self, rowids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The documents without their annotations (``decode_doc_head``); the topic from the ``topics`` table,
        which is written with the document and holds its ``annotations["topic"]``."""
        out: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(rowids, 500):
            q = ",".join("?" * len(chunk))
            for r in self.con.execute(f"SELECT a.rowid, a.doc, a.doc_codec, t.topic FROM articles a"
                                      f" LEFT JOIN topics t ON t.article_rowid = a.rowid WHERE a.rowid IN ({q})",
                                      chunk):  # one statement (a topic row per article at most: its key)
                d = decode_doc_head(r[1], r[2])
                d["topic"] = r[3]
                out[r[0]] = d
        return out

    def dedup_set_keys(self, rows: Sequence[tuple[int, Any]]) -> None:
        """(rowid, DedupKeys): (re)write an article's keys; it becomes unchecked and leaves its group."""
        self.con.executemany(
            "INSERT OR REPLACE INTO dedup_docs(rowid, content_key, url_key, length, scheme, sig, lines, vec, checked)"
            " VALUES(?,?,?,?,?,?,?,?,0)",
            [(r, k.content_key, k.url_key, k.length, k.scheme, k.sig, k.lines, k.vec) for r, k in rows])
        self.con.executemany("DELETE FROM lsh_bands WHERE doc = ?", [(r,) for r, _ in rows])

    def dedup_reset(self) -> None:
        """Forget every comparison (groups, bands, stories, learned boilerplate counts): the next run redoes all.
        The highest story id ever given is kept, so ids are never given twice."""
        c = self.con
        self.meta_set("stories.last_id", str(self.story_last_id()))
        c.execute("UPDATE dedup_docs SET canonical = NULL, dup_kind = NULL, similarity = NULL, checked = 0")
        for t in ("lsh_bands", "boilerplate_lines", "boilerplate_outlets", "stories", "story_members"):
            c.execute(f"DELETE FROM {t}")

    def dedup_find(self, content_keys: Iterable[str], url_keys: Iterable[str]) -> tuple[dict[str, int],
                                                                                      dict[str, int]]:
        """Canonical row id of an already checked article with each content key / URL key."""
        ck: dict[str, int] = {}
        uk: dict[str, int] = {}
        for keys, col, out in ((list(set(content_keys)), "content_key", ck), (list(set(url_keys)), "url_key", uk)):
            for chunk in _chunks(keys, 500):
                q = ",".join("?" * len(chunk))
                for k, can in self.con.execute(
                        f"SELECT {col}, min(canonical) FROM dedup_docs WHERE checked = 1 AND {col} IN ({q})"
                        f" GROUP BY {col}", chunk):
                    out[k] = can
        return ck, uk

    def lsh_candidates(self, items: Sequence[tuple[int, Sequence[int]]]) -> list[tuple[int, int]]:
        """Insert each article's band keys; return the pairs (article, other) sharing a band key, with ``other``
        either stored before or earlier in ``items`` (each pair once). Pairs among the new articles come from the
        sorted keys (``band_pairs``); pairs with stored articles from one indexed join, made only when bands are
        stored (a first ingest into an archive has none: its keys go straight into their table)."""
        c = self.con
        keys, docs = band_arrays(items)
        pairs = band_pairs(keys, docs)
        if c.execute("SELECT EXISTS(SELECT 1 FROM lsh_bands)").fetchone()[0]:
            c.execute("CREATE TEMP TABLE IF NOT EXISTS new_bands(key INTEGER NOT NULL, doc INTEGER NOT NULL,"
                      " PRIMARY KEY(key, doc)) WITHOUT ROWID")
            c.execute("DELETE FROM temp.new_bands")
            _insert_pairs(c, "temp.new_bands", keys, docs)
            stored = c.execute("SELECT DISTINCT n.doc, b.doc FROM temp.new_bands n JOIN lsh_bands b ON b.key = n.key"
                               " WHERE b.doc <> n.doc").fetchall()
            c.execute("INSERT OR IGNORE INTO lsh_bands(key, doc) SELECT key, doc FROM temp.new_bands")
            c.execute("DELETE FROM temp.new_bands")
            pairs = stored + pairs
        else:
            _insert_pairs(c, "lsh_bands", keys, docs)
        return list(dict.fromkeys(pairs))

    def dedup_rows(self, rowids: Iterable[int]) -> list[DedupRow]:
        out: list[DedupRow] = []
        for chunk in _chunks(list(set(rowids)), 500):
            q = ",".join("?" * len(chunk))
            out += self._dd_rows(f"SELECT {self._DD_COLS} FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                                 f" WHERE d.rowid IN ({q})", chunk)
        return out

    def dedup_group_rows(self, canonicals: Iterable[int]) -> list[DedupRow]:
        """Every checked member of the groups with these canonical row ids."""
        out: list[DedupRow] = []
        for chunk in _chunks(list(set(canonicals)), 500):
            q = ",".join("?" * len(chunk))
            out += self._dd_rows(f"SELECT {self._DD_COLS} FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                                 f" WHERE d.canonical IN ({q})", chunk)
        return out

    def dedup_save(self, assign: Sequence[tuple[int, int, str | None, float | None]]) -> None:
        """(rowid, canonical, kind, similarity) for each article; all of them become checked."""
        self.con.executemany("UPDATE dedup_docs SET canonical = ?, dup_kind = ?, similarity = ?, checked = 1"
                             " WHERE rowid = ?", [(c, k, s, r) for r, c, k, s in assign])

    def duplicates(self, id: str) -> tuple[Article | None, list[DedupRow]]:
        """An article's duplicate group: (its canonical, every member with kind and similarity)."""
        row = self.con.execute("SELECT d.canonical FROM dedup_docs d JOIN articles a ON a.rowid = d.rowid"
                               " WHERE a.id = ?", (id,)).fetchone()
        if row is None or row[0] is None:
            return None, []
        members = self.dedup_group_rows([row[0]])
        members.sort(key=lambda m: (m.dup_kind is not None, m.published_at or "~", m.rowid))
        can = self.con.execute("SELECT rowid, doc, doc_codec FROM articles WHERE rowid = ?", (row[0],)).fetchone()
        return (self._article(*can) if can else None), members

    # boilerplate --------------------------------------------------------------------------------------------
    def boilerplate_count(self, outlet: str, articles: int, hashes: Sequence[int]) -> None:
        """Add ``articles`` articles and the lines they hold (one hash per article and line) to an outlet."""
        self.con.execute("INSERT INTO boilerplate_outlets(outlet, articles, version, hashes) VALUES(?, ?, '', x'')"
                         " ON CONFLICT(outlet) DO UPDATE SET articles = articles + excluded.articles",
                         (outlet, articles))
        counts: dict[int, int] = {}
        for h in hashes:
            counts[h] = counts.get(h, 0) + 1
        self.con.executemany("INSERT INTO boilerplate_lines(outlet, hash, n) VALUES(?, ?, ?) ON CONFLICT(outlet, hash)"
                             " DO UPDATE SET n = n + excluded.n", [(outlet, h, n) for h, n in counts.items()])

    def boilerplate_outlet(self, outlet: str, min_count: int) -> tuple[int, str, bytes, list[tuple[int, int]]]:
        """(articles counted, learned version, learned hashes blob, (hash, count) of lines over ``min_count``)."""
        row = self.con.execute("SELECT articles, version, hashes FROM boilerplate_outlets WHERE outlet = ?",
                               (outlet,)).fetchone()
        if row is None:
            return 0, "", b"", []
        over = self.con.execute("SELECT hash, n FROM boilerplate_lines WHERE outlet = ? AND n >= ? ORDER BY hash",
                                (outlet, min_count)).fetchall()
        return row[0], row[1], row[2], over

    def boilerplate_learned(self) -> dict[str, tuple[str, bytes]]:
        return {o: (v, h) for o, v, h in self.con.execute(
            "SELECT outlet, version, hashes FROM boilerplate_outlets WHERE version <> ''")}

    def boilerplate_set(self, outlet: str, version: str, hashes: bytes) -> None:
        self.con.execute("UPDATE boilerplate_outlets SET version = ?, hashes = ? WHERE outlet = ?",
                         (version, hashes, outlet))

    def outlet_lines(self, outlet: str) -> list[tuple[int, bytes | None]]:
        """(rowid, short-line hashes) of every article of an outlet."""
        return self.con.execute("SELECT a.rowid, d.lines FROM articles a JOIN dedup_docs d ON d.rowid = a.rowid"
                                " WHERE a.outlet = ? ORDER BY a.rowid", (outlet,)).fetchall()

    def rowids_of_outlet(self, outlet: str) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT rowid FROM articles WHERE outlet = ? ORDER BY rowid",
                                               (outlet,))]

    def replace_text(self, rowid: int, old: IndexForms, new: Prepared) -> None:
        """Rewrite an article's stored document and full-text rows (its raw input and provenance stay)."""
        self.con.execute("INSERT INTO lead_fts(lead_fts, rowid, title, sapo) VALUES('delete', ?, ?, ?)",
                         (rowid, old.title, old.sapo))
        self.con.execute("INSERT INTO text_fts(text_fts, rowid, title, sapo, body) VALUES('delete', ?, ?, ?, ?)",
                         (rowid, old.title, old.sapo, old.body))
        f = new.forms
        self.con.execute("INSERT INTO lead_fts(rowid, title, sapo) VALUES(?, ?, ?)", (rowid, f.title, f.sapo))
        self.con.execute("INSERT INTO text_fts(rowid, title, sapo, body) VALUES(?, ?, ?, ?)",
                         (rowid, f.title, f.sapo, f.body))
        self.con.execute("UPDATE articles SET doc = ?, doc_codec = ?, title = ? WHERE rowid = ?",
                         (new.doc, DOC_CODEC, new.article.title, rowid))
        if "entities" in new.article.annotations:  # mentions in removed lines are gone from the counts too
            self.con.execute("DELETE FROM mentions WHERE article_rowid = ?", (rowid,))
            if new.entities:
                self._put_mentions(self.con.cursor(), [(rowid, *e) for e in new.entities])
        if "quotes" in new.article.annotations:  # and so are quotes (bantin quotes, bantin entity)
            self.con.execute("DELETE FROM quotes WHERE article_rowid = ?", (rowid,))
            self._put_facts(self.con.cursor(), [], [(rowid, i, *q) for i, q in enumerate(new.quotes)])

    # stories ------------------------------------------------------------------------------------------------
    def story_window(self, since: str, until: str) -> list[tuple[int, int, str, bytes]]:
        """(doc, story, published_at, vec) of story members published in [since, until] that carry a vector."""
        return self.con.execute(
            "SELECT m.doc, m.story, a.published_at, d.vec FROM story_members m JOIN articles a ON a.rowid = m.doc"
            " JOIN dedup_docs d ON d.rowid = m.doc WHERE m.doc BETWEEN ? AND ? AND d.vec IS NOT NULL"
            " AND d.dup_kind IS NULL", (_bound(since, False), _bound(until, True))).fetchall()

    def story_of(self, rowids: Iterable[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for chunk in _chunks(list(set(rowids)), 500):
            q = ",".join("?" * len(chunk))
            out.update(self.con.execute(f"SELECT doc, story FROM story_members WHERE doc IN ({q})", chunk))
        return out

    def story_last_id(self) -> int:
        """The highest story id ever given (stories that became empty are deleted; their ids are not reused)."""
        return self.con.execute(
            "SELECT max(coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'stories.last_id'), 0),"
            " coalesce((SELECT max(id) FROM stories), 0))").fetchone()[0]

    def story_new(self) -> int:
        sid = self.story_last_id() + 1  # story ids are in URLs: never one that was given before
        self.con.execute("INSERT INTO stories(id, title, rep, size, outlets, updated_at) VALUES(?, '', 0, 0, '[]', ?)",
                         (sid, _now()))
        self.meta_set("stories.last_id", str(sid))
        return sid

    def story_memberships(self) -> dict[int, set[int]]:
        """{story id: row ids of its members}."""
        out: dict[int, set[int]] = {}
        for story, doc in self.con.execute("SELECT story, doc FROM story_members"):
            out.setdefault(story, set()).add(doc)
        return out

    def story_renumber(self, ids: dict[int, int], last_id: int) -> None:
        """Give stories new ids (``ids``: current → new; the new ones are free or among the current ones) and
        record ``last_id`` as the highest id given."""
        if ids:
            c = self.con
            c.executemany("UPDATE stories SET id = ? WHERE id = ?", [(-cur, cur) for cur in ids])
            c.executemany("UPDATE story_members SET story = ? WHERE story = ?", [(-cur, cur) for cur in ids])
            c.executemany("UPDATE stories SET id = ? WHERE id = ?", [(new, -cur) for cur, new in ids.items()])
            c.executemany("UPDATE story_members SET story = ? WHERE story = ?", [(new, -cur) for cur, new in ids.items()])
        self.meta_set("stories.last_id", str(last_id))

    def story_add(self, members: Sequence[tuple[int, int, float | None]]) -> None:
        """(doc, story, similarity): put articles in stories (moving them if they were elsewhere)."""
        self.con.executemany("INSERT OR REPLACE INTO story_members(doc, story, similarity) VALUES(?, ?, ?)",
                             [(d, s, sim) for d, s, sim in members])

    def story_refresh(self, story_ids: Iterable[int], pick_title) -> None:
        """Recompute first/last seen, size, outlets and the representative of each story (``pick_title`` gets the
        members' (rowid, title, vec, is_canonical) and returns the representative's rowid)."""
        now = _now()
        for sid in set(story_ids):
            rows = self.con.execute(
                "SELECT a.rowid, a.title, a.published_at, a.outlet, d.vec, d.dup_kind FROM story_members m"
                " JOIN articles a ON a.rowid = m.doc LEFT JOIN dedup_docs d ON d.rowid = m.doc WHERE m.story = ?"
                " ORDER BY a.rowid", (sid,)).fetchall()
            if not rows:
                self.con.execute("DELETE FROM stories WHERE id = ?", (sid,))
                continue
            dates = [r[2] for r in rows if r[2]]
            outlets = sorted({r[3] for r in rows if r[3]})
            rep = pick_title([(r[0], r[1], r[4], r[5] is None) for r in rows])
            title = next(r[1] for r in rows if r[0] == rep)
            self.con.execute("UPDATE stories SET title = ?, rep = ?, first_seen = ?, last_seen = ?, size = ?,"
                             " outlets = ?, updated_at = ? WHERE id = ?",
                             (title, rep, min(dates) if dates else None, max(dates) if dates else None, len(rows),
                              json.dumps(outlets, ensure_ascii=False), now, sid))

    def stories(self, *, since: str | None = None, limit: int | None = None, min_size: int = 1,
                members: bool = True) -> list[StoryRow]:
        sql = "SELECT id, title, first_seen, last_seen, size, outlets FROM stories WHERE size >= ?"
        args: list[Any] = [min_size]
        if since:
            sql += " AND last_seen >= ?"
            args.append(since)
        sql += " ORDER BY last_seen DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out = [StoryRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in self.con.execute(sql, args)]
        if members:
            for st in out:
                st.members = self._story_members(st.id)
        return out

    def story(self, story_id: int) -> StoryRow | None:
        r = self.con.execute("SELECT id, title, first_seen, last_seen, size, outlets FROM stories WHERE id = ?",
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
            " WHERE m.story = ? ORDER BY a.rowid", (sid,)).fetchall()
        return [{"id": r[0], "external_id": r[1], "title": r[2], "published_at": r[3], "outlet": r[4], "url": r[5],
                 "similarity": None if r[6] is None else round(r[6], 4), "duplicate_of": r[8]} for r in rows]

    def story_id_of(self, id: str) -> int | None:
        row = self.con.execute("SELECT m.story FROM story_members m JOIN articles a ON a.rowid = m.doc"
                               " WHERE a.id = ?", (id,)).fetchone()
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
        out: dict[str, FrontierRow] = {}
        urls = list(dict.fromkeys(urls))
        for i in range(0, len(urls), 500):
            part = urls[i:i + 500]
            for row in self._frontier_select(f"url IN ({','.join('?' * len(part))})", part):
                out[row.url] = row
        return out

    def frontier_put(self, rows: Sequence[FrontierRow], raws: Sequence[tuple[str, bytes]] = ()) -> None:
        now = _now()
        cols = self._FRONTIER_COLS
        sql = (f"INSERT INTO frontier({', '.join(cols)}, added_at) VALUES({', '.join('?' * (len(cols) + 1))})"
               f" ON CONFLICT(url) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in cols if c != 'url')}")
        values = []
        for r in rows:
            v = [getattr(r, c) for c in cols]
            v[self._STORED_I] = int(r.stored)
            v[self._HINTS_I] = orjson.dumps(r.hints).decode() if r.hints else None
            v.append(now)
            values.append(v)
        cur = self.con.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for sha, payload in raws:
                data, codec = compress_raw(payload)
                cur.execute("INSERT OR IGNORE INTO raws(sha256, size, codec, data) VALUES(?,?,?,?)",
                            (sha, len(payload), codec, data))
            cur.executemany(sql, values)
            cur.execute("COMMIT")
        except BaseException as e:
            self._abort(e)
            raise

    def frontier_due(self, now: float, *, host: str | None = None, limit: int = 100) -> list[FrontierRow]:
        # queued rows are due at once; retry rows at next_attempt_at. Both walk an index in (priority, rowid)
        # order, so a million-URL frontier costs the same as a small one.
        hc, args = ("AND host = ?", [host]) if host is not None else ("", [])
        rows = self._frontier_select(f"state = 'queued' {hc}", args, f"ORDER BY priority, rowid LIMIT {int(limit)}")
        if len(rows) < limit:
            rows += self._frontier_select(f"state = 'retry' {hc} AND next_attempt_at <= ?", [*args, now],
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
        where, args = ["1"], []
        if states:
            where.append(f"state IN ({','.join('?' * len(states))})")
            args.extend(states)
        if run is not None:
            where.append("run = ?")
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
        """An OS file lock on ``<archive>-crawl.lock`` (filelock: flock/LockFileEx), so the kernel releases it
        when the crawling process dies, however it dies; the empty file stays, as SQLite's -wal and -shm do."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.path + "-crawl.lock", timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise ArchiveBusy(f"another crawl is running on {self.path}") from None
        try:
            yield
        finally:
            lock.release()

    def crawl_run_start(self, seeds: Sequence[str], options: dict[str, Any]) -> int:
        cur = self.con.execute(
            "INSERT INTO crawl_runs(started_at, status, seeds, options) VALUES(?, 'running', ?, ?)",
            (_now(), orjson.dumps(list(seeds)).decode(), orjson.dumps(options).decode()))
        return int(cur.lastrowid or 0)

    def crawl_run_end(self, run: int, status: str) -> None:
        self.con.execute("UPDATE crawl_runs SET status=?, ended_at=? WHERE id=?", (status, _now(), run))

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
        return quote_dicts(self.con.execute(*quotes_query(speaker_keys, since, until, limit)).fetchall())

    def topic_counts(self) -> dict[str, int]:
        return dict(self.con.execute("SELECT topic, count(*) FROM topics GROUP BY topic"
                                     " ORDER BY count(*) DESC, topic"))  # as postgres.py: ties by code point

    # -- entities -----------------------------------------------------------------------------------------------
    def _entity_ids(self, keys: Sequence[str | EntityLookup], type: str | None = None) -> list[int]:  # noqa: A002
        looks = [k if isinstance(k, EntityLookup) else EntityLookup(k) for k in keys]
        looks = [k for k in looks if k.key]
        if not looks:
            return []
        wanted = sorted({k.key for k in looks})
        sql = f"SELECT eid, name, type, key FROM entities WHERE key IN ({','.join('?' * len(wanted))})"
        args: list[Any] = list(wanted)
        if type:
            sql += " AND type = ?"
            args.append(type)
        return [eid for eid, name, typ, key in self.con.execute(sql, args)
                if any(k.matches(name, typ, key) for k in looks)]

    def top_entities(self, *, type: str | None = None, since: str | None = None, until: str | None = None,  # noqa: A002
                     limit: int = 50) -> list[dict[str, Any]]:
        """Entities by number of articles mentioning them (and total mentions); copies of a text count once."""
        rng, args = and_date_range("m.article_rowid", since, until)
        rng += _NOT_A_COPY
        tcond = ""
        if type:
            tcond = " AND e.type = ?"
            args.append(type)
        rows = self.con.execute(
            "SELECT e.name, e.type, count(*) AS articles, sum(m.n) AS mentions FROM mentions m"
            f" JOIN entities e ON e.eid = m.eid WHERE 1=1{rng}{tcond}"
            f" GROUP BY m.eid ORDER BY articles DESC, mentions DESC, e.name LIMIT {int(limit)}", args).fetchall()
        return [{"name": n, "type": t, "articles": a, "mentions": k} for n, t, a, k in rows]

    def entity_profile(self, keys: Sequence[str | EntityLookup], *, type: str | None = None, limit: int = 20,  # noqa: A002
                       since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        """For each entity found by ``keys`` (``EntityLookup``s, or bare folded keys): counts, mentions per month,
        latest articles, co-occurring entities."""
        out = []
        rng, rargs = and_date_range("m.article_rowid", since, until)
        rng += _NOT_A_COPY
        for eid in self._entity_ids(keys, type):
            name, typ = self.con.execute("SELECT name, type FROM entities WHERE eid=?", (eid,)).fetchone()
            arts = self.con.execute(
                f"SELECT a.id, a.title, a.published_at, a.outlet, m.n FROM mentions m JOIN articles a"
                f" ON a.rowid = m.article_rowid WHERE m.eid = ?{rng} ORDER BY m.article_rowid DESC",
                [eid, *rargs]).fetchall()
            months: dict[str, int] = {}
            for _id, _t, pub, _o, n in arts:
                if pub:
                    months[pub[:7]] = months.get(pub[:7], 0) + n
            co = self.con.execute(
                "SELECT e.name, e.type, count(*) FROM mentions m2 JOIN entities e ON e.eid = m2.eid"
                f" WHERE m2.article_rowid IN (SELECT m.article_rowid FROM mentions m WHERE m.eid = ?{rng})"
                " AND m2.eid != ? GROUP BY m2.eid ORDER BY count(*) DESC, e.name LIMIT ?",
                [eid, *rargs, eid, limit]).fetchall()
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
        """Each article with its first provenance and raw bytes, in row order (reads in pages of 500 rows, so
        the archive may be written between pages)."""
        last = -1
        while True:
            rows = self.con.execute(
                "SELECT rowid, doc, doc_codec FROM articles WHERE rowid > ? ORDER BY rowid LIMIT 500",
                (last,)).fetchall()
            if not rows:
                return
            for rowid, doc, codec in rows:
                last = rowid
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
        cur = self.con.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute("PRAGMA defer_foreign_keys=ON")
            self._fts_delete(cur, rowid, old)
            self._forget_dedup(cur, rowid)
            new_rowid = rowid
            if rowid_base(a.published_at) != rowid_base(old.published_at):
                # row ids encode the publication second (date filters are row-id ranges): move the row
                new_rowid = self._new_rowid(cur, a.published_at, {})
                cur.execute("UPDATE articles SET rowid=? WHERE rowid=?", (new_rowid, rowid))
                cur.execute("UPDATE provenance SET article_rowid=? WHERE article_rowid=?", (new_rowid, rowid))
            cur.execute("DELETE FROM mentions WHERE article_rowid=?", (rowid,))
            cur.execute("DELETE FROM topics WHERE article_rowid=?", (rowid,))
            cur.execute("DELETE FROM quotes WHERE article_rowid=?", (rowid,))
            cur.execute(
                "UPDATE articles SET title=?, published_at=?, outlet=?, url=?, external_id=?, views=?, language=?,"
                " doc=?, doc_codec=?, updated_at=? WHERE rowid=?",
                (a.title, a.published_at, a.outlet, a.url, a.external_id, a.views, a.language, prepared.doc,
                 DOC_CODEC, now, new_rowid))
            f = prepared.forms
            cur.execute("INSERT INTO lead_fts(rowid, title, sapo) VALUES(?,?,?)", (new_rowid, f.title, f.sapo))
            cur.execute("INSERT INTO text_fts(rowid, title, sapo, body) VALUES(?,?,?,?)",
                        (new_rowid, f.title, f.sapo, f.body))
            if prepared.entities:
                self._put_mentions(cur, [(new_rowid, *e) for e in prepared.entities])
            self._put_facts(cur, [(new_rowid, prepared.topic)] if prepared.topic else [],
                            [(new_rowid, i, *q) for i, q in enumerate(prepared.quotes)])
            cur.execute("COMMIT")
        except BaseException as e:
            self._abort(e)
            raise
        return new_rowid

    def drop(self, rowid: int, old: Article, reject: Reject) -> None:
        now = _now()
        cur = self.con.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            self._fts_delete(cur, rowid, old)
            self._forget_dedup(cur, rowid)
            cur.execute("DELETE FROM mentions WHERE article_rowid=?", (rowid,))
            cur.execute("DELETE FROM topics WHERE article_rowid=?", (rowid,))
            cur.execute("DELETE FROM quotes WHERE article_rowid=?", (rowid,))
            cur.execute("DELETE FROM provenance WHERE article_rowid=?", (rowid,))
            cur.execute("DELETE FROM articles WHERE rowid=?", (rowid,))
            self._put_reject(cur, reject, now)
            cur.execute("COMMIT")
        except BaseException as e:
            self._abort(e)
            raise

    @staticmethod
    def _forget_dedup(cur: sqlite3.Cursor, rowid: int) -> None:
        """A re-extracted or dropped article's duplicate keys, bands and story place go: its keys are made again
        by the next ``dedup`` (``Bantin.reextract`` runs one from scratch, as other articles may point to it)."""
        cur.execute("DELETE FROM dedup_docs WHERE rowid=?", (rowid,))
        cur.execute("DELETE FROM lsh_bands WHERE doc=?", (rowid,))
        cur.execute("DELETE FROM story_members WHERE doc=?", (rowid,))

    @staticmethod
    def _fts_delete(cur: sqlite3.Cursor, rowid: int, old: Article) -> None:
        """Contentless FTS5 rows are deleted with the 'delete' command and the values that were indexed,
        recomputed from the stored article with the same function that indexed them."""
        f = index_forms(old)
        cur.execute("INSERT INTO lead_fts(lead_fts, rowid, title, sapo) VALUES('delete', ?, ?, ?)",
                    (rowid, f.title, f.sapo))
        cur.execute("INSERT INTO text_fts(text_fts, rowid, title, sapo, body) VALUES('delete', ?, ?, ?, ?)",
                    (rowid, f.title, f.sapo, f.body))

    # -- the faces (bantin serve): whole-result facets, stable pages, the home page -------------------------------
    def data_version(self) -> int:
        """Changes whenever another connection (any process) commits to the archive (``PRAGMA data_version``)."""
        return int(self.con.execute("PRAGMA data_version").fetchone()[0])

    def facet_arrays(self) -> dict[str, Any]:
        """Every article's row id, outlet and topic, the duplicate copies (row id → canonical) and every mention
        (article row id, entity id, times named), as numpy arrays: what facets over a whole result set are counted
        from.
        Read with ``group_concat`` (one string per query, parsed by numpy): ~20× faster than row tuples."""
        c = self.con
        return facet_arrays_from(
            c.execute("SELECT outlet, group_concat(rowid) FROM articles GROUP BY outlet"),
            # a checked copy points to another row (the canonical points to itself): read from the canonical
            # index alone, not the table of signatures
            c.execute("SELECT group_concat(rowid || ',' || canonical) FROM dedup_docs WHERE canonical <> rowid"
                      ).fetchone()[0],
            c.execute("SELECT group_concat(article_rowid || ',' || eid || ',' || n) FROM mentions").fetchone()[0],
            c.execute("SELECT topic, group_concat(article_rowid) FROM topics GROUP BY topic"))

    @staticmethod
    def days_of(rowids: np.ndarray) -> np.ndarray:
        """Publication day of each row id (days since 1970-01-01, Vietnam time, as row ids encode the publication
        second); -1 for undated articles."""
        r = np.asarray(rowids, dtype=np.int64)
        if not len(r) or int(r.max()) < UNDATED_LIMIT:  # none dated (an archive of undated articles)
            return np.full(len(r), -1, np.int64)
        secs = (r - UNDATED_LIMIT) >> 20
        days = (secs - _SECONDS_1900_TO_1970 + 7 * 3600) // 86400
        return np.where(r >= UNDATED_LIMIT, days, -1)

    def _face_filters(self, table: str, filters: Filters) -> tuple[str, list[str], list[Any]] | None:
        """(join, conditions, args) for search filters on an FTS table; None when nothing can match (an entity
        the archive does not know)."""
        where, args = date_range(f"{table}.rowid", filters.since, filters.until)
        join = ""
        if filters.outlet:
            join = f" JOIN articles a ON a.rowid = {table}.rowid"
            where.append("a.outlet = ? COLLATE NOCASE")
            args.append(filters.outlet)
        if filters.entity_keys is not None:
            eids = self._entity_ids(filters.entity_keys, filters.entity_type)
            if not eids:
                return None
            where.append(f"{table}.rowid IN (SELECT article_rowid FROM mentions WHERE eid IN"
                         f" ({','.join('?' * len(eids))}))")
            args.extend(eids)
        if filters.topic:
            where.append(f"{table}.rowid IN (SELECT article_rowid FROM topics WHERE topic = ?)")
            args.append(filters.topic)
        return join, where, args

    def face_match(self, query: Query, form: str,
                   filters: Filters | None = None) -> tuple[str | None, Callable[[Sequence[str]], Any] | None]:
        """The FTS5 expression that matches exactly what ``search`` means by the query (and the check its matches
        still need, if any): ``compile_search``'s, or — where that over-matches, a phrase of many spellings typed
        without diacritics — the spellings of the phrase read in the newest candidates (``MAX_CHECKED`` texts at
        most, ``MAX_LEARNED`` spellings a phrase), as exact phrases, as ``search`` learns them. None: nothing
        matches."""
        match = compile_search(query, form)
        if match.expr is None or match.check is None:
            return match.expr, None
        f = self._face_filters("text_fts", filters or Filters())
        if f is None:
            return None, None
        join, where, args = f
        known: dict[tuple[int, int], set[tuple[str, ...]]] = {}
        checked, before = 0, None
        while checked < MAX_CHECKED:
            cond = " AND ".join(["text_fts MATCH ?", *where] + (["text_fts.rowid < ?"] if before is not None else []))
            rows = self.con.execute(f"SELECT text_fts.rowid FROM text_fts{join} WHERE {cond}"
                                    f" ORDER BY text_fts.rowid DESC LIMIT {CANDIDATES}",
                                    [match.expr, *args, *([before] if before is not None else [])]).fetchall()
            if not rows:
                break
            before = rows[-1][0]
            for (rowid,) in rows[:MAX_CHECKED - checked]:
                checked += 1
                for key, spelling in (match.check(self._fields(rowid, "text")) or {}).items():
                    spells = known.setdefault(key, set())
                    if len(spells) < MAX_LEARNED:
                        spells.add(spelling)
            if len(rows) < CANDIDATES:
                break
        learned = match.learned(known)
        if learned is None:
            return None, None
        expr, needs_check = learned
        return expr, (match.check if needs_check else None)

    def match_rowids(self, expr: str | None, filters: Filters | None = None,
                     check: Callable[[Sequence[str]], Any] | None = None) -> np.ndarray:
        """Row ids of every article matching ``expr`` (``face_match``'s: title, lead or body) and the filters,
        ascending — the whole result set, of which ``search`` ranks the best; with ``check``, those whose texts
        pass it."""
        f = self._face_filters("text_fts", filters or Filters())
        if expr is None or f is None:
            return np.zeros(0, np.int64)
        join, where, args = f
        cond = " AND ".join(["text_fts MATCH ?", *where])
        s = self.con.execute(f"SELECT group_concat(text_fts.rowid) FROM text_fts{join} WHERE {cond}",
                             [expr, *args]).fetchone()[0]
        out = _int_list(s)
        if len(out) > 1 and not (out[1:] > out[:-1]).all():  # FTS5 gives row id order; a join may not
            out = np.unique(out)
        if check is not None:
            out = np.array([r for r in out.tolist() if check(self._fields(r, "text")) is not None], np.int64)
        return out

    def ranked_rowids(self, exprs: Sequence[tuple[str, str | None]], filters: Filters | None = None,
                      check: Callable[[Sequence[str]], Any] | None = None) -> list[tuple[str, list[tuple[int, float]]]]:
        """The search tiers of these (form, expression)s, best first (title+lead, then full text, per form), each
        with the ``CANDIDATES`` newest matches as (row id, bm25) ranked by bm25 — as ``search`` ranks them, but
        every tier, unfolded (duplicate groups are the caller's)."""
        return [(f"{tier}-{form}", self.ranked_tier(tier, expr, filters, check))
                for form, expr in exprs for tier in ("lead", "text")]

    def ranked_tier(self, tier: str, expr: str | None, filters: Filters | None = None,
                    check: Callable[[Sequence[str]], Any] | None = None,
                    within: tuple[int, int] | None = None) -> list[tuple[int, float]]:
        """One tier of ``ranked_rowids`` ("lead": title+lead, "text": full text): the ``CANDIDATES`` newest matches
        as (row id, bm25), best first (ties: newest first). ``within``: every match with a row id in [lo, hi]."""
        f = self._face_filters("t", filters or Filters())
        if expr is None or f is None:
            return []
        table, weights = ("lead_fts", "10.0, 4.0") if tier == "lead" else ("text_fts", "10.0, 4.0, 1.0")
        join, where, args = f
        if within is not None:
            where = [*where, "t.rowid >= ?", "t.rowid <= ?"]
            args = [*args, *within]
        cond = " AND ".join([f"{table} MATCH ?", *where]).replace("t.rowid", f"{table}.rowid")
        sql = (f"SELECT {table}.rowid, bm25({table}, {weights}) FROM {table}"
               f"{join.replace('t.rowid', f'{table}.rowid')} WHERE {cond}"
               f" ORDER BY {table}.rowid DESC" + ("" if within else f" LIMIT {CANDIDATES}"))
        rows = self.con.execute(sql, [expr, *args]).fetchall()
        if check is not None:
            rows = [r for r in rows if check(self._fields(r[0], tier)) is not None]
        if len(rows) > 1:  # by bm25, ties newest first
            order = np.lexsort((-np.fromiter((r[0] for r in rows), np.int64, len(rows)),
                                np.fromiter((r[1] for r in rows), np.float64, len(rows))))
            rows = [rows[i] for i in order.tolist()]
        return rows

    def lead_index_arrays(self) -> dict[str, Any] | None:
        """The title+lead index (``lead_fts``) as arrays, for ranking its tier without FTS5 (``search.bm25``): each
        term's articles (row ids, ascending) with its weighted frequency there (10 a title occurrence, 4 a lead
        one: ``ranked_tier``'s weights), every row's size in tokens, and the row and token totals BM25 takes —
        what FTS5's ``bm25()`` reads, read once. One read transaction on a connection of its own (fts5vocab
        needs a temporary table, which a ``query_only`` connection may not make). None where it cannot be read."""
        try:
            con = self._connect("?mode=ro")
        except sqlite3.Error:
            return None
        try:
            con.execute(f"PRAGMA mmap_size={_read_mmap()}")
            con.execute("CREATE VIRTUAL TABLE temp.lead_vocab USING fts5vocab(main, 'lead_fts', 'instance')")
            con.execute("BEGIN")
            terms: list[str] = []
            starts, rowids, tfs = [0], [], []
            for term, docs, cols in con.execute(
                    "SELECT term, group_concat(doc), group_concat(iif(col = 'title', 1, 0)) FROM temp.lead_vocab"
                    " GROUP BY term"):
                d = _int_list(docs)
                w = np.where(_int_list(cols) == 1, 10.0, 4.0)
                first = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])  # a row's occurrences are adjacent
                terms.append(term)
                rowids.append(d[first])
                tfs.append(np.add.reduceat(w, first).astype(np.float32))
                starts.append(starts[-1] + len(first))
            sizes = con.execute("SELECT group_concat(id), group_concat(hex(sz), ',') FROM lead_fts_docsize").fetchone()
            avg = con.execute("SELECT block FROM lead_fts_data WHERE id = 1").fetchone()
            con.execute("COMMIT")
        except sqlite3.Error:
            return None
        finally:
            con.close()
        size_rowids = _int_list(sizes[0])
        size = np.array([sum(_varints(bytes.fromhex(h))) for h in (sizes[1] or "").split(",") if h] or [], np.int64)
        totals = _varints(avg[0]) if avg and avg[0] else [0]
        return {"terms": terms, "starts": np.array(starts, np.int64),
                "rowids": np.concatenate(rowids) if rowids else np.zeros(0, np.int64),
                "tf": np.concatenate(tfs) if tfs else np.zeros(0, np.float32),
                "size_rowids": size_rowids, "size": size, "rows": int(totals[0]), "tokens": int(sum(totals[1:]))}

    def term_rowids(self, token: str) -> np.ndarray:
        """Row ids of every article whose title, lead or body holds this index token (what the one-token FTS5
        phrase ``"token"`` matches), ascending. ``bantin.browse`` combines them for queries of single words."""
        s = self.con.execute("SELECT group_concat(rowid) FROM text_fts WHERE text_fts MATCH ?",
                             ('"' + token.replace('"', "") + '"',)).fetchone()[0]
        return _int_list(s)

    def rowids_of(self, ids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(list(ids), 500):
            q = ",".join("?" * len(chunk))
            out.update(self.con.execute(f"SELECT id, rowid FROM articles WHERE id IN ({q})", chunk))
        return out

    def entity_ids(self, keys: Sequence[str], type: str | None = None) -> list[int]:  # noqa: A002
        return self._entity_ids(keys, type)

    @staticmethod
    def rowid_bounds(since: str | None, until: str | None) -> tuple[int, int]:
        """The row id range of articles published in [since, until] (either open)."""
        return (_bound(since, end=False) if since else 0, _bound(until, end=True) if until else (1 << 62))

    def article_heads(self, rowids: Sequence[int]) -> dict[int, tuple[str, str, str | None, str | None]]:
        """(id, title, published_at, outlet) by row id."""
        out: dict[int, tuple[str, str, str | None, str | None]] = {}
        for chunk in _chunks(list(rowids), 500):
            q = ",".join("?" * len(chunk))
            out.update((r[0], r[1:]) for r in self.con.execute(
                f"SELECT rowid, id, title, published_at, outlet FROM articles WHERE rowid IN ({q})", chunk))
        return out

    def entity_names(self, eids: Sequence[int]) -> dict[int, tuple[str, str]]:
        out: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(list(eids), 500):
            q = ",".join("?" * len(chunk))
            out.update((e, (n, t)) for e, n, t in self.con.execute(
                f"SELECT eid, name, type FROM entities WHERE eid IN ({q})", chunk))
        return out

    def last_ingest(self) -> dict[str, Any]:
        """When articles were last added, how many in the day before that, and the latest crawl run."""
        at = self.con.execute("SELECT max(added_at) FROM provenance").fetchone()[0]
        recent = 0
        if at:
            since = (datetime.fromisoformat(at) - timedelta(days=1)).isoformat(timespec="seconds")
            recent = self.con.execute("SELECT count(DISTINCT article_rowid) FROM provenance WHERE added_at >= ?",
                                      (since,)).fetchone()[0]
        runs = self.crawl_runs(1)
        return {"at": at, "articles_day_before": recent, "crawl": runs[0] if runs else None}

    def stories_page(self, *, since: str | None = None, until: str | None = None, min_size: int = 1,
                     before: tuple[str, int] | None = None, limit: int = 20) -> list[StoryRow]:
        """Stories newest first (by last article), ``limit`` after the key ``before`` = (last_seen, id) of the
        previous page's last story: keyset pages, stable while stories are added."""
        sql, args = stories_page_query(since, until, min_size, before, limit)
        out = [StoryRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in self.con.execute(sql, args)]
        for st in out:
            st.members = self._story_members(st.id)
        return out

    def rejects_page(self, *, after: int = 0, limit: int = 50) -> list[tuple[int, Reject]]:
        """(key, reject) in the order they were stored, ``limit`` after the key ``after``."""
        return rejects_with_keys(self.con.execute(REJECTS_PAGE.format(ph="?", limit=int(limit)), (after,)))

    # -- copying a whole archive (bantin.migrate) ----------------------------------------------------------------
    def dump_rows(self, table: str, cols: Sequence[str], order: str) -> Iterator[tuple[Any, ...]]:
        """Every row of a table (the listed columns), in ``order`` — streamed from one read cursor."""
        yield from self.con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")

    def load_rows(self, table: str, cols: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows copied from another archive (inside ``transaction()``)."""
        verb = "INSERT OR REPLACE" if table == "meta" else "INSERT"
        self.con.executemany(f"{verb} INTO {table}({', '.join(cols)}) VALUES({', '.join('?' * len(cols))})",
                             [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows])

    def index_rows(self, items: Sequence[tuple[int, IndexForms]]) -> None:
        """Full-text rows for copied articles."""
        self.con.executemany("INSERT INTO lead_fts(rowid, title, sapo) VALUES(?,?,?)",
                             [(r, f.title, f.sapo) for r, f in items])
        self.con.executemany("INSERT INTO text_fts(rowid, title, sapo, body) VALUES(?,?,?,?)",
                             [(r, f.title, f.sapo, f.body) for r, f in items])

    def finish_load(self) -> None:
        pass

    # -- lifecycle ----------------------------------------------------------------------------------------------
    def optimize(self) -> None:
        """Merge full-text index segments (after a big ingest) and refresh planner statistics."""
        self.con.execute("INSERT INTO lead_fts(lead_fts) VALUES('optimize')")
        self.con.execute("INSERT INTO text_fts(text_fts) VALUES('optimize')")
        self.con.execute("PRAGMA optimize")

    def close(self) -> None:
        try:
            self.con.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.con.close()

    def __enter__(self) -> SQLiteArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

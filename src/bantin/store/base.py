"""The archive interface every backend implements (SQLite by default; PostgreSQL for teams).

The store never parses text: it receives ``Prepared`` records (the article, its index forms, its encoded
document and raw bytes, all computed in the pipeline) and ``Reject`` records, and answers queries that arrive
already parsed (``search.query.Query``).
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import orjson
import zstandard

from bantin.clean.fold import exact, fold
from bantin.model import Article, Provenance, Reject
from bantin.search.index import IndexForms, index_forms
from bantin.search.query import Query

if TYPE_CHECKING:
    from bantin.dedup import DedupKeys


class ArchiveError(Exception):
    """The archive cannot do what was asked; the message names the archive, says why and what to do."""


class ArchiveUnavailable(ArchiveError):
    """The archive cannot be opened: missing (for reading), a directory, not an archive, damaged, too new."""


class ArchiveFull(ArchiveError):
    """The disk holding the archive is full: the write in progress was rolled back, what was stored is intact."""


class ArchiveReadOnly(ArchiveError):
    """The archive is on read-only media or not writable: it can be read, not written."""


@dataclass(slots=True)
class Prepared:
    """An article ready to store: made in worker processes so the writer only writes."""

    article: Article
    forms: IndexForms
    doc: bytes  # encoded article (without provenance and raw)
    raw: bytes  # compressed raw payload
    raw_codec: str
    entities: list[tuple[str, str, str, int]] = field(default_factory=list)  # (name, type, key, mentions)
    dedup: DedupKeys | None = None  # content/URL keys, MinHash signature, story vector (bantin.dedup)
    raw_size: int = 0  # bytes of the uncompressed raw payload
    raw_sha256: str | None = None  # sha256 of the raw payload (None: that of every provenance entry)
    copy: bool = False  # a copy of an archived article (a bantin export record): adds nothing to one already there
    topic: str | None = None  # annotations["topic"]
    quotes: list[tuple[str | None, str, str | None, str]] = field(default_factory=list)  # (speaker, key, role, text)

    def for_writer(self) -> Prepared:
        """This record without what the writer never reads (the article's text, annotations and uncompressed raw:
        ``doc``, ``forms`` and ``raw`` already hold them), so sending it from a worker process costs half."""
        a = self.article
        slim = Article(id=a.id, title=a.title, published_at=a.published_at, outlet=a.outlet, url=a.url,
                       external_id=a.external_id, views=a.views, language=a.language, provenance=a.provenance,
                       flags=[f for f in a.flags if f.startswith("enrich-failed:")])  # for the ingest report
        return _ForWriter(slim, self.forms, self.doc, self.raw, self.raw_codec, self.entities, self.dedup,
                          self.raw_size, self.raw_sha256, self.copy, self.topic, self.quotes)


class _ForWriter(Prepared):
    """``Prepared.for_writer``'s record: pickled as one flat tuple of plain values (the way it travels from a
    worker process to the writer), not as five nested dataclasses: a third less CPU to pickle and unpickle."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        a, f, k = self.article, self.forms, self.dedup
        return (_writer_record, (
            a.id, a.title, a.published_at, a.outlet, a.url, a.external_id, a.views, a.language,
            [(p.path, p.record, p.raw_sha256, p.format, p.source, p.fetched_at) for p in a.provenance],
            f.title, f.sapo, f.body, self.doc, self.raw, self.raw_codec, self.entities,
            None if k is None else (k.content_key, k.url_key, k.length, k.scheme, k.sig, k.lines, k.vec),
            self.raw_size, self.raw_sha256, self.copy, self.topic, self.quotes, a.flags))


def _writer_record(id: str, title: str, published_at: str | None, outlet: str | None, url: str | None,  # noqa: A002
                   external_id: str | None, views: int | None, language: str | None,
                   provenance: list[tuple[Any, ...]], f_title: str, f_sapo: str, f_body: str, doc: bytes,
                   raw: bytes, raw_codec: str, entities: list[tuple[str, str, str, int]],
                   dedup: tuple[Any, ...] | None, raw_size: int, raw_sha256: str | None, copy: bool,
                   topic: str | None, quotes: list[tuple[str | None, str, str | None, str]],
                   flags: list[str]) -> _ForWriter:
    from bantin.dedup import DedupKeys

    slim = Article(id=id, title=title, published_at=published_at, outlet=outlet, url=url, external_id=external_id,
                   views=views, language=language, provenance=[Provenance(*p) for p in provenance], flags=flags)
    return _ForWriter(slim, IndexForms(f_title, f_sapo, f_body), doc, raw, raw_codec, entities,
                      None if dedup is None else DedupKeys(*dedup), raw_size, raw_sha256, copy, topic, quotes)


@dataclass(slots=True)
class DedupRow:
    """What the dedup step knows of a stored article (``dedup_docs`` joined with ``articles``)."""

    rowid: int
    id: str
    published_at: str | None
    outlet: str | None
    length: int
    content_key: str
    url_key: str | None
    scheme: str
    sig: bytes | None
    canonical: int | None = None
    dup_kind: str | None = None
    similarity: float | None = None
    lines: bytes | None = None
    vec: bytes | None = None
    title: str = ""
    external_id: str | None = None


@dataclass(slots=True)
class StoryRow:
    id: int
    title: str
    first_seen: str | None
    last_seen: str | None
    size: int
    outlets: list[str]
    members: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "first_seen": self.first_seen, "last_seen": self.last_seen,
                "size": self.size, "outlets": self.outlets, "members": self.members}


@dataclass(slots=True)
class PutResult:
    added: int = 0
    existing: int = 0  # already in the archive (maybe from another file: provenance added)
    rejected: int = 0
    added_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class HitRow:
    """A search hit as the store finds it; the library adds the snippet."""

    id: str
    score: float
    tier: str
    article: Article
    copies: int = 1  # articles in its duplicate group (the canonical stands for them)


@dataclass(slots=True)
class Filters:
    since: str | None = None  # ISO date/datetime, inclusive
    until: str | None = None  # ISO date/datetime, inclusive (a date means the whole day)
    outlet: str | None = None
    # articles mentioning an entity one of these finds (a bare key: any entity with that ``entity_key``)
    entity_keys: list[str | EntityLookup] | None = None
    entity_type: str | None = None
    topic: str | None = None  # one label of bantin.enrich.topic.TAXONOMY


DOC_CODEC = "zstd"
#: zstandard's compressor and decompressor objects are not thread-safe (shared by `bantin serve`'s reader threads,
#: one gave "Data corruption detected" and segfaults): one of each per thread.
_Z = threading.local()


def _zc() -> zstandard.ZstdCompressor:
    c = getattr(_Z, "c", None)
    if c is None:
        c = _Z.c = zstandard.ZstdCompressor(level=1)
    return c


def _zd() -> zstandard.ZstdDecompressor:
    d = getattr(_Z, "d", None)
    if d is None:
        d = _Z.d = zstandard.ZstdDecompressor()
    return d


def encode_doc(article: Article) -> bytes:
    d = article.to_dict()
    d.pop("provenance", None)
    return _zc().compress(orjson.dumps(d))


def check_storable(value: Any) -> None:
    """Raises what ``encode_doc`` would raise on ``value`` as part of an article (orjson takes no integer outside
    64 bits, no lone surrogate, no object it does not know): enrichers' annotations are checked with it."""
    orjson.dumps(value)


def decode_doc_dict(data: bytes, codec: str = DOC_CODEC) -> dict[str, Any]:
    """A stored document as the dict of ``Article.to_dict`` (without provenance)."""
    return orjson.loads(_zd().decompress(data) if codec == "zstd" else zlib.decompress(data))


_ANNOTATIONS = b',"annotations":'


def decode_doc_head(data: bytes, codec: str = DOC_CODEC) -> dict[str, Any]:
    """A stored document's dict without its annotations (mentions make up most of a document and most of what
    parsing it costs): ``encode_doc`` writes them last, so the JSON before them, closed, is the rest. Documents
    written otherwise (older codecs, other key orders) are parsed whole."""
    raw = _zd().decompress(data) if codec == "zstd" else zlib.decompress(data)
    i = raw.find(_ANNOTATIONS)  # structural: a quote inside a JSON string is escaped
    if i > 0:
        try:
            d = orjson.loads(raw[:i] + b"}")
        except orjson.JSONDecodeError:
            d = None
        if isinstance(d, dict) and "id" in d and "paragraphs" in d:
            return d
    d = orjson.loads(raw)
    d.pop("annotations", None)
    return d


def decode_doc(data: bytes, provenance: list[Provenance], codec: str = DOC_CODEC) -> Article:
    a = Article.from_dict(decode_doc_dict(data, codec))
    a.provenance = provenance
    return a


def compress_raw(payload: bytes) -> tuple[bytes, str]:
    """zstd level 1 (≈4× faster than zlib level 1 at the same ratio on news text); tiny inputs stay as they are."""
    if len(payload) < 256:
        return payload, "none"
    return _zc().compress(payload), "zstd"


def decompress_raw(data: bytes, codec: str) -> bytes:
    if codec == "zstd":
        return _zd().decompress(data)
    return zlib.decompress(data) if codec == "zlib" else data


def entity_key(name: str) -> str:
    """Lookup key of an entity name: folded (no diacritics, lower case, single spaces)."""
    return " ".join(fold(exact(name)).split())


def entity_exact(name: str) -> str:
    """An entity name's exact form: NFC, one tone-mark style, lower case, single spaces ("Thuỵ Sĩ" = "thụy sĩ")."""
    return " ".join(exact(name).split())


@dataclass(frozen=True, slots=True)
class EntityLookup:
    """Which stored entities a name stands for: those whose folded ``key`` is this one, of this ``type`` only
    (None: any), spelled exactly ``exact`` (an ``entity_exact`` form; None: any spelling that folds to the key).
    "thuy si" finds Thụy Sĩ (folded, any type); "Mỹ" finds Mỹ but not the person "My"; the alias "Hoa Kỳ" finds
    the place Mỹ (its canonical name, as a place only)."""

    key: str
    type: str | None = None
    exact: str | None = None

    def matches(self, name: str, type: str, key: str) -> bool:  # noqa: A002
        return key == self.key and (self.type is None or type == self.type) and (
            self.exact is None or entity_exact(name) == self.exact)


def prepare(article: Article) -> Prepared:
    """Pure: everything the store needs, computed where there are cores to spare."""
    raw, codec = compress_raw(article.raw or b"")
    ents: dict[tuple[str, str], int] = {}
    for m in article.annotations.get("entities", ()):
        if m.get("name"):
            k = (m["name"], m["type"])
            ents[k] = ents.get(k, 0) + 1
    return Prepared(article=article, forms=index_forms(article), doc=encode_doc(article), raw=raw, raw_codec=codec,
                    entities=[(n, t, entity_key(n), c) for (n, t), c in sorted(ents.items())],
                    raw_size=len(article.raw or b""), topic=article.annotations.get("topic"),
                    quotes=quote_rows(article))


def quote_rows(article: Article) -> list[tuple[str | None, str, str | None, str]]:
    """(speaker, speaker key, role, text) of each attributed quote of an annotated article."""
    out = []
    for q in article.annotations.get("quotes", ()):
        who = q.get("speaker_entity") or q.get("speaker")
        if who and q.get("text"):
            out.append((q.get("speaker"), entity_key(who), q.get("speaker_role"), q["text"]))
    return out


class ArchiveBusy(RuntimeError):
    """Another process is crawling into this archive (``Archive.crawl_lock``)."""


@dataclass(slots=True)
class FrontierRow:
    """One URL of the crawl frontier (``bantin.crawl``): what the crawler knows about it, persisted so a killed
    crawl resumes where it stopped. The store keeps rows; ``crawl/frontier.py`` decides what they mean."""

    url: str  # normalised (crawl/urls.py)
    host: str  # scheme://host[:port] — politeness and robots.txt are per host
    state: str = "queued"  # queued (due now) | retry (due at next_attempt_at) | fetched | failed | skipped | redirected
    kind: str = "seed"  # seed (not yet known) | feed | sitemap | page
    priority: int = 1  # lower first: feeds and sitemaps before pages
    run: int | None = None  # crawl run that last queued or fetched it
    discovered_from: str | None = None  # the feed/sitemap that listed it, or the URL that redirected here
    redirect_to: str | None = None
    attempts: int = 0  # failed attempts since the last success or requeue
    next_attempt_at: float | None = None  # unix time; queued/retry rows are due when this is <= now
    last_status: int | None = None  # HTTP status of the last response
    last_error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None  # ISO time the stored body was fetched
    checked_at: str | None = None  # ISO time of the last request (a 304 updates only this)
    raw_sha256: str | None = None  # body of the last 200, kept in the raws table
    stored: bool = False  # True once a fetched page went through the pipeline into the archive
    hints: dict[str, Any] = field(default_factory=dict)  # what the listing said (dates, title), response headers


@dataclass(slots=True)
class StoredInput:
    """An article in the archive and the raw input it was first read from."""

    rowid: int
    article: Article
    provenance: Provenance
    raw: bytes | None


class Archive(Protocol):
    path: str

    def put(self, batch: Sequence[Prepared | Reject]) -> PutResult: ...

    def seen_inputs(self, keys: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        """Which (path, record, raw_sha256) have already been ingested as articles."""
        ...

    def get(self, id: str) -> Article | None: ...

    def get_raw(self, sha256: str) -> bytes | None: ...

    def search(self, query: Query, *, limit: int = 10, offset: int = 0,
               filters: Filters | None = None) -> list[HitRow]: ...

    def stats(self) -> dict[str, Any]: ...

    def rejects(self, limit: int | None = None) -> list[Reject]: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def count(self) -> int:
        """Number of articles."""
        ...

    # -- facts (bantin.enrich.facts; Prepared.topic and Prepared.quotes) ------------------------------------------
    def quotes(self, speaker_keys: Sequence[str] | None = None, *, since: str | None = None,
               until: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Attributed quotes (speaker, speaker_role, text, id, title, published_at, outlet), newest first;
        ``speaker_keys``: only these speakers (``entity_key`` of the canonical name or printed speaker)."""
        ...

    def topic_counts(self) -> dict[str, int]: ...

    # -- crawl frontier (bantin.crawl) -------------------------------------------------------------------------
    def frontier_get(self, urls: Sequence[str]) -> dict[str, FrontierRow]: ...

    def frontier_put(self, rows: Sequence[FrontierRow], raws: Sequence[tuple[str, bytes]] = ()) -> None:
        """Insert or update rows (by url) and keep raw bodies (sha256, bytes) — one transaction."""
        ...

    def frontier_due(self, now: float, *, host: str | None = None, limit: int = 100) -> list[FrontierRow]:
        """Rows due at ``now`` (every queued row; retry rows whose time has come), of one host or all, lowest
        priority first, then in the order they were added."""
        ...

    def frontier_hosts(self) -> list[str]:
        """Hosts with queued or retry rows."""
        ...

    def frontier_next_due(self) -> float | None:
        """When the next row is due: 0 if a row is queued, else the earliest retry time (None: nothing waits)."""
        ...

    def frontier_rows(self, *, states: Sequence[str] = (), unstored: bool = False, run: int | None = None,
                      limit: int | None = None) -> list[FrontierRow]:
        """Rows in these states (all when empty), of one crawl run when ``run`` is given, in the order added."""
        ...

    def frontier_counts(self) -> dict[str, dict[str, int]]:
        """{state: {kind: count}}."""
        ...

    def crawl_lock(self) -> AbstractContextManager[None]:
        """Held for the whole of a crawl, so that two crawls never share one frontier (politeness per host and
        "nothing fetched twice" hold only within one crawler). Raises ``ArchiveBusy`` at once when another crawl
        of this archive holds it; released when the crawl ends or its process dies, even by SIGKILL."""
        ...

    def crawl_run_start(self, seeds: Sequence[str], options: dict[str, Any]) -> int: ...

    def crawl_run_end(self, run: int, status: str) -> None: ...

    def crawl_runs(self, limit: int = 1) -> list[dict[str, Any]]:
        """The latest runs, newest first: id, started_at, ended_at, status, seeds, options."""
        ...

    # -- re-extraction (bantin.reextract) ----------------------------------------------------------------------
    def iter_inputs(self, formats: Sequence[str] | None = None) -> Iterator[StoredInput]:
        """Every stored article with the raw input it was first read from (for re-extraction)."""
        ...

    def replace(self, rowid: int, prepared: Prepared, old: Article) -> int:
        """Put a re-extracted article in place of ``old`` (same id): document, key columns and full-text rows
        updated. Returns its row id (a new one only when its publication time changed)."""
        ...

    def drop(self, rowid: int, old: Article, reject: Reject) -> None:
        """Remove an article that its input no longer makes (re-extraction), keeping the input as a reject."""
        ...

    # duplicates and stories (bantin.dedup.run drives these; one transaction per run) ---------------------------
    def transaction(self) -> AbstractContextManager[None]: ...

    def meta_get(self, key: str) -> str | None: ...

    def meta_set(self, key: str, value: str) -> None: ...

    def dedup_pending(self) -> list[DedupRow]:
        """Articles with keys that were not compared yet, oldest publication first."""
        ...

    def dedup_missing(self) -> list[int]:
        """Row ids of articles without dedup keys."""
        ...

    def dedup_stale(self, scheme: str) -> list[int]:
        """Row ids whose signature was made under another hashing scheme."""
        ...

    def dedup_set_keys(self, rows: Sequence[tuple[int, DedupKeys]]) -> None: ...

    def dedup_reset(self) -> None: ...

    def dedup_find(self, content_keys: Iterable[str], url_keys: Iterable[str]) -> tuple[dict[str, int],
                                                                                      dict[str, int]]: ...

    def lsh_candidates(self, items: Sequence[tuple[int, Sequence[int]]]) -> list[tuple[int, int]]:
        """Store band keys; return pairs sharing a key with an article stored (or listed) before."""
        ...

    def dedup_rows(self, rowids: Iterable[int]) -> list[DedupRow]: ...

    def dedup_group_rows(self, canonicals: Iterable[int]) -> list[DedupRow]: ...

    def dedup_save(self, assign: Sequence[tuple[int, int, str | None, float | None]]) -> None: ...

    def duplicates(self, id: str) -> tuple[Article | None, list[DedupRow]]: ...

    def articles_by_rowid(self, rowids: Sequence[int]) -> Iterator[tuple[int, Article]]: ...

    def search_cards(self, rowids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """What a search page shows of each of these articles, by row id: the stored document's fields as
        ``Article.to_dict`` gives them (no provenance; ``annotations`` may be left out) and ``topic`` (its
        ``annotations["topic"]``), without building the articles. Articles not there are left out."""
        ...

    def replace_text(self, rowid: int, old: IndexForms, new: Prepared) -> None:
        """Rewrite an article's clean document and full-text rows, and the entity mentions and quotes that follow
        its text (raw and provenance stay)."""
        ...

    def boilerplate_count(self, outlet: str, articles: int, hashes: Sequence[int]) -> None: ...

    def boilerplate_outlet(self, outlet: str, min_count: int) -> tuple[int, str, bytes, list[tuple[int, int]]]: ...

    def boilerplate_set(self, outlet: str, version: str, hashes: bytes) -> None: ...

    def rowids_of_outlet(self, outlet: str) -> list[int]: ...

    def outlet_lines(self, outlet: str) -> list[tuple[int, bytes | None]]: ...

    def story_window(self, since: str, until: str) -> list[tuple[int, int, str, bytes]]: ...

    def story_of(self, rowids: Iterable[int]) -> dict[int, int]: ...

    def story_new(self) -> int:
        """A new story's id: higher than any id given before (ids are in shared URLs; never reused)."""
        ...

    def story_last_id(self) -> int: ...

    def story_memberships(self) -> dict[int, set[int]]: ...

    def story_renumber(self, ids: dict[int, int], last_id: int) -> None: ...

    def story_add(self, members: Sequence[tuple[int, int, float | None]]) -> None: ...

    def story_refresh(self, story_ids: Iterable[int], pick_title: Callable[..., int]) -> None: ...

    def stories(self, *, since: str | None = None, limit: int | None = None, min_size: int = 1,
                members: bool = True) -> list[StoryRow]: ...

    def story(self, story_id: int) -> StoryRow | None: ...

    def story_id_of(self, id: str) -> int | None: ...

    def dedup_stats(self) -> dict[str, Any]: ...

    # -- the faces (bantin serve, bantin.browse): both stores ----------------------------------------------------
    # whole-result search (face_match, match_rowids, ranked_rowids, facet_arrays, days_of, rowid_bounds), the
    # views' reads (article_heads, entity_names, entity_ids, rowids_of, last_ingest, top_entities), keyset pages
    # (stories_page, rejects_page) and data_version (changes when any writer commits: a new archive state). What
    # face_match returns is the store's own: browse hands it back to match_rowids and ranked_rowids unread.

    def close(self) -> None: ...

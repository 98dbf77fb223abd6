"""The archive interface every backend implements (SQLite by default; PostgreSQL for teams).

The store never parses text: it receives ``Prepared`` records (the article, its index forms, its encoded
document and raw bytes, all computed in the pipeline) and ``Reject`` records, and answers queries that arrive
already parsed (``search.query.Query``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import orjson
import zstandard

from bantin.model import Article, Provenance, Reject
from bantin.search.index import IndexForms, index_forms
from bantin.search.query import Query

if TYPE_CHECKING:
    from bantin.dedup import DedupKeys


@dataclass(slots=True)
class Prepared:
    """An article ready to store: made in worker processes so the writer only writes."""

    article: Article
    forms: IndexForms
    doc: bytes  # encoded article (without provenance and raw)
    raw: bytes  # compressed raw payload
    raw_codec: str
    dedup: DedupKeys | None = None  # content/URL keys, MinHash signature, story vector (bantin.dedup)


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


DOC_CODEC = "zstd"
_ZC = zstandard.ZstdCompressor(level=1)
_ZD = zstandard.ZstdDecompressor()


def encode_doc(article: Article) -> bytes:
    d = article.to_dict()
    d.pop("provenance", None)
    return _ZC.compress(orjson.dumps(d))


def decode_doc(data: bytes, provenance: list[Provenance], codec: str = DOC_CODEC) -> Article:
    raw = _ZD.decompress(data) if codec == "zstd" else zlib.decompress(data)
    a = Article.from_dict(orjson.loads(raw))
    a.provenance = provenance
    return a


def compress_raw(payload: bytes) -> tuple[bytes, str]:
    """zstd level 1 (≈4× faster than zlib level 1 at the same ratio on news text); tiny inputs stay as they are."""
    if len(payload) < 256:
        return payload, "none"
    return _ZC.compress(payload), "zstd"


def decompress_raw(data: bytes, codec: str) -> bytes:
    if codec == "zstd":
        return _ZD.decompress(data)
    return zlib.decompress(data) if codec == "zlib" else data


def prepare(article: Article) -> Prepared:
    """Pure: everything the store needs, computed where there are cores to spare."""
    raw, codec = compress_raw(article.raw or b"")
    return Prepared(article=article, forms=index_forms(article), doc=encode_doc(article), raw=raw, raw_codec=codec)


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

    def close(self) -> None: ...

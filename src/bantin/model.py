"""The records that flow through bantin, defined once.

``Raw`` is what a reader found (bytes, kept byte for byte), ``Draft`` the fields an input shape carries,
``Article`` the clean record every later stage, the archive, the CLI and the API share, and ``Reject`` a piece of
input that could not become an article (it flows through the pipeline like a record and is stored).

The JSON form of an ``Article`` (``Article.to_dict``) is the same everywhere: ``show --json``, JSONL/Parquet export
and the API.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

#: Version of the id scheme. Ids are stable: re-ingesting the same input always gives the same id.
ID_SCHEME = "v1"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class Raw:
    """One input record exactly as read: the bytes and where they came from."""

    payload: bytes
    path: str  # file path, "<stdin>", or URL
    record: str  # "" for a whole file, else a record number ("12" = line 12 of a JSONL file) or key
    format: str  # reader that produced it: "text", "jsonl", ...
    source: str | None = None  # --source NAME
    fetched_at: str | None = None  # ISO time the bytes were fetched (crawler/WARC); None for local files
    hints: dict[str, Any] = field(default_factory=dict)  # reader hints (field mapping, url, ...)
    _sha: str | None = None

    @property
    def sha256(self) -> str:
        if self._sha is None:
            self._sha = sha256_hex(self.payload)
        return self._sha


@dataclass(slots=True)
class Draft:
    """The fields an input shape carries, as found (strings not yet cleaned or parsed)."""

    raw: Raw
    title: str | None = None
    sapo: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    date_text: str | None = None  # a date string still to be parsed
    published_at: str | None = None  # already an ISO 8601 value (e.g. from a structured field)
    updated_text: str | None = None
    views: int | None = None
    url: str | None = None
    outlet: str | None = None
    external_id: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    section: str | None = None
    language: str | None = None
    sapo_truncated: bool = False
    flags: list[str] = field(default_factory=list)
    extractor: str = ""  # "<reader>/<version>"


@dataclass(slots=True)
class Provenance:
    """One place an article was read from."""

    path: str
    record: str
    raw_sha256: str
    format: str
    source: str | None = None
    fetched_at: str | None = None


@dataclass(slots=True)
class Article:
    id: str
    title: str
    sapo: str | None = None
    sapo_truncated: bool = False
    paragraphs: list[str] = field(default_factory=list)
    published_at: str | None = None  # timezone-aware ISO 8601; +07:00 when the input named no zone
    updated_at: str | None = None
    views: int | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    external_id: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    section: str | None = None
    provenance: list[Provenance] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, Any] = field(default_factory=dict)
    # The raw input, byte for byte. Not part of the JSON form (see provenance[].raw_sha256 and `show --raw`).
    raw: bytes | None = None

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        d = {name: getattr(self, name) for name in _ARTICLE_JSON_FIELDS}
        d["provenance"] = [{n: getattr(p, n) for n in _PROVENANCE_FIELDS} for p in self.provenance]
        return d

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        names = {f.name for f in dataclasses.fields(cls)}
        kw = {k: v for k, v in d.items() if k in names and k != "provenance"}
        kw["provenance"] = [Provenance(**p) for p in d.get("provenance", [])]
        return cls(**kw)

    @classmethod
    def from_json(cls, data: bytes | str) -> Article:
        return cls.from_dict(orjson.loads(data))


_ARTICLE_JSON_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name != "raw")
_PROVENANCE_FIELDS = tuple(f.name for f in dataclasses.fields(Provenance))


@dataclass(slots=True)
class Reject:
    """An input that could not become an article, with the reason. Stored and listable; never raised."""

    path: str
    record: str
    stage: str  # "read", "decode", "parse", "clean", ...
    reason: str
    raw_sha256: str | None = None
    payload: bytes | None = None  # the rejected bytes (capped; see pipeline.MAX_KEPT_REJECT_BYTES)
    size: int | None = None  # full size of the rejected input in bytes, when known

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "record": self.record,
            "stage": self.stage,
            "reason": self.reason,
            "raw_sha256": self.raw_sha256,
            "size": self.size,
        }

    def __str__(self) -> str:
        where = f"{self.path}:{self.record}" if self.record else self.path
        return f"{where}: {self.reason}"

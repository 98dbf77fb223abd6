"""Typed response models of the REST API. Each wraps the library's one JSON form (``Article.to_dict()``,
``Hit.to_dict()``, ``StoryRow.to_dict()``, ``Reject.to_dict()``, ``IngestReport.to_dict()``); fields the library
adds later pass through (``extra="allow"``) rather than being dropped."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    error: str = Field(description="What was wrong, in words")
    status: int
    details: list[dict[str, Any]] | None = Field(None, description="One entry per bad parameter")


class Hit(_Open):
    id: str
    title: str
    published_at: str | None
    outlet: str | None
    snippet: str = Field(description="Safe HTML: escaped text, matches in <mark>")
    score: float
    tier: str = Field(description="Which search tier found it (lead-exact, text-exact, lead-expanded, "
                                  "text-expanded), or 'match' outside the ranked candidates (date order)")
    copies: int = Field(description="Articles with this text (duplicates), this one included")
    topic: str | None = Field(None, description="The article's topic (bantin.enrich.topic.TAXONOMY), if known")


class OutletCount(BaseModel):
    name: str
    count: int


class EntityCount(BaseModel):
    name: str
    type: str
    count: int


class DayCount(BaseModel):
    day: str = Field(description="YYYY-MM-DD, Vietnam time")
    count: int


class TopicCount(BaseModel):
    name: str
    count: int


class Facets(BaseModel):
    outlets: list[OutletCount]
    no_outlet: int = Field(description="Texts without an outlet")
    topics: list[TopicCount] = Field(default=[], description="Texts per topic (those with one)")
    entities: list[EntityCount]
    per_day: list[DayCount] = Field(description="Texts published each day (days without any are left out)")
    undated: int


class SearchResponse(BaseModel):
    query: str
    sort: str
    spelling: str = Field(description="'exact': the diacritics as typed (the query had some and they match); "
                                      "'any': every spelling")
    total: int = Field(description="Texts matching: copies of one text count once")
    ranked: int = Field(description="How many of them relevance ranks; sort=date walks all of them")
    hits: list[Hit]
    next_cursor: str | None = Field(description="Pass as cursor= for the next page; null on the last page")
    facets: Facets | None


class Provenance(_Open):
    path: str
    record: str
    raw_sha256: str
    format: str
    source: str | None = None
    fetched_at: str | None = None


class DuplicateMember(_Open):
    id: str
    published_at: str | None
    outlet: str | None
    kind: str | None = Field(description="null for the canonical copy; exact, url or near for copies")
    similarity: float | None


class Duplicates(BaseModel):
    canonical: str | None
    members: list[DuplicateMember]


class Article(_Open):
    """``Article.to_dict()`` plus its duplicate group and story, as ``bantin show --json`` prints it."""

    id: str
    title: str
    sapo: str | None = None
    sapo_truncated: bool = False
    paragraphs: list[str] = []
    published_at: str | None = None
    updated_at: str | None = None
    views: int | float | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    external_id: str | None = None
    authors: list[str] = []
    tags: list[str] = []
    captions: list[str] = []
    section: str | None = None
    credit: str | None = None
    provenance: list[Provenance] = []
    flags: list[str] = []
    versions: dict[str, Any] = {}
    annotations: dict[str, Any] = {}
    duplicates: Duplicates
    story: int | None


class StoryMember(_Open):
    id: str
    external_id: str | None = None
    title: str
    published_at: str | None
    outlet: str | None
    url: str | None = None
    similarity: float | None = None
    duplicate_of: str | None = None


class Story(_Open):
    id: int
    title: str
    first_seen: str | None
    last_seen: str | None
    size: int
    outlets: list[str]
    members: list[StoryMember]


class StoriesResponse(BaseModel):
    stories: list[Story]
    next_cursor: str | None


class EntityRow(_Open):
    name: str
    type: str
    articles: int
    mentions: int


class EntityArticle(_Open):
    id: str
    title: str
    published_at: str | None
    outlet: str | None
    mentions: int


class CoOccurring(BaseModel):
    name: str
    type: str
    articles: int


class EntityProfile(_Open):
    name: str
    type: str
    articles: int
    mentions: int
    by_month: dict[str, int] = Field(description="Mentions per month (YYYY-MM)")
    by_day: dict[str, int] = Field(description="Articles mentioning it per day (YYYY-MM-DD)")
    latest: list[EntityArticle]
    co_occurring: list[CoOccurring]
    aliases: list[str] = Field(description="Other names it goes by: alias tables and spellings in its articles")
    quotes: list[dict[str, Any]] = Field(default=[], description="A person's latest quotes (speaker, speaker_role, "
                                                                 "text, id, title, published_at, outlet)")


class Reject(_Open):
    path: str
    record: str
    stage: str
    reason: str
    raw_sha256: str | None
    size: int | None


class RejectsResponse(BaseModel):
    rejects: list[Reject]
    next_cursor: str | None


class Stats(_Open):
    articles: int
    rejected: int
    inputs: int
    raw_inputs: int
    dated: int
    first_published: str | None
    last_published: str | None
    outlets: dict[str, int]
    schema_version: int
    db_path: str = Field(description="The archive's file name")
    db_bytes: int
    dedup: dict[str, Any]
    last_ingest: dict[str, Any] | None = None


class IngestReport(_Open):
    """The report ``bantin ingest --json`` prints."""

    read: int
    added: int
    already_there: int
    rejected: int
    seconds: float
    rejects: list[Reject]
    dedup: dict[str, Any] | None = None

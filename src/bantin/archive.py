"""The Python API: ``bantin.open(db)`` → an archive you can ingest into, search, read and export.

    import bantin
    with bantin.open("news.db") as db:
        db.ingest(["dumps/"])
        for hit in db.search("thuy si"):
            print(hit.title, hit.snippet)
        article = db.get(hit.id)

The CLI, the REST API and the web page are thin layers over this class.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bantin.errors import UsageError
from bantin.migrate import MigrateError
from bantin.model import Article, Provenance, Reject
from bantin.search.query import parse_query
from bantin.search.snippet import make_snippet, marks_to_spans
from bantin.store.base import (ArchiveBusy, ArchiveError, ArchiveFull, ArchiveReadOnly, ArchiveUnavailable, DedupRow,
                               EntityLookup, Filters, StoryRow)

if TYPE_CHECKING:
    from bantin.dedup.run import DedupReport
    from bantin import pipeline

DEFAULT_DB = "bantin.db"

#: What ``since``/``until`` take.
DateLike = str | datetime.date


def default_db_path() -> str:
    return os.environ.get("BANTIN_DB") or DEFAULT_DB


def is_postgres_url(path: str) -> bool:
    return path.startswith(("postgresql://", "postgres://"))


def open_store(path: str, *, readonly: bool = False) -> Any:
    """The archive backend for ``path``: a PostgreSQL URL (``postgresql://user@host/db``) or a SQLite file."""
    if is_postgres_url(path):
        from bantin.store.postgres import PostgresArchive

        return PostgresArchive(path, readonly=readonly)
    from bantin.store.sqlite import SQLiteArchive

    return SQLiteArchive(path, readonly=readonly)


class QueryError(ValueError):
    """A request the archive refuses: a query that cannot be run (empty, only exclusions), a bad date, an unknown
    entity type, a number out of range. ``param`` names the parameter at fault (None: the query text itself) and
    ``reason`` says what is wrong with it; ``str()`` is "param: reason". The CLI names its option instead."""

    def __init__(self, reason: str, param: str | None = None):
        self.reason, self.param = reason, param
        super().__init__(f"{param}: {reason}" if param else reason)

    def __reduce__(self) -> tuple:  # the same error when it crosses processes (bantin serve --workers N)
        return (QueryError, (self.reason, self.param))


#: Entity types, and the spellings of them the API and the CLI accept (any case).
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
_TYPE_NAMES = {
    "per": "PER", "person": "PER", "people": "PER", "persons": "PER",
    "loc": "LOC", "location": "LOC", "locations": "LOC", "place": "LOC", "places": "LOC",
    "org": "ORG", "organisation": "ORG", "organization": "ORG", "organisations": "ORG", "organizations": "ORG",
    "misc": "MISC", "other": "MISC", "miscellaneous": "MISC",
}


@dataclass(slots=True)
class Hit:
    id: str
    title: str
    published_at: str | None
    outlet: str | None
    snippet: str  # safe HTML: escaped text, matches in <mark>
    score: float
    tier: str
    copies: int = 1  # articles with this text (duplicates found by `dedup`), this one included
    topic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "published_at": self.published_at, "outlet": self.outlet,
                "snippet": self.snippet, "score": self.score, "tier": self.tier, "copies": self.copies,
                "topic": self.topic}


class Bantin:
    """An open archive."""

    def __init__(self, path: str | None = None, *, readonly: bool = False):
        self.path = path or default_db_path()
        self.store = open_store(self.path, readonly=readonly)
        self._state: Any = None  # bantin.browse's state of this archive, found on first use

    def _writable(self) -> None:
        if self.store.readonly:
            raise ArchiveReadOnly(f"archive {self.path} was opened read-only (readonly=True): it cannot be written")

    # ingest ------------------------------------------------------------------------------------------------
    def ingest(self, paths: str | Sequence[str], *, format: str = "auto", map: dict[str, str] | None = None,
               source: str | None = None, workers: int | str = "auto", enrich: bool = True,
               on_reject: Callable[[Reject], None] | None = None,
               on_progress: Callable[[pipeline.IngestReport], None] | None = None,
               languages: Sequence[str] | None = None, dedup: bool = True, engine: str = "local",
               address: str | None = None, out: str | None = None, store: bool = True,
               num_cpus: int | None = None) -> pipeline.IngestReport:
        """Read, clean, enrich (entities; ``enrich=False`` skips it) and store every record of ``paths``; then
        (``dedup=True``, the default) check the new articles for duplicates and stories, so the archive never
        holds unchecked articles after an ingest. ``languages``: articles whose text is in another language are
        rejected, for every input shape (ISO 639-1 or 639-3 codes; default Vietnamese; ``["any"]`` keeps all; a bad
        code raises ``sources.UsageError``).

        ``engine="ray"`` runs the same stages on Ray (``bantin.ray_engine``; ``address`` of a cluster, else a local
        one with ``num_cpus``): results into this archive (unless ``store=False``) and/or, with ``out``, Parquet
        files partitioned by month and outlet with the duplicate groups and stories found in the cluster."""
        self._writable()
        from bantin import pipeline  # imported here: readers, cleaners and models are not needed to search

        if isinstance(paths, str):
            paths = [paths]
        if engine == "ray":
            import importlib.util

            if importlib.util.find_spec("ray") is None:
                raise RuntimeError("the Ray engine needs Ray: pip install 'bantin[ray]'")
            from bantin import ray_engine

            report: pipeline.IngestReport = ray_engine.ingest(
                self.store, paths, out=out, store=store, address=address, num_cpus=num_cpus, fmt=format,
                mapping=map, source=source, enrich_articles=enrich, languages=languages, on_reject=on_reject,
                on_progress=on_progress)
            if not store:
                return report
        elif engine == "local":
            report = pipeline.ingest(self.store, paths, fmt=format, mapping=map, source=source, workers=workers,
                                     enrich_articles=enrich, on_reject=on_reject, on_progress=on_progress,
                                     languages=languages)
        else:
            raise ValueError(f"unknown engine {engine!r} (local or ray)")
        # also when nothing was added but articles wait unchecked (an ingest stopped before its dedup step)
        if dedup and (report.added or self.store.dedup_pending()):
            report.dedup = self.dedup().to_dict()
            report.seconds += report.dedup["seconds"]
        return report

    def retry_rejects(self, *, stages: Sequence[str] | None = ("filter",), languages: Sequence[str] | str | None = None,
                      map: dict[str, str] | None = None, enrich: bool = True,  # noqa: A002
                      dedup: bool = True) -> pipeline.IngestReport:
        """Try rejected inputs again from the bytes the archive kept — no file, no WARC, no network: after
        ``--lang vi`` dropped a page, ``retry_rejects(languages=["any"])`` makes it an article. ``stages``: which
        rejects (default those of the language filter; None: every reject whose bytes were kept whole).
        An input that now makes an article leaves the rejects; one rejected again keeps only its new reason."""
        self._writable()
        from bantin import pipeline
        from bantin.model import Raw
        from bantin.sources.base import format_of, sniff

        langs = pipeline.checked_languages(languages)

        def raws():
            for r in self.store.rejects():
                if (stages and r.stage not in stages) or not r.raw_sha256:
                    continue
                data = self.store.get_raw(r.raw_sha256)
                if data is None or (r.size is not None and len(data) != r.size):
                    continue  # not kept, or kept cut short
                if data.startswith(b"WARC/"):
                    fmt = "warc"  # a WARC record describes itself
                elif r.path.startswith(("http://", "https://")):
                    fmt = "html"  # a crawled page
                else:
                    fmt = format_of(r.path) or sniff(data[:4096]) or "text"
                raw = Raw(payload=data, path=r.path, record=r.record, format=fmt, hints={"map": map} if map else {})
                raw._sha = r.raw_sha256
                yield raw

        report = pipeline.ingest_raws(self.store, list(raws()), enrich_articles=enrich, languages=langs)
        if dedup and report.added:
            report.dedup = self.dedup().to_dict()
            report.seconds += report.dedup["seconds"]
        return report

    # duplicates and stories ------------------------------------------------------------------------------
    def dedup(self, *, threshold: float | None = None, rebuild: bool = False) -> DedupReport:
        """Check the articles not yet compared (all of them with ``rebuild``): duplicates, boilerplate, stories."""
        self._writable()
        from bantin.dedup import run

        kw: dict[str, Any] = {"rebuild": rebuild}
        if threshold is not None:
            try:
                kw["threshold"] = run.check_threshold(threshold)
            except ValueError as e:
                raise QueryError(str(e), "threshold") from None
        return run.run(self.store, **kw)

    def duplicates(self, id: str) -> tuple[Article | None, list[DedupRow]]:
        """(canonical, members of its duplicate group) of an article; (None, []) when it was not checked."""
        return self.store.duplicates(id)

    def stories(self, *, since: DateLike | None = None, limit: int | None = None,
                min_size: int = 1) -> list[StoryRow]:
        since = _date_arg("since", since)
        if limit is not None:
            _check_int("limit", limit, 1)
        _check_int("min_size", min_size, 1)
        return self.store.stories(since=since, limit=limit, min_size=min_size)

    def story(self, story_id: int) -> StoryRow | None:
        return self.store.story(story_id)

    def story_of(self, id: str) -> int | None:
        return self.store.story_id_of(id)

    def reextract(self, *, formats: Sequence[str] | None = None, everything: bool = False,
                  drop_rejected: bool = False, dry_run: bool = False, workers: int | str = 1) -> Any:
        """Make the stored articles again from their raw inputs with the current extractors (see
        ``bantin.reextract``); returns a ``ReextractReport``. ``workers="auto"``: a pool of processes when the
        archive holds ``pipeline.AUTO_POOL_RECORDS`` articles or more."""
        self._writable()
        from bantin import pipeline
        from bantin.reextract import reextract

        if workers == "auto":
            pool = min(os.cpu_count() or 1, pipeline.AUTO_MAX_WORKERS)
            workers = pool if self.store.count() >= pipeline.AUTO_POOL_RECORDS else 1
        elif not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a positive number or 'auto', not {workers!r}")

        rep = reextract(self.store, formats=formats, everything=everything, drop_rejected=drop_rejected,
                        dry_run=dry_run, workers=workers)
        if not dry_run and (rep.changed or rep.dropped):
            # changed texts change duplicate groups and stories that other articles share: redo them all
            rep.dedup = self.dedup(rebuild=True).to_dict()
        return rep

    def crawl(self, urls: str | Sequence[str] = (), **options: Any) -> Any:
        """Fetch feeds, sitemaps or article URLs into the archive; ``options`` are ``bantin.crawl.CrawlConfig``'s
        fields (delay, max_pages, user_agent, contact, resume, ...) plus ``on_event(what, url, detail)``,
        ``stop`` (a ``threading.Event``: once set, the crawl ends gracefully and its rest stays queued for
        ``resume``) and ``dedup`` (default True: check the new pages for duplicates and stories). Raises
        ``bantin.store.base.ArchiveBusy`` when another crawl of this archive is running."""
        self._writable()
        from bantin.crawl import CrawlConfig, crawl

        if isinstance(urls, str):
            urls = [urls]
        on_event = options.pop("on_event", None)
        stop = options.pop("stop", None)
        dedup = options.pop("dedup", True)
        rep = crawl(self.store, list(urls), CrawlConfig(**options), on_event=on_event, stop=stop)
        if dedup and rep.added:  # as after an ingest: the new pages are checked for duplicates and stories
            rep.dedup = self.dedup().to_dict()
        return rep

    def crawl_status(self, failures: int | None = 50) -> dict[str, Any]:
        from bantin.crawl.frontier import status

        return status(self.store, failures=failures)

    # read ----------------------------------------------------------------------------------------------------
    def get(self, id: str) -> Article | None:
        return self.store.get(id)

    def raw(self, article: Article) -> bytes | None:
        """The first raw input of an article in this archive, byte for byte."""
        found = self.raw_input(article)
        return found[1] if found else None

    def raw_input(self, article: Article) -> tuple[Provenance, bytes, list[Provenance]] | None:
        """(provenance entry, its raw bytes, the entries whose bytes are not in this archive) for the first input of
        an article whose bytes the archive holds. An article imported from a bantin export has only the export's
        record: its original inputs are listed in its provenance but their bytes stayed where it was exported."""
        found: tuple[Provenance, bytes] | None = None
        missing = []
        for p in article.provenance:
            data = self.store.get_raw(p.raw_sha256)
            if data is None:
                missing.append(p)
            elif found is None:
                found = (p, data)
        return (*found, missing) if found else None

    def search(self, q: str, *, limit: int = 10, offset: int = 0, since: DateLike | None = None,
               until: DateLike | None = None, outlet: str | None = None, entity: str | None = None,
               entity_type: str | None = None, topic: str | None = None) -> list[Hit]:
        """Full-text search; ``entity`` keeps articles that mention it (any spelling or alias of the name),
        ``topic`` those of one topic (``bantin.enrich.topic.TAXONOMY``, any spelling: "the gioi").
        ``since``/``until``: a ``date``, a ``datetime`` or an ISO 8601 string (a date covers its whole day)."""
        query = self._parse(q)
        since, until = _date_arg("since", since), _date_arg("until", until)
        _check_int("limit", limit, 1)
        _check_int("offset", offset, 0)
        entity_type = entity_type_arg(entity_type, "entity_type")
        if outlet:
            from bantin.clean.outlets import name_for

            outlet = name_for(outlet) or outlet  # "Báo Dân trí" finds the outlet stored as "Dân trí"
        keys = entity_keys(entity) if entity else None
        label = topic_label(topic) if topic else None
        rows = self.store.search(query, limit=limit, offset=offset,
                                 filters=Filters(since=since, until=until, outlet=outlet, entity_keys=keys,
                                                 entity_type=entity_type, topic=label))
        tokens = query.positive_tokens()
        prefix = any(c.prefix for g in query.groups for c in g)
        hits = []
        for r in rows:
            a = r.article
            text = "\n".join(filter(None, [a.sapo, *a.paragraphs]))
            hits.append(Hit(id=a.id, title=a.title, published_at=a.published_at, outlet=a.outlet,
                            snippet=make_snippet(text, tokens, prefix=prefix), score=r.score, tier=r.tier,
                            copies=r.copies, topic=a.annotations.get("topic")))
        return hits

    def stats(self, top_outlets: int = 20) -> dict[str, Any]:
        """Counts; ``outlets``: the ``top_outlets`` biggest outlets (article counts), ``outlets_total``: how many
        there are. Spellings of one outlet count as one ("Dân trí"/"Dân Trí", 24h/24H, CafeF/Cafef): archives
        stored before outlet names were made canonical at clean time have them."""
        from bantin.clean.outlets import name_for, name_key

        s = self.store.stats()
        merged: dict[str, list[Any]] = {}  # key → [label, count, count of the label's spelling]
        for name, n in s["outlets"].items():
            if name == "(unknown)":
                key, label = "", name
            else:
                key, label = name_key(name), name_for(name) or name
            m = merged.setdefault(key, [label, 0, 0])
            m[1] += n
            if n > m[2] and label == name:  # a name not in the table: its most frequent spelling
                m[0], m[2] = name, n
        ranked = sorted(merged.values(), key=lambda m: (-m[1], m[0]))
        s["outlets"] = {label: n for label, n, _ in ranked[:top_outlets]}
        s["outlets_total"] = len(ranked)
        s["dedup"] = self.store.dedup_stats()
        return s

    def entities(self, *, type: str | None = None, since: DateLike | None = None,  # noqa: A002
                 until: DateLike | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Top entities by number of articles mentioning them. ``type``: PER, LOC, ORG, MISC (any case; person,
        place, organisation, other also do)."""
        type = entity_type_arg(type)  # noqa: A001
        since, until = _date_arg("since", since), _date_arg("until", until)
        _check_int("limit", limit, 1)
        return self.store.top_entities(type=type, since=since, until=until, limit=limit)

    def entity(self, name: str, *, type: str | None = None, since: DateLike | None = None,  # noqa: A002
               until: DateLike | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Everything about the entities called ``name`` (any alias): mentions over time, articles, co-occurring.
        An empty list when the archive has no entity of that name."""
        if not isinstance(name, str) or not name.strip():
            raise QueryError("give the name of a person, place or organisation", "name")
        type = entity_type_arg(type)  # noqa: A001
        since, until = _date_arg("since", since), _date_arg("until", until)
        _check_int("limit", limit, 1)
        return self.store.entity_profile(entity_keys(name), type=type, since=since, until=until, limit=limit)

    def quotes(self, *, speaker: str | None = None, since: DateLike | None = None, until: DateLike | None = None,
               limit: int = 50) -> list[dict[str, Any]]:
        """Who said what, newest first: ``speaker`` keeps one person's (any alias of the name, or a speaker
        as printed, e.g. "Bộ Y tế")."""
        since, until = _date_arg("since", since), _date_arg("until", until)
        _check_int("limit", limit, 1)
        keys = None
        if speaker is not None:
            from bantin.store.base import entity_key

            # quotes are kept by the speaker's folded key: the keys of the name and of its aliases
            keys = sorted({lk.key for lk in entity_keys(speaker)} | {entity_key(speaker)} - {""})
            if not keys:
                raise QueryError("needs a name", "speaker")
        return self.store.quotes(keys, since=since, until=until, limit=limit)

    def rejects(self, limit: int | None = None) -> list[Reject]:
        return self.store.rejects(limit)

    def articles(self) -> Iterator[Article]:
        return self.store.iter_articles()

    def export(self, out: str, format: str = "jsonl") -> int:
        from bantin import export

        return export.export(self.store.iter_articles(), out, format)

    # the web page and the REST API (bantin.browse) -----------------------------------------------------------
    def _browse_state(self) -> Any:
        """This archive's shared state in ``bantin.browse`` (generations, facet arrays, remembered results), found
        once per ``Bantin``: finding it resolves the path (``realpath`` stats each of its directories), which
        cost every request ~40 µs."""
        if self._state is None:
            from bantin import browse

            self._state = browse.state(self.path)
        return self._state

    def search_page(self, q: str, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
                    entity: str | None = None, entity_type: str | None = None, topic: str | None = None,
                    sort: str = "relevance", cursor: str | None = None, limit: int = 20,
                    facets: bool = True) -> SearchPage:
        """One page of a search, with the size and (``facets``) the outlets, top entities and articles per day of
        the whole result set, and a cursor for the next page that stays right while articles are added. See
        ``bantin.browse`` for what the result set is and how cursors behave."""
        from bantin import browse

        query = self._parse(q)
        since, until, entity_type = _filters(since, until, entity_type)
        if sort not in browse.SORTS:
            raise QueryError(f"must be one of {', '.join(browse.SORTS)}, not {sort!r}", "sort")
        if not 1 <= limit <= 1000:
            raise QueryError("must be between 1 and 1000", "limit")
        if outlet:
            from bantin.clean.outlets import name_for

            outlet = name_for(outlet) or outlet  # as search: "Báo Dân trí" finds the outlet stored as "Dân trí"
        filters = Filters(since=since, until=until, outlet=outlet or None,
                          entity_keys=entity_keys(entity) if entity else None, entity_type=entity_type,
                          topic=topic_label(topic) if topic else None)
        st = self._browse_state()
        gen = st.current()
        key = browse.params_key(q, filters)
        def compute() -> browse.ResultSet:
            index = st.index(gen, self.store)
            rows = st.term_rows(gen, index, self.store) if st.fresh(gen, index) else None
            lead = st.lead(gen, index) if rows is not None else None
            return browse.compute(self.store, index, query, filters, rows, lead)

        res = st.result((gen, key), compute)

        def make() -> tuple[list[Hit], str | None]:
            try:
                page, nxt = browse.cut(res, lambda g: st.recall((g, key)), key=key, sort=sort, cursor=cursor,
                                       limit=limit, gen=gen, store=self.store)
                if sort == "date":
                    res.whole(self.store)  # every hit's score and tier
            except browse.CursorError as e:
                raise QueryError(str(e), "cursor") from None
            tokens = query.positive_tokens()
            prefix = any(c.prefix for g in query.groups for c in g)
            docs = self.store.search_cards(page)  # what a hit shows, without building the articles
            copies = dict(zip(page, res.index.copies_of(page).tolist()))  # one lookup for the page
            scores = res.scores_of(page)
            hits = []
            for rowid in page:
                d = docs.get(rowid)
                if d is None:  # removed since (re-extraction)
                    continue
                score, tier = scores.get(rowid, (0.0, "match"))
                text = "\n".join(filter(None, [d.get("sapo"), *d.get("paragraphs", ())]))
                hits.append(Hit(id=d["id"], title=d["title"], published_at=d.get("published_at"),
                                outlet=d.get("outlet"), snippet=make_snippet(text, tokens, prefix=prefix), score=score,
                                tier=tier, copies=copies[rowid],
                                topic=d["topic"]))
            return hits, nxt

        hits, nxt = res.page((sort, cursor, limit), make)
        return SearchPage(query=q, sort=sort, spelling=res.spelling, total=res.total, ranked=res.n_ranked,
                          hits=list(hits), next_cursor=nxt,
                          facets=browse.facets(self.store, res) if facets else None)

    def article_view(self, id: str) -> dict[str, Any] | None:  # noqa: A002
        """An article's JSON form with its duplicate group and story id, as ``bantin show --json`` prints it; kept
        per archive state (shared: do not change it)."""
        from bantin import browse

        st = self._browse_state()
        return st.view(("article", id), st.current(), lambda: self._article_view(id))

    def _article_view(self, id: str) -> dict[str, Any] | None:  # noqa: A002
        a = self.get(id)
        if a is None:
            return None
        canonical, members = self.duplicates(a.id)
        d = a.to_dict()
        d["duplicates"] = {"canonical": canonical.id if canonical else None,
                           "members": [{"id": m.id, "published_at": m.published_at, "outlet": m.outlet,
                                        "kind": m.dup_kind, "similarity": m.similarity} for m in members]}
        d["story"] = self.story_of(a.id)
        return d

    def entity_view(self, name: str, *, type: str | None = None, since: str | None = None,  # noqa: A002
                    until: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """``entity`` plus what a page about it shows: articles per day and the names it goes by (the alias
        tables' and the spellings found in its latest articles). Kept per archive state (shared: do not change
        it)."""
        from bantin import browse

        since, until, type = _filters(since, until, type)
        if not 1 <= limit <= 1000:
            raise QueryError("must be between 1 and 1000", "limit")
        st = self._browse_state()
        gen = st.current()
        return st.view(("entity", name, type, since, until, limit), gen,
                       lambda: self._entity_view(name, type, since, until, limit))

    def _entity_view(self, name: str, type: str | None, since: str | None, until: str | None,  # noqa: A002
                     limit: int) -> list[dict[str, Any]]:
        from bantin import browse
        from bantin.enrich.ner.gazetteer import alias_key

        st = self._browse_state()
        profiles = browse.entity_profiles(self.store, st.index(st.current(), self.store),
                                          self.store.entity_ids(entity_keys(name), type), since, until, limit)
        tables = browse.alias_tables()
        for p in profiles:
            names: dict[str, None] = dict.fromkeys(tables.get((p["type"], alias_key(p["name"])), ()))
            for art in self.store.articles_by_rowid(self._rowids([x["id"] for x in p["latest"]])):
                for m in browse.entity_spans(art[1]):
                    if m.get("name") == p["name"] and m.get("type") == p["type"] and isinstance(m.get("text"), str):
                        names[" ".join(m["text"].split())] = None
            own = p["name"].casefold()
            p["aliases"] = [n for n in names if n.casefold() != own][:30]  # a capital letter is not another name
            p["quotes"] = self._quotes_of(p["name"], since, until) if p["type"] == "PER" else []
        return profiles

    def _quotes_of(self, name: str, since: str | None, until: str | None) -> list[dict[str, Any]]:
        import sqlite3

        try:
            return self.quotes(speaker=name, since=since, until=until, limit=10)
        except sqlite3.OperationalError:  # an archive from before quotes, opened read-only (not migrated)
            return []

    def _rowids(self, ids: Sequence[str]) -> list[int]:
        return list(self.store.rowids_of(ids).values())

    def home(self) -> dict[str, Any]:
        """What the home page shows: archive size, the last ingest, and the entities and stories of the archive's
        last 7 days (the 7 days up to its newest article), with the week before for comparison."""
        from datetime import date, timedelta

        from bantin import browse

        st = self._browse_state()
        gen = st.current()

        def make() -> dict[str, Any]:
            stats = self.stats()
            last = stats.get("last_published")
            out: dict[str, Any] = {"stats": stats, "last_ingest": self.store.last_ingest(), "window": None,
                                   "trending_entities": [], "trending_stories": []}
            if not last:
                return out
            end = date.fromisoformat(last[:10])
            start, prev = end - timedelta(days=6), end - timedelta(days=13)
            now = self.store.top_entities(since=start.isoformat(), until=end.isoformat(), limit=15)
            before = {(r["name"], r["type"]): r["articles"] for r in self.store.top_entities(
                since=prev.isoformat(), until=(start - timedelta(days=1)).isoformat(), limit=500)}
            for r in now:
                r["week_before"] = before.get((r["name"], r["type"]), 0)
            stories = self.store.stories(since=start.isoformat(), min_size=2, members=False)
            stories.sort(key=lambda s: (len(s.outlets), s.size, s.last_seen or ""), reverse=True)
            out.update(window={"since": start.isoformat(), "until": end.isoformat()}, trending_entities=now,
                       trending_stories=[s.to_dict() for s in stories[:10]])
            return out

        return st.view("home", gen, make)

    def stories_page(self, *, since: str | None = None, until: str | None = None, min_size: int = 1,
                     cursor: str | None = None, limit: int = 20) -> tuple[list[StoryRow], str | None]:
        """Stories newest first, a page at a time (the cursor is the last story's place: stable while stories
        are added)."""
        from bantin import browse

        since, until, _t = _filters(since, until, None)
        if not 1 <= limit <= 1000:
            raise QueryError("must be between 1 and 1000", "limit")
        if min_size < 1:
            raise QueryError("must be at least 1", "min_size")
        before = None
        if cursor:
            try:
                c = browse.decode_cursor(cursor, "stories")
                if not isinstance(c.get("l"), str) or not isinstance(c.get("id"), int):
                    raise browse.CursorError("cursor is damaged")
            except browse.CursorError as e:
                raise QueryError(str(e), "cursor") from None
            before = (c["l"], c["id"])
        rows = self.store.stories_page(since=since, until=until, min_size=min_size, before=before, limit=limit + 1)
        nxt = None
        if len(rows) > limit:
            rows = rows[:limit]
            nxt = browse.encode_cursor({"v": 1, "w": "stories", "l": rows[-1].last_seen or "", "id": rows[-1].id})
        return rows, nxt

    def rejects_page(self, *, cursor: str | None = None, limit: int = 50) -> tuple[list[Reject], str | None]:
        from bantin import browse

        if not 1 <= limit <= 1000:
            raise QueryError("must be between 1 and 1000", "limit")
        after = 0
        if cursor:
            try:
                c = browse.decode_cursor(cursor, "rejects")
                after = browse._int(c, "k")
            except browse.CursorError as e:
                raise QueryError(str(e), "cursor") from None
        rows = self.store.rejects_page(after=after, limit=limit + 1)
        nxt = None
        if len(rows) > limit:
            rows = rows[:limit]
            nxt = browse.encode_cursor({"v": 1, "w": "rejects", "k": rows[-1][0]})
        return [r for _k, r in rows], nxt

    def ingest_files(self, files: Sequence[tuple[str, str]], *, format: str = "auto",  # noqa: A002
                     map: dict[str, str] | None = None, source: str | None = None, workers: int | str = 1,
                     enrich: bool = True, languages: Sequence[str] | None = None,
                     dedup: bool = True) -> pipeline.IngestReport:
        """Like ``ingest``, for files whose name is not where they are: ``files`` = (name kept in provenance, e.g.
        "upload:news.jsonl", path on disk). The name's extension tells the format (and .gz)."""
        from bantin import pipeline, sources
        from bantin.sources.base import Input

        t0 = time.perf_counter()
        inputs = []
        for name, fs_path in files:
            inp = Input(path=name, fs_path=fs_path, size=os.path.getsize(fs_path))
            inp.options = {"map": map or {}, "source": source}
            if languages:
                inp.options["languages"] = tuple(languages)
            inputs.append(inp)
        n_workers = pipeline.resolve_workers(workers, inputs)
        report = pipeline.ingest_raws(self.store, sources.read_inputs(inputs, format), workers=n_workers,
                                      enrich_articles=enrich)
        report.seconds = time.perf_counter() - t0
        if dedup and report.added:
            report.dedup = self.dedup().to_dict()
            report.seconds += report.dedup["seconds"]
        return report

    def _parse(self, q: str) -> Any:
        if not isinstance(q, str):
            raise QueryError(f"the query must be text, not {type(q).__name__}", "q")
        query = parse_query(q)
        if query.empty:
            if query.negated:
                raise QueryError("the query only excludes words; add at least one word to look for")
            raise QueryError("the query has no words to look for")
        return query

    def migrate_to(self, dest: str, *, on_table: Callable[[str, int], None] | None = None) -> Any:
        """Copy this whole archive (raw inputs, duplicates, stories, entities, crawl state) into the empty archive
        at ``dest`` (a SQLite path or a PostgreSQL URL); returns a ``migrate.MigrateReport``."""
        from bantin.migrate import migrate

        with Bantin(dest) as target:
            return migrate(self.store, target.store, on_table=on_table)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Bantin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def entity_keys(name: str) -> list[EntityLookup]:
    """What a name as a user types it stands for: itself — any spelling that folds to it when typed without
    diacritics ("thuy si"), this exact spelling when typed with them ("Mỹ" is not the person "My") — and, where it
    is an alias, its canonical name in the alias's own type only ("Hoa Kỳ" → the place Mỹ)."""
    from bantin.clean.fold import fold
    from bantin.enrich.ner import canonical_name
    from bantin.store.base import entity_exact, entity_key

    typed = entity_exact(name)
    out = [EntityLookup(entity_key(name), None, typed if fold(typed) != typed else None)]
    for t in ("PER", "LOC", "ORG", "MISC"):
        canon = canonical_name(name, t)
        if canon and entity_exact(canon) != typed:
            out.append(EntityLookup(entity_key(canon), t, entity_exact(canon)))
    return [k for k in dict.fromkeys(out) if k.key]


def _filters(since: DateLike | None, until: DateLike | None,
             entity_type: str | None) -> tuple[str | None, str | None, str | None]:
    """since, until and an entity type as the store takes them (checked: QueryError naming the parameter)."""
    return _date_arg("since", since), _date_arg("until", until), entity_type_arg(entity_type)


@dataclass(slots=True)
class SearchPage:
    """One page of a search (``Bantin.search_page``): hits, the whole result's size and facets, the next cursor."""

    query: str
    sort: str
    spelling: str  # "exact": the query's diacritics as typed; "any": every spelling
    total: int  # texts matching (copies of one text count once)
    ranked: int  # how many of them relevance ranks (the newest matches of each tier); date order walks all
    hits: list[Hit]
    next_cursor: str | None
    facets: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "sort": self.sort, "spelling": self.spelling, "total": self.total,
                "ranked": self.ranked, "hits": [h.to_dict() for h in self.hits], "next_cursor": self.next_cursor,
                "facets": self.facets}


def topics() -> tuple[str, ...]:
    """The topic taxonomy's labels, in its order (the faces' topic menu)."""
    from bantin.enrich.topic import TAXONOMY

    return TAXONOMY


def fold_text(text: str) -> str:
    """``text`` as search matches it without diacritics ("Thụy Sĩ" → "thuy si")."""
    from bantin.clean.fold import fold

    return fold(text)


def marks_to_plain(snippet: str) -> str:
    """A snippet's text without its match marks (for feeds and other plain-text faces)."""
    from bantin.search.snippet import marks_to_plain as plain

    return plain(snippet)


def warm_up(path: str) -> None:
    """Build what a serving process's first searches would otherwise wait for — the facet arrays, the title+lead
    index as arrays, the home page's figures — for the archive at ``path``. Only a head start: errors are left
    for the first real question to report."""
    with Bantin(path, readonly=True) as db:
        st = db._browse_state()
        gen = st.current()
        st.lead(gen, st.index(gen, db.store))
        db.home()


def release(path: str) -> None:
    """Drop what this process keeps in memory for the archive at ``path`` (facet arrays, cached words and result
    lists, its watch connection): a serving process calls it at shutdown."""
    from bantin import browse

    browse.state(path).close()


def topic_label(value: str) -> str:
    """The taxonomy label a user means ("the gioi", "Thế Giới" → "Thế giới"); QueryError if none."""
    from bantin.enrich.topic import TAXONOMY
    from bantin.store.base import entity_key

    want = entity_key(value)
    for label in TAXONOMY:
        if entity_key(label) == want:
            return label
    raise QueryError(f"{value!r} is not a topic; topics: {', '.join(TAXONOMY)}", "topic")


def _date_arg(name: str, value: DateLike | None) -> str | None:
    """A ``since``/``until`` value as the ISO text the store takes: a ``date`` (its whole day), a ``datetime``
    (naive: Vietnam time, as dates in articles) or an ISO 8601 string (checked)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise QueryError(f"{value!r} is not a date (give a date, a datetime or YYYY-MM-DD)", name)
    v = value.strip()
    try:
        datetime.datetime.fromisoformat(v if len(v) != 10 else v + "T00:00:00")
    except ValueError:
        raise QueryError(f"{value!r} is not a date (use YYYY-MM-DD or an ISO 8601 date-time)", name) from None
    return v


def _check_int(name: str, value: Any, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError(f"{value!r} is not a whole number", name)
    if value < least:
        raise QueryError(f"must be at least {least} (got {value})", name)


def entity_type_arg(value: str | None, param: str = "type") -> str | None:
    """PER, LOC, ORG or MISC from any accepted spelling ("person", "Place", "org"…); None stays None."""
    if value is None:
        return None
    t = _TYPE_NAMES.get(value.strip().lower()) if isinstance(value, str) else None
    if t is None:
        raise QueryError(f"{value!r} is not an entity type: use {', '.join(ENTITY_TYPES)} "
                         f"(or person, place, organisation, other)", param)
    return t


# -- without an archive ------------------------------------------------------------------------------------------
# What the faces need before an archive is open, or instead of one (``bantin extract``, ``bantin annotate``, option
# parsing), so that they never reach past this module. Heavy modules are imported when called.
#: Errors the faces name, re-exported: ``UsageError`` (what was asked cannot start: a missing path, a bad --map or
#: --lang), the store's ``ArchiveError``s (``ArchiveBusy``, ``ArchiveFull``, ``ArchiveReadOnly``,
#: ``ArchiveUnavailable``), ``MigrateError``, and ``marks_to_spans`` (a snippet's marked spans, for rendering).
__all__ = ["ArchiveBusy", "ArchiveError", "ArchiveFull", "ArchiveReadOnly", "ArchiveUnavailable", "Bantin", "Hit",
           "MigrateError", "QueryError", "SearchPage", "UsageError", "annotate", "check_urls", "default_db_path",
           "extract", "is_postgres_url", "marks_to_spans", "one_blas_thread", "open", "parse_languages",
           "parse_map", "redact", "topics", "fold_text", "marks_to_plain", "warm_up", "release"]


def parse_map(spec: str | None) -> dict[str, str]:
    """``--map FIELD=INPUT,...`` (``sapo=abstract,body="Nội dung, chi tiết"``) as {model field: input field};
    ``UsageError`` saying what is wrong with it."""
    from bantin.sources.fields import MapError
    from bantin.sources.fields import parse_map as parse

    try:
        return parse(spec)
    except MapError as e:
        raise UsageError(str(e)) from None


def parse_languages(spec: str | Sequence[str] | None) -> list[str]:
    """``--lang vi,en`` → ["vi", "en"] (ISO 639-1 or 639-3: ``vie`` → "vi"; ``any`` keeps every language);
    ``UsageError`` ("--lang 'xx': …") for a code that names no language the identifier knows."""
    from bantin.clean.language import LanguageCodeError
    from bantin.clean.language import parse_languages as parse

    try:
        return list(parse(spec))
    except LanguageCodeError as e:
        raise UsageError(f"--lang {spec!r}: {e}") from None


def extract(paths: Sequence[str], *, format: str = "auto", map: dict[str, str] | None = None,  # noqa: A002
            languages: str | Sequence[str] | None = "vi") -> Iterator[tuple[str, str, Article | Reject]]:
    """What bantin makes of ``paths`` (files, folders, globs, "-" for stdin) with nothing stored: (path, record,
    Article or Reject) per input record, in input order, as ``ingest`` would make them (``languages``: its
    ``--lang``). A missing path, then a bad language code, is a ``UsageError`` raised by this call, before
    anything is read."""
    from bantin import sources
    from bantin.pipeline import articles_from

    inputs = sources.expand_paths(list(paths))
    langs = parse_languages(languages)
    for inp in inputs:
        inp.options = {"map": map or {}, "languages": tuple(langs)}

    def made() -> Iterator[tuple[str, str, Article | Reject]]:
        for item in sources.read_inputs(inputs, format):
            if isinstance(item, Reject):
                yield item.path, item.record, item
                continue
            for res in articles_from([item], languages=langs):
                yield item.path, item.record, res
    return made()


def annotate(text: str, published_at: str | None = None) -> dict[str, Any]:
    """Entities, dates, amounts, quotes, topic, keywords and summary of ``text`` (``bantin.enrich.annotate``)."""
    from bantin.enrich.annotate import annotate as run

    return run(text, published_at)


def check_urls(urls: Sequence[str]) -> None:
    """Crawl seeds checked before anything is fetched: ``UsageError`` naming every URL that cannot be crawled."""
    from bantin.crawl.urls import BadURL, normalize_url

    bad = []
    for u in urls:
        try:
            normalize_url(u)
        except BadURL as e:
            bad.append(str(e))
    if bad:
        raise UsageError("; ".join(bad))


def redact(url: str) -> str:
    """An archive's path or URL as it may be shown: a PostgreSQL URL without its password."""
    if not is_postgres_url(url):
        return url
    from bantin.store.postgres import redact as hide

    return hide(url)


def one_blas_thread() -> None:
    """One BLAS thread in this process (``pipeline.one_blas_thread``: the NER scorer's products are small)."""
    from bantin.pipeline import one_blas_thread as one

    one()


def open(path: str | None = None, *, readonly: bool = False) -> Bantin:  # noqa: A001 - the public name
    """Open (creating if needed) the archive at ``path`` (default: $BANTIN_DB or ./bantin.db)."""
    return Bantin(path, readonly=readonly)

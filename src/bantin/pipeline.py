"""The per-article stages as plain functions over records, and the runners that map them.

    read (sources)  →  parse (sources)  →  clean  →  language filter (``--lang``)  →  enrich (entities)  →
    prepare (index forms, encoded document, entity counts)  →  archive.put

``process`` composes the pure stages for one Raw; a failure at any stage becomes a ``Reject`` naming the file,
the record and the reason, so one bad input never stops a batch. Runners: in-process (``workers=1``) or a pool
of processes (``workers=N``) with a bounded number of records in flight, results kept in input order so the
archive comes out the same either way. Archive-level steps run after the map, against the store.
"""

from __future__ import annotations

import functools
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import TypeVar

from bantin import sources
from bantin.clean.article import clean
from bantin.clean.language import ANY, DEFAULT_LANGUAGES, LanguageCodeError, identify, parse_languages
from bantin.enrich import facts
from bantin.enrich.entities import annotate_entities
from bantin.model import Article, Raw, Reject
from bantin.store.base import Archive, Prepared, check_storable, prepare

T = TypeVar("T")
R = TypeVar("R")

#: Records per archive transaction.
BATCH_SIZE = 1000
#: ... or fewer, when their raw inputs and documents add up to this many bytes (web pages and WARC records are
#: tens of kB each: a thousand of them held for one transaction would dominate the memory of a streaming ingest).
BATCH_BYTES = 16 << 20
#: Records per task sent to a worker process.
CHUNK = 64
#: Tasks in flight per worker process, and raw bytes in flight in all: enough queued work that the workers keep
#: going while the writer commits a batch (a 1,000-article commit takes about as long as 400 articles' cleaning),
#: few enough bytes that a WARC of large pages stays within its memory budget.
IN_FLIGHT_PER_WORKER = 8
IN_FLIGHT_BYTES = 24 << 20
#: workers="auto" uses worker processes when the inputs hold at least this many bytes once decompressed (all files
#: together) or this many records (Parquet rows, files of one article each): a pool costs about a second to start,
#: and an article costs a few milliseconds to clean and enrich.
AUTO_POOL_BYTES = 8 << 20
AUTO_POOL_RECORDS = 1000
AUTO_MAX_WORKERS = 4


def _internal(raw: Raw, stage: str, exc: BaseException) -> Reject:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
    return Reject(raw.path, raw.record, stage, f"internal error{at}: {type(exc).__name__}: {exc}", raw.sha256,
                  raw.payload, len(raw.payload))


#: The enrichment stages, in order; each takes and returns an Article (pure) and records its version. Quotes and
#: keywords read the entities (speakers, names), so they come after them.
ENRICHERS: list[tuple[str, Callable[[Article], Article]]] = [
    ("entities", annotate_entities),
    ("dates", facts.annotate_dates),
    ("amounts", facts.annotate_amounts),
    ("quotes", facts.annotate_quotes),
    ("topic", facts.annotate_topic),
    ("keywords", facts.annotate_keywords),
    ("summary", facts.annotate_summary),
]


def enrich(article: Article) -> Article:
    """Every enricher of ``ENRICHERS`` in turn. One that fails on this article — raises, or leaves annotations the
    archive cannot store (``store.base.check_storable``) — is skipped: what it added is taken back, the article is
    flagged ``enrich-failed:NAME`` and goes on to the next enricher. Enrichment is an extra; the article read and
    cleaned is the record, and never becomes a Reject for an enricher's sake."""
    for name, stage in ENRICHERS:
        annotations, versions, flags = dict(article.annotations), dict(article.versions), list(article.flags)
        try:
            done = stage(article)
            check_storable(done.annotations)
            article = done
        except Exception:  # noqa: BLE001 - one odd text must not cost the article
            article.annotations, article.versions, article.flags = annotations, versions, flags
            flag_enrich_failed(article, name)
    return article


def flag_enrich_failed(article: Article, name: str) -> None:
    flag = f"enrich-failed:{name}"
    if flag not in article.flags:
        article.flags.append(flag)


def enrich_failures(article: Article) -> list[str]:
    """The enrichers skipped on an article (its ``enrich-failed:NAME`` flags)."""
    return [f.split(":", 1)[1] for f in article.flags if f.startswith("enrich-failed:")]


def enrich_failure_item(article: Article) -> dict[str, object] | None:
    """What an ingest report says of an article stored with enrichers skipped (file, record, id, which ones), or
    None when every enricher ran."""
    names = enrich_failures(article)
    if not names:
        return None
    prov = article.provenance[0] if article.provenance else None
    return {"path": prov.path if prov else None, "record": prov.record if prov else None, "id": article.id,
            "enrichers": names}


def language_reject(article: Article, raw: Raw, languages: Sequence[str] | None) -> Reject | None:
    """The language policy (``--lang``), decided on the article's own text (title, lead, body): a Reject (stage
    ``filter``) when that text is identified as a language not in ``languages``; None when it passes, when its
    language cannot be told (too little text), or when there is no policy (None, or "any").

    The reject keeps the raw input (as every reject does, up to ``MAX_KEPT_REJECT_BYTES``), so a later run can
    change its mind without the original file."""
    if not languages or ANY in languages:
        return None
    if article.language in languages:
        return None  # clean told it from the text, or the text cannot tell and the input declared it: kept either way
    lang = identify("\n".join(filter(None, [article.title, article.sapo, *article.paragraphs])))
    if lang is None or lang in languages:
        return None
    from bantin.sources.base import MAX_KEPT_REJECT_BYTES

    where = f"{article.url}: " if article.url and article.url != raw.path else ""
    kept = raw.payload if len(raw.payload) <= MAX_KEPT_REJECT_BYTES else None
    return Reject(raw.path, raw.record, "filter",
                  f"{where}not {'/'.join(languages)} (language {lang}, told from the article's text); use --lang any "
                  f"to keep every language, or --lang {','.join([*languages, lang])}", raw.sha256, kept, len(raw.payload))


def make_article(raw: Raw, enrich_articles: bool = True,
                 languages: Sequence[str] | None = None) -> Article | Reject:
    """Raw → clean (and enriched) Article, or a Reject naming the input and the stage. Pure; never raises.
    ``languages``: the language policy (see ``language_reject``); None keeps every language (re-extraction).
    A record of bantin's own export comes back as it was exported (neither cleaned, filtered nor enriched again)."""
    return _make(raw, enrich_articles, languages)[0]


def _make(raw: Raw, enrich_articles: bool, languages: Sequence[str] | None = None) -> tuple[Article | Reject, bool]:
    """make_article, and whether the article is a copy restored from a bantin export."""
    stage = "parse"
    try:
        draft = sources.parse(raw)
        if isinstance(draft, (Reject, Article)):
            return draft, isinstance(draft, Article)
        stage = "clean"
        article = clean(draft)
        if isinstance(article, Reject):
            return article, False
        stage = "filter"
        off = language_reject(article, raw, languages)
        if off is not None:
            return off, False
        if not enrich_articles:
            return article, False
        stage = "enrich"
        return enrich(article), False
    except Exception as e:  # noqa: BLE001 - a bug on one input must not stop the batch
        return _internal(raw, stage, e), False


def process(raw: Raw, enrich_articles: bool = True, languages: Sequence[str] | None = None) -> Prepared | Reject:
    """Raw → Prepared article (what the store writes), or a Reject. Pure; never raises."""
    article, copy = _make(raw, enrich_articles, languages)
    if isinstance(article, Reject):
        return article
    try:
        p = prepare(article)
    except Exception as e:  # noqa: BLE001
        p = _prepare_without_failing_annotations(article)
        if p is None:
            return _internal(raw, "prepare", e)
    p.raw_sha256 = raw.sha256
    p.copy = copy
    return p


def _prepare_without_failing_annotations(article: Article) -> Prepared | None:
    """The last line of defence behind ``enrich``: when ``prepare`` fails on an enriched article, the annotations
    it fails on (each tried alone; all of them when none fails alone) are dropped and flagged
    ``enrich-failed:NAME``, and the article is prepared without them. None when it still fails (then the article
    itself is at fault, not its enrichment)."""
    annotations = dict(article.annotations)
    if not annotations:
        return None
    bad = []
    for name, value in annotations.items():
        article.annotations = {name: value}
        try:
            prepare(article)
        except Exception:  # noqa: BLE001
            bad.append(name)
    bad = bad or list(annotations)
    article.annotations = {k: v for k, v in annotations.items() if k not in bad}
    for name in bad:
        flag_enrich_failed(article, name)
    try:
        return prepare(article)
    except Exception:  # noqa: BLE001
        article.annotations = annotations
        return None


def process_chunk(raws: list[Raw], enrich_articles: bool = True,
                  languages: Sequence[str] | None = None) -> list[Prepared | Reject]:
    """The work of one task: processed, dedup-keyed and reduced to what the writer reads."""
    out = attach_dedup([process(r, enrich_articles, languages) for r in raws])
    return [p.for_writer() if isinstance(p, Prepared) else p for p in out]


def attach_dedup(items: list[Prepared | Reject]) -> list[Prepared | Reject]:
    """Dedup keys and signatures (``bantin.dedup.compute``), vectorised over the chunk; a failure on one
    article becomes its Reject."""
    from bantin import dedup

    prepared = [p for p in items if isinstance(p, Prepared)]
    if not prepared:
        return items
    try:
        for p, k in zip(prepared, dedup.compute([p.article for p in prepared])):
            p.dedup = k
        return items
    except Exception:  # noqa: BLE001 - find the article that fails, keep the others
        out: list[Prepared | Reject] = []
        for p in items:
            if isinstance(p, Prepared):
                try:
                    p.dedup = dedup.compute([p.article])[0]
                except Exception as e:  # noqa: BLE001
                    a = p.article
                    prov = a.provenance[0] if a.provenance else None
                    raw = Raw(a.raw or b"", prov.path if prov else "?", prov.record if prov else "", "")
                    out.append(_internal(raw, "dedup", e))
                    continue
            out.append(p)
        return out


def articles_from(raws: Iterable[Raw], enrich_articles: bool = True,
                  languages: Sequence[str] | None = None) -> Iterator[Article | Reject]:
    """Convenience for library users and tests: the clean articles (or rejects) of some raws, no store.
    ``languages``: as for ``ingest`` (default: every language kept)."""
    for raw in raws:
        yield make_article(raw, enrich_articles, languages)


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0
    existing: int = 0
    rejected: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    #: articles stored with an enricher skipped (``enrich``): how many, and the first ``keep_rejects`` of them as
    #: {path, record, id, enrichers}
    enrich_failed: int = 0
    enrich_failures: list[dict[str, object]] = field(default_factory=list)
    dedup: dict[str, object] | None = None  # the dedup step's report when ingest ran it

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"read": self.read, "added": self.added, "already_there": self.existing,
                                "rejected": self.rejected, "seconds": round(self.seconds, 3),
                                "rejects": [r.to_dict() for r in self.rejects],
                                "enrich_failed": self.enrich_failed, "enrich_failures": self.enrich_failures}
        if self.dedup is not None:
            d["dedup"] = self.dedup
        return d


def one_blas_thread() -> None:
    """One BLAS thread in this process. Worker processes call it (the workers are the parallelism: with OpenBLAS's
    default, a thread per core, every worker's matrix products — the NER scorer's convolutions — spun on all cores
    at once and an enriching ingest on 2 cores ran at about half speed), and so does the CLI: the scorer's
    products are small, and spreading them over cores doubled CPU time and still lowered throughput
    (1,339 vs 1,451 sentences/s on VLSP 2016 dev)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _payload_bytes(chunk: list[Raw]) -> int:
    return sum(len(r.payload) for r in chunk)


def _ordered_map(fn: Callable[[list[T]], list[R]], chunks: Iterator[list[T]], workers: int,
                 weigh: Callable[[list[T]], int] = _payload_bytes) -> Iterator[list[R]]:  # type: ignore[assignment]
    """map over chunks in worker processes, in order; at most ``IN_FLIGHT_PER_WORKER`` chunks per worker and
    ``IN_FLIGHT_BYTES`` (as ``weigh`` counts a chunk's input) in flight; a single chunk may exceed the bound."""
    if workers <= 1:
        for c in chunks:
            yield fn(c)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=one_blas_thread) as ex:
        pending: deque[tuple[Future[list[R]], int]] = deque()
        held = 0
        for c in chunks:
            size = weigh(c)
            pending.append((ex.submit(fn, c), size))
            held += size
            while pending and (len(pending) >= IN_FLIGHT_PER_WORKER * workers or held >= IN_FLIGHT_BYTES):
                fut, size = pending.popleft()
                held -= size
                yield fut.result()
        while pending:
            yield pending.popleft()[0].result()


def input_weight(inp: sources.Input) -> tuple[int, int]:
    """(bytes once decompressed, records) an input holds, as far as can be told without reading it: Parquet from
    its footer (rows, uncompressed size), gzip from its trailer, a file of one article (text, HTML) counts one
    record; bytes on disk otherwise."""
    size = inp.size or 0
    if inp.fs_path is None:
        return size, 0
    fmt = sources.format_of(inp.path)
    if fmt == "parquet":
        from bantin.sources.parquet import footer_size

        rows, raw_bytes = footer_size(inp.fs_path)
        return max(size, raw_bytes), rows
    if inp.gzipped:
        try:
            with open(inp.fs_path, "rb") as f:
                f.seek(-4, os.SEEK_END)
                size = max(size, int.from_bytes(f.read(4), "little"))  # ISIZE: the last member's size mod 2**32
        except OSError:
            pass
    return size, 1 if fmt in ("text", "html") else 0


def checked_languages(languages: Sequence[str] | str | None) -> tuple[str, ...]:
    """``languages`` validated and in the detector's codes (``clean.language.parse_languages``); a bad code is a
    ``sources.UsageError``."""
    try:
        return parse_languages(languages)
    except LanguageCodeError as e:
        raise sources.UsageError(f"--lang: {e}") from None


def resolve_workers(workers: int | str, inputs: Sequence[sources.Input]) -> int:
    """``workers`` as a number of processes; "auto": one process for small batches, a pool for large ones
    (``AUTO_POOL_BYTES`` decompressed or ``AUTO_POOL_RECORDS`` records, or stdin, whose size is unknown)."""
    if workers != "auto":
        return max(1, int(workers))
    pool = min(os.cpu_count() or 1, AUTO_MAX_WORKERS)
    if any(i.fs_path is None for i in inputs):
        return pool
    total = records = 0
    for inp in inputs:
        b, r = input_weight(inp)
        total += b
        records += r
        if total >= AUTO_POOL_BYTES or records >= AUTO_POOL_RECORDS:
            return pool
    return 1


def ingest(archive: Archive, paths: Sequence[str], *, fmt: str = "auto", mapping: dict[str, str] | None = None,
           source: str | None = None, workers: int | str = "auto", batch_size: int = BATCH_SIZE,
           enrich_articles: bool = True,
           on_reject: Callable[[Reject], None] | None = None,
           on_progress: Callable[[IngestReport], None] | None = None,
           keep_rejects: int = 1000, languages: Sequence[str] | str | None = None) -> IngestReport:
    """Read, clean and store every record of ``paths``. Raises ``sources.UsageError`` for missing paths or bad
    language codes (before anything is read); every other problem becomes a Reject in the report and the archive.
    ``languages``: the languages articles may be in, for every reader (ISO 639-1 or 639-3 codes; default
    Vietnamese only; ``["any"]`` keeps all). Text whose language cannot be told is kept."""
    t0 = time.perf_counter()
    langs = checked_languages(languages)
    inputs = sources.expand_paths(list(paths))
    for inp in inputs:
        inp.options = {"map": mapping or {}, "source": source, "languages": langs}
    n_workers = resolve_workers(workers, inputs)
    report = ingest_raws(archive, sources.read_inputs(inputs, fmt), workers=n_workers, batch_size=batch_size,
                         enrich_articles=enrich_articles, on_reject=on_reject, on_progress=on_progress,
                         keep_rejects=keep_rejects, languages=langs)
    report.seconds = time.perf_counter() - t0
    return report


def ingest_raws(archive: Archive, items: Iterable[Raw | Reject], *, workers: int = 1, batch_size: int = BATCH_SIZE,
                enrich_articles: bool = True, on_reject: Callable[[Reject], None] | None = None,
                on_progress: Callable[[IngestReport], None] | None = None,
                keep_rejects: int = 1000, languages: Sequence[str] | str | None = DEFAULT_LANGUAGES) -> IngestReport:
    """Process and store records that are already read (files via ``ingest``, pages from the crawler, ...).
    ``languages``: as for ``ingest`` (default Vietnamese only).

    Rejects among ``items`` are stored as they are; raws already stored (same path, record and sha256) are
    counted as already there and not processed again. An article with an enricher skipped (see ``enrich``) is
    stored, counted in the report and listed there as {path, record, id, enrichers}."""
    t0 = time.perf_counter()
    langs = checked_languages(languages)
    report = IngestReport()
    batch: list[Prepared | Reject] = []
    held = [0]  # bytes of raw input and documents in `batch`

    def note_reject(r: Reject) -> None:
        if len(report.rejects) < keep_rejects:
            report.rejects.append(r)
        if on_reject is not None:
            on_reject(r)

    def note_enrich_failed(p: Prepared) -> None:
        item = enrich_failure_item(p.article)
        if item is None:
            return
        report.enrich_failed += 1
        if len(report.enrich_failures) < keep_rejects:
            report.enrich_failures.append(item)

    def flush() -> None:
        if not batch:
            return
        res = archive.put(batch)
        report.added += res.added
        report.existing += res.existing
        report.rejected += res.rejected
        report.added_ids.extend(res.added_ids)
        batch.clear()
        held[0] = 0
        if on_progress is not None:
            on_progress(report)

    def chunks() -> Iterator[list[Raw]]:
        """Chunks of new raws; rejects found while reading and inputs already stored are handled here."""
        buf: list[Raw] = []

        def drain() -> Iterator[list[Raw]]:
            seen = archive.seen_inputs([(r.path, r.record, r.sha256) for r in buf])
            fresh = [r for r in buf if (r.path, r.record, r.sha256) not in seen]
            report.existing += len(buf) - len(fresh)
            buf.clear()
            if fresh:
                yield fresh

        for item in items:
            report.read += 1
            if isinstance(item, Reject):
                note_reject(item)
                batch.append(item)
                continue
            buf.append(item)
            if len(buf) >= CHUNK:
                yield from drain()
        if buf:
            yield from drain()

    work = functools.partial(process_chunk, enrich_articles=enrich_articles, languages=langs)
    for results in _ordered_map(work, chunks(), workers):
        for out in results:
            if isinstance(out, Reject):
                note_reject(out)
                held[0] += out.size or 0
            else:
                held[0] += out.raw_size + len(out.doc)
                note_enrich_failed(out)
            batch.append(out)
            if len(batch) >= batch_size or held[0] >= BATCH_BYTES:
                flush()
    flush()
    report.seconds = time.perf_counter() - t0
    return report

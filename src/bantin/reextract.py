"""Re-extraction: run the current readers and cleaner again over the raw inputs stored in the archive.

After an extractor improves (a new ``html`` VERSION, a new trafilatura, a fixed outlet parser), every stored
article whose ``versions`` differ from the current ones is made again from its raw bytes — no file and no
network needed — and updated in place: same id, same row (a new row id only when the publication time changed,
because row ids encode it; see ``store/sqlite.py``), new document, new full-text rows. Articles the current
extractor makes identically are left alone, so a second run changes nothing.

An input that the current extractor rejects (say, a page now recognised as a section index) is reported; with
``drop_rejected`` the article is removed and the input kept as a reject (its raw bytes stay in the archive).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from bantin import sources
from bantin.clean.article import CLEANER_VERSION
from bantin.model import Article, Provenance, Raw, Reject
from bantin.enrich.ner import MODEL_VERSION
from bantin.pipeline import _ordered_map, make_article
from bantin.store.base import Archive, StoredInput, prepare

CHUNK = 32


def current_extractor(fmt: str) -> str | None:
    """The extractor version a reader writes into ``versions["extractor"]`` today."""
    reader = sources.READERS.get(fmt)
    if reader is None:
        return None
    fn = getattr(reader, "extractor_version", None)
    return fn() if fn is not None else f"{reader.NAME}/{reader.VERSION}"


@dataclass(slots=True)
class ReextractReport:
    examined: int = 0
    same_versions: int = 0  # skipped: made by the current extractor and cleaner already
    changed: int = 0  # the article came out different (text, dates, fields)
    unchanged: int = 0  # the same article (its recorded versions are updated)
    moved: int = 0  # changed and moved to a new row (publication time changed)
    now_rejected: int = 0
    dropped: int = 0
    no_raw: int = 0
    seconds: float = 0.0
    changed_ids: list[str] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)
    dedup: dict[str, object] | None = None  # the duplicate and story check that followed (Bantin.reextract)

    def to_dict(self) -> dict[str, object]:
        return {"examined": self.examined, "same_versions": self.same_versions, "changed": self.changed,
                "unchanged": self.unchanged, "moved": self.moved, "now_rejected": self.now_rejected,
                "dropped": self.dropped, "no_raw": self.no_raw, "seconds": round(self.seconds, 3),
                "changed_ids": self.changed_ids[:1000], "rejected": self.rejected[:1000],
                "dedup": self.dedup}


def _crawl_hints(archive: Archive, p: Provenance) -> dict[str, Any]:
    """A crawled page is re-read with the hints the crawl gave it (where it was fetched; the date its feed or
    sitemap listed), rebuilt from its frontier row as on ``crawl --resume`` — else its listed date would be lost."""
    if p.format != "html" or not p.path.startswith(("http://", "https://")):
        return {}
    from bantin.crawl.frontier import page_hints

    row = archive.frontier_get([p.path]).get(p.path)
    return page_hints(row) if row is not None else {}


def _remake(items: list[tuple[Raw, bool]]) -> list[Article | Reject]:
    """Parse and clean each raw again; enrich it again too when the stored article had been enriched (its
    entity offsets point into the old text)."""
    return [make_article(raw, enriched) for raw, enriched in items]


def _doc(a: Article, versions: bool = True) -> bytes:
    d = a.to_dict()
    d.pop("provenance", None)
    if not versions:
        d.pop("versions", None)
    return orjson.dumps(d, option=orjson.OPT_SORT_KEYS)


def reextract(archive: Archive, *, formats: Sequence[str] | None = None, everything: bool = False,
              drop_rejected: bool = False, dry_run: bool = False, workers: int = 1,
              on_change: Callable[[str, Article | Reject], None] | None = None) -> ReextractReport:
    t0 = time.perf_counter()
    rep = ReextractReport()
    seen: set[str] = set()
    pending: dict[tuple[str, str, str], StoredInput] = {}

    def work() -> Iterator[list[tuple[tuple[str, str, str], Raw, bool]]]:
        buf: list[tuple[tuple[str, str, str], Raw, bool]] = []
        for si in archive.iter_inputs(formats):
            if si.article.id in seen:
                continue  # moved to a later row by this run
            seen.add(si.article.id)
            rep.examined += 1
            p = si.provenance
            v = si.article.versions
            if not everything and v.get("extractor") == current_extractor(p.format) and \
                    v.get("cleaner") == CLEANER_VERSION and v.get("ner") in (None, MODEL_VERSION):
                rep.same_versions += 1
                continue
            if si.raw is None:
                rep.no_raw += 1
                continue
            raw = Raw(payload=si.raw, path=p.path, record=p.record, format=p.format, source=p.source,
                      fetched_at=p.fetched_at, hints=_crawl_hints(archive, p))
            key = (p.path, p.record, si.article.id)
            pending[key] = si
            buf.append((key, raw, "ner" in v))
            if len(buf) >= CHUNK:
                yield buf
                buf = []
        if buf:
            yield buf

    def settle(raws_out: list[Article | Reject], keys: list[tuple[str, str, str]]) -> None:
        for key, out in zip(keys, raws_out, strict=True):
            si = pending.pop(key)
            old = si.article
            if isinstance(out, Reject):
                rep.now_rejected += 1
                rep.rejected.append({"id": old.id, "path": out.path, "record": out.record, "reason": out.reason})
                if drop_rejected and not dry_run:
                    out.raw_sha256 = si.provenance.raw_sha256
                    archive.drop(si.rowid, old, out)
                    rep.dropped += 1
                if on_change is not None:
                    on_change(old.id, out)
                continue
            out.id = old.id
            out.provenance = old.provenance
            if "ner" not in old.versions:  # keep what enrichment did not make; boilerplate is made again by dedup
                out.annotations = {k: v for k, v in old.annotations.items() if k != "boilerplate"}
            if _doc(out) == _doc(old):
                rep.unchanged += 1
                continue
            if _doc(out, versions=False) == _doc(old, versions=False):
                rep.unchanged += 1  # the same article; only the recorded versions are brought up to date
                if not dry_run:
                    archive.replace(si.rowid, prepare(out), old)
                continue
            rep.changed += 1
            rep.changed_ids.append(old.id)
            if not dry_run:
                new_rowid = archive.replace(si.rowid, prepare(out), old)
                if new_rowid != si.rowid:
                    rep.moved += 1
            if on_change is not None:
                on_change(old.id, out)

    keys: list[list[tuple[str, str, str]]] = []

    def raws() -> Iterator[list[tuple[Raw, bool]]]:
        for chunk in work():
            keys.append([k for k, _, _ in chunk])
            yield [(r, e) for _, r, e in chunk]

    for results in _ordered_map(_remake, raws(), workers, weigh=lambda c: sum(len(r.payload) for r, _ in c)):
        settle(results, keys.pop(0))
    rep.seconds = time.perf_counter() - t0
    return rep

"""bantin's own exports read back: a record of ``bantin export`` (JSON Lines, Parquet or CSV) is an article that
was already read, cleaned and enriched, so it is restored as it was exported — same id, external id, fields,
flags, versions, annotations — instead of being read again as a foreign record (which would give it a new id,
take its ``id`` for the external id and lose what cleaning had found).

A record is an export record when it has the export's shape: ``id``, ``title``, ``versions`` and a
``provenance`` list whose entries have ``path``, ``record``, ``raw_sha256`` and ``format``. Its provenance is
kept, and the export file's own record is added as the last entry: the record is the raw input of the restored
copy (the original inputs' bytes are not in an export).
"""

from __future__ import annotations

from typing import Any

import orjson

from bantin.export import CSV_LISTS, split_lines
from bantin.model import Article, Provenance, Raw, Reject

_PROVENANCE_KEYS = frozenset({"path", "record", "raw_sha256", "format"})
_TEXT = ("title", "sapo", "published_at", "updated_at", "outlet", "url", "language", "external_id", "section",
         "credit")
_LISTS = ("paragraphs", "authors", "tags", "captions", "flags")


class _Bad(ValueError):
    pass


def _json(v: Any) -> Any:
    """A value that a CSV cell or a Parquet column holds as JSON text."""
    if isinstance(v, str):
        try:
            return orjson.loads(v)
        except orjson.JSONDecodeError:
            raise _Bad("is not valid JSON") from None
    return v


def _provenance(v: Any) -> list[dict[str, Any]] | None:
    try:
        v = _json(v)
    except _Bad:
        return None
    if isinstance(v, list) and v and all(isinstance(p, dict) and _PROVENANCE_KEYS <= p.keys() for p in v):
        return v
    return None


def is_export(obj: dict[str, Any]) -> bool:
    """Has ``obj`` the shape of a bantin export record?"""
    return ("id" in obj and "title" in obj and "versions" in obj and "provenance" in obj
            and _provenance(obj["provenance"]) is not None)


def restore(raw: Raw, obj: dict[str, Any]) -> Article | Reject:
    """The article an export record holds, with the record itself as its last provenance entry and raw input."""
    try:
        a = _article(obj)
    except _Bad as e:
        return Reject(raw.path, raw.record, "parse", f"bantin export record: {e}", raw.sha256, raw.payload,
                      len(raw.payload))
    a.provenance.append(Provenance(path=raw.path, record=raw.record, raw_sha256=raw.sha256, format=raw.format,
                                   source=raw.source, fetched_at=raw.fetched_at))
    a.raw = raw.payload
    return a


def _article(obj: dict[str, Any]) -> Article:
    d = dict(obj)
    if isinstance(d.get("provenance"), str):  # the CSV export: list columns are one item per line
        for col, name in CSV_LISTS.items():
            if isinstance(d.get(col), str):
                d[name] = split_lines(d.pop(col))
    kw: dict[str, Any] = {}
    aid = d.get("id")
    if not isinstance(aid, str) or not aid.strip():
        raise _Bad("'id' is missing or not text")
    kw["id"] = aid
    for name in _TEXT:
        v = d.get(name)
        if v is not None and not isinstance(v, str):
            raise _Bad(f"{name!r} is not text")
        kw[name] = v if v != "" else None
    if not kw["title"]:
        raise _Bad("'title' is empty")
    for name in _LISTS:
        v = d.get(name)
        if v is None:
            v = []
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise _Bad(f"{name!r} is not a list of text")
        kw[name] = list(v)
    st = d.get("sapo_truncated", False)
    if isinstance(st, str) and st.lower() in ("true", "false", "1", "0"):
        st = st.lower() in ("true", "1")
    if not isinstance(st, bool):
        raise _Bad("'sapo_truncated' is not true or false")
    kw["sapo_truncated"] = st
    views = d.get("views")
    if isinstance(views, str) and views.isdigit() and views.isascii() and len(views) < 19:
        views = int(views)
    if views is not None and (isinstance(views, bool) or not isinstance(views, int) or not 0 <= views < 2**63):
        raise _Bad("'views' is not a count")
    kw["views"] = views
    versions = _json(d.get("versions"))
    if isinstance(versions, list):  # Parquet's map column comes back as [key, value] pairs
        try:
            versions = {k: v for k, v in versions}
        except (TypeError, ValueError):
            raise _Bad("'versions' is not a map of names to versions") from None
    if not isinstance(versions, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in versions.items()):
        raise _Bad("'versions' is not a map of names to versions")
    kw["versions"] = versions
    ann = d.get("annotations")
    ann = {} if ann in (None, "") else _json(ann)
    if not isinstance(ann, dict):
        raise _Bad("'annotations' is not an object")
    kw["annotations"] = ann
    prov = _provenance(d.get("provenance"))
    if prov is None:
        raise _Bad("'provenance' is not a list of inputs")
    try:
        kw["provenance"] = [Provenance(path=str(p["path"]), record=str(p["record"]), raw_sha256=str(p["raw_sha256"]),
                                       format=str(p["format"]), source=p.get("source"), fetched_at=p.get("fetched_at"))
                            for p in prov]
    except (TypeError, KeyError):
        raise _Bad("'provenance' is not a list of inputs") from None
    return Article(**kw)

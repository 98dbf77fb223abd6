"""Records with named fields (JSONL, CSV, Parquet rows) → Draft, with ``--map`` renames and common aliases.

Field names match whatever their case and Unicode form ("Title" = "title", a decomposed "Nội dung" = the
composed one); an exact match wins over such a match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from bantin.clean.dates import VN_TZ
from bantin.model import Draft, Raw, Reject

#: Model fields a record can carry, and the names tried (in order) when neither the model's name nor a
#: ``--map`` entry is present.
FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "external_id", "doc_id", "guid", "article_id"),
    "title": ("title", "headline", "tieu_de"),
    "sapo": ("sapo", "lead", "abstract", "summary", "description", "excerpt"),
    "body": ("body", "content", "text", "article", "maintext"),
    "paragraphs": ("paragraphs",),
    "published_at": ("published_at", "date", "published", "date_publish", "pubDate", "publish_date",
                     "published_raw", "time", "datetime"),
    "updated_at": ("updated_at", "date_modify", "modified", "updated"),
    "url": ("url", "link", "canonical_url"),
    "outlet": ("outlet", "source", "site", "publisher", "source_domain"),
    "views": ("views", "view_count", "luot_xem"),
    "authors": ("authors", "author", "byline"),
    "tags": ("tags", "keywords"),
    "captions": ("captions",),
    "section": ("section", "category"),
    "credit": ("credit",),
    "language": ("language", "lang"),
}
ALL_FIELDS = frozenset(FIELDS) | {"id", "body"}


class MapError(ValueError):
    pass


def parse_map(spec: str | None) -> dict[str, str]:
    """``"sapo=abstract,body=content"`` → {"sapo": "abstract", "body": "content"} (model field → input field).

    An input field whose name holds a comma (or starts or ends with spaces) is quoted, in double or single
    quotes: ``body="Nội dung, chi tiết"``; a quote inside is doubled (``title='Tin ''nóng'''``).
    """
    out: dict[str, str] = {}
    if not spec:
        return out
    for part in _split_map(spec):
        stripped = part.strip()
        if not stripped:
            continue
        if "=" not in stripped:
            raise MapError(f"--map entry {stripped!r} is not FIELD=INPUT_FIELD")
        k, v = stripped.split("=", 1)
        k, v = k.strip(), _unquote(v.strip(), stripped)
        if k == "id":
            k = "external_id"
        if k not in FIELDS:
            raise MapError(f"--map: unknown field {k!r}; known: {', '.join(sorted(FIELDS))}")
        if not v:
            raise MapError(f"--map entry {stripped!r} names no input field")
        out[k] = v
    return out


def _split_map(spec: str) -> list[str]:
    """Split on commas outside quotes (a quote opens right after ``=``, closes before a comma or the end)."""
    parts: list[str] = []
    buf: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(spec):
        c = spec[i]
        if quote is not None:
            if c == quote and spec[i + 1:i + 2] == quote:
                buf.append(c + c)
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'" and "".join(buf).rstrip().endswith("="):
            quote = c
        elif c == ",":
            parts.append("".join(buf))
            buf = []
            i += 1
            continue
        buf.append(c)
        i += 1
    if quote is not None:
        raise MapError(f"--map: unclosed quote ({quote}) in {spec!r}")
    parts.append("".join(buf))
    return parts


def _unquote(v: str, entry: str) -> str:
    if len(v) >= 2 and v[0] in "\"'" and v[-1] == v[0]:
        return v[1:-1].replace(v[0] * 2, v[0])
    if v[:1] in ("\"", "'"):
        raise MapError(f"--map entry {entry!r}: text after the closing quote")
    return v


def name_key(name: str) -> str:
    """How field names compare: Unicode NFC, case-folded, ends stripped."""
    if not name.isascii():
        name = unicodedata.normalize("NFC", name)
    return name.casefold().strip()


#: FIELDS with each name's key.
_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {f: tuple((n, name_key(n)) for n in names)
                                                   for f, names in FIELDS.items()}


_EMPTY = (None, "", [])
_RENAMES: dict[tuple[Any, ...], dict[str, str]] = {}


def _renames(obj: dict[str, Any]) -> dict[str, str]:
    """{name key: field name} for the fields whose name is not its own key ("Title", a decomposed name); cached
    by the record's field names, which the records of one file share."""
    names = tuple(obj)
    out = _RENAMES.get(names)
    if out is None:
        out = {}
        for k in names:
            if isinstance(k, str):
                key = name_key(k)
                if key != k:
                    out.setdefault(key, k)
        if len(_RENAMES) >= 256:
            _RENAMES.clear()
        _RENAMES[names] = out
    return out


def _lookup(obj: dict[str, Any], name: str, key: str, renames: dict[str, str]) -> Any:
    """The value of field ``name``; failing that, of the field whose name has ``key`` (its name key)."""
    v = obj.get(name)
    if v in _EMPTY and key != name:
        v = obj.get(key)
    if v in _EMPTY and renames:
        k = renames.get(key)
        if k is not None:
            v = obj[k]
    return v


def _get(obj: dict[str, Any], field: str, mapping: dict[str, str], renames: dict[str, str] | None = None) -> Any:
    if renames is None:
        renames = _renames(obj)
    if field in mapping:
        return _dig(obj, mapping[field], renames)
    for name, key in _ALIASES[field]:
        v = obj.get(name)
        if v in _EMPTY and (renames or key != name):  # (inline: this runs ~40 times per record)
            v = _lookup(obj, name, key, renames)
        if v not in _EMPTY:
            return v
    return None


def _dig(obj: dict[str, Any], path: str, renames: dict[str, str] | None = None) -> Any:
    """The value of field ``path`` (any case or Unicode form); ``a.b`` reaches into nested objects when no field
    is called ``a.b``."""
    if renames is None:
        renames = _renames(obj)
    v = _lookup(obj, path, name_key(path), renames)
    if v is not None or "." not in path:
        return v
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = _lookup(cur, part, name_key(part), _renames(cur))
    return cur


def _as_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "\n".join(s for s in (_as_text(x) for x in v) if s)
    return None


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        parts = [p.strip() for p in (v.split(",") if "," in v else v.split(";"))]
        return [p for p in parts if p]
    if isinstance(v, list):
        return [s.strip() for s in (_as_text(x) for x in v) if s and s.strip()]
    return []


#: Largest view count taken as true: no article is read a trillion times, and anything larger could not be stored
#: anyway (SQLite integers and JSON numbers for orjson stop at 2**63 - 1 and 2**64 - 1).
MAX_VIEWS = 10**12


def _as_int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v >= 0 else None
    if isinstance(v, float) and v == v and 0 <= v <= MAX_VIEWS:
        return int(v)
    if isinstance(v, str):
        digits = v.strip().replace(".", "").replace(",", "").replace(" ", "")
        if digits.isdigit() and digits.isascii():
            return int(digits) if len(digits) < 20 else MAX_VIEWS + 1
    return None


def _views(v: Any, flags: list[str]) -> int | None:
    """A view count, or None; an absurd one (over ``MAX_VIEWS``, infinite) is dropped and flagged, never stored."""
    n = _as_int(v)
    if n is not None and n <= MAX_VIEWS:
        return n
    if n is not None or (isinstance(v, float) and v > MAX_VIEWS):
        flags.append(f"views-dropped:{_short(v)}")
    return None


def _short(v: Any) -> str:
    s = str(v).strip()
    return s if len(s) <= 40 else s[:20] + "…" + s[-8:] + f" ({len(s)} chars)"


def epoch_to_iso(v: float) -> str | None:
    if not 0 < v < 4102444800000:  # up to 2100 (in seconds or milliseconds); also NaN and infinities
        return None
    if v > 1e12:  # milliseconds
        v = v / 1000
    if not 0 < v < 4102444800:
        return None
    return datetime.fromtimestamp(v, tz=timezone.utc).astimezone(VN_TZ).isoformat()


def _epoch(v: int | float, flags: list[str], what: str) -> str | None:
    """An epoch number (seconds or milliseconds) as ISO 8601, or None and a flag (out of range, huge)."""
    try:
        iso = epoch_to_iso(float(v))
    except OverflowError:  # an integer beyond any float
        iso = None
    if iso is None:
        flags.append(f"{what}-unparsed:{_short(v)}")
    return iso


def draft_from_record(raw: Raw, obj: dict[str, Any], mapping: dict[str, str], extractor: str,
                      fix: Callable[[str], tuple[str, tuple[str, ...]]] | None = None) -> Draft | Reject:
    flags: list[str] = []
    renames = _renames(obj)

    def get(field: str) -> Any:
        return _get(obj, field, mapping, renames)

    def text(field: str) -> str | None:
        s = _as_text(get(field))
        if s is not None and fix is not None:
            s, f = fix(s)
            for x in f:
                if x not in flags:
                    flags.append(x)
        return s

    title = text("title")
    if not title or not title.strip():
        where = mapping.get("title", "title")
        present = ", ".join(sorted(obj)[:12])
        return Reject(raw.path, raw.record, "parse",
                      f"no title: field {where!r} is missing or empty (fields present: {present})",
                      raw.sha256, raw.payload, len(raw.payload))
    d = Draft(raw=raw, title=title, extractor=extractor, flags=flags)
    d.sapo = text("sapo")
    paras = get("paragraphs")
    if isinstance(paras, list) and paras:
        d.paragraphs = [s for s in (_as_text(p) for p in paras) if s]
        if fix is not None:
            d.paragraphs = [fix(p)[0] for p in d.paragraphs]
    else:
        body = text("body")
        d.paragraphs = body.splitlines() if body else []
    pub = get("published_at")
    if isinstance(pub, (int, float)) and not isinstance(pub, bool):
        d.published_at = _epoch(pub, flags, "published_at")
    elif pub is not None:
        d.date_text = _as_text(pub)
    upd = get("updated_at")
    if isinstance(upd, (int, float)) and not isinstance(upd, bool):
        d.updated_text = _epoch(upd, flags, "updated_at")
    elif upd is not None:
        d.updated_text = _as_text(upd)
    d.url = _as_text(get("url"))
    d.outlet = text("outlet")
    d.views = _views(get("views"), flags)
    ext = get("external_id")
    d.external_id = _as_text(ext) if ext is not None else None
    d.authors = _as_list(get("authors")) if not isinstance(get("authors"), str) \
        else [a.strip() for a in get("authors").split(",") if a.strip()]
    d.tags = _as_list(get("tags"))
    caps = get("captions")
    d.captions = [c for c in (_as_text(x) for x in caps) if c] if isinstance(caps, list) else _as_list(caps)
    d.section = _as_text(get("section"))
    d.credit = _as_text(get("credit"))
    d.language = _as_text(get("language"))
    return d

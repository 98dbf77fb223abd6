"""Records with named fields (JSONL, CSV, Parquet rows) → Draft, with ``--map`` renames and common aliases."""

from __future__ import annotations

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
    """``"sapo=abstract,body=content"`` → {"sapo": "abstract", "body": "content"} (model field → input field)."""
    out: dict[str, str] = {}
    if not spec:
        return out
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise MapError(f"--map entry {part!r} is not FIELD=INPUT_FIELD")
        k, v = (s.strip() for s in part.split("=", 1))
        if k == "id":
            k = "external_id"
        if k not in FIELDS:
            raise MapError(f"--map: unknown field {k!r}; known: {', '.join(sorted(FIELDS))}")
        if not v:
            raise MapError(f"--map entry {part!r} names no input field")
        out[k] = v
    return out


def _get(obj: dict[str, Any], field: str, mapping: dict[str, str]) -> Any:
    if field in mapping:
        return _dig(obj, mapping[field])
    for name in FIELDS[field]:
        v = obj.get(name)
        if v not in (None, "", []):
            return v
    return None


def _dig(obj: dict[str, Any], path: str) -> Any:
    """``a.b`` reaches into nested objects."""
    cur: Any = obj
    for part in path.split("."):
        if isinstance(cur, dict):
            cur = cur.get(part)
        else:
            return None
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


def _as_int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v >= 0 else None
    if isinstance(v, float) and v == v and v >= 0:
        return int(v)
    if isinstance(v, str):
        digits = v.strip().replace(".", "").replace(",", "").replace(" ", "")
        if digits.isdigit():
            return int(digits)
    return None


def epoch_to_iso(v: float) -> str | None:
    if v > 1e12:  # milliseconds
        v = v / 1000
    if not 0 < v < 4102444800:  # up to 2100
        return None
    return datetime.fromtimestamp(v, tz=timezone.utc).astimezone(VN_TZ).isoformat()


def draft_from_record(raw: Raw, obj: dict[str, Any], mapping: dict[str, str], extractor: str,
                      fix: Callable[[str], tuple[str, tuple[str, ...]]] | None = None) -> Draft | Reject:
    flags: list[str] = []

    def text(field: str) -> str | None:
        s = _as_text(_get(obj, field, mapping))
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
    paras = _get(obj, "paragraphs", mapping)
    if isinstance(paras, list) and paras:
        d.paragraphs = [s for s in (_as_text(p) for p in paras) if s]
        if fix is not None:
            d.paragraphs = [fix(p)[0] for p in d.paragraphs]
    else:
        body = text("body")
        d.paragraphs = body.splitlines() if body else []
    pub = _get(obj, "published_at", mapping)
    if isinstance(pub, (int, float)) and not isinstance(pub, bool):
        d.published_at = epoch_to_iso(float(pub))
    elif pub is not None:
        d.date_text = _as_text(pub)
    upd = _get(obj, "updated_at", mapping)
    if isinstance(upd, (int, float)) and not isinstance(upd, bool):
        d.updated_text = epoch_to_iso(float(upd))
    elif upd is not None:
        d.updated_text = _as_text(upd)
    d.url = _as_text(_get(obj, "url", mapping))
    d.outlet = text("outlet")
    d.views = _as_int(_get(obj, "views", mapping))
    ext = _get(obj, "external_id", mapping)
    d.external_id = _as_text(ext) if ext is not None else None
    d.authors = _as_list(_get(obj, "authors", mapping)) if not isinstance(_get(obj, "authors", mapping), str) \
        else [a.strip() for a in _get(obj, "authors", mapping).split(",") if a.strip()]
    d.tags = _as_list(_get(obj, "tags", mapping))
    caps = _get(obj, "captions", mapping)
    d.captions = [c for c in (_as_text(x) for x in caps) if c] if isinstance(caps, list) else _as_list(caps)
    d.section = _as_text(_get(obj, "section", mapping))
    d.credit = _as_text(_get(obj, "credit", mapping))
    d.language = _as_text(_get(obj, "language", mapping))
    return d

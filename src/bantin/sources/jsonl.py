"""JSON Lines exports (``.jsonl``, ``.ndjson``, ``.jsonl.gz``): one article object per line.

Field names default to the model's own (``id`` → ``external_id``, ``title``, ``sapo``, ``body`` as text with
newline-separated paragraphs or ``paragraphs`` as a list, ``published_at`` as any date string the date parser
reads, ``url``, ``outlet``, ``views``...). ``--map sapo=abstract,body=content`` says which input field holds a
model field. When neither the model's name nor a mapping is present, a few common export names are tried
(``content``, ``abstract``, ``summary``, ``source``, ``link``...). Unknown fields are kept in the raw record.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import orjson

from bantin.clean.encoding import fix_text
from bantin.model import Article, Draft, Raw, Reject
from bantin.sources.base import Input, iter_lines_bounded, max_record_bytes, reject_for
from bantin.sources.exported import is_export, restore
from bantin.sources.fields import draft_from_record

NAME = "jsonl"
VERSION = "1"


def read(inp: Input) -> Iterator[Raw | Reject]:
    """One Raw per non-blank line; lines over ``MAX_RECORD_BYTES`` are rejected (memory stays bounded)."""
    mapping = inp.options.get("map") or {}
    hints: dict[str, Any] = {"map": mapping} if mapping else {}
    limit = max_record_bytes()
    try:
        with inp.open() as f:
            for lineno, line, full in iter_lines_bounded(f, limit):
                if full > limit:
                    yield reject_for(inp, str(lineno), "read",
                                     f"line {lineno} is too long for one article ({full:,} bytes > "
                                     f"{limit:,})", payload=line, size=full)
                    continue
                if not line.strip():
                    continue
                yield Raw(payload=line, path=inp.path, record=str(lineno), format=NAME,
                          source=inp.options.get("source"), hints=hints)
    except (OSError, EOFError, zlib.error) as e:  # unreadable file, truncated or corrupt gzip
        yield reject_for(inp, "", "read", f"cannot read file: {e}")


def _loads_slowly(payload: bytes) -> Any:
    """What orjson refuses but is still JSON: text in a legacy encoding, numbers beyond a double
    (``"views": 1e400``, a 400-digit integer: Python's json reads them, the field reader drops them); None when
    it is not JSON."""
    import json

    from bantin.clean.encoding import DecodeError, decode

    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = decode(payload).text
        except DecodeError:
            return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(text)
    except ValueError:  # includes json.JSONDecodeError and integers of more than 4,300 digits
        return None


def parse(raw: Raw) -> Draft | Article | Reject:
    payload = raw.payload
    try:
        obj = orjson.loads(payload)
    except orjson.JSONDecodeError as e:
        obj = _loads_slowly(payload)
        if obj is None:
            return Reject(raw.path, raw.record, "parse", f"malformed JSON: {e}", raw.sha256, payload,
                          len(payload))
    if not isinstance(obj, dict):
        return Reject(raw.path, raw.record, "parse",
                      f"expected a JSON object per line, got {type(obj).__name__}", raw.sha256, payload,
                      len(payload))
    if is_export(obj):  # a line of `bantin export`: the article as it was exported
        return restore(raw, obj)
    return draft_from_record(raw, obj, raw.hints.get("map") or {}, f"{NAME}/{VERSION}", fix_text)

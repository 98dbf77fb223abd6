"""CSV/TSV exports (``.csv``, ``.tsv``, and ``.gz``): one article per row, with the same field names and ``--map``
as JSON Lines (``sources/fields.py``).

The first row names the columns. Rows are split on raw bytes (a newline ends a row unless it is inside a quoted
field, RFC 4180), so each row is kept byte for byte: ``Raw.payload`` is the header line plus the row's own
lines — a two-row CSV that describes itself, parsed again the same way by ``parse`` (re-extraction needs nothing
else). Memory stays bounded: a row longer than the record limit is rejected without being held whole.
The delimiter (comma, tab, semicolon or pipe) is taken from the header line.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterator

from bantin.clean.encoding import fix_text
from bantin.model import Draft, Raw, Reject
from bantin.sources.base import Input, iter_lines_bounded, max_record_bytes, reject_for
from bantin.sources.fields import draft_from_record

NAME = "csv"
VERSION = "1"
_DELIMS = (b",", b"\t", b";", b"|")


def _delimiter(header: bytes, name: str) -> str:
    if name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    counts = {d: header.count(d) for d in _DELIMS}
    best = max(counts, key=lambda d: counts[d])
    return best.decode() if counts[best] else ","


def read(inp: Input) -> Iterator[Raw | Reject]:
    mapping = inp.options.get("map") or {}
    hints = {"map": mapping} if mapping else {}
    limit = max_record_bytes()
    header: bytes | None = None
    pending: list[bytes] = []
    start = 0
    size = 0
    quotes = 0
    try:
        with inp.open() as f:
            for lineno, line, full in iter_lines_bounded(f, limit):
                if header is None:
                    if not line.strip():
                        continue
                    header = line.rstrip(b"\r")
                    if header.startswith(b"\xef\xbb\xbf"):
                        header = header[3:]
                    continue
                if not pending:
                    start = lineno
                    if not line.strip():
                        continue
                pending.append(line)
                size += full + 1
                quotes += line.count(b'"')
                if quotes % 2 and size <= limit:
                    continue  # a quoted field goes on over the next line
                rec = b"\n".join(pending)
                pending, quotes = [], 0
                if size > limit or full > limit:
                    yield reject_for(inp, str(start), "read", f"row at line {start} is too long for one article "
                                                              f"({size:,} bytes > {limit:,})", payload=rec, size=size)
                    size = 0
                    continue
                size = 0
                yield Raw(payload=header + b"\n" + rec, path=inp.path, record=str(start), format=NAME,
                          source=inp.options.get("source"), hints=hints)
    except (OSError, EOFError, zlib.error) as e:
        yield reject_for(inp, "", "read", f"cannot read file: {e}")
        return
    if pending:
        yield reject_for(inp, str(start), "read", f"row at line {start}: unterminated quoted field at end of file",
                         payload=b"\n".join(pending))
    if header is None:
        yield reject_for(inp, "", "read", "empty CSV file (no header row)")


def parse(raw: Raw) -> Draft | Reject:
    header, _, row = raw.payload.partition(b"\n")
    try:
        text_h = header.decode("utf-8")
        text_r = row.decode("utf-8")
    except UnicodeDecodeError:
        from bantin.clean.encoding import DecodeError, decode

        try:
            text_h, text_r = decode(header).text, decode(row).text
        except DecodeError as e:
            return Reject(raw.path, raw.record, "decode", e.reason, raw.sha256, raw.payload, len(raw.payload))
    delim = _delimiter(header, raw.path)
    try:
        rows = list(csv.reader(io.StringIO(text_h + "\n" + text_r), delimiter=delim, strict=True))
    except csv.Error as e:
        return Reject(raw.path, raw.record, "parse", f"malformed CSV row: {e}", raw.sha256, raw.payload,
                      len(raw.payload))
    if len(rows) != 2:
        return Reject(raw.path, raw.record, "parse", f"malformed CSV row: expected one row, found {len(rows) - 1}",
                      raw.sha256, raw.payload, len(raw.payload))
    names, values = rows
    if len(values) != len(names):
        return Reject(raw.path, raw.record, "parse",
                      f"row has {len(values)} fields, the header {len(names)}", raw.sha256, raw.payload,
                      len(raw.payload))
    obj = {k.strip(): v for k, v in zip(names, values, strict=True) if v != ""}
    return draft_from_record(raw, obj, raw.hints.get("map") or {}, f"{NAME}/{VERSION}", fix_text)

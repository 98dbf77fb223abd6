"""CSV/TSV exports (``.csv``, ``.tsv``, and ``.gz``): one article per row, with the same field names and ``--map``
as JSON Lines (``sources/fields.py``).

The first row names the columns. Rows are split on raw bytes the way Python's ``csv`` module splits them (RFC 4180
quoting; a row ends at LF, CRLF or a bare CR outside quotes; a quote opens a quoted field only at the start of a
field), so each row is kept byte for byte: ``Raw.payload`` is the header row plus the row's own bytes — a two-row
CSV that describes itself, parsed again the same way by ``parse`` (re-extraction needs nothing else). UTF-16 and
UTF-32 files (a spreadsheet's "Unicode text"; by byte-order mark, or UTF-16 without one by its zero bytes) are
decoded before rows are split; their payload is the same two rows in the file's encoding, after its byte-order
mark. Memory stays bounded: a row longer than the record limit is rejected — only its first bytes are kept — and
reading resumes after the row's end (after the closing quote of a quoted field that held it).
The delimiter (comma, tab, semicolon or pipe) is taken from the header line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zlib
from collections.abc import Iterable, Iterator

from bantin.clean.encoding import DecodeError, decode, fix_text, wide_unicode
from bantin.model import Article, Draft, Raw, Reject
from bantin.sources.base import CHUNK, MAX_KEPT_REJECT_BYTES, Input, max_record_bytes, reject_for
from bantin.sources.exported import is_export, restore
from bantin.sources.fields import draft_from_record

NAME = "csv"
VERSION = "1"
_DELIMS = (",", "\t", ";", "|")
_QUOTE, _CR, _LF = 0x22, 0x0D, 0x0A
_SPECIAL_RE = re.compile(rb'["\r\n]')
#: The inside of a quoted field up to its closing quote (or the end of the chunk): runs of other bytes and ""
_QUOTED_RE = re.compile(rb'[^"]*+(?:""[^"]*+)*+')
_LINE_RE = re.compile(r"\r\n|\r|\n")


def _delimiter(header: str, name: str) -> str:
    """The delimiter of a file from its first non-blank line (tab for ``.tsv``)."""
    if name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    first = next((ln for ln in _LINE_RE.split(header) if ln.strip()), "")
    counts = {d: first.count(d) for d in _DELIMS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def split_rows(chunks: Iterable[bytes], delim: int, limit: int,
               keep: int = MAX_KEPT_REJECT_BYTES) -> Iterator[tuple[int, bytes, int, bool]]:
    """Rows of CSV bytes as Python's ``csv`` reader finds them: (line the row starts on, its bytes, its size,
    complete). A row's bytes run from its first byte to its line break, a CR of the break included (LF not), so
    the rows of LF and CRLF files are their lines. A row over ``limit`` bytes is yielded with only its first
    ``keep`` bytes and its full size, and the next row starts after its end: memory holds one chunk and at most
    ``limit`` bytes of a row, never the row. ``complete`` is False for a quoted field still open at the end."""
    line = 1  # the line the current row starts on (CRLF, CR and LF each end a line)
    breaks = 0  # line breaks inside the quoted fields of the current row
    parts: list[bytes] = []
    size = 0
    over = False
    in_quotes = False
    quote_pending = False  # inside quotes, the previous chunk ended on a quote: closing, or the first of ""?
    cr_pending = False  # inside quotes, the previous chunk ended on CR (an LF next is the same line break)
    skip_lf = False  # a row ended on CR at the end of the previous chunk: an LF next belongs to it
    prev = -1  # the row's last byte before this chunk; -1 when the row has no byte yet

    def hold(piece: bytes) -> None:
        nonlocal size, over, parts
        size += len(piece)
        if over:
            return
        parts.append(piece)
        if size > limit:  # too long: keep its start for the reject, drop the rest as it streams by
            over = True
            kept, n = [], 0
            for p in parts:
                kept.append(p[:keep - n])
                n += len(kept[-1])
                if n >= keep:
                    break
            parts = [b"".join(kept)]

    for chunk in chunks:
        n = len(chunk)
        i = 0
        if skip_lf:
            skip_lf = False
            if n and chunk[0] == _LF:
                i = 1
        start = i  # where the current row's bytes begin in this chunk
        while i < n:
            if quote_pending:
                quote_pending = False
                if chunk[i] == _QUOTE:
                    i += 1  # "" inside a quoted field
                else:
                    in_quotes = False
                continue
            if in_quotes:
                end = _QUOTED_RE.match(chunk, i).end()  # type: ignore[union-attr]  # always matches
                if end > i:
                    breaks += (chunk.count(b"\n", i, end) + chunk.count(b"\r", i, end)
                               - chunk.count(b"\r\n", i, end) - (cr_pending and chunk[i] == _LF))
                    cr_pending = chunk[end - 1] == _CR
                if end == n:
                    break
                cr_pending = False  # chunk[end] is a quote, and not the first of a "" pair
                if end + 1 == n:
                    quote_pending = True  # "" split over two chunks, or the closing quote
                    i = n
                else:
                    in_quotes = False
                    i = end + 1
                continue
            m = _SPECIAL_RE.search(chunk, i)
            if m is None:
                break
            j = m.start()
            c = chunk[j]
            if c == _QUOTE:
                before = chunk[j - 1] if j > start else prev
                if before == -1 or before == delim:
                    in_quotes = True  # a quote opens a field only at its start; elsewhere it is a character
                i = j + 1
                continue
            piece = chunk[start:j + 1 if c == _CR else j]
            total = size + len(piece)
            if over or total > limit:
                yield line, (parts[0] if over else b"".join(parts) + piece)[:keep], total, True
            else:
                yield line, b"".join(parts) + piece if parts else piece, total, True
            parts, size, over, prev = [], 0, False, -1
            line += breaks + 1
            breaks = 0
            i = j + 1
            if c == _CR:
                if i < n:
                    i += chunk[i] == _LF
                else:
                    skip_lf = True
            start = i
        if start < n:
            hold(chunk[start:])
            prev = chunk[-1]
    if parts or size:
        yield line, parts[0][:keep] if over else b"".join(parts), size, not in_quotes or quote_pending


def _chunks(f, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while True:
        chunk = f.read(CHUNK)
        if not chunk:
            return
        yield chunk


def _as_utf8(chunks: Iterator[bytes], codec: str) -> Iterator[bytes]:
    """UTF-16/32 chunks → UTF-8 chunks (lone surrogates pass through, so rows encode back to the same bytes)."""
    dec = codecs.getincrementaldecoder(codec)("surrogatepass")
    for chunk in chunks:
        text = dec.decode(chunk)
        if text:
            yield text.encode("utf-8", "surrogatepass")
    dec.errors = "replace"  # an odd byte at the very end
    tail = dec.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8", "surrogatepass")


_BOMS = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
         "utf-32-be": codecs.BOM_UTF32_BE}


def read(inp: Input) -> Iterator[Raw | Reject]:
    mapping = inp.options.get("map") or {}
    hints = {"map": mapping} if mapping else {}
    limit = max_record_bytes()
    header: bytes | None = None
    try:
        with inp.open() as f:
            first = f.read(CHUNK)
            codec, bom = wide_unicode(first) or (None, b"")
            chunks: Iterator[bytes] = _chunks(f, first[len(bom):])
            if codec is not None:
                chunks = _as_utf8(chunks, codec)
            head = next(chunks, b"")
            if head.startswith(codecs.BOM_UTF8):
                head = head[len(codecs.BOM_UTF8):]
            delim = _delimiter(head[:65536].decode("utf-8", "replace"), inp.path)
            for start, row, size, complete in split_rows(itertools.chain((head,), chunks), ord(delim), limit):
                if size > limit:
                    what = "header row" if header is None else "row"
                    yield reject_for(inp, str(start), "read", f"{what} at line {start} is too long for one article "
                                                              f"({size:,} bytes > {limit:,})", payload=row, size=size)
                    if header is None:
                        return
                    continue
                if not row.strip():
                    continue
                if header is None:
                    header = row.rstrip(b"\r")
                    continue
                if not complete:
                    yield reject_for(inp, str(start), "read",
                                     f"row at line {start}: unterminated quoted field at end of file", payload=row)
                    continue
                payload = header + b"\n" + row
                if codec is not None:  # the two rows in the file's own encoding, after its byte-order mark
                    payload = _BOMS[codec] + payload.decode("utf-8", "surrogatepass").encode(codec, "surrogatepass")
                yield Raw(payload=payload, path=inp.path, record=str(start), format=NAME,
                          source=inp.options.get("source"), hints=hints)
    except (OSError, EOFError, zlib.error) as e:
        yield reject_for(inp, "", "read", f"cannot read file: {e}")
        return
    if header is None:
        yield reject_for(inp, "", "read", "empty CSV file (no header row)")


def parse(raw: Raw) -> Draft | Article | Reject:
    payload = raw.payload
    flags: tuple[str, ...] = ()
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        try:
            dec = decode(payload)
        except DecodeError as e:
            return Reject(raw.path, raw.record, "decode", e.reason, raw.sha256, payload, len(payload))
        text, flags = dec.text, dec.flags
    delim = _delimiter(text[:65536], raw.path)
    if csv.field_size_limit() < len(text):  # Python's default (131,072 characters) is far below a record's limit
        csv.field_size_limit(max(len(text), max_record_bytes()))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True))
    except csv.Error as e:
        return Reject(raw.path, raw.record, "parse", f"malformed CSV row: {e}", raw.sha256, payload, len(payload))
    if len(rows) != 2:
        return Reject(raw.path, raw.record, "parse", f"malformed CSV row: expected one row, found {len(rows) - 1}",
                      raw.sha256, payload, len(payload))
    names, values = rows
    if len(values) != len(names):
        return Reject(raw.path, raw.record, "parse", f"row has {len(values)} fields, the header {len(names)}",
                      raw.sha256, payload, len(payload))
    obj = {k.strip(): v for k, v in zip(names, values, strict=True) if v != ""}
    if is_export(obj):  # a row of `bantin export --format csv`: the article as it was exported
        return restore(raw, obj)
    draft = draft_from_record(raw, obj, raw.hints.get("map") or {}, f"{NAME}/{VERSION}", fix_text)
    if flags and isinstance(draft, Draft):
        draft.flags[:0] = [f for f in flags if f not in draft.flags]
    return draft

"""What every reader shares: finding input files, opening them (gzip, stdin), bounded reading, sniffing.

A reader is a small module with ``NAME``, ``VERSION``, ``read(source: Input, options) -> Iterator[Raw | Reject]``
(finds records in a file: no parsing, may run in the main process) and ``parse(raw) -> Draft | Reject`` (pure:
bytes in, fields out; runs in worker processes).
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from bantin.model import Raw, Reject, sha256_hex

#: A single article (text dump, one JSONL line) larger than this is rejected without being read whole.
MAX_RECORD_BYTES = 32 * 1024 * 1024
#: Rejected inputs are kept in the archive up to this size (bigger ones: path, size and sha256 only).
MAX_KEPT_REJECT_BYTES = 8 * 1024 * 1024
CHUNK = 1 << 20


from bantin.errors import UsageError  # noqa: E402,F401 - defined where the faces can import it cheaply


@dataclass(slots=True)
class Input:
    """One file (or stdin) to read."""

    path: str  # as shown to the user and stored in provenance: absolute path or "<stdin>"
    fs_path: str | None  # None for stdin
    size: int | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def gzipped(self) -> bool:
        return self.path.endswith(".gz")

    def open(self) -> IO[bytes]:
        """A binary stream of the (decompressed) content."""
        if self.fs_path is None:
            return sys.stdin.buffer
        f = open(self.fs_path, "rb")
        if self.gzipped:
            return gzip.GzipFile(fileobj=f, mode="rb")  # type: ignore[return-value]
        return f


def expand_paths(paths: list[str]) -> list[Input]:
    """Files, directories (recursively, hidden entries skipped, sorted), globs, and "-" for stdin.

    Raises UsageError naming every path that does not exist or glob that matches nothing.
    """
    out: list[Input] = []
    missing: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        ap = os.path.abspath(p)
        if ap in seen:
            return
        seen.add(ap)
        try:
            size = os.stat(ap).st_size
        except OSError:
            size = None
        out.append(Input(path=ap, fs_path=ap, size=size))

    for p in paths:
        if p == "-":
            out.append(Input(path="<stdin>", fs_path=None))
            continue
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        add(os.path.join(root, name))
            continue
        if os.path.exists(p):
            add(p)
            continue
        if any(c in p for c in "*?["):
            matches = sorted(glob.glob(p, recursive=True))
            if matches:
                for m in matches:
                    if os.path.isdir(m):
                        out.extend(i for i in expand_paths([m]) if i.path not in seen)
                        seen.update(i.path for i in out)
                    else:
                        add(m)
                continue
        missing.append(p)
    if missing:
        raise UsageError("no such file, directory or matching glob: " + ", ".join(missing))
    return out


def strip_gz(name: str) -> str:
    return name[:-3] if name.endswith(".gz") else name


def read_bounded(stream: IO[bytes], limit: int | None = None) -> tuple[bytes, int, str | None]:
    """Read at most ``limit`` bytes (default ``max_record_bytes()``). Returns (data, size, sha256).

    If the stream is longer, reading stops: ``data`` holds the first ``MAX_KEPT_REJECT_BYTES`` bytes, ``size``
    is a lower bound (``limit + 1`` or more) and the sha256 is None — memory and time stay bounded whatever
    the size.
    """
    limit = max_record_bytes() if limit is None else limit
    buf = io.BytesIO()
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            break
        buf.write(chunk)
        total += len(chunk)
        if total > limit:
            return buf.getvalue()[:MAX_KEPT_REJECT_BYTES], total, None
    data = buf.getvalue()
    return data, total, hashlib.sha256(data).hexdigest()


def max_record_bytes() -> int:
    """The record size limit; ``BANTIN_MAX_RECORD_BYTES`` overrides it (tests, small machines)."""
    v = os.environ.get("BANTIN_MAX_RECORD_BYTES")
    return int(v) if v and v.isdigit() else MAX_RECORD_BYTES


def iter_lines_bounded(stream: IO[bytes], limit: int | None = None) -> Iterator[tuple[int, bytes, int]]:
    """Yield (line number from 1, line bytes without the newline, full length) with bounded memory.

    A line longer than ``limit`` is yielded truncated to ``MAX_KEPT_REJECT_BYTES`` with its full length, so the
    caller can reject it.
    """
    limit = max_record_bytes() if limit is None else limit
    lineno = 0
    pending: list[bytes] = []
    pending_len = 0
    overflow = False
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            if nl < 0:
                piece = chunk[start:]
                if piece:
                    pending_len += len(piece)
                    if not overflow:
                        pending.append(piece)
                        if pending_len > limit:
                            overflow = True
                            pending = [b"".join(pending)[:MAX_KEPT_REJECT_BYTES]]
                break
            piece = chunk[start:nl]
            lineno += 1
            total = pending_len + len(piece)
            if overflow:
                yield lineno, pending[0], total
            elif pending:
                pending.append(piece)
                line = b"".join(pending)
                yield lineno, (line if total <= limit else line[:MAX_KEPT_REJECT_BYTES]), total
            else:
                yield lineno, (piece if total <= limit else piece[:MAX_KEPT_REJECT_BYTES]), total
            pending, pending_len, overflow = [], 0, False
            start = nl + 1
    if pending_len:
        lineno += 1
        line = pending[0] if overflow else b"".join(pending)
        yield lineno, line, pending_len


def reject_for(inp: Input, record: str, stage: str, reason: str, payload: bytes | None = None,
               size: int | None = None, sha: str | None = None) -> Reject:
    kept = payload if payload is not None and len(payload) <= MAX_KEPT_REJECT_BYTES else (
        payload[:MAX_KEPT_REJECT_BYTES] if payload is not None else None)
    if sha is None and payload is not None and (size is None or size == len(payload)):
        sha = sha256_hex(payload)
    return Reject(path=inp.path, record=record, stage=stage, reason=reason, raw_sha256=sha, payload=kept,
                  size=size if size is not None else (len(payload) if payload is not None else None))


def sniff(head: bytes) -> str | None:
    """Guess a format from the first bytes of a (decompressed) input: "jsonl", "html", "warc", or None."""
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if s.startswith(b"WARC/"):
        return "warc"
    low = s[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low[:256] or b"<head" in low[:256]:
        return "html"
    if s.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"PAR1"):
        return "parquet"
    return None


def format_of(raw_path: str) -> str | None:
    """Format implied by a file name, or None."""
    name = strip_gz(raw_path.lower())
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith((".txt", ".text")):
        return "text"
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith((".warc", ".arc")):
        return "warc"
    if name.endswith(".json"):
        return "jsonl"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return None


def raw_from(inp: Input, payload: bytes, record: str, fmt: str, hints: dict[str, Any] | None = None) -> Raw:
    return Raw(payload=payload, path=inp.path, record=record, format=fmt, source=inp.options.get("source"),
               hints=hints or {})


def read_whole_file(inp: Input, fmt: str, limit: int, what: str, hint: str = "") -> Raw | Reject:
    """One file as one record (text dumps, saved pages): a bounded read, so a file over ``limit`` bytes (after
    decompression) is rejected as too large for ``what`` without being held whole."""
    tail = f"; {hint}" if hint else ""
    try:
        if inp.size is not None and not inp.gzipped and inp.size > limit:
            return reject_for(inp, "", "read", f"{what} too large to be one article ({inp.size:,} bytes > "
                                               f"{limit:,}){tail}", size=inp.size)
        with inp.open() as f:
            data, total, sha = read_bounded(f, limit)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as e:
        return reject_for(inp, "", "read", f"cannot read file: {e}")
    if sha is None:
        return reject_for(inp, "", "read", f"{what} too large to be one article (more than {limit:,} bytes after "
                                           f"decompression){tail}", payload=data, size=total)
    raw = Raw(payload=data, path=inp.path, record="", format=fmt, source=inp.options.get("source"))
    raw._sha = sha
    return raw

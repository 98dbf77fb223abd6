"""Readers, one per input shape. ``read_inputs`` finds records; ``parse`` turns one Raw into a Draft (pure)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import ModuleType

from bantin.model import Article, Draft, Raw, Reject
from bantin.sources import csv, html, jsonl, parquet, text, warc
from bantin.sources.base import Input, UsageError, expand_paths, format_of, reject_for, sniff

READERS: dict[str, ModuleType] = {"text": text, "jsonl": jsonl, "html": html, "warc": warc, "csv": csv,
                                   "parquet": parquet}
FORMATS = ("auto", *READERS)
#: Shapes we can recognise but have no reader for in this version.
UNSUPPORTED: dict[str, str] = {}


def _peek(inp: Input, n: int = 4096) -> bytes:
    if inp.fs_path is None:
        buf = sys.stdin.buffer
        if hasattr(buf, "peek"):
            return buf.peek(n)[:n]
        return b""
    with inp.open() as f:
        return f.read(n)


def detect_format(inp: Input) -> str:
    fmt = format_of(inp.path) if inp.fs_path is not None else None
    if fmt is None:
        try:
            head = _peek(inp)
        except (OSError, EOFError):
            return "text"  # the reader will report the read error
        fmt = sniff(head) or "text"
    return fmt


def read_inputs(inputs: list[Input], fmt: str = "auto") -> Iterator[Raw | Reject]:
    """Every record of every input, in order; problems become Rejects, never exceptions."""
    for inp in inputs:
        f = detect_format(inp) if fmt == "auto" else fmt
        reader = READERS.get(f)
        if reader is None:
            what = UNSUPPORTED.get(f, f)
            yield reject_for(inp, "", "read", f"{what} are not supported by this version of bantin "
                                              f"(detected format {f!r}); use --format text|jsonl to force a reader",
                             size=inp.size)
            continue
        yield from reader.read(inp)


def parse(raw: Raw) -> Draft | Article | Reject:
    """Raw → the fields its shape carries (a Draft for the cleaner); an Article when the raw is a record of bantin's
    own export (``sources/exported.py``: restored as it was exported); a Reject."""
    reader = READERS.get(raw.format)
    if reader is None:
        return Reject(raw.path, raw.record, "parse", f"no reader for format {raw.format!r}", raw.sha256)
    return reader.parse(raw)


__all__ = ["FORMATS", "READERS", "Input", "UsageError", "detect_format", "expand_paths", "parse", "read_inputs"]

"""Parquet files: one article per row, with the same field names and ``--map`` as JSON Lines.

Streamed in record batches (pyarrow ``iter_batches``), so memory is bounded by the batch, not the file. A row has
no bytes of its own in a Parquet file, so ``Raw.payload`` is the row as a JSON object (column → value; dates and
times in ISO 8601) and ``Raw.record`` the row number (from 1); ``parse`` reads it like a JSON Lines record.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from typing import Any

import orjson

from bantin.clean.encoding import fix_text
from bantin.model import Article, Draft, Raw, Reject
from bantin.sources.base import Input, max_record_bytes, reject_for
from bantin.sources.exported import is_export, restore
from bantin.sources.fields import draft_from_record

NAME = "parquet"
VERSION = "1"
BATCH_ROWS = 512


def _default(v: Any) -> Any:
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    raise TypeError(type(v).__name__)


def read(inp: Input) -> Iterator[Raw | Reject]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    mapping = inp.options.get("map") or {}
    hints = {"map": mapping} if mapping else {}
    limit = max_record_bytes()
    if inp.fs_path is None:
        yield reject_for(inp, "", "read", "Parquet cannot be read from stdin (it needs a seekable file)")
        return
    try:
        pf = pq.ParquetFile(inp.fs_path)
        row = 0
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            for obj in batch.to_pylist():
                row += 1
                try:
                    payload = orjson.dumps(obj, default=_default, option=orjson.OPT_NON_STR_KEYS)
                except TypeError as e:
                    yield reject_for(inp, str(row), "read", f"row {row}: value cannot be read: {e}")
                    continue
                if len(payload) > limit:
                    yield reject_for(inp, str(row), "read", f"row {row} is too large for one article "
                                                            f"({len(payload):,} bytes > {limit:,})",
                                     payload=payload)
                    continue
                yield Raw(payload=payload, path=inp.path, record=str(row), format=NAME,
                          source=inp.options.get("source"), hints=hints)
    except (OSError, pa.ArrowException) as e:
        yield reject_for(inp, "", "read", f"cannot read Parquet file: {e}")


def footer_size(path: str) -> tuple[int, int]:
    """(rows, bytes once decompressed) from a Parquet file's footer; (0, 0) when it cannot be read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        md = pq.read_metadata(path)
        return md.num_rows, sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups))
    except (OSError, pa.ArrowException):
        return 0, 0


def parse(raw: Raw) -> Draft | Article | Reject:
    try:
        obj = orjson.loads(raw.payload)
    except orjson.JSONDecodeError as e:
        return Reject(raw.path, raw.record, "parse", f"malformed row: {e}", raw.sha256, raw.payload,
                      len(raw.payload))
    if not isinstance(obj, dict):
        return Reject(raw.path, raw.record, "parse", "malformed row: not an object", raw.sha256, raw.payload,
                      len(raw.payload))
    obj = {k: v for k, v in obj.items() if v not in (None, "")}
    if is_export(obj):  # a row of `bantin export --format parquet`: the article as it was exported
        return restore(raw, obj)
    return draft_from_record(raw, obj, raw.hints.get("map") or {}, f"{NAME}/{VERSION}", fix_text)

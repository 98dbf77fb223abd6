"""Export articles as JSON Lines (the model's JSON form, one article a line) or Parquet (streamed in row groups)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO

import orjson

from bantin.model import Article

PARQUET_ROWS = 5000


def _parquet_schema():  # imported lazily: pyarrow is slow to import
    import pyarrow as pa

    prov = pa.struct([("path", pa.string()), ("record", pa.string()), ("raw_sha256", pa.string()),
                      ("format", pa.string()), ("source", pa.string()), ("fetched_at", pa.string())])
    return pa.schema([
        ("id", pa.string()), ("title", pa.string()), ("sapo", pa.string()), ("sapo_truncated", pa.bool_()),
        ("paragraphs", pa.list_(pa.string())), ("published_at", pa.string()),
        ("published_ts", pa.timestamp("s", tz="UTC")), ("updated_at", pa.string()), ("views", pa.int64()),
        ("outlet", pa.string()), ("url", pa.string()), ("language", pa.string()), ("external_id", pa.string()),
        ("authors", pa.list_(pa.string())), ("tags", pa.list_(pa.string())), ("captions", pa.list_(pa.string())),
        ("section", pa.string()), ("credit", pa.string()), ("provenance", pa.list_(prov)), ("flags", pa.list_(pa.string())),
        ("versions", pa.map_(pa.string(), pa.string())), ("annotations", pa.string()),
    ])


def _row(a: Article) -> dict:
    from datetime import datetime

    d = a.to_dict()
    d["published_ts"] = datetime.fromisoformat(a.published_at) if a.published_at else None
    d["versions"] = list(a.versions.items())
    d["annotations"] = orjson.dumps(a.annotations).decode() if a.annotations else None
    return d


def export(articles: Iterable[Article], out: str, fmt: str = "jsonl") -> int:
    """Write ``articles`` to ``out`` ("-" = stdout for JSONL). Returns the number written."""
    if fmt == "jsonl":
        n = 0
        f: IO[bytes] = sys.stdout.buffer if out == "-" else open(out, "wb")
        try:
            for a in articles:
                f.write(orjson.dumps(a.to_dict()) + b"\n")
                n += 1
        finally:
            if f is not sys.stdout.buffer:
                f.close()
            else:
                f.flush()
        return n
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if out == "-":
            raise ValueError("Parquet cannot be written to stdout; give -o FILE")
        schema = _parquet_schema()
        n = 0
        with pq.ParquetWriter(out, schema, compression="zstd") as w:
            rows: list[dict] = []
            for a in articles:
                rows.append(_row(a))
                if len(rows) >= PARQUET_ROWS:
                    w.write_table(pa.Table.from_pylist(rows, schema=schema))
                    n += len(rows)
                    rows.clear()
            if rows or n == 0:
                w.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
        return n
    raise ValueError(f"unknown export format {fmt!r} (jsonl or parquet)")

"""Export articles as JSON Lines (the model's JSON form, one article a line), Parquet (streamed in row groups) or
CSV (one row per article, ``sources.exported.CSV_COLUMNS``). Each reads back with ``bantin ingest`` as the same
articles (``sources/exported.py``)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO

import orjson

from bantin.model import Article

PARQUET_ROWS = 5000
#: Columns of ``bantin export --format csv``, in order (``sources/exported.py`` reads them back).
CSV_COLUMNS = ("id", "title", "sapo", "sapo_truncated", "body", "published_at", "updated_at", "views", "outlet",
               "url", "language", "external_id", "authors", "tags", "captions", "section", "credit", "flags",
               "provenance", "versions", "annotations")
#: List columns of the CSV export: one item per line in the cell (a JSON list when an item holds a line break).
CSV_LISTS = {"body": "paragraphs", "authors": "authors", "tags": "tags", "captions": "captions", "flags": "flags"}


def join_lines(items: list[str]) -> str:
    """A CSV cell for a list: one item per line, or a JSON list when that would not read back the same."""
    if any("\n" in s or "\r" in s for s in items) or (items and items[0].startswith('["')):
        return orjson.dumps(items).decode()
    return "\n".join(items)


def split_lines(cell: str) -> list[str]:
    """The list ``join_lines`` made the cell from."""
    if cell.startswith('["'):
        try:
            v = orjson.loads(cell)
        except orjson.JSONDecodeError:
            v = None
        if isinstance(v, list) and all(isinstance(s, str) for s in v):
            return v
    return cell.split("\n") if cell else []


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


def csv_row(a: Article) -> list[str]:
    """An article as a row of ``CSV_COLUMNS``: lists one item per line in their cell (body: the paragraphs),
    provenance, versions and annotations as JSON, true/false, empty cells for None."""
    d = a.to_dict()
    row = []
    for col in CSV_COLUMNS:
        if col in CSV_LISTS:
            row.append(join_lines(d[CSV_LISTS[col]]))
            continue
        v = d[col]
        if col in ("provenance", "versions") or (col == "annotations" and v):
            row.append(orjson.dumps(v).decode())
        elif isinstance(v, bool):
            row.append("true" if v else "false")
        else:
            row.append("" if v is None or v == {} else str(v))
    return row


def export(articles: Iterable[Article], out: str, fmt: str = "jsonl") -> int:
    """Write ``articles`` to ``out`` ("-" = stdout for JSONL and CSV). Returns the number written."""
    if fmt == "csv":
        import csv
        import io

        n = 0
        f = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True) if out == "-" \
            else open(out, "w", encoding="utf-8", newline="")
        try:
            w = csv.writer(f)
            w.writerow(CSV_COLUMNS)
            for a in articles:
                w.writerow(csv_row(a))
                n += 1
        finally:
            if out == "-":
                f.flush()
                f.detach()
            else:
                f.close()
        return n
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
    raise ValueError(f"unknown export format {fmt!r} (jsonl, parquet or csv)")

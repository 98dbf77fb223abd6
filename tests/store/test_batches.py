"""The writer's batches are bounded by count and by bytes, so big pages stream in bounded memory."""

from __future__ import annotations

import json

from bantin import pipeline
from bantin.store.sqlite import SQLiteArchive


def test_batches_flush_by_bytes_as_well_as_count(tmp_path, monkeypatch):
    src = tmp_path / "big.jsonl"
    para = "Người dân trong vùng lũ được hỗ trợ lương thực và nước sạch. " * 300  # ~19 kB per article
    with src.open("w", encoding="utf-8") as f:
        for i in range(40):
            f.write(json.dumps({"id": f"b{i}", "title": f"Bài số {i} về lũ lụt", "body": f"{i} {para}"},
                               ensure_ascii=False) + "\n")
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 100_000)
    store = SQLiteArchive(str(tmp_path / "a.db"))
    sizes: list[int] = []
    put = store.put
    monkeypatch.setattr(store, "put", lambda batch: (sizes.append(len(batch)), put(batch))[1])
    rep = pipeline.ingest(store, [str(src)], workers=1, enrich_articles=False)
    store.close()
    assert rep.added == 40
    assert sum(sizes) == 40 and len(sizes) >= 5  # ~40 kB of raw + document per article, 100 kB per batch
    assert max(sizes) <= 4


def test_workers_keep_input_order_and_send_the_writer_what_it_reads(tmp_path, monkeypatch):
    """With worker processes and a tiny in-flight byte bound the archive is the same as in-process, and the
    records coming back from workers carry no article text or uncompressed raw."""
    src = tmp_path / "n.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(300):
            f.write(json.dumps({"id": f"n{i}", "title": f"Tin số {i}", "sapo": f"Tóm tắt {i}.",
                                "body": f"Đoạn một của bài {i}.\nĐoạn hai, số {i * 7}."}, ensure_ascii=False) + "\n")
    monkeypatch.setattr(pipeline, "IN_FLIGHT_BYTES", 2_000)
    seen: list = []
    real = pipeline.ingest_raws

    def spy(archive, items, **kw):
        put = archive.put
        archive.put = lambda batch: (seen.extend(batch), put(batch))[1]
        return real(archive, items, **kw)

    monkeypatch.setattr(pipeline, "ingest_raws", spy)
    stores = {}
    for w in (1, 2):
        s = SQLiteArchive(str(tmp_path / f"w{w}.db"))
        rep = pipeline.ingest(s, [str(src)], workers=w, enrich_articles=False)
        assert rep.added == 300
        stores[w] = [(a.id, a.title, a.paragraphs, a.provenance[0].record) for a in s.iter_articles()]
        s.close()
    assert stores[1] == stores[2]
    assert [a[3] for a in stores[2]] == sorted((a[3] for a in stores[2]), key=int)
    from_workers = seen[300:]
    assert all(p.article.paragraphs == [] and p.article.raw is None and p.raw_size > 0 for p in from_workers)


def _blas_threads(chunk: list[int]) -> list[int]:
    from threadpoolctl import threadpool_info

    return [max((i["num_threads"] for i in threadpool_info() if i.get("user_api") == "blas"), default=1)] * len(chunk)


def test_worker_processes_use_one_blas_thread_each():
    """Workers are the parallelism: a BLAS thread pool per worker would oversubscribe the cores."""
    out = [n for res in pipeline._ordered_map(_blas_threads, iter([[1], [2], [3]]), 2, weigh=len) for n in res]
    assert out == [1, 1, 1]


def test_workers_auto_decides_by_records_and_decompressed_size_not_bytes_on_disk(tmp_path, monkeypatch):
    """Issue 15, item 30: a 7 MB Parquet of 4,338 articles ran in one process (41 s; 18 s with 2 workers)."""
    import gzip

    import pyarrow as pa
    import pyarrow.parquet as pq

    from bantin.sources.base import expand_paths

    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    body = "Người dân trong vùng lũ được hỗ trợ lương thực và nước sạch. " * 40
    pq.write_table(pa.table({"title": [f"Bài {i}" for i in range(3000)], "body": [body] * 3000}),
                   tmp_path / "small-on-disk.parquet", compression="zstd")  # compresses to a few kB
    assert (tmp_path / "small-on-disk.parquet").stat().st_size < 100_000
    (tmp_path / "many.jsonl.gz").write_bytes(gzip.compress(("{}\n" * 10 + body + "\n").encode() * 3000))
    assert (tmp_path / "many.jsonl.gz").stat().st_size < 100_000
    (tmp_path / "few.jsonl").write_text('{"title": "Một", "body": "Hai."}\n' * 100, encoding="utf-8")
    files = tmp_path / "files"
    files.mkdir()
    for i in range(1000):
        (files / f"{i}.txt").write_text(f"Bài {i}\nNội dung.\n", encoding="utf-8")

    def auto(*paths):
        return pipeline.resolve_workers("auto", expand_paths([str(p) for p in paths]))

    assert auto(tmp_path / "small-on-disk.parquet") == 2  # 3,000 rows, ~8 MB once decompressed
    assert auto(tmp_path / "many.jsonl.gz") == 2  # its gzip trailer says 8 MB
    assert auto(files) == 2  # 1,000 articles, one per file
    assert auto(tmp_path / "few.jsonl") == 1
    assert pipeline.resolve_workers(3, []) == 3


def test_reextract_workers_auto_is_accepted(tmp_path):
    from conftest import SAMPLES, run_cli

    db = tmp_path / "a.db"
    run_cli("ingest", "--no-enrich", str(SAMPLES / "dumps"), db=db, check=0)
    r = run_cli("reextract", "--workers", "auto", "--all", "--json", db=db, check=0)
    assert json.loads(r.stdout)["examined"] == 5
    assert b"--workers" in run_cli("reextract", "--workers", "0", db=db, check=2).stderr


def test_fts_tables_buffer_a_whole_batch_and_older_archives_get_it(tmp_path, monkeypatch):
    """FTS5 writes a segment each time its buffer of new index entries fills; the default 1 MB filled 4–5 times per
    1,000-article batch. Both full-text tables keep 16 MB (migration 13), new archives and migrated ones alike, and
    what is indexed is found the same."""
    from bantin.store import sqlite as store_sqlite

    def hashsizes(store):
        return [store.con.execute(f"SELECT v FROM {t}_config WHERE k = 'hashsize'").fetchone()
                for t in ("text_fts", "lead_fts")]

    store = SQLiteArchive(str(tmp_path / "new.db"))
    assert hashsizes(store) == [(16 << 20,), (16 << 20,)]
    store.close()

    monkeypatch.setattr(store_sqlite, "MIGRATIONS", [m for m in store_sqlite.MIGRATIONS if m[0] < 13])
    old = SQLiteArchive(str(tmp_path / "old.db"))
    assert hashsizes(old) == [None, None]
    src = tmp_path / "n.jsonl"
    src.write_text(json.dumps({"id": "x", "title": "Lũ quét ở Thụy Sĩ", "body": "Mưa lớn gây lũ quét."},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    pipeline.ingest(old, [str(src)], workers=1, enrich_articles=False)
    old.close()
    monkeypatch.undo()
    old = SQLiteArchive(str(tmp_path / "old.db"))
    assert hashsizes(old) == [(16 << 20,), (16 << 20,)]
    assert old.con.execute("SELECT count(*) FROM text_fts WHERE text_fts MATCH 'quét'").fetchone()[0] == 1
    old.close()

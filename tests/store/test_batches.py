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

"""Reading one archive from many threads at once (as `bantin serve` does: a connection per thread)."""

from __future__ import annotations

import json
import threading

from bantin.archive import Bantin


def test_concurrent_readers_decode_documents_safely(tmp_path):
    """zstandard's (de)compressor objects are not thread-safe: one shared by every thread gave "Data corruption
    detected" under a dozen concurrent searches."""
    src = tmp_path / "a.jsonl"
    rows = [{"id": f"t{i}", "title": f"Bài số {i} về thời sự", "published_at": f"2024-01-{1 + i % 28:02d}",
             "body": "\n".join(f"Đoạn {k} của bài {i}: " + "nội dung dài " * (20 + i % 7) for k in range(30))}
            for i in range(60)]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "t.db"
    with Bantin(str(db)) as b:
        b.ingest([str(src)], workers=1, enrich=False, dedup=False)
        ids = [h.id for h in b.search("bài", limit=60)]
    assert len(ids) == 60
    errors: list[BaseException] = []

    def read() -> None:
        with Bantin(str(db), readonly=True) as r:
            try:
                for _ in range(15):
                    for i in ids:
                        assert r.get(i) is not None
                        assert r.raw(r.get(i))
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

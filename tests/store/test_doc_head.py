"""A search page reads its hits' documents without their annotations; what it reads must be the document."""

from __future__ import annotations

import json
import zlib

from bantin.model import Article
from bantin.store.base import decode_doc_dict, decode_doc_head, encode_doc


def article(**kw) -> Article:
    base = dict(id="a1", title='Tiêu đề ,"annotations": {"x": 1}', sapo='Sapo "trích dẫn" ,"annotations":',
                paragraphs=['Đoạn một ,"annotations":{"entities":[]}', "Đoạn hai \\ \" }"], outlet="Dân trí",
                versions={"clean": "1"},
                annotations={"entities": [{"text": "Hà Nội", "type": "LOC", "start": 0, "end": 6}] * 50,
                             "topic": "Thời sự"})
    base.update(kw)
    return Article(**base)


def test_the_head_is_the_document_without_its_annotations():
    for a in (article(), article(annotations={}), article(paragraphs=[]), article(title='"annotations":')):
        data = encode_doc(a)
        full = decode_doc_dict(data)
        full.pop("annotations")
        assert decode_doc_head(data) == full


def test_documents_written_otherwise_are_parsed_whole():
    d = article().to_dict()
    d.pop("provenance")
    legacy = zlib.compress(json.dumps(d, ensure_ascii=False).encode())  # spaces after separators: no marker
    head = decode_doc_head(legacy, "zlib")
    assert "annotations" not in head and head["paragraphs"] == d["paragraphs"] and head["title"] == d["title"]
    moved = dict(annotations=d["annotations"], **{k: v for k, v in d.items() if k != "annotations"})
    data = zlib.compress(json.dumps(moved, separators=(",", ":"), ensure_ascii=False).encode())
    head = decode_doc_head(data, "zlib")  # annotations first: the marker's head is not a whole document
    assert "annotations" not in head and head["id"] == "a1" and head["paragraphs"] == d["paragraphs"]


def test_read_only_archives_are_memory_mapped_unless_told_not_to(tmp_path, monkeypatch):
    from bantin.store.sqlite import READ_MMAP, SQLiteArchive

    path = str(tmp_path / "a.db")
    SQLiteArchive(path).close()
    writer = SQLiteArchive(path)
    assert writer.con.execute("PRAGMA mmap_size").fetchone()[0] == 0  # writers copy pages as before
    writer.close()
    ro = SQLiteArchive(path, readonly=True)
    assert ro.con.execute("PRAGMA mmap_size").fetchone()[0] == READ_MMAP
    ro.close()
    for value, expected in (("0", 0), ("nonsense", READ_MMAP)):
        monkeypatch.setenv("BANTIN_MMAP", value)
        ro = SQLiteArchive(path, readonly=True)
        assert ro.con.execute("PRAGMA mmap_size").fetchone()[0] == expected
        ro.close()

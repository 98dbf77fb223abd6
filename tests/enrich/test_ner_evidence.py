"""Issue 14's new evidence for the NER model: document-level attributes, knowledge-base gazetteer flags,
the article's topic, and the resolver of the hand-annotated VietNews set."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from bantin.enrich.ner import _get_model
from bantin.enrich.ner.features import (COL_C, COL_DOC, COL_GZX, COL_TOPIC, FIRST_DOC_TEMPLATE, TEMPLATES,
                                        Featurizer)
from bantin.enrich.ner.gazetteer import load_gazetteer_entries
from bantin.enrich.ner.text import feature_key, segments, tokenize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fz():
    m = _get_model()
    z = np.load(ROOT / "src/bantin/data/ner/model.npz")
    f = Featurizer(m.featurizer.vocab[: len(str(z["vocab"]).split("\n")) + 2], z["clusters"].astype(np.int64),
                   load_gazetteer_entries())
    return f


def attrs(fz, text):
    toks, starts, _ = tokenize(text)
    A, idx = fz.attributes(toks, segments(toks, starts, text))
    return toks, A, idx


def row(toks, A, idx, word, nth=0):
    hits = [i for i, t in enumerate(toks) if t == word]
    return A[idx[hits[nth]]]


def test_every_mention_sees_the_words_around_all_mentions(fz):
    text = ("Đội Cavaliers thắng lớn.\nCavaliers vẫn dẫn đầu.\nNhóm nhạc BTS ra mắt. Các thành viên BTS vui.")
    toks, A, idx = attrs(fz, text)
    doi, nhac, nhom = (fz.index[feature_key(w)] for w in ("đội", "nhạc", "nhóm"))
    # the second "Cavaliers" has no word before it, yet it sees "đội" from the first mention (which opens a
    # sentence, so "Cavaliers" without "Đội" counts as a mention of its own)
    assert row(toks, A, idx, "Cavaliers", 1)[COL_DOC["dprev"]] == doi
    assert row(toks, A, idx, "Cavaliers", 0)[COL_DOC["dcnt"]] == row(toks, A, idx, "Cavaliers", 1)[COL_DOC["dcnt"]]
    for k in (0, 1):  # ties between "nhạc" and "viên" go to the earliest mention
        r = row(toks, A, idx, "BTS", k)
        assert r[COL_DOC["dprev"]] == nhac and r[COL_DOC["dprev2"]] == nhom
        assert r[COL_DOC["dprevc"]] == fz.clusters[nhac, -1]
    # a word outside any capitalised run has no document attributes
    assert (row(toks, A, idx, "thắng")[list(COL_DOC.values())] == 0).all()


def test_document_attributes_are_computed_only_when_read(fz):
    toks, A, idx = attrs(fz, "Đội Cavaliers thắng.\nCavaliers thua.")
    fz.doc_features = False
    try:
        toks2, B, idx2 = attrs(fz, "Đội Cavaliers thắng.\nCavaliers thua.")
    finally:
        fz.doc_features = True
    assert (B[idx2][:, list(COL_DOC.values())] == 0).all()
    assert (A[idx][:, list(COL_DOC.values())] != 0).any()
    # the shipped CRF reads none of the new templates, so it does not pay for them
    assert all(t < FIRST_DOC_TEMPLATE for t in _get_model().templates)
    assert _get_model().featurizer.doc_features is False


def test_knowledge_base_flags(fz):
    text = "Giá Bitcoin tăng, Cleveland Cavaliers thắng và Samsung ra mắt điện thoại."
    toks, A, idx = attrs(fz, text)
    assert row(toks, A, idx, "Bitcoin")[COL_GZX["COIN"]] == 2  # capitalised match, begin
    assert row(toks, A, idx, "Cleveland")[COL_GZX["GROUP"]] == 2
    assert row(toks, A, idx, "Cavaliers")[COL_GZX["GROUP"]] == 3  # inside the longer match
    assert row(toks, A, idx, "Samsung")[COL_GZX["BRAND"]] == 2
    assert row(toks, A, idx, "thắng")[list(COL_GZX.values())].tolist() == [0, 0, 0]


def test_knowledge_base_file_is_typed_and_sourced():
    path = ROOT / "src/bantin/data/ner/kb_names.tsv"
    cats = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cat, name = line.split("\t")
        cats[cat] = cats.get(cat, 0) + 1
        assert len(name) >= 3 and name == " ".join(name.split())
    assert set(cats) == {"COIN", "GROUP", "BRAND"} and min(cats.values()) > 500
    assert "CC0" in (ROOT / "training/ner/kb/SOURCES.md").read_text(encoding="utf-8")


def test_topic_is_the_nearest_centroid(fz):
    k = int(fz.clusters[:, 0].max()) - 1
    C = np.zeros((3, k))
    C[0, 0] = C[1, 5] = C[2, 9] = 1.0
    f = Featurizer(fz.vocab, fz.clusters, None, doc_features=False, topics=C)
    assert f.topic_of(np.array([7, 7, 7, 2, 11])) == 2 + 1  # cluster 5 (value 7) dominates
    assert f.topic_of(np.array([0, 1, 0])) == 0  # no clustered word: no topic
    toks, A, idx = (lambda t: (t[0], *f.attributes(t[0], segments(t[0], t[1], "Hà Nội mưa to."))))(
        tokenize("Hà Nội mưa to."))
    assert len(set(A[idx, COL_TOPIC].tolist())) == 1  # one topic for every token of a text
    assert A[idx, COL_TOPIC][0] == f.topic_of(A[idx, COL_C[0]])


def test_new_templates_read_only_new_columns():
    from bantin.enrich.ner.features import ATTR_NAMES
    for t in range(FIRST_DOC_TEMPLATE, len(TEMPLATES)):
        names = {ATTR_NAMES[a] for a, _ in TEMPLATES[t]}
        assert names & {"dprev", "dprev2", "dnext", "dcnt", "gzCOIN", "gzGROUP", "gzBRAND", "topic"}


def test_gold_resolver_ignores_unicode_form_and_prefers_longer_names(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "training/ner"))
    import vietnews_gold as vg

    text = unicodedata.normalize("NFD", "Cổ động viên Bồ Đào Nha đến Nga.\nNgười Bồ Đào Nha vui; Nga thắng Bồ Đào Nha.")
    d = {"id": "val/x", "title": text.split("\n")[0], "body": text.split("\n")[1]}
    block = {"line": 0, "domain": "sports",
             "names": [("Bồ Đào Nha", "LOC", None, 1), ("Người Bồ Đào Nha", "MISC", None, 2), ("Nga", "LOC", [1], 3)]}
    r = vg.resolve(block, d)
    got = [(text[s:e], t) for s, e, t, _ in r["entities"]]
    nfd = lambda x: unicodedata.normalize("NFD", x)  # noqa: E731
    assert got == [(nfd("Bồ Đào Nha"), "LOC"), (nfd("Người Bồ Đào Nha"), "MISC"), ("Nga", "LOC"), (nfd("Bồ Đào Nha"), "LOC")]
    assert all(e[3] == unicodedata.normalize("NFC", e[3]) for e in r["entities"])
    with pytest.raises(SystemExit, match="not found"):
        vg.resolve({"line": 0, "domain": "x", "names": [("Hà Nội", "LOC", None, 9)]}, d)

"""Unit tests for the numpy neural scorer (bantin.enrich.ner.nn); no shared data, no torch."""

from __future__ import annotations

import numpy as np
import pytest

from bantin.enrich.ner import MODEL_VERSION, _get_model
from bantin.enrich.ner.gazetteer import DATA_DIR
from bantin.enrich.ner.nn import NNScorer
from bantin.enrich.ner.text import segments, tokenize

L = 9  # labels


def _tiny(tmp_path, dilations=(1, 2), C=5, sizes=(7, 4), cols=(0, 1), alpha=1.5):
    rng = np.random.default_rng(0)
    arrays = dict(version=np.array("test"), alpha=np.array(alpha, dtype=np.float32),
                  cols=np.array(cols, dtype=np.int32), sizes=np.array(sizes, dtype=np.int32),
                  tables=rng.normal(size=(sum(sizes), C)).astype(np.float32),
                  b_in=rng.normal(size=C).astype(np.float32), dilations=np.array(dilations, dtype=np.int32),
                  w_out=rng.normal(size=(C, L)).astype(np.float32), b_out=rng.normal(size=L).astype(np.float32))
    for k in range(len(dilations)):
        arrays[f"conv{k}_w"] = rng.normal(size=(3 * C, C)).astype(np.float32) * 0.5
        arrays[f"conv{k}_b"] = rng.normal(size=C).astype(np.float32)
    p = tmp_path / "s.npz"
    np.savez(p, **arrays)
    return p, arrays


def _reference(arrays, X):
    """Straightforward per-token loops for one segment (zero padding outside it)."""
    sizes = arrays["sizes"]
    bases = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    n = X.shape[0]
    h = np.zeros((n, arrays["b_in"].shape[0]))
    for i in range(n):
        for j in range(X.shape[1]):
            v = X[i, j] if X[i, j] < sizes[j] else 0
            h[i] += arrays["tables"][bases[j] + v]
        h[i] = np.maximum(h[i] + arrays["b_in"], 0)
    for k, d in enumerate(arrays["dilations"]):
        w, b = arrays[f"conv{k}_w"], arrays[f"conv{k}_b"]
        C = h.shape[1]
        new = h.copy()
        for i in range(n):
            acc = b.astype(np.float64).copy()
            for tap, off in enumerate((-d, 0, d)):
                if 0 <= i + off < n:
                    acc += h[i + off] @ w[tap * C:(tap + 1) * C]
            new[i] += np.maximum(acc, 0)
        h = new
    out = h @ arrays["w_out"] + arrays["b_out"]
    out -= out.max(axis=1, keepdims=True)
    return out - np.log(np.exp(out).sum(axis=1, keepdims=True))


def _attrs(rows, segs, ncols=2, padw=2):
    """Attribute matrix laid out like Featurizer.attributes (PAD rows between segments)."""
    n = len(rows)
    seg = np.repeat(np.arange(len(segs)), [b - a for a, b in segs])
    idx = np.arange(n) + padw * (seg + 1)
    A = np.ones((int(idx[-1]) + 1 + padw, ncols), dtype=np.int64)
    A[idx] = rows
    return A, idx


def test_matches_reference_loops_and_segments_do_not_leak(tmp_path):
    p, arrays = _tiny(tmp_path)
    s = NNScorer(p)
    rng = np.random.default_rng(1)
    rows = np.stack([rng.integers(0, 7, 11), rng.integers(0, 4, 11)], axis=1)
    segs = [(0, 4), (4, 5), (5, 11)]
    A, idx = _attrs(rows, segs)
    got = s.scores(A, idx, segs)
    for a, b in segs:
        np.testing.assert_allclose(got[a:b], _reference(arrays, rows[a:b]), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.exp(got).sum(axis=1), 1.0, rtol=1e-5)
    # one segment alone scores the same as inside a batch of segments
    A1, idx1 = _attrs(rows[5:11], [(0, 6)])
    np.testing.assert_allclose(s.scores(A1, idx1, [(0, 6)]), got[5:11], rtol=1e-5, atol=1e-5)


def test_unseen_attribute_values_fall_back_to_unknown(tmp_path):
    p, arrays = _tiny(tmp_path)
    s = NNScorer(p)
    rows = np.array([[3, 1], [99, 2], [5, 17]])
    unk = np.array([[3, 1], [0, 2], [5, 0]])
    A, idx = _attrs(rows, [(0, 3)])
    B, _ = _attrs(unk, [(0, 3)])
    np.testing.assert_allclose(s.scores(A, idx, [(0, 3)]), s.scores(B, idx, [(0, 3)]))


def test_shipped_scorer_is_used_and_versioned():
    path = DATA_DIR / "scorer.npz"
    assert path.exists() and path.stat().st_size < 6_000_000
    s = NNScorer(path)
    assert s.version == MODEL_VERSION
    assert 0 < s.alpha < 10
    m = _get_model()
    assert m.scorer is not None
    text = "Ông Nguyễn Văn An đến Hà Nội.\nBộ Y tế họp."
    toks, starts, _ = tokenize(text)
    segs = segments(toks, starts, text)
    A, idx = m.featurizer.attributes(toks, segs)
    crf = m.crf_emissions(A, idx)
    full = m.emissions(toks, segs)
    logits = s.scores(A, idx, segs, normalise=False)
    np.testing.assert_allclose(full - crf, s.alpha * logits, rtol=1e-4, atol=1e-4)
    # logits and log-probabilities differ by one constant per token (so Viterbi cannot tell them apart)
    diff = logits - s.scores(A, idx, segs)
    np.testing.assert_allclose(diff, diff[:, :1].repeat(diff.shape[1], axis=1), rtol=1e-4, atol=1e-4)
    assert m.predict(toks, segs)[1:4] == ["B-PER", "I-PER", "I-PER"]


@pytest.mark.parametrize("text", ["a", "A B", "(", "x\ny\nz"])
def test_tiny_inputs(text):
    m = _get_model()
    toks, starts, _ = tokenize(text)
    segs = segments(toks, starts, text)
    A, idx = m.featurizer.attributes(toks, segs)
    out = m.scorer.scores(A, idx, segs)
    assert out.shape == (len(toks), len(m.labels)) and np.isfinite(out).all()

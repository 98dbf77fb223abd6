"""The entity model's fast paths give exactly what the straightforward code gives (branch speed12): feature keys
in one pass vs by arity, hash lookups by probe window vs slot by slot, capitalised runs in Python vs numpy, the
scorer's first layer as one take vs one gather per group, Viterbi with the ufuncs called directly — on generated
texts and random inputs, compared bit for bit. No shared data."""

from __future__ import annotations

import numpy as np
import pytest

from bantin.enrich.ner import _get_model
from bantin.enrich.ner.features import COL_SH, FULL_PLAN, N_ATTRS, PADW, Plan
from bantin.enrich.ner.text import segments, tokenize

WORDS = ["Hà", "Nội", "thành", "phố", "Hồ", "Chí", "Minh", "ông", "Nguyễn", "Văn", "An", "Bộ", "Tài", "chính",
         "Công", "ty", "Vingroup", "UBND", "tỉnh", "Quảng", "Ninh", "Mỹ", "Donald", "Trump", "nói", "rằng", "2024",
         "1.200", "tỷ", "đồng", ",", ".", "“", "”", "(", ")", "-", ":", "Xqzw", "zzkx", "Apple", "iPhone", "COVID",
         "Đà", "Nẵng", "Liên", "Hợp", "Quốc", "Tổng", "thống", "Joe", "Biden", "World", "Cup", "U23", "Việt", "Nam"]


@pytest.fixture(scope="module")
def model():
    return _get_model()


def _texts(n=60, seed=7):
    rng = np.random.default_rng(seed)
    out = ["A", "Hà Nội", "ông An .", "Mỹ", ". , :", "zzkx Xqzw"]
    for _ in range(n):
        k = int(rng.integers(1, 60))
        toks = [WORDS[int(i)] for i in rng.integers(0, len(WORDS), k)]
        text = " ".join(toks)
        if rng.random() < 0.4:  # several segments
            text = text.replace(" . ", " .\n", int(rng.integers(1, 3)))
        out.append(text)
    return out


def _attrs(model, text):
    toks, starts, _ = tokenize(text)
    segs = segments(toks, starts, text)
    return toks, segs, *model.featurizer.attributes(toks, segs)


def test_feature_keys_one_pass_equal_horner_by_arity(model):
    fz = model.featurizer
    rng = np.random.default_rng(1)
    for text in _texts():
        _, _, A, idx = _attrs(model, text)
        for plan in (FULL_PLAN, model._multi_plan, Plan([0]), Plan([3, 58, 59])):
            a, b = fz.feature_keys(A, idx, plan), fz.feature_keys_by_arity(A, idx, plan)
            assert a.dtype == b.dtype == np.uint64 and np.array_equal(a, b)
        # random attribute values, UNK (0) sprinkled in: a feature with any absent component does not fire
        R = rng.integers(0, 5000, size=A.shape)
        R[rng.random(A.shape) < 0.2] = 0
        a, b = fz.feature_keys(R, idx, FULL_PLAN), fz.feature_keys_by_arity(R, idx, FULL_PLAN)
        assert np.array_equal(a, b) and (a == 0).any() and (a != 0).any()


def test_lookup_by_window_equals_probing(model):
    rng = np.random.default_rng(2)
    keys = model.keys
    sample = keys[rng.integers(0, keys.size, 5000)]
    rows = model.lookup(sample)
    assert np.array_equal(rows, np.searchsorted(keys, sample))  # a key's row is its position in the model
    assert np.array_equal(rows, model.lookup_probing(sample))
    # keys the model does not have, 0, and a mixture (the hash table's long probe chains included)
    other = rng.integers(1, 2**63, 20000, dtype=np.int64).view(np.uint64) * np.uint64(2) + np.uint64(1)
    mixed = np.concatenate([sample, other, np.zeros(50, dtype=np.uint64), keys])
    rng.shuffle(mixed)
    assert np.array_equal(model.lookup(mixed), model.lookup_probing(mixed))
    assert (model.lookup(np.zeros(3, dtype=np.uint64)) == model.zero_row).all()
    for text in _texts(20):
        _, _, A, idx = _attrs(model, text)
        fk = model.featurizer.feature_keys(A, idx, model._multi_plan).ravel()
        assert np.array_equal(model.lookup(fk), model.lookup_probing(fk))


def test_capitalised_runs_in_python_equal_numpy(model):
    fz = model.featurizer
    rng = np.random.default_rng(3)
    cap_ids = sorted(fz._cap_ids)
    other = [i for i in range(2, 20) if i not in fz._cap_ids]
    cases = [_attrs(model, t)[2] for t in _texts(30)]
    for _ in range(200):  # random shapes: runs at segment edges, single rows, long runs, none
        n = int(rng.integers(1, 40))
        A = np.full((n + 2 * PADW, N_ATTRS), 1, dtype=np.int64)
        A[PADW:PADW + n, COL_SH] = [cap_ids[int(rng.integers(len(cap_ids)))] if rng.random() < 0.5
                                    else other[int(rng.integers(len(other)))] for _ in range(n)]
        A[PADW:PADW + n, 0] = rng.integers(0, 50, n)
        cases.append(A)
    for A in cases:
        a, b = A.copy(), A.copy()
        ra, rb = fz._mark_runs(a, a.shape[0]), fz._mark_runs_numpy(b, b.shape[0])
        assert np.array_equal(a, b)
        assert (ra is None) == (rb is None)
        if ra is not None:
            assert all(np.array_equal(x, y) for x, y in zip(ra, rb))


def test_scorer_first_layer_and_emissions_bitwise(model):
    """The scorer's first layer as one take (bias as a row) equals ``tables[G0] + b_in, += tables[Gg]``."""
    sc = model.scorer
    if sc is None:
        pytest.skip("no neural scorer shipped")
    bias_free = sc.tables[:sc._bias_row]
    for text in _texts(30):
        toks, segs, A, idx = _attrs(model, text)
        X = A[idx[:, None], sc.cols[None, :]]
        X = np.where((X >= 0) & (X < sc.sizes[None, :]), X, 0)
        G = (X.astype(np.float64) @ sc._gmat).astype(np.int64) + sc._gbase[None, :]
        h = bias_free[G[:, 0]] + sc.b_in
        for g in range(1, sc._ngroups):
            h += bias_free[G[:, g]]
        rows = np.empty((sc._ngroups + 1, len(toks)), dtype=np.int64)
        rows[0], rows[1], rows[2:] = G[:, 0], sc._bias_row, G[:, 1:].T
        assert sc.tables.take(rows, axis=0).sum(axis=0).tobytes() == h.tobytes()
        # the CRF's emissions: rows summed feature-major equal the token-major sum
        fk = model.featurizer.feature_keys_by_arity(A, idx, model._multi_plan).ravel()
        r = model.lookup_probing(fk).reshape(len(toks), -1)
        d = A[idx[:, None] + model._d_off[None, :], model._d_attr[None, :]] + model._d_base[None, :]
        ref = model._all[np.concatenate((r, d), axis=1)].sum(axis=1)
        assert model.crf_emissions(A, idx).tobytes() == ref.tobytes()


def _viterbi_reference(trans, emit):
    n, L = emit.shape
    back = np.zeros((n, L), dtype=np.int64)
    score = emit[0].copy()
    for t in range(1, n):
        cand = score[None, :] + trans.T
        back[t] = cand.argmax(axis=1)
        score = cand[np.arange(L), back[t]] + emit[t]
    out = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        out.append(int(back[t, out[-1]]))
    return out[::-1]


def test_viterbi_single_segment_equals_reference(model):
    rng = np.random.default_rng(4)
    L = len(model.labels)
    for k in range(100):
        n = int(rng.integers(1, 50))
        emit = rng.normal(size=(n, L)).astype(np.float32)
        if k % 3 == 0:  # ties: every path scores alike in places
            emit = np.round(emit).astype(np.float32)
        assert model.viterbi(emit, [(0, n)]).tolist() == _viterbi_reference(model.trans, emit)


def test_gazetteer_matches_in_python_equal_numpy(model):
    """Every gazetteer match, found growing windows over phrase prefixes, equals the vectorised window hashes,
    on generated texts, on runs of gazetteer phrases glued together and on random word ids (UNK included)."""
    fz = model.featurizer
    rng = np.random.default_rng(5)
    texts = _texts(40) + ["thành phố Hồ Chí Minh thành phố Hà Nội tỉnh Quảng Ninh Liên Hợp Quốc Bộ Tài chính",
                          "Hồ Chí Minh Hồ Chí Minh Hồ", "Việt Nam\nViệt\nNam"]
    n_hits = 0
    for text in texts:
        _, _, A, _ = _attrs(model, text)
        hits = fz._gaz_hits(A[:, 0].tolist())
        assert hits == fz._gaz_hits_numpy(A, A.shape[0])
        n_hits += len(hits[0])
    assert n_hits > 50
    vocab = np.unique(np.concatenate([_attrs(model, t)[2][:, 0] for t in texts]))
    for _ in range(100):
        A = np.full((int(rng.integers(3, 120)), N_ATTRS), 1, dtype=np.int64)
        A[:, 0] = rng.choice(np.concatenate([vocab, [0, 1]]), A.shape[0])
        assert fz._gaz_hits(A[:, 0].tolist()) == fz._gaz_hits_numpy(A, A.shape[0])


def _mark_gazetteer_reference(fz, A, npad):
    """The flags as main set them, item by item on the numpy matrix."""
    from bantin.enrich.ner.features import ALL_GAZ, COL_ALL_GAZ, UNK

    starts, lens, bits = fz._gaz_hits_numpy(A, npad)
    cap = fz._is_cap[A[:, COL_SH]]
    cols = [COL_ALL_GAZ[g] for g in ALL_GAZ]
    for i, ln, b in zip(starts, lens, bits):
        ci = 0
        while b:
            if b & 1:
                col = cols[ci]
                if ln == 1:
                    if A[i, col] == UNK:
                        A[i, col] = 2 if cap[i] else 4
                elif not A[i: i + ln, col].any():
                    c = bool(cap[i])
                    A[i, col] = 2 if c else 4
                    A[i + 1: i + ln, col] = 3 if c else 5
            b >>= 1
            ci += 1


def test_gazetteer_flags_equal_item_by_item_marking(model, monkeypatch):
    """Overlapping matches (a longer one wins, a shorter one inside it is not marked), capitalised and not."""
    fz = model.featurizer
    texts = _texts(40) + ["thành phố Hồ Chí Minh và Hồ Chí Minh , tỉnh Quảng Ninh , UBND tỉnh Quảng Ninh",
                          "Bộ Tài chính Bộ Tài chính bộ tài chính Liên Hợp Quốc liên hợp quốc"]
    for text in texts:
        toks, segs, A, idx = _attrs(model, text)
        ref = A.copy()
        from bantin.enrich.ner.features import COL_GZ, COL_GZX

        gcols = sorted([*COL_GZ.values(), *COL_GZX.values()])
        ref[idx[:, None], np.array(gcols)[None, :]] = 0  # the flags as before marking: UNK on token rows
        _mark_gazetteer_reference(fz, ref, ref.shape[0])
        assert np.array_equal(A, ref), text

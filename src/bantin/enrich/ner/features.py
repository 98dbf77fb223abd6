"""Per-token attributes and feature templates, shared by training and inference.

Every token gets a row of small integer *attributes* (its normalised syllable
id, shape, script, word-cluster ids, gazetteer flags, sentence-start flag).
A *template* names one or more (attribute, offset) pairs; its value at token i
is the tuple of those attributes at i+offset.  Training writes each template
value as a crfsuite feature string ``"t:v1.v2"``; inference looks the same
value up in numpy tables (see ``model.py``), so both sides see the very same
features by construction.

Attribute value 0 means "unknown / absent" (no feature fires), 1 means
"outside the segment" (padding), real values start at 2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .text import feature_key, script, shape

UNK = 0
PAD = 1

SHAPES = [
    "A", "AA", "a", "Aa", "AaA", "aA", "d1", "D1", "D2", "D4", "Dn", "Dx", "O", "Z",
] + ["P" + c for c in "\"“”'‘’()[],.:;!?-–—/&%…+«»"]
SCRIPTS = ["v", "l", "n", "o", "p"]

# Gazetteer categories (one flag attribute each); the data files name them.
GAZ_CATEGORIES = [
    "LOC",        # countries, provinces, cities, regions
    "ORG",        # state bodies, international organisations, companies, parties
    "PER",        # well-known people (full names)
    "ROLE",       # titles and roles that precede a name ("Chủ tịch", "Tổng thống", "ông")
    "LOCPRE",     # words that open a place name ("tỉnh", "thành phố", "huyện")
    "ORGPRE",     # words that open an organisation name ("Bộ", "Công ty", "Đại học")
    "SURNAME",    # Vietnamese family names
]
N_CLUSTER_LEVELS = 3

# Column layout of the attribute matrix.
COL_W, COL_SH, COL_SC = 0, 1, 2
COL_C = [3 + k for k in range(N_CLUSTER_LEVELS)]
COL_SS = 3 + N_CLUSTER_LEVELS
COL_GZ = {g: COL_SS + 1 + k for k, g in enumerate(GAZ_CATEGORIES)}
N_ATTRS = COL_SS + 1 + len(GAZ_CATEGORIES)
ATTR_NAMES = ["w", "sh", "sc"] + [f"c{k}" for k in range(N_CLUSTER_LEVELS)] + ["ss"] + [
    "gz" + g for g in GAZ_CATEGORIES]
_A = {n: i for i, n in enumerate(ATTR_NAMES)}


def _t(*parts: str) -> tuple[tuple[int, int], ...]:
    out = []
    for p in parts:
        name, off = p.split("@")
        out.append((_A[name], int(off)))
    return tuple(out)


# The feature templates.  Order matters (template index is part of the feature
# name in the trained model); append, never reorder, without retraining.
TEMPLATES: list[tuple[tuple[int, int], ...]] = [
    (),  # bias
    _t("w@-2"), _t("w@-1"), _t("w@0"), _t("w@1"), _t("w@2"),
    _t("w@-1", "w@0"), _t("w@0", "w@1"), _t("w@-2", "w@-1"), _t("w@1", "w@2"), _t("w@-1", "w@1"),
    _t("sh@-2"), _t("sh@-1"), _t("sh@0"), _t("sh@1"), _t("sh@2"),
    _t("sh@-1", "sh@0"), _t("sh@0", "sh@1"), _t("sh@-1", "sh@0", "sh@1"),
    _t("sh@-2", "sh@-1", "sh@0"), _t("sh@0", "sh@1", "sh@2"),
    _t("sc@0"), _t("sc@-1", "sc@0", "sc@1"),
    _t("w@-1", "sh@0"), _t("sh@0", "w@1"), _t("w@-2", "sh@0"), _t("sh@0", "w@2"),
    _t("ss@0"), _t("ss@0", "sh@0"), _t("ss@0", "w@0"),
    _t("c0@-1"), _t("c0@0"), _t("c0@1"),
    _t("c1@-1"), _t("c1@0"), _t("c1@1"),
    _t("c2@-1"), _t("c2@0"), _t("c2@1"),
    _t("c1@-1", "c1@0"), _t("c1@0", "c1@1"),
    _t("c2@0", "sh@0"),
] + [
    _t(f"gz{g}@0") for g in GAZ_CATEGORIES
] + [
    _t(f"gz{g}@-1") for g in ("ROLE", "LOCPRE", "ORGPRE")
] + [
    _t(f"gz{g}@1") for g in ("LOC", "ORG", "PER")
] + [
    _t("gzLOC@0", "sh@0"), _t("gzORG@0", "sh@0"), _t("gzPER@0", "sh@0"),
]

KEY_BASE = 1 << 20  # every attribute's ids stay below this


def combine(cols: Sequence[np.ndarray]) -> np.ndarray:
    """Combine component id arrays into one int64 key per token."""
    key = cols[0].astype(np.int64)
    for c in cols[1:]:
        key = key * KEY_BASE + c
    return key


def shift(col: np.ndarray, seg: np.ndarray, off: int) -> np.ndarray:
    """col[i+off] where i+off lies in the same segment as i, else PAD."""
    if off == 0:
        return col
    n = col.shape[0]
    out = np.full(n, PAD, dtype=col.dtype)
    if off > 0:
        if off < n:
            same = seg[off:] == seg[:-off]
            out[:-off] = np.where(same, col[off:], PAD)
    else:
        k = -off
        if k < n:
            same = seg[:-k] == seg[k:]
            out[k:] = np.where(same, col[:-k], PAD)
    return out


class Featurizer:
    """Maps token surfaces to attribute rows; holds vocab, clusters, gazetteer."""

    def __init__(self, vocab: list[str], clusters: np.ndarray | None,
                 gazetteer: list[tuple[str, str]] | None = None) -> None:
        # vocab[0], vocab[1] are placeholders for UNK and PAD
        self.vocab = list(vocab)
        self.index = {k: i for i, k in enumerate(self.vocab) if i >= 2}
        v = len(self.vocab)
        if clusters is None:
            clusters = np.zeros((v, N_CLUSTER_LEVELS), dtype=np.int32)
        assert clusters.shape == (v, N_CLUSTER_LEVELS)
        self.clusters = clusters.astype(np.int32)
        self._shape_id = {s: i + 2 for i, s in enumerate(SHAPES)}
        self._script_id = {s: i + 2 for i, s in enumerate(SCRIPTS)}
        # token-type cache: surface -> row in self._types
        self._cache: dict[str, int] = {}
        self._types = np.zeros((1024, 3 + N_CLUSTER_LEVELS), dtype=np.int32)
        self._ntypes = 0
        self._build_gazetteer(gazetteer or [])

    # ----------------------------------------------------------------- gazetteer
    def _build_gazetteer(self, entries: list[tuple[str, str]]) -> None:
        """entries: (phrase, category); phrase syllables are matched by feature key."""
        by_n: dict[int, dict[int, int]] = {}
        for phrase, cat in entries:
            if cat not in COL_GZ:
                continue
            keys = [feature_key(t) for t in phrase.split()]
            ids = []
            for k in keys:
                if k not in self.index:
                    self.index[k] = len(self.vocab)
                    self.vocab.append(k)
                ids.append(self.index[k])
            h = int(self._hash_ids(np.array([ids], dtype=np.int64))[0])
            bit = 1 << GAZ_CATEGORIES.index(cat)
            d = by_n.setdefault(len(ids), {})
            d[h] = d.get(h, 0) | bit
        # clusters for vocab entries added by the gazetteer
        if self.clusters.shape[0] < len(self.vocab):
            pad = np.zeros((len(self.vocab) - self.clusters.shape[0], N_CLUSTER_LEVELS), dtype=np.int32)
            self.clusters = np.vstack([self.clusters, pad])
        self._gaz: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, d in by_n.items():
            hs = np.array(sorted(d), dtype=np.uint64)
            bits = np.array([d[int(h)] for h in hs], dtype=np.int64)
            self._gaz[n] = (hs, bits)
        self.gaz_max = max(self._gaz, default=0)

    @staticmethod
    def _hash_ids(ids: np.ndarray) -> np.ndarray:
        """Hash rows of word ids (shape (m, n)) to uint64."""
        h = np.full(ids.shape[0], 1469598103934665603, dtype=np.uint64)
        mul = np.uint64(1099511628211)
        for j in range(ids.shape[1]):
            h = (h ^ ids[:, j].astype(np.uint64)) * mul
        return h

    # -------------------------------------------------------------- token types
    def _add_type(self, surface: str) -> int:
        k = feature_key(surface)
        wid = self.index.get(k, UNK)
        row = [wid, self._shape_id.get(shape(surface), UNK), self._script_id[script(surface)]]
        row.extend(int(c) for c in self.clusters[wid]) if wid else row.extend([UNK] * N_CLUSTER_LEVELS)
        t = self._ntypes
        if t >= self._types.shape[0]:
            self._types = np.vstack([self._types, np.zeros_like(self._types)])
        self._types[t] = row
        self._ntypes += 1
        if self._ntypes > 2_000_000:  # bound memory on endless streams
            self._cache.clear()
            self._ntypes = 0
            return self._add_type(surface)
        self._cache[surface] = t
        return t

    def type_ids(self, tokens: list[str]) -> np.ndarray:
        get = self._cache.get
        ids = [get(s) for s in tokens]
        if None in ids:
            ids = [i if i is not None else (get(s) if s in self._cache else self._add_type(s))
                   for i, s in zip(ids, tokens)]
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    # ----------------------------------------------------------------- sequences
    def attributes(self, tokens: list[str], segs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Attribute matrix (N, N_ATTRS) and segment id per token."""
        n = len(tokens)
        attrs = np.zeros((n, N_ATTRS), dtype=np.int64)
        seg = np.zeros(n, dtype=np.int64)
        if n == 0:
            return attrs, seg
        types = self.type_ids(tokens)
        attrs[:, : 3 + N_CLUSTER_LEVELS] = self._types[types]
        starts = np.array([a for a, _ in segs], dtype=np.int64)
        seg_lens = np.array([b - a for a, b in segs], dtype=np.int64)
        seg = np.repeat(np.arange(len(segs), dtype=np.int64), seg_lens)
        # sentence-start flag: 2 at segment start or after . ! ? …, 3 after an
        # opening quote/bracket or colon, 4 otherwise
        sh = attrs[:, COL_SH]
        prev = shift(sh, seg, -1)
        ss = np.full(n, 4, dtype=np.int64)
        end_ids = [self._shape_id[s] for s in ("P.", "P!", "P?", "P…")]
        open_ids = [self._shape_id[s] for s in ("P\"", "P“", "P'", "P‘", "P(", "P[", "P:", "P-", "P–", "P«")]
        ss[np.isin(prev, open_ids)] = 3
        ss[np.isin(prev, end_ids)] = 2
        ss[starts] = 2
        attrs[:, COL_SS] = ss
        # gazetteer flags: 2 = begins a capitalised match, 3 = inside one,
        # 4 = begins a lower-case match, 5 = inside one
        if self._gaz:
            w = attrs[:, COL_W]
            cap = np.isin(sh, [self._shape_id[s] for s in ("Aa", "AA", "A", "AaA")])
            for nlen in sorted(self._gaz, reverse=True):  # longer matches win
                hs, bits = self._gaz[nlen]
                if nlen > n:
                    continue
                m = n - nlen + 1
                win = np.stack([w[j: j + m] for j in range(nlen)], axis=1)
                ok = (seg[nlen - 1:] == seg[:m]) & (win != UNK).all(axis=1)
                if not ok.any():
                    continue
                h = self._hash_ids(win)
                pos = np.searchsorted(hs, h)
                pos[pos >= len(hs)] = 0
                hit = ok & (hs[pos] == h)
                if not hit.any():
                    continue
                where = np.nonzero(hit)[0]
                hb = bits[pos[where]]
                for ci, g in enumerate(GAZ_CATEGORIES):
                    sel = where[(hb >> ci) & 1 == 1]
                    if sel.size == 0:
                        continue
                    col = attrs[:, COL_GZ[g]]
                    c = cap[sel]
                    begin = np.where(c, 2, 4)
                    inside = np.where(c, 3, 5)
                    # only fill where no longer match has set a flag
                    free = (col[sel] == 0)
                    for j in range(1, nlen):
                        free &= col[sel + j] == 0
                    sel, begin, inside = sel[free], begin[free], inside[free]
                    col[sel] = begin
                    for j in range(1, nlen):
                        col[sel + j] = inside
        return attrs, seg

    def template_values(self, attrs: np.ndarray, seg: np.ndarray) -> list[np.ndarray]:
        """Per template: int64 key per token, or -1 where the feature does not fire."""
        out = []
        shifted: dict[tuple[int, int], np.ndarray] = {}
        n = attrs.shape[0]
        for tpl in TEMPLATES:
            if not tpl:
                out.append(np.zeros(n, dtype=np.int64))
                continue
            cols = []
            for a, off in tpl:
                c = shifted.get((a, off))
                if c is None:
                    c = shift(attrs[:, a], seg, off)
                    shifted[(a, off)] = c
                cols.append(c)
            key = combine(cols) if len(cols) > 1 else cols[0]
            dead = cols[0] == UNK
            for c in cols[1:]:
                dead = dead | (c == UNK)
            out.append(np.where(dead, -1, key))
        return out

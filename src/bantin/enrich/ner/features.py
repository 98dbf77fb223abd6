"""Per-token attributes and feature templates, shared by training and inference.

Every token gets a row of small integer *attributes* (its normalised syllable
id, shape, script, word-cluster ids, gazetteer flags, sentence-start flag).
A *template* names one or more (attribute, offset) pairs; its value at token i
is the tuple of those attributes at i+offset, hashed with the template index
into one 64-bit feature key.  Training hands the keys to crfsuite as feature
names; inference looks the same keys up in one sorted numpy array (see
``model.py``), so both sides see the very same features by construction.

Everything is vectorised per text: segments are laid out in one padded
array (two PAD rows around each segment), so shifted attributes are plain
gathers; gazetteer phrases of every length are matched by their polynomial
hash, each window grown only while it is the prefix of some phrase.

Attribute value 0 means "unknown / absent" (no feature fires), 1 means
"outside the segment" (padding), real values start at 2.
"""

from __future__ import annotations

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
# Appended later (ner-crf-2026.12): capitalisation prior from unlabelled text, and
# "capitalised run" attributes that let every syllable of a name-like span see
# the words around the whole span.
_COL_NEXT = COL_SS + 1 + len(GAZ_CATEGORIES)
RUN_ATTRS = ["rpos", "rlen", "rprev", "rprev2", "rnext", "rfirst", "rlast"]
COL_CP = _COL_NEXT
COL_RUN = {n: _COL_NEXT + 1 + k for k, n in enumerate(RUN_ATTRS)}
# Appended for issue 14 (cross-domain): document-level evidence about a capitalised run, gathered from
# every run of the same tokens in the text (see Featurizer._mark_doc): the word most often before it
# (dprev, and the word before that at the same mention: dprev2), the word most often after it (dnext),
# how often it occurs (dcnt), and the 1024-cluster ids of dprev and dnext (inputs of the neural scorer).
DOC_ATTRS = ["dprev", "dprev2", "dnext", "dcnt", "dprevc", "dnextc"]
_COL_DOC = _COL_NEXT + 1 + len(RUN_ATTRS)
COL_DOC = {n: _COL_DOC + k for k, n in enumerate(DOC_ATTRS)}
# Also issue 14: gazetteer categories from public knowledge bases (kb_names.tsv, training/ner/kb/SOURCES.md),
# one flag column each, set like the hand-written ones (2/3 capitalised match, 4/5 lower-case)
GAZ_EXTRA = ["COIN", "GROUP", "BRAND"]  # coins; clubs, teams and bands; companies, brands and products
_COL_GZX = _COL_DOC + len(DOC_ATTRS)
COL_GZX = {g: _COL_GZX + k for k, g in enumerate(GAZ_EXTRA)}
# And the article's topic: the nearest of K centroids (k-means over unlabelled VietNews articles,
# training/ner/topics.py) to the text's histogram of coarse word clusters; one value for every token.
COL_TOPIC = _COL_GZX + len(GAZ_EXTRA)
N_ATTRS = COL_TOPIC + 1
ATTR_NAMES = ["w", "sh", "sc"] + [f"c{k}" for k in range(N_CLUSTER_LEVELS)] + ["ss"] + [
    "gz" + g for g in GAZ_CATEGORIES] + ["cp"] + RUN_ATTRS + DOC_ATTRS + ["gz" + g for g in GAZ_EXTRA] + ["topic"]
ALL_GAZ = GAZ_CATEGORIES + GAZ_EXTRA
COL_ALL_GAZ = {**COL_GZ, **COL_GZX}
FIRST_DOC_TEMPLATE = 77  # templates 77-81 read the document-level attributes
# attributes whose values are word ids (size of their value range = vocabulary size)
WORD_VALUED = ("w", "rprev", "rprev2", "rnext", "rfirst", "rlast", "dprev", "dprev2", "dnext")
N_CAP_BINS = 16  # values of the "cp" attribute: see Featurizer.cap_bin
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
    # --- 58..: ner-crf-2026.12 additions
    # 58-60 case-sensitive word, word trigram, wider clusters
    _t("w@0", "sh@0"), _t("w@-1", "w@0", "w@1"), _t("c1@-2"), _t("c1@2"),
    # 62-67 capitalisation prior (VietNews): how often the syllable is capitalised mid-sentence
    _t("cp@-1"), _t("cp@0"), _t("cp@1"), _t("cp@0", "sh@0"), _t("cp@0", "ss@0", "sh@0"), _t("cp@-1", "cp@0", "cp@1"),
    # 68-76 capitalised runs
    _t("rpos@0"), _t("rpos@0", "rlen@0"), _t("rprev@0"), _t("rprev2@0", "rprev@0"), _t("rnext@0"),
    _t("rfirst@0"), _t("rlast@0"), _t("rprev@0", "rpos@0"), _t("rpos@0", "cp@0"),
    # --- 77..: issue 14, document-level evidence (every mention of the same name in the text)
    _t("dprev@0"), _t("dprev2@0", "dprev@0"), _t("dnext@0"), _t("dcnt@0", "rlen@0"), _t("dprev@0", "rpos@0"),
    # --- 82..: issue 14, knowledge-base gazetteers
    _t("gzCOIN@0"), _t("gzGROUP@0"), _t("gzBRAND@0"),
    # --- 85..: issue 14, the article's topic with the shape of the capitalised run and the word's cluster
    _t("topic@0", "rpos@0"), _t("topic@0", "rpos@0", "rlen@0"), _t("topic@0", "c1@0"),
]

_MASK = (1 << 64) - 1
_P = 0x100000001B3 * 0x9E3779B1 | 1  # odd multiplier for the polynomial hashes
_P &= _MASK
_Q = pow(_P, -1, 1 << 64)  # inverse of _P modulo 2**64
PADW = 2  # PAD rows before each segment (and after the last): max |offset|


def _u64(x: int) -> np.uint64:
    return np.uint64(x & _MASK)


def template_salt(t: int) -> int:
    return ((t + 1) * 0x9E3779B97F4A7C15) & _MASK


def single_key(t: int, value: int) -> int:
    """Feature key of single-attribute template t with attribute value ``value``."""
    return (template_salt(t) * _P + value) & _MASK


class Plan:
    """How to compute the keys of a subset of templates from the attribute matrix."""

    def __init__(self, templates: list[int]) -> None:
        self.templates = list(templates)
        cols: list[tuple[int, int]] = []
        for t in self.templates:
            for c in TEMPLATES[t]:
                if c not in cols:
                    cols.append(c)
        self.col_attr = np.array([a for a, _ in cols], dtype=np.int64)
        self.col_off = np.array([o for _, o in cols], dtype=np.int64)
        groups: dict[int, tuple[list[int], list[int], list[list[int]]]] = {}
        for j, t in enumerate(self.templates):
            g = groups.setdefault(len(TEMPLATES[t]), ([], [], []))
            g[0].append(j)  # output column
            g[1].append(t)
            g[2].append([cols.index(c) for c in TEMPLATES[t]])
        self.groups = []
        for arity, (js, ts, cidx) in sorted(groups.items()):
            salts = np.array([template_salt(t) for t in ts], dtype=np.uint64)
            self.groups.append((np.array(js), np.array(cidx, dtype=np.int64).reshape(len(ts), arity), salts))
        # every template's key in one pass (Featurizer.feature_keys): the polynomial hash unrolled, key =
        # salt * P**k + a_0 * P**(k-1) + ... + a_(k-1) (mod 2**64, the same number as Horner's rule), each
        # template's components padded to the widest arity with power 0 (and never counted as absent)
        width = max([len(TEMPLATES[t]) for t in self.templates] + [1])
        shape = (width, 1, len(self.templates))  # (component, token, template)
        self.k_off = np.zeros(shape, dtype=np.int64)
        self.k_attr = np.zeros(shape, dtype=np.int64)
        self.k_pow = np.zeros(shape, dtype=np.uint64)
        self.k_valid = np.zeros(shape, dtype=bool)
        self.k_salt = np.zeros(len(self.templates), dtype=np.uint64)
        for j, t in enumerate(self.templates):
            tpl = TEMPLATES[t]
            k = len(tpl)
            self.k_salt[j] = (template_salt(t) * pow(_P, k, 1 << 64)) & _MASK
            for m, (a, off) in enumerate(tpl):
                self.k_attr[m, 0, j], self.k_off[m, 0, j] = a, off
                self.k_pow[m, 0, j] = pow(_P, k - 1 - m, 1 << 64)
                self.k_valid[m, 0, j] = True
        # flat position in the attribute matrix (N_ATTRS columns) relative to the token's row
        self.k_lin = self.k_off * N_ATTRS + self.k_attr


FULL_PLAN = Plan(list(range(len(TEMPLATES))))
N_TEMPLATES = len(TEMPLATES)


class _Powers:
    """P**k and Q**k modulo 2**64, grown on demand."""

    def __init__(self) -> None:
        self.p = np.ones(1, dtype=np.uint64)
        self.q = np.ones(1, dtype=np.uint64)

    def ensure(self, n: int) -> None:
        if self.p.shape[0] >= n:
            return
        size = max(n, 2 * self.p.shape[0], 4096)
        p = np.empty(size, dtype=np.uint64)
        q = np.empty(size, dtype=np.uint64)
        p[0] = q[0] = 1
        np.cumprod(np.full(size - 1, _P, dtype=np.uint64), out=p[1:])
        np.cumprod(np.full(size - 1, _Q, dtype=np.uint64), out=q[1:])
        self.p, self.q = p, q


_POW = _Powers()


class Featurizer:
    """Maps token surfaces to attribute rows; holds vocab, clusters, gazetteer."""

    def __init__(self, vocab: list[str], clusters: np.ndarray | None,
                 gazetteer: list[tuple[str, str]] | None = None, capbins: np.ndarray | None = None,
                 doc_features: bool = True, topics: np.ndarray | None = None) -> None:
        # document-level attributes (DOC_ATTRS) are computed only for models that read them
        self.doc_features = doc_features
        # topic centroids (K, coarse clusters), rows of unit length; None: no topic attribute
        self.topics = None if topics is None else np.asarray(topics, dtype=np.float64)
        # vocab[0], vocab[1] are placeholders for UNK and PAD
        self.vocab = list(vocab)
        self.index = {k: i for i, k in enumerate(self.vocab) if i >= 2}
        v = len(self.vocab)
        if clusters is None:
            clusters = np.zeros((v, N_CLUSTER_LEVELS), dtype=np.int32)
        assert clusters.shape == (v, N_CLUSTER_LEVELS)
        self.clusters = clusters.astype(np.int64)
        # capitalisation-prior bin per vocabulary entry (0: no statistics)
        self.capbins = np.zeros(v, dtype=np.int64) if capbins is None else capbins.astype(np.int64)
        assert self.capbins.shape == (v,)
        self._shape_id = {s: i + 2 for i, s in enumerate(SHAPES)}
        self._script_id = {s: i + 2 for i, s in enumerate(SCRIPTS)}
        nsh = len(SHAPES) + 2

        def flags(names):
            f = np.zeros(nsh, dtype=bool)
            f[[self._shape_id[x] for x in names]] = True
            return f

        self._is_cap = flags(("Aa", "AA", "A", "AaA"))
        self._cap_ids = frozenset(np.flatnonzero(self._is_cap).tolist())
        self._is_end = flags(("P.", "P!", "P?", "P…"))
        self._is_end[PAD] = True
        self._is_open = flags(("P\"", "P“", "P'", "P‘", "P(", "P[", "P:", "P-", "P–", "P«"))
        # token-type cache: surface -> row in self._types
        self._cache: dict[str, int] = {}
        self._types = np.zeros((1024, 4 + N_CLUSTER_LEVELS), dtype=np.int64)  # last column: cp
        self._ntypes = 0
        self._build_gazetteer(gazetteer or [])

    # ----------------------------------------------------------------- gazetteer
    @staticmethod
    def _phrase_hash(ids: list[int]) -> int:
        h = 0
        for w in ids:
            h = (h * _P + w) & _MASK
        return (h + len(ids) * 0x2545F4914F6CDD1D) & _MASK

    def _build_gazetteer(self, entries: list[tuple[str, str]]) -> None:
        """entries: (phrase, category); phrase syllables are matched by feature key."""
        table: dict[int, int] = {}
        lens = set()
        prefixes: set[int] = set()
        for phrase, cat in entries:
            if cat not in COL_ALL_GAZ:
                continue
            ids = []
            for t in phrase.split():
                k = feature_key(t)
                if k not in self.index:
                    self.index[k] = len(self.vocab)
                    self.vocab.append(k)
                ids.append(self.index[k])
            h = self._phrase_hash(ids)
            table[h] = table.get(h, 0) | (1 << ALL_GAZ.index(cat))
            lens.add(len(ids))
            p = 0
            for w in ids:  # Horner hash of every prefix of the phrase (the short texts' path stops early on them)
                p = (p * _P + w) & _MASK
                prefixes.add(p)
        if self.clusters.shape[0] < len(self.vocab):
            pad = np.zeros((len(self.vocab) - self.clusters.shape[0], N_CLUSTER_LEVELS), dtype=np.int64)
            self.clusters = np.vstack([self.clusters, pad])
            self.capbins = np.concatenate([self.capbins, np.zeros(pad.shape[0], dtype=np.int64)])
        self._gaz_h = np.array(sorted(table), dtype=np.uint64)
        self._gaz_bits = np.array([table[int(h)] for h in self._gaz_h], dtype=np.int64)
        self._gaz_len_arr = np.array(sorted(lens, reverse=True), dtype=np.int64)
        self._gaz_len_salt = np.array([(int(n) * 0x2545F4914F6CDD1D) & _MASK for n in self._gaz_len_arr],
                                      dtype=np.uint64)
        self.gaz_max = max(lens, default=0)
        self._gaz_table = table
        self._gaz_prefixes = frozenset(prefixes)

    # -------------------------------------------------------------- token types
    def _add_type(self, surface: str) -> int:
        if self._ntypes >= 2_000_000:  # bound memory on endless streams
            self._cache.clear()
            self._ntypes = 0
        k = feature_key(surface)
        wid = self.index.get(k, UNK)
        row = [wid, self._shape_id.get(shape(surface), UNK), self._script_id[script(surface)]]
        row.extend(int(c) for c in self.clusters[wid]) if wid else row.extend([UNK] * N_CLUSTER_LEVELS)
        cb = int(self.capbins[wid]) if wid else 0
        row.append(cb if cb else N_CAP_BINS - 1)  # N_CAP_BINS - 1: syllable without statistics
        t = self._ntypes
        if t >= self._types.shape[0]:
            self._types = np.vstack([self._types, np.zeros_like(self._types)])
        self._types[t] = row
        self._ntypes += 1
        self._cache[surface] = t
        return t

    def type_ids(self, tokens: list[str]) -> np.ndarray:
        get = self._cache.get
        ids = [get(s) for s in tokens]
        if None in ids:
            ids = [get(s) if i is None and s in self._cache else (i if i is not None else self._add_type(s))
                   for i, s in zip(ids, tokens)]
        return np.array(ids, dtype=np.int64)

    # ----------------------------------------------------------------- sequences
    def attributes(self, tokens: list[str], segs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Padded attribute matrix (Np, N_ATTRS) and each token's row in it."""
        n = len(tokens)
        if n == 0:
            return np.zeros((PADW, N_ATTRS), dtype=np.int64), np.zeros(0, dtype=np.int64)
        types = self.type_ids(tokens)
        if len(segs) == 1:
            idx = np.arange(PADW, n + PADW, dtype=np.int64)
            rows, prev_rows = slice(PADW, n + PADW), slice(PADW - 1, n + PADW - 1)  # slices: cheaper than idx
        else:
            seg_lens = np.array([b - a for a, b in segs], dtype=np.int64)
            seg = np.repeat(np.arange(len(segs), dtype=np.int64), seg_lens)
            idx = np.arange(n, dtype=np.int64) + PADW * (seg + 1)
            rows, prev_rows = idx, idx - 1
        npad = int(idx[-1]) + 1 + PADW
        A = np.full((npad, N_ATTRS), PAD, dtype=np.int64)
        T = self._types.take(types, axis=0)
        A[rows, : 3 + N_CLUSTER_LEVELS] = T[:, : 3 + N_CLUSTER_LEVELS]
        A[rows, COL_SS + 1:] = UNK
        A[rows, COL_CP] = T[:, -1]
        # sentence-start flag: 2 at a segment start or after . ! ? …, 3 after an
        # opening quote/bracket/colon/dash, 4 otherwise
        prev = A[prev_rows, COL_SH]
        ss = np.full(n, 4, dtype=np.int64)
        ss[self._is_open.take(prev)] = 3
        ss[self._is_end.take(prev)] = 2
        A[rows, COL_SS] = ss
        if self._gaz_h.size:
            self._mark_gazetteer(A, idx, npad)
        if self.topics is not None:
            A[idx, COL_TOPIC] = self.topic_of(A[idx, COL_C[0]])
        runs = self._mark_runs(A, npad)
        if self.doc_features and runs is not None:
            Tp = np.full(npad, -1, dtype=np.int64)
            Tp[idx] = types
            self._mark_doc(A, Tp, *runs)
        return A, idx

    def topic_of(self, c0: np.ndarray) -> int:
        """Topic id (2 + index of the nearest centroid by cosine) of a text from its tokens' coarse
        cluster ids (values >= 2; 0 and 1 are no cluster / padding)."""
        k = self.topics.shape[1]
        c = c0[(c0 >= 2) & (c0 < k + 2)] - 2
        if c.size == 0:
            return UNK
        h = np.bincount(c, minlength=k).astype(np.float64)
        return 2 + int(np.argmax(self.topics @ (h / np.linalg.norm(h))))

    def _mark_runs(self, A: np.ndarray, npad: int):
        """Attributes of maximal runs of capitalised tokens (PAD rows are never capitalised); returns the
        rows where runs start and end (None: no capitalised token). In Python over the few capitalised
        rows, written into A at once: ~20 numpy calls fewer than ``_mark_runs_numpy``, the same values."""
        sh = A[:, COL_SH].tolist()
        cap = self._cap_ids
        pos = [i for i, v in enumerate(sh) if v in cap]
        if not pos:
            return None
        W = A[:, COL_W].tolist()
        vals, starts, ends = [], [], []
        k, m = 0, len(pos)
        while k < m:
            f = pos[k]
            e = k
            while e + 1 < m and pos[e + 1] == pos[e] + 1:
                e += 1
            l = pos[e]
            starts.append(f)
            ends.append(l)
            rlen = min(l - f + 1, 5) + 1
            prev, prev2, nxt = W[f - 1], W[max(f - 2, 0)], W[min(l + 1, npad - 1)]
            for i in range(f, l + 1):
                rpos = 2 if f == l else 3 if i == f else 5 if i == l else 4
                vals.append((rpos, rlen, prev, prev2, nxt, W[f], W[l]))  # the order of RUN_ATTRS
            k = e + 1
        c0 = COL_RUN["rpos"]
        A[pos, c0:c0 + len(RUN_ATTRS)] = vals
        return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)

    def _mark_runs_numpy(self, A: np.ndarray, npad: int):
        """``_mark_runs`` vectorised (the reference it is tested against)."""
        cap = self._is_cap[A[:, COL_SH]]
        if not cap.any():
            return None
        prev_cap = np.zeros(npad, dtype=bool)
        prev_cap[1:] = cap[:-1]
        next_cap = np.zeros(npad, dtype=bool)
        next_cap[:-1] = cap[1:]
        start = cap & ~prev_cap
        end = cap & ~next_cap
        ar = np.arange(npad, dtype=np.int64)
        first = np.maximum.accumulate(np.where(start, ar, 0))
        last = np.minimum.accumulate(np.where(end, ar, npad - 1)[::-1])[::-1]
        pos = np.nonzero(cap)[0]
        f, l = first[pos], last[pos]
        rpos = np.full(pos.shape[0], 4, dtype=np.int64)  # inside
        rpos[end[pos]] = 5
        rpos[start[pos]] = 3
        rpos[start[pos] & end[pos]] = 2  # single
        W = A[:, COL_W]
        A[pos, COL_RUN["rpos"]] = rpos
        A[pos, COL_RUN["rlen"]] = np.minimum(l - f + 1, 5) + 1
        A[pos, COL_RUN["rprev"]] = W[f - 1]
        A[pos, COL_RUN["rprev2"]] = W[np.maximum(f - 2, 0)]
        A[pos, COL_RUN["rnext"]] = W[np.minimum(l + 1, npad - 1)]
        A[pos, COL_RUN["rfirst"]] = W[f]
        A[pos, COL_RUN["rlast"]] = W[l]
        return np.nonzero(start)[0], np.nonzero(end)[0]

    def _mark_doc(self, A: np.ndarray, Tp: np.ndarray, rs: np.ndarray, re_: np.ndarray) -> None:
        """Document-level attributes of every capitalised run (rows rs[k]..re_[k] of A): all runs of
        the same surface tokens in the text vote.  dprev is the word most often directly before a
        mention (ties: the earliest), dprev2 the word before it at the first mention with that dprev,
        dnext the word most often after one, dcnt the number of mentions (1, 2, 3-4, 5+).  Only words
        count as neighbours (not punctuation, not a line end).  A run that opens a sentence ("Đội
        Cavaliers thắng") also counts as a mention of the run without its first word, whose previous
        word is then that first word, and its later tokens take that shorter name's evidence when the
        shorter name occurs elsewhere on its own ("Cavaliers")."""
        W = A[:, COL_W].tolist()
        sc = A[:, COL_SC]
        word = ((sc >= 2) & (sc <= 5)).tolist()  # script v, l, n, o: a word, not punctuation or PAD
        ss = A[:, COL_SS].tolist()
        T = Tp.tolist()
        groups: dict[tuple, list] = {}  # key -> [prev counts, first prev2 per prev, next counts, mentions, real]
        runs = []
        for f, l in zip(rs.tolist(), re_.tolist()):
            key = tuple(T[f:l + 1])
            runs.append((f, l, key))
            mentions = [(key, f - 1, True)]
            if l > f and ss[f] in (2, 3):
                mentions.append((key[1:], f, False))
            for k, p, real in mentions:
                g = groups.get(k)
                if g is None:
                    g = groups[k] = [{}, {}, {}, 0, 0]
                g[3] += 1
                g[4] += real
                if word[p] and W[p]:
                    g[0][W[p]] = g[0].get(W[p], 0) + 1
                    if W[p] not in g[1]:
                        g[1][W[p]] = W[p - 1] if word[p - 1] else 0
                n = l + 1
                if word[n] and W[n]:
                    g[2][W[n]] = g[2].get(W[n], 0) + 1
        values: dict[tuple, tuple[int, int, int, int]] = {}

        def vals(k):
            v = values.get(k)
            if v is None:
                prev, prev2, nxt, cnt, _ = groups[k]
                dp = max(prev, key=prev.get) if prev else 0  # dicts keep first-seen order: ties -> earliest
                dn = max(nxt, key=nxt.get) if nxt else 0
                v = values[k] = (dp, prev2.get(dp, 0) if dp else 0, dn, 2 + (0 if cnt < 2 else 1 if cnt < 3 else
                                                                           2 if cnt < 5 else 3))
            return v

        cl = self.clusters[:, N_CLUSTER_LEVELS - 1]
        cols = [COL_DOC["dprev"], COL_DOC["dprev2"], COL_DOC["dnext"], COL_DOC["dcnt"]]
        for f, l, key in runs:
            v = vals(key)
            A[f:l + 1, cols] = v
            if l > f and ss[f] in (2, 3):
                sub = groups.get(key[1:])
                if sub is not None and sub[4] > 0:  # the shorter name also occurs on its own
                    A[f + 1:l + 1, cols] = vals(key[1:])
        sel = np.nonzero(A[:, COL_DOC["dcnt"]] >= 2)[0]
        if sel.size:
            dp, dn = A[sel, COL_DOC["dprev"]], A[sel, COL_DOC["dnext"]]
            A[sel, COL_DOC["dprevc"]] = np.where(dp > 0, cl[dp], 0)
            A[sel, COL_DOC["dnextc"]] = np.where(dn > 0, cl[dn], 0)

    @staticmethod
    def cap_bin(mid: int, cap: int) -> int:
        """Bin (2..13) of a syllable's mid-sentence capitalisation rate and frequency."""
        if mid <= 0:
            return 0
        r = cap / mid
        rb = 0 if r < 0.01 else 1 if r < 0.1 else 2 if r < 0.3 else 3 if r < 0.7 else 4 if r < 0.95 else 5
        return 2 + 2 * rb + (1 if mid >= 50 else 0)

    def _gaz_hits(self, W: list[int]) -> tuple[list[int], list[int], list[int]]:
        """(start row, length, category bits) of every gazetteer match in the word ids ``W`` (the attribute
        matrix's word column), longest first and then by row. Each row's window grows while its Horner hash
        is the hash of some phrase's prefix — most stop after one or two words — where ``_gaz_hits_numpy``
        hashes every (row, phrase length) window with ~25 numpy calls: 4.6 vs 26 us on a 3-token text, 14
        vs 36 on 26 tokens, 0.4 vs 1.2 ms on 1,000. The same hashes, so the same matches (a window the
        numpy path would take on a 64-bit hash collision alone may be missed here, and the reverse)."""
        prefixes, table = self._gaz_prefixes, self._gaz_table
        hits = []
        n = len(W)
        for i in range(n):
            h = 0
            for j in range(i, min(n, i + self.gaz_max)):
                w = W[j]
                if w == UNK:
                    break
                h = (h * _P + w) & _MASK
                if h not in prefixes:
                    break
                b = table.get((h + (j - i + 1) * 0x2545F4914F6CDD1D) & _MASK)
                if b is not None:
                    hits.append((i - j - 1, i, b))  # -length first: longest first, then by row
        hits.sort()
        return [i for _l, i, _b in hits], [-ln for ln, _i, _b in hits], [b for _l, _i, b in hits]

    def _gaz_hits_numpy(self, A: np.ndarray, npad: int) -> tuple[list[int], list[int], list[int]]:
        """``_gaz_hits`` vectorised (the reference it is tested against): every window's polynomial hash at
        once from prefix sums, looked up in the sorted phrase hashes."""
        w = A[:, COL_W].astype(np.uint64)
        _POW.ensure(npad + int(self._gaz_len_arr[0]) + 1)
        # S[k] = sum_{j<k} w[j] * Q**j  (S[0] = 0)
        S = np.zeros(npad + 1, dtype=np.uint64)
        np.cumsum(w * _POW.q[:npad], out=S[1:])
        unk_run = np.zeros(npad + 1, dtype=np.int64)
        np.cumsum(w == UNK, out=unk_run[1:])
        Ln = self._gaz_len_arr[:, None]  # (k, 1)
        I = np.arange(npad, dtype=np.int64)[None, :]
        end = np.minimum(I + Ln, npad)
        # hash of w[i:i+ln] = P**(i+ln-1) * (S[i+ln] - S[i]) + salt(ln)
        win = _POW.p[I + Ln - 1] * (S[end] - S[I]) + self._gaz_len_salt[:, None]
        ok = (I + Ln <= npad) & (unk_run[end] == unk_run[I])
        pos = np.searchsorted(self._gaz_h, win)
        pos[pos >= self._gaz_h.size] = 0
        hit_k, hit_i = np.nonzero(ok & (self._gaz_h[pos] == win))
        return (hit_i.tolist(), self._gaz_len_arr.take(hit_k).tolist(),
                self._gaz_bits.take(pos[hit_k, hit_i]).tolist())

    def _mark_gazetteer(self, A: np.ndarray, idx: np.ndarray, npad: int) -> None:
        """Gazetteer flags: 2 begins a capitalised match, 3 inside it, 4 begins a
        lower-case match, 5 inside it; a longer match wins over a shorter one."""
        starts, lens, bits = self._gaz_hits(A[:, COL_W].tolist())
        if not starts:
            return
        sh = A[:, COL_SH].tolist()
        capset = self._cap_ids
        cols = [COL_ALL_GAZ[g] for g in ALL_GAZ]
        marks: dict[int, list[int]] = {}  # the flag columns touched, as lists (numpy item access is slow)
        for i, ln, b in zip(starts, lens, bits):  # longest first (lens sorted desc)
            ci = 0
            while b:
                if b & 1:
                    col = cols[ci]
                    v = marks.get(col)
                    if v is None:
                        v = marks[col] = A[:, col].tolist()
                    if ln == 1:
                        if v[i] == UNK:
                            v[i] = 2 if sh[i] in capset else 4
                    elif not any(v[i: i + ln]):
                        c = sh[i] in capset
                        v[i] = 2 if c else 4
                        v[i + 1: i + ln] = [3 if c else 5] * (ln - 1)
                b >>= 1
                ci += 1
        for col, v in marks.items():
            A[:, col] = v

    def feature_keys(self, A: np.ndarray, idx: np.ndarray, plan: Plan = FULL_PLAN) -> np.ndarray:
        """(N, len(plan.templates)) uint64 feature keys; 0 where a feature does not fire."""
        # one flat take (numpy's 2-D fancy indexing costs several times more), component-major
        na = A.shape[1]
        lin = plan.k_lin if na == N_ATTRS else plan.k_off * na + plan.k_attr
        comps = np.ascontiguousarray(A).ravel().take(idx[None, :, None] * na + lin)  # (K, N, T)
        c = comps.view(np.uint64)
        key = c[0] * plan.k_pow[0]
        for m in range(1, c.shape[0]):
            key += c[m] * plan.k_pow[m]
        key += plan.k_salt
        dead = comps == UNK
        dead &= plan.k_valid
        key[dead.any(axis=0)] = 0
        return key

    def feature_keys_by_arity(self, A: np.ndarray, idx: np.ndarray, plan: Plan = FULL_PLAN) -> np.ndarray:
        """The same keys as ``feature_keys``, by Horner's rule one arity group at a time (the reference it is
        tested against)."""
        n = idx.shape[0]
        G = A[idx[:, None] + plan.col_off[None, :], plan.col_attr[None, :]]  # (N, C)
        out = np.empty((n, len(plan.templates)), dtype=np.uint64)
        P = np.uint64(_P)
        for js, cidx, salts in plan.groups:
            if cidx.shape[1] == 0:
                out[:, js] = salts[None, :]
                continue
            comps = G[:, cidx]  # (N, Tg, arity)
            key = salts * P + comps[:, :, 0].astype(np.uint64)  # (Tg,) broadcast over the N rows
            dead = comps[:, :, 0] == UNK
            for j in range(1, cidx.shape[1]):
                c = comps[:, :, j]
                key = key * P + c.astype(np.uint64)
                dead |= c == UNK
            key[dead] = 0
            out[:, js] = key
        return out

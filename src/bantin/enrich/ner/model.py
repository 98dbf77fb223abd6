"""Linear-chain CRF inference in numpy.

The model is trained with crfsuite (``training/ner/train.py``) and exported to
one ``.npz`` file: per feature template a sorted array of feature keys and a
matrix of per-label weights, plus the label transition matrix.  Scoring a text
is a handful of vectorised gathers; Viterbi runs over all segments of a text at
once (one numpy step per token position, not per token).

When a neural scorer is given (``scorer.npz``, see ``nn.py``), its label
log-probabilities times ``alpha`` are added to the CRF's emission scores before
Viterbi; the CRF's transition matrix is used unchanged.
"""

from __future__ import annotations

import numpy as np

from .features import (COL_C, COL_CP, COL_DOC, COL_GZ, COL_GZX, COL_RUN, COL_TOPIC, COL_SC, COL_SH, COL_SS, COL_W, FIRST_DOC_TEMPLATE,
                       N_CAP_BINS, SCRIPTS, SHAPES, TEMPLATES, Featurizer, Plan, single_key)


class CRFModel:
    def __init__(self, path, gazetteer: list[tuple[str, str]], scorer_path=None) -> None:
        z = np.load(path, allow_pickle=False)
        self.labels: list[str] = str(z["labels"]).split("\n")
        vocab = ["", ""] + str(z["vocab"]).split("\n")
        capbins = None
        if "capbins" in z.files:
            capbins = np.concatenate([np.zeros(2, dtype=np.int64), z["capbins"].astype(np.int64)])
        self.featurizer = Featurizer(vocab, z["clusters"].astype(np.int64), gazetteer, capbins,
                                     topics=z["topics"] if "topics" in z.files else None)
        self.trans = z["trans"].astype(np.float32)
        L = len(self.labels)
        self.keys = z["keys"].astype(np.uint64)  # sorted feature keys
        w = z["weights"].astype(np.float32) * np.float32(z["scale"])
        # a final all-zero row stands for "feature unknown / not firing"
        self.W = np.vstack([w, np.zeros((1, L), dtype=np.float32)])
        self.zero_row = w.shape[0]
        self.version = str(z["version"])
        # the feature templates this model was trained with (older files: all of the first 58)
        self.templates = z["templates"].tolist() if "templates" in z.files else list(range(58))
        self._build_hash(self.keys)
        self._build_dense()
        # optional neural scorer whose label log-probabilities are added to the emissions
        self.scorer = None
        if scorer_path is not None:
            from .nn import NNScorer

            self.scorer = NNScorer(scorer_path)
        # the document-level attributes cost a pass over the capitalised runs: only when something reads them
        doc_cols = set(COL_DOC.values())
        self.featurizer.doc_features = any(t >= FIRST_DOC_TEMPLATE for t in self.templates) or (
            self.scorer is not None and bool(doc_cols & set(self.scorer.cols.tolist())))
        # weight of the mean over a name's mentions in its emission scores (0: each mention alone)
        self.pool = float(z["pool"]) if "pool" in z.files else 0.0
        # what is pooled: "labels" (every label's score) or "types" (only which type, given a name)
        self.pool_mode = str(z["pool_mode"]) if "pool_mode" in z.files else "labels"

    def _build_dense(self) -> None:
        """Single-attribute templates become dense (value -> label scores) tables,
        one per (attribute, offset): a gather per table instead of hashing."""
        fz = self.featurizer
        sizes = {COL_W: len(fz.vocab), COL_SH: len(SHAPES) + 2, COL_SC: len(SCRIPTS) + 2, COL_SS: 5}
        for c in COL_C:
            sizes[c] = int(fz.clusters[:, c - COL_C[0]].max()) + 2
        for g in (*COL_GZ.values(), *COL_GZX.values()):
            sizes[g] = 6
        sizes[COL_CP] = N_CAP_BINS
        sizes[COL_RUN["rpos"]] = 6
        sizes[COL_RUN["rlen"]] = 7
        for n in ("rprev", "rprev2", "rnext", "rfirst", "rlast"):
            sizes[COL_RUN[n]] = len(fz.vocab)
        for n in ("dprev", "dprev2", "dnext"):
            sizes[COL_DOC[n]] = len(fz.vocab)
        sizes[COL_DOC["dcnt"]] = 6
        sizes[COL_TOPIC] = 2 + (fz.topics.shape[0] if fz.topics is not None else 0)
        sizes[COL_DOC["dprevc"]] = sizes[COL_DOC["dnextc"]] = int(fz.clusters[:, -1].max()) + 2
        tables: dict[tuple[int, int], np.ndarray] = {}
        multi = []
        for t in self.templates:
            tpl = TEMPLATES[t]
            if len(tpl) != 1:
                multi.append(t)
                continue
            a, off = tpl[0]
            v = np.arange(sizes[a], dtype=np.uint64)
            keys = np.uint64(single_key(t, 0)) + v  # salt*P + v (mod 2**64)
            keys[0] = 0  # value UNK never fires
            rows = self.lookup(keys)
            d = tables.setdefault((a, off), np.zeros((sizes[a], self.W.shape[1]), dtype=np.float32))
            d += self.W[rows]
        dense = [(a, off, d) for (a, off), d in tables.items()]
        self._multi_plan = Plan(multi)
        # one gather for everything: the hashed-feature rows and all dense tables stacked
        # under each other, each dense table addressed by (attribute value + its base row)
        parts, bases, base = [self.W], [], self.W.shape[0]
        for _, _, d in dense:
            parts.append(d)
            bases.append(base)
            base += d.shape[0]
        self._all = np.vstack(parts)  # the per-table arrays are dropped: they live on only in here
        self._d_attr = np.array([a for a, _, _ in dense], dtype=np.int64)
        self._d_off = np.array([off for _, off, _ in dense], dtype=np.int64)
        self._d_base = np.array(bases, dtype=np.int64)

    def _build_hash(self, keys: np.ndarray) -> None:
        """Open-addressing table (load <= 1/4): feature key -> weight row."""
        size = 1 << max(10, int(np.ceil(np.log2(max(keys.size, 1) * 4))))
        self._mask = np.uint64(size - 1)
        self._tkeys = np.zeros(size, dtype=np.uint64)  # 0 = empty (0 is never a key)
        self._trows = np.full(size, self.zero_row, dtype=np.int64)
        home = self._slot(keys)
        todo = np.arange(keys.size)
        probe = 0
        while todo.size:
            slot = (home[todo] + np.uint64(probe)) & self._mask
            free = self._tkeys[slot] == 0
            cand, cslot = todo[free], slot[free]
            # one key per free slot this round
            _, first = np.unique(cslot, return_index=True)
            won = cand[first]
            self._tkeys[cslot[first]] = keys[won]
            self._trows[cslot[first]] = won
            placed = np.zeros(keys.size, dtype=bool)
            placed[won] = True
            todo = todo[~placed[todo]]
            probe += 1
        self._max_probe = probe
        # every key sits within _max_probe slots of its home slot: a lookup reads that whole window at once
        # (the table extended by its first _max_probe slots, so no window wraps)
        self._wkeys = np.concatenate([self._tkeys, self._tkeys[:probe]])
        self._wrows = np.concatenate([self._trows, self._trows[:probe]])
        self._probes = np.arange(probe, dtype=np.int64)

    def _slot(self, k: np.ndarray) -> np.ndarray:
        return ((k * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)) & self._mask

    def lookup(self, fk: np.ndarray) -> np.ndarray:
        """Weight row per feature key (zero_row when unknown or 0). Every key's home slot is read at
        once; the keys that met another key there read the rest of their probe window (every key of the
        table sits within _max_probe slots of its home, before any empty slot: linear probing never
        empties one). A key that is not in the table matches nothing, and 0 matches only an empty slot,
        whose row is zero_row: the same rows as probing slot by slot (``lookup_probing``)."""
        slot = self._slot(fk).view(np.int64)
        tk = self._wkeys.take(slot)
        rows = np.where(tk == fk, self._wrows.take(slot), self.zero_row)
        more = np.flatnonzero(tk != fk)
        more = more[tk.take(more) != 0]
        if more.size:
            s2 = slot.take(more) + 1
            hit = self._wkeys.take(s2[:, None] + self._probes[:-1]) == fk.take(more)[:, None]
            r2 = self._wrows.take(s2 + hit.argmax(axis=1))
            r2[~hit.any(axis=1)] = self.zero_row
            rows[more] = r2
        return rows

    def lookup_probing(self, fk: np.ndarray) -> np.ndarray:
        """``lookup`` one probe at a time (the reference it is tested against)."""
        slot = self._slot(fk)
        rows = np.full(fk.shape, self.zero_row, dtype=np.int64)
        todo = np.nonzero(fk)[0]
        for probe in range(self._max_probe):
            if not todo.size:
                break
            s = (slot[todo] + np.uint64(probe)) & self._mask
            tk = self._tkeys[s]
            hit = tk == fk[todo]
            rows[todo[hit]] = self._trows[s[hit]]
            todo = todo[(~hit) & (tk != 0)]
        return rows

    def crf_emissions(self, A: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """The CRF's own emission scores from an attribute matrix."""
        fk = self.featurizer.feature_keys(A, idx, self._multi_plan).ravel()
        rows = self.lookup(fk).reshape(idx.shape[0], -1)
        na = A.shape[1]
        # flat takes: numpy's 2-D fancy indexing costs several times more
        drows = np.ascontiguousarray(A).ravel().take(idx[:, None] * na + (self._d_off * na + self._d_attr)[None, :])
        drows += self._d_base
        # gathered feature-major, (features, N, labels): the sum over the features runs in the same order
        # (one feature after the other) with a long inner loop instead of N short ones
        return self._all.take(np.concatenate((rows, drows), axis=1).T, axis=0).sum(axis=0)

    def emissions(self, tokens: list[str], segs: list[tuple[int, int]]) -> np.ndarray:
        """Emission scores: the CRF's, plus alpha * the neural scorer's label scores (its logits:
        the per-token softmax normaliser would shift every label of a token alike); with ``pool`` > 0,
        pooled over the mentions of each capitalised name (``pool_emissions``)."""
        A, idx = self.featurizer.attributes(tokens, segs)
        emit = self.crf_emissions(A, idx)
        if self.scorer is not None and idx.shape[0]:
            emit += np.float32(self.scorer.alpha) * self.scorer.scores(A, idx, segs, normalise=False)
        if self.pool > 0 and idx.shape[0]:
            pool_emissions(emit, tokens, A[idx, COL_RUN["rpos"]], self.pool,
                           self.labels if self.pool_mode == "types" else None)
        return emit

    def viterbi(self, emit: np.ndarray, segs: list[tuple[int, int]]) -> np.ndarray:
        """Best label id per token, decoding each segment independently."""
        n, L = emit.shape
        out = np.zeros(n, dtype=np.int64)
        if n == 0:
            return out
        if len(segs) == 1:
            transT = np.ascontiguousarray(self.trans.T)
            # forward pass: three C calls a step (each step's candidate matrix score + trans, its row maxima,
            # plus the emissions); every step's score row is kept, so the back pointers — the argmax of the
            # very same candidate matrices, float for float — come afterwards in one call for all steps
            scores = np.empty((n, L), dtype=np.result_type(emit, transT))
            scores[0] = emit[0]
            cand = np.empty((L, L), dtype=scores.dtype)  # (L, Lprev), reused every step
            add, amax = np.add, np.maximum.reduce
            rows, emit_rows = list(scores), list(emit)
            for t in range(1, n):
                add(rows[t - 1], transT, cand)
                amax(cand, 1, None, rows[t])
                add(rows[t], emit_rows[t], rows[t])
            back = (scores[:-1, None, :] + transT[None, :, :]).argmax(axis=2).tolist()  # back[t - 1]: step t
            cur = int(scores[n - 1].argmax())
            path = [cur]
            for t in range(n - 2, -1, -1):
                cur = back[t][cur]
                path.append(cur)
            out[:] = path[::-1]
            return out
        lens = np.array([b - a for a, b in segs], dtype=np.int64)
        order = np.argsort(-lens, kind="stable")
        starts = np.array([a for a, _ in segs], dtype=np.int64)[order]
        lens = lens[order]
        S, T = len(order), int(lens[0])
        # padded layout: position t of the s-th longest segment is token pidx[t, s]
        tt = np.arange(T, dtype=np.int64)[:, None]
        valid = tt < lens[None, :]
        pidx = np.where(valid, starts[None, :] + tt, 0)
        E = emit[pidx]  # (T, S, L)
        # number of segments still running at step t (lens sorted descending)
        active_at = np.searchsorted(-lens, -np.arange(T), side="left")
        back = np.zeros((T, S, L), dtype=np.int64)
        score = E[0].copy()
        transT = np.ascontiguousarray(self.trans.T)[None, :, :]  # (1, L, Lprev)
        for t in range(1, T):
            k = int(active_at[t])
            cand = score[:k, None, :] + transT  # (k, L, Lprev)
            back[t, :k] = cand.argmax(axis=2)
            score[:k] = cand.max(axis=2) + E[t, :k]
        path = np.zeros((T, S), dtype=np.int64)
        cur = score.argmax(axis=1)
        ar = np.arange(S)
        for t in range(T - 1, 0, -1):
            k = int(active_at[t])
            path[t, :k] = cur[:k]
            cur[:k] = back[t, ar[:k], cur[:k]]
        path[0] = cur
        out[pidx[valid]] = path[valid]
        return out

    def predict(self, tokens: list[str], segs: list[tuple[int, int]]) -> list[str]:
        emit = self.emissions(tokens, segs)
        ids = self.viterbi(emit, segs)
        labels = self.labels
        return [labels[i] for i in ids.tolist()]


def pool_emissions(emit: np.ndarray, tokens: list[str], rpos: np.ndarray, weight: float,
                   labels: list[str] | None = None) -> None:
    """One type per name per text, softly: every maximal run of capitalised tokens that occurs more than
    once in the text (the same tokens, case-sensitive) has the emission scores of each of its tokens
    replaced, in place, by ``(1 - weight) * own + weight * mean over the run's mentions`` (position by
    position), so the evidence of every mention ("đội Cavaliers", "CLB Cavaliers") reaches all of them
    before decoding. ``rpos`` is the run-position attribute of each token (2 single, 3 first, 4 inside,
    5 last; anything else: not capitalised).

    With ``labels`` (the BIO label names), only the *type* is pooled: per token, each type's score
    (log-sum-exp of its B- and I- scores) is turned into a log-distribution over the types, and every B-/I-
    score of a type moves by ``weight * (mean over the mentions - own)`` of that type's log-probability, so
    whether (and where) a mention is a name stays its own decision, and which type it is becomes shared."""
    r = rpos.tolist()
    groups: dict[tuple, list[int]] = {}
    i, n = 0, len(r)
    while i < n:
        if r[i] == 2:
            groups.setdefault((tokens[i],), []).append(i)
            i += 1
        elif r[i] == 3:
            j = i + 1
            while j < n and r[j] == 4:
                j += 1
            if j < n and r[j] == 5:
                groups.setdefault(tuple(tokens[i:j + 1]), []).append(i)
                i = j + 1
            else:
                i = j
        else:
            i += 1
    w = np.float32(weight)
    type_cols = None
    if labels is not None:
        types = sorted({lab[2:] for lab in labels if lab[:2] in ("B-", "I-")})
        type_cols = [np.array([i for i, lab in enumerate(labels) if lab[2:] == t and lab[:2] in ("B-", "I-")])
                     for t in types]
    for key, starts in groups.items():
        if len(starts) < 2:
            continue
        rows = np.array(starts, dtype=np.int64)[:, None] + np.arange(len(key), dtype=np.int64)[None, :]
        E = emit[rows]  # (mentions, length, labels)
        if type_cols is None:
            emit[rows] = (1 - w) * E + w * E.mean(axis=0, keepdims=True)
            continue
        S = np.stack([np.logaddexp.reduce(E[..., c], axis=-1) for c in type_cols], axis=-1)  # (m, len, types)
        Z = S - np.logaddexp.reduce(S, axis=-1, keepdims=True)
        shift = w * (Z.mean(axis=0, keepdims=True) - Z)  # (m, len, types)
        for k, c in enumerate(type_cols):
            E[..., c] += shift[..., k:k + 1]
        emit[rows] = E

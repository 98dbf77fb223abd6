"""Linear-chain CRF inference in numpy.

The model is trained with crfsuite (``training/ner/train.py``) and exported to
one ``.npz`` file: per feature template a sorted array of feature keys and a
matrix of per-label weights, plus the label transition matrix.  Scoring a text
is a handful of vectorised gathers; Viterbi runs over all segments of a text at
once (one numpy step per token position, not per token).
"""

from __future__ import annotations

import numpy as np

from .features import TEMPLATES, Featurizer


class CRFModel:
    def __init__(self, path, gazetteer: list[tuple[str, str]]) -> None:
        z = np.load(path, allow_pickle=False)
        self.labels: list[str] = str(z["labels"]).split("\n")
        vocab = ["", ""] + str(z["vocab"]).split("\n")
        self.featurizer = Featurizer(vocab, z["clusters"].astype(np.int32), gazetteer)
        self.trans = z["trans"].astype(np.float32)
        L = len(self.labels)
        keys = z["keys"]
        offsets = z["offsets"]  # template t owns rows offsets[t]:offsets[t+1]
        w = z["weights"].astype(np.float32) * float(z["scale"])
        # one big weight table, with a final all-zero row for "no feature"
        self.W = np.vstack([w, np.zeros((1, L), dtype=np.float32)])
        self.zero_row = w.shape[0]
        self._lookups = []
        for t, tpl in enumerate(TEMPLATES):
            a, b = int(offsets[t]), int(offsets[t + 1])
            k = keys[a:b]
            if len(tpl) <= 1 and (k.size == 0 or k.max() < 4_000_000):
                size = int(k.max()) + 2 if k.size else 1
                dense = np.full(size, self.zero_row, dtype=np.int64)
                dense[k] = np.arange(a, b, dtype=np.int64)
                self._lookups.append(("dense", dense))
            else:
                self._lookups.append(("sorted", (k, a)))
        self.version = str(z["version"])

    def emissions(self, tokens: list[str], segs: list[tuple[int, int]]) -> np.ndarray:
        attrs, seg = self.featurizer.attributes(tokens, segs)
        vals = self.featurizer.template_values(attrs, seg)
        n = len(tokens)
        rows = np.empty((len(TEMPLATES), n), dtype=np.int64)
        for t, (kind, lk) in enumerate(self._lookups):
            v = vals[t]
            if kind == "dense":
                dense = lk
                vv = np.where((v < 0) | (v >= dense.shape[0] - 1), dense.shape[0] - 1, v)
                r = dense[vv]
                r[vv == dense.shape[0] - 1] = self.zero_row
                rows[t] = r
            else:
                k, a = lk
                if k.size == 0:
                    rows[t] = self.zero_row
                    continue
                pos = np.searchsorted(k, v)
                pos[pos >= k.size] = 0
                rows[t] = np.where((k[pos] == v) & (v >= 0), pos + a, self.zero_row)
        return self.W[rows].sum(axis=0)

    def viterbi(self, emit: np.ndarray, segs: list[tuple[int, int]]) -> np.ndarray:
        """Best label id per token, decoding each segment independently."""
        n, L = emit.shape
        out = np.zeros(n, dtype=np.int64)
        if n == 0:
            return out
        lens = np.array([b - a for a, b in segs], dtype=np.int64)
        order = np.argsort(-lens, kind="stable")
        starts = np.array([segs[i][0] for i in order], dtype=np.int64)
        lens = lens[order]
        S, T = len(order), int(lens[0])
        trans = self.trans
        back = np.zeros((T, S, L), dtype=np.int64)
        score = emit[starts].copy()  # (S, L)
        active = S
        for t in range(1, T):
            while active and lens[active - 1] <= t:
                active -= 1
            cand = score[:active, :, None] + trans[None, :, :]  # (S, Lprev, L)
            bp = cand.argmax(axis=1)
            back[t, :active] = bp
            score[:active] = np.take_along_axis(cand, bp[:, None, :], axis=1)[:, 0, :] + emit[starts[:active] + t]
        best = score.argmax(axis=1)  # (S,)
        # backtrack
        cur = best.copy()
        for t in range(T - 1, -1, -1):
            alive = lens > t
            idx = np.nonzero(alive)[0]
            out[starts[idx] + t] = cur[idx]
            if t > 0:
                cur[idx] = back[t, idx, cur[idx]]
        return out

    def predict(self, tokens: list[str], segs: list[tuple[int, int]]) -> list[str]:
        emit = self.emissions(tokens, segs)
        ids = self.viterbi(emit, segs)
        labels = self.labels
        return [labels[i] for i in ids]

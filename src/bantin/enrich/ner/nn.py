"""A small neural label scorer whose scores are added to the CRF's emissions.

The network (trained by ``training/ner/train_nn.py`` in torch, run here in
numpy) reads the CRF's own per-token attribute matrix (syllable id, shape,
script, clusters, sentence start, gazetteer flags, capitalisation prior,
capitalised-run position and length), so it needs no extra tokenisation or
lookup.  Architecture:

    h = relu(sum_j Emb_j[attr_j] @ W_in_j + b)      (one gather-and-sum: the
                                                      input projection is folded
                                                      into the embedding tables)
    h = h + relu(conv3_d(h))   for d in dilations     (dilated 1-D convolutions,
                                                      kernel 3, zero padding at
                                                      segment ends)
    scores = log_softmax(h @ W_out + b_out)

Segments are laid out in one flat array with ``max(dilations)`` zero rows
between them, so every convolution is one matrix product over all tokens of a
text and no segment sees another.  ``CRFModel.emissions`` adds
``alpha * (h @ W_out + b_out)`` (the logits: the softmax normaliser is one
constant per token and cannot change the Viterbi path) to the CRF emission
scores before Viterbi.  Inputs with few values are merged into joint tables
at load time (a row per combination), so the first layer is ~7 gathers.
"""

from __future__ import annotations

import numpy as np

from .features import (COL_C, COL_CP, COL_DOC, COL_GZ, COL_GZX, COL_RUN, COL_SC, COL_SH, COL_SS, COL_W, GAZ_CATEGORIES,
                       N_CAP_BINS, SCRIPTS, SHAPES)


def input_columns(vocab_size: int, cluster_sizes: list[int], doc: bool = False,
                  kb: bool = False) -> list[tuple[str, int, int]]:
    """(name, attribute column, number of values) of every network input, in order; with ``doc`` also
    the document-level evidence (clusters of the words most often around the name, mention count), with
    ``kb`` the knowledge-base gazetteer flags (COIN, GROUP, BRAND)."""
    cols = [("w", COL_W, vocab_size), ("sh", COL_SH, len(SHAPES) + 2), ("sc", COL_SC, len(SCRIPTS) + 2)]
    cols += [(f"c{k}", c, cluster_sizes[k]) for k, c in enumerate(COL_C)]
    cols += [("ss", COL_SS, 5)]
    cols += [(f"gz{g}", COL_GZ[g], 6) for g in GAZ_CATEGORIES]
    cols += [("cp", COL_CP, N_CAP_BINS), ("rpos", COL_RUN["rpos"], 6), ("rlen", COL_RUN["rlen"], 7)]
    if doc:
        cols += [("dprevc", COL_DOC["dprevc"], cluster_sizes[-1]), ("dnextc", COL_DOC["dnextc"], cluster_sizes[-1]),
                 ("dcnt", COL_DOC["dcnt"], 6)]
    if kb:
        cols += [(f"gz{g}", c, 6) for g, c in COL_GZX.items()]
    return cols


class NNScorer:
    """Per-token label log-probabilities from the exported network (``scorer.npz``)."""

    def __init__(self, path) -> None:
        z = np.load(path, allow_pickle=False)
        self.version = str(z["version"])
        self.alpha = float(z["alpha"])
        self.cols = z["cols"].astype(np.int64)  # attribute column of each input
        self.sizes = z["sizes"].astype(np.int64)  # number of values of each input
        # all input tables (already multiplied by their slice of the input projection)
        # stacked under each other; input j's value v is row bases[j] + v
        tab = z["tables"].astype(np.float32)
        if "tables_scale" in z.files:
            tab = tab * z["tables_scale"].astype(np.float32)[:, None]
        self._group_inputs(tab)
        self.b_in = z["b_in"].astype(np.float32)
        self.tables = np.vstack([self.tables, self.b_in[None, :]])
        self.dilations = [int(d) for d in z["dilations"]]
        self.convs = [(z[f"conv{k}_w"].astype(np.float32), z[f"conv{k}_b"].astype(np.float32))
                      for k in range(len(self.dilations))]
        self.w_out = z["w_out"].astype(np.float32)
        self.b_out = z["b_out"].astype(np.float32)
        self.pad = max(self.dilations) if self.dilations else 0

    def _group_inputs(self, tab: np.ndarray, max_rows: int = 8192) -> None:
        """Fold inputs with few values into joint tables (a row per combination of values), so the
        per-token gather-and-sum reads ~7 rows instead of one per input."""
        bases = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        order = sorted(range(len(self.sizes)), key=lambda j: (int(self.sizes[j]), j))
        groups: list[list[int]] = []
        for j in order:
            if groups and int(np.prod([self.sizes[k] for k in groups[-1]])) * int(self.sizes[j]) <= max_rows:
                groups[-1].append(j)
            else:
                groups.append([j])
        parts, gbases, mults, base = [], [], np.zeros(len(self.sizes), dtype=np.int64), 0
        gid = np.zeros(len(self.sizes), dtype=np.int64)
        for g, members in enumerate(groups):
            joint = np.zeros((1, tab.shape[1]), dtype=np.float32)
            mult = 1
            for j in reversed(members):  # mixed radix: the first member varies slowest
                size = int(self.sizes[j])
                t = tab[bases[j]: bases[j] + size]
                joint = (t[:, None, :] + joint[None, :, :]).reshape(-1, tab.shape[1])
                mults[j] = mult
                mult *= size
                gid[j] = g
            parts.append(joint)
            gbases.append(base)
            base += joint.shape[0]
        self.tables = np.vstack(parts)
        # the input bias as one more row, so the first layer is one take and one sum: rows (group 0, bias,
        # group 1, ...) summed one after the other are ((t0 + b_in) + t1) + ..., as written out
        self._bias_row = self.tables.shape[0]
        self._gmat = np.zeros((len(self.sizes), len(groups)), dtype=np.float64)
        self._gmat[np.arange(len(self.sizes)), gid] = mults
        self._gbase = np.array(gbases, dtype=np.int64)
        self._ngroups = len(groups)

    def scores(self, A: np.ndarray, idx: np.ndarray, segs: list[tuple[int, int]],
               normalise: bool = True) -> np.ndarray:
        """(n_tokens, n_labels) log-probabilities; A, idx as from ``Featurizer.attributes``.

        With ``normalise=False`` the raw label scores (logits): they differ from the
        log-probabilities by one constant per token, which no Viterbi path can tell apart,
        so decoding uses them and saves the softmax."""
        n = idx.shape[0]
        X = np.ascontiguousarray(A).ravel().take(idx[:, None] * A.shape[1] + self.cols[None, :])  # a flat take
        X[(X < 0) | (X >= self.sizes[None, :])] = 0  # unseen ids -> UNK
        # row of each input group's joint table (float matmul is exact: values < 2**53)
        G = (X.astype(np.float64) @ self._gmat).astype(np.int64) + self._gbase[None, :]
        # one take, group-major (groups + bias, n, channels), summed in the order written above
        rows = np.empty((self._ngroups + 1, n), dtype=np.int64)
        rows[0] = G[:, 0]
        rows[1] = self._bias_row
        rows[2:] = G[:, 1:].T
        h = self.tables.take(rows, axis=0).sum(axis=0)
        np.maximum(h, 0, out=h)
        R = self.pad
        if len(segs) == 1:  # one segment: plain slices of a zero-padded copy
            P = np.zeros((n + 2 * R, h.shape[1]), dtype=np.float32)
            P[R:R + n] = h
            for d, (w, b) in zip(self.dilations, self.convs):
                y = np.concatenate((P[R - d:R - d + n], P[R:R + n], P[R + d:R + d + n]), axis=1) @ w + b
                np.maximum(y, 0, out=y)
                P[R:R + n] += y
            out = P[R:R + n] @ self.w_out + self.b_out
        else:
            seg_lens = np.array([b - a for a, b in segs], dtype=np.int64)
            seg = np.repeat(np.arange(len(segs), dtype=np.int64), seg_lens)
            pos = np.arange(n, dtype=np.int64) + R * (seg + 1)
            P = np.zeros((int(pos[-1]) + 1 + R, h.shape[1]), dtype=np.float32)
            P[pos] = h
            for d, (w, b) in zip(self.dilations, self.convs):
                y = np.concatenate((P[pos - d], P[pos], P[pos + d]), axis=1) @ w + b
                np.maximum(y, 0, out=y)
                P[pos] += y
            out = P[pos] @ self.w_out + self.b_out
        if normalise:
            out -= out.max(axis=1, keepdims=True)
            out -= np.log(np.exp(out).sum(axis=1, keepdims=True))
        return out

"""Train the neural label scorer that is added to the CRF (step 3 of the NER build).

    .venv/bin/python training/ner/embeddings.py   # once: VietNews word2vec -> build/w2v.npz
    .venv/bin/python training/ner/train_nn.py     # -> src/bantin/data/ner/scorer.npz

A dilated CNN over the CRF's own per-token attributes (see
``bantin/enrich/ner/nn.py``), trained with token-level cross-entropy on the
same training data as the CRF (VLSP 2016 train + VLSP 2018 train, depth-0
entities, plus copies with the forms of address before names dropped:
``augment.drop_address``), syllable embeddings initialised from VietNews word2vec.  It is
trained independently of the CRF (not on the CRF's outputs, which would be
over-confident on their own training data); the two are combined at decoding
time: emissions = CRF emissions + alpha * network log-probabilities, Viterbi
with the CRF's transitions.  The epoch and alpha are chosen on VLSP 2016 dev
(dev is never trained on); torch runs on one thread.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training/ner"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402
from bantin.enrich.ner.extract import entities_from_labels  # noqa: E402
from bantin.enrich.ner.features import COL_W  # noqa: E402
from bantin.enrich.ner.gazetteer import DATA_DIR, load_gazetteer_entries  # noqa: E402
from bantin.enrich.ner.model import CRFModel  # noqa: E402
from bantin.enrich.ner.nn import NNScorer, input_columns  # noqa: E402
from bantin.enrich.ner.text import segments, tokenize  # noqa: E402

from augment import drop_address, swap_names  # noqa: E402
from train import LABELS, bio  # noqa: E402

BUILD = ROOT / "training/ner/build"
OUT = DATA_DIR / "scorer.npz"
DIMS = {"w": 64, "sh": 8, "sc": 4, "c0": 8, "c1": 16, "c2": 16, "ss": 4, "cp": 8, "rpos": 4, "rlen": 4,
        "dprevc": 16, "dnextc": 16, "dcnt": 4}
ALPHAS = (0.5, 1.0, 1.5, 2.0, 3.0)


def featurise(m: CRFModel, docs, cols, with_labels=True):
    """Per segment: (int attribute matrix (len, n_inputs), label ids) — and per doc the pieces
    needed to score it through the runtime pipeline."""
    lid = {l: i for i, l in enumerate(LABELS)}
    segs_out, docs_out = [], []
    col_idx = np.array([c for _, c, _ in cols], dtype=np.int64)
    sizes = np.array([s for _, _, s in cols], dtype=np.int64)
    for d in docs:
        toks, starts, ends = tokenize(d.text)
        if not toks:
            continue
        segs = segments(toks, starts, d.text)
        A, idx = m.featurizer.attributes(toks, segs)
        X = A[idx][:, col_idx]
        X = np.where(X < sizes[None, :], X, 0)
        y = np.array([lid[l] for l in bio(d, starts, ends)], dtype=np.int64) if with_labels else None
        for a, b in segs:
            segs_out.append((X[a:b], y[a:b] if y is not None else None))
        docs_out.append((d, toks, starts, ends, segs, A, idx))
    return segs_out, docs_out


def setup(crf_path, seed: int, doc: bool = False, kb: bool = False):
    """One torch thread and every RNG seeded; the CRF and the scorer's input columns for its vocabulary and
    clusters. Returns (crf, cols, numpy rng)."""
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    random.seed(seed)
    m = CRFModel(crf_path, load_gazetteer_entries())
    fz = m.featurizer
    csizes = [int(fz.clusters[:, k].max()) + 2 for k in range(fz.clusters.shape[1])]
    if doc:
        fz.doc_features = True
    return m, input_columns(len(fz.vocab), csizes, doc, kb), np.random.default_rng(seed)


def unlabelled_windows(m: CRFModel, cols, texts, max_len: int = 120):
    """Per unlabelled text: (attributes A, row index, lines, scorer inputs X, windows (start, end) of at most
    ``max_len`` tokens of one line)."""
    col_idx = np.array([c for _, c, _ in cols], dtype=np.int64)
    sizes = np.array([s for _, _, s in cols], dtype=np.int64)
    for text in texts:
        toks, starts, ends = tokenize(text)
        if not toks:
            continue
        segs = segments(toks, starts, text)
        A, idx = m.featurizer.attributes(toks, segs)
        X = A[idx][:, col_idx]
        X = np.where(X < sizes[None, :], X, 0)
        yield A, idx, segs, X, [(s, min(b, s + max_len)) for a, b in segs for s in range(a, b, max_len)]


def silver_segments(m: CRFModel, cols, n: int, skip: int, weight: float):
    """(attributes, labels, weight) of the lines of VietNews articles labelled by the shipped model
    (CRF + scorer; ``m`` must be the same CRF, so the attributes are the student's inputs too)."""
    from clusters import vietnews_texts
    teacher = NNScorer(DATA_DIR / "scorer.npz")
    remap = np.array([LABELS.index(l) for l in m.labels], dtype=np.int64)
    out = []
    for A, idx, segs, X, windows in unlabelled_windows(m, cols, vietnews_texts(n, skip)):
        emit = m.crf_emissions(A, idx) + np.float32(teacher.alpha) * teacher.scores(A, idx, segs, normalise=False)
        y = remap[m.viterbi(emit, segs)]
        out += [(X[s:e], y[s:e], weight) for s, e in windows]
    print(f"silver: {len(out)} lines, {sum(len(s[1]) for s in out)} tokens from {n} VietNews articles", flush=True)
    return out


def build_net(sizes, names, C, dilations, dropout, w2v_init=None):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.dims = [DIMS.get(n, 4) for n in names]
            self.embs = nn.ModuleList([nn.Embedding(int(s), d) for s, d in zip(sizes, self.dims)])
            self.inp = nn.Linear(sum(self.dims), C)
            self.convs = nn.ModuleList([nn.Conv1d(C, C, 3, dilation=d, padding=d) for d in dilations])
            self.out = nn.Linear(C, len(LABELS))
            self.drop = nn.Dropout(dropout)

        def features(self, X, mask):
            """(batch, time, channels): the last layer before the label scores."""
            e = torch.cat([emb(X[:, :, j]) for j, emb in enumerate(self.embs)], dim=-1)
            h = torch.relu(self.inp(self.drop(e))) * mask[..., None]
            h = h.transpose(1, 2)
            mk = mask[:, None, :]
            for conv in self.convs:
                h = h + torch.relu(conv(self.drop(h))) * mk
            return h.transpose(1, 2)

        def forward(self, X, mask):
            return self.out(self.drop(self.features(X, mask)))

    net = Net()
    if w2v_init is not None:
        with torch.no_grad():
            rows, vecs = w2v_init
            net.embs[0].weight[torch.as_tensor(rows)] = torch.as_tensor(vecs)
    return net


def load_w2v(vocab, path: Path = BUILD / "w2v.npz"):
    """(rows, vectors) initialising the syllable embedding table from VietNews word2vec, or None."""
    if not path.exists():
        return None
    z = np.load(path)
    words = str(z["words"]).split("\n")
    V = z["vectors"]
    V = V / V.std()
    widx = {w: i for i, w in enumerate(words)}
    rows, vecs = [], []
    for i, w in enumerate(vocab):
        j = widx.get(w) if i >= 2 else None
        if j is not None:
            rows.append(i)
            vecs.append(V[j] * 0.5)
    if not vecs or len(vecs[0]) != DIMS["w"]:
        return None
    print(f"w2v init for {len(rows)} of {len(vocab)} syllables", flush=True)
    return np.array(rows), np.array(vecs, dtype=np.float32)


def export(net, cols, dilations, alpha, version, out: Path) -> None:
    import torch
    with torch.no_grad():
        W_in = net.inp.weight.numpy()  # (C, sum dims)
        tabs, off = [], 0
        for emb, d in zip(net.embs, net.dims):
            tabs.append(emb.weight.numpy() @ W_in[:, off:off + d].T)
            off += d
        T = np.vstack(tabs).astype(np.float32)
        scale = np.abs(T).max(axis=1) / 127.0 + 1e-12
        Tq = np.round(T / scale[:, None]).astype(np.int8)
        arrays = dict(
            version=np.array(version), alpha=np.array(alpha, dtype=np.float32),
            cols=np.array([c for _, c, _ in cols], dtype=np.int32),
            sizes=np.array([s for _, _, s in cols], dtype=np.int32),
            tables=Tq, tables_scale=scale.astype(np.float16),
            b_in=net.inp.bias.numpy().astype(np.float16),
            dilations=np.array(dilations, dtype=np.int32),
            w_out=net.out.weight.numpy().T.astype(np.float16), b_out=net.out.bias.numpy().astype(np.float16))
        for k, conv in enumerate(net.convs):
            w = conv.weight.numpy()  # (C_out, C_in, 3): tap 0 reads t - d
            arrays[f"conv{k}_w"] = np.vstack([w[:, :, j].T for j in range(3)]).astype(np.float16)
            arrays[f"conv{k}_b"] = conv.bias.numpy().astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)


def dev_eval(m: CRFModel, scorer: NNScorer, cache, alphas):
    """Micro-F1 (and the full score dicts) of CRF + alpha * network on cached dev docs."""
    res = {}
    gold = [c[0].spans for c in cache]
    nn_scores = [scorer.scores(A, idx, segs) for (_, _, _, _, segs, A, idx, _) in cache]
    for a in alphas:
        pred = []
        for (d, toks, st, en, segs, A, idx, E), S in zip(cache, nn_scores):
            ids = m.viterbi(E + np.float32(a) * S, segs)
            labs = [m.labels[i] for i in ids.tolist()]
            pred.append([(e.start, e.end, e.type) for e in entities_from_labels(d.text, toks, st, en, segs, labs)])
        res[a] = ev.score(gold, pred)
    return res


def crf_nll(logits, Y, mask, trans):
    """Per-sequence negative log-likelihood of a linear-chain CRF (no start/end scores, as crfsuite)."""
    import torch
    B, T, L = logits.shape
    y = Y.clamp(min=0)
    gold = (logits.gather(2, y[..., None]).squeeze(2) * mask).sum(1)
    if T > 1:
        gold = gold + (trans[y[:, :-1], y[:, 1:]] * mask[:, 1:]).sum(1)
    alpha = logits[:, 0]
    for t in range(1, T):
        nxt = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + logits[:, t]
        alpha = torch.where(mask[:, t, None] > 0, nxt, alpha)
    return torch.logsumexp(alpha, dim=1) - gold


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--channels", type=int, default=64)
    ap.add_argument("--dilations", default="1,2,4,8,16")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--word-dropout", type=float, default=0.05)
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--no-w2v", action="store_true")
    ap.add_argument("--init", default=None, help="start from pre-trained layers (pretrain_nn.py's output)")
    ap.add_argument("--version", default=None)
    ap.add_argument("--crf-model", default=str(DATA_DIR / "model.npz"),
                    help="the CRF the scorer is combined with (epoch and alpha are chosen for it)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--crf", action="store_true",
                    help="train with a CRF (sequence) loss over the network's scores instead of per-token cross-entropy")
    ap.add_argument("--ema", type=float, default=0.998,
                    help="evaluate and export an exponential moving average of the weights (decay per batch)")
    ap.add_argument("--drop-address", type=float, default=1.0,
                    help="add copies of training texts with 'anh', 'ông', ... before names removed, at this rate")
    ap.add_argument("--swap-names", type=float, default=0.0,
                    help="add copies of VLSP 2016 training texts with one-syllable names replaced, at this rate")
    ap.add_argument("--silver", type=int, default=0,
                    help="also train on this many VietNews articles labelled by the shipped model (self-training)")
    ap.add_argument("--silver-skip", type=int, default=100000, help="first VietNews training article used as silver")
    ap.add_argument("--silver-weight", type=float, default=0.5, help="loss weight of silver segments")
    ap.add_argument("--w2018", type=float, default=1.0, help="loss weight of VLSP 2018 training segments")
    ap.add_argument("--exclude-category", default=None, choices=ev.CATEGORIES,
                    help="cross-domain fold: train on VLSP 2018 train+dev without this category")
    ap.add_argument("--doc", action="store_true",
                    help="also read the document-level evidence (features.DOC_ATTRS) of each capitalised run")
    ap.add_argument("--kb", action="store_true",
                    help="also read the knowledge-base gazetteer flags (features.GAZ_EXTRA)")
    args = ap.parse_args()
    import torch
    t0 = time.time()
    m, cols, rng = setup(args.crf_model, args.seed, args.doc, args.kb)
    fz = m.featurizer
    names = [n for n, _, _ in cols]
    sizes = [s for _, _, s in cols]
    t16, t18 = ev.load_vlsp2016("train"), ev.load_vlsp2018("train")
    if args.exclude_category:
        t18 = [d for d in ev.load_vlsp2018("all") if d.category != args.exclude_category]
    if args.limit:
        t16, t18 = t16[: args.limit], t18[: args.limit]
    orig16 = t16
    if args.drop_address:
        aug = drop_address(t16 + t18, args.drop_address, rng)
        print(f"{len(aug)} texts with forms of address removed before names", flush=True)
        t16 = t16 + aug  # weighted as VLSP 2016 (full weight)
    if args.swap_names:
        aug = swap_names(orig16, args.swap_names, rng)
        print(f"{len(aug)} texts with one-syllable names replaced by other syllables", flush=True)
        t16 = t16 + aug
    train = [(x, y, 1.0) for x, y in featurise(m, t16, cols)[0] if len(y)]
    train += [(x, y, args.w2018) for x, y in featurise(m, t18, cols)[0] if len(y)]
    if args.silver:
        train += silver_segments(m, cols, args.silver, args.silver_skip, args.silver_weight)
    train = [s for s in train if s[2] > 0]
    dev16 = ev.load_vlsp2016("dev")
    _, dcache = featurise(m, dev16, cols, with_labels=False)
    dev = [c + (m.crf_emissions(c[5], c[6]),) for c in dcache]
    print(f"{len(train)} training segments, {sum(len(s[1]) for s in train)} tokens; "
          f"featurised in {time.time()-t0:.0f}s", flush=True)

    w2v = None if args.no_w2v else load_w2v(fz.vocab)
    dilations = [int(x) for x in args.dilations.split(",")]
    net = build_net(sizes, names, args.channels, dilations, args.dropout, w2v)
    if args.init:
        state = torch.load(args.init)
        state = {k: v for k, v in state.items() if not k.startswith("out.")}
        print(f"initialised from {args.init}: {net.load_state_dict(state, strict=False)}", flush=True)
    trans = torch.nn.Parameter(torch.zeros(len(LABELS), len(LABELS)))
    params = list(net.parameters()) + ([trans] if args.crf else [])
    opt = torch.optim.Adam(params, lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 / (1 + 0.15 * e))
    from bantin.enrich.ner import MODEL_VERSION
    version = args.version or MODEL_VERSION
    tmp = BUILD / (Path(args.out).stem + "_epoch.npz")  # per output: runs can go side by side
    best = (-1.0, None, None)
    ema = {k: v.detach().clone() for k, v in net.state_dict().items()} if args.ema else None
    order = sorted(range(len(train)), key=lambda i: len(train[i][1]))
    for epoch in range(args.epochs):
        net.train()
        # batches of similar length, in random order
        batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
        random.shuffle(batches)
        tot = n_tok = 0
        for bi in batches:
            T = max(len(train[i][1]) for i in bi)
            X = np.zeros((len(bi), T, len(cols)), dtype=np.int64)
            Y = np.full((len(bi), T), -100, dtype=np.int64)
            M = np.zeros((len(bi), T), dtype=np.float32)
            Wt = np.zeros((len(bi), T), dtype=np.float32)
            for r, i in enumerate(bi):
                x, y, wt = train[i]
                X[r, : len(y)] = x
                Y[r, : len(y)] = y
                M[r, : len(y)] = 1
                Wt[r, : len(y)] = wt
            if args.word_dropout:
                drop = rng.random(X.shape[:2]) < args.word_dropout
                X[:, :, 0][drop] = 0
            Xt, Yt, Mt = torch.as_tensor(X), torch.as_tensor(Y), torch.as_tensor(M)
            logits = net(Xt, Mt)
            if args.crf:
                loss = (crf_nll(logits, Yt, Mt, trans) * torch.as_tensor(Wt[:, 0])).sum()
            else:
                tok_loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)), Yt.reshape(-1),
                                                             ignore_index=-100, reduction="none")
                loss = (tok_loss * torch.as_tensor(Wt).reshape(-1)).sum()
            opt.zero_grad()
            (loss / Mt.sum()).backward()
            opt.step()
            if ema is not None:
                with torch.no_grad():
                    for k, v in net.state_dict().items():
                        if v.dtype.is_floating_point:
                            ema[k].mul_(args.ema).add_(v, alpha=1 - args.ema)
            tot += float(loss.detach())
            n_tok += int(Mt.sum())
        sched.step()
        net.eval()
        if ema is not None:
            live = {k: v.detach().clone() for k, v in net.state_dict().items()}
            net.load_state_dict(ema)
        export(net, cols, dilations, 1.0, version, tmp)
        res = dev_eval(m, NNScorer(tmp), dev, ALPHAS)
        a_best = max(res, key=lambda a: res[a]["micro"].f1)
        f = res[a_best]["micro"].f1
        print(f"epoch {epoch+1}: loss {tot/n_tok:.4f}; 2016 dev micro-F1 "
              + " ".join(f"a={a}:{res[a]['micro'].f1:.4f}" for a in ALPHAS)
              + f" ({time.time()-t0:.0f}s)", flush=True)
        if f > best[0]:
            best = (f, a_best, {k: v.detach().clone() for k, v in net.state_dict().items()})
        if ema is not None:
            net.load_state_dict(live)
    f, a_best, state = best
    net.load_state_dict(state)
    export(net, cols, dilations, a_best, version, Path(args.out))
    print(f"best 2016 dev micro-F1 {f:.4f} at alpha {a_best}; wrote {args.out} "
          f"({Path(args.out).stat().st_size/1e6:.2f} MB) in {time.time()-t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()

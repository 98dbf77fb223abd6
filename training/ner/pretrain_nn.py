"""Pre-train the neural scorer's layers on unlabelled VietNews text (masked-syllable prediction).

    .venv/bin/python training/ner/pretrain_nn.py    # -> training/ner/build/pretrained.pt
    .venv/bin/python training/ner/train_nn.py --init training/ner/build/pretrained.pt

The same network as the scorer (``train_nn.build_net``: embeddings of the CRF's
per-token attributes, input projection, dilated convolutions) reads VietNews
lines in which 15 % of the tokens have all their inputs replaced by the
"unknown" value, and predicts, for each hidden token, its 1024-way syllable
cluster and its orthographic shape (capitalised or not, number, ...) from the
context alone.  What the layers learn is which slots of a sentence hold which
kind of word (a given name after "ông", a place after "tỉnh"), from far more
text than the 15k labelled sentences; ``train_nn.py --init`` then starts from
these weights (new output layer) instead of random ones.  One torch thread;
time-boxed with ``--minutes``.

Not part of ``build.sh``: tried for ``ner-crf-2026.12.3`` (60k articles, 38M tokens
seen in 22 minutes) and fine-tuned scorers scored no better on VLSP 2016 dev than
randomly initialised ones (model card, "What was tried").
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

from bantin.enrich.ner.gazetteer import DATA_DIR  # noqa: E402
from bantin.enrich.ner.model import CRFModel  # noqa: E402

from clusters import vietnews_texts  # noqa: E402
from train_nn import BUILD, build_net, load_w2v, setup, unlabelled_windows  # noqa: E402


def vietnews_segments(m: CRFModel, cols, n_articles: int):
    """Scorer inputs (int32) of the lines (windows of at most 120 tokens, at least 4) of the first
    ``n_articles`` VietNews training articles."""
    out = []
    for _, _, _, X, windows in unlabelled_windows(m, cols, vietnews_texts(n_articles)):
        X = X.astype(np.int32)
        out += [X[s:e] for s, e in windows if e - s >= 4]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--minutes", type=float, default=35)
    ap.add_argument("--channels", type=int, default=64)
    ap.add_argument("--dilations", default="1,2,4,8,16")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--mask", type=float, default=0.15)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", default=str(BUILD / "pretrained.pt"))
    args = ap.parse_args()
    import torch
    from torch import nn
    t0 = time.time()
    m, cols, rng = setup(DATA_DIR / "model.npz", args.seed)
    fz = m.featurizer
    names = [n for n, _, _ in cols]
    sizes = [s for _, _, s in cols]
    segs = vietnews_segments(m, cols, args.articles)
    n_tok = sum(len(s) for s in segs)
    print(f"{len(segs)} lines, {n_tok} tokens from {args.articles} articles in {time.time()-t0:.0f}s", flush=True)
    dilations = [int(x) for x in args.dilations.split(",")]
    net = build_net(sizes, names, args.channels, dilations, args.dropout, load_w2v(fz.vocab))
    j_clu, j_sh = names.index("c2"), names.index("sh")
    heads = nn.ModuleDict({"c2": nn.Linear(args.channels, sizes[j_clu]), "sh": nn.Linear(args.channels, sizes[j_sh])})
    opt = torch.optim.Adam(list(net.parameters()) + list(heads.parameters()), lr=args.lr)
    order = sorted(range(len(segs)), key=lambda i: len(segs[i]))
    batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
    deadline = t0 + args.minutes * 60
    step, seen, run = 0, 0, []
    while time.time() < deadline:
        random.shuffle(batches)
        for bi in batches:
            if time.time() >= deadline:
                break
            T = max(len(segs[i]) for i in bi)
            X = np.zeros((len(bi), T, len(cols)), dtype=np.int64)
            M = np.zeros((len(bi), T), dtype=np.float32)
            for r, i in enumerate(bi):
                X[r, : len(segs[i])] = segs[i]
                M[r, : len(segs[i])] = 1
            hide = (rng.random(M.shape) < args.mask) & (M > 0)
            if not hide.any():
                continue
            y_clu = torch.as_tensor(X[:, :, j_clu][hide])
            y_sh = torch.as_tensor(X[:, :, j_sh][hide])
            X[hide] = 0
            h = net.features(torch.as_tensor(X), torch.as_tensor(M))[torch.as_tensor(hide)]
            loss = (nn.functional.cross_entropy(heads["c2"](h), y_clu)
                    + nn.functional.cross_entropy(heads["sh"](h), y_sh))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            seen += int(M.sum())
            run.append(float(loss.detach()))
            if step % 500 == 0:
                print(f"step {step}: {seen/1e6:.1f}M tokens, loss {np.mean(run):.4f} ({time.time()-t0:.0f}s)",
                      flush=True)
                run = []
                torch.save(net.state_dict(), args.out)
    torch.save(net.state_dict(), args.out)
    print(f"wrote {args.out} after {step} steps, {seen/1e6:.1f}M tokens, {time.time()-t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()

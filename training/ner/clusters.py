"""Syllable clusters from unlabelled VietNews text (step 1 of the NER build).

Trains CBOW word2vec vectors on the normalised syllable keys of all VietNews
articles (title, abstract, body), then k-means at three granularities.  The
cluster ids become CRF features, so syllables the labelled data never showed
(rare surnames, foreign place names) still get useful features.

    .venv/bin/python training/ner/clusters.py            # -> training/ner/build/clusters.tsv
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner.text import TOKEN_RE, feature_key  # noqa: E402

LEVELS = (64, 256, 1024)


def shared_dir() -> Path:
    return Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared")) / "data"


def articles(path: Path, n: int | None = None, skip: int = 0):
    """Title, abstract and body (one per line, empty ones left out) of the VietNews articles of one file,
    from the ``skip``-th, at most ``n``."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if n is not None and i >= skip + n:
                break
            if i >= skip:
                d = json.loads(line)
                yield "\n".join(p for p in (d.get("title"), d.get("abstract"), d.get("body")) if p)


def vietnews_texts(n: int, skip: int = 0, split: str = "train"):
    """``articles`` of VietNews's ``split`` file: articles ``skip`` … ``skip + n - 1``."""
    return articles(shared_dir() / f"vietnews/{split}.jsonl.gz", n, skip)


def sentences(paths):
    cache: dict[str, str] = {}
    for p in paths:
        for text in articles(p):
            for sent in text.split("\n"):
                toks = []
                for m in TOKEN_RE.finditer(sent):
                    s = m.group()
                    k = cache.get(s)
                    if k is None:
                        k = feature_key(s)
                        if len(cache) < 3_000_000:
                            cache[s] = k
                    toks.append(k)
                if toks:
                    yield toks


def word2vec(args: argparse.Namespace, workers: int):
    """CBOW word2vec (window 3) on the normalised syllables of all VietNews articles; ``args`` gives dim, epochs,
    min_count, max_vocab and seed. Shared by this script and ``embeddings.py``."""
    from gensim.models import Word2Vec

    d = shared_dir() / "vietnews"
    paths = [d / "train.jsonl.gz", d / "val.jsonl.gz"]
    for p in paths:
        if not p.exists():
            sys.exit(f"missing {p}: set BANTIN_SHARED to the folder holding data/vietnews")
    t0 = time.time()
    corpus = list(sentences(paths))
    print(f"{len(corpus)} sentences, {sum(map(len, corpus))} tokens read in {time.time()-t0:.0f}s", flush=True)
    model = Word2Vec(sentences=corpus, vector_size=args.dim, window=3, min_count=args.min_count, sg=0,
                     workers=workers, epochs=args.epochs, seed=args.seed, max_final_vocab=args.max_vocab)
    print(f"word2vec done in {time.time()-t0:.0f}s, vocab {len(model.wv)}", flush=True)
    return model


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "training/ner/build/clusters.tsv"))
    ap.add_argument("--max-vocab", type=int, default=60000)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    from sklearn.cluster import MiniBatchKMeans

    t0 = time.time()
    model = word2vec(args, workers=2)
    words = list(model.wv.index_to_key)
    X = model.wv.vectors.astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-8
    cols = []
    for k in LEVELS:
        km = MiniBatchKMeans(n_clusters=k, random_state=args.seed, batch_size=4096, n_init=3, max_iter=200)
        cols.append(km.fit_predict(X))
        print(f"k-means {k} done in {time.time()-t0:.0f}s", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for i, w in enumerate(words):
            if "\t" in w or "\n" in w:
                continue
            f.write(w + "\t" + "\t".join(str(int(c[i])) for c in cols) + "\n")
    print(f"wrote {out} in {time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()

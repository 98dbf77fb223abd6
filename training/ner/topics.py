"""Topic centroids for the NER model's topic attribute (issue 14: the article's topic as a feature).

    .venv/bin/python training/ner/topics.py        # -> training/ner/build/topics.npy

Unsupervised and independent of any labelled data: each VietNews *train* article (title, abstract,
body; the first ``--n``) becomes the histogram of the coarse (64) word clusters of its tokens, L2-normalised;
k-means (k = 16, scikit-learn, seeded) over them gives the centroids.  At run time a text's topic is the
centroid nearest to its own histogram (``Featurizer.topic_of``), so "sports-like" or "technology-like"
vocabulary becomes one attribute every token of the article carries.  The clusters are those of the
shipped model (``--features-from``), so the topic ids mean the same for every model trained with them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training/ner"))

from bantin.enrich.ner.features import COL_C, Featurizer  # noqa: E402
from bantin.enrich.ner.gazetteer import DATA_DIR  # noqa: E402
from bantin.enrich.ner.text import segments, tokenize  # noqa: E402
from clusters import vietnews_texts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=8000, help="VietNews train articles")
    ap.add_argument("--k", type=int, default=16)
    ap.add_argument("--features-from", default=str(DATA_DIR / "model.npz"))
    ap.add_argument("--out", default=str(ROOT / "training/ner/build/topics.npy"))
    args = ap.parse_args()
    from sklearn.cluster import KMeans

    t0 = time.time()
    z = np.load(args.features_from)
    vocab = ["", ""] + str(z["vocab"]).split("\n")
    fz = Featurizer(vocab, z["clusters"].astype(np.int64), None, doc_features=False)
    k0 = int(fz.clusters[:, 0].max()) - 1  # coarse clusters are 2 .. k0 + 1
    H = []
    for text in vietnews_texts(args.n):
        toks, starts, _ = tokenize(text)
        if not toks:
            continue
        A, idx = fz.attributes(toks, segments(toks, starts, text))
        c = A[idx, COL_C[0]]
        c = c[(c >= 2) & (c < k0 + 2)] - 2
        if c.size:
            h = np.bincount(c, minlength=k0).astype(np.float64)
            H.append(h / np.linalg.norm(h))
    H = np.array(H)
    km = KMeans(n_clusters=args.k, n_init=4, random_state=3).fit(H)
    C = km.cluster_centers_ / np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    np.save(args.out, C.astype(np.float32))
    sizes = np.bincount(km.labels_, minlength=args.k)
    print(f"{len(H)} articles, {args.k} topics (sizes {sizes.tolist()}) -> {args.out} in {time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()

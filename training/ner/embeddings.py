"""Syllable embeddings from unlabelled VietNews text (input of the neural scorer).

CBOW word2vec on the same normalised syllable keys as ``clusters.py`` (one
worker: the build machine is shared), saved for ``train_nn.py`` which uses
them to initialise its syllable embedding table.

    .venv/bin/python training/ner/embeddings.py       # -> training/ner/build/w2v.npz
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training/ner"))

from clusters import word2vec  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "training/ner/build/w2v.npz"))
    ap.add_argument("--max-vocab", type=int, default=60000)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    t0 = time.time()
    model = word2vec(args, workers=1)
    words = [w for w in model.wv.index_to_key]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, words=np.array("\n".join(words)), vectors=model.wv.vectors.astype(np.float32))
    print(f"wrote {out} ({len(words)} x {args.dim}) in {time.time()-t0:.0f}s")


if __name__ == "__main__":
    main()

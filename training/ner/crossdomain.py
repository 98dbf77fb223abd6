"""The cross-domain protocol of the NER model (issue 14): leave one VLSP 2018 category out.

VLSP 2018 train+dev (1,041 articles) carry a ``category`` field with ten sections (``evaluate.CATEGORIES``;
"Đời sống" is spelt "Doi song" in train and "Doi Song" in dev, so eleven raw values).  For each section, a
model is trained on VLSP 2016 train plus the VLSP 2018 articles of the nine other sections, with exactly the
training recipe of a configuration (``CONFIGS``), and tested on the articles of the held-out section; the
protocol's score is the micro-average over all ten held-out sections (every article is tested once).

Nothing in a fold's training sees the held-out section: the CRF, the scorer's epoch and alpha (chosen on
VLSP 2016 dev, a different corpus), the augmentation, every threshold.  The syllable vocabulary, clusters and
capitalisation bins are those of the shipped model (``--features-from``): clusters and bins come from
unlabelled VietNews; the vocabulary also lists the syllables of the VLSP 2018 training texts, which gives a
held-out syllable an id of its own that no fold ever trains (so it behaves as an unknown syllable).

    .venv/bin/python training/ner/crossdomain.py train shipped            # all ten folds (hours)
    .venv/bin/python training/ner/crossdomain.py train shipped --folds "The thao,KH - CN" --crf-only
    .venv/bin/python bench/ner.py --cross-domain --config shipped          # score them

Fold models live in ``training/ner/build/xd/<config>/<fold>/`` (not shipped).  Every training process runs
with one thread, under ``nice -n 15`` (``XD_NICE`` sets another niceness).

``train-shared`` trains the CRFs of several folds of a CRF-only, un-augmented configuration (``fast``,
``fast-doc``, ``fast-kb``, ``fast-kbc``, ``fast-kbdoc``, ``fast-topic``, ``fast-all``) in one process that featurises every training text
once: the features of a text depend only on the text and on the fixed vocabulary, clusters, bins and topics
above, never on the fold, so featurising per fold (about 400-660 s a fold on a loaded machine) repeats the
same work ten times.  Every VLSP 2018 article is appended to one CRFsuite data set in the group of its section
(VLSP 2016 train in a group of its own that is never held out), and each fold is trained with
``holdout=<its section's group>``: CRFsuite then builds the fold's features (attribute x label pairs) from
the other groups only and optimises over them only (the held-out group is merely tagged after each iteration
for the log), which is the training of ``train.py --exclude-category`` on the same texts in the same order.

    nice -n 19 .venv/bin/python training/ner/crossdomain.py train-shared fast --folds "The thao,Giai tri,KH - CN"

Two such processes may work through the same folds (say, in opposite orders): before a fold each checks for
its model.npz and for a ``training.pid`` left by a live process, and skips the fold if it finds either.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bantin.enrich.ner import evaluate as ev  # noqa: E402
from bantin.enrich.ner.gazetteer import DATA_DIR  # noqa: E402

XD = ROOT / "training/ner/build/xd"
SHIPPED_CRF = DATA_DIR / "model.npz"

# name -> (train.py arguments, train_nn.py arguments or None for a CRF alone)
CONFIGS: dict[str, tuple[list[str], list[str] | None]] = {
    # ner-crf-2026.12.3's recipe (train.py and train_nn.py defaults then: the 77 templates of
    # features.py before issue 14), features of the shipped model
    "shipped": (["--templates", "0-76"], []),
    # + document-level evidence: CRF templates 77-81 and the scorer's doc inputs (features.DOC_ATTRS)
    "doc": (["--templates", "0-81"], ["--doc"]),
    # cheap stand-ins to choose directions on a shared, CPU-starved machine: the CRF alone, no augmentation,
    # 60 L-BFGS iterations (about a third of the full recipe's CPU time)
    "fast": (["--templates", "0-76", "--iters", "60", "--drop-address", "0", "--swap-names", "0"], None),
    "fast-doc": (["--templates", "0-81", "--iters", "60", "--drop-address", "0", "--swap-names", "0"], None),
    # + knowledge-base gazetteers (82-84) and the article's topic (85-87)
    "fast-all": (["--templates", "0-87", "--topics", str(ROOT / "training/ner/build/topics.npy"), "--iters", "60",
                  "--drop-address", "0", "--swap-names", "0"], None),
    # one new kind of evidence at a time on top of `fast`
    "fast-kb": (["--templates", "0-76,82-84", "--iters", "60", "--drop-address", "0", "--swap-names", "0"], None),
    # `fast-kb` with the cleaned GROUP list of training/ner/kb_clean.py (KB_LISTS below)
    "fast-kbc": (["--templates", "0-76,82-84", "--iters", "60", "--drop-address", "0", "--swap-names", "0"], None),
    # `fast-kb` + the document-level templates 77-81 (the shipped kb_names.tsv, not the cleaned list)
    "fast-kbdoc": (["--templates", "0-84", "--iters", "60", "--drop-address", "0", "--swap-names", "0"], None),
    "fast-topic": (["--templates", "0-76,85-87", "--topics", str(ROOT / "training/ner/build/topics.npy"),
                    "--iters", "60", "--drop-address", "0", "--swap-names", "0"], None),
}

# Configurations that read another knowledge-base list than the shipped kb_names.tsv (COIN, GROUP, BRAND), in
# training and in scoring alike (bench/ner.py --cross-domain, xdcompare.py): the list is built by a script
# into the (git-ignored) build directory, so the shipped model never reads it.
KB_LISTS: dict[str, Path] = {
    "fast-kbc": ROOT / "training/ner/build/kb_names_clean.tsv",  # training/ner/kb_clean.py
}


def gazetteer_entries(config: str) -> list[tuple[str, str]]:
    """The gazetteer entries the featurizer of ``config``'s fold models reads: the shipped ones, with the
    knowledge-base names replaced by those of ``KB_LISTS[config]`` when it names a list."""
    from bantin.enrich.ner.features import GAZ_EXTRA
    from bantin.enrich.ner.gazetteer import load_gazetteer_entries
    from bantin.enrich.ner.text import TOKEN_RE

    entries = load_gazetteer_entries()
    path = KB_LISTS.get(config)
    if path is None:
        return entries
    if not path.exists():
        raise SystemExit(f"{path} is missing: configuration {config!r} reads it; build it with "
                         "training/ner/kb_clean.py")
    out = {e for e in entries if e[1] not in GAZ_EXTRA}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cat, _, name = line.partition("\t")
        toks = [m.group() for m in TOKEN_RE.finditer(name)]
        if toks and cat in GAZ_EXTRA:
            out.add((" ".join(toks), cat))
    return sorted(out)


def slug(category: str) -> str:
    return category.replace(" - ", "-").replace(" ", "_")


def fold_dir(config: str, category: str) -> Path:
    return XD / config / slug(category)


def _run(cmd: list[str], log: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    t0 = time.time()
    with open(log, "w", encoding="utf-8") as f:
        p = subprocess.run(["nice", "-n", os.environ.get("XD_NICE", "15"), *cmd], stdout=f, stderr=subprocess.STDOUT,
                           env=env)
    if p.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {p.returncode}); see {log}")
    print(f"  {Path(cmd[1]).name} done in {time.time() - t0:.0f}s ({log})", flush=True)


def train_fold(config: str, category: str, crf_only: bool = False) -> Path:
    """Train (if not there yet) the CRF and the scorer of ``config`` without ``category``."""
    crf_args, nn_args = CONFIGS[config]
    d = fold_dir(config, category)
    if config in KB_LISTS and not (d / "model.npz").exists():
        raise SystemExit(f"{config!r} reads {KB_LISTS[config].name}, which train.py does not: use train-shared")
    d.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    model = d / "model.npz"
    if not model.exists():
        print(f"{config} / {category}: training the CRF", flush=True)
        args = list(crf_args)
        if "--features-from" not in args:
            args += ["--features-from", str(SHIPPED_CRF)]
        _run([py, str(ROOT / "training/ner/train.py"), "--exclude-category", category, "--out", str(model),
              "--version", f"xd-{config}", *args], d / "crf.log")
    scorer = d / "scorer.npz"
    if nn_args is not None and not crf_only and not scorer.exists():
        print(f"{config} / {category}: training the scorer", flush=True)
        _run([py, str(ROOT / "training/ner/train_nn.py"), "--exclude-category", category,
              "--crf-model", str(model), "--out", str(scorer), "--version", f"xd-{config}", *nn_args],
             d / "nn.log")
    return d


def _arg(args: list[str], name: str, default: str | None = None) -> str | None:
    return args[args.index(name) + 1] if name in args else default


def _claimed(marker: Path) -> bool:
    """Whether a live process other than this one is training the fold of ``marker`` (train-shared)."""
    try:
        pid = int(marker.read_text())
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def train_shared(config: str, categories: list[str]) -> None:
    """Train the fold CRFs of ``config`` for ``categories`` (those without a model.npz yet) from one
    featurisation of every training text (see the module docstring)."""
    import numpy as np

    sys.path.insert(0, str(ROOT / "training/ner"))
    import train as tr
    from bantin.enrich.ner.features import Featurizer, Plan

    crf_args, nn_args = CONFIGS[config]
    if nn_args is not None:
        raise SystemExit(f"train-shared: {config!r} has a scorer; use `train`")
    if float(_arg(crf_args, "--drop-address", "1")) or float(_arg(crf_args, "--swap-names", "0.5")):
        raise SystemExit(f"train-shared: {config!r} augments its texts (per fold); use `train`")
    todo = [c for c in categories if not (fold_dir(config, c) / "model.npz").exists()]
    if not todo:
        print("every fold model is there already", flush=True)
        return
    for name in ("--c1", "--c2", "--minfreq", "--only", "--features-from", "--limit"):
        if name in crf_args:
            raise SystemExit(f"train-shared: {name} in {config!r} is not supported; use `train`")
    iters = int(_arg(crf_args, "--iters", "150"))
    topics_path = _arg(crf_args, "--topics")
    templates = tr.parse_templates(_arg(crf_args, "--templates", tr.DEFAULT_TEMPLATES))
    z = np.load(SHIPPED_CRF)
    vocab = str(z["vocab"]).split("\n")
    cl = z["clusters"].astype(np.int32)
    cb = np.concatenate([np.zeros(2, dtype=np.int32), z["capbins"].astype(np.int32)])
    topics = np.load(topics_path) if topics_path else None
    fz = Featurizer(["", ""] + vocab, cl, gazetteer_entries(config), cb, topics=topics)
    plan = Plan(templates)
    group = {c: i for i, c in enumerate(ev.CATEGORIES)}
    never = len(ev.CATEGORIES)  # VLSP 2016 train
    t0 = time.time()

    trainer = tr.progress_trainer(t0)
    print(f"{config}: vocab {len(vocab)}, {len(templates)} templates, {iters} iterations; "
          f"folds {', '.join(todo)}", flush=True)
    n_tok = 0
    for docs, g in ((ev.load_vlsp2016("train"), lambda d: never), (ev.load_vlsp2018("all"), lambda d: group[d.category])):
        for d in docs:
            for xs, ys in tr.sequences(fz, [d], plan=plan):
                trainer.append(xs, ys, g(d))
                n_tok += len(ys)
    print(f"{n_tok} tokens featurised once in {time.time() - t0:.0f}s", flush=True)
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": iters, "feature.minfreq": 0,
                        "feature.possible_transitions": True})
    for c in todo:
        d = fold_dir(config, c)
        d.mkdir(parents=True, exist_ok=True)
        if (d / "model.npz").exists() or _claimed(d / "training.pid"):
            print(f"{config} / {c}: trained or being trained by another process, skipped", flush=True)
            continue
        (d / "training.pid").write_text(str(os.getpid()))
        t1 = time.time()
        print(f"{config} / {c}: training the CRF (holdout group {group[c]})", flush=True)
        crf_file = d / "model.crfsuite"
        trainer.train(str(crf_file), holdout=group[c])
        tr.export(crf_file, vocab, cl, f"xd-{config}", d / "model.npz", templates, cb, topics)
        (d / "crf.log").write_text(f"train-shared: {c} held out, {iters} iterations in {time.time() - t1:.0f}s "
                                   f"({trainer.logparser.last_iteration})\n", encoding="utf-8")
        print(f"{config} / {c}: done in {time.time() - t1:.0f}s", flush=True)
        (d / "training.pid").unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["train", "train-shared"])
    ap.add_argument("config", choices=sorted(CONFIGS))
    ap.add_argument("--folds", default=None, help="comma-separated categories (default: all ten)")
    ap.add_argument("--crf-only", action="store_true", help="train the CRFs only")
    args = ap.parse_args()
    cats = [c.strip() for c in args.folds.split(",")] if args.folds else list(ev.CATEGORIES)
    for c in cats:
        if c not in ev.CATEGORIES:
            raise SystemExit(f"unknown category {c!r}; one of {', '.join(ev.CATEGORIES)}")
    if args.action == "train-shared":
        return train_shared(args.config, cats)
    for c in cats:
        train_fold(args.config, c, args.crf_only)


if __name__ == "__main__":
    main()

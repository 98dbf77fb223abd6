"""Build the shipped facts models (deterministic; needs ../shared/data or BANTIN_SHARED, and scikit-learn).

    .venv/bin/pip install -r requirements-facts-train.txt
    .venv/bin/python training/facts/build.py [topic] [phrases] [summary]     (default: all three)

Writes, under src/bantin/data/facts/:
  topic.npz     TF-IDF (syllables + syllable pairs, sublinear tf) → multinomial logistic regression over the
                taxonomy; trained on VLSP 2018 *train* (categories mapped, VLSP_MAP) and ViMs clusters 1–200
                labelled by the section in their URL (enrich.topic.section_topic). VLSP 2018 dev is only scored.
  phrases.tsv.gz  two-syllable words (syllable pairs that hold together: document frequency ≥ MIN_DF and
                normalised PMI ≥ MIN_NPMI, or one syllable mostly with the other) and four-syllable words (two
                pairs that come together: MIN_NPMI_4, MIN_COND_4) with their document frequencies, from all of
                VietNews train; the keyword stage segments text with them and weighs by IDF.
  summary.json  weights of the sentence scorer (least squares on VietNews train: sentence features → the
                sentence's ROUGE-1 recall against the article's abstract).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("BANTIN_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "bantin" / "data" / "facts"

from bantin.enrich.topic import TAXONOMY, features, section_topic, tokens, url_section  # noqa: E402

VLSP_MAP = {"Doi song": "Đời sống", "Doi Song": "Đời sống", "Giai tri": "Giải trí", "Giao duc": "Giáo dục",
            "KH - CN": "Công nghệ", "Kinh te": "Kinh doanh", "Phap luat": "Pháp luật", "The gioi": "Thế giới",
            "The thao": "Thể thao", "Van hoa": "Văn hóa", "Xa hoi": "Thời sự"}
TOPIC_VERSION = "topic-lr-2026.12.1"
MAX_FEATURES = 40000
MIN_DF = 8
MIN_NPMI = 0.3
MIN_COND = 0.3
MIN_NPMI_4 = 0.45  # four-syllable words: NPMI of the two halves over articles
MIN_COND_4 = 0.15  # and each half is in the whole in 15% of the articles where it occurs


def vlsp(split: str) -> list[tuple[str, str]]:
    out = []
    with open(SHARED / "data/ner/vlsp2018_train_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["split"] == split:
                out.append(((d.get("title") or "") + "\n" + d["text"], VLSP_MAP[d["category"]]))
    return out


def vims() -> list[tuple[str, str]]:
    out = []
    with open(SHARED / "data/vims/vims_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if int(d["cluster_id"].split("_")[1]) > 200:
                continue  # clusters 201-300 are reserved
            t = section_topic(url_section(d["url"]))
            if t is not None:
                out.append((d["title"] + "\n" + d["content"], t))
    return out


def doc_text(title: str, text: str) -> str:
    return (title + "\n") * 2 + text  # as enrich.topic.topic_of sees an article


def build_topic() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    train = vlsp("train") + vims()
    dev = vlsp("dev")

    def feats(docs):
        out = []
        for text, _y in docs:
            title, _, body = text.partition("\n")
            out.append(features(tokens(doc_text(title, body))))
        return out

    Xd = feats(train)
    y = [lab for _t, lab in train]
    # document frequency cut, then the most frequent features
    df = Counter(k for f in Xd for k in f)
    keep = sorted((k for k, c in df.items() if c >= 2), key=lambda k: (-df[k], k))[:MAX_FEATURES]
    keep_set = set(keep)
    vocab = sorted(keep)
    index = {w: i for i, w in enumerate(vocab)}
    n = len(Xd)
    idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in vocab], np.float32)

    def matrix(fs):
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for r, f in enumerate(fs):
            ii = [index[k] for k in f if k in keep_set]
            v = np.array([1.0 + math.log(f[vocab[i]]) for i in ii], np.float32) * idf[ii] if ii else np.zeros(0)
            nrm = float(np.linalg.norm(v)) or 1.0
            rows += [r] * len(ii)
            cols += ii
            vals += list(v / nrm)
        return csr_matrix((vals, (rows, cols)), shape=(len(fs), len(vocab)), dtype=np.float32)

    X = matrix(Xd)
    best = None
    for C in (2.0, 5.0, 10.0, 20.0):
        clf = LogisticRegression(C=C, max_iter=2000)
        cv = cross_val_score(clf, X, y, cv=5).mean()  # chosen on the training data only
        print(f"  C={C}: 5-fold CV accuracy on train {cv:.3f}")
        if best is None or cv > best[0]:
            best = (cv, C)
    clf = LogisticRegression(C=best[1], max_iter=2000).fit(X, y)
    labels = list(clf.classes_)
    assert all(lab in TAXONOMY for lab in labels), labels
    Xdev = matrix(feats(dev))
    acc = float((clf.predict(Xdev) == np.array([lab for _t, lab in dev])).mean())
    print(f"topic: {len(train)} training docs ({Counter(y).most_common()}), {len(vocab)} features, C={best[1]}; "
          f"VLSP 2018 dev accuracy (python side, sklearn) {acc:.3f}")
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "topic.npz", vocab=np.array("\n".join(vocab)), idf=idf,
                        coef=clf.coef_.astype(np.float16), intercept=clf.intercept_.astype(np.float32),
                        labels=np.array("\n".join(labels)), version=np.array(TOPIC_VERSION))
    print(f"wrote {OUT / 'topic.npz'} ({(OUT / 'topic.npz').stat().st_size:,} bytes)")


def vietnews_train(limit: int | None = None):
    with gzip.open(SHARED / "data/vietnews/train.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def _pairs_pass(limit: int | None):
    """Syllable and adjacent-syllable counts over VietNews train (pairs seen once in a block of 20,000 articles are
    dropped at the block's end: bounded memory, and such a pair cannot reach MIN_DF anyway)."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    df_bi: Counter[str] = Counter()
    total = docs = 0
    for d in vietnews_train(limit):
        docs += 1
        seen_b = set()
        for line in (d["title"] + "\n" + d["abstract"] + "\n" + d["body"]).split("\n"):
            t = tokens(line)
            total += len(t)
            uni.update(t)
            pairs = [a + " " + b for a, b in zip(t, t[1:])]
            bi.update(pairs)
            seen_b.update(pairs)
        df_bi.update(seen_b)
        if docs % 20000 == 0:
            for k in [k for k, c in df_bi.items() if c == 1]:
                del df_bi[k]
                bi.pop(k, None)
            print(f"  phrases: {docs:,} articles read, {len(df_bi):,} pairs kept", flush=True)
    return uni, bi, df_bi, total, docs


def _segment(toks: list[str], lex: dict[str, int]) -> list[str]:
    """Greedy segmentation with the pair lexicon (as enrich.keywords does): pairs first, the more frequent of
    two overlapping pairs."""
    out, i, n = [], 0, len(toks)
    while i < n:
        here = lex.get(f"{toks[i]} {toks[i + 1]}") if i + 1 < n else None
        if here is not None:
            nxt = lex.get(f"{toks[i + 1]} {toks[i + 2]}") if i + 2 < n else None
            if nxt is None or here >= nxt:
                out.append(f"{toks[i]} {toks[i + 1]}")
                i += 2
                continue
        out.append(toks[i])
        i += 1
    return out


def build_phrases(limit: int | None = None) -> None:
    """The keyword lexicon, from all of VietNews train:

    1. two-syllable words: adjacent syllable pairs that hold together (normalised PMI, or one syllable mostly with
       the other) — most Vietnamese words have two syllables;
    2. four-syllable words: two syllable pairs that come together far more than chance, over articles ("trí tuệ
       nhân tạo", "biến đổi khí hậu"; "nhân tạo" need not be a word of its own), unless the pair in the middle
       is the real word ("mở phiên toà xét"), so the keyword stage does not split them.
    """
    from bantin.enrich.keywords import _FUNCTION, _STOP_SET

    uni, bi, df_bi, total, docs = _pairs_pass(limit)
    pairs: dict[str, int] = {}
    for k, c in bi.items():
        if df_bi[k] < MIN_DF:
            continue
        a, b = k.split(" ")
        if a.isdigit() or b.isdigit():
            continue
        p_ab, p_a, p_b = c / total, uni[a] / total, uni[b] / total
        npmi = math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
        # a pair holds together when it is more than chance (NPMI), or when one syllable mostly comes with the
        # other ("nghệ" after "công", "hạt" before "nhân") although the other is everywhere
        if npmi >= MIN_NPMI or (npmi >= 0.1 and max(c / uni[a], c / uni[b]) >= MIN_COND):
            pairs[k] = df_bi[k]
    print(f"  phrases: {len(pairs):,} two-syllable words; second pass for longer ones", flush=True)
    # a two-syllable word followed by another syllable pair, counted once per article (candidates seen once in a
    # block of 20,000 articles dropped at the block's end, as above)
    grams: Counter[str] = Counter()
    docs2 = 0
    for d in vietnews_train(limit):
        docs2 += 1
        seen = set()
        for line in (d["title"] + "\n" + d["abstract"] + "\n" + d["body"]).split("\n"):
            t = tokens(line)
            for i in range(len(t) - 3):
                w = t[i:i + 4]
                if f"{w[0]} {w[1]}" in pairs and all(x.isalpha() and x not in _FUNCTION for x in w):
                    seen.add(" ".join(w))
        grams.update(seen)
        if docs2 % 20000 == 0:
            for k in [k for k, c in grams.items() if c == 1]:
                del grams[k]
            print(f"  phrases: {docs2:,} articles read again, {len(grams):,} candidates kept", flush=True)
    fours: dict[str, int] = {}
    for k, c in grams.items():
        if c < MIN_DF:
            continue
        w = k.split(" ")
        head, mid, tail = f"{w[0]} {w[1]}", f"{w[1]} {w[2]}", f"{w[2]} {w[3]}"
        if head in _STOP_SET or tail in _STOP_SET or tail not in df_bi:
            continue
        dh, dt = df_bi[head], df_bi[tail]
        if df_bi.get(mid, 0) >= min(dh, dt):
            continue  # "mở phiên toà xét": the middle pair is the word, the whole straddles two
        p_ab, p_a, p_b = c / docs, dh / docs, dt / docs
        npmi = math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
        # "trí tuệ nhân tạo", "biến đổi khí hậu": the halves come together far more than chance, and each is in
        # the whole in a good share of its articles
        if npmi >= MIN_NPMI_4 and min(c / dh, c / dt) >= MIN_COND_4:
            fours[k] = c
    out = sorted({**pairs, **fours}.items())
    OUT.mkdir(parents=True, exist_ok=True)
    import io

    with gzip.GzipFile(OUT / "phrases.tsv.gz", "wb", mtime=0) as gz, io.TextIOWrapper(gz, encoding="utf-8") as w:
        w.write(f"#docs\t{docs}\n")
        for k, c in out:
            w.write(f"{k}\t{c}\n")
    print(f"phrases: {len(pairs):,} two-syllable and {len(fours):,} four-syllable words from {docs:,} VietNews "
          f"train articles; wrote {OUT / 'phrases.tsv.gz'} ({(OUT / 'phrases.tsv.gz').stat().st_size:,} bytes)")


def build_summary(limit: int = 5000) -> None:
    from bantin.enrich import summary as S

    X, y = [], []
    for d in vietnews_train(limit):
        body = d["body"]
        ref = set(tokens(d["abstract"]))
        if not ref:
            continue
        sents = S.sentences(body)
        if len(sents) < 4:
            continue
        feats = S.sentence_features(d["title"], body, sents)
        for (a, b), f in zip(sents, feats):
            t = tokens(body[a:b])
            if not t:
                continue
            X.append(f)
            y.append(len(ref & set(t)) / len(ref))
    X = np.array(X, np.float64)
    y = np.array(y, np.float64)
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.json").write_text(json.dumps({"version": "summary-ls-2026.12.1", "features": S.FEATURES,
                                                  "weights": [round(float(v), 6) for v in w]}, indent=1))
    print(f"summary: {len(y):,} sentences from VietNews train; weights {dict(zip(S.FEATURES, np.round(w, 3)))}")


if __name__ == "__main__":
    what = sys.argv[1:] or ["topic", "phrases", "summary"]
    if "topic" in what:
        build_topic()
    if "phrases" in what:
        build_phrases()
    if "summary" in what:
        build_summary()

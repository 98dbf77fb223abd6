"""Build the shipped facts models (deterministic; needs ../shared/data or BANTIN_SHARED, and scikit-learn).

    .venv/bin/pip install -r requirements-facts-train.txt
    .venv/bin/python training/facts/build.py [topic] [phrases] [summary]     (default: all three)

Writes, under src/bantin/data/facts/:
  topic.npz     TF-IDF (syllables + syllable pairs, sublinear tf) → multinomial logistic regression over the
                taxonomy; trained on VLSP 2018 *train* (categories mapped, VLSP_MAP) and ViMs clusters 1–200
                labelled by the section in their URL (enrich.topic.section_topic). VLSP 2018 dev is only scored.
  phrases.tsv.gz  two-syllable words (syllable pairs that hold together: document frequency ≥ MIN_DF and
                normalised PMI ≥ MIN_NPMI, or one syllable mostly with the other) with their document
                frequencies, from VietNews train; the keyword stage segments text with them and weighs by IDF.
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


def build_phrases(limit: int = 20000) -> None:
    """Syllable pairs that hold together (NPMI of adjacent syllables): the two-syllable words that make up most
    of Vietnamese vocabulary. Longer keywords are made of these at run time (enrich.keywords)."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    df_bi: Counter[str] = Counter()
    total = 0
    docs = 0
    for d in vietnews_train(limit):
        docs += 1
        if docs % 5000 == 0:
            print(f"  phrases: {docs:,} articles read", flush=True)
        seen_b = set()
        for line in (d["title"] + "\n" + d["abstract"] + "\n" + d["body"]).split("\n"):
            t = tokens(line)
            total += len(t)
            uni.update(t)
            for a, b in zip(t, t[1:]):
                k = a + " " + b
                bi[k] += 1
                seen_b.add(k)
        df_bi.update(seen_b)
    out = []
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
            out.append((k, df_bi[k]))
    out.sort()
    OUT.mkdir(parents=True, exist_ok=True)
    import io

    with gzip.GzipFile(OUT / "phrases.tsv.gz", "wb", mtime=0) as gz, io.TextIOWrapper(gz, encoding="utf-8") as w:
        w.write(f"#docs\t{docs}\n")
        for k, c in out:
            w.write(f"{k}\t{c}\n")
    print(f"phrases: {len(out):,} from {docs:,} VietNews train articles; wrote {OUT / 'phrases.tsv.gz'} "
          f"({(OUT / 'phrases.tsv.gz').stat().st_size:,} bytes)")


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

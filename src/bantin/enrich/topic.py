"""Topic: one label of a fixed Vietnamese news taxonomy per article.

The outlet's own section wins when the article has one (``Article.section``, else the section named in its URL's
path: ``/the-gioi/``, ``/phap-luat/``…), mapped by ``section_topic``. Otherwise a small linear classifier shipped in
the package (``data/facts/topic.npz``: TF-IDF over syllables and syllable pairs, multinomial logistic regression,
trained by ``training/facts/build.py`` on VLSP 2018 train and ViMs clusters 1–200 labelled by their URL sections;
see ``data/facts/MODEL_CARD.md``) picks the label.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from urllib.parse import urlparse

import numpy as np

__all__ = ["TAXONOMY", "classify", "section_topic", "topic_of", "tokens", "TOPIC_VERSION"]

TAXONOMY = ("Thời sự", "Thế giới", "Kinh doanh", "Pháp luật", "Giáo dục", "Sức khỏe", "Thể thao", "Giải trí",
            "Công nghệ", "Khoa học", "Đời sống", "Du lịch", "Xe", "Bất động sản", "Văn hóa")

# section words (folded, hyphenated as in URLs) → topic; the longest key found in a section wins
_SECTIONS = {
    "the-gioi": "Thế giới", "thegioi": "Thế giới", "quoc-te": "Thế giới", "world": "Thế giới",
    "thoi-su-quoc-te": "Thế giới", "tin-the-gioi": "Thế giới", "chau-a": "Thế giới", "quan-su": "Thế giới",
    "thoi-su": "Thời sự", "xa-hoi": "Thời sự", "xahoi": "Thời sự", "chinh-tri": "Thời sự", "chinhtri": "Thời sự",
    "trong-nuoc": "Thời sự", "dan-sinh": "Thời sự", "thoi-cuoc": "Thời sự", "su-kien": "Thời sự",
    "an-toan-giao-thong": "Thời sự", "giao-thong": "Thời sự", "moi-truong": "Thời sự",
    "kinh-doanh": "Kinh doanh", "kinh-te": "Kinh doanh", "kinhte": "Kinh doanh", "tai-chinh": "Kinh doanh",
    "chung-khoan": "Kinh doanh", "doanh-nghiep": "Kinh doanh", "thi-truong": "Kinh doanh", "business": "Kinh doanh",
    "ngan-hang": "Kinh doanh", "viec-lam": "Kinh doanh",
    "phap-luat": "Pháp luật", "an-ninh": "Pháp luật", "hinh-su": "Pháp luật", "vu-an": "Pháp luật",
    "an-ninh-trat-tu": "Pháp luật", "ho-so-vu-an": "Pháp luật", "ky-su-phap-dinh": "Pháp luật",
    "giao-duc": "Giáo dục", "tuyen-sinh": "Giáo dục", "du-hoc": "Giáo dục", "khuyen-hoc": "Giáo dục",
    "suc-khoe": "Sức khỏe", "y-te": "Sức khỏe", "song-khoe": "Sức khỏe", "benh": "Sức khỏe",
    "the-thao": "Thể thao", "thethao": "Thể thao", "bong-da": "Thể thao", "sport": "Thể thao",
    "giai-tri": "Giải trí", "showbiz": "Giải trí", "am-nhac": "Giải trí", "phim": "Giải trí", "sao": "Giải trí",
    "hau-truong": "Giải trí", "lang-sao": "Giải trí", "the-gioi-sao": "Giải trí", "ngoi-sao": "Giải trí",
    "van-hoa-giai-tri": "Giải trí", "entertainment": "Giải trí",
    "cong-nghe": "Công nghệ", "so-hoa": "Công nghệ", "cong-nghe-thong-tin": "Công nghệ", "vien-thong": "Công nghệ",
    "internet": "Công nghệ", "dien-thoai": "Công nghệ", "tech": "Công nghệ", "an-ninh-mang": "Công nghệ",
    "khoa-hoc": "Khoa học", "kham-pha": "Khoa học", "science": "Khoa học",
    "doi-song": "Đời sống", "gia-dinh": "Đời sống", "nhip-song": "Đời sống", "tinh-yeu": "Đời sống",
    "ban-doc": "Đời sống", "dep": "Đời sống", "lam-dep": "Đời sống", "am-thuc": "Đời sống",
    "du-lich": "Du lịch", "travel": "Du lịch",
    "xe": "Xe", "o-to": "Xe", "oto": "Xe", "o-to-xe-may": "Xe", "xe-may": "Xe", "oto-xe-may": "Xe",
    "bat-dong-san": "Bất động sản", "nha-dat": "Bất động sản", "dia-oc": "Bất động sản",
    "tai-chinh-bat-dong-san": "Bất động sản",
    "van-hoa": "Văn hóa", "vanhoa": "Văn hóa", "van-hoa-van-nghe": "Văn hóa", "nghe-thuat": "Văn hóa",
    "an-ninh-doi-song": "Pháp luật", "an-ninh-kinh-te": "Pháp luật",
    "khoa-hoc-cong-nghe": "Công nghệ", "kh-cn": "Công nghệ",
}
_SPLIT = re.compile(r"[/_.?&=]+")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def section_topic(section: str | None) -> str | None:
    """Topic of an outlet's section name or a URL path ("Thế giới", "/tin-tuc/the-gioi/…") — None if unknown."""
    if not section:
        return None
    parts = [_fold(p) for p in _SPLIT.split(section)] if "/" in section else [_fold(section)]
    best = None
    for p in parts:
        if not p:
            continue
        cands = [p] if p in _SECTIONS else []
        if not cands:  # "tin-tuc-the-gioi", "thoi-su-trong-nuoc": the longest known piece
            words = p.split("-")
            for i in range(len(words)):
                for j in range(len(words), i, -1):
                    k = "-".join(words[i:j])
                    if k in _SECTIONS and (j - i > 1 or k in ("xe", "sao", "dep", "benh", "phim")):
                        cands.append(k)
                        break
        for k in cands:
            if best is None or len(k) > len(best):
                best = k
    return _SECTIONS.get(best) if best else None


def url_section(url: str | None) -> str | None:
    if not url:
        return None
    try:
        path = urlparse(url).path
    except ValueError:
        return None
    segs = [s for s in path.split("/") if s][:-1]  # the last segment is the article's slug
    return "/".join(segs) or None


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case syllables (NFC), as the classifier and keywords see them."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _TOKEN.findall(text.lower())


def features(toks: list[str]) -> dict[str, int]:
    """Unigram and bigram counts."""
    f: dict[str, int] = {}
    for t in toks:
        f[t] = f.get(t, 0) + 1
    for a, b in zip(toks, toks[1:]):
        k = a + " " + b
        f[k] = f.get(k, 0) + 1
    return f


class _Model:
    def __init__(self, path) -> None:
        with np.load(path, allow_pickle=False) as z:
            vocab = str(z["vocab"]).split("\n")
            self.index = {w: i for i, w in enumerate(vocab)}
            self.idf = z["idf"].astype(np.float32)
            self.coef = z["coef"].astype(np.float32)
            self.intercept = z["intercept"].astype(np.float32)
            self.labels = str(z["labels"]).split("\n")
            self.version = str(z["version"])

    def scores(self, text: str) -> np.ndarray:
        f = features(tokens(text))
        idx, vals = [], []
        get = self.index.get
        for k, c in f.items():
            i = get(k)
            if i is not None:
                idx.append(i)
                vals.append(1.0 + np.log(c))
        if not idx:
            return self.intercept.copy()
        ii = np.fromiter(idx, np.int64, len(idx))
        x = np.asarray(vals, np.float32) * self.idf[ii]
        x /= np.linalg.norm(x) or 1.0
        return self.coef[:, ii] @ x + self.intercept


@lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model(resources.files("bantin") / "data" / "facts" / "topic.npz")


def classify(text: str) -> tuple[str, float]:
    """(topic, probability) from the shipped classifier."""
    m = _model()
    s = m.scores(text)
    s = s - s.max()
    p = np.exp(s)
    p /= p.sum()
    i = int(p.argmax())
    return m.labels[i], float(p[i])


def topic_version() -> str:
    return _model().version


TOPIC_VERSION = "topic-sections-1"
#: Texts shorter than this (title + text, characters) get no topic from the classifier: a sentence or two says too
#: little (and ``bantin annotate`` on single lines stays fast).
MIN_TEXT = 200


def topic_of(title: str, text: str, section: str | None = None, url: str | None = None) -> dict:
    """{"label", "source": "section" | "url" | "model", "score"}: the outlet's section when known, else the model."""
    t = section_topic(section)
    if t is not None:
        return {"label": t, "source": "section", "score": 1.0}
    t = section_topic(url_section(url))
    if t is not None:
        return {"label": t, "source": "url", "score": 1.0}
    if len(title) + len(text) < MIN_TEXT:
        return {"label": None, "source": None, "score": None}  # a line or two: too little to classify
    label, p = classify((title + "\n") * 2 + text)
    return {"label": label, "source": "model", "score": round(p, 3)}

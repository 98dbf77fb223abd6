"""Duplicates and stories.

Per article (pure, computed in the pipeline's worker processes and carried to the store on ``Prepared.dedup``):
``keys`` (content key, URL key), ``minhash`` (MinHash signature over syllable shingles), the short lines'
hashes that boilerplate learning counts, and ``features`` (the TF-IDF vector stories compare).

Per archive (``dedup.run``, after the map, against the store, incrementally — only articles not yet checked
are compared): exact and near-duplicate groups with a canonical article each, per-outlet boilerplate
learning, and stories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bantin.dedup import keys as _keys
from bantin.dedup import minhash as _mh
from bantin.model import Article

#: Lines longer than this (in key characters) are never boilerplate and are not counted.
SHORT_LINE = 200
#: Body paragraphs that go into the story vector (the top of an article says what it is about).
STORY_PARAGRAPHS = 10


@dataclass(slots=True)
class DedupKeys:
    content_key: str
    url_key: str | None
    length: int  # characters of lead + body: "longest" in the canonical rule
    scheme: str  # minhash.scheme() the signature was made with
    sig: bytes | None  # NUM_PERM little-endian uint32, None when the text has no shingles
    lines: bytes  # uint64 hashes of the short body lines (boilerplate learning)
    vec: bytes | None  # story vector (features.vector_blob); None for undated articles


def signature_text(article: Article, skip: frozenset[int] | None = None) -> str:
    """The text near-duplicates are judged on: lead and body, without boilerplate lines."""
    keys = _keys.line_keys(article.paragraphs)
    body = [p for p, k in zip(article.paragraphs, keys)
            if k and not _keys.is_generic_boilerplate(k) and not (skip and _keys.hash_key(k) in skip)]
    return "\n".join(filter(None, [article.sapo, *body]))


def compute(articles: Sequence[Article], skip: dict[str, frozenset[int]] | None = None) -> list[DedupKeys]:
    """Dedup keys of a batch of articles (vectorised over the batch). ``skip``: learned boilerplate per outlet."""
    from bantin.dedup.features import story_vector, vector_blob

    texts, out_meta = [], []
    every = _keys.line_keys([p for a in articles for p in a.paragraphs])  # one vectorised pass for the batch
    at = 0
    for a in articles:
        sk = (skip or {}).get(a.outlet or "")
        lk = every[at:at + len(a.paragraphs)]
        at += len(a.paragraphs)
        ck = _keys.content_key(lk, a.sapo, sk)
        body = [p for p, k in zip(a.paragraphs, lk)
                if k and not _keys.is_generic_boilerplate(k) and not (sk and _keys.hash_key(k) in sk)]
        texts.append("\n".join(filter(None, [a.sapo, *body])))
        short = sorted({_keys.hash_key(k) for k in lk if k and len(k) <= SHORT_LINE})
        lines = np.array(short, dtype="<u8").tobytes()
        vec = None
        if a.published_at:
            vec = vector_blob(*story_vector(a.title, a.sapo, body[:STORY_PARAGRAPHS], a.annotations))
        out_meta.append((ck, _keys.url_key(a.url), len(a.sapo or "") + sum(len(p) for p in a.paragraphs), lines,
                         vec))
    sigs = _mh.signatures(texts)
    sch = _mh.scheme()
    res = []
    for (ck, uk, length, lines, vec), sig in zip(out_meta, sigs):
        res.append(DedupKeys(content_key=ck, url_key=uk, length=length, scheme=sch,
                             sig=None if _mh.is_empty(sig) else _mh.to_blob(sig), lines=lines, vec=vec))
    return res

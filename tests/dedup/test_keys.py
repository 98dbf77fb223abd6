"""Exact keys: content key over normalised text, URL key over normalised URLs; signatures and bands."""

import numpy as np
import pytest

from bantin.dedup import keys, minhash
from dedup_fixtures import body


@pytest.mark.parametrize("a, b", [
    ("https://vnexpress.net/gia-vang-tang-123.html?utm_source=fb&utm_medium=x#comments",
     "http://vnexpress.net/gia-vang-tang-123.html"),
    ("https://m.dantri.com.vn/xa-hoi/abc.htm", "https://dantri.com.vn/xa-hoi/abc.htm"),
    ("https://www.tuoitre.vn/amp/abc-1.htm", "https://tuoitre.vn/abc-1.htm"),
    ("https://thanhnien.vn/abc-1.amp", "https://thanhnien.vn/abc-1"),
    ("https://zingnews.vn/a.html?b=2&a=1&fbclid=XYZ", "https://zingnews.vn/a.html?a=1&b=2"),
    ("https://amp.example.vn/tin/", "https://example.vn/tin"),
    ("https://example.vn/tin?gclid=1&zarsrc=30", "https://example.vn/tin"),
])
def test_url_key_same_page(a, b):
    assert keys.url_key(a) == keys.url_key(b) is not None


@pytest.mark.parametrize("a, b", [
    ("https://vnexpress.net/a-1.html", "https://vnexpress.net/a-2.html"),
    ("https://example.vn/tin?id=1", "https://example.vn/tin?id=2"),
    ("https://dantri.com.vn/a.htm", "https://vnexpress.net/a.htm"),
])
def test_url_key_different_pages(a, b):
    assert keys.url_key(a) != keys.url_key(b)


def test_url_key_unusable():
    assert keys.url_key(None) is None and keys.url_key("") is None and keys.url_key("   ") is None


def test_content_key_folds_form_but_keeps_diacritics():
    a = ["Mưa lớn gây lũ ở Quảng Bình, hòa bình.", "Người dân   sơ tán."]
    b = ["mưa LỚN gây lũ ở quảng bình hoà bình", "Người dân sơ tán!", "Tin liên quan", "Chia sẻ bài viết"]
    ka = keys.content_key(keys.line_keys(a))
    assert ka == keys.content_key(keys.line_keys(b))  # case, spacing, punctuation, tone style, generic lines
    c = ["Mưa lớn gây lũ ở Quảng Bình, hòa bình.", "Người dân sơ tan."]  # one diacritic differs
    assert ka != keys.content_key(keys.line_keys(c))
    assert keys.content_key([], lead="Má") != keys.content_key([], lead="Mà")


def test_content_key_skips_learned_lines():
    paras = body(1, 5) + ["Mời bạn đọc gửi ý kiến về chuyên mục"]
    lk = keys.line_keys(paras)
    skip = frozenset({keys.hash_key(lk[-1])})
    assert keys.content_key(lk, skip=skip) == keys.content_key(keys.line_keys(paras[:-1]))


def test_signatures_deterministic_and_batch_independent():
    texts = ["\n".join(body(i)) for i in range(5)]
    s1 = minhash.signatures(texts)
    s2 = np.stack([minhash.signatures([t])[0] for t in reversed(texts)])[::-1]
    assert s1.shape == (5, minhash.NUM_PERM) and s1.dtype == np.uint32
    assert (s1 == s2).all()


def test_similarity_tracks_edits():
    paras = body(7, 20)
    a = "\n".join(paras)
    dropped = "\n".join(paras[:10] + paras[11:])
    other = "\n".join(body(8, 20))
    sa, sd, so = minhash.signatures([a, dropped, other])
    assert minhash.similarity(sa, sd) >= 0.85
    assert minhash.similarity(sa, so) < 0.2
    # diacritics are kept: the same words without them are another text
    assert minhash.similarity(sa, minhash.signatures([minhash_fold(a)])[0]) < 0.2
    # tone-mark style and case are not
    assert minhash.similarity(sa, minhash.signatures([a.upper().replace("HÒA", "HOÀ")])[0]) == 1.0


def minhash_fold(text: str) -> str:
    from bantin.clean.fold import fold

    return fold(text)


def test_short_and_empty_texts():
    sig = minhash.signatures(["", "Hai", "Hai từ", "!!!"])
    assert minhash.is_empty(sig[0]) and minhash.is_empty(sig[3])
    assert not minhash.is_empty(sig[1]) and not minhash.is_empty(sig[2])
    assert minhash.similarity(sig[1], sig[2]) < 1.0


def test_band_keys_equal_bands_collide():
    paras = body(3, 20)
    s = minhash.signatures(["\n".join(paras), "\n".join(paras[:19] + ["Một câu khác hẳn ở cuối bài."])])
    k = minhash.band_keys(s)
    assert k.shape == (2, minhash.BANDS) and k.dtype == np.int64 and (k >= 0).all()
    same = (s[0].reshape(minhash.BANDS, -1) == s[1].reshape(minhash.BANDS, -1)).all(axis=1)
    assert ((k[0] == k[1]) == same).all() and same.any()
    assert len(set(k[0].tolist())) == minhash.BANDS  # band number is part of the key


def test_scheme_names_the_rensa_algorithm():
    import rensa

    s = minhash.scheme()
    assert f"k{minhash.SHINGLE}" in s and f"p{minhash.NUM_PERM}" in s
    assert f"a{rensa.RMinHash.ALGORITHM_VERSION}" in s

"""Exact matches in snippets are found from the folded text (no exact form of the whole text is made): they must be
exactly the matches the exact form of the whole text gives, on every text and token list."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.clean.fold import exact, fold
from bantin.search.snippet import _exact_hits, _find, make_snippet

from conftest import needs_shared


def reference(text: str, exact_tokens: list[str], prefix: bool) -> list[tuple[int, int, str]]:
    """What snippets did before: the exact tokens looked up in the exact form of the whole text."""
    return _find(text, exact(text), exact_tokens, prefix)


def check(text: str, exact_tokens: list[str], prefix: bool) -> None:
    text = unicodedata.normalize("NFC", text)
    folded = [fold(t) for t in exact_tokens]
    hits, folded_hits = _exact_hits(text, fold(text), exact_tokens, folded, prefix)
    assert hits == reference(text, exact_tokens, prefix), (text, exact_tokens, prefix)
    assert reference(text, exact_tokens, prefix) == regex_find(exact(text), exact_tokens, prefix) \
        if len(exact(text)) == len(text) else True
    assert _find(text, fold(text), folded, prefix) == regex_find(fold(text), folded, prefix)
    if folded_hits is not None:  # the folded matches, when given, are the query's own
        assert folded_hits == _find(text, fold(text), folded, prefix)


HARD = [
    ("Hoà bình ở Thuỷ Nguyên, khoẻ mạnh; HOÀ giải và hòa giải", ["hòa", "thủy", "khỏe"]),
    ("quý khách, QUÝ vị, quí; quỳnh", ["quý", "quỳnh"]),
    ("Hà Nội2024 hà-nội HÀ NỘI hà_nội hạ", ["hà", "nội", "hạ"]),
    ("İstanbul và Hà Nội", ["hà", "nội"]),  # "İ".lower() is two characters: no exact highlighting, as before
    ("ΣΟΦΙΑΣ Σοφίας hà", ["hà"]),
    ("Nguyễn Văn A, nguyễn văn b, NGUYỄN", ["nguyễn", "văn"]),
    ("thuỷ thủy thuy thúy", ["thủy"]),
    ("giá gia giả giã", ["giá"]),
]


def test_hard_cases_match_the_whole_text_exact_form():
    for text, toks in HARD:
        for prefix in (False, True):
            check(text, toks, prefix)
            check(text, [t[:2] for t in toks], prefix)


VI = "aăâeêioôơuưyđ" + "àằầèềìòồờùừỳ" + "áắấéếíóốớúứý" + "ảẳẩẻểỉỏổởủửỷ" + "ãẵẫẽễĩõỗỡũữỹ" + "ạặậẹệịọộợụựỵ" + "qhnt"
words = st.text(alphabet=VI + VI.upper(), min_size=1, max_size=5)


@settings(max_examples=400, deadline=None)
@given(st.lists(words, min_size=1, max_size=30), st.lists(words, min_size=1, max_size=3), st.booleans(),
       st.sampled_from([" ", ", ", "-", "_", "2", ". ", "\n"]))
def test_random_vietnamese_text_and_tokens(text_words, toks, prefix, sep):
    check(sep.join(text_words), [exact(t) for t in toks], prefix)


def test_on_real_articles():
    """Every query of two adjacent words of 300 real articles' titles (diacritics kept), in those articles' text."""
    path = needs_shared("data", "vietnews", "val.jsonl.gz")
    rng = random.Random(7)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in itertools.islice(fh, 300)]
    checked = 0
    for d in docs:
        text = "\n".join(filter(None, [d.get("abstract", ""), d.get("body", "")]))
        title_words = re.findall(r"[^\W_]+", d.get("title", ""))
        if len(title_words) < 2:
            continue
        i = rng.randrange(len(title_words) - 1)
        toks = [exact(w) for w in title_words[i:i + 2]]
        for prefix in (False, True):
            check(text, toks, prefix)
            checked += 1
        tokens = [(t, fold(t)) for t in toks]
        assert "<mark>" in make_snippet(text + " " + " ".join(toks), tokens)
    assert checked > 400


def regex_find(form: str, tokens: list[str], prefix: bool) -> list[tuple[int, int, str]]:
    """What snippets did first: one alternation of every token, a word start checked before each match."""
    words = sorted({t for t in tokens if t}, key=len, reverse=True)
    tail = r"[^\W_]*" if prefix else ""
    pat = re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, words))}){tail}(?![^\W_])")
    return [(m.start(), m.end(), m.group(0)) for m in pat.finditer(form)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="ahnoi", min_size=1, max_size=5), min_size=1, max_size=40),
       st.lists(st.text(alphabet="ahnoi", min_size=1, max_size=3), min_size=1, max_size=3), st.booleans(),
       st.sampled_from([" ", "_", "2", ". ", "-"]))
def test_one_token_at_a_time_finds_what_the_alternation_finds(text_words, toks, prefix, sep):
    form = sep.join(text_words)
    assert _find(form, form, toks, prefix) == regex_find(form, toks, prefix)

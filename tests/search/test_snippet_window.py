"""The snippet window is chosen in one pass; it must choose exactly what the quadratic definition chooses."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bantin.search.snippet import _best_window, make_snippet


def reference(hits, adjacent, window):
    best, best_score = 0, (-1, -1, 1)
    for i, (s, _e, _w) in enumerate(hits):
        inside = [k for k in range(i, len(hits)) if hits[k][1] <= s + window]
        score = (len({hits[k][2] for k in inside}), sum(adjacent[k] for k in inside if k > i), -i)
        if score > best_score:
            best, best_score = i, score
    return best


@st.composite
def hit_lists(draw):
    n = draw(st.integers(1, 60))
    pos, hits = 0, []
    for _ in range(n):
        pos += draw(st.integers(0, 80))
        length = draw(st.integers(1, 12))
        hits.append((pos, pos + length, draw(st.sampled_from("abcd"))))
        pos += length
    adjacent = [i > 0 and draw(st.booleans()) for i in range(n)]
    return hits, adjacent, draw(st.sampled_from([5, 40, 220]))


@settings(max_examples=300, deadline=None)
@given(hit_lists())
def test_one_pass_window_is_the_quadratic_one(case):
    hits, adjacent, window = case
    assert _best_window(hits, adjacent, window) == reference(hits, adjacent, window)


def test_a_long_article_full_of_one_word_is_quick():
    import time

    text = " ".join(["công an"] * 5000 + ["Thụy Sĩ"])
    t0 = time.perf_counter()
    snip = make_snippet(text, [("công", "cong"), ("an", "an"), ("thụy", "thuy"), ("sĩ", "si")])
    assert time.perf_counter() - t0 < 1.0
    assert "<mark>công</mark>" in snip


def reference_find(form, tokens, prefix):
    """The matches as first defined: a look-behind at the start of the pattern (slow: tried at every position)."""
    import re

    words = sorted({t for t in tokens if t}, key=len, reverse=True)
    tail = r"[^\W_]*" if prefix else ""
    pat = re.compile(rf"(?<![^\W_])(?:{'|'.join(re.escape(w) for w in words)}){tail}(?![^\W_])")
    return [(m.start(), m.end(), m.group(0)) for m in pat.finditer(form)]


_PIECES = ["nam", "an", "việt", "viet", "nam2", "_nam", "anam", "namn", " ", " ", ", ", "-", "_", "2", "đà", "a"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(["nam", "an", "viet", "việt", "a",
                                                                                   "đà", "2"]), min_size=1, max_size=3),
       st.booleans())
def test_word_matches_are_the_look_behind_ones(pieces, tokens, prefix):
    """Matches found from a literal start and checked for a word boundary by hand are exactly the look-behind
    pattern's — inside words, after underscores and digits, overlapping candidates, prefixes."""
    from bantin.search.snippet import _find

    text = "".join(pieces)
    assert _find(text, text, tokens, prefix) == reference_find(text, tokens, prefix)


def test_a_word_character_is_an_alphanumeric_one():
    """``_find_words`` checks the character before a match with ``str.isalnum`` where the patterns say
    ``[^\\W_]``: the same test on every code point."""
    import re

    word = re.compile(r"[^\W_]")
    assert [c for c in map(chr, range(0x110000)) if (word.match(c) is not None) != c.isalnum()] == []


_HTML_PIECES = ["nam", "việt", " ", "&", "<b>", '"', "'", ">", "an", ", ", "\n", "Thụy", "sĩ", "x" * 230]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=60),
       st.lists(st.sampled_from([("nam", "nam"), ("việt", "viet"), ("an", "an"), ("thụy", "thuy")]), min_size=1,
                max_size=3))
def test_a_window_without_special_characters_is_escaped_as_piece_by_piece(monkeypatch, pieces, tokens):
    """A snippet's window is escaped piece by piece only when it holds a character ``html.escape`` changes; the
    same output as escaping every piece (``_ESCAPED`` forced to find one everywhere)."""
    import re

    from bantin.search import snippet

    text = "".join(pieces)
    fast = make_snippet(text, tokens)
    with monkeypatch.context() as m:
        m.setattr(snippet, "_ESCAPED", re.compile(""))
        assert make_snippet(text, tokens) == fast

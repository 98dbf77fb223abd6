"""Snippets: the best short window of an article's text for a query, with the matched words marked.

Matching is done on the folded text (``fold`` keeps offsets), so "thuy si" marks "Thụy Sĩ". The result is safe
HTML: the text is escaped and matches are wrapped in ``<mark>…</mark>``; ``marks_to_plain`` and
``marks_to_spans`` turn it into other shapes for terminals and programs.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata

from bantin.clean.fold import exact, fold

WINDOW = 220
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


_WORD_CHAR = re.compile(r"[^\W_]")
_ESCAPED = re.compile("[&<>\"']")
_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=256)
def _token_pattern(words: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    """Tokens that hold more than letters and digits, as whole words: one alternation after a look-behind (the
    engine tries it at every position; query tokens of letters and digits go through ``_find_words`` instead)."""
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    tail = r"[^\W_]*" if prefix else ""
    return re.compile(rf"(?<![^\W_])(?:{alts}){tail}(?![^\W_])")


def _find(text: str, form: str, tokens: list[str], prefix: bool) -> list[tuple[int, int, str]]:
    words = {t for t in tokens if t}
    if not words or len(form) != len(text):  # offsets must line up; else no highlighting rather than wrong
        return []
    if all(_WORD.fullmatch(w) for w in words):
        return _find_words(form, words, prefix)
    return [(m.start(), m.end(), m.group(0)) for m in _token_pattern(tuple(sorted(words)), prefix).finditer(form)]


@functools.lru_cache(maxsize=1024)
def _word_pattern(token: str, prefix: bool) -> re.Pattern[str]:
    """One token (letters and digits) as a whole word's start: a literal first, which the regex engine finds by
    scanning for it, then the word's end (``prefix``: the rest of the word) — the start is checked by hand."""
    return re.compile(re.escape(token) + (r"[^\W_]*" if prefix else "") + r"(?![^\W_])")


def _find_words(form: str, words: set[str], prefix: bool) -> list[tuple[int, int, str]]:
    """The alternation's matches of these tokens (letters and digits only) in ``form``, one token at a time: each
    pattern starts with its literal, so the engine jumps between its occurrences (4x faster than an alternation
    tried at every position on news text). Whole words never overlap, so merging by start gives what the
    alternation gives: at a word start at most one whole word, and no skipped match can hide one."""
    out: dict[int, tuple[int, int, str]] = {}
    for w in words:
        if prefix:
            for m in _word_pattern(w, prefix).finditer(form):
                i = m.start()
                if (not i or not _WORD_CHAR.match(form, i - 1)) and i not in out:
                    out[i] = (i, m.end(), m.group(0))
            continue
        size = len(w)  # a whole word: the token itself (a character is [^\W_] when it is alphanumeric)
        for m in _word_pattern(w, prefix).finditer(form):
            i = m.start()
            if (not i or not form[i - 1].isalnum()) and i not in out:
                out[i] = (i, i + size, w)
    return [out[k] for k in sorted(out)]


def _exact_hits(text: str, form: str, exact_tokens: list[str], folded_tokens: list[str],
                prefix: bool) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]] | None]:
    """The matches of the exact tokens, as ``_find`` over ``exact(text)`` gives them, without making the exact form
    of the whole text (NFC, tone-mark style, lower case — half a snippet's cost): a word whose exact form is a token
    folds to that token's folded form, so the exact matches are the matches of the tokens' folded forms in the
    folded text ``form`` whose words' exact form is a token (a whole word's exact form is the exact form's slice:
    tone marks move inside a syllable, case inside a letter). Also gives those folded matches when they are the
    query's own folded matches (the caller's fallback), else None. ``text`` is NFC."""
    if "\u0130" in text:  # "İ", the one character whose lower case is two: the exact form would not line up
        return [], None
    folded_exact = [_fold_word(t) for t in exact_tokens]
    candidates = _find(text, form, folded_exact, prefix)
    want = set(exact_tokens)
    hits = []
    for s, e, _w in candidates:
        word = _exact_word(text[s:e])
        if (any(word.startswith(t) for t in want) if prefix else word in want):
            hits.append((s, e, word))
    return hits, candidates if set(folded_exact) == set(folded_tokens) else None


#: ``exact`` and ``fold`` of one word, remembered: a snippet takes the exact form of every candidate word (a dozen
#: per text, 20 texts a page) from a vocabulary of a few thousand syllables — a dict look-up instead of NFC,
#: tone placement and lower case each time.
_exact_word = functools.lru_cache(maxsize=1 << 16)(exact)
_fold_word = functools.lru_cache(maxsize=1 << 12)(fold)


def make_snippet(text: str, tokens: list[tuple[str, str]], window: int = WINDOW, prefix: bool = False) -> str:
    """Escaped snippet of ``text`` around the densest cluster of query tokens, matches in <mark>.

    ``tokens`` are the query's (exact, folded) token pairs. When the query has diacritics, exact matches are
    highlighted if there are any (a query for "giá" does not mark "gia"); otherwise folded matches.
    """
    text = unicodedata.normalize("NFC", text)
    if not text or not tokens:
        return html.escape(_cut(text, 0, window))
    hits: list[tuple[int, int, str]] = []
    folded_tokens = [f for _e, f in tokens]
    form = fold(text)
    folded_hits: list[tuple[int, int, str]] | None = None
    if any(e != f for e, f in tokens):
        exact_tokens = [e for e, _f in tokens]
        hits, folded_hits = _exact_hits(text, form, exact_tokens, folded_tokens, prefix)
        if hits:
            folded_tokens = exact_tokens
    if not hits:
        hits = folded_hits if folded_hits is not None else _find(text, form, folded_tokens, prefix)
    if not hits:
        return html.escape(_cut(text, 0, window))
    # query tokens that follow each other in the query and in the text count as a phrase match
    pairs = {(a, b) for a, b in zip(folded_tokens, folded_tokens[1:])}
    adjacent = [i > 0 and (hits[i - 1][2], hits[i][2]) in pairs and hits[i][0] - hits[i - 1][1] <= 2
                for i in range(len(hits))]
    best = _best_window(hits, adjacent, window)
    start = hits[best][0]
    start = max(0, start - window // 4)
    # snap to a word start
    if start > 0:
        sp = text.rfind(" ", max(0, start - 20), start)
        start = sp + 1 if sp >= 0 else start
    end = min(len(text), start + window)
    if end < len(text):
        sp = text.find(" ", end, end + 20)
        end = sp if sp >= 0 else end
    out = []
    pos = start
    # html.escape changes only &, <, >, " and ': a window without them is written as it is, piece by piece
    esc = html.escape if _ESCAPED.search(text, start, end) else str
    for s, e, _w in hits:
        if s < start or e > end:
            continue
        out.append(esc(text[pos:s]))
        out.append(MARK_OPEN + esc(text[s:e]) + MARK_CLOSE)
        pos = e
    out.append(esc(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def _best_window(hits: list[tuple[int, int, str]], adjacent: list[bool], window: int) -> int:
    """The hit to start the window at: the window covering the most distinct tokens, then the most phrase
    matches, then the earliest. One pass (hits are in text order and do not overlap, so the hits a window starting
    at hit i covers are hits i..j-1, and j only moves forward): an article naming a common word a hundred times
    costs a hundred steps, not ten thousand. The first window of the best (tokens, phrases) wins: a later one
    replaces it only when strictly better."""
    phrase = list(itertools.accumulate(adjacent, initial=0))  # phrase[k]: adjacent pairs among hits 1..k-1
    counts: dict[str, int] = {}
    best, best_tokens, best_phrases = 0, -1, -1
    n = len(hits)
    j = 0
    for i in range(n):
        s, _e, w = hits[i]
        if j < i:
            j = i
        limit = s + window
        while j < n and hits[j][1] <= limit:
            x = hits[j][2]
            counts[x] = counts.get(x, 0) + 1
            j += 1
        if j > i:  # the window holds hits i..j-1
            tokens = len(counts)
            if tokens >= best_tokens:
                phrases = phrase[j] - phrase[i + 1]
                if tokens > best_tokens or phrases > best_phrases:
                    best, best_tokens, best_phrases = i, tokens, phrases
            left = counts[w] - 1  # hit i leaves the window
            if left:
                counts[w] = left
            else:
                del counts[w]
        elif best_tokens < 0:  # hit i alone is longer than the window: an empty window, (0, 0)
            best, best_tokens, best_phrases = i, 0, 0
    return best


def _cut(text: str, start: int, window: int) -> str:
    if len(text) <= window:
        return text
    end = text.find(" ", window, window + 20)
    return text[: end if end > 0 else window] + "…"


_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


def marks_to_plain(snippet: str) -> str:
    """Unescaped text without marks."""
    return html.unescape(_MARK_RE.sub(r"\1", snippet))


def marks_to_spans(snippet: str) -> list[tuple[str, bool]]:
    """[(text, marked?)...], unescaped: for terminals (rich) and other renderers."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARK_RE.finditer(snippet):
        if m.start() > pos:
            out.append((html.unescape(snippet[pos:m.start()]), False))
        out.append((html.unescape(m.group(1)), True))
        pos = m.end()
    if pos < len(snippet):
        out.append((html.unescape(snippet[pos:]), False))
    return out

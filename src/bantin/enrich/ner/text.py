"""Tokenising and feature normalisation for entity extraction.

Offsets always point into the text exactly as given: the tokenizer runs on the
original string (NFC, NFD, old- or new-style tone marks alike), and only a
*copy* of each token is normalised to build its feature key.

A token is either a run of letters/digits (combining marks included, so NFD
syllables stay one token) or a single other non-space character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

# Combining marks that may follow a base letter in decomposed text.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
TOKEN_RE = re.compile(rf"(?:[^\W_]|[{_MARKS}])+|[^\s{_MARKS}]", re.UNICODE)

# Vietnamese tone marks (as combining characters after NFD).
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_TONE_RE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_VN_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")

# Segment limits: a "segment" is the unit the CRF decodes (a line, or a piece
# of a very long line cut after sentence punctuation).
MAX_SEGMENT_TOKENS = 200
_SENT_END = {".", "!", "?", "…", ";"}


def tokenize(text: str) -> tuple[list[str], list[int], list[int]]:
    """Return (tokens, starts, ends) with offsets into ``text`` as given."""
    toks: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in TOKEN_RE.finditer(text):
        toks.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    return toks, starts, ends


def feature_key(tok: str) -> str:
    """Normalised key of a token: NFC, lower case, tone mark moved to the end.

    "Hoà", "hòa", "HOÀ" and the NFD spellings all give "hoa2", so old- and
    new-style tone placement and decomposed input share one feature.
    """
    if tok.isascii():
        return tok.lower()
    d = unicodedata.normalize("NFD", tok.lower())
    tones = _TONE_RE.findall(d)
    if tones:
        base = unicodedata.normalize("NFC", _TONE_RE.sub("", d))
        return base + _TONES[tones[-1]]
    return unicodedata.normalize("NFC", d)


def shape(tok: str) -> str:
    """Coarse orthographic class of a token (from its original case)."""
    c0 = tok[0]
    if c0.isalpha() or (len(tok) > 1 and not c0.isdigit() and tok.isalnum()):
        if not c0.isupper() and not c0.islower():
            return "Z"  # caseless script (CJK, Thai, ...)
        if tok.isupper():
            return "A" if len(unicodedata.normalize("NFC", tok)) == 1 else "AA"
        if tok.islower():
            return "a"
        if c0.isupper():
            rest = tok[1:]
            if rest.islower() or not any(ch.isalpha() for ch in rest):
                return "Aa"
            return "AaA"
        if any(ch.isdigit() for ch in tok):
            return "d1"
        return "aA"
    if c0.isdigit():
        if tok.isdigit():
            n = len(tok)
            return "D1" if n == 1 else "D2" if n == 2 else "D4" if n == 4 else "Dn"
        return "Dx"
    return "P" + tok if tok in "\"“”'‘’()[],.:;!?-–—/&%…+«»" else "O"


def script(tok: str) -> str:
    """'v' Vietnamese-looking, 'l' plain Latin letters, 'n' number, 'o' other script, 'p' punct."""
    if tok.isascii():
        if tok.isalpha():
            return "l"
        if tok.isdigit():
            return "n"
        if tok.isalnum():
            return "l"
        return "p"
    n = unicodedata.normalize("NFD", tok)
    if _TONE_RE.search(n) or any(ch in _VN_LETTERS for ch in tok) or "\u0302" in n or "\u0306" in n or "\u031b" in n:
        # a Latin letter must be there too (guards against Greek/Cyrillic with marks)
        if any("a" <= ch <= "z" or "A" <= ch <= "Z" or ch in _VN_LETTERS for ch in n):
            return "v"
    if tok[0].isalpha() or tok.isalnum():
        return "o"
    return "p"


def segments(tokens: list[str], starts: list[int], text: str) -> list[tuple[int, int]]:
    """Split a token sequence into decoding segments [(i, j), ...].

    A new segment starts at every line break in the text; a segment longer
    than MAX_SEGMENT_TOKENS is cut after sentence punctuation (or, failing
    that, hard at the limit).
    """
    n = len(tokens)
    if n == 0:
        return []
    bounds = [0]
    pos = text.find("\n")
    while pos != -1:
        k = bisect_left(starts, pos)
        if bounds[-1] < k < n:
            bounds.append(k)
        pos = text.find("\n", pos + 1)
    bounds.append(n)
    out: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        while b - a > MAX_SEGMENT_TOKENS:
            lim = a + MAX_SEGMENT_TOKENS
            cut = lim
            for j in range(lim - 1, a + 20, -1):
                if tokens[j] in _SENT_END:
                    cut = j + 1
                    break
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out

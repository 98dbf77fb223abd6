"""Tone-mark style and diacritic folding: the one place text is made comparable.

Three forms of a text exist in bantin:

* the stored text — what the outlet wrote, only NFC-normalised and whitespace-cleaned;
* the *exact* form (``exact``) — NFC, one tone-mark style (the "new" style: ``hòa``, ``thủy``, ``khỏe``),
  lower case. Used for keys and for exact-diacritic search matching;
* the *folded* form (``fold``) — the exact form with every diacritic removed and ``đ`` → ``d``. Used for
  diacritic-insensitive search.

``search_forms`` is the single function that makes both search forms, at index time and at query time.
``fold`` maps one character to one character on NFC input, so offsets in the folded text are offsets in the
original (the snippet builder relies on this).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

#: fold-2: the index form is NFKC, so full-width letters, ligatures and superscripts are indexed and searched
#: as the letters they stand for (ｈà ｎộｉ = hà nội, m² = m2). Articles record the version their index rows
#: were made with (``versions["fold"]``); ``search.index.index_forms`` remakes old rows with the old form.
FOLD_VERSION = "fold-2"

# ---------------------------------------------------------------------------------------------------------------
# Tone-mark style: "old" style puts the tone on the second vowel of open oa/oe/uy syllables (hoà, khoẻ, thuỷ);
# the "new" style on the first (hòa, khỏe, thủy). Closed syllables (hoàng, khuyết) are written the same in both.

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng


def _compose(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def _old_to_new_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in _TONE_MARKS:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                table[f + _compose(s, mark)] = _compose(f, mark) + s
    return table


_OLD_TO_NEW = _old_to_new_table()
_FIRSTS = "".join(sorted({k[0] for k in _OLD_TO_NEW}))
_SECONDS = "".join(sorted({k[1] for k in _OLD_TO_NEW}))
#: An old-style pair ("oà") not after q/Q (checked by hand: a look-behind at the start of the pattern makes the
#: regex engine try it at every position; a pair after q is left alone, and no pair can start inside it).
_OLD_STYLE_RE = re.compile(f"[{_FIRSTS}][{_SECONDS}](?![^\\W\\d_])")


def _codes(text: str) -> np.ndarray:
    """Code points of ``text`` as uint32; astral characters are kept (callers clip before table lookups)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _tone_tables() -> tuple[np.ndarray, ...]:
    """Lookup tables for the vectorised rewrite: kind of first/second letter, tone, base and composed forms."""
    first_kind = np.zeros(0x10000, dtype=np.int8)  # 1: o/O (pairs with a/e), 2: u/U (pairs with y)
    second_kind = np.zeros(0x10000, dtype=np.int8)
    tone = np.zeros(0x10000, dtype=np.int8)  # 1..5 for the tone marks in _TONE_MARKS
    base = np.arange(0x10000, dtype=np.uint32)
    for ch in "oO":
        first_kind[ord(ch)] = 1
    for ch in "uU":
        first_kind[ord(ch)] = 2
    for vowels, kind in (("aeAE", 1), ("yY", 2)):
        for v in vowels:
            for t, mark in enumerate(_TONE_MARKS, 1):
                cp = ord(_compose(v, mark))
                second_kind[cp], tone[cp], base[cp] = kind, t, ord(v)
    firsts = {ord(f): [ord(f)] + [ord(_compose(f, m)) for m in _TONE_MARKS] for f in "oOuU"}
    first_toned = np.zeros((4, 6), dtype=np.uint32)
    first_index = np.zeros(0x10000, dtype=np.int8)
    for i, (cp, forms) in enumerate(firsts.items()):
        first_index[cp] = i
        first_toned[i] = forms
    letter = np.array([chr(i).isalpha() for i in range(0x10000)], dtype=bool)
    return first_kind, second_kind, tone, base, first_index, first_toned, letter


_FIRST_KIND, _SECOND_KIND, _TONE, _BASE, _FIRST_INDEX, _FIRST_TONED, _IS_LETTER = _tone_tables()
_Q = (ord("q"), ord("Q"))


def _canonical_codes(c: np.ndarray, bmp: bool = False) -> np.ndarray:
    """Vectorised old→new tone placement on an array of code points (modified copy, or ``c`` itself); ``bmp``:
    the caller knows every code is below 0x10000 (no clipped copy for the table look-ups).

    ``take`` rather than fancy indexing: half the time on article-sized arrays, and this runs on every body."""
    n = len(c)
    if n < 2:
        return c
    cc = c if bmp else np.minimum(c, 0xFFFF)
    t = _KEY_TABLE.take(cc)  # one lookup for both letters' kinds (bits 0-1 and 2-3)
    fk = t[:-1] & 3
    idx = np.flatnonzero((fk != 0) & (fk == ((t[1:] >> 2) & 3)))
    if len(idx) == 0:
        return c
    nxt = np.minimum(idx + 2, n - 1)
    ok = (idx + 2 >= n) | ~_IS_LETTER.take(cc.take(nxt))
    prv = cc.take(np.maximum(idx - 1, 0))
    ok &= (idx == 0) | ((prv != _Q[0]) & (prv != _Q[1]))
    idx = idx[ok]
    if len(idx) == 0:
        return c
    c = c.copy()
    second = cc.take(idx + 1)
    c[idx] = _FIRST_TONED[_FIRST_INDEX.take(cc.take(idx)), _TONE.take(second)]
    c[idx + 1] = _BASE.take(second)
    return c


def canonical_tones(text: str) -> str:
    """Rewrite old-style tone placement (hoà, thuỷ, khoẻ) to the new style (hòa, thủy, khỏe). NFC input."""
    if text.isascii() or len(text) < 2:
        return text
    def new_style(m: re.Match[str]) -> str:
        s = m.start()
        if s and text[s - 1] in "qQ":
            return m.group(0)
        return _OLD_TO_NEW.get(m.group(0), m.group(0))

    return _OLD_STYLE_RE.sub(new_style, text)


# ---------------------------------------------------------------------------------------------------------------
# Folding: a per-character table over the Basic Multilingual Plane, applied with numpy (≈ 60 M chars/s, ~40x
# faster than str.translate with a dict).


def _fold_table() -> np.ndarray:
    table = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x80, 0x2000):
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFD", ch)
        if decomposed != ch and decomposed[0].isascii() and decomposed[0].isalpha():
            table[cp] = ord(decomposed[0].lower())
        elif ch.lower() != ch and len(ch.lower()) == 1:
            table[cp] = ord(ch.lower())
    for cp in range(0x2000, 0x10000):
        low = chr(cp).lower()
        if len(low) == 1 and low != chr(cp):
            table[cp] = ord(low)
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = cp + 32
    table[ord("đ")] = ord("d")
    table[ord("Đ")] = ord("d")
    return table


_FOLD = _fold_table()
#: The same table on UTF-16 code units: no character of the BMP folds to or from a surrogate, so a character beyond
#: the BMP (a surrogate pair) comes out as it went in, as ``_FOLD`` leaves it — half the bytes to move, no check.
_FOLD16 = _FOLD.astype(np.uint16)
_SURROGATES = np.arange(0xD800, 0xE000)
assert _FOLD.max() < 0x10000 and (_FOLD[_SURROGATES] == _SURROGATES).all()
assert ((_FOLD >= 0xD800) & (_FOLD < 0xE000)).sum() == len(_SURROGATES)  # nothing else folds to a surrogate


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d. One character in, one character out."""
    if text.isascii():
        return text.lower()
    return _FOLD16.take(np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)).tobytes().decode("utf-16-le")


def exact(text: str) -> str:
    """NFC, one tone-mark style, lower case: the exact-match form."""
    if not text.isascii():
        text = canonical_tones(unicodedata.normalize("NFC", text))
    return text.lower()


def index_form(text: str, version: str = FOLD_VERSION) -> str:
    """What the full-text index holds: NFKC (compatibility forms folded: full-width "ｈａ" is "ha", "m²" is
    "m2"; NFC for articles indexed under ``fold-1``), lower case, tone marks placed as the outlet wrote them.

    Cheap on purpose (it runs over every body at ingest). Queries pass through the same function
    (``search_forms`` starts from it); tone-mark style and diacritics are then matched by expanding the query's
    tokens into their spellings (``tone_twins``, ``search.variants``) rather than by rewriting the index.
    """
    if text.isascii():
        return text.lower()
    if version == "fold-1":
        return unicodedata.normalize("NFC", text).lower()
    # "…" is the compatibility character news text has most (1 article in 6): spelled out first, the rest of the
    # text usually passes NFKC's quick check, and NFKC costs what NFC did (+2 µs an article instead of +15)
    return unicodedata.normalize("NFKC", text.replace("…", "...")).lower()


def search_forms(text: str) -> tuple[str, str]:
    """(exact form, folded form) of a query or key text: index form, one tone-mark style, and no diacritics."""
    ex = canonical_tones(index_form(text))
    return ex, fold(ex)


_NEW_TO_OLD = {v: k for k, v in _OLD_TO_NEW.items()}
_NEW_STYLE_RE = re.compile("(?<![qQ])(?:" + "|".join(sorted(_NEW_TO_OLD, key=len, reverse=True)) + r")(?![^\W\d_])")


def tone_twins(token: str) -> tuple[str, ...]:
    """The token in both tone-mark styles: "hòa" → ("hòa", "hoà"); most tokens have one spelling only."""
    new = canonical_tones(token)
    old = _NEW_STYLE_RE.sub(lambda m: _NEW_TO_OLD[m.group(0)], new)
    return (new,) if old == new else (new, old)


_IS_ALNUM = np.array([chr(i).isalnum() and chr(i) != "_" for i in range(0x10000)], dtype=bool)


def text_key(text: str) -> str:
    """Comparison key of a block of text: exact form with spaces and punctuation removed.

    Keeps diacritics on purpose: folding them would make ma/má/mà equal.
    """
    ex = exact(text)
    if ex.isalnum() and max(ex) < "\U00010000":
        return ex  # fast path; like the general path below (and text_keys), keeps no character beyond the BMP
    c = _codes(ex)
    keep = _IS_ALNUM[np.minimum(c, 0xFFFF)] & (c < 0x10000)
    return c[keep].tobytes().decode("utf-32-le")


#: Blocks keyed lately, and their keys: cleaning keys every paragraph (repeat removal) and the dedup keys key the
#: same paragraphs again a moment later in the same process; this spares the second pass. Bounded; cleared when full.
_RECENT: dict[str, str] = {}
_RECENT_MAX = 50_000


def text_keys(blocks: list[str]) -> list[str]:
    """``[text_key(b) for b in blocks]``, computed in one vectorised pass (blocks must not contain newlines)."""
    if not blocks:
        return []
    recent = _RECENT
    got = [recent.get(b) for b in blocks]
    if None not in got:
        return got  # type: ignore[return-value]
    missing = [b for b, k in zip(blocks, got) if k is None]
    fresh = _text_keys(missing)
    if len(recent) + len(missing) > _RECENT_MAX:
        recent.clear()
    recent.update(zip(missing, fresh))
    it = iter(fresh)
    return [k if k is not None else next(it) for k in got]


#: One lookup for ``_text_keys``: bits 0-1 the first letter's kind of an old-style pair (``_FIRST_KIND``), bits
#: 2-3 the second letter's (``_SECOND_KIND``), bit 4 kept in a key (a letter or digit, or the newline between
#: blocks).
_KEY_TABLE = (_FIRST_KIND | (_SECOND_KIND << 2) | (_IS_ALNUM.astype(np.int8) << 4)).astype(np.int8)
_KEY_TABLE[10] |= 16
_IS_LETTER_LIST = _IS_LETTER.tolist()
_TONED_FIRST = {(int(cp), t): int(_FIRST_TONED[_FIRST_INDEX[cp], t]) for cp in map(ord, "oOuU") for t in range(6)}
_SECOND_TONE = {int(cp): (int(_TONE[cp]), int(_BASE[cp])) for cp in np.flatnonzero(_SECOND_KIND)}


def _canonical_pairs(c: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``_canonical_codes`` of a BMP array whose candidate pairs (first letter's positions) are ``idx`` — the
    same checks and rewrite, one pair at a time: an article has about ten, where numpy's fixed cost per call
    made the vectorised checks cost more than the pairs themselves."""
    n = len(c)
    out = None
    for i in idx.tolist():
        if i + 2 < n and _IS_LETTER_LIST[c[i + 2]]:
            continue
        if i > 0 and c[i - 1] in _Q:
            continue
        if out is None:
            out = c.copy()
        tone, base = _SECOND_TONE[int(c[i + 1])]
        out[i] = _TONED_FIRST[(int(c[i]), tone)]
        out[i + 1] = base
    return c if out is None else out


def _text_keys(blocks: list[str]) -> list[str]:
    # NFC as ``exact`` (not the index's NFKC): keys are stored, and must not change with the search folding
    c = _codes(index_form("\n".join(blocks), "fold-1"))
    if len(c) and int(c.max()) >= 0x10000:  # characters beyond the BMP (rare): the general path
        c = _canonical_codes(c)
        keep = (_IS_ALNUM[np.minimum(c, 0xFFFF)] & (c < 0x10000)) | (c == 10)
    else:  # one table lookup gives the pairs to rewrite and the characters to keep (a rewrite keeps both kept)
        t = _KEY_TABLE.take(c)
        first = t[:-1] & 3
        idx = np.flatnonzero((first != 0) & (first == ((t[1:] >> 2) & 3)))
        if len(idx):
            c = _canonical_pairs(c, idx) if len(idx) <= 64 else _canonical_codes(c)
        keep = t >= 16
    out = c[keep].tobytes().decode("utf-32-le").split("\n")
    if len(out) != len(blocks):  # a block held a newline after all: fall back to one by one
        return [text_key(b) for b in blocks]
    return out

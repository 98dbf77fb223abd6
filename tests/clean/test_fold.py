import unicodedata

import pytest
from hypothesis import given
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

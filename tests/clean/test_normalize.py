import unicodedata

from bantin.clean.normalize import count_flags, normalize_line, normalize_paragraphs


def test_nfc_invisible_and_spaces():
    counts: dict[str, int] = {}
    s = unicodedata.normalize("NFD", "Thụy\u200b Sĩ\u00a0\u00a0 ngày\tmai ") + "\ufeff"
    assert normalize_line(s, counts) == "Thụy Sĩ ngày mai"
    flags = count_flags(counts)
    assert "nfc-normalized" in flags and "invisible-removed:2" in flags


def test_control_characters_removed_and_paragraph_breaks_split():
    out = normalize_paragraphs(["a\x07b", "dòng một\r\ndòng hai\u2028dòng ba", "   "])
    assert out == ["ab", "dòng một", "dòng hai", "dòng ba"]


def test_tone_style_is_kept_as_written():
    assert normalize_line("hoà bình") == "hoà bình"

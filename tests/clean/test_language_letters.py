"""``clean.language.vietnamese_letters`` (step 1 of language identification, run on every article at ingest) is
computed with lookup tables for speed; it must count exactly what its definition says."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.clean.language import identify, vietnamese_letters

_ONLY_VI = set("ơưƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)} - set("ẹọẽỹẸỌẼỸ")


def _by_definition(text: str) -> tuple[int, int, int]:
    chars = [c for c in unicodedata.normalize("NFC", text) if ord(c) < 0x10000]
    only = [c for c in chars if c in _ONLY_VI]
    return sum(c.isalpha() for c in chars), len(only), len({c.lower() for c in only})


_ALPHABET = "aAăâđêôơưƠƯàáảãạằắẳẵặẦẤẨẪẬèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵỲÝỶỸỴ oOuUyY.,1\n\u0301\u0300😀ß"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80) | st.text(max_size=40))
def test_vietnamese_letters_counts_by_its_definition(text):
    assert vietnamese_letters(text) == _by_definition(text)


def test_vietnamese_letters_on_news_text():
    text = "Thủ tướng Phạm Minh Chính dự Hội nghị Thượng đỉnh ở Thụy Sĩ, bàn về hợp tác kinh tế. 😀"
    letters, only, distinct = vietnamese_letters(text)
    assert (letters, only, distinct) == _by_definition(text)
    assert only >= 10 and distinct >= 5
    assert identify(text) == "vi"
    assert vietnamese_letters("") == (0, 0, 0) and vietnamese_letters("😀😀") == (0, 0, 0)

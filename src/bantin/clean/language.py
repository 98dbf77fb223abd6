"""A cheap language guess for cleaned articles: is this Vietnamese?

Vietnamese written with diacritics is unmistakable: letters such as ă â đ ê ô ơ ư and the tone-marked vowels
of Latin Extended Additional hardly occur in other languages. Other languages are left unnamed (None) here.
"""

from __future__ import annotations

import re

_VI_CHARS = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]"
)
_LETTERS = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str | None:
    """"vi" when at least 8% of the letters are Vietnamese-specific (typical running text: 25–35%)."""
    sample = text[:3000]
    letters = len(_LETTERS.findall(sample))
    if letters < 12:
        return None
    vi = len(_VI_CHARS.findall(sample))
    return "vi" if vi / letters >= 0.08 else None

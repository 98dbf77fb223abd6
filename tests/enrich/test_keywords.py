"""Keywords keep multi-syllable words whole (the shipped lexicon and its segmentation)."""

from __future__ import annotations

from bantin.enrich.keywords import _lexicon, _segment, keywords
from bantin.enrich.topic import tokens


def words(text: str) -> list[str]:
    toks = tokens(text)
    return [" ".join(toks[a:b]) for a, b in _segment(toks, _lexicon()[0])]


def test_four_syllable_words_are_one_word():
    assert "trí tuệ nhân tạo" in words("Ứng dụng trí tuệ nhân tạo trong y tế")
    assert "biến đổi khí hậu" in words("tác động của biến đổi khí hậu tới đồng bằng")


def test_segmentation_prefers_the_better_cover():
    # "kg ma" must not take "ma" from "ma tuý"
    assert "ma tuý" in words("thu giữ 5 kg ma tuý đá")


def test_an_article_about_ai_keeps_the_term_whole():
    body = ("Mỹ và Trung Quốc tổ chức đối thoại về trí tuệ nhân tạo tại Geneva. Hai bên bàn về rủi ro của trí tuệ "
            "nhân tạo trong quân sự. Các chuyên gia cho rằng trí tuệ nhân tạo cần được quản lý chặt chẽ hơn, nhất là "
            "khi trí tuệ nhân tạo được dùng trong vũ khí.")
    kws = [k.lower() for k in keywords("Đối thoại về trí tuệ nhân tạo", body, ["Mỹ", "Trung Quốc", "Geneva"])]
    assert "trí tuệ nhân tạo" in kws
    assert "trí tuệ" not in kws and "nhân tạo" not in kws

"""The facts never crash on odd text, their spans stay inside it, and an article with NFD text gets offsets into
the text as given."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.enrich import facts

ALPHABET = st.sampled_from(list("0123456789 .,:;/-–()“”\"%$\n") + list("ngàythángnămtỷtriệuđồngUSDôngnóichobiết") +
                           ["hôm qua", " tuần trước", " quý I/2024", " 1,5 triệu đồng", " ông An nói: “", "”",
                            "\u0301", "\x00", "😀", "İ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_no_crash_and_spans_inside(text):
    for items in (facts.dates_in(text, None), facts.amounts_in(text), facts.quotes_in(text, [])):
        for x in items:
            assert 0 <= x["start"] <= x["end"] <= len(text)
            assert text[x["start"]:x["end"]] == x["text"]
    facts.summary_of("", text)
    facts.keywords_of("", text * 10, [])


def test_nfd_text_offsets_are_into_the_text_as_given():
    text = unicodedata.normalize("NFD", "Ông Nguyễn Văn An cho biết, giá đã tăng 1,5 triệu đồng từ hôm qua.")
    for items in (facts.dates_in(text, None), facts.amounts_in(text), facts.quotes_in(text, [])):
        assert items
        for x in items:
            assert text[x["start"]:x["end"]] == x["text"]


def test_a_failing_fact_stage_does_not_lose_the_article(monkeypatch):
    from bantin import pipeline
    from bantin.model import Raw

    def boom(_text):
        raise RuntimeError("bug")

    monkeypatch.setattr(facts, "amounts_in", boom)
    raw = Raw(b"Gia xang tang\n\nGia xang tang 500 dong moi lit tu hom nay theo Bo Cong Thuong.", "x.txt", "", "text")
    a = pipeline.make_article(raw)
    assert not hasattr(a, "stage"), a  # not a Reject
    assert "amounts" not in a.annotations and "enrich-failed:amounts" in a.flags
    assert "dates" in a.annotations

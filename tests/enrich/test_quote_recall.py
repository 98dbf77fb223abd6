"""The learnt recall layer of quotes: what the hand rules leave out, kept only where the scorer is sure."""

from __future__ import annotations

import math

from bantin.enrich import quote_recall, quotes
from bantin.enrich.ner import extract_entities
from bantin.enrich.quotes import _Finder, _paragraphs, find_quotes

UNLISTED_VERB = ("Ông Nguyễn Văn Hùng, Giám đốc Sở Y tế tỉnh Nghệ An, thú nhận rằng ngành y tế đã chậm trễ trong việc "
                 "cấp phép cho các phòng khám.")


def found(text: str):
    return [(text[q.start:q.end], q.speaker) for q in find_quotes(text, extract_entities(text))]


def finder(text: str) -> _Finder:
    ents = extract_entities(text)
    return _Finder(text, sorted((e.start, e.end, e.type, e.name or e.text) for e in ents))


def test_a_clause_after_rang_with_a_verb_no_rule_lists_is_reported_speech():
    got = found(UNLISTED_VERB)
    assert got == [("ngành y tế đã chậm trễ trong việc cấp phép cho các phòng khám", "Nguyễn Văn Hùng")], got


def test_it_is_the_recall_layer_that_finds_it(monkeypatch):
    monkeypatch.setattr(quotes, "_recall", lambda *a: None)
    assert found(UNLISTED_VERB) == []


def test_a_worry_is_not_reported_speech():
    assert found("Nhiều người dân lo ngại rằng giá điện sẽ tiếp tục tăng trong những tháng cuối năm.") == []


def test_a_plan_is_not_a_source():
    assert found("Theo kế hoạch, công trình sẽ hoàn thành vào cuối năm 2025 và đưa vào sử dụng ngay sau đó.") == []


def test_nothing_is_added_over_a_quote_the_rules_found():
    text = "Ông Trần Văn Hùng cho biết rằng dự án sẽ được khởi công vào tháng 6 năm nay."
    got = found(text)
    assert len(got) == 1 and got[0][1] == "Trần Văn Hùng", got


def test_keeping_reads_speakers_only_where_they_can_matter_and_keeps_the_same():
    """``kept`` skips reading the speaker of a candidate that no speaker could lift over the threshold; the result
    must be exactly that of scoring every candidate with its speaker."""
    text = "\n".join([
        UNLISTED_VERB,
        "Trong buổi làm việc, một số quan chức Bộ Tài chính phát tín hiệu rằng họ sẵn sàng điều chỉnh mức thuế.",
        "Theo ý kiến của các chuyên gia kinh tế, lãi suất sẽ còn giảm trong quý tới.",
        "Bà Lê Thị Mai cảnh báo các doanh nghiệp sẽ bị xử phạt nếu tiếp tục xả thải ra sông, và nói thêm rằng "
        "đoàn kiểm tra sẽ làm việc cả ngày nghỉ.",
        "Nhiều người dân lo ngại rằng giá điện sẽ tiếp tục tăng, trong khi công ty điện lực khẳng định giá sẽ giữ nguyên.",
    ])
    weights, bias, threshold = quote_recall.model()
    fast = [(round(p, 12), c.start, c.end, c.phrase.text if c.phrase else None)
            for p, c in quote_recall.kept(finder(text), _paragraphs(text))]
    every = []
    for c in quote_recall.candidates(finder(text), _paragraphs(text)):
        p = quote_recall.probability(c.feats, weights, bias)
        if p >= threshold:
            every.append((round(p, 12), c.start, c.end, c.phrase.text if c.phrase else None))
    assert fast == every and fast, (fast, every)


def test_the_shipped_scorer_is_a_probability_model():
    weights, bias, threshold = quote_recall.model()
    assert 0.5 <= threshold < 1 and len(weights) > 100 and math.isfinite(bias)
    assert weights.get("spk=per", 0) > weights.get("spk=none", 0)  # a named speaker is evidence of speech


def test_a_paragraph_opening_with_a_quotation_is_said_by_who_spoke_at_the_end_of_the_paragraph_before():
    text = ("Bí thư Thành uỷ Nguyễn Văn An phát biểu tại buổi làm việc.\n"
            "“Tại sao các dự án này đều chậm tiến độ? Chúng ta phải làm rõ trách nhiệm của từng đơn vị”.")
    got = found(text)
    assert [s for _t, s in got] == ["Nguyễn Văn An"], got

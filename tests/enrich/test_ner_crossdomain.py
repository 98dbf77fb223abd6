"""The cross-domain protocol's pieces: VLSP 2018 sections as folds, and the error classes of issue 14."""

from __future__ import annotations

import pytest

from bantin.enrich.ner import evaluate as ev


def test_category_spellings_fold_to_ten_sections():
    assert len(ev.CATEGORIES) == 10
    assert ev.category_of("Doi song") == ev.category_of("Doi Song") == "Doi song"
    assert ev.category_of(" KH  -  CN ") == "KH - CN"
    with pytest.raises(ValueError, match="unknown VLSP 2018 category"):
        ev.category_of("Sport")


def span(text, sub, typ, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(sub, i + 1)
    return (i, i + len(sub), typ)


def test_error_classes_name_the_issue_errors():
    text = ("Đội Cavaliers thắng. Cavaliers vẫn dẫn đầu.\n"
            "Đồng tiền ảo Bitcoin tăng giá. Hãng Vinfast ra mắt xe.\n"
            "Tào Tháo đem quân. Samsung Galaxy bán chạy.")
    gold = [span(text, "Cavaliers", "ORG"), span(text, "Cavaliers", "ORG", 1), span(text, "Vinfast", "ORG"),
            span(text, "Tào Tháo", "PER"), span(text, "Samsung Galaxy", "MISC")]
    pred = [span(text, "Cavaliers", "PER"), span(text, "Cavaliers", "ORG", 1),  # one right, one typed PER
            span(text, "Bitcoin", "PER"),  # a coin as a person: unannotated in gold
            span(text, "Tào Tháo", "LOC"),  # a character as a place
            span(text, "Samsung Galaxy", "ORG")]  # a product (MISC) forced into ORG; Vinfast missed
    doc = ev.Doc("d", text, gold)
    c = ev.error_classes([doc], [pred])
    assert c["wrong type"] == 2
    assert c["wrong type ORG->PER"] == 1 and c["group as PER"] == 1 and c["group as PER with a group cue"] == 1
    assert c["coin as PER"] == 1 and c["spurious PER"] == 1
    assert c["character/person as LOC"] == 1 and c["wrong type PER->LOC"] == 1
    assert c["MISC as ORG"] == 1 and c["spurious ORG"] == 1
    assert c["one-word ORG missed"] == 2  # the first "Cavaliers" (typed PER) and "Vinfast"
    assert c["missed ORG"] == 1  # only Vinfast has no prediction at all
    # the totals agree with the scorer: every false positive and false negative is counted once
    sc = ev.score([gold], [pred])["micro"]
    assert sc.fp == c["wrong type"] + c.get("wrong boundary", 0) + sum(
        v for k, v in c.items() if k.startswith("spurious "))
    assert c == ev.error_classes([doc], [pred])  # deterministic


def test_error_classes_empty_when_perfect():
    text = "Ông Nguyễn Văn A đến Hà Nội."
    gold = [span(text, "Nguyễn Văn A", "PER"), span(text, "Hà Nội", "LOC")]
    assert ev.error_classes([ev.Doc("d", text, gold)], [gold]) == {}


def test_boundary_error_is_not_a_type_error():
    text = "Bộ Y tế Việt Nam họp."
    gold = [span(text, "Bộ Y tế Việt Nam", "ORG")]
    pred = [span(text, "Bộ Y tế", "ORG"), span(text, "Việt Nam", "LOC")]
    c = ev.error_classes([ev.Doc("d", text, gold)], [pred])
    assert c == {"wrong boundary": 2}


def test_vlsp2018_all_sections_present(monkeypatch):
    from tests.conftest import needs_shared

    shared = needs_shared("data", "ner", "vlsp2018_train_dev.jsonl").parents[2]
    monkeypatch.setenv("BANTIN_SHARED", str(shared))
    docs = ev.load_vlsp2018("all")
    assert len(docs) == len(ev.load_vlsp2018("train")) + len(ev.load_vlsp2018("dev"))
    by = {c: sum(d.category == c for d in docs) for c in ev.CATEGORIES}
    assert set(d.category for d in docs) == set(ev.CATEGORIES)
    assert min(by.values()) >= 100  # every fold has a held-out set worth scoring

"""The cleaned GROUP list of the cross-domain configuration `fast-kbc` (training/ner/kb_clean.py) and how the
fold featurisation reads it (crossdomain.gazetteer_entries) without touching the shipped kb_names.tsv."""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from bantin.enrich.ner import evaluate as ev

sys.path.insert(0, str(ev.repo_root() / "training/ner"))


def test_clean_drops_group_names_that_news_use_for_something_else(monkeypatch):
    import kb_clean as kc

    # VLSP 2016 train, as read by the rule: "York" lies inside "New York" (LOC), "Arsenal" inside an ORG
    votes = {("york",): Counter(LOC=3), ("arsenal",): Counter(ORG=2), ("chelsea",): Counter(ORG=1, PER=1)}
    monkeypatch.setattr(kc, "vlsp2016_votes", lambda names: votes)
    # VietNews mentions: [capitalised, next to a club cue]
    cues = {"bolton": [1101, 1], "arsenal": [34, 4], "chelsea": [122, 5], "oxford": [161, 0], "lugano": [3, 0]}
    rows = [("GROUP", n) for n in ("Tokyo", "San Francisco", "York", "Van", "Cai", "Nguyễn", "Nancy", "Bolton",
                                   "Oxford", "Arsenal", "Chelsea", "Lugano", "Manchester City", "Tokyo Verdy",
                                   "Hawks", "Queen", "NAC")]
    rows += [("COIN", "Bitcoin"), ("BRAND", "Apple"), ("BRAND", "Paris")]
    kept, dropped = kc.clean(rows, cues)
    names = {n for c, n in kept if c == "GROUP"}
    assert names == {"Arsenal", "Chelsea", "Lugano", "Manchester City", "Tokyo Verdy", "Hawks", "Queen", "NAC"}
    assert {"Tokyo", "San Francisco"} <= set(dropped["place"])
    assert dropped["person"] == ["Nguyễn"]  # a family name
    assert dropped["vlsp2016"] == ["York"]
    assert {"Van", "Cai"} <= set(dropped["syllable"])  # one Vietnamese syllable; "NAC" (an acronym) is not
    assert dropped["english"] == ["Nancy"]
    assert set(dropped["vietnews"]) == {"Bolton", "Oxford"}  # "Lugano": too few mentions to judge
    # COIN and BRAND are copied whatever they are ("Paris" the brand stays a BRAND)
    assert [r for r in kept if r[0] != "GROUP"] == [("COIN", "Bitcoin"), ("BRAND", "Apple"), ("BRAND", "Paris")]


def test_vi_syllable_shape():
    import kb_clean as kc

    assert all(kc._vi_syllable(w) for w in ("Van", "Cai", "Tom", "Ngọt", "Hà", "Nghiêng", "Quang"))
    assert not any(kc._vi_syllable(w) for w in ("Roma", "Ajax", "Real", "Inter", "Bayern", "Lyon", "Arsenal"))


def test_fast_kbc_reads_its_own_kb_list_in_place_of_the_shipped_one(tmp_path, monkeypatch):
    import crossdomain as xd

    from bantin.enrich.ner.gazetteer import load_gazetteer_entries

    shipped = load_gazetteer_entries()
    assert xd.gazetteer_entries("fast-kb") == shipped  # configurations without a list of their own
    lst = tmp_path / "kb.tsv"
    lst.write_text("# header\nGROUP\tArsenal FC\nCOIN\tBitcoin\nLOC\tnot a kb category\n", encoding="utf-8")
    monkeypatch.setitem(xd.KB_LISTS, "fast-kbc", lst)
    got = xd.gazetteer_entries("fast-kbc")
    kb = [e for e in got if e[1] in ("COIN", "GROUP", "BRAND")]
    assert kb == [("Arsenal FC", "GROUP"), ("Bitcoin", "COIN")]
    # everything that is not a knowledge-base name is the shipped gazetteer's, unchanged
    assert [e for e in got if e not in kb] == [e for e in shipped if e[1] not in ("COIN", "GROUP", "BRAND")]
    lst.unlink()
    with pytest.raises(SystemExit, match="kb_clean.py"):
        xd.gazetteer_entries("fast-kbc")


def test_fast_kbc_folds_cannot_be_trained_by_train_py(tmp_path, monkeypatch):
    """train.py reads the shipped kb_names.tsv: a fold of a configuration with its own list must be trained by
    train-shared, or it would silently learn the wrong list."""
    import crossdomain as xd

    monkeypatch.setattr(xd, "XD", tmp_path)
    with pytest.raises(SystemExit, match="train-shared"):
        xd.train_fold("fast-kbc", "The thao")

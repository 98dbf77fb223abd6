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


def test_pool_emissions_shares_evidence_across_a_names_mentions():
    import numpy as np

    from bantin.enrich.ner.model import pool_emissions

    # "Cavaliers" twice (single capitalised tokens, rpos 2), "Hà Nội" once (a run: 3 first, 5 last), "thắng" not
    toks = ["Cavaliers", "thắng", "Hà", "Nội", ".", "Cavaliers"]
    rpos = np.array([2, 0, 3, 5, 0, 2])
    emit = np.array([[0, 4, 0], [9, 0, 0], [0, 0, 5], [0, 0, 6], [9, 0, 0], [0, 0, 2]], dtype=np.float32)
    before = emit.copy()
    pool_emissions(emit, toks, rpos, 1.0)
    assert emit[0].tolist() == emit[5].tolist() == [0, 2, 1]  # the mean of both mentions
    assert (emit[1:5] == before[1:5]).all()  # names seen once and other tokens are left alone
    emit = before.copy()
    pool_emissions(emit, toks, rpos, 0.5)
    assert emit[0].tolist() == [0, 3, 0.5] and emit[5].tolist() == [0, 1, 1.5]
    emit = before.copy()
    pool_emissions(emit, ["cavaliers"] + toks[1:], rpos, 1.0)  # other tokens: no shared name
    assert (emit == before).all()


def test_pool_weight_is_read_from_the_model_and_off_by_default(tmp_path):
    import numpy as np

    from bantin.enrich.ner.gazetteer import DATA_DIR, load_gazetteer_entries
    from bantin.enrich.ner.model import CRFModel

    gaz = load_gazetteer_entries()
    assert CRFModel(DATA_DIR / "model.npz", gaz).pool == 0.0
    z = dict(np.load(DATA_DIR / "model.npz"))
    z["pool"] = np.array(0.5)
    np.savez(tmp_path / "m.npz", **z)
    m = CRFModel(tmp_path / "m.npz", gaz)
    assert m.pool == 0.5
    text = "Hôm qua Cavaliers thắng Raptors. Sau trận, đội Cavaliers dẫn đầu miền Đông, Raptors xếp sau."
    from bantin.enrich.ner.text import segments, tokenize

    toks, starts, _ = tokenize(text)
    segs = segments(toks, starts, text)
    e_pool = m.emissions(toks, segs)
    m.pool = 0.0
    e_own = m.emissions(toks, segs)
    i, j = toks.index("Cavaliers"), len(toks) - 1 - toks[::-1].index("Cavaliers")
    assert not np.allclose(e_own[i], e_own[j])  # the two mentions differ on their own...
    assert np.allclose(e_pool[i] - e_pool[j], 0.5 * (e_own[i] - e_own[j]), atol=1e-4)  # ...and half as much pooled


def test_shared_featurisation_trains_the_same_fold_crf(tmp_path, monkeypatch):
    """crossdomain.py train-shared (one featurisation, CRFsuite holdout groups) gives the weights of a CRF
    trained on the other sections alone: the held-out section reaches no feature and no weight."""
    pycrfsuite = pytest.importorskip("pycrfsuite")
    import sys

    import numpy as np

    from bantin.enrich.ner.features import Featurizer, Plan
    from bantin.enrich.ner.gazetteer import load_gazetteer_entries

    sys.path.insert(0, str(ev.repo_root() / "training/ner"))
    import crossdomain as xd
    import train as tr

    def doc(i, cat, name, typ, cue):
        text = f"{cue} {name} gặp ông Trần Văn {chr(65 + i % 20)} tại Hà Nội hôm {i}."
        return ev.Doc(f"{cat}{i}", text, [span(text, name, typ), span(text, f"Trần Văn {chr(65 + i % 20)}", "PER"),
                                         span(text, "Hà Nội", "LOC")], cat)

    d16 = [doc(i, "", "Minh", "PER", "Anh") for i in range(6)]
    d18 = ([doc(i, "The thao", "Cavaliers", "ORG", "Đội") for i in range(5)]
           + [doc(i, "Giai tri", "Blackpink", "ORG", "Nhóm") for i in range(5)]
           + [doc(i, "Kinh te", "Vinamilk", "ORG", "Hãng") for i in range(5)])
    monkeypatch.setattr(ev, "load_vlsp2016", lambda split: list(d16))
    monkeypatch.setattr(ev, "load_vlsp2018", lambda split: list(d18))
    monkeypatch.setattr(xd, "XD", tmp_path)
    monkeypatch.setitem(xd.CONFIGS, "tiny", (["--templates", "0-76", "--iters", "10", "--drop-address", "0",
                                              "--swap-names", "0"], None))
    xd.train_shared("tiny", ["The thao", "Giai tri"])
    assert (tmp_path / "tiny/The_thao/model.npz").exists() and (tmp_path / "tiny/Giai_tri/model.npz").exists()

    z = np.load(xd.SHIPPED_CRF)
    vocab = str(z["vocab"]).split("\n")
    fz = Featurizer(["", ""] + vocab, z["clusters"].astype(np.int32), load_gazetteer_entries(),
                    np.concatenate([np.zeros(2, dtype=np.int32), z["capbins"].astype(np.int32)]))
    t = pycrfsuite.Trainer(verbose=False)
    for xs, ys in tr.sequences(fz, d16 + [d for d in d18 if d.category != "The thao"], plan=Plan(list(range(77)))):
        t.append(xs, ys)
    t.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 10, "feature.minfreq": 0,
                  "feature.possible_transitions": True})
    t.train(str(tmp_path / "alone.crfsuite"))

    def weights(p):
        g = pycrfsuite.Tagger()
        g.open(str(p))
        return g.info().state_features

    shared, alone = weights(tmp_path / "tiny/The_thao/model.crfsuite"), weights(tmp_path / "alone.crfsuite")
    assert set(shared) == set(alone)
    assert max(abs(shared[k] - alone[k]) for k in alone) < 1e-9
    def attrs(docs):
        return {a for xs, _ in tr.sequences(fz, docs, plan=Plan(list(range(77)))) for row in xs for a in row}

    only_held_out = attrs([d for d in d18 if d.category == "The thao"]) - attrs(
        d16 + [d for d in d18 if d.category != "The thao"])
    assert only_held_out  # e.g. the word "Cavaliers" and its contexts
    assert not any(a in only_held_out for a, _ in shared)  # none of them has a weight in the fold
    with pytest.raises(SystemExit, match="scorer"):
        xd.train_shared("shipped", ["The thao"])


def test_pool_types_shares_the_type_not_the_decision_to_be_a_name():
    import numpy as np

    from bantin.enrich.ner.model import pool_emissions

    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    toks = ["Raptors", "thắng", "Raptors"]
    rpos = np.array([2, 0, 2])
    emit = np.array([[0, 3, 0, 1, 0],   # first mention: a name, rather PER
                     [5, 0, 0, 0, 0],
                     [2, 0, 0, 4, 0]], dtype=np.float32)  # second: less sure it is a name, clearly ORG
    before = emit.copy()
    pool_emissions(emit, toks, rpos, 1.0, labels)
    assert (emit[:, 0] == before[:, 0]).all() and (emit[1] == before[1]).all()  # O scores and other tokens kept

    def type_logp(e):
        s = np.array([np.logaddexp(e[1], e[2]), np.logaddexp(e[3], e[4])])
        return s - np.logaddexp.reduce(s)

    assert np.allclose(type_logp(emit[0]), type_logp(emit[2]), atol=1e-5)  # one type distribution for the name
    assert emit[0, 3] - emit[0, 1] > before[0, 3] - before[0, 1]  # the first mention leans further to ORG
    assert emit[0, 3] > emit[0, 1]  # ...and now prefers it
    emit = before.copy()
    pool_emissions(emit, toks, rpos, 0.5, labels)  # half-way: a geometric mix of own and pooled type distributions
    z0, zbar = type_logp(before[0]), 0.5 * (type_logp(before[0]) + type_logp(before[2]))
    mix = 0.5 * z0 + 0.5 * zbar
    assert np.allclose(type_logp(emit[0]), mix - np.logaddexp.reduce(mix), atol=1e-5)


def test_fast_kbdoc_is_fast_kb_plus_the_document_templates():
    """`fast-kbdoc` (model card, "Document-level templates on the folds") differs from its base `fast-kb` only by
    the document-level templates 77-81, and reads the shipped kb list, not `fast-kbc`'s cleaned one."""
    import sys

    sys.path.insert(0, str(ev.repo_root() / "training/ner"))
    import crossdomain as xd
    import train as tr

    from bantin.enrich.ner.gazetteer import load_gazetteer_entries

    def split(config):
        args = xd.CONFIGS[config][0]
        i = args.index("--templates")
        return set(tr.parse_templates(args[i + 1])), args[:i] + args[i + 2:], xd.CONFIGS[config][1]

    kb, doc = split("fast-kb"), split("fast-kbdoc")
    assert doc[0] - kb[0] == set(range(77, 82)) and kb[0] <= doc[0]
    assert doc[1:] == kb[1:]  # same iterations, no augmentation, CRF alone
    assert "fast-kbdoc" not in xd.KB_LISTS
    assert xd.gazetteer_entries("fast-kbdoc") == load_gazetteer_entries()

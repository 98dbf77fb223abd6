"""Training-data augmentation for the NER models (CRF and scorer): new copies of labelled texts.

Both target one error class: a person named by a bare one-syllable given name that is also an
ordinary word ("Bốn", "Dư", "Thường"), which a model that has mostly seen names after "anh"/"ông"
or as known name syllables leaves untagged.
"""

from __future__ import annotations

import collections

from bantin.enrich.ner.evaluate import Doc

# forms of address that often stand before a name in narrative text and are as often left out
# ("anh Bốn nói" / "Bốn nói"): the model must learn to see the bare name from its context alone
ADDRESS = {"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "cháu", "thằng", "mẹ", "cha", "bố", "thầy"}


def drop_address(docs, p: float, rng) -> list:
    """Copies of the texts in which each form of address directly before a PER span is removed with
    probability ``p`` (spans re-offset); texts where nothing was removed are not copied."""
    out = []
    for d in docs:
        cut = []  # (start, end) of "word " runs to delete
        for a, b, t in d.spans:
            if t != "PER":
                continue
            j = d.text.rfind(" ", 0, a - 1) + 1 if a >= 2 and d.text[a - 1] == " " else -1
            if j >= 0 and d.text[j:a - 1].lower() in ADDRESS and rng.random() < p:
                cut.append((j, a))
        if not cut:
            continue
        text, spans, shift, pos = [], [], 0, 0
        for a, b in cut:
            text.append(d.text[pos:a])
            pos = b
        text.append(d.text[pos:])
        for a, b, t in d.spans:
            sh = sum(y - x for x, y in cut if y <= a)
            spans.append((a - sh, b - sh, t))
        out.append(Doc(d.id + "+drop", "".join(text), spans))
    return out


def swap_names(docs, p: float, rng, min_count: int = 20) -> list:
    """Copies of the texts in which one-syllable PER names are replaced (all mentions of a name alike, each
    name with probability ``p``) by another frequent syllable of the training texts written with a
    capital, most of them ordinary words ("Bốn", "Dư", "Thường" are names too): the network must tell a
    name from its context, not from having seen the syllable as a name."""
    counts = collections.Counter(t for d in docs for t in d.text.split() if t.isalpha() and t.islower())
    pool = [w for w, c in counts.items() if c >= min_count]
    out = []
    for d in docs:
        names = {d.text[a:b] for a, b, t in d.spans if t == "PER" and " " not in d.text[a:b]
                 and d.text[a:b].isalpha() and d.text[a:b][:1].isupper()}
        repl = {n: pool[int(rng.integers(len(pool)))].capitalize() for n in sorted(names) if rng.random() < p}
        if not repl:
            continue
        text, spans, pos, shift = [], [], 0, 0
        for a, b, t in sorted(d.spans):
            text.append(d.text[pos:a])
            new = repl.get(d.text[a:b]) if t == "PER" else None
            new = new if new is not None else d.text[a:b]
            spans.append((a + shift, a + shift + len(new), t))
            shift += len(new) - (b - a)
            text.append(new)
            pos = b
        text.append(d.text[pos:])
        out.append(Doc(d.id + "+swap", "".join(text), spans))
    return out

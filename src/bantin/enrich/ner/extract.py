"""From text to EntitySpans: tokenise, tag, decode, split roles, name entities."""

from __future__ import annotations

from functools import lru_cache

from . import EntitySpan
from .gazetteer import _lines, canonical_name, clean_surface
from .text import feature_key, segments, tokenize


@lru_cache(maxsize=1)
def _role_keys() -> tuple[frozenset, int]:
    keys = set()
    for line in _lines("roles.txt"):
        keys.add(tuple(feature_key(t) for t in tokenize(line)[0]))
    return frozenset(keys), max(len(k) for k in keys)


def _decode(labels: list[str], segs: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Token spans (i, j, type) from BIO labels; spans never cross a segment."""
    out = []
    for a, b in segs:
        cur = None
        for i in range(a, b):
            lab = labels[i]
            if lab == "O":
                if cur:
                    out.append(tuple(cur))
                    cur = None
                continue
            typ = lab[2:]
            if lab[0] == "B" or cur is None or cur[2] != typ:
                if cur:
                    out.append(tuple(cur))
                cur = [i, i + 1, typ]
            else:
                cur[1] = i + 1
        if cur:
            out.append(tuple(cur))
    return out


def _strip_roles(spans, toks):
    """Drop titles/roles the model left at the front of a PER span ("Tổng thống Joe Biden")."""
    roles, maxlen = _role_keys()
    out = []
    for i, j, typ in spans:
        if typ == "PER":
            moved = True
            while moved and j - i > 1:
                moved = False
                for n in range(min(maxlen, j - i - 1), 0, -1):
                    if tuple(feature_key(t) for t in toks[i:i + n]) in roles:
                        i += n
                        moved = True
                        break
        out.append((i, j, typ))
    return out


def _person_names(spans: list[tuple[int, int, str, str]]) -> dict[int, str]:
    """Resolve short person mentions to a full name seen in the same text.

    "ông Bân" -> "Uông Văn Bân" (given name = last syllable); "Biden" -> "Joe Biden";
    "ông Tập" -> "Tập Cận Bình" (family name = first syllable).  An earlier full
    name wins over a later one; an ambiguous short name stays as it is.
    """
    fulls: list[tuple[int, list[str], str]] = []  # (index, keys, name)
    for k, (s, e, typ, name) in enumerate(spans):
        if typ == "PER":
            words = name.split()
            if len(words) >= 2:
                fulls.append((k, [feature_key(w) for w in words], name))
    out: dict[int, str] = {}
    if not fulls:
        return out
    for k, (s, e, typ, name) in enumerate(spans):
        if typ != "PER":
            continue
        words = name.split()
        keys = [feature_key(w) for w in words]
        n = len(keys)
        cands = []
        for fk, fkeys, fname in fulls:
            if len(fkeys) <= n or fname == name:
                continue
            if fkeys[-n:] == keys:
                cands.append((0, fk, fname))
            elif n == 1 and fkeys[0] == keys[0]:
                cands.append((1, fk, fname))
        if not cands:
            continue
        best_kind = min(c[0] for c in cands)
        cands = [c for c in cands if c[0] == best_kind]
        before = [c for c in cands if c[1] < k]
        pool = before or cands
        names = {c[2] for c in pool}
        if len(names) == 1:
            out[k] = names.pop()
        elif before:
            # several people share the short name: take the most recent one before
            out[k] = max(before, key=lambda c: c[1])[2]
    return out


def extract(model, text: str) -> list[EntitySpan]:
    toks, starts, ends = tokenize(text)
    if not toks:
        return []
    segs = segments(toks, starts, text)
    labels = model.predict(toks, segs)
    spans = _strip_roles(_decode(labels, segs), toks)
    raw = []
    for i, j, typ in spans:
        s, e = starts[i], ends[j - 1]
        surface = text[s:e]
        if typ == "PER":
            name = clean_surface(surface)
        else:
            name = canonical_name(surface, typ)
        raw.append((s, e, typ, name))
    resolved = _person_names(raw)
    out = []
    for k, (s, e, typ, name) in enumerate(raw):
        if k in resolved:
            name = resolved[k]
        elif typ == "PER":
            name = canonical_name(name, "PER")
        out.append(EntitySpan(s, e, text[s:e], typ, name))
    return out

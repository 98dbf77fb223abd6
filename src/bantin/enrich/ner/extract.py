"""From text to EntitySpans: tokenise, tag, decode, split roles, name entities."""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from . import EntitySpan
from .gazetteer import _lines, canonical_name, clean_surface
from .text import feature_key, segments, tokenize

MAX_ENTITY_TOKENS = 24
PROPAGATE = True  # document-level consistency (see _propagate)


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


def _propagate(spans: list[tuple[int, int, str]], toks: list[str],
               segs: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Document-level consistency: a capitalised name the model tagged somewhere in the text is
    tagged (with its majority type) wherever else it occurs untagged, and a name tagged with
    different types takes its majority type everywhere.  A copy is not made at the start of a
    sentence for a one-syllable name, nor where the name is glued to another capitalised token
    (it would be part of a longer name there)."""
    if not spans:
        return spans
    votes: dict[tuple, dict[str, int]] = {}
    for i, j, typ in spans:
        c = votes.setdefault(tuple(toks[i:j]), {})
        c[typ] = c.get(typ, 0) + 1
    major = {k: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] for k, c in votes.items()}
    out = []
    for i, j, typ in spans:
        c = votes[tuple(toks[i:j])]
        m = major[tuple(toks[i:j])]
        out.append((i, j, m if c[m] > c[typ] else typ))
    covered = bytearray(len(toks))
    for i, j, _ in out:
        covered[i:j] = b"\x01" * (j - i)
    by_first: dict[str, list[tuple]] = {}
    for k in votes:
        if k[0][:1].isupper():
            by_first.setdefault(k[0], []).append(k)
    for cands in by_first.values():
        cands.sort(key=len, reverse=True)
    n = len(toks)
    seg_end = [0] * n  # end of the segment holding each token: no copy crosses a line
    for a, b in segs:
        seg_end[a:b] = [b] * (b - a)
    for i, tok in enumerate(toks):
        cands = by_first.get(tok)
        if cands is None or covered[i]:
            continue
        for k in cands:
            m = len(k)
            if i + m > seg_end[i] or tuple(toks[i:i + m]) != k or any(covered[i:i + m]):
                continue
            if m == 1 and (i == 0 or toks[i - 1] in _OPENERS):
                break
            if (i > 0 and toks[i - 1][:1].isupper()) or (i + m < n and toks[i + m][:1].isupper()):
                break
            out.append((i, i + m, major[k]))
            covered[i:i + m] = b"\x01" * m
            break
    return sorted(out)


_OPENERS = frozenset('.!?…:;"“”\'‘’([-–—«»')


def _person_names(spans: list[tuple[int, int, str, str]]) -> dict[int, str]:
    """Resolve short person mentions to a full name seen in the same text.

    "ông Bân" -> "Uông Văn Bân" (given name = last syllable); "Biden" -> "Joe Biden";
    "ông Tập" -> "Tập Cận Bình" (family name = first syllable, as news write Chinese
    and Korean leaders).  A full name seen before the mention wins (the most recent
    one if several match); otherwise a unique later full name is used; an
    ambiguous short name stays as it is.  Linear in the number of mentions.
    """
    firsts: dict[str, int] = {}  # full name -> first mention index
    by_suffix: dict[tuple, list[str]] = {}
    by_first: dict[str, list[str]] = {}
    occ: dict[str, list[int]] = {}
    for k, (s, e, typ, name) in enumerate(spans):
        if typ != "PER":
            continue
        words = name.split()
        if len(words) < 2:
            continue
        occ.setdefault(name, []).append(k)
        if name in firsts:
            continue
        firsts[name] = k
        keys = tuple(feature_key(w) for w in words)
        for n in range(1, len(keys)):
            by_suffix.setdefault(keys[-n:], []).append(name)
        by_first.setdefault(keys[0], []).append(name)
    out: dict[int, str] = {}
    if not firsts:
        return out
    for k, (s, e, typ, name) in enumerate(spans):
        if typ != "PER":
            continue
        keys = tuple(feature_key(w) for w in name.split())
        cands = by_suffix.get(keys)
        if not cands and len(keys) == 1:
            cands = by_first.get(keys[0])
        if not cands:
            continue
        cands = [c for c in cands if c != name]
        if not cands:
            continue
        before = []
        for c in cands:
            pos = occ[c]
            i = bisect_left(pos, k)
            if i > 0:
                before.append((pos[i - 1], c))
        if before:
            out[k] = max(before)[1]
        elif len(cands) == 1:
            out[k] = cands[0]
    return out


def extract(model, text: str) -> list[EntitySpan]:
    toks, starts, ends = tokenize(text)
    if not toks:
        return []
    segs = segments(toks, starts, text)
    labels = model.predict(toks, segs)
    return entities_from_labels(text, toks, starts, ends, segs, labels)


def entities_from_labels(text: str, toks: list[str], starts: list[int], ends: list[int],
                         segs: list[tuple[int, int]], labels: list[str]) -> list[EntitySpan]:
    """BIO labels of the tokens of ``text`` -> EntitySpans (roles split off, names resolved)."""
    spans = _strip_roles(_decode(labels, segs), toks)
    if PROPAGATE:
        spans = _propagate(spans, toks, segs)
    raw = []
    for i, j, typ in spans:
        if j - i > MAX_ENTITY_TOKENS:
            continue  # runaway span (garbled input): no entity is this long
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

"""Per-outlet boilerplate: lines that recur across many articles of one outlet, learned and removed.

Each article brings the hashes of its short body lines (``DedupKeys.lines``, computed in the pipeline). The
dedup step counts them per outlet — once per distinct text, so copies of one article do not make its lines
look like boilerplate. A line is learned when it recurs in at least ``MIN_ARTICLES`` distinct texts and at
least ``MIN_SHARE`` of the outlet's texts, once the outlet has ``MIN_OUTLET`` of them ("Xem thêm:", "Tin liên
quan", footers, share prompts, a recurring sign-off).

Learned lines are removed from the CLEAN text of that outlet's articles (document and full-text index); the
raw input is untouched. What was removed is kept on the article (``annotations["boilerplate"]``: the learned
set's ``version`` and each removed line with its position) and flagged (``boilerplate-removed:N``), so a
newer set is re-applied exactly: the old removals are put back first. An article is never emptied.
The dedup keys and signatures are not recomputed (they already leave out generic navigation lines), so
learning does not regroup duplicates.
"""

from __future__ import annotations

import bisect

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from bantin.dedup.keys import hash_key, line_keys
from bantin.search.index import index_forms
from bantin.store.base import DedupRow, prepare

BP_VERSION = "bp-1"
MIN_ARTICLES = 5
MIN_SHARE = 0.02
MIN_OUTLET = 20


@dataclass(slots=True)
class BoilerplateReport:
    outlets_learned: list[str] = field(default_factory=list)
    articles_rewritten: int = 0
    lines_removed: int = 0


def learned_set(total: int, counts: Sequence[tuple[int, int]]) -> list[int]:
    if total < MIN_OUTLET:
        return []
    need = max(MIN_ARTICLES, MIN_SHARE * total)
    return sorted(h for h, n in counts if n >= need)


def version_of(hashes: Sequence[int]) -> str:
    h = hashlib.blake2b(np.array(sorted(hashes), dtype="<u8").tobytes(), digest_size=6).hexdigest()
    return f"{BP_VERSION}:{h}"


def _starts(paragraphs: Sequence[str]) -> list[int]:
    out, pos = [], 0
    for p in paragraphs:
        out.append(pos)
        pos += len(p) + 1  # the body's text is its paragraphs joined by "\n"
    return out


def _shift_entities(old_paras: Sequence[str], mentions: list[dict], origin: Sequence[int | None],
                    new_paras: Sequence[str]) -> list[dict]:
    """Body entity offsets follow their paragraph into the new body; mentions in removed lines go with them."""
    old_starts, new_starts = _starts(old_paras), _starts(new_paras)
    where = {j: new_starts[k] for k, j in enumerate(origin) if j is not None}
    out = []
    for m in mentions:
        if m.get("field") != "body":
            out.append(m)
            continue
        j = bisect.bisect_right(old_starts, m["start"]) - 1
        if j < 0 or j not in where:
            continue
        delta = where[j] - old_starts[j]
        out.append({**m, "start": m["start"] + delta, "end": m["end"] + delta})
    return out


def apply(store, rowids: Sequence[int], learned: frozenset[int], version: str) -> tuple[int, int]:
    """Remove ``learned`` lines from these articles' clean text (restoring an older set's removals first)."""
    rewritten = removed_lines = 0
    for rowid, a in list(store.articles_by_rowid(rowids)):
        cur = a.annotations.get("boilerplate")
        if (cur or {}).get("version") == version or (not cur and not learned):
            continue
        paras = list(a.paragraphs)
        origin: list[int | None] = list(range(len(paras)))  # index in a.paragraphs, None if restored
        flags = [f for f in a.flags if not f.startswith("boilerplate-removed:")]
        if cur:
            for i, text in sorted(cur.get("removed", [])):
                paras.insert(min(i, len(paras)), text)
                origin.insert(min(i, len(origin)), None)
        keys = line_keys(paras)
        drop = {i for i, k in enumerate(keys) if k and hash_key(k) in learned}
        kept = [p for i, p in enumerate(paras) if i not in drop]
        if not kept and not a.sapo:  # never empty an article
            drop, kept = set(), paras
        ann = dict(a.annotations)
        if drop:
            ann["boilerplate"] = {"version": version, "removed": [[i, paras[i]] for i in sorted(drop)]}
            flags.append(f"boilerplate-removed:{len(drop)}")
        else:
            ann.pop("boilerplate", None)
            if not cur:
                continue
        for key in ("entities", "dates", "amounts", "quotes"):  # body offsets follow their paragraphs
            if key in ann:
                ann[key] = _shift_entities(a.paragraphs, ann[key],
                                           [origin[i] for i in range(len(paras)) if i not in drop], kept)
        new = replace(a, paragraphs=kept, flags=flags, annotations=ann, raw=None,
                      versions={**a.versions, "boilerplate": version} if drop else
                      {k: v for k, v in a.versions.items() if k != "boilerplate"})
        store.replace_text(rowid, index_forms(a), prepare(new))
        rewritten += 1
        removed_lines += len(drop)
    return rewritten, removed_lines


def update(store, pending: Sequence[DedupRow], exact_dups: set[int]) -> BoilerplateReport:
    rep = BoilerplateReport()
    per_outlet: dict[str, list[DedupRow]] = {}
    for r in pending:
        if r.outlet:
            per_outlet.setdefault(r.outlet, []).append(r)
    for outlet, rows in per_outlet.items():
        distinct = [r for r in rows if r.rowid not in exact_dups]
        hashes: list[int] = []
        for r in distinct:
            if r.lines:
                hashes.extend(int(h) for h in np.frombuffer(r.lines, dtype="<u8"))
        store.boilerplate_count(outlet, len(distinct), hashes)
        total, old_version, old_blob, counts = store.boilerplate_outlet(outlet, MIN_ARTICLES)
        learned = learned_set(total, counts)
        version = version_of(learned) if learned else ""
        if version != old_version:
            store.boilerplate_set(outlet, version, np.array(learned, dtype="<u8").tobytes())
            # only articles holding a line of the new or the old set can change (their short-line hashes say)
            either = np.union1d(np.array(learned, dtype=np.uint64), np.frombuffer(old_blob, dtype="<u8"))
            targets = [rowid for rowid, lines in store.outlet_lines(outlet)
                       if lines and np.isin(np.frombuffer(lines, dtype="<u8"), either).any()]
            if learned:
                rep.outlets_learned.append(outlet)
        else:
            targets = [r.rowid for r in rows]
        if learned or old_version:
            n, k = apply(store, targets, frozenset(learned), version)
            rep.articles_rewritten += n
            rep.lines_removed += k
    return rep

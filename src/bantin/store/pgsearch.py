"""Compile a parsed ``Query`` into PostgreSQL ``tsquery`` text, and rank candidates the way SQLite FTS5 does.

The PostgreSQL archive matches exactly what the SQLite one matches: the same two forms as ``store/fts5.py``
(``exact``: tokens as typed in both tone-mark styles; ``expanded``: each syllable as the OR of its diacritic
spellings from ``search.variants``) against an index of the same tokens (``tsvector_literal``: runs of letters and
digits of ``fold.index_form``, as FTS5's unicode61 tokenizer splits them). Every token is a quoted lexeme made of
letters and digits only, so nothing the user types reaches tsquery syntax.

Ranking is FTS5's ``bm25()`` recomputed from the same inputs (``bm25``): per phrase, its IDF over the table and
its column-weighted frequency in the row; the row's token count against the table's average. PostgreSQL's own
``ts_rank`` has no IDF and would order hits differently from the SQLite archive.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bantin.clean.fold import tone_twins
from bantin.search.query import Clause, Query
from bantin.search.variants import spellings
from bantin.store.fts5 import _options as fts5_options

MAX_PHRASE_COMBOS = 128  # as store/fts5.py
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; later tokens share it
MAX_LEXEME_BYTES = 2046
_TOKEN_RE = re.compile(r"[^\W_]+")
WEIGHT_LETTERS = "ABC"  # title, sapo, body


@dataclass(frozen=True, slots=True)
class Phrase:
    """One FTS5 phrase of the compiled expression: consecutive tokens, the last one maybe a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False

    def tsquery(self) -> str:
        parts = [_q(t) for t in self.tokens]
        if self.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def _q(tok: str) -> str:
    return "'" + tok.replace("'", "").replace("\\", "") + "'"


def _or(parts: list[str | None]) -> str | None:
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else "(" + " | ".join(kept) + ")"


@dataclass(slots=True)
class Compiled:
    """A tier's query: tsquery text, the positive phrases in FTS5's order, and the positive groups (AND of ORs)
    as lists of phrases (for estimating how many rows match). ``tsquery`` is "" when nothing can match."""

    tsquery: str
    phrases: list[Phrase]
    groups: list[list[Phrase]]


class _Compiler:
    def __init__(self, keep: Callable[[Phrase], bool] | None = None) -> None:
        self.phrases: list[Phrase] = []
        self.keep = keep
        self.group: list[Phrase] = []

    def phrase(self, tokens: Sequence[str], prefix: bool) -> str | None:
        p = Phrase(tuple(tokens), prefix)
        if self.keep is not None and not self.keep(p):
            return None
        self.phrases.append(p)
        self.group.append(p)
        return p.tsquery()

    def exact(self, c: Clause) -> str | None:
        options = [tone_twins(t) for t in c.exact]
        combos = list(itertools.product(*options))[:MAX_PHRASE_COMBOS]
        return _or([self.phrase(list(x), c.prefix) for x in combos])

    def expanded(self, c: Clause) -> str | None:
        if not c.phrase:
            return _or([self.phrase([v], c.prefix) for v in spellings(c.folded[0])])
        options = [spellings(t) for t in c.folded]
        n = 1
        for o in options:
            n *= len(o)
        if n <= MAX_PHRASE_COMBOS:
            return _or([self.phrase(list(combo), False) for combo in itertools.product(*options)])
        parts = []
        for i, t in enumerate(c.folded):
            last = c.prefix and i == len(c.folded) - 1
            part = _or([self.phrase([v], last) for v in spellings(t)])
            if part is None:
                return None
            parts.append(part)
        # a phrase of alternatives (tsquery has one, FTS5 has not): adjacent words within one field, in any
        # spelling — what store/fts5.py's check accepts; the phrases ranked are the words, as FTS5 ranks them
        return "(" + " <-> ".join(parts) + ")"


def loose(c: Clause, form: str) -> bool:
    """Whether ``store/fts5.py`` sends this clause as its words plus a check (a phrase of more than
    ``MAX_PHRASE_COMBOS`` spellings): the clauses whose spellings the faces learn from the texts."""
    n = 1
    for o in fts5_options(c, form):
        n *= len(o)
    return len(c.exact) > 1 and n > MAX_PHRASE_COMBOS


def compile_tsquery(query: Query, form: str, keep: Callable[[Phrase], bool] | None = None,
                    learned: dict[tuple[int, int], set[tuple[str, ...]]] | None = None) -> Compiled | None:
    """The tier's query for ``form`` ("exact" or "expanded"); None when the query has no positive part. Mirrors
    ``fts5.compile_match`` clause for clause. ``keep``: phrases for which it is false (spellings the index does
    not hold) are left out — they match nothing, so the result is the same and the query is cheaper.
    ``learned``: each loose clause (``loose``; key (group, clause)) becomes the OR of these spellings as exact
    phrases, as ``fts5.Match.learned`` makes it (a loose clause without spellings is left out of its group)."""
    if query.empty:
        return None
    comp = _Compiler(keep)
    make = comp.exact if form == "exact" else comp.expanded

    def clause(gi: int, ci: int, c: Clause) -> str | None:
        if learned is None or not loose(c, form):
            return make(c)
        return _or([comp.phrase(list(sp), c.prefix) for sp in sorted(learned.get((gi, ci), ()))])

    parts_and = []
    groups: list[list[Phrase]] = []
    possible = True
    for gi, g in enumerate(query.groups):
        comp.group = []
        parts = [x for x in (clause(gi, ci, c) for ci, c in enumerate(g)) if x is not None]
        groups.append(comp.group)
        if not parts:
            possible = False
            continue
        parts_and.append(parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")")
    positive = list(comp.phrases)
    if not possible:
        return Compiled("", positive, groups)
    expr = " & ".join(parts_and)
    comp.keep = None  # exclusions stay whole (a spelling left out there would change nothing either)
    for c in query.negated:
        neg = make(c)
        if neg is not None:
            expr = f"({expr}) & !{neg}"
    return Compiled(expr, positive, groups)


@dataclass(frozen=True, slots=True)
class FaceMatch:
    """What ``PostgresArchive.face_match`` hands back to ``match_rowids`` / ``ranked_rowids``: the query, its form
    and the spellings learned of its loose phrases (None: it has none), compiled there against each table's
    lexeme counts."""

    query: Query
    form: str
    learned: dict[tuple[int, int], set[tuple[str, ...]]] | None = None


@dataclass(slots=True)
class IndexRow:
    """One article's row of a full-text table: the tsvector text, its number of tokens, the last position of
    the title and of the sapo (so a position tells its field), and its distinct lexemes."""

    literal: str
    ntok: int
    b1: int
    b2: int
    lexemes: list[str]


def tsvector_literal(fields: Sequence[str]) -> IndexRow:
    """The tsvector of an article's index fields (title A, sapo B, body C).

    Tokens are FTS5's (runs of letters and digits); one position is skipped between fields so a phrase never
    spans two of them, as in FTS5 where a phrase matches inside one column."""
    where: dict[str, list[str]] = {}
    pos = 0
    ntok = 0
    bounds = []
    for i, text in enumerate(fields):
        w = WEIGHT_LETTERS[i]
        toks = _TOKEN_RE.findall(text)
        ntok += len(toks)
        for t in toks:
            pos += 1
            lst = where.get(t)
            if lst is None:
                if len(t.encode()) > MAX_LEXEME_BYTES:
                    continue
                where[t] = lst = []
            if len(lst) < 255:
                lst.append(f"{min(pos, MAX_POSITION)}{w}")
        bounds.append(min(pos, MAX_POSITION))
        pos += 1
    bounds += [MAX_POSITION] * (2 - min(2, len(bounds)))
    lit = " ".join(f"'{t}':{','.join(dict.fromkeys(p))}" for t, p in where.items())
    return IndexRow(lit, ntok, bounds[0], bounds[1], list(where))


def column_of(pos: int, b1: int, b2: int) -> str:
    return "A" if pos <= b1 else "B" if pos <= b2 else "C"


# -- BM25 as FTS5 computes it ------------------------------------------------------------------------------------
K1, B = 1.2, 0.75


def idf(n_rows: int, n_hit: int) -> float:
    v = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
    return v if v > 0.0 else 1e-6


def phrase_freq(p: Phrase, occ: dict[str, list[tuple[int, str]]], weights: dict[str, float]) -> float:
    """Column-weighted number of instances of a phrase in one row; ``occ``: lexeme → [(position, column)]."""
    def hits(i: int) -> list[tuple[int, str]]:
        t = p.tokens[i]
        if p.prefix and i == len(p.tokens) - 1:
            return [x for lex, xs in occ.items() if lex.startswith(t) for x in xs]
        return occ.get(t, [])

    first = hits(0)
    if len(p.tokens) == 1:
        return sum(weights[w] for _pos, w in first)
    rest = [{pos for pos, _w in hits(i)} for i in range(1, len(p.tokens))]
    return sum(weights[w] for pos, w in first if all(pos + k + 1 in s for k, s in enumerate(rest)))


def bm25(phrases: Sequence[Phrase], idfs: Sequence[float], occ: dict[str, list[tuple[int, str]]], ntok: int,
         avgdl: float, weights: dict[str, float]) -> float:
    """FTS5's bm25() for one row (negative: smaller is better, as FTS5 returns it). Only phrases with a token
    in the row can score."""
    score = 0.0
    d = ntok / avgdl if avgdl > 0 else 1.0
    for p, w in zip(phrases, idfs):
        if p.tokens[0] not in occ and not p.prefix:
            continue
        f = phrase_freq(p, occ, weights)
        if f:
            score += w * (f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d))
    return -score

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
from collections.abc import Sequence
from dataclasses import dataclass

from bantin.clean.fold import tone_twins
from bantin.search.query import Clause, Query
from bantin.search.variants import spellings

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


def _or(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


class _Compiler:
    def __init__(self) -> None:
        self.phrases: list[Phrase] = []

    def phrase(self, tokens: Sequence[str], prefix: bool) -> str:
        p = Phrase(tuple(tokens), prefix)
        self.phrases.append(p)
        return p.tsquery()

    def exact(self, c: Clause) -> str:
        options = [tone_twins(t) for t in c.exact]
        combos = list(itertools.product(*options))[:MAX_PHRASE_COMBOS]
        return _or([self.phrase(list(x), c.prefix) for x in combos])

    def expanded(self, c: Clause) -> str:
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
            parts.append(_or([self.phrase([v], last) for v in spellings(t)]))
        return "(" + " & ".join(parts) + ")"


def compile_tsquery(query: Query, form: str) -> tuple[str, list[Phrase]] | None:
    """(tsquery text, the positive phrases in FTS5's order) for ``form`` ("exact" or "expanded"); None when the
    query has no positive part. Mirrors ``fts5.compile_match`` clause for clause."""
    if query.empty:
        return None
    comp = _Compiler()
    make = comp.exact if form == "exact" else comp.expanded
    groups = []
    for g in query.groups:
        parts = [make(c) for c in g]
        groups.append(parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")")
    expr = " & ".join(groups)
    positive = list(comp.phrases)
    for c in query.negated:
        expr = f"({expr}) & !{make(c)}"
    return expr, positive


def tsvector_literal(fields: Sequence[str]) -> tuple[str, int]:
    """The tsvector text of an article's index fields (title A, sapo B, body C) and its number of tokens.

    Tokens are FTS5's (runs of letters and digits); one position is skipped between fields so a phrase never
    spans two of them, as in FTS5 where a phrase matches inside one column."""
    where: dict[str, list[str]] = {}
    pos = 0
    ntok = 0
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
        pos += 1
    return " ".join(f"'{t}':{','.join(dict.fromkeys(p))}" for t, p in where.items()), ntok


# -- BM25 as FTS5 computes it ------------------------------------------------------------------------------------
K1, B = 1.2, 0.75


def idf(n_rows: int, n_hit: int) -> float:
    v = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
    return v if v > 0.0 else 1e-6


def phrase_freq(p: Phrase, occ: dict[str, list[tuple[int, str]]], weights: dict[str, float]) -> float:
    """Column-weighted number of instances of a phrase in one row; ``occ``: lexeme → [(position, weight letter)]."""
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
    """FTS5's bm25() for one row (negative: smaller is better, as FTS5 returns it)."""
    score = 0.0
    d = ntok / avgdl if avgdl > 0 else 1.0
    for p, w in zip(phrases, idfs):
        f = phrase_freq(p, occ, weights)
        if f:
            score += w * (f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d))
    return -score

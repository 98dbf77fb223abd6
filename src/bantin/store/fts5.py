"""Compile a parsed ``Query`` into SQLite FTS5 MATCH expressions.

Every token is emitted double-quoted and comes from ``query._TOKEN_RE`` (letters and digits only), so no user
input can reach FTS5 syntax. Two forms:

* ``exact``: tokens as typed (NFC, lower case) in both tone-mark styles (hòa/hoà), phrases as phrases;
* ``expanded``: each Vietnamese syllable becomes the OR of its diacritic spellings (``search.variants``), so
  "thuy si" finds "Thụy Sĩ", "thuỵ sĩ" and "THỤY SĨ". Phrases expand to the OR of spelled-out phrases when that
  stays small, else to the AND of their tokens (adjacency is then not enforced).
"""

from __future__ import annotations

import itertools

from bantin.clean.fold import tone_twins
from bantin.search.query import Clause, Query
from bantin.search.variants import spellings

MAX_PHRASE_COMBOS = 128


def _q(tok: str) -> str:
    return '"' + tok.replace('"', "") + '"'


def _alternatives(tok: str, prefix: bool) -> list[str]:
    star = "*" if prefix else ""
    return [_q(v) + star for v in spellings(tok)]


def _clause_exact(c: Clause) -> str:
    """Tokens as typed; both tone-mark styles (hòa/hoà) since the index keeps the outlet's own."""
    star = "*" if c.prefix else ""
    options = [tone_twins(t) for t in c.exact]
    combos = [" ".join(x) for x in itertools.product(*options)][:MAX_PHRASE_COMBOS]
    alts = [_q(x) + star for x in combos]
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def _clause_expanded(c: Clause) -> str:
    if not c.phrase:
        alts = _alternatives(c.folded[0], c.prefix)
        return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"
    options = [spellings(t) for t in c.folded]
    n = 1
    for o in options:
        n *= len(o)
    if n <= MAX_PHRASE_COMBOS:
        phrases = [_q(" ".join(combo)) for combo in itertools.product(*options)]
        return "(" + " OR ".join(phrases) + ")"
    parts = []
    for i, t in enumerate(c.folded):
        alts = _alternatives(t, c.prefix and i == len(c.folded) - 1)
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    return "(" + " AND ".join(parts) + ")"


def compile_match(query: Query, form: str) -> str | None:
    """The MATCH expression for ``form`` ("exact" or "expanded"); None when the query has no positive part."""
    if query.empty:
        return None
    make = _clause_exact if form == "exact" else _clause_expanded
    groups = []
    for g in query.groups:
        parts = [make(c) for c in g]
        groups.append(parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")")
    expr = " AND ".join(groups)
    for c in query.negated:
        expr = f"({expr}) NOT {make(c)}"
    return expr

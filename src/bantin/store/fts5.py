"""Compile a parsed ``Query`` into SQLite FTS5 MATCH expressions, and a check for what FTS5 cannot express.

Every token is emitted double-quoted and comes from ``query._TOKEN_RE`` (letters and digits only), so no user
input can reach FTS5 syntax. Two forms:

* ``exact``: tokens as typed (NFC, lower case) in both tone-mark styles (hòa/hoà), phrases as phrases;
* ``expanded``: each Vietnamese syllable becomes the OR of its diacritic spellings (``search.variants``), so
  "thuy si" finds "Thụy Sĩ", "thuỵ sĩ" and "THỤY SĨ".

A phrase only ever matches adjacent words, in both forms. FTS5 has no phrase of alternatives ("(a OR b) c" as
a phrase is not in its syntax), and spelling every combination out as an OR of phrases costs FTS5 a scan per
phrase (150–300 ms for the 600 spellings of "ho chi minh" on 20k articles). So a phrase with more than 128
spellings is sent as the AND of its words' alternatives, which finds candidates, and ``Match.check`` reads a
candidate's text (in the same form: folded, or exact) and accepts it only when the words are adjacent within
one field, as FTS5 itself requires of a phrase. The check also says how the phrase is spelled in that text
(index form, e.g. "hồ chí minh"); ``Match.learned`` then turns the spellings seen so far into an exact FTS5
phrase query, which finds the other articles spelled that way without reading them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bantin.clean.fold import fold, index_form, search_forms, tone_twins
from bantin.search.query import Clause, Query
from bantin.search.variants import spellings

#: Exact form: a phrase is the OR of its tone-style spellings up to this many, else AND of words + check.
MAX_PHRASE_COMBOS = 128
#: Expanded form: a phrase is the OR of its spelled-out phrases up to this many, else AND of words + check
#: (the same bound as the exact form's, which ``store/pgsearch.py`` mirrors clause for clause).
MAX_EXPANDED_PHRASES = MAX_PHRASE_COMBOS

_TOKEN_RE = re.compile(r"[^\W_]+")
_TOKEN_CHAR = re.compile(r"[^\W_]")


def _q(tok: str) -> str:
    return '"' + tok.replace('"', "") + '"'


def _or(alts: Sequence[str]) -> str:
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def _options(c: Clause, form: str) -> list[tuple[str, ...]]:
    """Index spellings of each token of a clause."""
    if form == "exact":
        return [tone_twins(t) for t in c.exact]
    return [spellings(t) for t in c.folded]


def _clause(c: Clause, form: str) -> tuple[str, bool]:
    """(MATCH expression, exact?) of one clause; not exact means FTS5 over-matches and ``Match.check`` decides."""
    options = _options(c, form)
    n = 1
    for o in options:
        n *= len(o)
    last = len(options) - 1
    if len(options) == 1 or n <= (MAX_PHRASE_COMBOS if form == "exact" else MAX_EXPANDED_PHRASES):
        star = "*" if c.prefix else ""
        return _or([_q(" ".join(combo)) + star for combo in itertools.product(*options)]), True
    parts = [_or([_q(v) + ("*" if c.prefix and i == last else "") for v in o]) for i, o in enumerate(options)]
    return "(" + " AND ".join(parts) + ")", False


#: What a check saw in a text that matched: for each loose clause (group, clause), its spelling (index form).
Spelled = dict[tuple[int, int], tuple[str, ...]]


@dataclass(slots=True)
class Match:
    """What to ask FTS5 (``expr``; None: nothing to look for) and, when that over-matches, a ``check`` of a
    candidate's fields (the texts of the table's columns, as stored): None when the candidate does not match,
    else the spellings it holds of the loose clauses."""

    expr: str | None
    check: Callable[[Sequence[str]], Spelled | None] | None = None
    _groups: list[list[tuple[Clause, str, bool]]] = field(default_factory=list)
    _not: str = ""  # NOT part of the expression (exact negated clauses)
    _loose_not: bool = False
    _prefix: dict[tuple[int, int], bool] = field(default_factory=dict)

    def learned(self, seen: dict[tuple[int, int], set[tuple[str, ...]]]) -> tuple[str, bool] | None:
        """An FTS5 expression for the spellings seen so far: each loose clause replaced by the OR of its seen
        spellings as exact phrases (a loose clause not seen yet is left out of its group). Returns (expression,
        still needs the check?), or None when some group would be left empty."""
        groups = []
        for gi, g in enumerate(self._groups):
            parts = []
            for ci, (c, expr, exact) in enumerate(g):
                if exact:
                    parts.append(expr)
                else:
                    star = "*" if self._prefix[(gi, ci)] else ""
                    parts.extend(_q(" ".join(s)) + star for s in sorted(seen.get((gi, ci), ())))
            if not parts:
                return None
            groups.append(_or(parts))
        body = " AND ".join(groups)
        return (f"({body}){self._not}" if self._not else body), self._loose_not


def compile_search(query: Query, form: str) -> Match:
    """The MATCH expression for ``form`` ("exact" or "expanded") and the check it needs, if any."""
    if query.empty:
        return Match(None)
    m = Match(None)
    loose: list[tuple[tuple[int, int], Clause]] = []
    for gi, g in enumerate(query.groups):
        parts = []
        for ci, c in enumerate(g):
            expr, exact = _clause(c, form)
            parts.append((c, expr, exact))
            if not exact:
                loose.append(((gi, ci), c))
                m._prefix[(gi, ci)] = c.prefix
        m._groups.append(parts)
    loose_groups = {gi for (gi, _), _c in loose}
    loose_not = []
    for c in query.negated:
        expr, exact = _clause(c, form)
        if exact:
            m._not += f" NOT {expr}"
        else:  # NOT of the AND of its words would drop articles that have them apart: checked instead
            loose_not.append(c)
    body = " AND ".join(_or([e for _c, e, _x in g]) for g in m._groups)
    m.expr = f"({body}){m._not}" if m._not else body
    m._loose_not = bool(loose_not)
    if loose or loose_not:
        groups = [[(gi, ci, c, exact) for ci, (c, _e, exact) in enumerate(g)]
                  for gi, g in enumerate(m._groups) if gi in loose_groups]
        m.check = _checker(groups, loose_not, form)
    return m


def compile_match(query: Query, form: str) -> str | None:
    """The MATCH expression alone (see ``compile_search`` for the check it may need)."""
    return compile_search(query, form).expr


def _clause_re(c: Clause, form: str) -> re.Pattern[str]:
    toks = c.exact if form == "exact" else c.folded
    tail = r"[^\W_]*" if c.prefix else ""
    # starts with a literal (fast to find); the token boundary before it is checked by hand (a look-behind
    # at the start of a pattern makes the regex engine try it at every position)
    return re.compile(r"[\W_]+".join(map(re.escape, toks)) + tail + r"(?![^\W_])")


def _find(pat: re.Pattern[str], text: str) -> tuple[int, int] | None:
    for m in pat.finditer(text):
        s = m.start()
        if s == 0 or not _TOKEN_CHAR.match(text, s - 1):
            return s, m.end()
    return None


def _checker(groups: list[list[tuple[int, int, Clause, bool]]], negated: list[Clause],
             form: str) -> Callable[[Sequence[str]], Spelled | None]:
    pos = [[(gi, ci, _clause_re(c, form), exact) for gi, ci, c, exact in g] for g in groups]
    neg = [_clause_re(c, form) for c in negated]
    # the forms of ``search_forms``: exact, or folded (which needs no tone-style pass: it drops the marks). Both
    # keep offsets: a match at [s, e) is index_form(text)[s:e], the spelling the index holds.
    to_form = (lambda t: search_forms(t)[0]) if form == "exact" else (lambda t: fold(index_form(t)))

    def check(fields: Sequence[str]) -> Spelled | None:
        forms: list[str | None] = [None] * len(fields)  # made when first needed (the body is the costly one)

        def text(i: int) -> str:
            t = forms[i]
            if t is None:
                t = forms[i] = to_form(fields[i]) if fields[i] else ""
            return t

        spelled: Spelled = {}
        for g in pos:
            hit = False
            for gi, ci, pat, exact in g:
                for i in range(len(fields)):
                    span = _find(pat, text(i))
                    if span is not None:
                        hit = True
                        if not exact:
                            spelled[(gi, ci)] = tuple(_TOKEN_RE.findall(index_form(fields[i])[span[0]:span[1]]))
                        break
                if hit:
                    break
            if not hit:
                return None
        if any(_find(p, text(i)) is not None for i in range(len(fields)) for p in neg):
            return None
        return spelled

    return check

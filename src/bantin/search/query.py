"""The search query language, parsed into a structure no backend can be broken by.

    đối thoại AI          all words, in any order (diacritics optional, tone-mark style ignored)
    covid AND ai          the same as "covid ai" (AND is what words do anyway)
    "thụy sĩ"             a phrase
    -bóng                 exclude a word or a "phrase"
    covid OR corona       either word
    viet*                 prefix

Every other character (``:``, ``(``, ``^``, ``NEAR``, quotes left open...) is just a separator; ``OR`` and
``AND`` are operators only in capitals, ``NOT`` is a plain word. Tokens are split exactly as the index's
tokenizer splits them (runs of letters and digits), and each token carries its exact form (NFKC, one tone-mark
style, lower case: full-width "ｈａ ｎｏｉ" is "ha noi") and folded form (no diacritics, đ→d), both made by
``fold.search_forms`` from the index's own form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bantin.clean.fold import search_forms

_TOKEN_RE = re.compile(r"[^\W_]+")
_CLAUSE_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_CLAUSES = 32
MAX_QUERY_CHARS = 1000


@dataclass(slots=True)
class Clause:
    """One word or phrase of the query."""

    exact: list[str]  # tokens, exact form
    folded: list[str]  # tokens, folded form
    phrase: bool = False  # from "quotes", or one word holding several tokens (TP.HCM → tp hcm)
    negated: bool = False
    prefix: bool = False  # last token is a prefix (viet*)

    @property
    def has_diacritics(self) -> bool:
        return self.exact != self.folded


@dataclass(slots=True)
class Query:
    """AND of groups; each group is an OR of clauses."""

    text: str
    groups: list[list[Clause]] = field(default_factory=list)
    negated: list[Clause] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def has_diacritics(self) -> bool:
        return any(c.has_diacritics for g in self.groups for c in g)

    def positive_tokens(self) -> list[tuple[str, str]]:
        """(exact, folded) of every token to highlight."""
        out = []
        for g in self.groups:
            for c in g:
                out.extend(zip(c.exact, c.folded))
        return out


def _clause(text: str, negated: bool, quoted: bool) -> Clause | None:
    prefix = text.rstrip().endswith("*") and not quoted
    ex, fo = search_forms(text)
    exact = _TOKEN_RE.findall(ex)
    folded = _TOKEN_RE.findall(fo)
    if not exact or len(exact) != len(folded):
        return None
    return Clause(exact=exact, folded=folded, phrase=len(exact) > 1, negated=negated, prefix=prefix)


#: Typographic double quotes (phones and word processors type these) delimit phrases like '"'.
_QUOTES = {ord(c): '"' for c in "“”„‟«»＂"}


def parse_query(text: str) -> Query:
    q = Query(text=text)
    # NFKC as the index form (full-width ＂ and － become " and -), curly quotes as straight ones
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS]).translate(_QUOTES)
    pending_or = False
    n = 0
    for m in _CLAUSE_RE.finditer(text):
        if n >= MAX_CLAUSES:
            break
        if m.group(2) is not None:  # "phrase"
            c = _clause(m.group(2), negated=m.group(1) == "-", quoted=True)
        else:
            word = m.group(3)
            if word == "OR":
                pending_or = bool(q.groups)
                continue
            if word == "AND":  # words are ANDed anyway; an AND after an OR cancels it ("a OR AND b" = "a b")
                pending_or = False
                continue
            negated = word.startswith("-") and len(word) > 1
            c = _clause(word[1:] if negated else word, negated=negated, quoted=False)
        if c is None:
            continue
        n += 1
        if c.negated:
            q.negated.append(c)
        elif pending_or and q.groups:
            q.groups[-1].append(c)
        else:
            q.groups.append([c])
        pending_or = False
    return q

"""The PostgreSQL archive's search parts that need no server: the tsquery mirrors the FTS5 expression, the
index rows hold FTS5's tokens, and BM25 recomputed from them equals SQLite's bm25()."""

from __future__ import annotations

import re
import sqlite3

import pytest

from bantin.search.query import parse_query
from bantin.store import pgsearch
from bantin.store.fts5 import compile_match

DOCS = [
    ("Thụy Sĩ và Việt Nam", "Hội nghị ở Geneva, Thuỵ Sĩ.", "Các bên gặp nhau tại Geneva. Thụy Sĩ đón khách."),
    ("Giá vàng tăng", "Giá vàng hôm nay tăng mạnh.", "Vàng miếng tăng, vàng nhẫn giảm. Giá vàng thế giới."),
    ("Bóng đá Việt Nam", "Đội tuyển thắng.", "Việt Nam thắng Thái Lan 2-1 tại Mỹ Đình, Hà Nội. Bóng đá hay."),
    ("Thủy điện xả lũ", "Lũ ở miền núi.", "Nhà máy thủy điện xả lũ; người dân sơ tán. Thuy si? Không."),
    ("COVID-19 và vắc xin", "Vắc xin covid.", "Tiêm vắc xin COVID-19 cho người dân ở TP.HCM và Hà Nội."),
]
QUERIES = ["thuy si", "Thụy Sĩ", "gia vang", "giá vàng", "\"giá vàng\"", "viet nam", "vàng -nhẫn", "lũ OR vàng",
           "thủ*", "tp.hcm", "covid 19", "ha noi", "\"thuy si\"", "người dân"]


def fts5_bm25(q: str, form: str, table_cols: int) -> dict[int, float]:
    con = sqlite3.connect(":memory:")
    cols = ["title", "sapo", "body"][:table_cols]
    con.execute(f"CREATE VIRTUAL TABLE f USING fts5({', '.join(cols)}, content='', "
                "tokenize='unicode61 remove_diacritics 0')")
    from bantin.clean.fold import index_form

    for i, d in enumerate(DOCS, 1):
        con.execute(f"INSERT INTO f(rowid, {', '.join(cols)}) VALUES(?{', ?' * table_cols})",
                    (i, *[index_form(x) for x in d[:table_cols]]))
    expr = compile_match(parse_query(q), form)
    w = ", ".join(["10.0", "4.0", "1.0"][:table_cols])
    return dict(con.execute(f"SELECT rowid, bm25(f, {w}) FROM f WHERE f MATCH ?", (expr,)).fetchall())


def ours(q: str, form: str, table_cols: int) -> dict[int, float]:
    from bantin.clean.fold import index_form

    rows = [pgsearch.tsvector_literal([index_form(x) for x in d[:table_cols]]) for d in DOCS]
    compiled = pgsearch.compile_tsquery(parse_query(q), form)
    assert compiled is not None
    n = len(rows)
    avgdl = sum(r.ntok for r in rows) / n

    def occ(r: pgsearch.IndexRow) -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = {}
        for lex, spec in re.findall(r"'([^']+)':(\S+)", r.literal):
            out[lex] = [(int(p[:-1]), pgsearch.column_of(int(p[:-1]), r.b1, r.b2)) for p in spec.split(",")]
        return out

    occs = [occ(r) for r in rows]
    weights = {"A": 10.0, "B": 4.0, "C": 1.0}
    hits = [sum(1 for o in occs if pgsearch.phrase_freq(p, o, weights) > 0) for p in compiled.phrases]
    idfs = [pgsearch.idf(n, h) for h in hits]
    out = {}
    for i, (r, o) in enumerate(zip(rows, occs), 1):
        s = pgsearch.bm25(compiled.phrases, idfs, o, r.ntok, avgdl, weights)
        if s:
            out[i] = s
    return out


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("form", ["exact", "expanded"])
@pytest.mark.parametrize("cols", [2, 3])
def test_bm25_is_fts5s(q, form, cols):
    """Every row FTS5 matches gets FTS5's own score (14 queries, both forms, lead and full-text tables)."""
    want = fts5_bm25(q, form, cols)  # the rows FTS5 matches, with its score
    got = ours(q, form, cols)
    for rowid, v in want.items():
        assert got.get(rowid, 0.0) == pytest.approx(v, rel=1e-9, abs=1e-12), (rowid, got, want)


def test_tsquery_has_the_phrases_of_the_fts5_expression():
    for q in QUERIES:
        for form in ("exact", "expanded"):
            expr = compile_match(parse_query(q), form)
            c = pgsearch.compile_tsquery(parse_query(q), form)
            negated = sum(1 for x in parse_query(q).negated)
            quoted = re.findall(r'"([^"]*)"', expr)
            assert len(c.phrases) <= len(quoted) and (negated or len(c.phrases) == len(quoted))
            assert [" ".join(p.tokens) for p in c.phrases] == quoted[:len(c.phrases)]


def test_nothing_typed_reaches_tsquery_syntax():
    for q in ["'; DROP TABLE articles; --", "a:* & !b", "x <-> y", "\\", "'a'|'b'"]:
        c = pgsearch.compile_tsquery(parse_query(q), "expanded")
        if c is None:
            continue
        for lex in re.findall(r"'([^']*)'", c.tsquery):
            assert re.fullmatch(r"[^\W_]+", lex), lex


def test_index_rows_split_like_fts5_and_mark_the_fields():
    r = pgsearch.tsvector_literal(["tp.hcm hôm nay", "covid-19", "a b a"])
    assert r.ntok == 4 + 2 + 3 and (r.b1, r.b2) == (4, 7)  # one position skipped between fields
    assert "'tp':1A" in r.literal and "'covid':6B" in r.literal and "'a':9C,11C" in r.literal
    assert [pgsearch.column_of(p, r.b1, r.b2) for p in (4, 6, 7, 9)] == ["A", "B", "B", "C"]
    big = pgsearch.tsvector_literal(["x " * 20000])
    assert big.ntok == 20000 and "'x':" in big.literal and len(big.literal) < 3000  # positions capped at 255

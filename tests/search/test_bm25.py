"""BM25 from the title+lead index held as arrays equals FTS5's bm25() to the bit, where terms repeat within a
title and a lead, across both columns, and for terms most rows hold (IDF floored)."""

from __future__ import annotations

import json

import numpy as np

from bantin import browse
from bantin.archive import Bantin
from bantin.store.base import Filters
from bantin.store.fts5 import compile_search


TITLES = ["Hà Nội, Hà Nội và hà nội mùa thu", "Mưa lớn ở Hà Nội", "Giá vàng hôm nay", "Hà Giang mùa hoa",
          "Nội thất Hà Nội Hà Nội Hà Nội", "Tin nhanh", "Bão số 3 đổ bộ", "Hà Nội mưa mưa mưa"]
LEADS = ["Hà Nội đón mùa thu. Người Hà Nội", "", "Vàng tăng giá, vàng giảm giá, giá giá giá", "Hà hà hà",
         "nội nội", "Hà Nội", "Bão, bão và bão Hà Nội", "mưa"]


def test_bm25_from_arrays_is_fts5s(tmp_path):
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(40):  # "hà" in most rows: its IDF is floored at 1e-6, as FTS5 floors it
            t, s = TITLES[i % len(TITLES)], LEADS[(i * 3) % len(LEADS)]
            body = f"Bài số {i}. " + " ".join([t, s] * (1 + i % 3))
            fh.write(json.dumps({"id": f"a{i}", "title": f"{t} {i}", "sapo": s, "body": body,
                                 "published_at": f"2024-03-{1 + i % 28:02d}T08:00:00+07:00"}, ensure_ascii=False)
                     + "\n")
    db = str(tmp_path / "t.db")
    with Bantin(db) as b:
        b.ingest([str(src)])
    with Bantin(db, readonly=True) as b:
        st = browse.ArchiveState(b.path)
        gen = st.current()
        index = st.index(gen, b.store)
        st._build_lead(gen, index)
        lead = st.lead(gen, index)
        assert lead is not None
        checked = 0
        for q in ("hà nội", "ha noi", "hà", "ha", "mưa", "mua", "giá vàng", "gia vang", "hà OR bão", "ha -noi",
                  "nội", "noi mua", "bão hà", "vang OR mua OR bao"):
            query = b._parse(q)
            for f in (Filters(), Filters(since="2024-03-05", until="2024-03-20")):
                for form in ("exact", "expanded"):
                    expr = compile_search(query, form).expr
                    got = browse._lead_tier(b.store, lead, index, query, form, expr, f)
                    want = b.store.ranked_tier("lead", expr, f)
                    assert got is not None and got == want, (q, form, f)
                    assert all(np.float64(x).tobytes() == np.float64(y).tobytes()
                               for (_, x), (_, y) in zip(got, want))
                    checked += bool(want)
        assert checked > 30

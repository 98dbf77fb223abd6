"""The shortcuts a cold search takes (issue 11, fourth pass) give what the plain computation gives, on generated
cases: row ids found by runs of consecutive ids, and the others below."""

from __future__ import annotations

import numpy as np
import pytest

from bantin import browse


def facet_index(rowids: np.ndarray) -> browse.FacetIndex:
    n = len(rowids)
    e = np.zeros(0, np.int64)
    return browse.FacetIndex.build({"rowids": rowids, "outlet": np.full(n, -1, np.int32), "outlets": [],
                                    "dup_rowid": e, "dup_canonical": e, "mention_rowid": e, "mention_eid": e,
                                    "mention_n": e})


def rowid_layouts(rng: np.random.Generator) -> list[np.ndarray]:
    out = [np.arange(1, 2001, dtype=np.int64),  # one run (an archive of undated articles)
           np.arange(7, 8, dtype=np.int64)]  # one article
    for runs in (2, 3, 17, 60):  # a few runs of consecutive ids, with gaps of any size between
        lens = rng.integers(1, 400, runs)
        gaps = rng.integers(2, 1 << 30, runs)
        starts = np.cumsum(gaps + np.r_[0, lens[:-1]])
        out.append(np.concatenate([np.arange(s, s + k) for s, k in zip(starts, lens)]).astype(np.int64))
    dated = np.unique(rng.integers(1 << 40, 1 << 50, 3000))  # publication seconds: hardly a run at all
    out.append(dated.astype(np.int64))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_find_by_runs_is_the_binary_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    layouts = rowid_layouts(rng)
    used_runs = 0
    for rowids in layouts:
        idx = facet_index(rowids)
        used_runs += idx.run_rowid is not None
        lo, hi = int(rowids[0]), int(rowids[-1])
        for _ in range(20):
            present = rng.choice(rowids, rng.integers(0, len(rowids) + 1), replace=False)
            absent = rng.integers(max(lo - 50, 0), hi + 50, rng.integers(0, 300))  # below, between, above
            values = np.sort(np.r_[present, absent, [0, hi + 1, 1 << 62]]).astype(np.int64)
            pos, ok = idx.find(values)
            want_pos, want_ok = browse._find(rowids, values)
            assert ok.tolist() == want_ok.tolist()
            assert pos.tolist() == want_pos.tolist()
            assert (rowids[pos[ok]] == values[ok]).all()
        assert idx.find(np.zeros(0, np.int64))[0].tolist() == []
    assert used_runs == len(layouts) - 1  # every layout but the dated one went by runs


def test_round6_is_pythons_round() -> None:
    """The ranking's scores rounded to 6 places with numpy are ``round(x, 6)``'s floats, halves and near-halves,
    the ends of the range and values that are not numbers included."""
    rng = np.random.default_rng(3)
    k = np.r_[rng.integers(0, 6_000_000, 4000), rng.integers(0, 1 << 31, 2000)].astype(np.float64)
    near = np.concatenate([(k + 0.5) / 1e6, np.nextafter((k + 0.5) / 1e6, 0), np.nextafter((k + 0.5) / 1e6, 9),
                           k / 1e6, np.nextafter(k / 1e6, 9), (k + 0.5 + 1e-7) / 1e6, (k + 0.5 - 2e-6) / 1e6])
    x = np.concatenate([rng.uniform(0, 5, 20000), rng.uniform(-4, 4, 2000), rng.uniform(0, 3000, 2000), near,
                        rng.uniform(0, 1e-5, 500),
                        [0.0, -0.0, 1e300, -1e300, 5e15, np.inf, -np.inf, np.nan, 4.1943035, 0.0000005, 2.5e-6]])
    got = browse.round6(x)
    r = x[:20000] * 1e6  # scores of the ranking: by numpy, hardly ever by round
    assert (np.abs(np.abs(r - np.rint(r)) - 0.5) <= 1e-6).sum() < 100
    want = [round(v, 6) for v in x.tolist()]
    assert len(got) == len(want)
    for g, w, v in zip(got, want, x.tolist()):
        assert (g == w and np.copysign(1, g) == np.copysign(1, w)) or (g != g and w != w), v


def test_days_counted_as_np_unique_counts_them() -> None:
    """Articles per day are counted by ``np.bincount`` from the first day (not by sorting): what ``np.unique``
    gives, on empty, one-day and spread-out sets of days; and an undated result has no day at all."""
    from bantin.store.sqlite import UNDATED_LIMIT, SQLiteArchive

    rng = np.random.default_rng(5)
    for days in (np.zeros(0, np.int64), np.full(7, 19000, np.int64), rng.integers(0, 30, 500),
                 rng.integers(15000, 20000, 3000), np.array([0, 40000, 40000, 3])):
        got, want = browse._counts(days), np.unique(days, return_counts=True)
        assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()
        assert got[0].dtype == want[0].dtype
    undated = np.arange(1, 5000, dtype=np.int64)
    assert SQLiteArchive.days_of(undated).tolist() == [-1] * len(undated)
    mixed = np.r_[undated[:3], UNDATED_LIMIT + (np.int64(3_900_000_000) << 20)]
    assert SQLiteArchive.days_of(mixed).tolist()[:3] == [-1] * 3 and SQLiteArchive.days_of(mixed)[3] > 0

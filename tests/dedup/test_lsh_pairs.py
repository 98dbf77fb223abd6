"""LSH candidate pairs: pairs among new articles come from the sorted band keys (numpy), pairs with stored
articles from one join, and a first ingest's keys go straight into their table — the same pairs and the same
band table as the two SQL joins over a temporary table they replace."""

import random
import sqlite3

import numpy as np

from bantin.store.sqlite import SQLiteArchive, band_arrays, band_pairs


def reference(stored: list[tuple[int, int]], items: list[tuple[int, list[int]]]) -> tuple[set, set]:
    """The pairs and the band table after the insert, as the SQL self-join and join over a temp table give them."""
    c = sqlite3.connect(":memory:")
    c.execute("CREATE TABLE lsh_bands(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc)) WITHOUT ROWID")
    c.execute("CREATE TABLE new_bands(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc)) WITHOUT ROWID")
    c.executemany("INSERT OR IGNORE INTO lsh_bands VALUES(?, ?)", stored)
    c.executemany("INSERT OR IGNORE INTO new_bands VALUES(?, ?)", [(k, r) for r, ks in items for k in ks])
    pairs = c.execute("SELECT DISTINCT n.doc, b.doc FROM new_bands n JOIN lsh_bands b ON b.key = n.key"
                      " WHERE b.doc <> n.doc").fetchall()
    pairs += c.execute("SELECT DISTINCT a.doc, b.doc FROM new_bands a JOIN new_bands b"
                       " ON b.key = a.key AND b.doc < a.doc").fetchall()
    c.execute("INSERT OR IGNORE INTO lsh_bands SELECT key, doc FROM new_bands")
    return set(pairs), set(c.execute("SELECT key, doc FROM lsh_bands").fetchall())


def random_items(rng: random.Random, docs: range, n_keys: int) -> list[tuple[int, list[int]]]:
    """Few distinct keys, so that many documents share some (runs of 2 and more), a key twice in one document."""
    return [(d, [rng.randrange(n_keys) * 7919 - 5000 for _ in range(rng.randint(0, 6))]) for d in docs]


def test_band_pairs_are_the_self_join():
    rng = random.Random(13)
    for trial in range(200):
        items = random_items(rng, range(1, rng.randint(1, 40)), rng.randint(1, 60))
        rng.shuffle(items)
        keys, docs = band_arrays(items)
        assert np.all(np.diff(keys) >= 0)
        pairs = band_pairs(keys, docs)
        assert len(pairs) == len(set(pairs))
        assert set(pairs) == reference([], items)[0], trial


def test_lsh_candidates_with_and_without_stored_bands(tmp_path):
    rng = random.Random(14)
    for trial in range(30):
        db = tmp_path / f"a{trial}.db"
        store = SQLiteArchive(str(db))
        first = random_items(rng, range(1, 30), 40)
        second = random_items(rng, range(30, 60), 40)
        with store.transaction():
            got1 = store.lsh_candidates(first)  # empty table: the keys go straight in
        with store.transaction():
            got2 = store.lsh_candidates(second)  # stored bands: joined first
        table = set(store.con.execute("SELECT key, doc FROM lsh_bands").fetchall())
        store.close()
        want1, stored = reference([], first)
        want2, want_table = reference(sorted(stored), second)
        assert len(got1) == len(set(got1)) and set(got1) == want1
        assert len(got2) == len(set(got2)) and set(got2) == want2
        assert table == want_table

"""bench/fingerprint.py, the "same archive" check of ingest speed work: two ingests of the same input fingerprint
alike; an archive holding one more article, or the same articles in another order, does not."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import bantin
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


def _fp(db: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "fingerprint.py"), str(db), str(out), *extra],
                          capture_output=True, text=True, timeout=300)


def test_the_same_input_gives_the_same_fingerprint_and_a_change_is_named(tmp_path):
    files = sorted(str(p) for p in Path(SAMPLES).rglob("*") if p.is_file())
    for name, order in (("a", files), ("b", files), ("c", files[::-1])):
        with bantin.open(str(tmp_path / f"{name}.db")) as b:
            b.ingest(order, workers=1, enrich=False)
        if name == "a":
            time.sleep(1.1)  # the second ingest runs at another second of the clock (stories.updated_at differs)
    first = _fp(tmp_path / "a.db", tmp_path / "a.json")
    assert first.returncode == 0 and " 0 articles" not in first.stdout
    same = _fp(tmp_path / "b.db", tmp_path / "b.json", "--compare", str(tmp_path / "a.json"))
    assert same.returncode == 0 and "the same archive" in same.stdout
    other = _fp(tmp_path / "c.db", tmp_path / "c.json", "--compare", str(tmp_path / "a.json"))
    assert other.returncode == 1 and "DIFFERENT" in other.stdout and "articles" in other.stdout
    missing = _fp(tmp_path / "none.db", tmp_path / "n.json")
    assert missing.returncode == 2 and "no such archive" in missing.stderr

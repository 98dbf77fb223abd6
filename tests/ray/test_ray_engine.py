"""The Ray runner builds the archive the other runners build, and Parquet with the same duplicate groups and
stories as ``dedup/`` in-process."""

from __future__ import annotations

import glob
import importlib.util
import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

import bantin
from conftest import BANTIN
from dedup_fixtures import body, record, write_jsonl


def corpus(tmp_path):
    """Exact copies, URL copies, near copies (edited), undated copies, stories across outlets, one article in two
    inputs, and rejects."""
    base = body(1, 12)
    edited = base[:11] + ["Câu cuối đã được biên tập viên sửa lại cho rõ hơn."]
    other = body(2, 10)
    recs = [
        record("a1", "Lũ quét ở miền núi", base, "2024-05-16T09:00:00+07:00", url="https://a.vn/lu-1", outlet="a.vn"),
        record("a2", "Lũ quét miền núi (bản sao)", base, "2024-05-16T10:00:00+07:00", outlet="b.vn"),
        record("a3", "Lũ quét ở miền núi", edited, "2024-05-16T11:00:00+07:00", outlet="c.vn"),
        record("a4", "Lũ quét, cập nhật", other, "2024-05-17T08:00:00+07:00", url="https://a.vn/lu-1?utm_source=x",
               outlet="a.vn"),
        record("a5", "Không ngày tháng", base),
        record("a6", "Tin khác hẳn", body(3, 8), "2024-05-20T08:00:00+07:00", url="https://b.vn/tin-6",
               outlet="b.vn"),
        record("a7", "Tin khác nữa", body(4, 8), "2024-06-02T08:00:00+07:00", url="https://b.vn/tin-6?utm_medium=z",
               outlet="b.vn"),
    ]
    recs += [record(f"s{i}", f"Bão số {i}", body(10 + i, 6), f"2024-0{1 + i % 8}-1{i % 9}T0{i % 9}:00:00+07:00",
                    outlet=["a.vn", "b.vn", "c.vn"][i % 3]) for i in range(40)]
    one = write_jsonl(tmp_path / "one.jsonl", recs)
    two = write_jsonl(tmp_path / "two.jsonl", [recs[5], record("t1", "Tin riêng", body(5, 4),
                                                                  "2024-07-01T08:00:00+07:00")])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "title": ""}\n{broken\n', encoding="utf-8")
    return [str(one), str(two), str(bad)]


def archive_view(path):
    with bantin.open(path) as b:
        ids = sorted(a.id for a in b.articles())
        groups = {}
        for i in ids:
            can, members = b.duplicates(i)
            if can is not None and len(members) > 1:
                groups[can.id] = {m.id for m in members}
        stories = sorted(sorted(m["id"] for m in s.members) for s in b.stories())
        kinds = {m.id: (m.dup_kind, m.similarity) for i in ids for m in b.duplicates(i)[1]}
        return ids, groups, stories, kinds, [a.to_dict() for a in b.articles()]


def test_ray_builds_the_same_archive_and_parquet_with_the_same_groups(tmp_path, ray_address):
    inputs = corpus(tmp_path)
    local, on_ray = str(tmp_path / "local.db"), str(tmp_path / "ray.db")
    with bantin.open(local) as b:
        b.ingest(inputs, workers=1, enrich=False)
    out = tmp_path / "out"
    with bantin.open(on_ray) as b:
        rep = b.ingest(inputs, engine="ray", address=ray_address, out=str(out), enrich=False)
    assert rep.rejected == 2 and rep.existing == 1
    want = archive_view(local)
    assert archive_view(on_ray) == want
    ids, groups, stories, kinds, _docs = want
    assert any(k == "exact" for k, _ in kinds.values()) and any(k == "near" for k, _ in kinds.values())
    assert any(k == "url" for k, _ in kinds.values())
    got = __import__("bantin.ray_engine", fromlist=["x"]).read_out(str(out))
    assert sorted(got["ids"]) == ids
    assert got["groups"] == groups and got["stories"] == stories
    dup = {r["id"]: (r["kind"], r["similarity"]) for r in pq.read_table(out / "_duplicates.parquet").to_pylist()}
    assert {i: v for i, v in dup.items() if v[0]} == {i: v for i, v in kinds.items() if v[0]}
    # Parquet: export's schema, partitioned by month and outlet; the article read twice has both inputs
    with bantin.open(local) as b:
        b.export(str(tmp_path / "e.parquet"), "parquet")
    schema = pq.read_schema(tmp_path / "e.parquet")
    files = glob.glob(str(out / "month=*" / "outlet_name=*" / "*.parquet"))
    assert files and all(pq.read_schema(f).equals(schema) for f in files)
    assert os.path.isdir(out / "month=2024-05" / "outlet_name=a.vn")
    assert glob.glob(str(out / "month=__HIVE_DEFAULT_PARTITION__" / "*"))  # the undated article
    rows = {r["id"]: r for f in files for r in pq.read_table(f).to_pylist()}
    exported = {r["id"]: r for r in pq.read_table(tmp_path / "e.parquet").to_pylist()}
    for r in (rows, exported):
        for v in r.values():
            v["provenance"] = sorted((p["path"], p["record"]) for p in v["provenance"])
    assert rows == exported


def test_ray_ingest_killed_halfway_and_run_again(tmp_path, ray_address):
    src = write_jsonl(tmp_path / "big.jsonl", [record(f"k{i}", f"Bản tin {i}", body(i % 500, 3),
                                                      f"2024-03-{1 + i % 28:02d}T08:00:00+07:00")
                                               for i in range(3000)])
    db, out = tmp_path / "k.db", tmp_path / "out"
    cmd = [BANTIN, "--db", str(db), "ingest", str(src), "--engine", "ray", "--address", ray_address, "--out",
           str(out), "--no-enrich", "-q", "--json"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    killed_with = None
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(db):
            with bantin.open(str(db)) as b:
                n = b.store.count()
            if n:
                p.send_signal(signal.SIGKILL)
                killed_with = n
                break
        time.sleep(0.05)
    p.wait()
    assert killed_with is not None and killed_with < 3000, "the ingest was not stopped halfway"
    assert not os.path.exists(out)  # Parquet is swapped in only when complete
    r = subprocess.run(cmd, capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()[-3000:]
    with bantin.open(str(db)) as b:
        assert sorted(a.external_id for a in b.articles()) == sorted(f"k{i}" for i in range(3000))
        assert b.store.dedup_stats()["pending"] == 0
    got = __import__("bantin.ray_engine", fromlist=["x"]).read_out(str(out))
    assert len(got["ids"]) == len(set(got["ids"])) == 3000
    assert not glob.glob(str(tmp_path / "out.tmp-*")) and not glob.glob(str(tmp_path / "out.old-*"))


def test_ray_is_imported_only_by_the_ray_runner():
    code = ("import sys, bantin, bantin.cli, bantin.archive, bantin.pipeline, bantin.store.postgres, bantin.migrate;"
            "print('ray' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False", r.stderr


def test_engine_options_are_checked(tmp_path):
    r = subprocess.run([BANTIN, "--db", str(tmp_path / "a.db"), "ingest", str(tmp_path), "--out", "x"],
                       capture_output=True)
    assert r.returncode == 2 and b"--engine ray" in r.stderr
    r = subprocess.run([BANTIN, "--db", str(tmp_path / "a.db"), "ingest", str(tmp_path), "--engine", "ray",
                        "--no-store"], capture_output=True)
    assert r.returncode == 2 and b"--no-store needs --out" in r.stderr


def ray_installed() -> bool:
    # Ray itself, not tests/ray (found as a namespace package, origin None, where Ray is not installed)
    spec = importlib.util.find_spec("ray")
    return spec is not None and spec.origin is not None


@pytest.mark.skipif(ray_installed(), reason="Ray is installed")
def test_ray_engine_without_ray_says_how_to_install(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", [record("a", "Tin", body(1, 2))])
    r = subprocess.run([BANTIN, "--db", str(tmp_path / "a.db"), "ingest", str(src), "--engine", "ray"],
                       capture_output=True)
    assert r.returncode == 1 and b"pip install 'bantin[ray]'" in r.stderr

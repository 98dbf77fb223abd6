"""The `bantin` command, run for real in a subprocess."""

import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import BANTIN, SAMPLES, SEED_LIKE, run_cli


def j(p):
    return json.loads(p.stdout)


@pytest.fixture
def seed(tmp_path):
    p = tmp_path / "dumps" / "seed.txt"
    p.parent.mkdir()
    p.write_text(SEED_LIKE, encoding="utf-8")
    return p


def test_ingest_seed_then_search_every_spelling(db, seed):
    rep = j(run_cli("ingest", str(seed), "--json", db=db, check=0))
    assert (rep["read"], rep["added"], rep["already_there"], rep["rejected"]) == (1, 1, 0, 0)
    for q in ["doi thoai AI", "đối thoại AI", "thuỵ sĩ", "Thụy Sĩ", "thuy si"]:
        hits = j(run_cli("search", q, "--json", db=db, check=0))
        assert len(hits) == 1, q
        h = hits[0]
        assert set(h) >= {"id", "title", "published_at", "outlet", "snippet", "score"}
        assert h["published_at"] == "2024-05-16T14:51:00+07:00" and "<mark>" in h["snippet"]


@pytest.mark.parametrize("q", ['"', '*', 'NEAR(', 'OR', '-', ':', '"NEAR( OR - : *', "thuy si)) OR (\"", "-thuy"])
def test_fts_syntax_gives_results_or_a_clear_message(db, seed, q):
    run_cli("ingest", str(seed), db=db, check=0)
    p = run_cli("search", q, "--json", db=db)
    assert p.returncode in (0, 2), p.stderr
    if p.returncode == 0:
        assert isinstance(j(p), list)
    else:
        assert b"Error:" in p.stderr and b"Traceback" not in p.stderr


def test_reingest_is_idempotent_and_copies_add_provenance(db, seed, tmp_path):
    run_cli("ingest", str(seed), db=db, check=0)
    rep = j(run_cli("ingest", str(seed), "--json", db=db, check=0))
    assert (rep["added"], rep["already_there"]) == (0, 1)
    copy = tmp_path / "copy.txt.gz"
    with gzip.open(copy, "wb") as f:
        f.write(seed.read_bytes())
    rep = j(run_cli("ingest", str(copy), "--json", db=db, check=0))
    assert (rep["added"], rep["already_there"]) == (0, 1)
    [h] = j(run_cli("search", "geneva", "--json", db=db))
    a = j(run_cli("show", h["id"], "--json", db=db, check=0))
    assert sorted(p["path"] for p in a["provenance"]) == sorted([str(seed), str(copy)])
    assert j(run_cli("stats", "--json", db=db))["articles"] == 1


def test_show_json_is_the_article_and_raw_is_byte_for_byte(db, seed):
    run_cli("ingest", str(seed), db=db, check=0)
    [h] = j(run_cli("search", "geneva", "--json", db=db))
    a = j(run_cli("show", h["id"], "--json", db=db, check=0))
    assert a["views"] == 235 and a["sapo_truncated"] is True and len(a["paragraphs"]) == 3
    assert run_cli("show", h["id"], "--raw", db=db, check=0).stdout == seed.read_bytes()
    assert run_cli("show", "0000000000000000", db=db).returncode == 1


def test_bad_inputs_are_rejected_named_and_kept_while_the_batch_goes_on(db, tmp_path, seed):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (d / "notitle.txt").write_text("12345\n67890\n")
    (d / "lines.jsonl").write_bytes(b'{"title": "Hop le", "body": "Noi dung."}\n{oops\n')
    (d / "cp1258.txt").write_bytes(_cp1258("Tiêu đề tiếng Việt\nNội dung bài báo viết bằng Windows-1258 với dấu thanh.\n"))
    p = run_cli("ingest", str(d), str(seed), "--json", db=db)
    assert p.returncode == 1
    rep = j(p)
    assert rep["added"] == 3 and rep["rejected"] == 4
    err = p.stderr.decode()
    for name in ("empty.txt", "image.txt", "notitle.txt", "lines.jsonl:2"):
        assert name in err, err
    listed = j(run_cli("rejects", "--json", db=db, check=0))
    assert {os.path.basename(r["path"]) + (":" + r["record"] if r["record"] else "") for r in listed} == \
        {"empty.txt", "image.txt", "notitle.txt", "lines.jsonl:2"}
    assert all(r["reason"] for r in listed)
    # a second run rejects the same inputs again without duplicating them
    assert run_cli("ingest", str(d), db=db).returncode == 1
    assert len(j(run_cli("rejects", "--json", db=db))) == 4
    [h] = j(run_cli("search", "Windows", "--json", db=db))
    assert h["title"] == "Tiêu đề tiếng Việt"


def _cp1258(text: str) -> bytes:
    """cp1258 has â ê ô ơ ư ă đ precomposed and writes tone marks as combining characters after the letter."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m not in tones))
        out += (base + "".join(m for m in d[1:] if m in tones)).encode("cp1258")
    return out


def test_usage_errors_exit_2(db, tmp_path):
    assert run_cli("ingest", str(tmp_path / "nope.txt"), db=db).returncode == 2
    assert run_cli("ingest", str(tmp_path / "*.nothing"), db=db).returncode == 2
    assert run_cli("ingest", "--map", "bogus", str(tmp_path), db=db).returncode == 2
    assert run_cli("ingest", "--format", "pdf", str(tmp_path), db=db).returncode == 2
    assert run_cli("search", "x", "--since", "yesterday", db=db).returncode == 2
    assert run_cli("frobnicate", db=db).returncode == 2


def test_stdin_text_and_jsonl(db):
    p = run_cli("ingest", "-", "--json", db=db, input=SEED_LIKE.encode(), check=0)
    assert j(p)["added"] == 1
    lines = b'{"title": "Bai mot", "body": "Mot."}\n{"title": "Bai hai", "body": "Hai."}\n'
    assert j(run_cli("ingest", "-", "--json", db=db, input=lines, check=0))["added"] == 2
    assert j(run_cli("stats", "--json", db=db))["articles"] == 3


def test_jsonl_with_map(db, tmp_path):
    p = tmp_path / "x.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "train/1", "title": "Tiêu đề", "abstract": "Tóm tắt.", "content": "Thân bài.\nHai."},
                           ensure_ascii=False) + "\n")
    run_cli("ingest", str(p), "--map", "sapo=abstract,body=content", "--source", "vn", db=db, check=0)
    a = j(run_cli("export", db=db, check=0).stdout.splitlines()[0] and run_cli("show", _first_id(db), "--json", db=db))
    assert a["sapo"] == "Tóm tắt." and a["paragraphs"] == ["Thân bài.", "Hai."] and a["external_id"] == "train/1"
    assert a["provenance"][0]["source"] == "vn"


def _first_id(db):
    return json.loads(run_cli("export", db=db).stdout.splitlines()[0])["id"]


def test_export_jsonl_and_parquet(db, tmp_path):
    run_cli("ingest", str(SAMPLES / "dumps"), db=db, check=0)
    n = j(run_cli("stats", "--json", db=db))["articles"]
    lines = run_cli("export", db=db, check=0).stdout.splitlines()
    assert len(lines) == n and all(json.loads(x)["id"] for x in lines)
    out = tmp_path / "a.parquet"
    run_cli("export", "--format", "parquet", "-o", str(out), db=db, check=0)
    import pyarrow.parquet as pq

    t = pq.read_table(out)
    assert t.num_rows == n and "paragraphs" in t.column_names and "provenance" in t.column_names


def test_stats_and_rejects_human_output(db):
    run_cli("ingest", str(SAMPLES / "dumps"), db=db, check=0)
    out = run_cli("stats", db=db, check=0).stdout.decode()
    assert "articles" in out
    assert "no rejected inputs" in run_cli("rejects", db=db, check=0).stdout.decode()


def test_db_from_environment(tmp_path, seed):
    env = {"BANTIN_DB": str(tmp_path / "env.db")}
    run_cli("ingest", str(seed), env=env, check=0)
    assert (tmp_path / "env.db").exists()


def test_oversized_inputs_are_rejected_without_reading_them_whole(db, tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # a sparse 2 GB file
        f.truncate(2 * 1024**3)
    line = tmp_path / "long.jsonl"
    line.write_bytes(b'{"title": "' + b"x" * 300_000 + b'"}\n{"title": "ok", "body": "Noi dung."}\n')
    env = {"BANTIN_MAX_RECORD_BYTES": "100000"}
    p = run_cli("ingest", str(big), str(line), "--json", db=db, env=env)
    assert p.returncode == 1
    rep = j(p)
    assert rep["added"] == 1 and rep["rejected"] == 2
    reasons = " ".join(r["reason"] for r in rep["rejects"])
    assert "too large" in reasons and "too long" in reasons


def test_killed_ingest_leaves_no_half_article_and_rerun_completes(db, tmp_path):
    src = tmp_path / "many.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(8000):
            f.write(json.dumps({"id": str(i), "title": f"Bài số {i}", "body": f"Nội dung bài {i}.\nĐoạn hai {i}."},
                               ensure_ascii=False) + "\n")
    proc = subprocess.Popen([BANTIN, "--db", str(db), "ingest", str(src), "--workers", "1", "-q", "--no-enrich"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    n = 0
    while time.time() < deadline:
        time.sleep(0.05)
        try:
            n = sqlite3.connect(db, timeout=1).execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if n >= 1000:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < n < 8000

    def consistent():
        con = sqlite3.connect(db)
        arts = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        prov = con.execute("SELECT count(DISTINCT article_rowid) FROM provenance").fetchone()[0]
        fts = con.execute("SELECT count(*) FROM text_fts_docsize").fetchone()[0]
        lead = con.execute("SELECT count(*) FROM lead_fts_docsize").fetchone()[0]
        assert arts == prov == fts == lead, (arts, prov, fts, lead)
        return arts

    assert consistent() >= 1000
    rep = j(run_cli("ingest", str(src), "--json", "--no-enrich", db=db, check=0))
    assert rep["added"] + rep["already_there"] == 8000
    assert consistent() == 8000


def test_help_reads_like_docs():
    out = subprocess.run([BANTIN, "--help"], capture_output=True, text=True).stdout
    for cmd in ("ingest", "search", "show", "stats", "rejects", "export"):
        assert cmd in out
    assert shutil.which(BANTIN) or os.path.exists(BANTIN)


def _legacy_encoders():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("legacy_enc", Path(__file__).parent.parent / "clean" /
                                                  "test_encoding.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_legacy_encoded_dumps_are_decoded_and_hopeless_bytes_rejected(db, tmp_path):
    enc = _legacy_encoders()
    text = ("Hội thảo về trí tuệ nhân tạo khai mạc tại Đà Nẵng\n16/05/2024 14:51\n"
            "Các chuyên gia thảo luận về ứng dụng công nghệ mới trong y tế và giáo dục.\n"
            "Nhiều doanh nghiệp giới thiệu sản phẩm của mình tại triển lãm bên lề.\n")
    d = tmp_path / "legacy"
    d.mkdir()
    (d / "tcvn3.txt").write_bytes(enc.encode_tcvn3(text))
    (d / "vni.txt").write_bytes(enc.encode_vni(text.replace("Đà Nẵng", "Huế")))
    (d / "cp1258.txt").write_bytes(enc.encode_cp1258(text.replace("Đà Nẵng", "Cần Thơ")))
    (d / "garbage.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    p = run_cli("ingest", str(d), "--json", "--no-enrich", db=db)
    assert p.returncode == 1
    rep = j(p)
    assert rep["added"] == 3 and rep["rejected"] == 1
    assert "garbage.txt" in rep["rejects"][0]["path"] and rep["rejects"][0]["reason"]
    for q in ("Đà Nẵng", "Huế", "Cần Thơ"):
        [h] = j(run_cli("search", q, "--json", db=db, check=0))
        a = j(run_cli("show", h["id"], "--json", db=db))
        assert a["paragraphs"][0].startswith("Các chuyên gia thảo luận")
        assert any(f.startswith("encoding:") for f in a["flags"])


def test_cli_format_choices_are_the_readers():
    """The CLI spells the reader names out (so search/show/stats start without importing every reader)."""
    from bantin import sources
    from bantin.cli.core import FORMATS

    assert FORMATS == tuple(sources.FORMATS)


def test_cli_runs_with_one_blas_thread(tmp_path):
    """The CLI's numpy work (the NER scorer) is small matrix products: a BLAS thread per core only costs CPU.
    Checked in a fresh interpreter, where OpenBLAS starts with its default pool."""
    import subprocess
    import sys

    code = (
        "from click.testing import CliRunner\n"
        "from threadpoolctl import threadpool_info\n"
        "from bantin.cli import main\n"
        f"r = CliRunner().invoke(main, ['--db', {str(tmp_path / 'a.db')!r}, 'annotate', '-'], input='Ông Bân nói.')\n"
        "assert r.exit_code == 0, r.output\n"
        "print(max((i['num_threads'] for i in threadpool_info() if i.get('user_api') == 'blas'), default=1))\n"
    )
    import os
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env = {k: v for k, v in env.items() if not k.endswith("NUM_THREADS")}  # OpenBLAS's own default
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split()[-1] == "1"

"""One language policy for every reader (``--lang``, default vi): decided on the article's text, never rejecting
Vietnamese (with or without diacritics), rejected inputs kept byte for byte; codes validated (ISO 639-1/-3)."""

from __future__ import annotations

import json

import pytest

from bantin.archive import Bantin
from conftest import run_cli

EN_TITLE = "Heavy rain expected across northern England"
EN_BODY = ["Heavy rain is expected across the north of England this weekend, with flood warnings issued for "
           "several towns and rivers.", "Forecasters said the wet weather would continue into next week and urged "
           "drivers to take care on the roads."]
VI_TITLE = "Hà Nội mở thêm ba tuyến buýt điện nối sân bay Nội Bài"
VI_BODY = ["Sở Xây dựng Hà Nội cho biết ba tuyến buýt mới do doanh nghiệp vận hành bằng xe điện, tần suất 15-20 phút "
           "một chuyến.", "Giá vé 9.000 đồng một lượt, người có thẻ tháng được đi miễn phí."]
NO_MARKS_TITLE = "Ha Noi mo them ba tuyen buyt dien noi san bay Noi Bai"
NO_MARKS_BODY = ["So Xay dung Ha Noi cho biet ba tuyen buyt moi do doanh nghiep van hanh bang xe dien, tan suat 15-20 "
                 "phut mot chuyen.", "Gia ve 9.000 dong mot luot, nguoi co the thang duoc di mien phi."]


def page(title: str, body: list[str], lang: str) -> str:
    ps = "".join(f"<p>{p}</p>" for p in body)
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{ps}</article></body></html>")


def inputs(tmp_path, title, body, stem):
    """The same article as a text dump, a JSONL line, a CSV row and a saved page."""
    files = {
        f"{stem}.txt": title + "\n" + "\n".join(body) + "\n",
        f"{stem}.jsonl": json.dumps({"title": title, "body": "\n".join(body)}, ensure_ascii=False) + "\n",
        f"{stem}.csv": "title,body\n" + f'"{title}","{" ".join(body)}"\n',
        f"{stem}.html": page(title, body, "vi"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(tmp_path / n) for n in files]


def test_every_reader_rejects_other_languages_and_keeps_their_bytes(tmp_path):
    en = inputs(tmp_path, EN_TITLE, EN_BODY, "en")
    vi = inputs(tmp_path, VI_TITLE, VI_BODY, "vi") + inputs(tmp_path, NO_MARKS_TITLE, NO_MARKS_BODY, "nomarks")
    db = tmp_path / "a.db"
    p = run_cli("ingest", *en, *vi, "--json", "--no-dedup", db=db, check=1)
    rep = json.loads(p.stdout)
    # both Vietnamese spellings, in every shape (one article each: same title and text), no English
    assert (rep["added"], rep["already_there"], rep["rejected"]) == (2, 6, 4)
    assert {r["stage"] for r in rep["rejects"]} == {"filter"}
    assert all("not vi (language en" in r["reason"] and "--lang any" in r["reason"] for r in rep["rejects"])
    with Bantin(str(db)) as b:
        for r in b.rejects():
            raw = b.store.get_raw(r.raw_sha256)
            assert raw is not None and EN_TITLE.encode() in raw  # kept: a later run can change its mind
        assert {a.language for a in b.articles()} == {"vi"}
    # --lang any keeps them; --lang en (or eng) keeps only them
    rep = json.loads(run_cli("ingest", *en, "--lang", "any", "--json", "--no-dedup", db=db, check=0).stdout)
    assert (rep["added"], rep["already_there"], rep["rejected"]) == (1, 3, 0)
    with Bantin(str(db)) as b:
        assert b.rejects() == []  # the inputs that now make an article are no longer rejects
    db2 = tmp_path / "b.db"
    rep = json.loads(run_cli("ingest", *en, *vi, "--lang", "eng", "--json", "--no-dedup", db=db2, check=1).stdout)
    assert (rep["added"] + rep["already_there"], rep["rejected"]) == (4, 8)


def test_short_texts_are_kept_whatever_their_language(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"title": "Hello", "body": "Short."}\n', encoding="utf-8")
    assert json.loads(run_cli("ingest", str(tmp_path / "a.jsonl"), "--json", db=tmp_path / "a.db", check=0)
                      .stdout)["added"] == 1


@pytest.mark.parametrize("cmd", [["ingest", "x.txt"], ["extract", "x.txt"], ["crawl", "https://example.vn/rss"]])
@pytest.mark.parametrize("code", ["xx", "vie1", "aaa", ""])
def test_bad_language_codes_are_usage_errors(tmp_path, cmd, code):
    (tmp_path / "x.txt").write_text("Tiêu đề\nNội dung.\n", encoding="utf-8")
    args = [a if a != "x.txt" else str(tmp_path / a) for a in cmd]
    p = run_cli(*args, "--lang", code, db=tmp_path / "a.db")
    assert p.returncode == 2, p.stderr
    assert "--lang" in p.stderr.decode() and "Traceback" not in p.stderr.decode()
    assert not (tmp_path / "a.db").exists() or Bantin(str(tmp_path / "a.db")).stats()["articles"] == 0


def test_iso_639_3_codes_are_accepted(tmp_path):
    (tmp_path / "x.txt").write_text(VI_TITLE + "\n" + "\n".join(VI_BODY) + "\n", encoding="utf-8")
    rep = json.loads(run_cli("ingest", str(tmp_path / "x.txt"), "--lang", "vie,eng", "--json", db=tmp_path / "a.db",
                             check=0).stdout)
    assert rep["added"] == 1
    p = run_cli("ingest", str(tmp_path / "x.txt"), "--lang", "nb", db=tmp_path / "a.db", check=2)
    assert "Norwegian" in p.stderr.decode()  # a real language the identifier cannot tell: said so


def test_api_validates_codes_too(tmp_path):
    from bantin.sources.base import UsageError

    with Bantin(str(tmp_path / "a.db")) as b, pytest.raises(UsageError, match="'xx'"):
        b.ingest([str(tmp_path)], languages=["xx"])

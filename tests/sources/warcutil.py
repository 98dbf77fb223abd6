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


_NAV = ("Turn on more accessible mode Turn off more accessible mode Skip Ribbon Commands Skip to main content "
        "Turn off Animations Turn on Animations Sign In Share Follow Focus on Content Browse Page Site Settings "
        "Search this site Home About us Organizational structure Functions and duties Leadership Contact "
        "Documents Legal documents Administrative procedures Public services Online payment Feedback Sitemap ")


def sharepoint_page() -> bytes:
    """A Vietnamese article on a SharePoint site: an English ribbon, menus and footer around it, lang="en-US"."""
    nav = "".join(f"<li><a href='/p{i}'>{w}</a></li>" for i, w in enumerate(_NAV.split() * 4))
    body = ("<p>Sáng 12/3, Sở Y tế tỉnh Quảng Nam tổ chức hội nghị triển khai kế hoạch tiêm chủng mở rộng năm 2024 "
            "cho các trung tâm y tế huyện, thị xã và thành phố trên địa bàn tỉnh.</p>"
            "<p>Theo báo cáo, năm qua toàn tỉnh đã tiêm đủ mũi cho hơn 95% trẻ em dưới một tuổi, vượt chỉ tiêu được "
            "giao. Tuy nhiên, một số xã miền núi vẫn còn tỷ lệ tiêm thấp do người dân ở xa trạm y tế.</p>"
            "<p>Giám đốc Sở Y tế yêu cầu các đơn vị tăng cường tuyên truyền, tổ chức các điểm tiêm lưu động và "
            "báo cáo kết quả hằng tháng để kịp thời điều chỉnh.</p>")
    return (f"<!DOCTYPE html><html lang='en-US' dir='ltr'><head><meta charset='utf-8'><title>Hội nghị triển khai "
            f"tiêm chủng mở rộng năm 2024</title></head><body><div id='s4-ribbonrow'><span>{_NAV * 3}</span></div>"
            f"<nav><ul>{nav}</ul></nav><div id='contentBox'><h1>Hội nghị triển khai tiêm chủng mở rộng năm 2024</h1>"
            f"<div class='article-content'>{body}</div></div><footer>{_NAV}</footer></body></html>").encode()

"""A local web site for crawler tests: a threaded HTTP/1.1 server on 127.0.0.1 with programmable routes and a log
of every request (arrival time, path, headers, whether the response was sent completely). No network."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    n: int  # how many times this path was requested, this one included


@dataclass
class Hit:
    t: float  # time.monotonic() when the request line arrived
    path: str
    headers: dict[str, str]
    status: int | None = None
    completed: bool = False  # the whole response was written
    t_end: float | None = None  # time.monotonic() when the response was written
    bytes: int = 0  # body bytes sent
    method: str = "GET"


Handler = Callable[[Request], tuple[int, dict[str, str], bytes]]


def page(title: str, *paras: str) -> bytes:
    ps = "".join(f"<p>{p}</p>" for p in paras) or "<p>Nội dung bài viết đủ dài để là một bài báo.</p>"
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{ps}</article></body></html>").encode()


_BODY = ("Ủy ban nhân dân thành phố vừa ban hành kế hoạch cải tạo hệ thống thoát nước tại các quận nội thành "
         "trước mùa mưa bão năm nay, với nhiều hạng mục được ưu tiên.",
         "Theo kế hoạch, các công trình trọng điểm sẽ được khởi công trong tháng tới, với tổng kinh phí dự kiến "
         "khoảng 500 tỷ đồng từ ngân sách thành phố.",
         "Người dân khu vực bị ảnh hưởng sẽ được thông báo trước về lịch thi công và các tuyến đường phải phân "
         "luồng giao thông.")


def article_page(title: str, *, published: str | None = None, extra: str = "") -> bytes:
    """A news article the real html reader accepts (Vietnamese text, one headline); dated only when
    ``published`` (ISO 8601) is given, as article:published_time."""
    meta = f"<meta property='article:published_time' content='{published}'>" if published else ""
    paras = "".join(f"<p>{p} {extra}</p>" for p in _BODY)
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>{meta}</head>"
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>").encode()


def static(body: bytes, ctype: str = "text/html; charset=utf-8", *, etag: str | None = None,
           last_modified: str | None = None, status: int = 200, extra: dict[str, str] | None = None) -> Handler:
    """A fixed resource; answers 304 to a matching If-None-Match / If-Modified-Since."""

    def h(req: Request) -> tuple[int, dict[str, str], bytes]:
        hd = {"Content-Type": ctype, **(extra or {})}
        if etag:
            hd["ETag"] = etag
        if last_modified:
            hd["Last-Modified"] = last_modified
        if etag and req.headers.get("if-none-match") == etag:
            return 304, hd, b""
        if last_modified and not etag and req.headers.get("if-modified-since") == last_modified:
            return 304, hd, b""
        return status, hd, body

    return h


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler (the last one repeats)."""

    def h(req: Request) -> tuple[int, dict[str, str], bytes]:
        return handlers[min(req.n, len(handlers)) - 1](req)

    return h


def status(code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    return lambda req: (code, {"Content-Type": "text/plain", **(headers or {})}, body)


def redirect(to: str, code: int = 301) -> Handler:
    return lambda req: (code, {"Location": to, "Content-Type": "text/plain"}, b"moved")


def slow(seconds: float, then: Handler) -> Handler:
    def h(req: Request) -> tuple[int, dict[str, str], bytes]:
        time.sleep(seconds)
        return then(req)

    return h


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        site = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs: 40 ms a request

            def log_message(self, *a: Any) -> None:
                pass

            def do_HEAD(self) -> None:  # noqa: N802
                self.do_GET(head=True)

            def do_GET(self, head: bool = False) -> None:  # noqa: N802
                hit = Hit(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()},
                          method="HEAD" if head else "GET")
                with site.lock:
                    site.log.append(hit)
                    n = site.counts[self.path] = site.counts.get(self.path, 0) + 1
                handler = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
                if handler is None:
                    code, hd, body = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    code, hd, body = handler(Request(self.path, hit.headers, n))
                hit.status = code
                try:
                    self.send_response(code)
                    for k, v in hd.items():
                        self.send_header(k, v)
                    if code != 304:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if code != 304 and body and not head:
                        self.wfile.write(body)
                        hit.bytes = len(body)
                    self.wfile.flush()
                    hit.completed = True
                    hit.t_end = time.monotonic()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, handler: Handler | bytes, ctype: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = handler if callable(handler) else static(handler, ctype)
        return self.url(path)

    def requests(self, path: str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if path is None or h.path == path]

    def paths(self) -> list[str]:
        return [h.path for h in self.requests()]

    def served(self, path: str) -> int:
        """Responses with a body written completely for ``path``."""
        return sum(1 for h in self.requests(path) if h.completed and h.status == 200)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def rss(site: Site, items: list[tuple[str, str | None]]) -> bytes:
    """RSS 2.0 listing (path, pubDate or None) on ``site``."""
    out = []
    for i, (p, d) in enumerate(items):
        date = f"<pubDate>{d}</pubDate>" if d else ""
        out.append(f"<item><title>Bài {i}</title><link>{site.url(p) if p.startswith('/') else p}</link>{date}"
                   f"</item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Tin mới</title>"
            f"<link>{site.base}/</link>{''.join(out)}</channel></rss>").encode()


def atom(site: Site, items: list[tuple[str, str]]) -> bytes:
    out = "".join(f"<entry><title>Bài {i}</title><link rel='alternate' href='{p}'/><id>urn:{i}</id>"
                  f"<updated>{d}</updated><published>{d}</published></entry>" for i, (p, d) in enumerate(items))
    return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Tin</title><id>urn:feed</id><updated>2025-10-22T19:25:52+07:00</updated>"
            f"<link rel='self' href='{site.url('/atom.xml')}'/>{out}</feed>").encode()


def urlset(site: Site, items: list[tuple[str, dict[str, str]]], news: bool = False) -> bytes:
    out = []
    for p, meta in items:
        loc = site.url(p) if p.startswith("/") else p
        lm = f"<lastmod>{meta['lastmod']}</lastmod>" if "lastmod" in meta else ""
        nw = ""
        if news:
            nw = (f"<news:news><news:publication><news:name>Báo Test</news:name><news:language>vi</news:language>"
                  f"</news:publication><news:publication_date>{meta.get('published', '')}</news:publication_date>"
                  f"<news:title>{meta.get('title', '')}</news:title></news:news>")
        out.append(f"<url><loc>{loc}</loc>{lm}{nw}</url>")
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            f'{ns}>{"".join(out)}</urlset>').encode()


def sitemapindex(site: Site, paths: list[str]) -> bytes:
    out = "".join(f"<sitemap><loc>{site.url(p)}</loc></sitemap>" for p in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{out}</sitemapindex>").encode()

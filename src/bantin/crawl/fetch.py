"""One HTTP GET, politely and safely: httpx without proxy variables, bounded time and size, conditional requests.

``Fetcher.get`` never raises for network trouble: every outcome is a ``Response`` with a status or an error.
Redirects are not followed here — the crawler records both URLs and queues the target like any other URL (so
robots.txt, politeness and dedup apply to it). Retries are the frontier's business: ``classify`` says whether an
outcome is worth retrying and ``backoff`` how long to wait (exponential, with jitter, honouring Retry-After).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

from bantin import __version__

#: A body larger than this is not downloaded further (same limit as a file record).
MAX_BODY_BYTES = 32 * 1024 * 1024
#: Response headers kept with a page (frontier hints and the Raw's hints): what a reader may need, nothing more.
KEPT_HEADERS = ("content-type", "content-language", "content-length", "last-modified", "etag", "date", "link",
                "content-location", "x-robots-tag")
#: Statuses worth another try later: not found yet (sitemaps list pages before they go live), rate limits,
#: server trouble.
RETRY_STATUSES = frozenset({404, 408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,"
          "text/xml;q=0.9,*/*;q=0.5")

PRODUCT = "bantin"
#: A Retry-After longer than this is read as this.
MAX_RETRY_AFTER = 24 * 3600.0


def default_user_agent(contact: str | None = None) -> str:
    """``bantin/<version> (Vietnamese news archiver; +<contact>)`` — the product token robots.txt groups match."""
    tail = f"; +{contact}" if contact else ""
    return f"{PRODUCT}/{__version__} (Vietnamese news archiver{tail})"


def robots_token(user_agent: str) -> str:
    """The product token of a user agent ("bantin/0.1 (…)" → "bantin"), matched against robots.txt groups."""
    tok = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return tok or PRODUCT


@dataclass(slots=True)
class Response:
    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names, KEPT_HEADERS plus location
    body: bytes | None = None  # None for errors, 304s, redirects and bodies over the limit
    error: str | None = None  # "timeout: …", "connection: …", "too large: …"
    location: str | None = None
    retry_after: float | None = None  # seconds, from a Retry-After header
    started: float = 0.0  # time.monotonic() when the request was sent
    ended: float = 0.0  # time.monotonic() when the response was read (or the error happened)
    fetched_at: str = ""  # ISO 8601 UTC wall time of the request


def iso_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    v = value.strip()
    if v.isdigit():
        return float(v)
    try:
        dt = parsedate_to_datetime(v)
    except (TypeError, ValueError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return max(0.0, (dt - datetime.now(timezone.utc)).total_seconds())


class Fetcher:
    """A shared httpx client (thread-safe): ``get`` from any worker thread."""

    def __init__(self, user_agent: str | None = None, *, timeout: float = 20.0, max_bytes: int = MAX_BODY_BYTES,
                 transport: httpx.BaseTransport | None = None):
        self.user_agent = user_agent or default_user_agent()
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.client = httpx.Client(
            trust_env=False, follow_redirects=False, timeout=httpx.Timeout(timeout),
            headers={"User-Agent": self.user_agent, "Accept": ACCEPT, "Accept-Language": "vi,en;q=0.5"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16), transport=transport)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None, truncate: bool = False) -> Response:
        """GET ``url`` (conditionally when validators are given). The whole exchange, body included, must end
        within 3 × the timeout: a server trickling bytes cannot hold a crawl. A body over the limit is an error,
        or with ``truncate`` cut at the limit (robots.txt: only the first 500 KiB count)."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        res = Response(url=url, fetched_at=iso_now(), started=time.monotonic())
        deadline = res.started + 3 * self.timeout
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                res.status = r.status_code
                res.headers = {k: r.headers[k] for k in KEPT_HEADERS if k in r.headers}
                res.location = r.headers.get("location")
                res.retry_after = _retry_after(r.headers.get("retry-after"))
                if 200 <= r.status_code < 300:
                    declared = r.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit and not truncate:
                        res.error = f"too large: {int(declared):,} bytes declared (limit {limit:,})"
                        return res
                    chunks: list[bytes] = []
                    total = 0
                    for chunk in r.iter_bytes():
                        total += len(chunk)
                        if total > limit:
                            if truncate:
                                chunks.append(chunk[:len(chunk) - (total - limit)])
                                break
                            res.error = f"too large: more than {limit:,} bytes"
                            return res
                        if time.monotonic() > deadline:
                            res.error = f"timeout: body not complete after {3 * self.timeout:g} s"
                            return res
                        chunks.append(chunk)
                    res.body = b"".join(chunks)
        except httpx.TimeoutException as e:
            res.error = f"timeout: {type(e).__name__} after {self.timeout:g} s"
        except httpx.HTTPError as e:  # connection refused, reset, protocol errors, bad content encoding
            res.error = f"connection: {type(e).__name__}: {e}"[:500]
        except (UnicodeError, ValueError) as e:  # an unencodable URL
            res.error = f"bad request: {type(e).__name__}: {e}"[:500]
        finally:
            res.ended = time.monotonic()
        return res

    def close(self) -> None:
        self.client.close()


def classify(res: Response) -> str:
    """What a response means for its URL: ok | not_modified | redirect | retry | fail."""
    if res.error is not None:
        return "fail" if res.error.startswith(("too large", "bad request")) else "retry"
    s = res.status or 0
    if s == 304:
        return "not_modified"
    if s in REDIRECT_STATUSES:
        return "redirect" if res.location else "fail"
    if 200 <= s < 300:
        return "ok" if res.body is not None else "fail"
    if s in RETRY_STATUSES or 500 <= s < 600:
        return "retry"
    return "fail"


def backoff(attempt: int, base: float, cap: float = 3600.0, *, retry_after: float | None = None,
            rng: random.Random | None = None) -> float:
    """Seconds to wait before try ``attempt + 1`` after ``attempt`` failures: base·2^(attempt-1), capped, times a
    jitter in [0.5, 1.5) so many failing URLs do not come back at the same instant; never sooner than the
    server's Retry-After (up to a day), even past the cap."""
    r = rng.random() if rng is not None else random.random()
    delay = min(cap, base * (2 ** max(0, attempt - 1))) * (0.5 + r)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay

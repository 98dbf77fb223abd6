"""robots.txt, as RFC 9309 says: fetched once per host, cached, obeyed.

Parsing is protego's (longest match wins, ``*`` and ``$`` patterns, Allow/Disallow precedence, Crawl-delay,
Request-rate): on the tricky cases in ``bench/crawl.py`` it agrees with the RFC where ``urllib.robotparser`` does
not. Fetch outcomes follow the RFC: 2xx → the rules; 4xx → no rules (everything allowed); 5xx or no answer →
the host is treated as fully disallowed for now and asked again after a backoff; up to 5 redirects are
followed; only the first 500 KiB are read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego

from bantin.crawl.fetch import Fetcher, Response

MAX_ROBOTS_BYTES = 500 * 1024
#: A robots.txt that was read is kept this long (seconds); RFC 9309 asks for no more than 24 h.
TTL_OK = 24 * 3600.0


@dataclass(slots=True)
class Robots:
    host: str
    mode: str  # "rules" | "allow-all" (no robots.txt) | "unreachable" (disallow all, ask again later)
    parser: Protego | None = None
    status: int | None = None
    error: str | None = None
    expires: float = 0.0  # time.monotonic() after which it must be fetched again
    requests: list[Response] = field(default_factory=list)  # what fetching it took (for politeness accounting)

    def allowed(self, url: str, agent: str) -> bool:
        if self.mode == "allow-all":
            return True
        if self.mode == "unreachable" or self.parser is None:
            return False
        p = urlsplit(url)
        if p.path == "/robots.txt":
            return True
        return bool(self.parser.can_fetch(url, agent))

    def delay(self, agent: str) -> float | None:
        """Seconds between requests the host asks for (Crawl-delay, or Request-rate), if any."""
        if self.parser is None:
            return None
        out = []
        cd = self.parser.crawl_delay(agent)
        if cd is not None:
            out.append(float(cd))
        rr = self.parser.request_rate(agent)
        if rr is not None and rr.requests:
            out.append(float(rr.seconds) / float(rr.requests))
        return max(out) if out else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []

    def describe(self) -> str:
        if self.mode == "rules":
            return "robots.txt rules"
        if self.mode == "allow-all":
            return f"no robots.txt ({self.status or self.error})"
        return f"robots.txt unreachable ({self.error or self.status})"


def parse(host: str, text: str) -> Robots:
    return Robots(host=host, mode="rules", parser=Protego.parse(text), status=200)


def fetch(fetcher: Fetcher, host: str, *, retry_in: float = 60.0) -> Robots:
    """Fetch and read ``host``/robots.txt. Never raises; ``retry_in`` is how soon an unreachable one is retried."""
    url = host + "/robots.txt"
    requests: list[Response] = []
    for _hop in range(6):
        r = fetcher.get(url, max_bytes=MAX_ROBOTS_BYTES, truncate=True)
        requests.append(r)
        now = time.monotonic()
        if r.error is not None:
            return Robots(host, "unreachable", error=r.error, expires=now + retry_in, requests=requests)
        s = r.status or 0
        if 300 <= s < 400 and r.location:
            url = urljoin(url, r.location)
            continue
        if 200 <= s < 300:
            body = (r.body or b"")[:MAX_ROBOTS_BYTES]
            text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
            try:
                rb = parse(host, text)
            except Exception as e:  # noqa: BLE001 - a robots.txt protego cannot read: no usable rules
                return Robots(host, "allow-all", status=s, error=f"unreadable robots.txt: {e}",
                              expires=now + TTL_OK, requests=requests)
            rb.expires = now + TTL_OK
            rb.requests = requests
            return rb
        if 400 <= s < 500:
            return Robots(host, "allow-all", status=s, expires=now + TTL_OK, requests=requests)
        return Robots(host, "unreachable", status=s, error=f"HTTP {s}", expires=now + retry_in, requests=requests)
    # more than 5 redirects: RFC 9309 says treat as unavailable (allow all)
    return Robots(host, "allow-all", error="too many redirects", expires=time.monotonic() + TTL_OK,
                  requests=requests)

"""URL normalisation: one spelling per page, so the frontier never holds (or fetches) the same page twice.

``normalize_url`` lower-cases the scheme and host (IDNA for non-ASCII hosts), drops the default port, the
fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``, Zalo's ``zarsrc``/``gidzl``, …), gives an
empty path ``/``, and percent-encodes characters that must be encoded (non-ASCII, spaces) without touching
escapes already there. The order of the remaining query parameters is kept: some sites give it meaning.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit, urlunsplit

#: Query parameters that only say where a click came from. Matched case-insensitively; ``utm_*`` by prefix.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
    "zarsrc", "gidzl", "cmpid", "spm",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class BadURL(ValueError):
    """Not an http(s) URL we can fetch."""


def is_tracking(name: str) -> bool:
    n = name.lower()
    return n in TRACKING_PARAMS or n.startswith(_TRACKING_PREFIXES)


def normalize_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of an http(s) URL (resolved against ``base`` when given). Raises ``BadURL``."""
    u = url.strip()
    if base is not None:
        u = urljoin(base, u)
    elif not _SCHEME_RE.match(u) and not u.startswith("//"):
        u = "https://" + u  # a bare "vnexpress.net/rss" typed on the command line
    try:
        parts = urlsplit(u)
        port = parts.port
    except ValueError as e:
        raise BadURL(f"not a valid URL: {url!r} ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise BadURL(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadURL(f"no host in URL: {url!r}")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        host = host.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        raise BadURL(f"URL with credentials refused: {url!r}")
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    # drop tracking parameters segment by segment, leaving every other byte of the query as it was
    kept = [seg for seg in parts.query.split("&") if seg and not is_tracking(unquote(seg.split("=", 1)[0]))]
    query = quote("&".join(kept), safe=_SAFE_QUERY + "=&")
    return urlunsplit(SplitResult(scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """``scheme://host[:port]`` of a normalised URL: the unit of politeness and of robots.txt."""
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def try_normalize(url: str, base: str | None = None) -> str | None:
    try:
        return normalize_url(url, base)
    except BadURL:
        return None

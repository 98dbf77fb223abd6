"""Query parameters that only say where a click came from: the crawler drops them from the URLs it fetches
(``crawl/urls.py``) and the duplicate keys ignore them (``dedup/keys.py``). One list, kept here."""

from __future__ import annotations

from functools import lru_cache

#: Matched case-insensitively; ``utm_*``, ``pk_*``, ``mtm_*`` by prefix.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
    "zarsrc", "gidzl", "cmpid", "spm",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")


@lru_cache(maxsize=4096)
def is_tracking(name: str) -> bool:
    n = name.lower()
    return n in TRACKING_PARAMS or n.startswith(_TRACKING_PREFIXES)

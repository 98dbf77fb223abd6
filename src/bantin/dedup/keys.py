"""Exact-duplicate keys: a content key over the normalised text and a key over the normalised URL. Pure.

The content key is a hash of the body's line keys (``fold.text_keys``: NFC, one tone-mark style, lower case,
spaces and punctuation removed — diacritics kept, so ma/má/mà stay apart), leaving out lines that are
boilerplate: the generic navigation and share prompts below, and the lines learned per outlet
(``dedup.boilerplate``). Two articles whose bodies differ only in spacing, case, tone-mark style or those lines
get the same key. An article without body paragraphs is keyed by its lead.

The URL key drops what does not change the page: scheme, ``www.``/``m.``/``mobile.``/``amp.`` host prefixes,
``/amp`` path parts and ``.amp`` suffixes, tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``zarsrc`` …),
fragments, default ports and trailing slashes; the remaining parameters are sorted.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

from bantin.clean.fold import text_key, text_keys
from bantin.clean.tracking import is_tracking

KEYS_VERSION = "keys-1"

#: Line keys (``text_key`` form) that are navigation or share prompts on any outlet. Whole lines only.
GENERIC_BOILERPLATE = frozenset(text_key(s) for s in (
    "Tin liên quan", "Tin liên quan:", "Bài liên quan", "Xem thêm", "Xem thêm:", "Đọc thêm", "Tin cùng chuyên mục",
    "Tin mới nhất", "Tin nổi bật", "Chia sẻ", "Chia sẻ bài viết", "Chia sẻ:", "Bình luận", "Gửi bình luận",
    "Ý kiến bạn đọc", "Bạn nghĩ sao?", "Quay lại", "Về đầu trang", "Lên đầu trang", "In bài viết", "Bản in",
    "Theo dõi chúng tôi trên Google News", "Theo dõi báo trên Google News", "Like", "Share", "Tweet",
    "Video đang được quan tâm", "Mời quý độc giả theo dõi các video", "Xem video", "Quảng cáo",
))

#: Beyond the tracking parameters (``clean.tracking``, which the crawler drops too: they never name another page),
#: referrer and campaign tags that may matter to a server but not to which text a URL holds.
_NOT_IDENTITY = re.compile(r"^(zalo_source|ref|ref_src|refsrc|itm_.*|s_cid|trk|vnecampaign|amp|outputtype)$",
                           re.IGNORECASE)
_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "wap.")


def url_key(url: str | None) -> str | None:
    """Normalised form of a URL for exact-duplicate detection, or None when there is no usable URL."""
    if not url:
        return None
    u = url.strip()
    if not u:
        return None
    try:
        parts = urlsplit(u if "//" in u else "//" + u)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    changed = True
    while changed:
        changed = False
        for p in _HOST_PREFIXES:
            if host.startswith(p) and host.count(".") >= 2:
                host = host[len(p):]
                changed = True
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    segs = [s for s in parts.path.split("/") if s and s.lower() != "amp"]
    if segs:
        last = segs[-1]
        for suffix in (".amp", ".amp.html"):
            if last.lower().endswith(suffix) and len(last) > len(suffix):
                segs[-1] = last[: -len(suffix)] + (".html" if suffix == ".amp.html" else "")
    path = "/".join(segs)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not is_tracking(k) and not _NOT_IDENTITY.match(k))
    key = host + ("/" + path if path else "")
    if query:
        key += "?" + urlencode(query)
    return key


def line_keys(paragraphs: Sequence[str]) -> list[str]:
    """The ``text_key`` of each paragraph (one vectorised pass)."""
    return text_keys([p.replace("\n", " ") for p in paragraphs]) if paragraphs else []


def hash_key(key: str) -> int:
    """A line key's 63-bit hash (what boilerplate learning counts and stores): two CRC-32s (fast, stable;
    collisions among one outlet's lines are negligible at 63 bits)."""
    b = key.encode("utf-8")
    return ((zlib.crc32(b) << 32) | zlib.crc32(b, 0x9E3779B9)) >> 1


def content_key(keys: Iterable[str], lead: str | None = None, skip: frozenset[int] | None = None) -> str:
    """Hash of the body's non-empty, non-boilerplate line keys (or of the lead's key when there are none).

    ``skip`` holds hashes (``hash_key``) of lines learned as boilerplate for the article's outlet.
    """
    kept = [k for k in keys if k and k not in GENERIC_BOILERPLATE and not (skip and hash_key(k) in skip)]
    if not kept and lead:
        kept = [text_key(lead)]
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(kept).encode("utf-8"))
    return h.hexdigest()


def is_generic_boilerplate(key: str) -> bool:
    return key in GENERIC_BOILERPLATE

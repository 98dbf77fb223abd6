"""Which outlet a URL belongs to: a small table of the major Vietnamese news sites (``data/outlets.tsv``).

``outlet_for(url_or_host)`` → ``Outlet(domain, name, aliases)`` or None. A host matches its domain or any
subdomain (``hcm.24h.com.vn`` → 24h); the longest matching domain wins (``e.vnexpress.net`` is VnExpress
International, not VnExpress). ``display_name(url)`` gives the name to show, falling back to the bare host
(without ``www.``/``m.``) for sites not in the table. The HTML reader also uses the names to cut outlet
suffixes off page titles (" - VnExpress", " | Báo Thanh Niên"); ``name_for`` maps a name an input gives
("NLĐO", "Báo Thanh Niên") to the display name. It lives in ``clean`` because clean (every reader's URLs and
outlet names) and the readers both use it, and clean must not import ``sources``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.", "www1.", "www2.")


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the outlet goes by, display name first."""
        return (self.name, *self.aliases)


def parse_table(text: str) -> dict[str, Outlet]:
    out: dict[str, Outlet] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"outlets.tsv line {n}: expected DOMAIN<TAB>NAME[<TAB>ALIAS|ALIAS...]: {line!r}")
        domain = parts[0].strip().lower()
        aliases = tuple(a.strip() for a in parts[2].split("|") if a.strip()) if len(parts) > 2 else ()
        out[domain] = Outlet(domain, parts[1].strip(), aliases)
    return out


@lru_cache(maxsize=1)
def table() -> dict[str, Outlet]:
    text = resources.files("bantin").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
    return parse_table(text)


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL (or of a bare host name), without ``www.``-style prefixes."""
    if not url:
        return None
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    return host


@lru_cache(maxsize=4096)
def _for_host(host: str) -> Outlet | None:
    t = table()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        o = t.get(".".join(parts[i:]))
        if o is not None:
            return o
    return None


def outlet_for(url: str | None) -> Outlet | None:
    host = host_of(url)
    return _for_host(host) if host else None


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    from bantin.clean.fold import fold

    out = set()
    for o in table().values():
        for n in (*o.names, o.domain):
            k = " ".join(fold(n).split())
            out.add(k)
            if not k.startswith("bao "):
                out.add("bao " + k)
    return frozenset(out)


def is_outlet_name(text: str) -> bool:
    """Whether ``text`` is the name of an outlet in the table ("Báo Thanh Niên", "Dân trí", "VnExpress.net")."""
    from bantin.clean.fold import fold

    return " ".join(fold(text).split()) in _known_names()


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    from bantin.clean.fold import fold

    out: dict[str, str] = {}
    for o in table().values():
        for n in (*o.names, o.domain):
            out.setdefault(" ".join(fold(n).split()), o.name)
    return out


def name_for(text: str) -> str | None:
    """The display name of the outlet that ``text`` names ("NLĐO" → "Người Lao Động", "dantri.com.vn" →
    "Dân trí", "Báo Thanh Niên" → "Thanh Niên"), or None."""
    from bantin.clean.fold import fold

    k = " ".join(fold(text).split()).strip(" .")
    if not k:
        return None
    by = _by_name()
    if k in by:
        return by[k]
    if k.startswith("bao "):
        return by.get(k[4:])
    o = outlet_for(k) if "." in k and " " not in k else None
    return o.name if o is not None else None


def name_key(name: str | None) -> str:
    """What makes two outlet names one outlet (``Bantin.stats`` counts an archive's spellings together): the
    table's display name ("Dân Trí", "Báo Dân trí" → "Dân trí"), else the name in any letter case and spacing
    ("Báo Mẫu" = "báo  mẫu")."""
    if not name:
        return ""
    return name_for(name) or " ".join(name.casefold().split())


def display_name(url: str | None) -> str | None:
    """The outlet's display name for a URL; the bare host for sites not in the table; None without a host."""
    host = host_of(url)
    if host is None:
        return None
    o = _for_host(host)
    return o.name if o is not None else host

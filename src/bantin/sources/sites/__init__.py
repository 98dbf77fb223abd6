"""Per-outlet parsers (Fundus style): one short module per outlet, next to ``base.py``.

An outlet gets its own parser only where the generic extractor (trafilatura + the Vietnamese layer in
``htmltext``) was measured to get its pages wrong or incomplete. Each parser lists XPath selectors for the parts
of the page it knows; whatever a selector does not find falls back to the generic path. Every parser has a gold
fixture that the tests replay: ``tests/sources/fixtures/sites/<outlet>.html`` + ``.json``, or real pages of the
manifest (``MANIFEST.json`` + ``gold/``, fetched by ``bench/fetch_pages.py``) beside a small page written for the test
in the layout's shape (``tests/sources/test_outlet_rules.py``).
"""

from __future__ import annotations

from typing import Any

from bantin.sources.sites.base import SiteFields, SiteParser

#: Registered parsers; ``parser_for`` matches a host against each parser's domains (subdomains included).
PARSERS: list[SiteParser] = []


def register(parser: SiteParser) -> SiteParser:
    PARSERS.append(parser)
    _BY_DOMAIN.update({d: parser for d in parser.domains})
    return parser


_BY_DOMAIN: dict[str, SiteParser] = {}


def parser_for(host: str | None) -> SiteParser | None:
    if not host:
        return None
    parts = host.lower().split(".")
    for i in range(len(parts) - 1):
        p = _BY_DOMAIN.get(".".join(parts[i:]))
        if p is not None:
            return p
    return None


def sniff(tree: Any) -> SiteParser | None:
    """For a page with no URL (a saved file): the parser whose title and text selectors both match it. The
    selectors name outlet-specific classes (fck_detail, singular-content, newsdetail_wrapper…), so a page of
    another site matches none of them and goes to the generic path."""
    for p in PARSERS:
        if p.matches(tree):
            return p
    return None


def _load() -> None:
    from bantin.sources.sites import dantri, genk, h24, teen9x, tienphong, vnexpress, zing  # noqa: F401 - each registers itself


_load()

__all__ = ["PARSERS", "SiteFields", "SiteParser", "parser_for", "register", "sniff"]

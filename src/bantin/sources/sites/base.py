"""The base every per-outlet parser fills in: XPath selectors for the parts of an article page.

A parser is data more than code: ``title``, ``sapo``, ``paragraphs``, ``byline``, ``captions``, ``date``,
``section`` are XPath expressions (``None`` = let the generic extractor do it). ``extract`` runs them on the page
and returns ``SiteFields``; the HTML reader uses what was found and falls back to the generic path for the rest.
A selector that finds nothing (the outlet changed its layout) simply means the generic path is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from bantin.clean.dates import ParsedDate, is_date_line, parse_date
from bantin.sources.htmlmeta import DateFound, squash, text_of
from bantin.sources.htmltext import Block, container_blocks


@dataclass(slots=True)
class SiteFields:
    blocks: list[Block] = field(default_factory=list)  # body paragraphs in reading order (byline included)
    sapo: str | None = None
    caption_elements: list[Any] = field(default_factory=list)
    date: DateFound | None = None
    section: str | None = None


def _xp(expr: str | None) -> etree.XPath | None:
    return etree.XPath(expr) if expr else None


class SiteParser:
    """Subclass and set the class attributes; see ``vnexpress.py``."""

    name: str = ""
    domains: tuple[str, ...] = ()
    title: str | None = None  # heading element(s) holding the title
    sapo: str | None = None
    container: str | None = None  # the article body element; paragraphs are searched inside it
    paragraphs: str | None = None  # relative to the container: the text blocks (None: every block inside it)
    byline: str | None = None  # relative to the container: which of the paragraphs are the byline
    captions: str | None = None  # relative to the container
    date: str | None = None  # element(s) whose text is the visible date line
    section: str | None = None  # breadcrumb items, the first is the section

    def __init__(self) -> None:
        self._title = _xp(self.title)
        self._sapo = _xp(self.sapo)
        self._container = _xp(self.container)
        self._paragraphs = _xp(self.paragraphs)
        self._byline = _xp(self.byline)
        self._captions = _xp(self.captions)
        self._date = _xp(self.date)
        self._section = _xp(self.section)

    def matches(self, tree: Any) -> bool:
        """Whether the page has this outlet's layout: its title and its text container are both there."""
        return self._title is not None and self._container is not None and bool(self._title(tree)) and \
            len(self._container(tree)) == 1

    def title_elements(self, tree: Any) -> list[Any]:
        return list(self._title(tree)) if self._title is not None else []

    def extract(self, tree: Any) -> SiteFields:
        f = SiteFields()
        sapo_el = None
        if self._sapo is not None:
            for el in self._sapo(tree):
                t = self.sapo_text(el)
                if t:
                    f.sapo, sapo_el = t, el
                    break
        box = self._container(tree)[0] if self._container is not None and self._container(tree) else None
        if box is not None:
            bylines = set(self._byline(box)) if self._byline is not None else set()
            if self._paragraphs is None:
                # a lead printed inside the text's container (GenK) is the sapo, not a body block
                skip = {sapo_el} if sapo_el is not None else None
                f.blocks = [b if b.kind != "p" or not any(b.text == bt for bt in map(text_of, bylines))
                            else Block(b.text, "p", "author") for b in container_blocks(box, skip)]
            else:
                for el in self._paragraphs(box):
                    if el.find(".//br") is not None and el not in bylines:
                        # one element, several printed paragraphs ("…<BR><BR>…"), as the generic path reads them
                        f.blocks.extend(Block(b.text, b.kind, el.get("class") or "") for b in container_blocks(el))
                        continue
                    t = self.paragraph_text(el)
                    if not t:
                        continue
                    if el in bylines:  # the generic byline step reads it (authors, credit)
                        f.blocks.append(Block(t, "p", "author"))
                    else:
                        kind = "head" if el.tag in ("h2", "h3", "h4") else "caption" if el.tag == "figcaption" else "p"
                        f.blocks.append(Block(t, kind, el.get("class") or ""))
            if self._captions is not None:
                f.caption_elements = list(self._captions(box))
        if self._date is not None:
            for el in self._date(tree):
                t = text_of(el)
                pd = self.date_of(t, tree)
                if pd is not None:
                    f.date = DateFound(pd, t, f"site:{self.name}")
                    break
        if self._section is not None:
            for el in self._section(tree):
                t = text_of(el)
                if t:
                    f.section = t
                    break
        return f

    def date_of(self, text: str, tree: Any) -> ParsedDate | None:
        """The date printed in a date element (a subclass reads a format the Vietnamese date parser does not)."""
        return is_date_line(text.strip(" |-")) or parse_date(text)

    def paragraph_text(self, el: Any) -> str:
        return squash(el.text_content())

    def sapo_text(self, el: Any) -> str:
        """The lead as one paragraph; its lines (``<br>``, inner blocks) joined by a space, not glued."""
        return " ".join(b.text for b in container_blocks(el)) or text_of(el)

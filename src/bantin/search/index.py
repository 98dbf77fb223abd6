"""What an article contributes to the full-text index: its title, lead and body in the exact search form.

The index holds one form only (NFC, one tone-mark style, lower case — see ``fold.exact``); diacritic-insensitive
matching expands the query instead (``variants``). Computed in the pipeline (worker processes), not in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from bantin.clean.fold import exact
from bantin.model import Article


@dataclass(slots=True)
class IndexForms:
    title: str
    sapo: str
    body: str


def index_forms(article: Article) -> IndexForms:
    return IndexForms(
        title=exact(article.title),
        sapo=exact(article.sapo or ""),
        body=exact("\n".join(article.paragraphs + article.captions)),
    )

"""What an article contributes to the full-text index: its title, lead and body in the index form.

The index holds one form only (``fold.index_form``: NFC, lower case); tone-mark style and diacritic-insensitive
matching expand the query instead (``fold.tone_twins``, ``variants``). Computed in the pipeline (worker
processes), not in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from bantin.clean.fold import index_form
from bantin.model import Article


@dataclass(slots=True)
class IndexForms:
    title: str
    sapo: str
    body: str


def index_forms(article: Article) -> IndexForms:
    return IndexForms(
        title=index_form(article.title),
        sapo=index_form(article.sapo or ""),
        body=index_form("\n".join(article.paragraphs + article.captions)),
    )

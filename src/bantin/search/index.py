"""What an article contributes to the full-text index: its title, lead and body in the index form.

The index holds one form only (``fold.index_form``: NFKC, lower case); tone-mark style and diacritic-insensitive
matching expand the query instead (``fold.tone_twins``, ``variants``). Computed in the pipeline (worker
processes), not in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bantin.clean.fold import index_form
from bantin.model import Article


@dataclass(slots=True)
class IndexForms:
    title: str
    sapo: str
    body: str


def indexed_texts(article: Article | dict[str, Any]) -> tuple[str, str, str]:
    """(title, sapo, body) as stored: what the full-text columns hold before ``index_form``. Takes an article
    or its ``to_dict()`` form (search reads stored documents without making articles)."""
    if isinstance(article, dict):
        d = article
        return (d.get("title") or "", d.get("sapo") or "",
                "\n".join((d.get("paragraphs") or []) + (d.get("captions") or [])))
    return article.title, article.sapo or "", "\n".join(article.paragraphs + article.captions)


def index_forms(article: Article) -> IndexForms:
    """The index rows of an article, made with the fold version it records (an article indexed by an older
    version is deleted from the contentless index with exactly the values it was indexed with)."""
    title, sapo, body = indexed_texts(article)
    v = article.versions.get("fold") or "fold-1"
    return IndexForms(title=index_form(title, v), sapo=index_form(sapo, v), body=index_form(body, v))

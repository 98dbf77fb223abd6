"""The entity stage: people, places and organisations of an article, as an annotation.

Pure: ``Article`` in, the same article out with ``annotations["entities"]`` and ``versions["ner"]`` set.
Mentions are found over the whole article (title, lead and body together, so "ông Bân" in the body resolves to
"Uông Văn Bân" named in the lead) and reported per field with offsets into that field's text (the body's text is
its paragraphs joined by "\\n").
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bantin.enrich.ner import MODEL_VERSION, extract_entities
from bantin.model import Article

FIELDS = ("title", "sapo", "body")


def article_fields(article: Article) -> list[tuple[str, str]]:
    return [("title", article.title), ("sapo", article.sapo or ""), ("body", "\n".join(article.paragraphs))]


def annotate_entities(article: Article) -> Article:
    fields = article_fields(article)
    # one text, fields separated by a blank line so no entity can span two fields
    text = "\n\n".join(t for _f, t in fields)
    mentions: list[dict[str, Any]] = []
    starts = []
    pos = 0
    for name, t in fields:
        starts.append((pos, pos + len(t), name))
        pos += len(t) + 2
    for e in extract_entities(text):
        for lo, hi, field in starts:
            if lo <= e.start and e.end <= hi:
                mentions.append({"field": field, "start": e.start - lo, "end": e.end - lo, "text": e.text,
                                 "type": e.type, "name": e.name})
                break
    article.annotations["entities"] = mentions
    article.versions["ner"] = MODEL_VERSION
    return article


def entity_counts(article: Article) -> list[tuple[str, str, int]]:
    """(canonical name, type, mentions) of each distinct entity of an annotated article."""
    c = Counter((m["name"], m["type"]) for m in article.annotations.get("entities", ()) if m.get("name"))
    return [(name, typ, n) for (name, typ), n in sorted(c.items())]

"""The facts stages: dates mentioned, amounts, quotes with speakers, topic, keywords and summary.

Each is pure: ``Article`` in, the same article out with one annotation set. Like the entity stage, the spans are
found over title, lead and body together (fields joined by a blank line) and stored per field with offsets into
that field's text (body = paragraphs joined by "\\n"):

- ``annotations["dates"]``: ``[{field, start, end, text, value, granularity, value_end, part, relative}]``,
  ``value`` ISO 8601 at its granularity, resolved against the article's publication time (``None`` without one);
- ``annotations["amounts"]``: ``[{field, start, end, text, value, value_max, unit, approx}]``;
- ``annotations["quotes"]``: ``[{field, start, end, text, speaker, speaker_role, speaker_entity}]`` (needs the
  entity stage before it for names; without it, speakers are the printed phrases);
- ``annotations["topic"]``: one label of ``enrich.topic.TAXONOMY``;
- ``annotations["keywords"]``: a few words and phrases; ``annotations["summary"]``: 2–3 sentences of the body.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from bantin.model import Article

FACTS_VERSION = "facts-1"


def combined(article: Article) -> tuple[str, list[tuple[int, int, str]]]:
    from bantin.enrich.entities import article_fields

    fields = article_fields(article)
    bounds, pos = [], 0
    for name, t in fields:
        bounds.append((pos, pos + len(t), name))
        pos += len(t) + 2
    return "\n\n".join(t for _f, t in fields), bounds


def _locate(bounds: list[tuple[int, int, str]], start: int, end: int) -> tuple[str, int, int] | None:
    for lo, hi, field in bounds:
        if lo <= start and end <= hi:
            return field, start - lo, end - lo
    return None


def reference_time(published_at: str | datetime | None) -> datetime | None:
    if isinstance(published_at, datetime):
        return published_at
    if isinstance(published_at, str) and published_at.strip():
        try:
            return datetime.fromisoformat(published_at.strip())
        except ValueError:
            from bantin.clean.dates import parse_date

            pd = parse_date(published_at)
            return pd.value if pd is not None else None
    return None


# -- plain text (annotate and the stages share these) --------------------------------------------------------
def dates_in(text: str, ref: datetime | None) -> list[dict[str, Any]]:
    from bantin.clean.dates import find_mentions

    return [{"start": m.start, "end": m.end, "text": text[m.start:m.end], "value": m.iso(),
             "granularity": m.granularity, "value_end": m.iso_end(), "part": m.part, "relative": m.relative}
            for m in find_mentions(text, ref=ref)]


_CLUSTER = re.compile(r".[\u0300-\u036f]*", re.S)


def _nfc(text: str) -> tuple[str, list[int], list[int], list[int]] | None:
    """Text not in NFC (decomposed tone marks): (NFC text, start and end in ``text`` of each NFC character, NFC
    position of each ``text`` position). None when it already is NFC."""
    if unicodedata.is_normalized("NFC", text):
        return None
    out, starts, ends = [], [], []
    back = [0] * (len(text) + 1)
    for m in _CLUSTER.finditer(text):
        a, b = m.span()
        for i in range(a, b):
            back[i] = len(out)
        for ch in unicodedata.normalize("NFC", m.group()):
            out.append(ch)
            starts.append(a)
            ends.append(b)
    back[len(text)] = len(out)
    return "".join(out), starts, ends, back


def _spans_back(items: list[dict[str, Any]], text: str, nfc) -> list[dict[str, Any]]:
    _s, starts, ends, _b = nfc
    for x in items:
        a, b = x["start"], x["end"]
        x["start"], x["end"] = starts[a], (ends[b - 1] if b > a else starts[a])
        x["text"] = text[x["start"]:x["end"]]
    return items


def amounts_in(text: str) -> list[dict[str, Any]]:
    from bantin.enrich.amounts import find_amounts

    nfc = _nfc(text)
    if nfc is not None:  # offsets stay into the text as given
        return _spans_back(amounts_in(nfc[0]), text, nfc)
    return [a.to_dict(text) for a in find_amounts(text)]


def quotes_in(text: str, entities: list) -> list[dict[str, Any]]:
    from bantin.enrich.quotes import find_quotes

    return [q.to_dict(text) for q in find_quotes(text, entities)]  # find_quotes reads NFD text in NFC itself


def summary_of(title: str, text: str) -> str:
    from bantin.enrich.summary import summarize

    return " ".join(text[a:b] for a, b in summarize(title, text))


def keywords_of(title: str, text: str, names: list[str]) -> list[str]:
    """Keywords of an article; none for a text shorter than ``topic.MIN_TEXT`` (nothing to set apart)."""
    from bantin.enrich.keywords import keywords
    from bantin.enrich.topic import MIN_TEXT

    if len(title) + len(text) < MIN_TEXT:
        return []
    return keywords(title, text, names)


# -- the stages --------------------------------------------------------------------------------------------
def _safe(name: str):
    """A fact stage that fails on one article leaves that annotation out and flags it (``enrich-failed:NAME``)
    rather than rejecting an article that was read and cleaned: facts are extras, the article is the record."""

    def wrap(stage):
        import functools

        @functools.wraps(stage)
        def run(article: Article) -> Article:
            try:
                return stage(article)
            except Exception:  # noqa: BLE001 - one odd text must not cost the article
                article.annotations.pop(name, None)
                flag = f"enrich-failed:{name}"
                if flag not in article.flags:
                    article.flags.append(flag)
                return article
        return run
    return wrap



def _per_field(items: list[dict[str, Any]], bounds) -> list[dict[str, Any]]:
    out = []
    for it in items:
        loc = _locate(bounds, it["start"], it["end"])
        if loc is None:
            continue  # spans two fields: not one mention
        field, s, e = loc
        out.append({"field": field, **it, "start": s, "end": e})
    return out


def _entities_combined(article: Article, bounds) -> list[dict[str, Any]]:
    offs = {name: lo for lo, _hi, name in bounds}
    return [{**m, "start": m["start"] + offs[m["field"]], "end": m["end"] + offs[m["field"]]}
            for m in article.annotations.get("entities", ()) if m.get("field") in offs]


@_safe("dates")
def annotate_dates(article: Article) -> Article:
    text, bounds = combined(article)
    article.annotations["dates"] = _per_field(dates_in(text, reference_time(article.published_at)), bounds)
    article.versions["facts"] = FACTS_VERSION
    return article


@_safe("amounts")
def annotate_amounts(article: Article) -> Article:
    text, bounds = combined(article)
    article.annotations["amounts"] = _per_field(amounts_in(text), bounds)
    article.versions["facts"] = FACTS_VERSION
    return article


@_safe("quotes")
def annotate_quotes(article: Article) -> Article:
    text, bounds = combined(article)
    article.annotations["quotes"] = _per_field(quotes_in(text, _entities_combined(article, bounds)), bounds)
    article.versions["facts"] = FACTS_VERSION
    return article


@_safe("topic")
def annotate_topic(article: Article) -> Article:
    from bantin.enrich.topic import topic_of, topic_version

    body = "\n".join(filter(None, [article.sapo, *article.paragraphs]))
    t = topic_of(article.title, body, article.section, article.url)
    if t["label"] is not None:
        article.annotations["topic"] = t["label"]
    article.versions["topic"] = topic_version() if t["source"] != "section" and t["source"] != "url" else \
        f"section:{t['source']}"
    return article


@_safe("keywords")
def annotate_keywords(article: Article) -> Article:
    names = sorted({m["name"] for m in article.annotations.get("entities", ())
                    if m.get("name") and m.get("type") in ("PER", "LOC", "ORG")})
    body = "\n".join(filter(None, [article.sapo, *article.paragraphs]))
    article.annotations["keywords"] = keywords_of(article.title, body, names)
    article.versions["facts"] = FACTS_VERSION
    return article


@_safe("summary")
def annotate_summary(article: Article) -> Article:
    body = "\n".join(article.paragraphs) or (article.sapo or "")
    article.annotations["summary"] = summary_of(article.title, body)
    article.versions["facts"] = FACTS_VERSION
    return article

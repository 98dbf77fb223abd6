"""``bantin.annotate(text, published_at=None)``: entities, dates, amounts, quotes, topic, keywords and summary of
any text, no archive needed.

Offsets are character offsets into ``text`` exactly as given (no normalisation shifts them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bantin.enrich import facts
from bantin.enrich.ner import MODEL_VERSION, extract_entities


def annotate(text: str, published_at: str | datetime | None = None) -> dict[str, Any]:
    """{"entities": [{start, end, text, type, name}], "dates": [{start, end, text, value, granularity, value_end,
    part, relative}], "amounts": [{start, end, text, value, value_max, unit, approx}], "quotes": [{start, end, text,
    speaker, speaker_role, speaker_entity}], "topic", "keywords", "summary", "versions"}.

    ``published_at`` (ISO string or datetime) resolves relative and year-less dates ("hôm qua", "ngày 14/5");
    without it they come back with ``value: null``. A text shorter than 200 characters gets no topic (null) and no
    keywords: a line says too little to classify.
    """
    if not isinstance(text, str):
        raise TypeError("annotate() takes a str")
    from bantin.enrich.topic import topic_of, topic_version

    ref = facts.reference_time(published_at)
    ents = extract_entities(text)
    entities = [{"start": e.start, "end": e.end, "text": e.text, "type": e.type, "name": e.name} for e in ents]
    names = sorted({e["name"] for e in entities if e["name"] and e["type"] in ("PER", "LOC", "ORG")})
    title, _, body = text.partition("\n") if "\n" in text else ("", "", text)
    topic = topic_of(title, body)
    return {"entities": entities, "dates": facts.dates_in(text, ref), "amounts": facts.amounts_in(text),
            "quotes": facts.quotes_in(text, entities), "topic": topic["label"],
            "keywords": facts.keywords_of(title, body, names), "summary": facts.summary_of(title, body),
            "versions": {"ner": MODEL_VERSION, "facts": facts.FACTS_VERSION, "topic": topic_version()}}

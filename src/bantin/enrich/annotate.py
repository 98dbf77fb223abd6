"""``bantin.annotate(text, published_at=None)``: entities (and dates mentioned) of any text, no archive needed.

Offsets are character offsets into ``text`` exactly as given (no normalisation shifts them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bantin.clean.dates import find_dates
from bantin.enrich.ner import MODEL_VERSION, extract_entities


def annotate(text: str, published_at: str | datetime | None = None) -> dict[str, Any]:
    """{"entities": [{start, end, text, type, name}], "dates": [{start, end, text, value, granularity}], ...}.

    ``published_at`` (ISO string or datetime) resolves relative and year-less dates ("hôm qua", "ngày 14/5").
    """
    if not isinstance(text, str):
        raise TypeError("annotate() takes a str")
    ref = None
    if isinstance(published_at, datetime):
        ref = published_at
    elif isinstance(published_at, str) and published_at.strip():
        try:
            ref = datetime.fromisoformat(published_at.strip())
        except ValueError:
            from bantin.clean.dates import parse_date

            pd = parse_date(published_at)
            ref = pd.value if pd is not None else None
    entities = [{"start": e.start, "end": e.end, "text": e.text, "type": e.type, "name": e.name}
                for e in extract_entities(text)]
    dates = [{"start": d.start, "end": d.end, "text": text[d.start:d.end], "value": d.iso(),
              "granularity": d.granularity, "relative": d.relative} for d in find_dates(text, ref=ref)]
    return {"entities": entities, "dates": dates, "versions": {"ner": MODEL_VERSION}}

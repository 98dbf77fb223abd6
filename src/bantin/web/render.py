"""Turning untrusted article text into safe HTML: every piece of text is escaped here or by Jinja's autoescape;
links are made only to http(s) URLs and to this site's own pages.

Annotations are drawn over the text they point into (offsets per field; the body is the paragraphs joined by
"\\n"): entities become links to their pages; dates, amounts and quotes (issue 12's enrichers) get a mark with
their value. Spans that cross each other are dropped rather than drawn wrong; spans that nest are drawn nested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from bantin.archive import marks_to_spans

ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")


def safe_href(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL without spaces or control characters, else None (never
    ``javascript:``, ``data:`` or anything a browser would run)."""
    if not isinstance(url, str) or not url or len(url) > 4000:
        return None
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def entity_url(name: str, type: str | None = None) -> str:  # noqa: A002
    """This site's page for an entity (the name percent-encoded, so nothing in it is a path or a query)."""
    url = "/entities/" + quote(name, safe="")
    if type in ENTITY_TYPES:
        url += "?type=" + type
    return url


def entity_feed_url(name: str, type: str | None = None) -> str:  # noqa: A002
    """The Atom feed of an entity's latest articles."""
    url = "/entities/" + quote(name, safe="") + ".atom"
    return url + ("?type=" + type if type in ENTITY_TYPES else "")


_SAFE_SNIPPET = re.compile(r"(?:[^<>]|<mark>|</mark>)*")


def snippet_html(snippet: str) -> Markup:
    """A search snippet as HTML: only <mark> may survive. Snippets are made escaped (``search.snippet``); one that
    holds nothing but escaped text and <mark> tags is used as it is, anything else is rebuilt from its parts, each
    escaped again."""
    snippet = snippet or ""
    if _SAFE_SNIPPET.fullmatch(snippet):
        return Markup(snippet)
    out = []
    for text, marked in marks_to_spans(snippet or ""):
        t = escape(text)
        out.append(Markup("<mark>") + t + Markup("</mark>") if marked else t)
    return Markup("").join(out)


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # entity | quote | date | amount
    data: dict[str, Any]

    def open(self, t: Any) -> Markup:
        d = self.data
        if self.kind == "entity":
            typ = d.get("type") if d.get("type") in ENTITY_TYPES else "MISC"
            name = str(d.get("name") or "")
            return Markup('<a class="ent ent-{}" href="{}" title="{}">').format(
                typ, entity_url(name, typ), f"{name} · {t(typ)}")
        if self.kind == "quote":
            who = d.get("speaker")
            title = f"{t('said')}: {who}" if isinstance(who, str) and who else t("quotes")
            return Markup('<span class="quote" title="{}">').format(title)
        if self.kind == "date":
            return Markup('<span class="date" title="{}">').format(str(d.get("value") or ""))
        unit = d.get("unit")
        value = d.get("value")
        label = " ".join(str(x) for x in (_num(value), unit) if x not in (None, ""))
        return Markup('<span class="amount" title="{}">').format(label)

    def close(self) -> Markup:
        return Markup("</a>") if self.kind == "entity" else Markup("</span>")


def _num(v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None if v is None else str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:  # past 2**53 a float's digits are not the text's
        v = int(v)
    return f"{v:,}".replace(",", " ") if isinstance(v, int) else f"{v:g}"


_KINDS = (("quotes", "quote"), ("entities", "entity"), ("dates", "date"), ("amounts", "amount"))
_NEST_ORDER = {"quote": 0, "entity": 1, "date": 2, "amount": 2}


def field_spans(annotations: dict[str, Any], field: str, text: str) -> list[Span]:
    """The annotation spans that point into ``text`` (the article's ``field``), checked: offsets inside the text
    and, where the annotation says what text it covers, that text."""
    out: list[Span] = []
    for key, kind in _KINDS:
        items = annotations.get(key)
        if not isinstance(items, list):
            continue
        for m in items:
            if not isinstance(m, dict):
                continue
            if m.get("field", "body") != field:
                continue
            s, e = m.get("start"), m.get("end")
            if not isinstance(s, int) or not isinstance(e, int) or isinstance(s, bool) or isinstance(e, bool):
                continue
            if not 0 <= s < e <= len(text):
                continue
            if kind != "quote" and isinstance(m.get("text"), str) and text[s:e] != m["text"]:
                continue
            if kind == "entity" and not m.get("name"):
                continue
            out.append(Span(s, e, kind, m))
    return out


def _nestable(spans: list[Span]) -> list[Span]:
    """Spans sorted for drawing; a span that crosses one already kept, or an entity inside an entity, is dropped."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end, _NEST_ORDER[s.kind]))
    kept: list[Span] = []
    stack: list[Span] = []
    for s in spans:
        while stack and stack[-1].end <= s.start:
            stack.pop()
        if stack and s.end > stack[-1].end:
            continue  # crosses the enclosing span
        if s.kind == "entity" and any(x.kind == "entity" for x in stack):
            continue  # a link inside a link
        kept.append(s)
        stack.append(s)
    return kept


def highlight(text: str, spans: list[Span], t: Any) -> Markup:
    """``text`` escaped, with the (nestable) spans drawn."""
    spans = _nestable(spans)
    out: list[Markup] = []
    pos = 0
    stack: list[Span] = []
    for s in spans:
        while stack and stack[-1].end <= s.start:
            top = stack.pop()
            out.append(escape(text[pos:top.end]))
            out.append(top.close())
            pos = top.end
        out.append(escape(text[pos:s.start]))
        out.append(s.open(t))
        pos = s.start
        stack.append(s)
    while stack:
        top = stack.pop()
        out.append(escape(text[pos:top.end]))
        out.append(top.close())
        pos = top.end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def paragraphs_html(paragraphs: list[str], annotations: dict[str, Any], t: Any) -> list[Markup]:
    """Each body paragraph with its spans (spans are cut at paragraph ends)."""
    body = "\n".join(paragraphs)
    spans = field_spans(annotations, "body", body)
    out = []
    offset = 0
    for p in paragraphs:
        lo, hi = offset, offset + len(p)
        mine = [Span(max(s.start, lo) - lo, min(s.end, hi) - lo, s.kind, s.data) for s in spans
                if s.start < hi and s.end > lo]
        out.append(highlight(p, mine, t))
        offset = hi + 1
    return out


def entities_by_type(annotations: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Distinct entities of an article per type, in order of first mention, with how often each is named."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for m in annotations.get("entities") or []:
        if not isinstance(m, dict) or not isinstance(m.get("name"), str) or not m["name"]:
            continue
        typ = m.get("type") if m.get("type") in ENTITY_TYPES else "MISC"
        k = (m["name"], typ)
        if k in seen:
            seen[k]["n"] += 1
        else:
            seen[k] = {"name": m["name"], "type": typ, "n": 1, "url": entity_url(m["name"], typ)}
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in ENTITY_TYPES}
    for v in seen.values():
        out[v["type"]].append(v)
    return {k: v for k, v in out.items() if v}


def facts(annotations: dict[str, Any]) -> dict[str, Any]:
    """What issue 12's enrichers add (quotes, dates, amounts, topic, keywords, summary), checked for shape, for the
    article page's "who said what, when, how much" panel. Anything missing or malformed is left out."""
    def items(key: str) -> list[dict[str, Any]]:
        v = annotations.get(key)
        return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []

    quotes = [{"text": q.get("text") if isinstance(q.get("text"), str) else "",
               "speaker": q.get("speaker") if isinstance(q.get("speaker"), str) else None,
               "role": q.get("speaker_role") if isinstance(q.get("speaker_role"), str) else None,
               "entity": q.get("speaker_entity") if isinstance(q.get("speaker_entity"), str) else None}
              for q in items("quotes")]
    dates = [{"text": d.get("text") if isinstance(d.get("text"), str) else "",
              "value": _str(d.get("value")), "value_end": _str(d.get("value_end"))} for d in items("dates")]
    amounts = [{"text": a.get("text") if isinstance(a.get("text"), str) else "", "value": _num(a.get("value")),
                "value_max": _num(a.get("value_max")), "unit": _str(a.get("unit"))} for a in items("amounts")]
    topic = annotations.get("topic")
    if isinstance(topic, dict):
        topic = topic.get("label") or topic.get("name")
    keywords = annotations.get("keywords")
    kw = [k if isinstance(k, str) else (k.get("text") or k.get("keyword")) for k in keywords] \
        if isinstance(keywords, list) else []
    summary = annotations.get("summary")
    if isinstance(summary, list):
        summary = " ".join(s if isinstance(s, str) else str(s.get("text", "")) for s in summary
                           if isinstance(s, (str, dict)))
    return {"quotes": [q for q in quotes if q["text"]], "dates": [d for d in dates if d["text"]],
            "amounts": [a for a in amounts if a["text"]], "topic": topic if isinstance(topic, str) else None,
            "keywords": [k for k in kw if isinstance(k, str) and k],
            "summary": summary if isinstance(summary, str) and summary else None}


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else (None if v is None else str(v))

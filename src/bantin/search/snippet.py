"""Snippets: the best short window of an article's text for a query, with the matched words marked.

Matching is done on the folded text (``fold`` keeps offsets), so "thuy si" marks "Thụy Sĩ". The result is safe
HTML: the text is escaped and matches are wrapped in ``<mark>…</mark>``; ``marks_to_plain`` and
``marks_to_spans`` turn it into other shapes for terminals and programs.
"""

from __future__ import annotations

import html
import re
import unicodedata

from bantin.clean.fold import fold

WINDOW = 220
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def _token_pattern(tokens: list[str], prefix_last: bool = False) -> re.Pattern[str] | None:
    words = sorted({t for t in tokens if t}, key=len, reverse=True)
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in words)
    tail = r"[^\W_]*" if prefix_last else ""
    return re.compile(rf"(?<![^\W_])(?:{alts}){tail}(?![^\W_])")


def make_snippet(text: str, folded_tokens: list[str], window: int = WINDOW, prefix: bool = False) -> str:
    """Escaped snippet of ``text`` around the densest cluster of query tokens, matches in <mark>."""
    text = unicodedata.normalize("NFC", text)
    pat = _token_pattern(folded_tokens, prefix)
    if pat is None or not text:
        return html.escape(_cut(text, 0, window))
    ftext = fold(text)
    if len(ftext) != len(text):  # characters outside the BMP etc.: no highlighting rather than wrong offsets
        return html.escape(_cut(text, 0, window))
    hits = [(m.start(), m.end(), m.group(0)) for m in pat.finditer(ftext)]
    if not hits:
        return html.escape(_cut(text, 0, window))
    # choose the window start that covers the most distinct tokens, then the most hits
    best, best_score = 0, (-1, -1)
    for i, (s, _e, _w) in enumerate(hits):
        inside = [h for h in hits[i:] if h[1] <= s + window]
        score = (len({h[2] for h in inside}), len(inside))
        if score > best_score:
            best, best_score = i, score
    start = hits[best][0]
    start = max(0, start - window // 4)
    # snap to a word start
    if start > 0:
        sp = text.rfind(" ", max(0, start - 20), start)
        start = sp + 1 if sp >= 0 else start
    end = min(len(text), start + window)
    if end < len(text):
        sp = text.find(" ", end, end + 20)
        end = sp if sp >= 0 else end
    out = []
    pos = start
    for s, e, _w in hits:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(MARK_OPEN + html.escape(text[s:e]) + MARK_CLOSE)
        pos = e
    out.append(html.escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def _cut(text: str, start: int, window: int) -> str:
    if len(text) <= window:
        return text
    end = text.find(" ", window, window + 20)
    return text[: end if end > 0 else window] + "…"


_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


def marks_to_plain(snippet: str) -> str:
    """Unescaped text without marks."""
    return html.unescape(_MARK_RE.sub(r"\1", snippet))


def marks_to_spans(snippet: str) -> list[tuple[str, bool]]:
    """[(text, marked?)...], unescaped: for terminals (rich) and other renderers."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARK_RE.finditer(snippet):
        if m.start() > pos:
            out.append((html.unescape(snippet[pos:m.start()]), False))
        out.append((html.unescape(m.group(1)), True))
        pos = m.end()
    if pos < len(snippet):
        out.append((html.unescape(snippet[pos:]), False))
    return out

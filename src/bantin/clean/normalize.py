"""Unicode and whitespace normalisation of stored text: NFC, invisible characters, spaces.

Changes nothing else: tone-mark style stays as the outlet wrote it (see ``fold`` for the comparison forms).
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and other invisible format characters that scrapers carry along (ZWSP, ZWNJ, ZWJ, word joiner,
# BOM, soft hyphen, LRM/RLM and bidi embeddings, invisible math operators).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2061\u2062\u2063\u2064\u180e"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# C0/C1 controls except tab/newline/carriage return.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Every kind of horizontal space (NBSP, en/em spaces, ideographic space, tabs) becomes a plain space.
_SPACES_RE = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEEDS_WORK_RE = re.compile(f"[{_INVISIBLE}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def _needs_work(text: str) -> bool:
    return "  " in text or _NEEDS_WORK_RE.search(text) is not None


def normalize_line(text: str, counts: dict[str, int] | None = None) -> str:
    """NFC, invisible/control characters removed, runs of spaces collapsed, ends stripped.

    ``counts`` (optional) accumulates what was changed: ``nfc``, ``invisible``, ``control``.
    """
    if not text.isascii():
        nfc = unicodedata.normalize("NFC", text)
        if nfc != text:
            if counts is not None:
                counts["nfc"] = counts.get("nfc", 0) + 1
            text = nfc
    if _needs_work(text):
        text, n = _INVISIBLE_RE.subn("", text)
        if n and counts is not None:
            counts["invisible"] = counts.get("invisible", 0) + n
        text, n = _CONTROL_RE.subn("", text)
        if n and counts is not None:
            counts["control"] = counts.get("control", 0) + n
        text = _SPACES_RE.sub(" ", text)
    return text.strip()


def split_paragraphs(text: str) -> list[str]:
    """Split a body on line breaks (any of \\r\\n, \\r, \\n, U+2028/2029); blank lines dropped."""
    return [p for p in text.splitlines() if p.strip()]


def normalize_paragraphs(paragraphs: list[str], counts: dict[str, int] | None = None) -> list[str]:
    """Normalise each paragraph; paragraphs that become empty are dropped. Embedded line breaks split.

    Works on the whole body at once (one NFC pass, one scan for characters needing work), paragraph by
    paragraph only where something needs doing.
    """
    if not paragraphs:
        return []
    body = "\n".join(paragraphs)
    if not body.isascii():
        nfc = unicodedata.normalize("NFC", body)
        if nfc != body:
            if counts is not None:
                counts["nfc"] = counts.get("nfc", 0) + 1
            body = nfc
    out: list[str] = []
    if not _needs_work(body):
        for line in body.splitlines():
            line = line.strip()
            if line:
                out.append(line)
        return out
    for part in body.splitlines():
        line = normalize_line(part, counts)
        if line:
            out.append(line)
    return out


def count_flags(counts: dict[str, int]) -> list[str]:
    """Turn normalisation counts into article flags (``nfc-normalized``, ``invisible-removed:3``...)."""
    flags = []
    if counts.get("nfc"):
        flags.append("nfc-normalized")
    if counts.get("invisible"):
        flags.append(f"invisible-removed:{counts['invisible']}")
    if counts.get("control"):
        flags.append(f"control-removed:{counts['control']}")
    return flags


_ELLIPSIS_RE = re.compile(r"\s*(?:\.{3,}|…|\.\s\.\s\.)\s*$")


def strip_ellipsis(text: str) -> tuple[str, bool]:
    """("lead text", True) when the lead ends with a cut mark ("...", "…") — the scrapers' sign of a lead cut off.
    Used by the text reader and by clean for every reader's leads."""
    m = _ELLIPSIS_RE.search(text)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(), True
    return text, False

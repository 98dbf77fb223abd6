"""Gazetteers, alias tables and canonical names.

Data files live in ``bantin/data/ner/`` (written by hand, facts only):

- ``places.tsv``, ``organisations.tsv``, ``people.tsv``: ``TYPE<TAB>canonical<TAB>alias|alias|...``
  (``places.tsv`` also carries Vietnam's provinces before and after the 2025 merger;
  see the comments in that file).
- ``roles.txt``, ``loc_prefixes.txt``, ``org_prefixes.txt``, ``surnames.txt``: one entry a line.
- ``kb_names.tsv``: ``CATEGORY<TAB>name`` (COIN, GROUP, BRAND) from public CC0 sources, built by
  ``training/ner/kb_gazetteer.py``; gazetteer features only (no alias table, no canonical names).

Every name and alias becomes a gazetteer feature for the CRF (matched on
normalised syllables, so tone-mark style and NFD do not matter) and an entry of
the alias table behind :func:`canonical_name`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .text import TOKEN_RE, feature_key

_LIST_FILES = {"roles.txt": "ROLE", "loc_prefixes.txt": "LOCPRE", "org_prefixes.txt": "ORGPRE",
               "surnames.txt": "SURNAME"}
_TABLE_FILES = ("places.tsv", "organisations.tsv", "people.tsv")
_KB_FILE = "kb_names.tsv"  # typed names from public knowledge bases (training/ner/kb/SOURCES.md)

# Lower-case/administrative words dropped from the front of a place name when
# no alias matches ("tỉnh Quảng Nam" -> "Quảng Nam", "thủ đô Kuala Lumpur").
_ADMIN_PREFIXES = ("tỉnh", "thành phố", "tp", "thủ đô", "nước", "đất nước", "bang", "tiểu bang",
                   "vương quốc", "thành phô")
_ADMIN_KEYS = sorted((tuple(feature_key(w) for w in p.split()) for p in _ADMIN_PREFIXES), key=len, reverse=True)


DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "ner"


def _data_text(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def _lines(name: str):
    for line in _data_text(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=1)
def load_tables() -> list[tuple[str, str, list[str]]]:
    """[(type, canonical, aliases)] from the three name tables."""
    out = []
    for fname in _TABLE_FILES:
        for line in _lines(fname):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            typ, canon = parts[0].strip(), parts[1].strip()
            aliases = [a.strip() for a in parts[2].split("|")] if len(parts) > 2 else []
            out.append((typ, canon, [a for a in aliases if a]))
    return out


def load_gazetteer_entries() -> list[tuple[str, str]]:
    """(phrase with syllables separated by spaces, category) for the featurizer."""
    entries: set[tuple[str, str]] = set()
    for typ, canon, aliases in load_tables():
        for name in (canon, *aliases):
            toks = [m.group() for m in TOKEN_RE.finditer(name)]
            if toks:
                entries.add((" ".join(toks), typ))
    for fname, cat in _LIST_FILES.items():
        for line in _lines(fname):
            toks = [m.group() for m in TOKEN_RE.finditer(line)]
            if toks:
                entries.add((" ".join(toks), cat))
    if (DATA_DIR / _KB_FILE).exists():  # knowledge-base names (COIN, GROUP, BRAND): features only
        for line in _lines(_KB_FILE):
            cat, _, name = line.partition("\t")
            toks = [m.group() for m in TOKEN_RE.finditer(name)]
            if toks:
                entries.add((" ".join(toks), cat))
    return sorted(entries)


def _fold_iy(key: str) -> str:
    # "kỳ"/"kì", "mỹ"/"mĩ", "lý"/"lí": a lone y after a consonant is spelled i too
    return re.sub(r"(?<=[bcdđghklmnpqrstvx])y(?=\d?$)", "i", key)


def alias_key(name: str) -> str:
    """Lookup key of a name: word syllables only (punctuation dropped), feature-normalised."""
    return " ".join(_fold_iy(feature_key(m.group())) for m in TOKEN_RE.finditer(name)
                    if m.group()[0].isalnum())


@lru_cache(maxsize=1)
def _alias_table() -> tuple[dict[tuple[str, str], str], dict[str, tuple[str, str]]]:
    typed: dict[tuple[str, str], str] = {}
    untyped: dict[str, tuple[str, str]] = {}
    for typ, canon, aliases in load_tables():
        for name in (canon, *aliases):
            k = alias_key(name)
            if not k:
                continue
            typed.setdefault((typ, k), canon)
            untyped.setdefault(k, (typ, canon))
    return typed, untyped


def clean_surface(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    return " ".join(name.split())


def canonical_name(name: str, type: str) -> str:  # noqa: A002 - API name
    """Canonical name of an entity mention.

    ``canonical_name("Hoa Kì", "LOC") == "Mỹ"``, ``canonical_name("LHQ", "ORG") == "Liên Hợp Quốc"``,
    ``canonical_name("TP.HCM", "LOC") == "TP Hồ Chí Minh"``.  Names not in the table come back
    NFC-normalised with whitespace collapsed (and, for places, without a leading
    administrative word such as "tỉnh" or "thủ đô").
    """
    if not isinstance(name, str) or not isinstance(type, str):
        return ""
    return _canonical(name, type)


@lru_cache(maxsize=200_000)
def _canonical(name: str, type: str) -> str:  # noqa: A002
    typed, untyped = _alias_table()
    k = alias_key(name)
    if not k:
        return clean_surface(name)
    hit = typed.get((type, k))
    if hit:
        return hit
    if type in ("LOC", "ORG"):
        # the tables disagree with the mention's type only for names that are
        # both (a country's government in "Mỹ áp thuế"): trust the table's spelling
        alt = untyped.get(k)
        if alt and alt[0] in ("LOC", "ORG") and type == "LOC" and alt[0] == "LOC":
            return alt[1]
    if type == "LOC":
        keys = k.split()
        for pre in _ADMIN_KEYS:
            if len(keys) > len(pre) and tuple(keys[: len(pre)]) == pre:
                rest = " ".join(keys[len(pre):])
                hit = typed.get(("LOC", rest))
                if hit:
                    return hit
                # drop the same number of words from the surface
                words = [m for m in TOKEN_RE.finditer(name) if m.group()[0].isalnum()]
                start = words[len(pre)].start()
                tail = clean_surface(name[start:])
                if tail[:1].isupper():
                    return tail
                break
    return clean_surface(name)

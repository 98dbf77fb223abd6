"""Draft → Article: the cleaning stage. Pure: same draft and versions, same article.

NFC and whitespace (``normalize``), repeated blocks (``repeats``), the lead's cut mark, the byline at the end of
a text dump's or export's body (``take_byline``), dates (``dates``), outlet from the URL, language, and the stable
id. Every change or doubt is written into ``flags``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bantin.clean.byline import _PHOTO_ONLY_RE, _ROLE_RE, _TRAILING_CREDIT_RE, author_names, credit_of
from bantin.clean.dates import parse_date
from bantin.clean.fold import FOLD_VERSION, text_key
from bantin.clean.language import SAMPLE_CHARS, identify
from bantin.clean.normalize import count_flags, normalize_line, normalize_paragraphs, strip_ellipsis
from bantin.clean.outlet_infer import infer_outlet
from bantin.clean.outlets import display_name, name_for
from bantin.clean.repeats import remove_repeats
from bantin.model import ID_SCHEME, Article, Draft, Provenance, Reject

CLEANER_VERSION = "clean-2"  # 2: bylines out of text/JSONL/CSV/Parquet bodies; language told from the text
#: Readers whose bodies still hold the byline ("Mộc Miên (Tổng hợp)" as the last line); the HTML reader takes it
#: off the page itself.
BYLINE_IN_BODY = frozenset({"text", "jsonl", "csv", "parquet"})
_DAY_OR_FINER = {"day", "hour", "minute", "second"}


def article_id(external_id: str | None, url: str | None, title: str, body_key: str,
               title_key: str | None = None) -> str:
    """Stable id: a hash of what identifies the article (the input's own id and URL, the title's key and the
    text's key — ``text_key`` of the body, or of the lead when there is no body)."""
    h = hashlib.blake2b(digest_size=8)
    if title_key is None:
        title_key = text_key(title)
    for part in (ID_SCHEME, external_id or "", url or "", title_key, body_key):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def outlet_from_url(url: str | None) -> str | None:
    """The outlet's display name from the table of Vietnamese outlets (``clean/outlets.py``), else the host."""
    return display_name(url)


def _published(text: str | None, flags: list[str], what: str) -> str | None:
    if not text:
        return None
    pd = parse_date(text)
    if pd is None or pd.granularity not in _DAY_OR_FINER:
        flags.append(f"{what}-unparsed:{text[:60]}")
        return None
    return pd.iso()


_WS_RE = re.compile(r"\s+")


@dataclass(slots=True)
class Byline:
    paragraphs: list[str]  # the body without it
    authors: list[str]  # names as printed ("Mộc Miên", "Đ. V", "H.Y"); roles and notes ("Tin, ảnh:", "(Tổng hợp)") off
    credit: str | None  # "Theo TTXVN", "(Theo AFP)" → "TTXVN", "AFP"
    captions: list[str]  # photo credits ("Ảnh: Reuters")
    lines: list[str]  # the lines taken, as printed


_INITIAL_END_RE = re.compile(r"(?:^|[\s.])\w\.$")
_SENTENCE_END_RE = re.compile(r"[.!?…:;\"”»)]\W*$")


def take_byline(paragraphs: list[str]) -> Byline | None:
    """The byline block at the end of a text dump's body, or None. Conservative (measured on VietNews, where 42% of
    the bodies end with one): at most 3 short lines from the end, each a names line ("Mộc Miên (Tổng hợp)", "Vũ Anh
    (Theo Reuters)", "Tin, ảnh: Vũ Phương Thảo"; ``clean.byline.author_names``, as the HTML reader), a credit ("Theo
    TTXVN") or a photo/video credit ("Ảnh: Reuters"); at most one names line without a role, not ending in a full
    stop (a caption: "Neil Gorsuch."); at least one name or credit; not when the line above is short and
    unpunctuated too (a list: "Đài Loan / Hong Kong / Nhật Bản"); never the whole body."""
    authors: list[str] = []
    credit: str | None = None
    captions: list[str] = []
    plain = 0
    i = len(paragraphs)
    while i > 1 and len(paragraphs) - i < 3:
        t = paragraphs[i - 1].strip()
        if len(t) > 90:
            break
        if _PHOTO_ONLY_RE.match(t):
            captions.insert(0, t)
            i -= 1
            continue
        c = credit_of(t)
        if c is not None:
            if credit is not None:
                break
            credit = c
            i -= 1
            continue
        m = _TRAILING_CREDIT_RE.search(t)
        core, tail = (t[: m.start()], m.group("c").strip()) if m else (t, None)
        names = author_names(core) if core.strip() else None
        if not names:
            break
        if not _ROLE_RE.match(core):
            if plain or (core.endswith(".") and not _INITIAL_END_RE.search(core)):
                break
            plain += 1
        if tail:
            if credit is not None:
                break
            credit = tail
        authors = names + authors
        i -= 1
    above = paragraphs[i - 1].strip() if i else ""
    if (not authors and credit is None) or (len(above) <= 30 and not _SENTENCE_END_RE.search(above)):
        return None
    return Byline(paragraphs[:i], authors, credit, captions, paragraphs[i:])


def clean(draft: Draft) -> Article | Reject:
    raw = draft.raw
    counts: dict[str, int] = {}
    flags = list(draft.flags)
    title = normalize_line(_WS_RE.sub(" ", draft.title or ""), counts)
    if not title:
        return Reject(raw.path, raw.record, "clean", "no recognisable title (empty after cleaning)", raw.sha256,
                      raw.payload, len(raw.payload))
    sapo = normalize_line(_WS_RE.sub(" ", draft.sapo), counts) if draft.sapo else None
    sapo_truncated = draft.sapo_truncated
    if sapo and not sapo_truncated and "sapo-ellipsis-as-printed" not in flags:
        sapo, sapo_truncated = strip_ellipsis(sapo)
    paragraphs = normalize_paragraphs(draft.paragraphs, counts)
    rep = remove_repeats(paragraphs, title, sapo or None, sapo_truncated)
    body_key = "".join(rep.keys) if rep.paragraphs else text_key(rep.sapo or "")
    paragraphs, sapo, sapo_truncated = rep.paragraphs, rep.sapo, rep.sapo_truncated
    authors = [normalize_line(a) for a in draft.authors if normalize_line(a)]
    credit = (normalize_line(draft.credit) or None) if draft.credit else None
    captions = normalize_paragraphs(draft.captions)
    if draft.extractor.split("/")[0] in BYLINE_IN_BODY:
        # the byline is not text (its names are no places or people of the story); the id keeps the body's key
        # with it (``body_key`` above), so ids do not change with this step
        by = take_byline(paragraphs)
        if by is not None:
            paragraphs = by.paragraphs
            folded = {text_key(a) for a in authors}
            authors += [a for a in by.authors if text_key(a) not in folded]
            credit = credit or by.credit
            captions += [c for c in by.captions if c not in captions]
            flags.extend("byline-moved:" + line for line in by.lines)
    flags.extend(count_flags(counts))
    flags.extend(rep.flags)
    if sapo_truncated:
        flags.append("sapo-truncated")
    if not paragraphs and not sapo:
        return Reject(raw.path, raw.record, "clean", "no article text: only a title was found", raw.sha256,
                      raw.payload, len(raw.payload))

    published_at = draft.published_at or _published(draft.date_text, flags, "published_at")
    updated_at = _published(draft.updated_text, flags, "updated_at")
    url = draft.url.strip() if draft.url else None
    outlet = normalize_line(draft.outlet) if draft.outlet else outlet_from_url(url)
    if outlet and draft.outlet:  # "Báo Thanh Niên" in an export = "Thanh Niên" of the HTML reader (one facet)
        outlet = name_for(outlet) or outlet
    if not outlet:
        # the credit as printed at the end ("Theo TTXVN"), whether the reader or take_byline took it off the body
        inferred = infer_outlet(sapo, paragraphs + ([f"Theo {credit}"] if credit else []))
        if inferred is not None:
            outlet = inferred[0]
            flags.append(f"outlet-inferred:{inferred[1]}")
    body = "\n".join(paragraphs)
    # the text's own language first: a page's declared language is often its template's ("en" on Vietnamese
    # SharePoint pages); the declared one only when the text is too short to tell
    language = identify(title + "\n" + (sapo or "") + "\n" + body[:SAMPLE_CHARS]) or draft.language
    external_id = draft.external_id.strip() if draft.external_id else None
    aid = article_id(external_id, url, title, body_key, rep.title_key)
    prov = Provenance(path=raw.path, record=raw.record, raw_sha256=raw.sha256, format=raw.format,
                      source=raw.source, fetched_at=raw.fetched_at)
    return Article(
        id=aid, title=title, sapo=sapo or None, sapo_truncated=sapo_truncated, paragraphs=paragraphs,
        published_at=published_at, updated_at=updated_at, views=draft.views, outlet=outlet or None, url=url,
        language=language, external_id=external_id,
        authors=authors,
        tags=[normalize_line(t) for t in draft.tags if normalize_line(t)],
        captions=captions, section=normalize_line(draft.section) or None
        if draft.section else None,
        credit=credit,
        provenance=[prov], flags=flags,
        versions={"extractor": draft.extractor, "cleaner": CLEANER_VERSION, "fold": FOLD_VERSION},
        raw=raw.payload,
    )

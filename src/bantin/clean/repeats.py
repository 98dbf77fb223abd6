"""Repeated blocks: scrapers print bodies twice, paste the title or the lead into the body, split the second
copy differently. Remove the repeats, keep the first copy, keep the order, say what was removed.

Blocks are compared by ``fold.text_key`` (exact form without spaces and punctuation), so repeats that differ
only in spacing, punctuation, case or tone-mark style are still repeats, while ma/má/mà stay different.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bantin.clean.fold import text_key, text_keys

#: Shorter blocks (by key length) may legitimately repeat ("Ảnh: AP", "***") and are only removed as part of a
#: whole repeated body.
MIN_REPEAT_KEY = 24
#: A block whose key is found inside earlier text counts as a repeat only if at least this long.
MIN_SUBSTRING_KEY = 60


@dataclass(slots=True)
class RepeatResult:
    paragraphs: list[str]
    sapo: str | None
    sapo_truncated: bool
    flags: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # text_key of each kept paragraph
    title_key: str = ""  # text_key of the title


def _whole_body_repeat(keys: list[str]) -> int | None:
    """If the paragraphs are a sequence printed twice or more (X X or X X X), return where the first copy ends."""
    n = len(keys)
    total = sum(len(k) for k in keys)
    if n < 2 or total == 0:
        return None
    joined = "".join(keys)
    for copies in (2, 3):
        if total % copies:
            continue
        part = total // copies
        # the first copy must end on a paragraph boundary
        acc = 0
        for i, k in enumerate(keys):
            acc += len(k)
            if acc == part:
                if joined == joined[:part] * copies:
                    return i + 1
                break
            if acc > part:
                break
    return None


def remove_repeats(
    paragraphs: list[str], title: str | None = None, sapo: str | None = None, sapo_truncated: bool = False,
    keys: list[str] | None = None,
) -> RepeatResult:
    """Drop repeated blocks from ``paragraphs`` (already whitespace-normalised).

    * the whole body printed twice (or three times), however the copies are split into lines;
    * any paragraph repeating an earlier one (key ≥ ``MIN_REPEAT_KEY``), or contained in the earlier text;
    * the title repeated inside the body;
    * the lead repeated inside the body — and a truncated lead whose full text is a body paragraph is
      completed from it (the paragraph moves to the lead; flagged ``sapo-completed-from-body``).
    """
    flags: list[str] = []
    paragraphs = list(paragraphs)
    if keys is None:  # title, lead and paragraphs keyed in one vectorised pass
        allk = text_keys([title or "", sapo or ""] + paragraphs)
        title_key, sapo_key, keys = allk[0], allk[1], allk[2:]
    else:
        keys = list(keys)
        title_key = text_key(title) if title else ""
        sapo_key = text_key(sapo) if sapo else ""

    cut = _whole_body_repeat(keys)
    if cut is not None:
        n_copies = round(sum(len(k) for k in keys) / max(1, sum(len(k) for k in keys[:cut])))
        flags.append(f"repeated-body-removed:x{n_copies}")
        paragraphs, keys = paragraphs[:cut], keys[:cut]

    # A truncated lead whose full text is a paragraph of the body: complete the lead from it.
    if sapo_truncated and len(sapo_key) >= MIN_REPEAT_KEY:
        for i, k in enumerate(keys[:3]):
            if k.startswith(sapo_key) and len(k) > len(sapo_key):
                sapo, sapo_key, sapo_truncated = paragraphs[i], k, False
                del paragraphs[i], keys[i]
                flags.append("sapo-completed-from-body")
                break

    kept: list[str] = []
    kept_keys: list[str] = []
    seen: set[str] = set()
    earlier = ""  # concatenated keys of kept paragraphs, for repeats split differently
    n_repeat = n_title = n_sapo = 0
    for p, k in zip(paragraphs, keys):
        if title_key and k == title_key:
            n_title += 1
            continue
        if sapo_key and len(sapo_key) >= MIN_REPEAT_KEY and k == sapo_key:
            n_sapo += 1
            continue
        if len(k) >= MIN_REPEAT_KEY and k in seen:
            n_repeat += 1
            continue
        if len(k) >= MIN_SUBSTRING_KEY and k in earlier:
            n_repeat += 1
            continue
        kept.append(p)
        kept_keys.append(k)
        seen.add(k)
        earlier += k
    # A paragraph can also be the merge of two earlier ones (second copy with fewer line breaks): handled by the
    # substring test above. The reverse (second copy split finer) leaves pieces each found in `earlier`.
    if n_repeat:
        flags.append(f"repeated-paragraphs-removed:{n_repeat}")
    if n_title:
        flags.append("title-repeated-in-body-removed")
    if n_sapo:
        flags.append("sapo-repeated-in-body-removed")
    return RepeatResult(kept, sapo, sapo_truncated, flags, kept_keys, title_key)

"""The outlet of an article whose input does not say it (text dumps, JSONL without an outlet field), read from
what the text itself shows, and mapped to the canonical names the HTML reader uses (``data/outlets.tsv``):

* a line that is only a URL ("https://nld.com.vn/...") — the outlet of that URL;
* the dateline that opens the lead or the first paragraph: "(Dân trí) -", "(NLĐO)-", "(TTXVN) -", "TT -",
  "TTO -", "VOV.VN -";
* a closing credit naming an outlet: "Theo TTXVN" (the text is that outlet's).

The article is flagged ``outlet-inferred:<how>`` so a reader can tell a name the input gave from one we read.
Bylines and credits stay where the readers put them; this only names the outlet.
"""

from __future__ import annotations

import re

from bantin.clean.outlets import display_name, name_for

_URL_LINE_RE = re.compile(r"^\s*(?:nguồn|link|url|source)?\s*[:：]?\s*(https?://[^\s<>\"]+)\s*$", re.I)
_PAREN_DATELINE_RE = re.compile(r"^\s*\(\s*([^()]{2,30}?)\s*\)\s*[-–—:]?\s*\S")
_BARE_DATELINE_RE = re.compile(r"^\s*([A-ZĐ][\w.Đđ]{1,11})\s*[-–—]\s+\S")
_CLOSING_CREDIT_RE = re.compile(r"^\s*[(\[]?\s*(?:theo|nguồn)\s*[:：]?\s*([^()\[\]]{2,40}?)\s*[)\]]?\s*\.?\s*$",
                                re.I)
#: Datelines that are not a name of the outlet table: short tags outlets put before the lead.
_TAGS = {"tt": "Tuổi Trẻ", "tto": "Tuổi Trẻ", "tn": "Thanh Niên", "nld": "Người Lao Động",
         "nldo": "Người Lao Động", "vov.vn": "VOV", "vtv.vn": "VTV", "qdnd": "Quân đội nhân dân",
         "chinhphu.vn": "Báo Chính phủ", "baochinhphu.vn": "Báo Chính phủ", "ttxvn": "TTXVN", "vna": "TTXVN",
         "vtc news": "VTC News", "gd&td": "Giáo dục và Thời đại", "antd": "An ninh Thủ đô", "cand": "Công an nhân dân",
         "ndo": "Nhân Dân", "vneconomy": "VnEconomy", "vtc": "VTC News"}


def _tag_name(tag: str) -> str | None:
    from bantin.clean.fold import fold

    k = " ".join(fold(tag).split()).strip(" .")
    return _TAGS.get(k) or name_for(tag)


def infer_outlet(sapo: str | None, paragraphs: list[str]) -> tuple[str, str] | None:
    """(outlet display name, how: "url" | "dateline" | "credit") or None."""
    lines = [x for x in ([sapo] if sapo else []) + paragraphs if x]
    for ln in lines[:3] + lines[-3:]:
        m = _URL_LINE_RE.match(ln)
        if m:
            name = display_name(m.group(1))
            if name:
                return name, "url"
    for ln in lines[:2]:
        m = _PAREN_DATELINE_RE.match(ln) or _BARE_DATELINE_RE.match(ln)
        if m:
            name = _tag_name(m.group(1))
            if name:
                return name, "dateline"
    for ln in lines[-2:]:
        m = _CLOSING_CREDIT_RE.match(ln)
        if m:
            name = _tag_name(m.group(1))
            if name:
                return name, "credit"
    return None

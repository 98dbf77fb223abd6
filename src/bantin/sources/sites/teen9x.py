"""Teen9x (teen9x.net), an outlet built on the vBulletin 4 CMS (``outlets_2012/teen9x1``):

    h1.cms_article_title                      title
    div.article_username_container            "Published on 03-08-2011  01:00 AM": vBulletin's English date
                                              format, month first (the page's calendar box prints "12-27-2012"
                                              under "Tháng 12 2012"), in the board's zone
    div#footer_time                           that zone: "Múi giờ GMT +8. Hiện tại là 02:43 AM"

What the generic reader got wrong (BENCHMARKS.md): the date (English words, month first, 12-hour clock, a zone
that is not Vietnam's). The text, the byline (a right-aligned <p> after it) and the rest are read right by the
generic path, so this parser names no container and only gives the date.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from bantin.clean.dates import VN_TZ, ParsedDate
from bantin.sources.htmlmeta import text_of
from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser

_PUBLISHED = re.compile(r"published on\s+(\d{1,2})-(\d{1,2})-(\d{4})(?:\s+(\d{1,2}):(\d{2})\s*([ap]m)?)?", re.I)
_ZONE = re.compile(r"GMT\s*([+-])\s*(\d{1,2})(?:[:.](\d{2}))?", re.I)


def board_zone(tree: Any) -> timezone:
    """The zone vBulletin prints every time in, from the footer ("Múi giờ GMT +8", "All times are GMT +7");
    Vietnam's when the footer is not there."""
    for el in tree.xpath("//div[@id='footer_time']"):
        m = _ZONE.search(text_of(el))
        if m:
            minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
            return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))
    return VN_TZ


def vbulletin_date(text: str, zone: timezone) -> ParsedDate | None:
    """ "Published on 03-08-2011  01:00 AM" (month-day-year, 12-hour clock) in `zone`, as +07:00."""
    m = _PUBLISHED.search(text)
    if not m:
        return None
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hour, minute = int(m.group(4) or 0), int(m.group(5) or 0)
    ampm = (m.group(6) or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        value = datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(VN_TZ)
    except ValueError:
        return None
    return ParsedDate(value, "minute" if m.group(4) else "day", m.start(), m.end())


class Teen9x(SiteParser):
    name = "teen9x"
    domains = ("teen9x.net",)
    title = "//h1[contains(@class,'cms_article_title')]"
    date = "//div[contains(@class,'article_username_container')]"

    def matches(self, tree: Any) -> bool:
        return bool(self._title(tree)) and any(_PUBLISHED.search(text_of(el)) for el in self._date(tree))

    def date_of(self, text: str, tree: Any) -> ParsedDate | None:
        return vbulletin_date(text, board_zone(tree))


register(Teen9x())

"""24h (24h.com.vn), the layout of ``outlets_2012/24h1``: trafilatura reads its layout tables as the article
(image-alt keyword rows and a calendar widget instead of the text; measured, BENCHMARKS.md).

    h1.baiviet-title                 title
    div.baiviet-head-noidung         sapo
    div.text-conent                  the text (photo stories: the lines under the photos are the text)
    div.publication_date             "Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)"

Only the selectors seen on a real page are listed; a page in another 24h layout falls back to the generic path.
"""

from __future__ import annotations

from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class H24(SiteParser):
    name = "24h"
    domains = ("24h.com.vn",)
    title = "//h1[contains(@class,'baiviet-title')]"
    sapo = "//div[contains(@class,'baiviet-head-noidung')]"
    container = "//div[contains(@class,'text-conent')]"
    byline = ".//p[contains(@style,'right')][string-length(normalize-space(.)) < 80]"
    date = "//div[contains(@class,'publication_date')]"


register(H24())

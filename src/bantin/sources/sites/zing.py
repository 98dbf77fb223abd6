"""Zing News (news.zing.vn), the 2012 layout:

    h1.pTitle                            title
    div.subheader                        "Cập nhật thứ hai, ngày 24/12/12 11:05 tối"
    h2.pHead                             sapo
    div.newsdetail_wrapper               the text: p.pSubTitle (subheads), p.pBody (also inside quote boxes),
                                         td.pCaption photo captions, p.pAuthor byline, p.pSource "Theo Infonet"

What the generic reader got wrong (BENCHMARKS.md): a phone number from the page footer taken for the last
paragraph. The later Znews layout (znews.vn) is not covered: no saved page of it was found.
"""

from __future__ import annotations

from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class Zing(SiteParser):
    name = "zing"
    domains = ("news.zing.vn",)
    title = "//h1[contains(@class,'pTitle')]"
    sapo = "//h2[contains(@class,'pHead')]"
    container = "//div[contains(@class,'newsdetail_wrapper')]"
    paragraphs = (".//p[contains(@class,'pSubTitle') or contains(@class,'pBody') or contains(@class,'pAuthor') "
                  "or contains(@class,'pSource')] | .//td[contains(@class,'pCaption')]")
    byline = ".//p[contains(@class,'pAuthor')]"
    captions = ".//td[contains(@class,'pCaption')]"
    date = "//div[contains(@class,'subheader')]"


register(Zing())

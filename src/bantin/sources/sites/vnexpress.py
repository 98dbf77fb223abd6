"""VnExpress (vnexpress.net and its sections), the 2020s layout.

    h1.title-detail                      title
    span.date                            "Thứ tư, 22/10/2025, 19:25 (GMT+7)"
    p.description                        sapo; a dateline in span.location-stamp becomes "Hà Nội - …"
    article.fck_detail > p.Normal        paragraphs; figure > figcaption > p.Image captions
    p.Normal[style*=right] / p.author_mail / p.author   the byline, last in the article
    ul.breadcrumb li a                   section
"""

from __future__ import annotations

from typing import Any

from bantin.sources.htmlmeta import squash
from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class VnExpress(SiteParser):
    name = "vnexpress"
    domains = ("vnexpress.net",)
    title = "//h1[contains(@class,'title-detail')]"
    sapo = "//p[contains(@class,'description')]"
    container = "//article[contains(@class,'fck_detail')]"
    paragraphs = ("./p[not(ancestor::figure)][not(contains(@class,'Image'))] | ./h2 | ./h3 | "
                  "./div[contains(@class,'Normal')] | ./ul/li | ./ol/li")
    byline = ("./p[contains(@style,'text-align:right') or contains(@style,'text-align: right')]"
              "[string-length(normalize-space(.)) < 80] | ./p[contains(@class,'author')]")
    captions = ".//figcaption"
    date = "//span[contains(concat(' ', normalize-space(@class), ' '), ' date ')]"
    section = "//ul[contains(@class,'breadcrumb')]/li/a"

    def sapo_text(self, el: Any) -> str:
        stamp = el.find(".//span[@class='location-stamp']")
        if stamp is None:
            return squash(el.text_content())
        place = squash(stamp.text_content())
        rest = squash((stamp.tail or "") + "".join(
            x.text_content() + (x.tail or "") for x in stamp.itersiblings()))
        return f"{place} - {rest}" if place and rest else place or rest


register(VnExpress())

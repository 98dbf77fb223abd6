"""VnExpress (vnexpress.net, its sections and iOne), the 2020s layout and the 2012 one.

2020s
    h1.title-detail                      title
    span.date                            "Thứ tư, 22/10/2025, 19:25 (GMT+7)"
    p.description                        sapo; a dateline in span.location-stamp becomes "Hà Nội - …"
    article.fck_detail > p.Normal        paragraphs; figure > figcaption > p.Image captions
    p.Normal[style*=right] / p.author_mail / p.author   the byline, last in the article
    ul.breadcrumb li a                   section
2012 (vnexpress.net/gl/…, ione.vnexpress.net)
    h1.Title | div.dtContent > h3.Title  title
    div.email-print                      "Thứ năm, 20/12/2012, 10:18 GMT+7"
    h2.Lead | p.Lead                     sapo
    div.cxtLeft | div.dtContent          the text: p.Normal up to the right-aligned byline (<p align="right">);
                                         what follows it ("Chia sẻ bài viết của bạn…") is not the article

What the generic reader got wrong on the 2012 pages (BENCHMARKS.md): a reader's photo page read as its "share
your photo" call, the iOne byline missed and a sidebar teaser taken for the last paragraph.
"""

from __future__ import annotations

from typing import Any

from bantin.sources.htmlmeta import squash
from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser

_RIGHT = "(contains(@style,'text-align:right') or contains(@style,'text-align: right') or @align='right')"


class VnExpress(SiteParser):
    name = "vnexpress"
    domains = ("vnexpress.net",)
    title = "//h1[contains(@class,'title-detail')] | //h1[@class='Title'] | //div[@class='dtContent']/h3[@class='Title']"
    sapo = "//p[contains(@class,'description')] | //h2[@class='Lead'] | //div[@class='dtContent']/p[@class='Lead']"
    container = "//article[contains(@class,'fck_detail')] | //div[@class='cxtLeft'] | //div[@class='dtContent']"
    paragraphs = (f"./p[not(ancestor::figure)][not(contains(@class,'Image'))][not(@class='Lead')]"
                  f"[not(preceding-sibling::p[{_RIGHT}])] | ./h2[not(@class='Lead')] | ./h3[not(@class='Title')] | "
                  "./div[contains(@class,'Normal')] | ./ul/li | ./ol/li")
    byline = (f"./p[{_RIGHT}][string-length(normalize-space(.)) < 80] | ./p[contains(@class,'author')]")
    captions = ".//figcaption | .//td[contains(@class,'Image')] | .//p[contains(@class,'Image')]"
    date = ("//span[contains(concat(' ', normalize-space(@class), ' '), ' date ')] | "
            "//div[contains(@class,'email-print')]")
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

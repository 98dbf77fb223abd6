"""24h (24h.com.vn): trafilatura reads its layout tables as the article (measured on ``outlets_2012/24h1``:
image-alt keyword rows and a calendar widget instead of the text).

    h1.baiviet-title | h1#article_title            title
    div.baiviet-head-noidung | h2#article_sapo      sapo
    div.text-conent | article#article_body          the text
    div.publication_date | div.cate-24h-foot-arti-deta-cre-post   "Thứ Hai, 24/12/2012, 03:04 AM (GMT+7)"
"""

from __future__ import annotations

from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class H24(SiteParser):
    name = "24h"
    domains = ("24h.com.vn",)
    title = "//h1[contains(@class,'baiviet-title')] | //h1[@id='article_title'] | //h1[contains(@class,'clrTit')]"
    sapo = ("//div[contains(@class,'baiviet-head-noidung')] | //h2[@id='article_sapo'] | "
            "//h2[contains(@class,'ctTp')]")
    container = ("//div[contains(@class,'text-conent')] | //article[@id='article_body'] | "
                 "//div[@id='article_body']")
    byline = ".//p[contains(@style,'right')][string-length(normalize-space(.)) < 80]"
    captions = ".//p[contains(@class,'img_chu_thich')] | .//*[contains(@class,'chu_thich')]"
    date = ("//div[contains(@class,'publication_date')] | //div[contains(@class,'cate-24h-foot-arti-deta-cre-post')]"
            " | //*[contains(@class,'updateTime')]")


register(H24())

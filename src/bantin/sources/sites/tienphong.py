"""Tiền Phong (tienphong.vn), the 2026 layout (the mCMS also behind Nhân Dân):

    h1.article__title                         title
    div.article__meta > time                  "06/09/2026 15:33"
    div.article__sapo                         sapo ("TPO - …")
    div.article__body                         the text: <p>s, and photos in figure / div.layout-image-N, each
                                              group with its <figcaption>; related-article boxes
                                              (div.article-relate) and ad slots sit inside it
    div.article-footer > div.article__author  the byline, after the body (read by the generic path)

What the generic reader got wrong (BENCHMARKS.md): a photo story (every text block a figcaption under a pair of
photos, with ad slots and related boxes between them) lost seven of its ten captions. The parser hands the
figcaptions over as captions in page order; the generic step decides whether they are the text (a photo story)
or captions beside it.
"""

from __future__ import annotations

from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class TienPhong(SiteParser):
    name = "tienphong"
    domains = ("tienphong.vn",)
    title = "//h1[contains(@class,'article__title')]"
    sapo = "//div[contains(@class,'article__sapo')]"
    container = "//div[contains(concat(' ', normalize-space(@class), ' '), ' article__body ')]"
    paragraphs = ("./p | ./h2 | ./h3 | ./h4 | ./ul/li | ./ol/li | ./blockquote//p | "
                  ".//figcaption[not(ancestor::div[contains(@class,'article-relate')])]")
    captions = ".//figcaption[not(ancestor::div[contains(@class,'article-relate')])]"
    date = "//div[contains(@class,'article__meta')]//time"


register(TienPhong())

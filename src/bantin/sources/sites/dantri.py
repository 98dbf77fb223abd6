"""Dân trí (dantri.com.vn), two layouts seen on real pages (tests/sources/fixtures/sites/MANIFEST.json):

2022 (and the e-magazine / photo-story pages of the same years)
    h1.title-page.detail | h1.e-magazine__title          title
    h2.singular-sapo | div.e-magazine__sapo              sapo ("(Dân trí) - …")
    div.singular-content | div.e-magazine__body          the text; figure > figcaption captions
    time.author-time                                     date line; div.singular-source "Theo CNBC" (read after
                                                         the text by the generic byline step)
2012
    h1.fon31, h2.fon33, div.box26 (date)                 title, sapo, "Thứ Ba, 25/12/2012 - 10:03"
    div.fon34                                            the text: paragraphs in <div> and <p>, each photo in a
                                                         centred <div> with its caption in the next centred <div>;
                                                         the byline a right-aligned <p>

What the generic reader got wrong (measured on the gathered pages, BENCHMARKS.md): the 2012 text's first
paragraph (a <div>, dropped), photo captions counted as paragraphs, and the e-magazine lead.
"""

from __future__ import annotations

from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class DanTri(SiteParser):
    name = "dantri"
    domains = ("dantri.com.vn",)
    title = ("//h1[contains(@class,'title-page') and contains(@class,'detail')] | "
             "//h1[contains(@class,'e-magazine__title')] | //h1[contains(@class,'fon31')]")
    sapo = ("//h2[contains(@class,'singular-sapo')] | //div[contains(@class,'e-magazine__sapo')] | "
            "//h2[contains(@class,'fon33')]")
    container = ("//div[contains(concat(' ', normalize-space(@class), ' '), ' singular-content ')] | "
                 "//div[contains(concat(' ', normalize-space(@class), ' '), ' e-magazine__body ')] | "
                 "//div[contains(concat(' ', normalize-space(@class), ' '), ' fon34 ')]")
    byline = (".//p[@align='right' or contains(@style,'right')][string-length(normalize-space(.)) < 80]")
    captions = (".//figcaption | .//div[@align='center'][not(.//img)][preceding-sibling::*[1][.//img]]")
    date = "//time[contains(@class,'author-time')] | //div[contains(@class,'box26')]"
    section = "//a[@data-content-name='article-breadcrumb'] | //div[contains(@class,'breadcrumb')]//a"


register(DanTri())

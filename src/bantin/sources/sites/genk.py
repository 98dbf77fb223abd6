"""GenK (genk.vn), the 2012 layout of the VCCorp CMS (``outlets_2012/genk1``):

    div.news-showtitle > h1                  title
    span#…lblDattime                         "21/12/2012 - 08:04"
    div.assessment-main1 > div.init_content  the lead: a bulleted summary, one "- …" line per <br>
    div.assessment-main1                     the text (the lead left out); the byline and the source outlets
                                             in right-aligned <div>s at its end ("Theo Minh Nguyễn/Vcamp.vn")

What the generic reader got wrong (BENCHMARKS.md): the bulleted lead, read as body lines (its first bullet lost),
so no sapo and the wrong first paragraph. A page in another GenK layout falls back to the generic path.
"""

from __future__ import annotations

from bantin.sources.sites import register
from bantin.sources.sites.base import SiteParser


class GenK(SiteParser):
    name = "genk"
    domains = ("genk.vn",)
    title = "//div[contains(@class,'news-showtitle')]/h1"
    sapo = "//div[contains(@class,'assessment-main1')]/div[contains(@class,'init_content')]"
    container = "//div[contains(@class,'assessment-main1')]"
    byline = ".//div[contains(@style,'right') or @align='right'][string-length(normalize-space(.)) < 80]"
    date = "//span[contains(@id,'lblDattime')]"


register(GenK())

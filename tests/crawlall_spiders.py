"""A second site for the crawlall tests: laid out like sjfzxm, under its own name and state."""

from __future__ import annotations

from dataclasses import replace

from spiders.sjfzxm import RULES, SjfzxmSpider


class OtherSiteSpider(SjfzxmSpider):
    name = "othersite"
    site_rules = replace(RULES, name="othersite")

"""One reader: both the site page and the generic extractor read a page with the same pieces
(text key, canonical-link reader, block model, region finder, declared fields)."""

from __future__ import annotations

import pytest

from crawler.extract import extract_article
from crawler.metadata import PageMetadata
from crawler.page import ArticlePage
from crawler.reading import parse_html
from crawler.site import SiteRules

RULES = SiteRules("t", ("example.com",), ("https://example.com/",), r"^/news/(?P<id>\d+)\.html",
                  r"^/$")
PARAGRAPH = ("Cotton prices rose for a third week as mills in the region restocked ahead of the "
             "season, traders said on Monday, citing firm demand from garment exporters.")


def _page(head: str) -> str:
    return (f"<html><head><title>Mills restock</title>{head}</head><body><article>"
            f"<h1>Mills restock</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>")


@pytest.mark.parametrize(("head", "named"), [
    ('<link rel="canonical" href="/news/7.html">', "https://example.com/news/7.html"),
    # rel is a list of tokens, case-insensitive (WordPress SEO plugins, some CMSs capitalise it)
    ('<link rel="Canonical  alternate" href="/news/7.html">', "https://example.com/news/7.html"),
    # no canonical link: OpenGraph's og:url names the page
    ('<meta property="og:url" content="https://example.com/news/7.html">',
     "https://example.com/news/7.html"),
    ("", None),
])
def test_one_canonical_reader_for_every_reader(head: str, named: str | None) -> None:
    url = "https://example.com/news/7.html?utm_source=x"
    root = parse_html(_page(head))
    assert root is not None
    assert PageMetadata(root).canonical_url(url) == named
    # the generic extractor names the page by it (else by the fetched URL)...
    assert extract_article(_page(head), url=url)["url"] == (named or url)
    # ...and so does a site's record (in the site's canonical form)
    record = ArticlePage(url, _page(head), RULES).record()
    assert record["url"] == "https://example.com/news/7.html"


def test_a_canonical_link_to_another_article_does_not_rename_a_site_record() -> None:
    url = "https://example.com/news/7.html"
    html = _page('<link rel="canonical" href="https://example.com/news/8.html">')
    assert ArticlePage(url, html, RULES).record()["url"] == url
    assert extract_article(html, url=url)["url"] == "https://example.com/news/8.html"

"""One reader: both the site page and the generic extractor read a page with the same pieces
(text key, canonical-link reader, block model, region finder, declared fields)."""

from __future__ import annotations

import pytest
from lxml import etree

from crawler.extract import FIELDS, GenericArticle, extract_article
from crawler.reader.document import Block, PageText, content_region, content_root, parse_html
from crawler.reader.generic.blocks import to_blocks
from crawler.reader.generic.region import find_region
from crawler.reader.metadata import PageMetadata
from crawler.reader.page import ArticlePage
from crawler.reader.page.fields import declared_fields, field
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


def test_the_generic_reader_builds_its_record_from_declared_fields() -> None:
    url = "https://example.com/news/7.html"
    root = parse_html(_page('<meta property="article:section" content="Markets">'))
    assert root is not None
    assert [f.name for f in declared_fields(GenericArticle)] == list(FIELDS)
    record = extract_article(_page('<meta property="article:section" content="Markets">'), url)
    assert list(record) == list(FIELDS) and "fallback_fields" not in record
    assert record["section"] == "Markets" and record["title"] == "Mills restock"

    class KnowsBetter(GenericArticle):
        """A site that knows its section: it declares that field again, nothing else."""

        @field
        def section(self) -> str | None:
            return "Cotton"

    assert KnowsBetter(url, root).record() == {**record, "section": "Cotton"}


def test_site_pages_fall_back_on_the_generic_readers_choices() -> None:
    html = _page('<script type="application/ld+json">{"@type": "NewsArticle", '
                 '"headline": "Mills restock", "author": {"@type": "Person", '
                 '"name": "Jane Roe"}, "keywords": ["cotton", "mills"]}</script>')
    url = "https://example.com/news/7.html"
    root = parse_html(html)
    assert root is not None
    generic, site = GenericArticle(url, root), ArticlePage(url, html, RULES)
    for choice in ("title_choice", "authors_choice", "keywords_choice"):
        assert getattr(site, choice) == getattr(generic, choice)
    assert site.record()["authors"] == ["Jane Roe"] == generic.authors()


def test_one_block_model_for_the_page_and_the_extractors_output() -> None:
    root = parse_html("<html><body><h2>Prices</h2><ul><li>Cotton <a href='/c'>up</a></li></ul>"
                      "<blockquote>Quoted</blockquote><div>(<a href='/a'>dmk</a>)</div>"
                      "</body></html>")
    assert root is not None
    blocks = PageText(root, "https://example.com/").blocks
    assert [(b.tag, b.text) for b in blocks] == [
        ("head", "Prices"), ("item", "Cotton up"), ("quote", "Quoted"), ("p", "( dmk )")]
    assert blocks[0].is_heading and [b.index for b in blocks] == [0, 1, 2, 3]
    # link text is a share of the segments' text, not of the spaces joining them
    assert blocks[3].link_density == 0.6
    # the extractor's blocks are the same class, read from its output tree
    body = etree.fromstring("<body><head>Prices</head><p>Cotton <ref>up</ref> again</p></body>")
    extracted = to_blocks(body)
    assert all(type(b) is Block for b in extracted)
    assert [(b.tag, b.text, b.link_chars) for b in extracted] == [
        ("head", "Prices", 0), ("p", "Cotton up again", 2)]
    assert extracted[0].is_heading and extracted[1].element.tag == "p"
    assert Block("p", "Cotton up again", 2) == extracted[1]  # compared by kind, text, links


def test_one_region_finder_for_both_readers() -> None:
    """A WordPress block theme splits the article into groups, with an ad between them and a
    sidebar beside: both readers take the container holding both groups."""
    group = f'<div class="wp-block-group"><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>'
    html = ('<html><body><div id="page"><main><div class="entry-content">'
            f'{group}<div class="ad">Advertisement</div>{group}</div></main>'
            f'<aside><p>{PARAGRAPH}</p></aside></div></body></html>')
    root = parse_html(html)
    assert root is not None
    content = root.get_element_by_id("page").find("main/div")
    blocks = PageText(root, "https://example.com/").blocks
    assert content_root(blocks) is content
    located = [(b, b.element) for b in blocks]
    assert find_region(located) is content
    assert content_region((b.element, len(b.text)) for b in blocks if b.words > 12) is content
    assert content_region([]) is None


def test_layout_thresholds_are_constants_a_site_overrides() -> None:
    html = ("<html><head><title>Mills restock</title></head><body><article>"
            "<div>Section: <a href='https://example.com/'>Markets</a></div><h1>Mills restock</h1>"
            f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>")
    url = "https://example.com/news/7.html"

    class Strict(ArticlePage):
        LINKED_LINE = 0.99  # a section link must stand alone

    class Lenient(ArticlePage):
        LINKED_LINE = 0.4  # "Section: Markets" is a section link line

    assert ArticlePage(url, html, RULES).record()["category"] is None
    assert Strict(url, html, RULES).record()["category"] is None
    assert Lenient(url, html, RULES).record()["category"] == "Markets"

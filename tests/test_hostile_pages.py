"""Hostile pages (issue 11, items 2 and 9): deep nesting, deep JSON-LD, a block of 100k links.

Each case asserts that the page is read within a generous bound (the work is linear: the bounds
are ten times what a loaded machine needs) and that its text and links are not lost.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.extract import extract_article
from crawler.reader.document import PageText, entries_after, find_label, link_listings, page_links
from crawler.reader.document import parse_html as read_html
from crawler.reader.metadata import jsonld_objects
from crawler.reader.page import ArticlePage
from spiders.juststyle import RULES as JuststyleRules
from spiders.juststyle import JuststyleSpider

SECONDS = 60.0
PARAGRAPH = ("The mill in the valley doubled its output of organic cotton yarn this year, "
             "its owners said on Monday, and plans a second spinning line for next spring.")
CLOSING = "Closing words of the article that come after the deeply nested part of the page."


def nested_page(depth: int) -> str:
    """An article whose middle is ``depth`` levels of <div>, with text after the nesting."""
    deep = "<div>" * depth + f"<p>{PARAGRAPH}</p>" + "</div>" * depth
    return (
        "<html><head><title>Deep page</title></head><body><article><h1>Deep page headline</h1>"
        f"<p>{PARAGRAPH} One.</p>{deep}<p>{PARAGRAPH} Two.</p><p>{CLOSING}</p>"
        '<a href="https://www.just-style.com/news/after-the-nesting/">After</a>'
        "</article></body></html>"
    )


@pytest.mark.parametrize("depth", [600, 5000])
def test_deep_nesting_keeps_the_text_and_links_after_it(depth: int) -> None:
    start = time.perf_counter()
    root = read_html(nested_page(depth))
    assert root is not None
    texts = [b.text for b in PageText(root, "https://www.just-style.com/news/x/").blocks]
    assert CLOSING in texts
    assert "https://www.just-style.com/news/after-the-nesting/" in page_links(root, "https://x/")
    assert time.perf_counter() - start < SECONDS


@pytest.mark.parametrize("depth", [600, 5000])
def test_deep_nesting_article_record_and_generic_body(depth: int) -> None:
    start = time.perf_counter()
    page = ArticlePage("https://www.just-style.com/news/deep/", nested_page(depth), JuststyleRules)
    record = page.record()
    assert CLOSING in (record["body"] or "")
    assert "https://www.just-style.com/news/after-the-nesting/" in page.links()
    assert CLOSING in extract_article(nested_page(depth))["body"]
    assert time.perf_counter() - start < SECONDS


def test_jsonld_nested_5000_deep_is_skipped_not_raised() -> None:
    deep = "[" * 5000 + "]" * 5000
    wide = json.dumps({"@type": "NewsArticle", "headline": "Kept", "@graph": [[[[{"a": 1}]]]]})
    html = (f'<html><head><script type="application/ld+json">{deep}</script>'
            f'<script type="application/ld+json">{wide}</script></head>'
            f"<body><h1>Kept</h1><p>{PARAGRAPH}</p></body></html>")
    root = read_html(html)
    assert root is not None
    objects = jsonld_objects(root)
    assert [o.get("headline") for o in objects][:1] == ["Kept"]
    assert extract_article(html)["body"].startswith("The mill")


@pytest.mark.parametrize("depth", [500, 900])
def test_jsonld_values_nested_deep_are_skipped_not_raised(depth: int) -> None:
    deep = "[" * depth + '"Jane Doe"' + "]" * depth
    html = (f'<html><head><script type="application/ld+json">{{"@type": "NewsArticle", '
            f'"author": {deep}, "image": {deep}, "keywords": {deep}}}</script></head>'
            f"<body><h1>Deep values</h1><p>{PARAGRAPH}</p></body></html>")
    record = ArticlePage("https://www.just-style.com/news/deep-ld/", html, JuststyleRules).record()
    assert record["body"] == PARAGRAPH
    assert extract_article(html)["body"] == PARAGRAPH


def many_links_page(count: int) -> str:
    links = "".join(f'<a href="/news/story-{n}/">Story {n}</a> May {n % 28 + 1}, 2024 '
                    for n in range(count))
    return (f"<html><body><h1>Index</h1><p>Related reading</p><div><p>{links}</p></div>"
            "</body></html>")


def test_a_block_of_many_links_is_read_in_linear_time() -> None:
    count = 20_000
    start = time.perf_counter()
    root = read_html(many_links_page(count))
    assert root is not None
    page = PageText(root, "https://www.just-style.com/")
    listings = link_listings(page, JuststyleRules.article_id)
    assert len(listings) == count
    # each entry keeps the text after it up to the next entry's link, not the rest of the block
    assert listings["story-7"] == ("Story 7", "May 8, 2024")
    label = find_label(page, ArticlePage.RELATED_LABEL)
    assert label is not None
    assert len(entries_after(page, label, JuststyleRules.is_article)) == 50
    assert len(page_links(root, "https://www.just-style.com/", limit=10)) == 10
    assert time.perf_counter() - start < SECONDS


@pytest.fixture
def spider(tmp_path: Path):
    crawler = get_crawler(JuststyleSpider, {"STATE_DIR": str(tmp_path / "state"),
                                            "LINKS_PER_PAGE_MAX": 50})
    spider = JuststyleSpider.from_crawler(crawler)
    crawler.spider = spider
    yield spider
    store = getattr(crawler, "article_store", None)
    if store is not None:
        store.close()


def test_links_per_page_are_capped_with_a_stat(spider) -> None:
    url = "https://www.just-style.com/news/"
    response = HtmlResponse(url, body=many_links_page(500).encode(), request=Request(url),
                            encoding="utf-8")
    requests = [r for r in spider.parse_navigation(response) if isinstance(r, Request)]
    assert 0 < len(requests) <= 50
    assert spider.crawler.stats.get_value("links/capped") == 1


def test_a_page_under_the_cap_is_not_counted(spider) -> None:
    url = "https://www.just-style.com/news/"
    response = HtmlResponse(url, body=many_links_page(20).encode(), request=Request(url),
                            encoding="utf-8")
    requests = [r for r in spider.parse_navigation(response) if isinstance(r, Request)]
    assert len(requests) == 20
    assert spider.crawler.stats.get_value("links/capped") is None


def test_one_parse_per_page(spider, monkeypatch) -> None:
    from crawler.pool import reader
    from crawler.reader import document
    from crawler.reader.page import layout

    calls: list[str] = []

    def counting(html: str):  # noqa: ANN202 - the parser's own signature
        calls.append(html[:20])
        return document.parse_html(html)

    monkeypatch.setattr(reader, "parse_html", counting)
    monkeypatch.setattr(layout, "parse_html", counting)
    url = "https://www.just-style.com/news/one-parse/"
    response = HtmlResponse(url, body=nested_page(3).encode(), request=Request(url),
                            encoding="utf-8")
    out = list(spider.parse_article(response))
    assert any(not isinstance(r, Request) for r in out)  # the article record
    assert len(calls) == 1


def test_what_the_reader_warns_of_is_logged_by_the_spider_and_counted(
        spider, caplog: pytest.LogCaptureFixture) -> None:
    """The reader's warnings come back with the reading (a pool worker has no log): the spider
    logs each once and counts it."""
    url = "https://www.just-style.com/news/a-mill-nested-deep/"
    page = ("<html><head><title>Mill</title></head><body><article><h1>The mill</h1>"
            "<p>Short.</p>" + "<ul><li>item " * 600 + "</article></body></html>")
    response = HtmlResponse(url, body=page.encode(), request=Request(url), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        out = list(spider.parse_article(response))
    assert any(not isinstance(r, Request) for r in out)  # the article record
    assert spider.crawler.stats.get_value("reading/warnings") == 1
    warned = [r for r in caplog.records if "nest 600 deep" in r.getMessage()]
    assert len(warned) == 1 and warned[0].name == spider.logger.name

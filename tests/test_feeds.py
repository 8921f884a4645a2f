"""Feeds and sitemaps: parsing (crawler.feeds) and the spider's routing of them."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import scrapy
from lxml import html as lxml_html
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler import shared
from crawler.feeds import FeedEntry, feed_links, parse_feed, robots_sitemaps
from spiders.juststyle import JuststyleSpider

RSS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>x</title>
<item><title>A &amp; B</title><link>https://e.com/a/</link>
  <pubDate>Wed, 11 May 2022 14:00:00 +0000</pubDate></item>
<item><title>C</title><link>/c/</link><dc:date>2022-05-12T10:00:00Z</dc:date></item>
<item><title>D</title><guid>https://e.com/d/</guid></item>
<item><title>E</title><guid isPermaLink="false">tag:e.com,2022:e</guid></item>
</channel></rss>"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>T</title><link rel="alternate" href="https://e.com/t"/><link rel="edit" href="/x"/>
<published>2021-07-23T08:00:00+01:00</published></entry></feed>"""
NEWS_SITEMAP = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://e.com/old</loc><lastmod>2020-01-01</lastmod></url>
<url><loc>https://e.com/new</loc><news:news><news:publication><news:name>E</news:name>
 </news:publication><news:publication_date>2022-05-11T09:00:00+00:00</news:publication_date>
 <news:title>New</news:title></news:news></url>
<url><loc>https://e.com/new</loc></url></urlset>"""
INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://e.com/s1.xml</loc><lastmod>2019-01-01</lastmod></sitemap>
<sitemap><loc>/s2.xml</loc><lastmod>2022-01-01</lastmod></sitemap></sitemapindex>"""


def test_rss_entries_newest_first_with_titles_and_dates() -> None:
    doc = parse_feed(RSS, "https://e.com/feed/")
    assert doc.kind == "rss"
    assert doc.entries == [
        FeedEntry("https://e.com/c/", "C", "2022-05-12T10:00:00+00:00"),
        FeedEntry("https://e.com/a/", "A & B", "2022-05-11T14:00:00+00:00"),
        FeedEntry("https://e.com/d/", "D", None),  # a guid that is a permalink
    ]


def test_atom_takes_the_alternate_link() -> None:
    doc = parse_feed(ATOM, "https://e.com/")
    assert doc.kind == "atom"
    # dates come in the site's zone (here the default, UTC), as its pages print them
    assert doc.entries == [FeedEntry("https://e.com/t", "T", "2021-07-23T07:00:00+00:00")]


def test_news_sitemap_gives_titles_and_publication_dates_not_lastmod() -> None:
    doc = parse_feed(NEWS_SITEMAP, "https://e.com/sitemap.xml")
    assert doc.kind == "urlset"
    assert doc.entries == [FeedEntry("https://e.com/new", "New", "2022-05-11T09:00:00+00:00"),
                           FeedEntry("https://e.com/old", None, None)]


def test_sitemap_index_lists_newest_sitemaps_first_and_caps() -> None:
    doc = parse_feed(INDEX, "https://e.com/sitemap_index.xml", max_entries=1)
    assert (doc.kind, doc.sitemaps, doc.left_out) == ("sitemapindex", ["https://e.com/s2.xml"], 1)


def test_gzipped_sitemap_and_entry_cap() -> None:
    doc = parse_feed(gzip.compress(NEWS_SITEMAP), "https://e.com/s.xml.gz", max_entries=1)
    assert [e.url for e in doc.entries] == ["https://e.com/new"] and doc.left_out == 1


@pytest.mark.parametrize("body", [b"", b"not xml", b"<html><body>x</body></html>",
                                  b"\x1f\x8b broken gzip", b"<rss><channel><item>"])
def test_junk_is_no_feed(body: bytes) -> None:
    doc = parse_feed(body, "https://e.com/")
    assert doc.entries == [] and doc.sitemaps == []


def test_links_no_url_can_be_made_of_are_left_out() -> None:
    """urljoin raises ValueError on "http://[host...": such an entry is skipped, not the feed."""
    rss = (b"<rss><channel><item><link>https://[e.com/a</link></item>"
           b"<item><link>https://e.com/b</link></item></channel></rss>")
    assert [e.url for e in parse_feed(rss, "https://e.com/feed").entries] == ["https://e.com/b"]
    index = (b"<sitemapindex><sitemap><loc>http://[x/s.xml</loc></sitemap>"
             b"<sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>")
    assert parse_feed(index, "https://e.com/i.xml").sitemaps == ["https://e.com/s2.xml"]
    assert robots_sitemaps("Sitemap: http://[x/s.xml\nSitemap: /s.xml\n",
                           "https://e.com/robots.txt") == ["https://e.com/s.xml"]
    page = lxml_html.fromstring('<link rel="alternate" type="application/rss+xml" '
                                'href="http://[x/feed">')
    assert feed_links(page, "https://e.com/") == []


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rss><channel><item><title>&x;</title><link>/a</link></item></channel></rss>').encode()
    doc = parse_feed(body, "https://e.com/")
    assert "TOPSECRET" not in (doc.entries[0].title or "")


def test_discovery_from_robots_and_page_links() -> None:
    robots = "User-agent: *\nDisallow: /x\nSitemap: https://e.com/a.xml\nsitemap:/b.xml\n"
    assert robots_sitemaps(robots, "https://e.com/robots.txt") == ["https://e.com/a.xml",
                                                                   "https://e.com/b.xml"]
    page = lxml_html.document_fromstring(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<link rel="alternate" type="application/atom+xml" href="https://e.com/atom">'
        '<link rel="alternate" hreflang="de" href="/de/"><link rel="stylesheet" href="/s.css">'
        '</head><body></body></html>')
    assert feed_links(page, "https://e.com/news/") == ["https://e.com/feed/", "https://e.com/atom"]


# --- routing in the spider ----------------------------------------------------------------------
@pytest.fixture
def spider(tmp_path: Path):
    crawler = get_crawler(JuststyleSpider, {"STATE_DIR": str(tmp_path / "state"),
                                            "SITE_FEEDS_MAX_DOCUMENTS": 3})
    spider = JuststyleSpider.from_crawler(crawler)
    crawler.spider = spider
    yield spider
    store = shared.ARTICLE_STORE.get(crawler)
    if store is not None:
        store.close()


def _response(cls: type[Response], url: str, body: bytes) -> Response:
    return cls(url, body=body, request=Request(url), **({"encoding": "utf-8"} if issubclass(
        cls, TextResponse) else {}))


def test_robots_sitemaps_on_other_hosts_are_not_requested(spider) -> None:
    robots = (b"Sitemap: https://www.just-style.com/sitemap_index.xml\n"
              b"Sitemap: https://cdn.example.net/sitemap.xml\n")
    got = list(spider.parse_robots(_response(TextResponse, "https://www.just-style.com/robots.txt",
                                              robots)))
    assert [r.url for r in got] == ["https://www.just-style.com/sitemap_index.xml"]
    assert got[0].callback == spider.parse_feed


def test_feed_entries_become_article_requests_with_their_listing(spider) -> None:
    body = b"""<rss><channel>
      <item><title>Shown title</title><link>https://www.just-style.com/news/a-story/</link>
        <pubDate>Fri, 23 Jul 2021 09:00:00 +0000</pubDate></item>
      <item><title>Not an article</title><link>https://www.just-style.com/about-us/</link></item>
      <item><title>Elsewhere</title><link>https://other.example/news/x/</link></item>
    </channel></rss>"""
    got = list(spider.parse_feed(_response(XmlResponse, "https://www.just-style.com/feed/", body)))
    assert [r.url for r in got] == ["https://www.just-style.com/news/a-story/"]
    assert isinstance(got[0], scrapy.Request) and got[0].callback == spider.parse_article
    assert spider.crawler.stats.get_value("feeds/entries") == 1


@pytest.mark.parametrize("body", [b"<html><body><p>Page not found</p></body></html>",
                                  b"<https://www.just-style.com/contact-us/</loc></url>\n</urlset>"])
def test_a_document_that_is_no_feed_is_logged_and_counted(spider, body: bytes,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    url = "https://www.just-style.com/sitemap.xml"
    assert list(spider.parse_feed(_response(XmlResponse, url, body))) == []
    assert spider.crawler.stats.get_value("feeds/not_feed") == 1
    assert f"Not a feed or sitemap, nothing followed: {url}" in caplog.text


def test_index_children_are_capped_and_nested_indexes_not_followed(spider) -> None:
    children = "".join(f"<sitemap><loc>https://www.just-style.com/s{i}.xml</loc></sitemap>"
                       for i in range(5)).encode()
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + children + \
        b"</sitemapindex>"
    got = list(spider.parse_feed(_response(XmlResponse, "https://www.just-style.com/i.xml", index)))
    assert len(got) == 3  # SITE_FEEDS_MAX_DOCUMENTS
    nested = _response(XmlResponse, "https://www.just-style.com/s0.xml", index)
    nested.request.meta["feed_depth"] = 1
    assert list(spider.parse_feed(nested)) == []


def test_start_pages_announce_feeds_once(spider) -> None:
    page = (b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed/"></head>'
            b"<body><p>list</p></body></html>")
    response = _response(HtmlResponse, "https://www.just-style.com/news/", page)
    response.request.meta.update({"nav_depth": 0, "barren": 0})
    first = [r.url for r in spider.parse_navigation(response) if r.callback == spider.parse_feed]
    again = [r.url for r in spider.parse_navigation(response) if r.callback == spider.parse_feed]
    assert first == ["https://www.just-style.com/feed/"] and again == []


def test_feeds_can_be_switched_off(tmp_path: Path) -> None:
    crawler = get_crawler(JuststyleSpider, {"STATE_DIR": str(tmp_path / "s"),
                                            "SITE_FEEDS_ENABLED": False})
    spider = JuststyleSpider.from_crawler(crawler)
    assert list(spider.feed_start_requests()) == []
    store = shared.ARTICLE_STORE.get(crawler)
    if store is not None:
        store.close()


def test_robots_txt_is_read_once(tmp_path: Path) -> None:
    """With ROBOTSTXT_OBEY the middleware's copy is read (signal); without it the spider asks."""
    for obey, wanted in ((True, []), (False, ["https://www.just-style.com/robots.txt"])):
        crawler = get_crawler(JuststyleSpider, {"STATE_DIR": str(tmp_path / f"s{obey}"),
                                                "ROBOTSTXT_OBEY": obey})
        spider = JuststyleSpider.from_crawler(crawler)
        assert [r.url for r in spider.feed_start_requests()] == wanted
        store = shared.ARTICLE_STORE.get(crawler)
        if store is not None:
            store.close()

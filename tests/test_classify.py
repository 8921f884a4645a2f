"""The generic mode's decisions on stored pages: article or navigation, URL shape, page identity."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from pathlib import Path

import pytest

from crawler.classify import ARTICLE, NAVIGATION, UNKNOWN, is_page_link, page_evidence, url_shape
from crawler.generic import GenericArticlePage, GenericRules, parse_timezone, site_name
from crawler.reader.document import parse_html
from crawler.reader.generic.encoding import decode_html

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = [
    "sjfzxm/article-587064-portal", "sjfzxm/article-587064-redesign", "sjfzxm/article-gb2312",
    "sjfzxm/article-generated-portal", "sjfzxm/article-generated-redesign",
    "sjfzxm/article-legacy2010-412873", "sjfzxm/article-nodate",
    "extract/news_article", "extract/jsonld_thin", "extract/split_chunks",
    "extract/table_layout", "extract/cp1252_meta", "extract/gbk_meta",
]
NAVIGATION_PAGES = [
    "sjfzxm/list-portal-page1", "sjfzxm/list-portal-page3", "sjfzxm/list-redesign-page2",
    "extract/no_article",
    "sjfzxm/article-deleted",  # a placeholder: no story to emit, whatever its URL says
]


def evidence(case: str):
    folder = FIXTURES / case
    url = json.loads((folder / "meta.json").read_text("utf-8"))["url"]
    return page_evidence(parse_html(decode_html((folder / "page.html").read_bytes(), None)), url)


@pytest.mark.parametrize("case", ARTICLES)
def test_article_pages_are_articles(case: str) -> None:
    found = evidence(case)
    assert found.is_article, (found.score, found.signals())


@pytest.mark.parametrize("case", NAVIGATION_PAGES)
def test_navigation_pages_are_not(case: str) -> None:
    found = evidence(case)
    assert not found.is_article, (found.score, found.signals())


def test_a_list_of_teasers_is_no_article_body() -> None:
    # Each list item has a long link-free teaser; a body is one uninterrupted run of them.
    found = evidence("sjfzxm/list-redesign-page2")
    assert found.run_paragraphs == 1 and "text_none" in found.signals()


@pytest.mark.parametrize(("url", "shape"), [
    ("http://a.example/global/en/587004.html", ARTICLE),  # numeric id
    ("https://a.example/2021/07/23/cotton-prices-rise", ARTICLE),  # dated path with a slug
    ("https://a.example/news/textile-mills-in-vietnam-add-capacity/", ARTICLE),  # long slug
    ("http://a.example/news/show.asp?id=587064", ARTICLE),  # id parameter
    ("http://a.example/news/20231108.html", ARTICLE),
    ("http://a.example/global/en/", NAVIGATION),
    ("http://a.example/global/en/index_2.html", NAVIGATION),  # pagination
    ("http://a.example/global/en/archive/2021-09-08.html", NAVIGATION),  # date archive
    ("https://a.example/tag/cotton-prices-in-china-this-year", NAVIGATION),
    ("https://a.example/", NAVIGATION),
    ("https://a.example/markets/cotton", UNKNOWN),
    ("https://a.example/img/a-very-long-image-file-name.jpg", UNKNOWN),
])
def test_url_shape(url: str, shape: int) -> None:
    assert url_shape(url) == shape


def test_links_never_worth_fetching() -> None:
    assert not is_page_link("http://a.example/member/login.html")
    assert not is_page_link("http://a.example/files/report.pdf")
    assert not is_page_link("mailto:x@a.example")
    assert is_page_link("http://a.example/global/en/")


def rules() -> GenericRules:
    return GenericRules("example.com", ("example.com", "mirror.example.net"),
                        ("http://www.example.com/news/",))


def test_page_identity_leaves_out_tracking_fragment_and_the_primary_host() -> None:
    site = rules()
    url = "http://WWW.example.com/news/123456.html?utm_source=x&from=timeline#comments"
    assert site.article_id(url) == "/news/123456.html"
    assert site.record_id(site.article_id(url) or "") == "example.com:/news/123456.html"
    assert site.canonical(url) == "http://www.example.com/news/123456.html"
    assert site.article_id("http://offsite.example/news/123456.html") is None
    assert site.is_list("http://www.example.com/news/index_2.html")
    assert not site.is_list("http://www.example.com/news/123456.html")


def test_a_mirror_folds_once_a_canonical_link_says_so() -> None:
    site = rules()
    mirror = "http://mirror.example.net/news/123456.html"
    assert site.request_key(mirror) == "example.com:mirror.example.net/news/123456.html"
    site.learn_canonical(mirror, "http://www.example.com/news/123456.html")
    assert site.article_id(mirror) == "/news/123456.html"  # one record, one request from now on
    # ... but the fingerprint of a URL never changes during a run (else it is fetched twice)
    assert site.request_key(mirror) == "example.com:mirror.example.net/news/123456.html"
    assert site.canonical("http://mirror.example.net/news/9999.html") == (
        "http://www.example.com/news/9999.html")


def test_a_canonical_link_to_another_path_or_host_teaches_nothing() -> None:
    site = rules()
    site.learn_canonical("http://mirror.example.net/a/1234.html", "http://www.example.com/b/1234.html")
    site.learn_canonical("http://mirror.example.net/a/1234.html", "http://elsewhere.org/a/1234.html")
    assert site.aliases == {}


def test_record_is_named_after_its_canonical_link() -> None:
    folder = FIXTURES / "sjfzxm/article-587064-redesign"
    site = GenericRules("sjfzxm.com", ("sjfzxm.com",), ("http://www.sjfzxm.com/global/en/",))
    url = "http://weixifushi88.sjfzxm.com/global/en/587064.html?from=timeline"
    page = GenericArticlePage(url, decode_html((folder / "page.html").read_bytes(), None), site)
    record = page.record()
    assert record["url"] == "http://www.sjfzxm.com/global/en/587064.html"
    assert record["id"] == "sjfzxm.com:/global/en/587064.html"
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    assert record["title"] == expected["title"]
    # the page's metadata states +08:00, so its naive byline time is read in that zone
    assert record["published_at"] == expected["published_at"]


def test_time_zone_argument() -> None:
    assert parse_timezone("+08:00") == timezone(timedelta(hours=8))
    assert parse_timezone("UTC-0530") == timezone(-timedelta(hours=5, minutes=30))
    assert parse_timezone(None) == timezone.utc
    assert str(parse_timezone("Asia/Shanghai")) == "Asia/Shanghai"


def test_site_name_is_the_registered_domain() -> None:
    assert site_name("https://www.fibre2fashion.com/news/") == "fibre2fashion.com"
    assert site_name("http://127.0.0.1:8000/global/en/") == "127.0.0.1"

"""Declared page fields: the record is built from them, fallbacks are derived, sites override."""

from __future__ import annotations

from pathlib import Path

from crawler.reader.page import ArticlePage
from crawler.reader.page.fields import Field, build_record, declared_fields, field
from spiders.juststyle import RULES
from spiders.sjfzxm import RULES as SJFZXM_RULES
from spiders.sjfzxm import SjfzxmArticlePage


class Page:
    calls = 0

    def __init__(self, own: str | None, generic: str | None) -> None:
        self.own, self.generic = own, generic

    def _generic_title(self) -> str | None:
        return self.generic

    @field(fallback="_generic_title")
    def title(self) -> str | None:
        Page.calls += 1
        return self.own

    @field(name="id")
    def record_id(self) -> str:
        return "x1"

    @field(accept=lambda page, words: len(words) > 1, fallback=lambda page: ["a", "b"])
    def keywords(self) -> list[str]:
        return ["a"]


class SitePage(Page):
    def title(self) -> str | None:  # a plain override is the field, without a fallback
        return "site title"


def test_the_record_is_every_declared_field_and_the_fallbacks_used() -> None:
    assert build_record(Page("Own", "Generic")) == {
        "title": "Own", "id": "x1", "keywords": ["a", "b"], "fallback_fields": ["keywords"]}
    assert build_record(Page(None, "Generic"))["fallback_fields"] == ["keywords", "title"]
    assert build_record(Page(None, "Generic"))["title"] == "Generic"


def test_an_empty_fallback_keeps_the_own_value_and_is_not_counted() -> None:
    record = build_record(Page(None, None))
    assert record["title"] is None
    assert "title" not in record["fallback_fields"]


def test_a_field_is_computed_once_per_page() -> None:
    page = Page("Own", None)
    Page.calls = 0
    assert page.title() == page.title() == build_record(page)["title"] == "Own"
    assert Page.calls == 1


def test_a_site_override_keeps_the_field_in_place() -> None:
    assert [f.name for f in declared_fields(SitePage)] == ["title", "id", "keywords"]
    assert build_record(SitePage(None, "Generic"))["title"] == "site title"
    assert isinstance(vars(Page)["title"], Field)


def test_a_class_fields_are_found_once() -> None:
    # the class's MRO is read once, not once a page: the same fields each time
    assert list(declared_fields(SitePage)) == list(declared_fields(SitePage))
    assert all(a is b for a, b in zip(declared_fields(SitePage), declared_fields(SitePage),
                                      strict=True))
    assert next(declared_fields(SitePage)).read is vars(SitePage)["title"]  # its own, per class
    assert next(declared_fields(Page)) is vars(Page)["title"]


BODY = "<p>" + "A paragraph of the article that is long enough to be a body. " * 3 + "</p>"


def test_article_page_body_falls_back_to_the_generic_reader_on_the_same_tree() -> None:
    html = (f"<html><head><title>T</title></head><body><div><h1>Headline of the story</h1>"
            f"</div><section><article>{BODY}{BODY}</article></section></body></html>")
    page = ArticlePage("https://www.just-style.com/news/fields/", html, RULES)
    record = page.record()
    assert set(record) >= {"id", "site", "url", "fetched_url", "title", "body", "authors"}
    assert record["url"] == "https://www.just-style.com/news/fields/"
    assert record["body"] and record["body"].startswith("A paragraph of the article")


def test_field_sources_leaves_the_generic_keywords_unread_where_the_site_read_them() -> None:
    # the generic choice (tag links, labelled rows, tag lists...) is a whole-page search:
    # where the site's own rule read the keywords, neither the field nor its source needs it
    case = Path(__file__).parent / "fixtures" / "sjfzxm" / "article-587064-portal"
    html = (case / "page.html").read_text("utf-8")
    url = "http://weixifushi88.sjfzxm.com/global/en/587064.html"
    page = SjfzxmArticlePage(url, html, SJFZXM_RULES)
    assert page.record()["keywords"] == ["Aksu Textile Industrial City"]
    assert page.field_sources()["keywords"] == "site"
    assert "keywords_choice" not in vars(page)

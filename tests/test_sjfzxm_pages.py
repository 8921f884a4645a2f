"""Every stored sjfzxm page against its expected record, field by field (Fundus-style)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from crawler.items import Article, article_schema
from crawler.reader.document import page_links
from pipelines.clean import CleanPipeline
from pipelines.validate import ArticleSchema, problems
from spiders.sjfzxm import RULES, SjfzxmArticlePage

VALIDATOR = ArticleSchema(article_schema())

FIXTURES = Path(__file__).parent / "fixtures" / "sjfzxm"
CASES = sorted(p for p in FIXTURES.glob("*/") if
               (p / "expected.json").exists())
ARTICLE_FIELDS = ("id", "url", "title", "published_at", "body", "source", "keywords", "related",
                  "next", "views", "category")


def load(case: Path) -> tuple[dict, str, dict]:
    meta = json.loads((case / "meta.json").read_text("utf-8"))
    raw = (case / "page.html").read_bytes()
    html = raw.decode(meta.get("encoding") or "utf-8")
    return meta, html, json.loads((case / "expected.json").read_text("utf-8"))


def article_cases() -> list[Path]:
    return [c for c in CASES if json.loads((c / "meta.json").read_text())["kind"] == "article"]


def list_cases() -> list[Path]:
    return [c for c in CASES if json.loads((c / "meta.json").read_text())["kind"] == "list"]


def test_there_are_fixtures_in_at_least_two_layouts() -> None:
    layouts = {json.loads((c / "meta.json").read_text())["layout"] for c in article_cases()}
    assert len(layouts) >= 2, layouts


@pytest.mark.parametrize("case", article_cases(), ids=lambda p: p.name)
def test_article_page(case: Path) -> None:
    meta, html, expected = load(case)
    record = SjfzxmArticlePage(meta["url"], html, RULES).record()
    if expected is None:  # not an article (a deleted-article notice): validation must drop it
        item = CleanPipeline().process_item(Article(**record, crawled_at="2026-01-01T00:00:00Z"))
        found = problems(asdict(item), VALIDATOR)
        assert found is not None and found[0] in ("placeholder_body", "missing_body"), found
        return
    for field in ARTICLE_FIELDS:
        if field in expected:
            assert record[field] == expected[field], f"{case.name}: {field}"


@pytest.mark.parametrize("case", list_cases(), ids=lambda p: p.name)
def test_list_page_links_every_article_in_order(case: Path) -> None:
    meta, html, expected = load(case)
    from parsel import Selector
    links = page_links(Selector(text=html).root, meta["url"])
    articles = list(dict.fromkeys(RULES.canonical(u) for u in links if RULES.is_article(u)))
    wanted = expected["articles"]
    assert [a for a in articles if a in wanted] == wanted


def test_truncated_and_malformed_html_still_gives_what_it_holds() -> None:
    meta, html, expected = load(FIXTURES / "article-587064-portal")
    cut = html[: html.index("Up to now")]  # the page ends in the middle of a paragraph
    record = SjfzxmArticlePage(meta["url"], cut + "<div><p>unclosed <b>tags", RULES).record()
    assert record["title"] == expected["title"]
    assert record["published_at"] == expected["published_at"]
    assert record["body"].startswith("Recently, Xinjiang Digital Economy")
    assert record["related"] == [] and record["next"] is None


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "not html at all", "\x00\x01"])
def test_empty_or_junk_pages_give_no_article(html: str) -> None:
    record = SjfzxmArticlePage("http://www.sjfzxm.com/global/en/1.html", html, RULES).record()
    assert problems({**record, "crawled_at": "2026-01-01T00:00:00Z", "content_hash": "0" * 32,
                     "revision": 1, "updated": False, "schema_version": "1.1"}, VALIDATOR)


def test_a_source_run_on_at_the_end_of_the_last_paragraph() -> None:
    meta, html, expected = load(FIXTURES / "article-587064-portal")
    joined = html.replace("with remarkable results.</p>", "with remarkable results. ", 1)
    assert joined != html
    joined = joined.replace("<p>(source: Aksu daily)</p>", "(source: Aksu daily)</p>", 1)
    record = SjfzxmArticlePage(meta["url"], joined, RULES).record()
    assert record["source"] == "Aksu daily"
    assert record["body"] == expected["body"]

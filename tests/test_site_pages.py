"""Every stored page of every site module against its expected record, field by field (Fundus).

``tests/test_sjfzxm_pages.py`` keeps the sjfzxm-only checks (truncated pages, junk input); this runs
the cases of all sites, sjfzxm included, the same way.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from parsel import Selector

from crawler.items import Article, article_schema
from crawler.reader.document import PageText, link_listings, page_links
from pipelines.clean import CleanPipeline
from pipelines.validate import ArticleSchema, problems
from tests.site_cases import cases, load, site_spiders

VALIDATOR = ArticleSchema(article_schema())
SPIDERS = site_spiders()
ALL_CASES = [(site, case) for site in SPIDERS for case in cases(site)]


def _kind(case: Path) -> str:
    return json.loads((case / "meta.json").read_text("utf-8"))["kind"]


ARTICLES = [c for c in ALL_CASES if _kind(c[1]) == "article"]
LISTS = [c for c in ALL_CASES if _kind(c[1]) == "list"]


def _id(value: tuple[str, Path]) -> str:
    return f"{value[0]}/{value[1].name}"


@pytest.mark.parametrize("site", sorted(SPIDERS))
def test_every_site_has_two_layouts_and_a_list(site: str) -> None:
    layouts = {load(c)[0]["layout"] for s, c in ARTICLES if s == site}
    assert len(layouts) >= 2, layouts
    assert any(s == site for s, _ in LISTS)


@pytest.mark.parametrize("site_case", ARTICLES, ids=_id)
def test_article_page(site_case: tuple[str, Path]) -> None:
    site, case = site_case
    spider = SPIDERS[site]
    meta, html, expected = load(case)
    record = spider.page_class(meta["url"], html, spider.site_rules).record()
    item = CleanPipeline().process_item(Article(**record, crawled_at="2026-01-01T00:00:00Z"))
    found = problems(asdict(item), VALIDATOR)
    if expected is None:  # not an article (a deleted-article notice): validation must drop it
        assert found is not None and found[0] in ("placeholder_body", "missing_body"), found
        return
    assert found is None, found
    for field, value in expected.items():
        assert record[field] == value, f"{site}/{case.name}: {field}"
    for snippet in meta.get("body_excludes", []):
        assert snippet not in record["body"], f"{site}/{case.name}: {snippet!r} in body"


@pytest.mark.parametrize("site_case", LISTS, ids=_id)
def test_list_page_links_every_article_in_order(site_case: tuple[str, Path]) -> None:
    site, case = site_case
    rules = SPIDERS[site].site_rules
    meta, html, expected = load(case)
    links = page_links(Selector(text=html).root, meta["url"])
    articles = list(dict.fromkeys(rules.canonical(u) for u in links if rules.is_article(u)))
    wanted = expected["articles"]
    assert [a for a in articles if a in wanted] == wanted
    listings = link_listings(PageText(Selector(text=html).root, meta["url"]), rules.article_id)
    for url, shown in expected.get("listed", {}).items():
        assert list(SPIDERS[site].page_class.listing(*listings[rules.article_id(url)])) == shown
    for url in expected.get("not_articles", []):
        assert not rules.is_article(url), url
    for url in expected.get("lists", []):
        assert rules.is_list(url), url

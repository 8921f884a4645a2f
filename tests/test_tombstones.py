"""Tombstones: an emitted article gone from the site (404/410, or a deleted-article notice)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import Article, article_schema
from crawler.state import store_for
from localsite.__main__ import apply_changes, parse_args
from localsite.article import DELETED
from localsite.model import SiteModel
from pipelines.clean import CleanPipeline
from pipelines.dedup import DedupPipeline
from pipelines.incremental import IncrementalPipeline
from pipelines.tombstone import TombstonePipeline
from pipelines.validate import ValidatePipeline
from spiders.sjfzxm import SjfzxmSpider
from tests.test_pipelines import article

NOTICE = "The article does not exist or has been deleted."
URL = "http://www.sjfzxm.com/global/en/1.html"


def stages(crawler):
    return [CleanPipeline(), TombstonePipeline.from_crawler(crawler),
            ValidatePipeline.from_crawler(crawler), IncrementalPipeline.from_crawler(crawler),
            DedupPipeline.from_crawler(crawler)]


def run(crawler, item):
    for stage in stages(crawler):
        item = stage.process_item(item)
    return item


def notice_page() -> Article:
    return Article(id="sjfzxm:1", site="sjfzxm", url=URL, title="Aksu Textile City Listed",
                   body=NOTICE, crawled_at="2026-11-27T00:00:00Z", fetched_url=URL)


def test_a_notice_of_an_emitted_article_becomes_its_tombstone_once(crawler) -> None:
    store = store_for(crawler)
    store.record_emitted([asdict(run(crawler, article()))])
    gone = run(crawler, notice_page())
    assert gone.deleted and gone.revision == 2 and gone.updated
    assert gone.title is None and gone.body is None and gone.content_hash is None
    assert gone.url == URL and crawler.stats.get_value("tombstone/notice") == 1
    assert crawler.stats.get_value("incremental/deleted") == 1
    store.record_emitted([asdict(gone)])
    with pytest.raises(DropItem, match="Unchanged"):
        run(crawler, notice_page())


def test_a_notice_of_an_article_never_emitted_is_dropped_as_before(crawler) -> None:
    with pytest.raises(DropItem, match="placeholder_body"):
        run(crawler, notice_page())
    assert crawler.stats.get_value("tombstone/notice") is None


def test_an_article_back_after_its_tombstone_is_a_new_revision(crawler) -> None:
    store = store_for(crawler)
    store.record_emitted([asdict(run(crawler, article()))])
    store.record_emitted([asdict(run(crawler, notice_page()))])
    back = run(crawler, article())
    assert back.revision == 3 and not back.deleted and back.body


def test_schema_allows_null_content_only_in_a_tombstone() -> None:
    validator = Draft202012Validator(article_schema())
    good = asdict(article())
    assert not list(validator.iter_errors(good))
    tombstone = good | {"title": None, "body": None, "content_hash": None, "deleted": True}
    assert not list(validator.iter_errors(tombstone))
    assert list(validator.iter_errors(tombstone | {"deleted": False}))
    assert list(validator.iter_errors(good | {"deleted": True}))  # a tombstone has no body


def spider_with_emitted(crawler) -> SjfzxmSpider:
    spider = SjfzxmSpider.from_crawler(crawler)
    store_for(crawler).record_emitted([asdict(run(crawler, article()))])
    return spider


def http_failure(status: int, article_id: str = "1") -> Failure:
    request = Request(URL, meta={"article_id": article_id})
    response = Response(URL, status=status, request=request)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request  # type: ignore[attr-defined]  # as Scrapy's errbacks get it
    return failure


@pytest.mark.parametrize("status", [404, 410])
def test_an_emitted_article_answering_gone_gets_a_tombstone(crawler, status: int) -> None:
    spider = spider_with_emitted(crawler)
    (gone,) = list(spider.on_error(http_failure(status)))
    assert gone.deleted and gone.id == "sjfzxm:1" and gone.url == URL
    assert crawler.stats.get_value(f"tombstone/gone/{status}") == 1
    assert run(crawler, gone).revision == 2


@pytest.mark.parametrize(("status", "article_id"), [(500, "1"), (404, "2")])
def test_other_failures_are_dangling_links_not_tombstones(crawler, status, article_id) -> None:
    spider = spider_with_emitted(crawler)
    assert list(spider.on_error(http_failure(status, article_id))) == []
    assert crawler.stats.get_value(f"links/dangling/{status}") == 1


def test_localsite_command_line_retitles_and_deletes() -> None:
    model = SiteModel.generate(30, seed=0)
    first, second = sorted(model.emitted_ids())[:2]
    apply_changes(model, parse_args(["--retitle", f"{first}=New headline", "--delete",
                                     str(second)]))
    assert model.articles[first].title == "New headline"
    assert model.articles[second].kind == DELETED
    for bad in (["--retitle", "x"], ["--retitle", f"{first}="], ["--delete", "1"]):
        with pytest.raises(SystemExit):
            apply_changes(model, parse_args(bad))

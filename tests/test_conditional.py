"""Conditional requests: validators kept in the state, 304s not read, the local site's answers."""

from __future__ import annotations

import re
from email.message import Message
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response

from crawler.conditional import (
    ConditionalRequestMiddleware,
    Outline,
    is_not_modified,
    validators_of,
)
from crawler.state.store import ArticleStore
from localsite.model import SiteModel
from localsite.routes import Response as SiteResponse
from localsite.server import LocalSite
from localsite.validators import FIRST_VERSION_TIME, Validators
from tests.crawl_helpers import number, outputs, read_jsonl, run_crawl

ARTICLE = re.compile(r"/global/en/(\d+)\.html")
RECORD = {"id": "sjfzxm:1", "url": "http://www.sjfzxm.com/global/en/1.html", "title": "Aksu",
          "published_at": None, "content_hash": "a" * 32, "revision": 1}


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def stat(log: str, name: str) -> int:
    """A counter from the stats Scrapy dumps at the end of the log (0 when absent)."""
    found = re.findall(rf"'{re.escape(name)}': (\d+)", log)
    return int(found[-1]) if found else 0


# --- the state ------------------------------------------------------------------------------------
def test_article_validators_only_for_the_emitted_content(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    store.remember_validators("sjfzxm:1", '"v1"', None, "a" * 32)
    assert store.article_validators("sjfzxm:1") is None  # read, but never emitted
    store.record_emitted([RECORD])
    assert store.article_validators("sjfzxm:1") == ('"v1"', None)
    # A changed version read but not (yet) durably emitted: its validators must not be sent.
    store.remember_validators("sjfzxm:1", '"v2"', "Mon, 02 Nov 2026 00:00:00 GMT", "b" * 32)
    assert store.article_validators("sjfzxm:1") is None
    store.forget("sjfzxm:1")
    store.close()


def test_page_validators_come_with_an_outline(tmp_path: Path) -> None:
    store = ArticleStore(tmp_path / "s.sqlite3")
    outline = Outline([("http://x/1.html", "One", "2026-11-01")], ["http://x/2"], ["http://x/f"])
    store.remember_validators("http://x/", '"e"', None, outline=outline.dumps())
    store.remember_validators("http://x/bare", '"e"', None)
    assert store.page_validators("http://x/") == ('"e"', None)
    assert store.page_validators("http://x/bare") is None  # nothing to replay on a 304
    assert Outline.loads(store.page_outline("http://x/") or "") == outline
    store.close()


# --- the middleware -------------------------------------------------------------------------------
@pytest.fixture
def middleware(tmp_path: Path):
    store = ArticleStore(tmp_path / "s.sqlite3")
    store.record_emitted([RECORD])
    store.remember_validators("sjfzxm:1", '"v1"', "Sun, 01 Nov 2026 00:00:00 GMT", "a" * 32)
    yield ConditionalRequestMiddleware(store, Stats())
    store.close()


def test_a_refetch_is_conditional_and_bypasses_the_cache(middleware) -> None:
    request = Request(RECORD["url"], meta={"conditional": "article",
                                           "conditional_key": "sjfzxm:1"})
    middleware.process_request(request)
    assert request.headers["If-None-Match"] == b'"v1"'
    assert request.headers["If-Modified-Since"] == b"Sun, 01 Nov 2026 00:00:00 GMT"
    assert request.meta["dont_cache"] is True
    assert 304 in request.meta["handle_httpstatus_list"]
    response = Response(RECORD["url"], status=304, request=request)
    assert middleware.process_response(request, response) is response
    assert is_not_modified(response)
    assert middleware.stats.values == {"conditional/sent": 1, "conditional/not_modified": 1}


def test_a_new_article_and_a_redirect_target_get_no_stale_validators(middleware) -> None:
    new = Request("http://www.sjfzxm.com/global/en/2.html", meta={"conditional": "article"})
    middleware.process_request(new)
    assert b"If-None-Match" not in new.headers and "dont_cache" not in new.meta
    # RedirectMiddleware copies headers to the target; validators are chosen anew for its URL.
    moved = Request("http://www.sjfzxm.com/global/en/", meta={"conditional": "page"},
                    headers={"If-None-Match": '"other"', "If-Modified-Since": "x"})
    middleware.process_request(moved)
    assert b"If-None-Match" not in moved.headers and b"If-Modified-Since" not in moved.headers


def test_a_stray_304_is_not_taken_for_unchanged(middleware) -> None:
    request = Request("http://www.sjfzxm.com/global/en/3.html", meta={"conditional": "article"})
    middleware.process_request(request)
    assert not is_not_modified(Response(request.url, status=304, request=request))


def test_validators_are_read_from_headers() -> None:
    response = HtmlResponse("http://x/", headers={"ETag": '"abc"'}, body=b"<html></html>")
    assert validators_of(response) == ('"abc"', None)


# --- the local site -------------------------------------------------------------------------------
def headers(**values: str) -> Message:
    message = Message()
    for name, value in values.items():
        message[name.replace("_", "-")] = value
    return message


def test_local_site_validators_change_exactly_when_the_page_does() -> None:
    validators = Validators()
    first = validators.of("h/p", SiteResponse(200, b"one"))
    assert first is not None and first.modified == FIRST_VERSION_TIME
    assert validators.of("h/p", SiteResponse(200, b"one")) == first
    second = validators.of("h/p", SiteResponse(200, b"two"))
    assert second is not None and second.etag != first.etag and second.modified > first.modified
    assert validators.of("h/p", SiteResponse(404, b"gone")) is None
    assert first.matches(headers(If_None_Match=f'W/{first.etag}, "x"'))
    assert not second.matches(headers(If_None_Match=first.etag,
                                      If_Modified_Since=second.last_modified))  # ETag wins
    assert second.matches(headers(If_Modified_Since=second.last_modified))
    assert not second.matches(headers(If_Modified_Since=first.last_modified))
    assert not second.matches(headers(If_Modified_Since="not a date"))


# --- end to end -----------------------------------------------------------------------------------
def article_statuses(site: LocalSite) -> dict[int, set[int]]:
    statuses: dict[int, set[int]] = {}
    for _, path, status in site.requests:
        match = ARTICLE.fullmatch(path)
        if match:
            statuses.setdefault(int(match[1]), set()).add(status)
    return statuses


def test_rechecks_of_an_unchanged_site_cost_a_304_each(tmp_path: Path) -> None:
    model = SiteModel.generate(40, seed=3)
    args = ("-s", f"DATA_DIR={tmp_path / 'data'}", "-s", "RECHECK_AFTER_DAYS=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
    with LocalSite(model) as site:
        first = run_crawl(site.start_url, tmp_path / "state", *args)
        assert first.returncode == 0, first.stderr[-2000:]
        emitted = {number(r["id"]) for r in outputs(tmp_path / "data")}
        site.reset_requests()
        second = run_crawl(site.start_url, tmp_path / "state", *args)
        assert second.returncode == 0, second.stderr[-2000:]
        statuses = article_statuses(site)
        assert {i for i in emitted if statuses.get(i) == {304}} == emitted, statuses
        assert len(outputs(tmp_path / "data")) == len(emitted)  # nothing emitted
        # List pages answered 304 too: their stored outline still led to every article.
        assert ("127.0.0.1", "/global/en/", 304) in site.requests
        read_again = {i for i, codes in statuses.items() if 200 in codes}
        assert read_again <= {model.specials.deleted}  # a placeholder is never emitted
        not_modified = {i for i, codes in statuses.items() if codes == {304}}
        assert stat(second.stderr, "pages/article") == len(not_modified) + len(read_again)
        assert stat(second.stderr, "conditional/not_modified") >= len(emitted)

        changed = sorted(emitted - set(model.duplicates().values()))[5]
        model.retitle(changed, model.articles[changed].title + " (Corrected)")
        site.reset_requests()
        third = run_crawl(site.start_url, tmp_path / "state", *args)
        assert third.returncode == 0, third.stderr[-2000:]
    latest = sorted((tmp_path / "data" / "sjfzxm").glob("*.jsonl"))[-1]
    records = read_jsonl(latest)
    assert [(number(r["id"]), r["revision"]) for r in records] == [(changed, 2)]


def test_http_cache_does_not_swallow_the_304(tmp_path: Path) -> None:
    """With Scrapy's RFC 2616 cache on, re-checks still go to the site and come back 304."""
    cache = ("-s", "HTTPCACHE_ENABLED=True", "-s", f"HTTPCACHE_DIR={tmp_path / 'cache'}",
             "-s", "HTTPCACHE_POLICY=scrapy.extensions.httpcache.RFC2616Policy")
    args = ("-s", f"DATA_DIR={tmp_path / 'data'}", "-s", "RECHECK_AFTER_DAYS=0", *cache)
    with LocalSite(SiteModel.generate(30, seed=4)) as site:
        first = run_crawl(site.start_url, tmp_path / "state", *args)
        assert first.returncode == 0, first.stderr[-2000:]
        emitted = {number(r["id"]) for r in outputs(tmp_path / "data")}
        site.reset_requests()
        second = run_crawl(site.start_url, tmp_path / "state", *args)
        assert second.returncode == 0, second.stderr[-2000:]
        statuses = article_statuses(site)
    assert {i for i in emitted if statuses.get(i) == {304}} == emitted
    assert len(outputs(tmp_path / "data")) == len(emitted)


# --- a feed answered 304 replays its outline ----------------------------------------------
FEED = b"""<rss><channel>
  <item><title>Shown title</title><link>https://www.just-style.com/news/a-story/</link>
    <pubDate>Fri, 23 Jul 2021 09:00:00 +0000</pubDate></item>
</channel></rss>"""
FEED_URL = "https://www.just-style.com/feed/"


def _juststyle(state: Path):
    from scrapy.utils.test import get_crawler

    from spiders.juststyle import JuststyleSpider

    crawler = get_crawler(JuststyleSpider, {"STATE_DIR": str(state)})
    crawler.spider = JuststyleSpider.from_crawler(crawler)
    return crawler.spider


def test_a_feed_answered_304_routes_its_stored_entries(tmp_path: Path) -> None:
    from scrapy.http import XmlResponse

    first = _juststyle(tmp_path)
    request = Request(FEED_URL, meta={"conditional": "page"})
    fed = XmlResponse(FEED_URL, body=FEED, request=request, headers={"ETag": '"f1"'})
    read = [(r.url, r.meta.get("article_id")) for r in first.parse_feed(fed)]
    first.store.close()

    again = _juststyle(tmp_path)
    middleware = ConditionalRequestMiddleware(again.store, Stats())
    request = Request(FEED_URL, callback=again.parse_feed, meta={"conditional": "page"})
    middleware.process_request(request)
    assert request.headers["If-None-Match"] == b'"f1"'
    replayed = [(r.url, r.meta.get("article_id"))
                for r in again.parse_feed(Response(FEED_URL, status=304, request=request))]
    assert replayed == read and len(read) == 1
    assert again.crawler.stats.get_value("pages/not_modified") == 1
    again.store.close()


def test_items_without_a_response_or_validators_are_left_alone(middleware) -> None:
    from twisted.python.failure import Failure

    item = {"id": "sjfzxm:1", "content_hash": "c" * 32}
    middleware.item_done(item, Failure(ValueError("gone")))  # a tombstone from an errback
    request = Request(RECORD["url"], meta={"conditional": "article"})
    middleware.item_done(item, HtmlResponse(RECORD["url"], body=b"<p>x</p>", request=request))
    assert middleware.stats.values == {}
    served = HtmlResponse(RECORD["url"], body=b"<p>x</p>", request=request, headers={"ETag": '"n"'})
    middleware.item_done(item, served)
    assert middleware.stats.values == {"conditional/remembered": 1}

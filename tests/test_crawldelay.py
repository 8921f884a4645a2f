"""robots.txt Crawl-delay as a floor on the site's download delay."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.http import TextResponse

from crawler.extensions.crawldelay import CrawlDelay
from localsite.model import SiteModel
from localsite.server import PRIMARY_HOST, LocalSite
from tests.crawl_helpers import run_crawl
from tests.test_conditional import Stats, stat

# Scrapy sends a slot's requests at least its delay apart; the local server stamps them on
# arrival, which thread scheduling on a loaded machine may move by a few tens of milliseconds
# (1.889 s seen under load 16 while the reading worker started beside the first requests). A
# floor of 1.8 s still fails any delay under the 2 s asked for by more than the jitter.
ARRIVAL_JITTER_S = 0.2


ROBOTS_URL = "http://www.sjfzxm.com/robots.txt"


def robots(body: str, url: str = ROBOTS_URL) -> tuple[TextResponse, Request]:
    request = Request(url, meta={"download_slot": "sjfzxm.com"})
    return TextResponse(url, body=body.encode(), request=request), request


def extension(slot: Slot, ceiling: float = 60.0) -> CrawlDelay:
    downloader = SimpleNamespace(slots={"sjfzxm.com": slot}, per_slot_settings={})
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader), stats=Stats())
    return CrawlDelay(crawler, "textile-news-crawler/0.1", ceiling)


def test_crawl_delay_is_a_floor_that_survives_autothrottle() -> None:
    slot = Slot(2, 0.5, 0.5)
    delay = extension(slot)
    delay.response_received(*robots("User-agent: *\nCrawl-delay: 2\n"))
    assert slot.delay == 2 and min(slot.download_delay() for _ in range(200)) >= 2
    slot.delay = 0.5  # what AutoThrottle does with a fast server
    delay.response_downloaded(request=Request("http://www.sjfzxm.com/1.html",
                                              meta={"download_slot": "sjfzxm.com"}))
    assert slot.delay == 2
    slot.delay = 5.0  # AutoThrottle above the floor: jitter kept, never below the floor
    delay.response_downloaded(request=Request("http://x/", meta={"download_slot": "sjfzxm.com"}))
    assert slot.delay == 5.0 and min(slot.download_delay() for _ in range(200)) >= 2
    settings = delay.crawler.engine.downloader.per_slot_settings
    assert settings == {"sjfzxm.com": {"delay": 2, "jitter": 0.0}}
    assert delay.crawler.stats.values == {"robotstxt/crawl_delay/sites": 1}


def test_no_crawl_delay_changes_nothing_and_a_huge_one_is_capped() -> None:
    slot = Slot(2, 0.5, 0.5)
    delay = extension(slot, ceiling=10.0)
    delay.response_received(*robots("User-agent: *\nDisallow: /private/\n"))
    assert (slot.delay, slot.jitter, delay.floors) == (0.5, 0.5, {})
    delay.response_received(*robots("User-agent: *\nCrawl-delay: 86400\n"))
    assert slot.delay == 10.0
    assert delay.crawler.stats.values["robotstxt/crawl_delay/capped"] == 1


def test_local_site_crawl_delay_spaces_requests(tmp_path: Path) -> None:
    model = SiteModel.generate(30, seed=5)
    with LocalSite(model, crawl_delay=2) as site:
        result = run_crawl(site.start_url, tmp_path / "state", "-s", f"DATA_DIR={tmp_path}",
                           "-s", "CLOSESPIDER_PAGECOUNT=4", "-s", "AUTOTHROTTLE_ENABLED=True",
                           "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                           # Requests already handed to the downloader are still sent, the floor
                           # apart, after the close: keep that queue short.
                           "-s", "CONCURRENT_REQUESTS=2")
        times = sorted(t for t, host, _ in site.request_times if host == PRIMARY_HOST)
    assert result.returncode in (0, 3), result.stderr[-2000:]
    assert len(times) >= 4, times
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 2 - ARRIVAL_JITTER_S, gaps
    assert stat(result.stderr, "robotstxt/crawl_delay/sites") == 1

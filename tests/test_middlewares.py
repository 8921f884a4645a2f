from __future__ import annotations

from scrapy import Request

from crawler.middlewares import SiteSlotMiddleware


def test_mirror_subdomains_share_one_download_slot() -> None:
    middleware = SiteSlotMiddleware()
    slots = set()
    for url in ("http://weixifushi88.sjfzxm.com/global/en/1.html", "http://www.sjfzxm.com/global/en/",
                "https://sjfzxm.com/robots.txt"):
        request = Request(url)
        middleware.process_request(request)
        slots.add(request.meta["download_slot"])
    assert slots == {"sjfzxm.com"}


def test_a_chosen_slot_is_kept() -> None:
    request = Request("http://www.sjfzxm.com/", meta={"download_slot": "custom"})
    SiteSlotMiddleware().process_request(request)
    assert request.meta["download_slot"] == "custom"


def test_fingerprint_is_the_article_identity(crawler) -> None:
    from crawler.fingerprint import SiteAwareRequestFingerprinter
    crawler.spider = crawler._create_spider()
    fingerprinter = SiteAwareRequestFingerprinter(crawler)
    a = fingerprinter.fingerprint(Request("http://a.sjfzxm.com/global/en/5.html?utm_source=x"))
    b = fingerprinter.fingerprint(Request("http://www.sjfzxm.com/global/en/5.html#top"))
    c = fingerprinter.fingerprint(Request("http://www.sjfzxm.com/global/en/6.html"))
    assert a == b != c


def test_user_agent_names_the_contact_url_and_can_be_replaced() -> None:
    from scrapy.settings import Settings

    from crawler import settings as project
    from spiders.sjfzxm import SjfzxmSpider
    settings = Settings()
    settings.setmodule(project, priority="project")
    settings.set("CONTACT_URL", "https://example.org/crawler-contact", priority="cmdline")
    SjfzxmSpider.update_settings(settings)
    assert settings["USER_AGENT"] == "textile-news-crawler/0.1 (+https://example.org/crawler-contact)"
    settings.set("USER_AGENT", "custom/1.0", priority="cmdline")
    SjfzxmSpider.update_settings(settings)
    assert settings["USER_AGENT"] == "custom/1.0"

from __future__ import annotations

from dataclasses import replace

from crawler.urls import canonical_url, registered_domain, strip_tracking
from spiders.sjfzxm import RULES


def test_tracking_parameters_and_fragment_are_removed_but_real_query_kept() -> None:
    url = "http://a.sjfzxm.com/global/en/1.html?utm_source=x&from=timeline&page=2#comments"
    assert strip_tracking(url) == "http://a.sjfzxm.com/global/en/1.html?page=2"


def test_canonical_url_uses_preferred_host() -> None:
    assert canonical_url("http://Shop.SJFZXM.com/global/en/5.html?utm_medium=e",
                         "www.sjfzxm.com") == "http://www.sjfzxm.com/global/en/5.html"


def test_registered_domain_of_mirrors_and_ips() -> None:
    assert registered_domain("weixifushi88.sjfzxm.com") == "sjfzxm.com"
    assert registered_domain("www.sjfzxm.com") == "sjfzxm.com"
    assert registered_domain("127.0.0.2") == "127.0.0.2"


def test_article_identity_ignores_host_query_and_fragment() -> None:
    urls = ["http://weixifushi88.sjfzxm.com/global/en/587064.html",
            "http://www.sjfzxm.com/global/en/587064.html?utm_source=a#top",
            "https://sjfzxm.com/global/en/587064.html"]
    assert {RULES.request_key(u) for u in urls} == {"sjfzxm:587064"}
    assert RULES.article_id("http://www.sjfzxm.com/global/en/list_2.html") is None
    assert RULES.article_id("http://example.com/global/en/587064.html") is None


def test_list_pages_on_mirrors_are_one_page_and_offsite_is_not_a_list() -> None:
    rules = replace(RULES, allowed_domains=("127.0.0.1", "127.0.0.2"))
    assert rules.request_key("http://127.0.0.1:80/global/en/index_2.html") == rules.request_key(
        "http://127.0.0.2:80/global/en/index_2.html?utm_source=x")
    assert rules.is_list("http://127.0.0.1/global/en/index_2.html")
    assert not rules.is_list("http://offsite.example/global/en/index_2.html")
    assert not rules.is_list("http://127.0.0.1/about.html")

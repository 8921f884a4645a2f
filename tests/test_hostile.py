"""Hostile input (issue 11): crafted servers on loopback, bad command lines, scope and the guard.

Each crawl case runs the real ``scrapy crawl news`` against ``tests.hostile_server`` and checks
that the run ends within its bound, with its documented exit status, every output line valid
UTF-8 JSON, and the three articles the site served correctly all in the output.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import signal
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError

from crawler import exitcodes, feeds
from crawler import settings as project_settings
from crawler.arguments import (
    ArgumentError,
    GenericArguments,
    SpiderArguments,
    check_run,
    check_settings,
)
from crawler.middlewares import PrivateAddressMiddleware
from crawler.privateaddress import REFUSED, Allowance, PrivateAddressResolver, is_public
from crawler.urls import registered_domain
from spiders.news import GenericNewsSpider
from tests.crawl_helpers import ROOT
from tests.hostile_server import GOOD_ARTICLES, HostileSite, article_path, drip, redirect, send

# A crawl of the three-article site takes ~3 s; a hostile case must not take much longer.
CRAWL_BOUND_SECONDS = 60
# SIGTERM: the documented grace (3 s) plus engine shutdown, with room for a loaded machine.
SIGTERM_BOUND_SECONDS = 15
GOOD_TITLES = {f"Textile market report {n}" for n in range(1, GOOD_ARTICLES + 1)}
MIB = 1024 * 1024


def project() -> Settings:
    settings = Settings()
    settings.setmodule(project_settings)
    return settings


def news_command(start_url: str, tmp: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_urls={start_url}",
            "-s", f"STATE_DIR={tmp / 'state'}", "-s", f"DATA_DIR={tmp / 'data'}",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *extra]


def output_lines(tmp: Path) -> list[dict]:
    """Every record the run wrote; each line must be valid UTF-8 and JSON."""
    records = []
    for path in (tmp / "data").rglob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            records.append(json.loads(line.decode("utf-8")))
    return records


@dataclass
class Case:
    routes: dict = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    head: str = ""
    args: tuple[str, ...] = ()
    status: int = exitcodes.OK
    fetched: str | None = None  # a path the crawl must have requested (the hostile one)


def _sitemap(paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset>{urls}</urlset>'.encode()


@functools.cache
def _gzip_bomb(size: int) -> bytes:
    """``size`` bytes of blanks after an opening tag, gzipped (about 1/1000 of the size)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b" " * MIB
    parts = [packer.compress(b'<?xml version="1.0"?><urlset>')]
    parts += [packer.compress(chunk) for _ in range(size // MIB)]
    return b"".join(parts) + packer.flush()


_LAUGHS = ('<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)))
_RSS_ITEMS = "".join(f"<item><title>&l9; {n}</title><link>{article_path(n)}</link></item>"
                     for n in range(1, GOOD_ARTICLES + 1))
BILLION_LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE rss [{_LAUGHS}]><rss version="2.0"><channel>'
                  f"{_RSS_ITEMS}</channel></rss>").encode()
EXTERNAL_ENTITY = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   '<rss version="2.0"><channel><item><title>&x;</title>'
                   f"<link>{article_path(1)}</link></item></channel></rss>").encode()
FEED_LINK = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
BROKEN_UTF8 = ("<html><head><meta charset='utf-8'><title>Caf\xe9 m\xe9lange</title></head><body>"
               "<article><h1>Caf\xe9 m\xe9lange \xff\xfe</h1>" + "<p>fabric \x00\x1b \xc3 </p>" * 50
               + "</article></body></html>").encode("latin-1")
GB_DECLARED_UTF8 = ("<html><head><meta charset='gb2312'><title>纺织 news</title></head><body>"
                    "<article><h1>纺织 news</h1>" + "<p>棉纱 yarn 价格</p>" * 50
                    + "</article></body></html>").encode("utf-8")


BOMB_SIZE = 64 * MIB  # decompressed: past feeds.MAX_BYTES and DOWNLOAD_MAXSIZE


@functools.cache
def _cases() -> dict[str, Case]:
    sitemap = _sitemap([article_path(n) for n in range(1, GOOD_ARTICLES + 1)])
    return {
        # item 1: 6 MiB of blank lines before the Sitemap line (the old regex: minutes of CPU)
        "robots_blank_lines": Case(
            routes={"/robots.txt": send(200, b"User-agent: *\n" + b"\n" * (6 * MIB)
                                        + b"Sitemap: /sitemap.xml\n", "text/plain"),
                    "/sitemap.xml": send(200, sitemap, "application/xml")},
            fetched="/sitemap.xml"),
        "gzip_bomb_sitemap": Case(
            routes={"/robots.txt": send(200, b"Sitemap: /sitemap.xml.gz\n", "text/plain"),
                    "/sitemap.xml.gz": send(200, _gzip_bomb(BOMB_SIZE), "application/x-gzip")},
            fetched="/sitemap.xml.gz"),
        "gzip_bomb_content_encoding": Case(
            routes={"/robots.txt": send(200, b"Sitemap: /sitemap.xml\n", "text/plain"),
                    "/sitemap.xml": send(200, _gzip_bomb(BOMB_SIZE), "application/xml",
                                         {"Content-Encoding": "gzip"})},
            fetched="/sitemap.xml"),
        "billion_laughs_feed": Case(
            routes={"/feed.xml": send(200, BILLION_LAUGHS, "application/rss+xml")},
            head=FEED_LINK, fetched="/feed.xml"),
        "external_entity_feed": Case(
            routes={"/feed.xml": send(200, EXTERNAL_ENTITY, "application/rss+xml")},
            head=FEED_LINK, fetched="/feed.xml"),
        "redirect_loop": Case(
            routes={"/news/2026/11/loop-a.html": redirect("/news/2026/11/loop-b.html"),
                    "/news/2026/11/loop-b.html": redirect("/news/2026/11/loop-a.html?x=1"),
                    "/news/2026/11/loop-a.html?x=1": redirect("/news/2026/11/loop-a.html"),
                    "/news/2026/11/self.html": redirect("/news/2026/11/self.html")},
            links=["/news/2026/11/loop-a.html", "/news/2026/11/self.html"],
            fetched="/news/2026/11/loop-b.html"),
        "slow_drip": Case(
            links=["/news/2026/11/slow-drip.html"],
            args=("-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0"),
            fetched="/news/2026/11/slow-drip.html"),
        "mixed_encodings": Case(
            routes={"/news/2026/11/broken-utf8.html": send(200, BROKEN_UTF8),
                    "/news/2026/11/gb-declared.html": send(200, GB_DECLARED_UTF8,
                                                           "text/html; charset=gb2312")},
            links=["/news/2026/11/broken-utf8.html", "/news/2026/11/gb-declared.html"],
            fetched="/news/2026/11/gb-declared.html"),
    }


CASES = ("robots_blank_lines", "gzip_bomb_sitemap", "gzip_bomb_content_encoding",
         "billion_laughs_feed", "external_entity_feed", "redirect_loop", "slow_drip",
         "mixed_encodings")


def test_every_case_is_run() -> None:
    assert set(CASES) == set(_cases())


@pytest.mark.parametrize("name", CASES)
def test_hostile_server_case(name: str, tmp_path: Path) -> None:
    case = _cases()[name]
    stop = threading.Event()
    if name == "slow_drip":
        case = Case(**{**case.__dict__, "routes": {"/news/2026/11/slow-drip.html": drip(stop)}})
    with HostileSite(case.routes, case.links, case.head) as site:
        started = time.monotonic()
        result = subprocess.run(news_command(site.url, tmp_path, *case.args), cwd=ROOT,
                                text=True, capture_output=True, timeout=CRAWL_BOUND_SECONDS * 2)
        elapsed = time.monotonic() - started
        stop.set()
        requests = list(site.requests)
    assert elapsed < CRAWL_BOUND_SECONDS, (name, elapsed)
    assert result.returncode == case.status, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    records = output_lines(tmp_path)
    assert GOOD_TITLES <= {r["title"] for r in records}, (name, [r["title"] for r in records])
    assert case.fetched is None or case.fetched in requests, requests
    assert not any("root:" in json.dumps(r) for r in records)  # no local file read in


def test_sigterm_during_a_slow_drip_ends_the_run_within_seconds(tmp_path: Path) -> None:
    """Item 3: a download in flight does not hold a SIGTERM for DOWNLOAD_TIMEOUT (30 s)."""
    stop = threading.Event()
    slow = "/news/2026/11/slow-drip.html"
    with HostileSite({slow: drip(stop)}, [slow]) as site:
        process = subprocess.Popen(news_command(site.url, tmp_path), cwd=ROOT, text=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + CRAWL_BOUND_SECONDS
        while slow not in site.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert slow in site.requests
        time.sleep(1)  # the drip is under way
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=CRAWL_BOUND_SECONDS)
        waited = time.monotonic() - sent
        stop.set()
    assert waited < SIGTERM_BOUND_SECONDS, waited
    assert process.returncode == exitcodes.INTERRUPTED, stderr[-3000:]
    assert "cancelling 1 download(s)" in stderr
    assert GOOD_TITLES <= {r["title"] for r in output_lines(tmp_path)}


# --- item 13: the private-address guard ----------------------------------------------------------
def test_a_host_name_resolving_to_loopback_is_refused_before_any_request(tmp_path: Path) -> None:
    with HostileSite() as site:
        result = subprocess.run(news_command(f"http://localhost:{site.port}/", tmp_path),
                                cwd=ROOT, text=True, capture_output=True,
                                timeout=CRAWL_BOUND_SECONDS)
        requests = list(site.requests)
    assert requests == []
    assert result.returncode == exitcodes.NOTHING_FETCHED, result.stderr[-3000:]
    assert "'private_address/refused': 2" in result.stderr  # robots.txt and the start page
    assert "resolves to the non-public address 127.0.0.1" in result.stderr


def test_private_address_allow_lets_a_named_host_through(tmp_path: Path) -> None:
    with HostileSite() as site:
        result = subprocess.run(
            news_command(f"http://localhost:{site.port}/", tmp_path,
                         "-s", "PRIVATE_ADDRESS_ALLOW=localhost"),
            cwd=ROOT, text=True, capture_output=True, timeout=CRAWL_BOUND_SECONDS)
    assert result.returncode == exitcodes.OK, result.stderr[-3000:]
    assert GOOD_TITLES <= {r["title"] for r in output_lines(tmp_path)}


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("172.16.0.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("::1", False), ("fe80::1", False), ("::ffff:127.0.0.1", False),
    ("fc00::1", False), ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("not-an-ip", False),
])
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


def _resolver(allow: str = "") -> PrivateAddressResolver:
    crawler = get_crawler(settings_dict={"PRIVATE_ADDRESS_ALLOW": allow})
    return PrivateAddressResolver.from_crawler(crawler, reactor=None)


def test_resolver_refuses_a_private_answer_and_records_why() -> None:
    resolver = _resolver()
    with pytest.raises(DNSLookupError, match="non-public address 10.0.0.7"):
        resolver._check("10.0.0.7", "Intranet.Example")
    assert REFUSED["intranet.example"] == "10.0.0.7"
    assert resolver._check("93.184.216.34", "example.com") == "93.184.216.34"
    # a literal is the operator's or the middleware's business: no DNS answer to distrust
    assert resolver._check("127.0.0.1", "127.0.0.1") == "127.0.0.1"


def test_resolver_allows_listed_names_and_networks() -> None:
    resolver = _resolver("intranet.example,10.1.0.0/16")
    assert resolver._check("10.9.9.9", "intranet.example") == "10.9.9.9"
    assert resolver._check("10.1.2.3", "wiki.corp") == "10.1.2.3"
    with pytest.raises(DNSLookupError):
        resolver._check("10.2.0.1", "wiki.corp")


def test_resolver_is_plain_scrapy_when_the_guard_is_off() -> None:
    crawler = get_crawler(settings_dict={"PRIVATE_ADDRESS_GUARD_ENABLED": False})
    resolver = PrivateAddressResolver.from_crawler(crawler, reactor=None)
    assert resolver.allowance is None


def _middleware(allowed: list[str], allow: str = "") -> PrivateAddressMiddleware:
    crawler = get_crawler(GenericNewsSpider, {"PRIVATE_ADDRESS_ALLOW": allow})
    crawler.spider = crawler._create_spider(start_urls="http://127.0.0.1:8000/",
                                            allowed_domains=",".join(allowed))
    return PrivateAddressMiddleware.from_crawler(crawler)


def test_literal_private_address_needs_the_operator_to_name_it() -> None:
    middleware = _middleware(["127.0.0.1"])
    assert middleware.process_request(Request("http://127.0.0.1:8000/a")) is None
    with pytest.raises(IgnoreRequest, match="non-public address"):
        middleware.process_request(Request("http://10.0.0.1/a"))
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://169.254.169.254/latest/meta-data/"))
    assert middleware.crawler.stats.get_value("private_address/refused") == 2
    assert middleware.process_request(Request("http://93.184.216.34/")) is None
    assert _middleware(["127.0.0.1"], "10.0.0.0/8").process_request(
        Request("http://10.0.0.1/a")) is None


def test_a_refused_resolution_is_counted_and_not_retried() -> None:
    middleware = _middleware(["example.com"])
    REFUSED["inside.example.com"] = "10.0.0.9"
    with pytest.raises(IgnoreRequest, match="10.0.0.9"):
        middleware.process_exception(Request("http://inside.example.com/"),
                                     DNSLookupError("no results"))
    # another DNS failure is left to RetryMiddleware
    assert middleware.process_exception(Request("http://gone.example.com/"),
                                        DNSLookupError("no results")) is None


def test_the_guard_can_be_switched_off() -> None:
    crawler = get_crawler(GenericNewsSpider, {"PRIVATE_ADDRESS_GUARD_ENABLED": False})
    with pytest.raises(NotConfigured):
        PrivateAddressMiddleware.from_crawler(crawler)


def test_project_settings_install_the_guard_and_switch_remote_control_off() -> None:
    settings = project()
    assert settings["TWISTED_DNS_RESOLVER"] == "crawler.privateaddress.PrivateAddressResolver"
    assert settings.getbool("PRIVATE_ADDRESS_GUARD_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")  # Scrapy 2.19 runs it by default
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["ftp"] is None and handlers["s3"] is None  # no timeout: a hang on SIGTERM
    assert Allowance([]).permits("example.com", "10.0.0.1") is False


@pytest.mark.parametrize("host, site", [
    ("textile.github.io", "textile.github.io"), ("news.x.blogspot.com", "x.blogspot.com"),
    ("a.textile.wordpress.com", "textile.wordpress.com"), ("www.sjfzxm.com", "sjfzxm.com"),
    ("news.example.co.uk", "example.co.uk"), ("127.0.0.2", "127.0.0.2"),
])
def test_platform_subdomains_are_sites_of_their_own(host: str, site: str) -> None:
    assert registered_domain(host) == site


def test_generic_scope_of_a_github_pages_site_is_that_site() -> None:
    arguments = GenericArguments.parse({"start_urls": "https://textile.github.io/news/"})
    assert arguments.site == "textile.github.io"
    crawler = get_crawler(GenericNewsSpider, {})
    spider = crawler._create_spider(start_urls="https://textile.github.io/news/")
    assert spider.allowed_domains == ["textile.github.io"]
    assert not spider.rules.on_site("https://other.github.io/news/1.html")


# --- items 11 and 12: the command line -----------------------------------------------------------
USAGE_CASES = {
    "max_articles_text": ("sjfzxm", "-a", "max_articles=abc"),
    "max_articles_zero": ("sjfzxm", "-a", "max_articles=0"),
    "max_articles_negative": ("sjfzxm", "-a", "max_articles=-1"),
    "start_url_not_a_url": ("news", "-a", "start_urls=notaurl"),
    "start_url_ftp": ("news", "-a", "start_urls=ftp://127.0.0.1:9/"),
    "start_url_ipv6": ("news", "-a", "start_urls=http://[::1]:8000/"),
    "start_url_bad_port": ("news", "-a", "start_urls=http://127.0.0.1:99999/"),
    "news_without_start_urls": ("news",),
    "unknown_timezone": ("news", "-a", "start_urls=http://127.0.0.1:9/", "-a", "timezone=Mars/X"),
    "site_dot_dot": ("news", "-a", "start_urls=http://127.0.0.1:9/", "-a", "site=.."),
    "site_slash": ("news", "-a", "start_urls=http://127.0.0.1:9/", "-a", "site=a/../../b"),
    "unknown_argument": ("sjfzxm", "-a", "foo=bar"),
    "allowed_domains_url": ("sjfzxm", "-a", "allowed_domains=http://sjfzxm.com/"),
    "threshold_above_one": ("sjfzxm", "-s", "NEAR_DUPLICATE_THRESHOLD=2"),
    "threshold_negative": ("sjfzxm", "-s", "NEAR_DUPLICATE_THRESHOLD=-1"),
    "numeric_setting_text": ("sjfzxm", "-s", "DOWNLOAD_TIMEOUT=soon"),
    "boolean_setting_text": ("sjfzxm", "-s", "ROBOTSTXT_OBEY=perhaps"),
    "links_cap_zero": ("sjfzxm", "-s", "LINKS_PER_PAGE_MAX=0"),
    "concurrent_items_zero": ("sjfzxm", "-s", "CONCURRENT_ITEMS=0"),
    "crawl_delay_cap_negative": ("sjfzxm", "-s", "CRAWL_DELAY_MAX=-1"),
    "conditional_switch_text": ("sjfzxm", "-s", "CONDITIONAL_REQUESTS_ENABLED=maybe"),
    "news_timezone_setting": ("sjfzxm", "-s", "NEWS_TIMEZONE=Nowhere/City"),
    "unknown_spider": ("nosuchsite",),
}


def _check(words: tuple[str, ...]) -> None:
    """What `scrapy crawl` checks before it starts, in this process."""
    name, rest = words[0], list(words[1:])
    args = dict(rest[i + 1].split("=", 1) for i in range(0, len(rest), 2) if rest[i] == "-a")
    settings = project()
    for i in range(0, len(rest), 2):
        if rest[i] == "-s":
            settings.set(*rest[i + 1].split("=", 1), priority="cmdline")
    check_run(SpiderLoader.from_settings(settings), name, args, settings)


@pytest.mark.parametrize("name", sorted(USAGE_CASES))
def test_bad_command_line_is_refused_before_the_run(name: str) -> None:
    with pytest.raises(ArgumentError):
        _check(USAGE_CASES[name])


def test_good_command_lines_pass() -> None:
    _check(("sjfzxm", "-a", "max_articles=5", "-a", "allowed_domains=127.0.0.1,127.0.0.2"))
    _check(("news", "-a", "start_urls=http://127.0.0.1:9/,https://e.com/x", "-a", "site=e.com",
            "-a", "timezone=Asia/Shanghai", "-s", "NEAR_DUPLICATE_THRESHOLD=1"))


# One subprocess per kind of mistake (each costs a Scrapy start-up): the exit status and the line.
SUBPROCESS_CASES = ("max_articles_text", "start_url_ftp", "news_without_start_urls",
                    "site_dot_dot", "unknown_argument", "threshold_above_one", "unknown_spider")


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_command_line_exits_2_with_one_line(name: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "scrapy", "crawl", *USAGE_CASES[name],
               "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", f"DATA_DIR={tmp_path / 'data'}"]
    result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=60)
    assert result.returncode == exitcodes.USAGE, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "not started" in line]
    assert len(errors) == 1 and errors[0].endswith("Exit status 2."), result.stderr[-2000:]
    assert not (tmp_path / "data").exists() and not list(tmp_path.parent.glob("*.jsonl"))


def test_crawlall_checks_every_site_before_any_starts(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "scrapy", "crawlall", "-a", "max_articles=none",
               "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", f"DATA_DIR={tmp_path / 'data'}"]
    result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=60)
    assert result.returncode == exitcodes.USAGE, result.stderr[-3000:]
    assert "scrapy crawlall: not started: site " in result.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("raw, message", [
    ({"max_articles": "1.5"}, "whole number"),
    ({"start_urls": "javascript:alert(1)"}, "no http(s) URL"),
    ({"start_urls": "http://../"}, "no valid host"),
    ({"start_urls": ["http://e.com/", "file:///etc/passwd"]}, "no http(s) URL"),
])
def test_spider_arguments_refused(raw: dict, message: str) -> None:
    with pytest.raises(ArgumentError, match=re.escape(message)):
        SpiderArguments.parse(raw)


def test_spider_arguments_typed() -> None:
    parsed = SpiderArguments.parse({"start_urls": " http://a.com/ , https://b.com/x ",
                                    "allowed_domains": "A.com,b.com.", "max_articles": "20",
                                    "_job": "scrapyd-job-id"})
    assert parsed == SpiderArguments(("http://a.com/", "https://b.com/x"), ("a.com", "b.com"), 20)


@pytest.mark.parametrize("site", ["..", ".", "a..b", ".hidden", "a/b", "x" * 101, "a\\b", ""])
def test_site_names_that_leave_data_dir_are_refused(site: str) -> None:
    raw = {"start_urls": "http://e.com/", "site": site}
    if site == "":  # empty: the site is named after the start page
        assert GenericArguments.parse(raw).site == "e.com"
        return
    with pytest.raises(ArgumentError, match="-a site="):
        GenericArguments.parse(raw)


def test_a_spider_built_from_python_gets_the_same_checks() -> None:
    crawler = get_crawler(GenericNewsSpider, {})
    with pytest.raises(ArgumentError, match="site"):
        crawler._create_spider(start_urls="http://e.com/", site="..")


def test_settings_checks_pass_on_the_project_defaults() -> None:
    check_settings(project())
    settings = project()
    settings.set("NEAR_DUPLICATE_THRESHOLD", "0", priority="cmdline")
    with pytest.raises(ArgumentError, match="above 0 and at most 1"):
        check_settings(settings)
    settings = project()
    settings.set("PRIVATE_ADDRESS_ALLOW", "10.0.0.0/33", priority="cmdline")
    with pytest.raises(ArgumentError, match="no network"):
        check_settings(settings)


# --- item 1 in isolation: the robots.txt and feed parsers are linear and bounded ----------------
def _cpu(function, *args) -> float:
    started = time.process_time()
    function(*args)
    return time.process_time() - started


@pytest.mark.parametrize("unit", ["\n", "\r\n", " \n", "Disallow: /sitemap\n", "sitemap"])
def test_robots_parsing_is_linear(unit: str) -> None:
    small, large = unit * 25_000, unit * 100_000
    base = "https://e.com/robots.txt"
    # 4x the input may cost 4x the time; a generous factor absorbs a loaded machine
    assert _cpu(feeds.robots_sitemaps, large, base) < 12 * max(
        _cpu(feeds.robots_sitemaps, small, base), 0.005)


def test_robots_sitemaps_are_capped() -> None:
    text = "".join(f"Sitemap: /s{i}.xml\n" for i in range(feeds.MAX_ROBOTS_SITEMAPS + 50))
    assert len(feeds.robots_sitemaps(text, "https://e.com/robots.txt")) == (
        feeds.MAX_ROBOTS_SITEMAPS)


def test_gzip_bomb_is_cut_at_the_cap() -> None:
    assert len(feeds._decompress(_gzip_bomb(BOMB_SIZE))) == feeds.MAX_BYTES
    assert feeds.parse_feed(gzip.compress(b"\x00" * MIB), "https://e.com/").kind == ""


def test_entities_are_never_expanded() -> None:
    """libxml2 stops at its amplification limit; what was read before it is kept, unexpanded."""
    assert _cpu(feeds.parse_feed, BILLION_LAUGHS, "https://e.com/") < 1
    document = feeds.parse_feed(BILLION_LAUGHS, "https://e.com/")
    assert document.kind == "rss"
    assert all(len(e.title or "") < 100 for e in document.entries)

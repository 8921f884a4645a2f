"""Scrapy's developer commands on this project: documented output, exit 0, no traceback, no file.

``scrapy parse``, ``check``, ``shell -c``, ``list`` and ``settings`` run as subprocesses against
the local site; every file they could write (output, report, state, lock) is pointed into a
temporary folder that must stay empty.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import ContractFail
from scrapy.http import Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.commands.lookonly import LOOK_ONLY_SETTINGS, look_only
from crawler.contracts import FilledContract
from crawler.fixtureresponses import FixtureResponses
from crawler.items import Article
from localsite.model import SiteModel
from localsite.server import LocalSite
from spiders.sjfzxm import SjfzxmSpider
from tests.crawl_helpers import ROOT

REAL_ARTICLE = 587064


@pytest.fixture(scope="module")
def site():
    with LocalSite(SiteModel.generate(30, seed=0)) as served:
        yield served


def scrapy(tmp_path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``scrapy ARGS`` in the project, with DATA_DIR, STATE_DIR and cwd-relative files in tmp."""
    command = [sys.executable, "-m", "scrapy", *args, "-s", f"DATA_DIR={tmp_path / 'data'}",
               "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", "LOG_LEVEL=INFO"]
    return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=timeout)


def project_files() -> set[Path]:
    """What the default DATA_DIR and STATE_DIR of the project hold (must not grow either)."""
    return {p for folder in ("data", "state") for p in (ROOT / folder).rglob("*")}


def assert_clean(result: subprocess.CompletedProcess[str], tmp_path: Path, before: set[Path]
                 ) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert " ERROR: " not in result.stderr, result.stderr[-3000:]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert project_files() == before


def test_parse_an_article_url_prints_its_record_and_links(site, tmp_path: Path) -> None:
    before = project_files()
    url = f"{site.base_url}/global/en/{REAL_ARTICLE}.html"
    result = scrapy(tmp_path, "parse", "--spider=sjfzxm", "--nocolour", url)
    assert_clean(result, tmp_path, before)
    items, links = result.stdout.split("# Requests")
    assert f"'id': 'sjfzxm:{REAL_ARTICLE}'" in items and "'title': " in items
    assert links.count("<GET ") >= 5  # related and next articles


def test_parse_a_list_url_prints_links_and_no_record(site, tmp_path: Path) -> None:
    before = project_files()
    result = scrapy(tmp_path, "parse", "--spider=sjfzxm", "--nocolour", site.start_url)
    assert_clean(result, tmp_path, before)
    items, links = result.stdout.split("# Requests")
    assert "'id': " not in items
    assert links.count("<GET ") >= 10


def test_parse_with_the_generic_spider_writes_nothing(site, tmp_path: Path) -> None:
    before = project_files()
    url = f"{site.base_url}/global/en/{REAL_ARTICLE}.html"
    result = scrapy(tmp_path, "parse", "--spider=news", "-a", f"start_urls={site.start_url}",
                    "--nocolour", url)
    assert_clean(result, tmp_path, before)
    assert f"/global/en/{REAL_ARTICLE}.html'," in result.stdout.split("# Requests")[0]


def test_parse_finds_the_spider_of_a_site_url_by_itself(tmp_path: Path) -> None:
    """No --spider, no network: the URL's host picks the spider; the fetch fails (no DNS here)
    but the spider is found and nothing is written."""
    before = project_files()
    result = scrapy(tmp_path, "parse", "http://www.sjfzxm.com/global/en/1.html",
                    "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_ENABLED=False",
                    "-s", "ROBOTSTXT_OBEY=False")
    assert "Unable to find spider" not in result.stderr
    assert "Spider opened" in result.stderr
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert project_files() == before


def test_check_runs_every_site_contract_offline(tmp_path: Path) -> None:
    before = project_files()
    result = scrapy(tmp_path, "check")
    assert_clean(result, tmp_path, before)
    assert "OK" in result.stderr.splitlines()[-1], result.stderr[-3000:]
    assert int(result.stderr.split("Ran ")[1].split()[0]) > 0


def test_every_site_module_has_article_and_list_contracts(tmp_path: Path) -> None:
    listed = scrapy(tmp_path, "check", "--list").stdout
    sites = set(scrapy(tmp_path, "list").stdout.split()) - {"news"}  # news: no site of its own
    for name in sites:
        block = listed.split(f"{name}\n", 1)[1].split("\n\n")[0]
        assert "* parse_article" in block and "* parse_navigation" in block, name


def test_check_fails_without_the_stored_pages(tmp_path: Path) -> None:
    empty = tmp_path / "no-fixtures"
    empty.mkdir()
    result = scrapy(tmp_path, "check", "sjfzxm", "-s", f"CHECK_FIXTURES_DIR={empty}")
    assert result.returncode == 1
    assert "FAILED" in result.stderr


def test_shell_runs_code_on_a_page_without_errors(site, tmp_path: Path) -> None:
    before = project_files()
    url = f"{site.base_url}/global/en/{REAL_ARTICLE}.html"
    code = "(response.status, [getattr(x, 'id', None) for x in spider.parse(response)][0])"
    result = scrapy(tmp_path, "shell", "--spider=sjfzxm", "-c", code, url)
    assert_clean(result, tmp_path, before)
    assert result.stdout.strip() == f"(200, 'sjfzxm:{REAL_ARTICLE}')"


def test_list_and_settings_write_nothing(tmp_path: Path) -> None:
    before = project_files()
    listed = scrapy(tmp_path, "list")
    assert_clean(listed, tmp_path, before)
    assert {"sjfzxm", "news", "textileworld"} <= set(listed.stdout.split())
    shown = scrapy(tmp_path, "settings", "--get", "RUN_STATE_ENABLED")
    assert_clean(shown, tmp_path, before)
    assert shown.stdout.strip() == "True"  # a crawl keeps its state; only look-only commands don't


def test_look_only_leaves_a_command_line_choice_alone() -> None:
    settings = Settings({"RUN_REPORT_ENABLED": True}, priority="project")
    settings.set("RUN_STATE_ENABLED", True, priority="cmdline")
    look_only(settings)
    assert settings.getbool("RUN_STATE_ENABLED") is True
    assert settings.getbool("RUN_REPORT_ENABLED") is False
    assert all(settings[name] == value for name, value in LOOK_ONLY_SETTINGS.items()
               if name != "RUN_STATE_ENABLED")


def test_filled_contract_fails_on_an_empty_field() -> None:
    spider = SjfzxmSpider.__new__(SjfzxmSpider)  # contracts only read the bound method's spider
    contract = FilledContract(spider.parse_article, "title", "body")
    contract.post_process([Article(id="sjfzxm:1", site="sjfzxm", url="u", title="T", body="B")])
    with pytest.raises(ContractFail, match="empty body"):
        contract.post_process([Article(id="sjfzxm:1", site="sjfzxm", url="u", title="T")])


def test_fixture_responses_answer_stored_pages_and_404_otherwise() -> None:
    crawler = get_crawler(SjfzxmSpider, {"CHECK_FIXTURES_DIR": str(ROOT / "tests" / "fixtures")})
    crawler.stats.open_spider()  # type: ignore[call-arg]
    middleware = FixtureResponses.from_crawler(crawler)
    spider = SjfzxmSpider.__new__(SjfzxmSpider)
    spider.name = "sjfzxm"
    url = "http://www.sjfzxm.com/global/en/"
    served = middleware.process_request(Request(url), spider)
    assert served.status == 200 and b"<html" in served.body.lower()
    missing = middleware.process_request(Request(url + "nowhere.html"), spider)
    assert missing.status == 404
    assert crawler.stats.get_value("fixtures/missing") == 1
    assert crawler.stats.get_value("fixtures/served") == 1

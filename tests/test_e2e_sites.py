"""End to end, per site: the real ``scrapy crawl <site>`` against its stored pages on loopback.

Each site's fixture pages are served by a ``StaticSite`` at their own paths, with the robots.txt,
feeds and sitemaps of ``tests/fixtures/<site>/_site/``. The crawls run at the same time (one
process each), then every record is checked field by field against the fixtures' expected records.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from localsite.static import StaticSite
from tests.crawl_helpers import ROOT, crawl_command, read_jsonl
from tests.site_cases import FIXTURES, cases, load, origins, served_files, site_config, site_spiders

SITES = [site for site in site_spiders() if (FIXTURES / site / "_site" / "site.json").exists()]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    spiders = site_spiders()
    servers = {s: StaticSite(served_files(s), origins(spiders[s].site_rules)).start()
               for s in SITES}
    running: dict[str, tuple[subprocess.Popen[str], Path]] = {}
    try:
        for site, server in servers.items():
            tmp = tmp_path_factory.mktemp(site)
            start = server.base_url + site_config(site)["start"]
            command = crawl_command(start, tmp / "state", "-O", str(tmp / "out.jsonl"), spider=site)
            process = subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
            running[site] = (process, tmp)
        results = {}
        for site, (process, tmp) in running.items():
            _, log = process.communicate(timeout=120)
            out = tmp / "out.jsonl"
            results[site] = {"returncode": process.returncode, "log": log, "server": servers[site],
                             "records": read_jsonl(out) if out.exists() else []}
        return results
    finally:
        for process, _ in running.values():
            if process.poll() is None:
                process.kill()
        for server in servers.values():
            server.stop()


def expected_records(site: str, server: StaticSite) -> dict[str, dict[str, Any]]:
    """The expected record of every article case, its URLs pointing at the local server."""
    pattern = re.compile(origins(site_spiders()[site].site_rules))
    wanted = {}
    for case in cases(site):
        meta, _, expected = load(case)
        if meta["kind"] == "article" and expected is not None:
            text = pattern.sub(server.base_url, json.dumps(expected))
            wanted[expected["id"]] = json.loads(text)
    return wanted


@pytest.mark.parametrize("site", SITES)
def test_site_crawl_gives_every_article_right(crawls: dict[str, dict[str, Any]], site: str) -> None:
    crawl = crawls[site]
    assert crawl["returncode"] == 0, crawl["log"][-3000:]
    records = {r["id"]: r for r in crawl["records"]}
    assert len(records) == len(crawl["records"]), "one record per article"
    wanted = expected_records(site, crawl["server"])
    assert sorted(records) == sorted(wanted)
    for record_id, expected in wanted.items():
        for field, value in expected.items():
            assert records[record_id][field] == value, (record_id, field)


@pytest.mark.parametrize("site", SITES)
def test_feeds_and_sitemaps_lead_to_their_articles(crawls: dict[str, dict[str, Any]],
                                                   site: str) -> None:
    config, crawl = site_config(site), crawls[site]
    requested = {path for path, status in crawl["server"].requests if status == 200}
    assert "/robots.txt" in requested
    for path in config.get("feeds", []):
        assert path in requested, f"feed or sitemap {path} not read"
    for name in config.get("feed_only", []):
        meta, _, expected = load(FIXTURES / site / name)
        assert expected["id"] in {r["id"] for r in crawl["records"]}, name


@pytest.mark.parametrize("site", SITES)
def test_nothing_outside_the_rules_is_requested(crawls: dict[str, dict[str, Any]],
                                                site: str) -> None:
    crawl = crawls[site]
    paths = [path for path, _ in crawl["server"].requests]
    repeated = sorted({p for p in paths if paths.count(p) > 1})
    # robots.txt too: its Sitemap lines are read from the copy RobotsTxtMiddleware fetched
    assert not repeated, f"fetched twice: {repeated}"
    for path in site_config(site).get("never", []):
        assert not [p for p in paths if p.startswith(path)], path

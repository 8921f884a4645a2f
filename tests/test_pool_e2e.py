"""The reading pool in a real crawl: a page that kills or hangs its worker costs that page only;
the crawl runs in the mode CI asks for (``make test`` runs the end-to-end tests in both)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from localsite.model import SiteModel
from localsite.server import LocalSite
from tests.crawl_helpers import ROOT, crawl_command, number, outputs
from tests.pool_pages import FAULT

# Spider "faulty" (tests/pool_pages.py): sjfzxm's, with a page class that fails on a marked page.
FAULTY = ("-s", "SPIDER_MODULES=spiders,tests.pool_pages", "-s", "READING_POOL_SIZE=1")
# Long enough that a page read on a loaded 2-core machine (a CI box running other suites) is
# not taken for a hang; the hang case waits this long once.
FAULT_TIMEOUT_S = 12


def crawl(site: LocalSite, tmp: Path, *extra: str, env: dict[str, str] | None = None,
          spider: str = "sjfzxm") -> subprocess.CompletedProcess[str]:
    command = crawl_command(site.start_url, tmp / "state", "-s", f"DATA_DIR={tmp / 'data'}",
                            *extra, spider=spider)
    return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=180,
                          env={**os.environ, **(env or {})})


def plain_article(model: SiteModel) -> int:
    """An emitted article that is no republication and has none."""
    duplicates = model.duplicates()
    related = set(duplicates) | set(duplicates.values())
    return min(i for i in model.emitted_ids() if i not in related)


@pytest.mark.parametrize("fault, stat", [("exit", "worker_died"), ("hang", "timeout")])
def test_a_page_that_costs_its_worker_costs_that_page_only(tmp_path: Path, fault: str,
                                                           stat: str) -> None:
    model = SiteModel.generate(30, seed=0)
    marked = plain_article(model)
    with LocalSite(model) as site:
        result = crawl(site, tmp_path, *FAULTY, "-s", f"READING_TIMEOUT={FAULT_TIMEOUT_S}",
                       spider="faulty", env={FAULT: f"{fault}:/{marked}.html"})
    log = result.stderr
    assert result.returncode == 0, log[-3000:]
    got = {number(r["id"]) for r in outputs(tmp_path / "data", "faulty")}
    duplicates = model.duplicates()
    assert {duplicates.get(i, i) for i in got} == model.emitted_ids() - {marked}
    named = [line for line in log.splitlines() if f"/{marked}.html" in line]
    assert len(named) == 1 and " ERROR: " in named[0] and "the crawl goes on" in named[0], named
    assert f"'reading_pool/{stat}': 1" in log


def test_records_stay_right_when_workers_are_recycled(tmp_path: Path) -> None:
    """A new worker every 5 pages: every article is emitted once, as with one long-lived one."""
    model = SiteModel.generate(30, seed=0)
    with LocalSite(model) as site:
        result = crawl(site, tmp_path, "-s", "READING_POOL_SIZE=1",
                       "-s", "READING_WORKER_MAX_PAGES=5")
    assert result.returncode == 0, result.stderr[-3000:]
    ids = [number(r["id"]) for r in outputs(tmp_path / "data", "sjfzxm")]
    duplicates = model.duplicates()
    assert len(ids) == len(set(ids))
    assert {duplicates.get(i, i) for i in ids} == model.emitted_ids()
    assert "'reading_pool/workers_recycled': " in result.stderr
    assert "'reading_pool/worker_died'" not in result.stderr


def test_the_crawl_reads_pages_in_the_mode_asked_for(tmp_path: Path) -> None:
    """``make test`` runs this module with SCRAPY_SETTINGS_MODULE=tests.settings_in_process."""
    in_process = os.environ.get("SCRAPY_SETTINGS_MODULE") == "tests.settings_in_process"
    with LocalSite(SiteModel.generate(24, seed=1)) as site:
        result = crawl(site, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    size = 0 if in_process else max(1, (os.cpu_count() or 1) - 1)
    assert f"'reading_pool/size': {size}" in result.stderr
    assert ("'reading_pool/pages'" in result.stderr) is not in_process

"""End to end: the real ``scrapy crawl sjfzxm`` against the local site, checked record by record."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from localsite.model import SiteModel
from localsite.server import LocalSite
from tests.crawl_helpers import number, read_jsonl, run_crawl, run_report, word_f1


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl of a 60-article site; the records, the site's requests log and its truth."""
    tmp = tmp_path_factory.mktemp("e2e")
    model = SiteModel.generate(60, seed=0)
    with LocalSite(model) as site:
        result = run_crawl(site.start_url, tmp / "state", "-O", str(tmp / "out.jsonl"),
                           log=tmp / "crawl.log")
        requests = site.requests
        truth = model.truth(site.base_url, include_duplicates=True)
    return {"result": result, "records": read_jsonl(tmp / "out.jsonl"), "requests": requests,
            "model": model, "truth": truth, "tmp": tmp}


def test_crawl_succeeds_and_writes_a_report(crawled) -> None:
    assert crawled["result"].returncode == 0, crawled["result"].stderr[-3000:]
    report = run_report(crawled["tmp"])
    assert report["exit_status"] == 0 and report["finish_reason"] == "finished"
    assert report["articles_emitted"] == len(crawled["records"])


def test_every_reachable_article_exactly_once(crawled) -> None:
    model: SiteModel = crawled["model"]
    ids = [number(r["id"]) for r in crawled["records"]]
    assert len(ids) == len(set(ids)), "duplicate records"
    wanted = model.emitted_ids()
    duplicates = model.duplicates()  # either copy of a republished story may be the one kept
    for later, original in duplicates.items():
        assert (later in ids) != (original in ids), (later, original)
    got = {duplicates.get(i, i) if i in duplicates else i for i in ids}
    assert got == wanted, (sorted(wanted - got), sorted(got - wanted))
    assert model.specials.related_only in ids


def test_fields_match_the_truth(crawled) -> None:
    truth = crawled["truth"]
    f1s = []
    for record in crawled["records"]:
        expected = truth[number(record["id"])]
        for field in ("url", "title", "published_at", "source", "keywords", "next"):
            assert record[field] == expected[field], (record["id"], field)
        assert record["related"] == expected["related"], record["id"]
        f1s.append(word_f1(expected["body"], record["body"]))
    assert sum(f1s) / len(f1s) >= 0.99, min(f1s)


def test_no_teaser_or_related_text_leaks_into_a_body(crawled) -> None:
    model: SiteModel = crawled["model"]
    for record in crawled["records"]:
        article = model.articles[number(record["id"])]
        if article.next_id is not None:
            assert model.articles[article.next_id].teaser[:60] not in record["body"]
        for entry in record["related"]:
            assert entry["title"] not in record["body"]


def test_nothing_requested_that_should_not_be(crawled) -> None:
    model: SiteModel = crawled["model"]
    paths = [(host, path, status) for host, path, status in crawled["requests"]]
    assert not [p for _, p, _ in paths if p.startswith("/global/en/private/")], "robots.txt ignored"
    archive = [p for _, p, _ in paths if p.startswith("/global/en/archive/")]
    assert len(archive) <= 2, archive  # the trap's first page only (one per link variant at most)
    fetched: dict[str, int] = {}
    for _, path, status in paths:
        if status == 200 and path.startswith("/global/en/") and path.endswith(".html"):
            key = urlsplit(path).path
            fetched[key] = fetched.get(key, 0) + 1
    assert max(fetched.values()) == 1, [k for k, v in fetched.items() if v > 1]
    flaky = f"/global/en/{model.specials.flaky}.html"
    assert [s for _, p, s in paths if urlsplit(p).path == flaky] == [503, 200]


def test_bad_input_is_logged_and_counted(crawled) -> None:
    log = crawled["result"].stderr
    model: SiteModel = crawled["model"]
    assert f"{model.specials.missing}.html answered 404" in log  # dangling related link
    assert "placeholder_body" in log  # the deleted article
    report = run_report(crawled["tmp"])
    assert report["dangling_links"] == {"404": 1}
    assert report["items_dropped"].get("placeholder_body") == 1
    assert report["duplicates_dropped"] == {"exact": 1, "near": 1}
    assert report["retries"] >= 1


def test_redirect_offsite_is_not_followed(crawled) -> None:
    report = run_report(crawled["tmp"])
    assert report["offsite_filtered"] >= 1  # the redirect to offsite.example
    assert report["robots_forbidden"] >= 1  # the /global/en/private/ article


def test_responses_over_the_size_cap_are_dropped_and_the_crawl_goes_on(tmp_path: Path) -> None:
    model = SiteModel.generate(30, seed=2)
    with LocalSite(model) as site:
        result = run_crawl(site.start_url, tmp_path / "state", "-O", str(tmp_path / "out.jsonl"),
                           "-s", "DOWNLOAD_MAXSIZE=20000")
    assert "larger than download max size" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()  # no empty output file for globs to choke on
    assert run_report(tmp_path)["output"] is None
    assert result.returncode == 7  # no page could be fetched: the run says so


def test_max_articles_emits_exactly_n_and_stops_cleanly(tmp_path: Path) -> None:
    model = SiteModel.generate(40, seed=4)
    with LocalSite(model) as site:
        result = run_crawl(site.start_url, tmp_path / "state", "-O", str(tmp_path / "out.jsonl"),
                           "-a", "max_articles=5")
        served = len(site.requests)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 5
    report = run_report(tmp_path)
    assert report["finish_reason"] == "max_articles"
    assert served < 40  # it stopped, it did not crawl the whole site

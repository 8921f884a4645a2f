"""The generated local site: model, truth, the server's special behaviours, fixtures in step."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from localsite import realdata
from localsite.fixtures import FIXTURE_DIR, drift, fixture_model
from localsite.model import SiteModel
from localsite.server import LocalSite

SHARED_TEXT = Path(__file__).resolve().parents[2] / "shared/sites/sjfzxm/article-587064.txt"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    with LocalSite(SiteModel.generate(60)) as running:
        yield running


def hrefs(page: bytes) -> list[str]:
    return re.findall(r'href="([^"]+)"', page.decode("utf-8", "replace"))


# -- model and truth -----------------------------------------------------------------------------


def test_truth_of_587064_is_the_real_article() -> None:
    model = SiteModel.generate(40)
    record = model.truth("http://127.0.0.1:1")[587064]
    assert record["title"] == realdata.REAL_TITLE
    assert record["published_at"] == "2021-09-07T15:08:00+08:00"
    assert record["keywords"] == ["Aksu Textile Industrial City"]
    assert record["source"] == "Aksu daily"
    assert record["views"] == 0
    assert record["body"].startswith("Recently, Xinjiang Digital Economy")
    assert "(source" not in record["body"]
    assert [r["title"] for r in record["related"]] == [t for t, _, _ in realdata.REAL_RELATED]
    assert record["related"][0]["published_at"] == "2021-09-01T02:03:00+08:00"
    assert record["next"]["title"] == realdata.NEXT_TITLE
    assert model.articles[model.specials.next_of_real].teaser == realdata.NEXT_TEASER


@pytest.mark.skipif(not SHARED_TEXT.exists(), reason="shared/ is not checked out beside the repo")
def test_packaged_real_text_matches_shared_copy() -> None:
    text = SHARED_TEXT.read_text(encoding="utf-8")
    for paragraph in realdata.REAL_PARAGRAPHS:
        assert paragraph in text
    for title, when, count in realdata.REAL_RELATED:
        stamp = f"{when.year}/{when.month}/{when.day} {when.hour}:{when.minute:02d}:00"
        assert f"{title}\n\nLocal hotspot\n|\n{stamp}\n{count}\n" in text
    assert realdata.REAL_TITLE in text and "2021/9/7 15:08:00 0" in text
    assert f"{realdata.NEXT_TITLE}\n\n{realdata.NEXT_TEASER}" in text


def test_generation_is_deterministic_and_bodies_differ() -> None:
    first, second = SiteModel.generate(80, seed=3), SiteModel.generate(80, seed=3)
    assert first.truth("http://h") == second.truth("http://h")
    bodies = [r["body"] for r in first.truth("http://h").values()]
    assert len(set(bodies)) == len(bodies)


def test_fifty_thousand_articles_generate() -> None:
    model = SiteModel.generate(50_000)
    assert len(model.articles) == 50_000
    assert model.page_count > 2_000


def test_expected_ids_leave_out_what_must_not_be_emitted() -> None:
    model = SiteModel.generate(60)
    s = model.specials
    emitted = model.emitted_ids()
    for absent in (s.deleted, s.private, s.missing, s.offsite, s.exact_duplicate, s.near_duplicate):
        assert absent not in emitted
    for present in (s.real, s.related_only, s.no_date, s.gb2312, s.flaky):
        assert present in emitted
    assert model.duplicates() == {
        s.exact_duplicate: s.exact_duplicate_of,
        s.near_duplicate: s.near_duplicate_of,
    }
    truth = model.truth("http://h", include_duplicates=True)
    assert truth[s.exact_duplicate]["body"] == truth[s.exact_duplicate_of]["body"]
    near, original = truth[s.near_duplicate], truth[s.near_duplicate_of]
    assert near["body"] != original["body"] and near["source"] != original["source"]
    assert truth[s.no_date]["published_at"] is None


def test_related_only_article_is_linked_from_related_blocks_only() -> None:
    model = SiteModel.generate(60)
    hidden = model.specials.related_only
    listed = {a.id for page in range(1, model.page_count + 1) for a in model.list_page(page)}
    assert hidden not in listed and model.specials.missing not in listed
    assert any(hidden in a.related for a in model.articles.values())
    sidebars = model.hot() + [r for a in model.articles.values() for r in model.recommended(a.id)]
    assert hidden not in {a.id for a in sidebars}


def test_mutations_show_on_list_pages() -> None:
    with LocalSite(SiteModel.generate(40)) as own:
        new_ids = own.model.add_articles(2)
        _, _, page = fetch(own.start_url)
        assert new_ids == sorted(new_ids)
        first = [int(m) for m in re.findall(r"/global/en/(\d+)\.html", page.decode())]
        assert first.index(new_ids[1]) < first.index(new_ids[0])
        own.model.retitle(new_ids[0], "A Retitled Headline About Cotton")
        assert b"A Retitled Headline About Cotton" in fetch(own.start_url)[2]
        truth = own.model.truth(own.base_url)
        assert truth[new_ids[0]]["title"] == "A Retitled Headline About Cotton"
        assert truth[new_ids[1]]["next"]["url"] == f"{own.base_url}/global/en/{new_ids[0]}.html"


# -- the server ----------------------------------------------------------------------------------


def test_both_hosts_serve_the_same_page(site: LocalSite) -> None:
    site.reset_requests()
    primary = fetch(f"{site.base_url}/global/en/587064.html")
    mirror = fetch(f"{site.mirror_url}/global/en/587064.html")
    assert primary[0] == mirror[0] == 200
    assert primary[2] == mirror[2]
    assert 40_000 <= len(primary[2]) <= 80_000
    assert primary[1]["Content-Type"] == "text/html; charset=utf-8"
    hosts = [host for host, _, _ in site.requests]
    assert hosts == ["127.0.0.1", "127.0.0.2"]


def test_flaky_article_fails_once(site: LocalSite) -> None:
    url = f"{site.base_url}/global/en/{site.model.specials.flaky}.html"
    assert fetch(url)[0] == 503
    assert fetch(url)[0] == 200


def test_missing_related_target_answers_404(site: LocalSite) -> None:
    missing = site.model.specials.missing
    assert any(missing in a.related for a in site.model.articles.values())
    assert fetch(f"{site.base_url}/global/en/{missing}.html")[0] == 404


def test_legacy_url_redirects_permanently(site: LocalSite) -> None:
    status, headers, _ = fetch(f"{site.base_url}/news/show.asp?id=587064")
    assert status == 301
    assert headers["Location"] == f"{site.base_url}/global/en/587064.html"
    assert "/news/show.asp?id=587064" in hrefs(fetch(site.start_url)[2])


def test_listed_article_redirects_offsite(site: LocalSite) -> None:
    offsite = site.model.specials.offsite
    status, headers, _ = fetch(f"{site.base_url}/global/en/{offsite}.html")
    assert status == 302 and headers["Location"].startswith("http://offsite.example/")
    listed = {a.id for p in range(1, site.model.page_count + 1) for a in site.model.list_page(p)}
    assert offsite in listed


def test_robots_disallows_the_private_article_that_a_list_links(site: LocalSite) -> None:
    status, _, body = fetch(f"{site.base_url}/robots.txt")
    robots = RobotFileParser()
    robots.parse(body.decode().splitlines())
    private = f"/global/en/private/{site.model.specials.private}.html"
    assert status == 200 and not robots.can_fetch("*", f"{site.base_url}{private}")
    assert robots.can_fetch("*", f"{site.base_url}/global/en/587064.html")
    assert private in hrefs(fetch(site.start_url)[2])


def test_archive_is_an_endless_chain_of_empty_days(site: LocalSite) -> None:
    link = next(h for h in hrefs(fetch(site.start_url)[2]) if "/archive/" in h)
    for _ in range(3):
        status, _, page = fetch(f"{site.base_url}{link}")
        assert status == 200 and b"No articles" in page
        assert not re.search(rb"/global/en/\d+\.html", page.split(b'class="right"')[0])
        older = [h for h in hrefs(page) if "/archive/" in h]
        assert len(older) == 1 and older[0] < link
        link = older[0]


def test_gb2312_article_declares_its_charset_in_meta_only(site: LocalSite) -> None:
    status, headers, body = fetch(f"{site.base_url}/global/en/{site.model.specials.gb2312}.html")
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b'charset=gb2312"' in body[:600]
    text = body.decode("gb2312")
    assert "浙江恒逸集团" in text and "“" in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_deleted_article_shows_a_notice(site: LocalSite) -> None:
    status, _, body = fetch(f"{site.base_url}/global/en/{site.model.specials.deleted}.html")
    assert status == 200
    assert b"does not exist or has been deleted" in body


def test_pagination_ends(site: LocalSite) -> None:
    last = site.model.page_count
    assert fetch(f"{site.base_url}/global/en/index_{last}.html")[0] == 200
    assert fetch(f"{site.base_url}/global/en/index_{last + 1}.html")[0] == 404
    assert fetch(f"{site.base_url}/global/en/index.html")[2] == fetch(site.start_url)[2]


# -- fixtures ------------------------------------------------------------------------------------


def test_generated_fixtures_match_the_renderer() -> None:
    assert drift(fixture_model()) == [], "run: python tests/fixtures/sjfzxm/regenerate.py"


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURE_DIR.iterdir() if p.is_dir()))
def test_fixture_texts_are_in_their_pages(case: str) -> None:
    folder = FIXTURE_DIR / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    page = (folder / "page.html").read_bytes().decode(meta["encoding"])
    if meta["kind"] == "list":
        ids = re.findall(r"/global/en/(\d+)\.html", page)
        assert all(url.rsplit("/", 1)[1][:-5] in ids for url in expected["articles"])
        return
    if expected is None:
        assert "has been deleted" in page
        return
    assert expected["title"] in page.replace("&amp;", "&")
    for paragraph in expected["body"].split("\n\n"):
        assert paragraph in page.replace("&amp;", "&")

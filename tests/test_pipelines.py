"""Each pipeline stage on its own, built from a real crawler (state in a temporary directory)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from scrapy.exceptions import DropItem

from crawler.items import Article
from crawler.state import store_for
from pipelines.clean import CleanPipeline, has_invalid, make_valid
from pipelines.dedup import DedupPipeline
from pipelines.incremental import IncrementalPipeline
from pipelines.validate import ValidatePipeline

BODY = (
    "Aksu textile industry city was listed among the six demonstration parks this year. "
    "The parks include Urumqi high tech zone and the Karamay cloud computing park.\n\n"
    "Up to now there are 546 enterprises registered in the park, including 42 enterprises "
    "above the designated size, with an annual output value of more than 10 billion yuan.\n\n"
    "The region has accelerated industrial digitization and promoted the integration of "
    "energy, textile and clothing, machinery and mining industries with remarkable results."
)


def article(article_id: str = "sjfzxm:1", body: str = BODY, **fields) -> Article:
    item = Article(id=article_id, site="sjfzxm", url=f"http://www.sjfzxm.com/global/en/{article_id[7:]}.html",
                   title="Aksu Textile City Listed", published_at="2021-09-07T15:08:00+08:00",
                   body=body, language="en", crawled_at="2026-11-26T00:00:00Z", **fields)
    return CleanPipeline().process_item(item)


def test_clean_normalizes_fields_and_sets_hash() -> None:
    item = Article(id="sjfzxm:1", site="sjfzxm", url="http://x/1.html",
                   title=" Aksu&nbsp;Textile <b>City</b> ",
                   body="One.\u00a0Two\n\n\nShare to:\nThree.", keywords=[" Aksu ", ""],
                   related=[{"url": "u", "title": " A\u3000B ", "category": None}])
    CleanPipeline().process_item(item)
    assert item.title == "Aksu Textile City"
    assert item.body == "One. Two\n\nThree."
    assert item.keywords == ["Aksu"]
    assert item.related[0]["title"] == "A B"
    assert len(item.content_hash) == 32


def test_content_hash_changes_with_title_only_when_content_changes() -> None:
    assert article().content_hash == article().content_hash
    changed = article()
    changed.title = "Another title"
    CleanPipeline().process_item(changed)
    assert changed.content_hash != article().content_hash


def test_validate_accepts_a_good_record(crawler) -> None:
    item = article()
    assert ValidatePipeline.from_crawler(crawler).process_item(item) is item


@pytest.mark.parametrize(("change", "reason"), [
    ({"title": None}, "missing_title"),
    ({"body": None}, "missing_body"),
    ({"url": ""}, "missing_url"),
    ({"body": "The article does not exist or has been deleted."}, "placeholder_body"),
    ({"published_at": "7 Sept 2021"}, "schema"),
])
def test_validate_drops_bad_records_with_a_counted_reason(crawler, change, reason) -> None:
    item = article()
    for key, value in change.items():
        setattr(item, key, value)
    with pytest.raises(DropItem, match=reason):
        ValidatePipeline.from_crawler(crawler).process_item(item)
    assert crawler.stats.get_value(f"validate/dropped/{reason}") == 1


def test_every_record_field_is_in_the_schema(crawler) -> None:
    from crawler.items import article_schema
    assert set(asdict(article())) == set(article_schema()["properties"])


def test_dedup_drops_same_id_exact_and_near_copies_and_counts_them_apart(crawler) -> None:
    dedup = DedupPipeline.from_crawler(crawler)
    dedup.process_item(article("sjfzxm:1"))
    with pytest.raises(DropItem, match="id"):
        dedup.process_item(article("sjfzxm:1"))
    with pytest.raises(DropItem, match="exact"):  # same words, other spacing
        dedup.process_item(article("sjfzxm:2", body=BODY.replace(". ", ".  ")))
    reworded = BODY.replace("with remarkable results", "and the results were remarkable indeed")
    with pytest.raises(DropItem, match="near"):
        dedup.process_item(article("sjfzxm:3", body=reworded + "\n\n(source: Xinjiang daily)"))
    other = "Cotton prices in Zhengzhou fell for the third week as spinners cut orders. " * 6
    dedup.process_item(article("sjfzxm:4", body=other))
    stats = crawler.stats
    assert [stats.get_value(f"dedup/dropped/{k}") for k in ("id", "exact", "near")] == [1, 1, 1]
    assert store_for(crawler).duplicate_of("sjfzxm:3") == "sjfzxm:1"


def test_dedup_remembers_stories_across_runs(crawler, tmp_path) -> None:
    DedupPipeline.from_crawler(crawler).process_item(article("sjfzxm:1"))
    store_for(crawler).commit()
    from scrapy.utils.test import get_crawler

    from spiders.sjfzxm import SjfzxmSpider
    later = get_crawler(SjfzxmSpider, {"STATE_DIR": str(tmp_path / "state")})
    with pytest.raises(DropItem, match="exact"):
        DedupPipeline.from_crawler(later).process_item(article("sjfzxm:9"))
    store_for(later).close()


def test_incremental_drops_unchanged_and_numbers_revisions(crawler) -> None:
    store = store_for(crawler)
    first = article("sjfzxm:1")
    store.record_emitted([asdict(first)])
    stage = IncrementalPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="Unchanged"):
        stage.process_item(article("sjfzxm:1"))
    changed = article("sjfzxm:1")
    changed.title = "Aksu Textile City Listed (corrected)"
    CleanPipeline().process_item(changed)
    assert stage.process_item(changed).revision == 2
    assert changed.updated is True
    assert stage.process_item(article("sjfzxm:2")).revision == 1


@pytest.mark.parametrize(("value", "expected"), [
    ("Plain text\nwith a newline and\ttab", False),
    ({"url": "https://a.example/1", "title": "Fine", "n": 3}, False),
    (["fine", {"title": "fine", "x": None}], False),
    ("carriage\r\nreturn", True),
    ("lone \ud800 surrogate", True),
    (["fine", {"title": "control \x01 char"}], True),
    ({"next": {"title": "C1 \x85 control"}}, True),
])
def test_has_invalid_tells_whether_make_valid_changes_anything(value, expected) -> None:
    assert has_invalid(value) is expected
    assert make_valid(value)[1] is expected

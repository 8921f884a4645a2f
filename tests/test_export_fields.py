"""The journaled exporters read an Article's fields directly: same output as Scrapy's own."""

from __future__ import annotations

import io

import pytest
from scrapy.exporters import CsvItemExporter, JsonLinesItemExporter

from crawler.exporters import JsonFieldsCsvItemExporter, journaled
from crawler.items import ARTICLE_FIELDS, Article


def article() -> Article:
    return Article(id="sjfzxm:1", site="sjfzxm", url="https://www.sjfzxm.com/news/1.html",
                   title="Cotton \u201cprices\u201d", body="Body text.", authors=["A, B", "C"],
                   related=[{"url": "https://www.sjfzxm.com/news/2.html", "title": "Two"}],
                   next={"url": "https://www.sjfzxm.com/news/3.html", "title": "Three"},
                   updated=True)


def exported(exporter_class: type, item: object, **options: object) -> bytes:
    out = io.BytesIO()
    exporter = exporter_class(out, encoding="utf-8", **options)
    exporter.start_exporting()
    exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue()


@pytest.mark.parametrize("options", [
    {"fields_to_export": ARTICLE_FIELDS},
    {"fields_to_export": ["url", "not_a_field", "id"]},
    {"fields_to_export": ["url", "not_a_field", "id"], "export_empty_fields": True},
    {"fields_to_export": {"url": "link", "id": "key"}},  # renamed: Scrapy's own path
    {},
])
@pytest.mark.parametrize("exporter", [JsonLinesItemExporter, CsvItemExporter,
                                      JsonFieldsCsvItemExporter])
def test_same_output_as_the_exporter_it_wraps(exporter: type, options: dict) -> None:
    assert exported(journaled(exporter), article(), **options) == exported(exporter, article(),
                                                                           **options)


def test_a_dict_item_takes_scrapys_path() -> None:
    record = {"id": "sjfzxm:1", "url": "https://www.sjfzxm.com/news/1.html"}
    options = {"fields_to_export": ["url", "id"]}
    assert exported(journaled(JsonLinesItemExporter), record, **options) == exported(
        JsonLinesItemExporter, record, **options)


def test_nested_fields_of_csv_stay_json() -> None:
    row = exported(journaled(JsonFieldsCsvItemExporter), article(),
                   fields_to_export=["authors", "updated"]).decode()
    assert '"[""A, B"", ""C""]",true' in row

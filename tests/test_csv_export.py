"""``-O out.csv``: nested fields come out as JSON that a CSV reader can parse back."""

from __future__ import annotations

import csv
import io
import json

from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.exporters import JsonFieldsCsvItemExporter
from crawler.items import ARTICLE_FIELDS, Article

RECORD = Article(
    id="sjfzxm:1", site="sjfzxm", url="http://www.sjfzxm.com/global/en/1.html",
    title="T, with comma",
    body="Body", keywords=["cotton, organic", "yarn"], authors=[],
    related=[{"url": "http://www.sjfzxm.com/global/en/2.html", "title": "Two", "category": None,
              "published_at": "2021-09-07T15:08:00+08:00"}],
    next={"url": "http://www.sjfzxm.com/global/en/3.html", "title": "Three"}, updated=True,
)


def exported_rows(record: Article) -> list[dict[str, str]]:
    buffer = io.BytesIO()
    exporter = JsonFieldsCsvItemExporter(buffer, fields_to_export=ARTICLE_FIELDS)
    exporter.start_exporting()
    exporter.export_item(record)
    exporter.finish_exporting()
    return list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8"))))


def test_nested_fields_are_json_and_round_trip() -> None:
    row = exported_rows(RECORD)[0]
    assert json.loads(row["keywords"]) == ["cotton, organic", "yarn"]
    assert json.loads(row["authors"]) == []
    assert json.loads(row["related"]) == RECORD.related
    assert json.loads(row["next"]) == RECORD.next
    assert json.loads(row["updated"]) is True
    assert row["title"] == "T, with comma"  # scalars stay plain text
    assert row["revision"] == "1" and row["published_at"] == ""


def test_no_python_repr_in_any_cell() -> None:
    row = exported_rows(RECORD)[0]
    assert not any("{'" in cell or "['" in cell or cell in ("True", "False")
                   for cell in row.values())


def test_the_project_exports_csv_with_it() -> None:
    exporters = get_project_settings().getdict("FEED_EXPORTERS")
    assert load_object(exporters["csv"]) is JsonFieldsCsvItemExporter

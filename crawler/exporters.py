"""Feed exporters of this project: CSV whose nested fields are JSON."""

from __future__ import annotations

import json
from typing import Any

from scrapy.exporters import CsvItemExporter


def csv_cell(value: Any) -> Any:
    """A list, an object or a boolean as JSON (``["a, b", "c"]``, ``{"url": ...}``, ``true``);
    anything else as Scrapy writes it. Python reprs (``[{'url': ...}]``) are no format."""
    if isinstance(value, (list, dict, bool)):
        return json.dumps(value, ensure_ascii=False)
    return value


class JsonFieldsCsvItemExporter(CsvItemExporter):
    """``-O out.csv``: one row per record, nested fields (authors, keywords, images, related,
    next, fallback_fields) and booleans as JSON, so any CSV reader gets them back with a JSON
    parser. Registered for ``csv`` in the setting ``FEED_EXPORTERS``."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return super().serialize_field(field, name, csv_cell(value))

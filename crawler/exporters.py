"""Feed exporters of this project: CSV whose nested fields are JSON, and every exporter journaled.

``journaled(cls)`` derives from a feed exporter a class that adds each record it wrote to the
output file's journal (crawler.state.journal). A record it fails on is logged in one line,
counted (``output/export_failed``) and left out: neither in the file nor counted as emitted. A
write error of the file itself (a full disk) loses the whole output (crawler.feedstorage).
``journaled_exporters`` wraps every format of ``FEED_EXPORTERS`` (the CSV exporter below, a
developer's own included), so the incremental state never depends on the format or the exporter.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import CsvItemExporter
from scrapy.utils.misc import load_object

from crawler.feedstorage import output_failed
from crawler.state import ArticleStore, StateUnavailable, store_for

logger = logging.getLogger(__name__)


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


class JournaledExporter:
    """Mixin over a Scrapy item exporter (first base: it wraps the exporter's methods)."""

    crawler: Any = None
    output: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, file: Any, *args: Any, **kwargs: Any) -> Any:
        parent = super()
        if hasattr(parent, "from_crawler"):
            exporter = parent.from_crawler(crawler, file, *args, **kwargs)
        else:
            # the exporter class's own constructor (the mixin has none)
            exporter = cls(file, *args, **kwargs)  # type: ignore[call-arg]
        exporter.crawler, exporter.output = crawler, file
        return exporter

    def get_serialized_fields(self, item: Any, default_value: Any = None,
                              include_empty: bool | None = None) -> Iterable[tuple[str, Any]]:
        """Scrapy's, read straight from a dataclass item (an ``Article``) when the fields to
        export are a list of names: no ItemAdapter and no membership test per field (half of a
        JSON Lines export's cost). The values and their order are Scrapy's."""
        declared = _dataclass_fields(type(item))
        names = self.fields_to_export  # type: ignore[attr-defined]
        if declared is None or isinstance(names, Mapping) or not isinstance(names, Iterable) or (
                not all(isinstance(name, str) for name in names)):
            return super().get_serialized_fields(  # type: ignore[misc]
                item, default_value, include_empty)
        if include_empty is None:
            include_empty = self.export_empty_fields  # type: ignore[attr-defined]
        serialize = self.serialize_field  # type: ignore[attr-defined]
        return [(name, serialize(declared[name], name, getattr(item, name))) if name in declared
                else (name, default_value) for name in names if include_empty or name in declared]

    def lost(self) -> bool:
        return getattr(self.output, "error", None) is not None

    def start_exporting(self) -> None:
        self._guarded(super().start_exporting)  # type: ignore[misc]

    def finish_exporting(self) -> None:
        self._guarded(super().finish_exporting)  # type: ignore[misc]

    def export_item(self, item: Any) -> None:
        if self.lost():
            return  # said once; nothing more goes into a lost file
        try:
            super().export_item(item)  # type: ignore[misc]
        except OSError as error:
            self._output_lost(error)
            return
        except Exception as error:  # noqa: BLE001 (one bad record; the others are written)
            logger.error("Could not export %s (%s: %s); it is not in the output",
                         ItemAdapter(item).get("id"), type(error).__name__, error)
            if self.crawler is not None:
                self.crawler.stats.inc_value("output/export_failed")
                self._unindex(ItemAdapter(item).get("id"))
            return
        journal = getattr(self.output, "journal", None)
        if journal is not None:
            self._guarded(lambda: journal.add(ItemAdapter(item)))  # no deep copy: read only

    def _unindex(self, article_id: str | None) -> None:
        store = store_for(self.crawler)
        if article_id and isinstance(store, ArticleStore):  # Redis claims its records itself
            try:
                store.unindex_pending(article_id)
            except StateUnavailable:
                pass  # the store said why and stops the run

    def _guarded(self, write: Any) -> None:
        if self.lost():
            return
        try:
            write()
        except OSError as error:
            self._output_lost(error)

    def _output_lost(self, error: OSError) -> None:
        if self.output is not None and getattr(self.output, "error", None) is None:
            self.output.error = error
        output_failed(self.crawler, Path(getattr(self.output, "name", "?")), error)


# Each item type's fields (name -> metadata) when it is a dataclass, else None: _dataclass_fields.
_FIELDS_BY_TYPE: dict[type, dict[str, Mapping[str, Any]] | None] = {}


def _dataclass_fields(item_type: type) -> dict[str, Mapping[str, Any]] | None:
    """Each field's metadata (where Scrapy finds a field's serializer) by name, for a dataclass."""
    if item_type not in _FIELDS_BY_TYPE:
        _FIELDS_BY_TYPE[item_type] = ({field.name: field.metadata
                                       for field in dataclasses.fields(item_type)}
                                      if dataclasses.is_dataclass(item_type) else None)
    return _FIELDS_BY_TYPE[item_type]


@cache
def journaled(exporter: type) -> type:
    """``exporter`` with the journal mixin (one class per exporter)."""
    if issubclass(exporter, JournaledExporter):
        return exporter
    return type(f"Journaled{exporter.__name__}", (JournaledExporter, exporter), {})


def journaled_exporters(settings: Any) -> dict[str, type]:
    """Every configured feed format's exporter, journaled (for ``FEED_EXPORTERS``)."""
    configured = settings.getwithbase("FEED_EXPORTERS")
    return {fmt: journaled(load_object(path)) for fmt, path in configured.items() if path}

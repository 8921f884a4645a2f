"""The one place that touches Scrapy internals, each because no public API does the job.

Scrapy may rename any of these in a minor release; ``tests/test_scrapy_private.py`` fails on an
upgrade that moves one, so the break shows in the suite and not as a silent change of behaviour.

- ``set_idle_poll_interval``: an idle engine asks its scheduler for requests only every
  ``ExecutionEngine._SLOT_HEARTBEAT_INTERVAL`` (5 s). A distributed worker's queue is filled by the
  other workers, so it must ask as often as it polls Redis. No setting or signal changes it.
- ``requests_in_progress``: the requests an engine still holds (downloading, waiting for or in a
  callback, their output not yet handled). A distributed worker keeps the Redis lease of each until
  then. ``downloader.active`` is public; the scraper's queue and active set
  (``scraper.slot.queue``, ``.active``) and the engine slot's ``inprogress`` are not, and no
  signal says "this request's callback output has been handled".
- ``feed_item_exporters``: the item exporters of the feed exporter extension (``FeedExporter.slots``
  and ``FeedSlot.exporter``, undocumented), wrapped to time the export stage. The extension itself
  is found with the public ``crawler.get_extension``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.core.engine import ExecutionEngine
from scrapy.extensions.feedexport import FeedExporter

HEARTBEAT_ATTRIBUTE = "_SLOT_HEARTBEAT_INTERVAL"


def set_idle_poll_interval(engine: ExecutionEngine, seconds: float) -> None:
    """How often an idle engine asks its scheduler for requests (set by spider_opened)."""
    setattr(engine, HEARTBEAT_ATTRIBUTE, seconds)


def requests_in_progress(engine: ExecutionEngine) -> set[Request]:
    """Requests being downloaded, waiting for their callback, or whose output is being handled."""
    requests: set[Request] = set(engine.downloader.active)
    slot = engine.scraper.slot
    if slot is not None:
        requests |= slot.active | {queued[1] for queued in slot.queue}
    engine_slot = engine._slot
    if engine_slot is not None:
        requests |= engine_slot.inprogress
    return requests


def feed_item_exporters(crawler: Any) -> Iterator[Any]:
    """The item exporters the feed exporter has created so far (one per feed)."""
    extension = crawler.get_extension(FeedExporter)
    for slot in getattr(extension, "slots", ()):
        if slot.exporter is not None:
            yield slot.exporter

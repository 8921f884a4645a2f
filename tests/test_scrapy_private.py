"""Fails on the Scrapy upgrade that moves an internal name crawler.scrapy_private relies on."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

from scrapy import Request
from scrapy.core import engine as scrapy_engine
from scrapy.core.engine import ExecutionEngine
from scrapy.core.scraper import Slot as ScraperSlot
from scrapy.extensions.feedexport import FeedExporter, FeedSlot

from crawler import scrapy_private


def test_the_engine_still_reads_its_slot_heartbeat_interval_attribute() -> None:
    assert isinstance(getattr(ExecutionEngine, scrapy_private.HEARTBEAT_ATTRIBUTE), float)
    # Still used to start the idle heartbeat (setting it must still change something).
    assert f"self.{scrapy_private.HEARTBEAT_ATTRIBUTE}" in inspect.getsource(ExecutionEngine)
    engine = SimpleNamespace()
    scrapy_private.set_idle_poll_interval(engine, 0.25)  # type: ignore[arg-type]
    assert getattr(engine, scrapy_private.HEARTBEAT_ATTRIBUTE) == 0.25


def test_requests_in_progress_reads_the_scraper_and_engine_slots() -> None:
    downloading, queued, scraping, scheduled = (Request(f"http://x/{n}") for n in range(4))
    scraper_slot = ScraperSlot()
    scraper_slot.add_response_request(None, queued)  # type: ignore[arg-type]
    scraper_slot.active.add(scraping)
    engine_slot = SimpleNamespace(inprogress={scheduled})
    assert "inprogress" in inspect.getsource(scrapy_engine._Slot.__init__)
    assert "_slot" in inspect.signature(ExecutionEngine.__init__).parameters or (
        "self._slot" in inspect.getsource(ExecutionEngine.__init__))
    engine = SimpleNamespace(downloader=SimpleNamespace(active={downloading}),
                             scraper=SimpleNamespace(slot=scraper_slot), _slot=engine_slot)
    got = scrapy_private.requests_in_progress(engine)  # type: ignore[arg-type]
    assert got == {downloading, queued, scraping, scheduled}


def test_feed_exporter_still_keeps_slots_with_an_exporter() -> None:
    assert "self.slots" in inspect.getsource(FeedExporter.__init__)
    assert "self.exporter" in inspect.getsource(FeedSlot.__init__)
    exporter = object()
    extension = SimpleNamespace(slots=[SimpleNamespace(exporter=None),
                                       SimpleNamespace(exporter=exporter)])
    crawler = SimpleNamespace(get_extension=lambda cls: extension if cls is FeedExporter else None)
    assert list(scrapy_private.feed_item_exporters(crawler)) == [exporter]


def test_shared_roles_are_one_object_per_crawler_and_go_with_it() -> None:
    import gc

    from crawler import shared

    class Owner:  # stands for a Crawler: any object that can be weakly referenced
        pass

    role: shared.Role[list[int]] = shared.Role("test_list")
    first, second = Owner(), Owner()
    made = role.get_or_create(first, list)
    assert role.get_or_create(first, list) is made and role.get(second) is None
    role.put(second, [2])
    assert role.get(second) == [2] and role.get(first) == []
    del first
    gc.collect()
    assert [owner for owner in shared._BY_CRAWLER if isinstance(owner, Owner)] == [second]

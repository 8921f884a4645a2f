"""The reading pool (crawler.pool): one reading function in both modes, worker processes that
cost one page when they die or hang, and never outlive the main process."""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import settings as defaults
from crawler.conditional import Outline
from crawler.generic import GenericArticlePage, GenericRules
from crawler.pool import middleware, workers
from crawler.pool.middleware import ReadingPoolMiddleware, pool_size, prestart_pool
from crawler.pool.reader import PageReading, PageTask, ReaderSpec, read_page
from crawler.pool.workers import PAGES_IN_FLIGHT_PER_WORKER, ReadingFailed, ReadingPool, WorkerLost
from crawler.reader.page.listing import ListPage
from spiders.sjfzxm import RULES, SjfzxmArticlePage, SjfzxmSpider
from tests.pool_pages import FAULT, SLOW_SECONDS, FaultyPage

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sjfzxm"
ARTICLE = FIXTURES / "article-587064-portal"
LISTING = FIXTURES / "list-portal-page1"
# Long enough for a spawned worker to import the project on a loaded machine.
SLOW_START_SECONDS = 120
# What a test that waits for a process to leave waits at most (a worker checks every second).
LEAVE_SECONDS = 15


def stored(case: Path) -> tuple[str, bytes, str]:
    meta = json.loads((case / "meta.json").read_text("utf-8"))
    return meta["url"], (case / "page.html").read_bytes(), meta["encoding"]


def task_for(case: Path, page_class: type = SjfzxmArticlePage, url: str | None = None,
             **extra: object) -> PageTask:
    found, body, encoding = stored(case)
    spec = ReaderSpec(page_class, RULES, max_links=2000).dumps()
    return PageTask(url or found, body, encoding, spec, **extra)  # type: ignore[arg-type]


# --- one reading function ---------------------------------------------------------------------
def test_an_article_reads_as_its_page_object_does() -> None:
    url, body, encoding = stored(ARTICLE)
    page = SjfzxmArticlePage(url, body.decode(encoding), RULES)
    reading = read_page(task_for(ARTICLE))
    assert reading.article is not None
    assert reading.article.record == page.record()
    assert reading.article.sources == page.field_sources()
    assert reading.article.links == [u for u in page.links() if RULES.is_article(u)]
    assert reading.cpu_ms > 0


def test_a_list_page_reads_as_its_outline() -> None:
    url, body, encoding = stored(LISTING)
    page = ListPage(url, body.decode(encoding))
    reading = read_page(task_for(LISTING, start_page=True))
    assert reading.article is None
    assert reading.follow == [u for u in page.links() if RULES.is_list(u)]
    assert [u for u, _, _ in reading.articles] == [u for u in page.links() if RULES.is_article(u)]
    assert reading.articles and all(title for _, title, _ in reading.articles)
    assert reading.feeds == page.feed_links()
    # what the spider keeps for a 304 replay
    outline = Outline(reading.articles, reading.follow, reading.feeds)
    assert Outline.loads(outline.dumps()) == outline


def test_links_beyond_the_cap_are_cut_and_said() -> None:
    spec = ReaderSpec(SjfzxmArticlePage, RULES, max_links=3).dumps()
    url, body, encoding = stored(LISTING)
    reading = read_page(PageTask(url, body, encoding, spec))
    assert reading.capped and len(reading.follow) + len(reading.articles) <= 3


def test_the_reading_crosses_processes_as_plain_data() -> None:
    reading = read_page(task_for(ARTICLE))
    again = pickle.loads(pickle.dumps(reading))
    assert again == reading
    assert b"lxml" not in pickle.dumps(reading)


def test_site_rules_pickle_without_their_memos() -> None:
    rules = pickle.loads(pickle.dumps(RULES))
    url = "http://www.sjfzxm.com/global/en/999123.html"
    assert RULES.article_id(url) == rules.article_id(url) == "999123"
    assert rules == RULES
    assert b"999123" not in pickle.dumps(RULES)  # the memo of article_id stays home


def test_a_generic_article_learns_its_canonical_host_before_its_record() -> None:
    html = (b'<html><head><link rel="canonical" href="https://news.example.com/a/2024/05/'
            b'story-title.html"></head><body><h1>A headline of the story</h1>'
            + b"<p>" + b"A sentence of the story that goes on. " * 30 + b"</p></body></html>")
    rules = GenericRules("example.com", ("example.com",), ("https://news.example.com/",))
    spec = ReaderSpec(GenericArticlePage, rules, 2000, by_evidence=True).dumps()
    mirror = "https://mirror.example.com/a/2024/05/story-title.html"
    reading = read_page(PageTask(mirror, html, "utf-8", spec, zone_assumed=True))
    assert reading.article is not None and reading.by_evidence
    assert reading.article.canonical == "https://news.example.com/a/2024/05/story-title.html"
    assert reading.article.record["id"] == "example.com:/a/2024/05/story-title.html"
    assert reading.aliases == 1 and reading.zone_assumed



@pytest.mark.parametrize("kind", ["article", "list"])
def test_a_generic_page_is_walked_and_its_metadata_read_once(kind: str, monkeypatch) -> None:
    """Telling an article from a list page and reading it share one walk and one metadata read."""
    from crawler.pool import reader
    from crawler.reader import document, metadata

    walks: list[str] = []
    metas: list[str] = []

    class CountedText(document.PageText):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            walks.append(kind)
            super().__init__(*args, **kwargs)

    class CountedMetadata(metadata.PageMetadata):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            metas.append(kind)
            super().__init__(*args, **kwargs)

    for module in ("crawler.pool.reader", "crawler.classify", "crawler.reader.page.layout",
                   "crawler.reader.page.listing", "crawler.reader.page.reader"):
        target = sys.modules[module]
        if hasattr(target, "PageText"):
            monkeypatch.setattr(target, "PageText", CountedText)
        if hasattr(target, "PageMetadata"):
            monkeypatch.setattr(target, "PageMetadata", CountedMetadata)
    if kind == "article":
        body = (b"<html><head><title>A headline of the story</title></head><body><h1>A headline"
                b" of the story</h1><p>May 3, 2024</p>"
                + b"<p>" + b"A sentence of the story that goes on. " * 30 + b"</p>" * 4
                + b"</body></html>")
        url = "https://example.com/news/2024/05/a-headline-of-the-story.html"
    else:
        body = (b"<html><body><h1>News</h1><ul>"
                + b"".join(b'<li><a href="/news/2024/05/story-%d.html">Story %d</a></li>' % (i, i)
                           for i in range(20)) + b"</ul></body></html>")
        url = "https://example.com/news/"
    rules = GenericRules("example.com", ("example.com",), ("https://example.com/",))
    spec = ReaderSpec(GenericArticlePage, rules, 2000, by_evidence=True).dumps()
    reading = reader.read_page(PageTask(url, body, "utf-8", spec))
    assert (reading.article is not None) == (kind == "article")
    assert len(walks) == 1 and len(metas) == 1

def test_pool_size_defaults_to_the_cores_but_one() -> None:
    from scrapy.settings import Settings

    assert pool_size(Settings({"READING_POOL_SIZE": None})) == max(1, (os.cpu_count() or 1) - 1)
    assert pool_size(Settings({"READING_POOL_SIZE": 0})) == 0
    assert pool_size(Settings({"READING_POOL_SIZE": "3"})) == 3


def test_the_workers_start_with_the_middleware_not_with_the_spider(crawler: Any,
                                                                  monkeypatch: Any) -> None:
    """A worker's imports and warm-up overlap the rest of Scrapy's start-up."""
    started: list[tuple[Any, ...]] = []
    monkeypatch.setattr(middleware.SHARED, "acquire", lambda *args: started.append(args) or "pool")
    built = ReadingPoolMiddleware.from_crawler(crawler)
    assert started == [(pool_size(crawler.settings), defaults.READING_TIMEOUT,
                        defaults.READING_WORKER_MAX_PAGES)]
    assert built.pool == "pool"


@pytest.mark.parametrize(("custom", "started"), [({}, [2]), ({"READING_POOL_SIZE": 0}, [0])])
def test_scrapy_crawl_starts_the_workers_its_spider_will_read_with(
        monkeypatch: Any, custom: dict[str, Any], started: list[int]) -> None:
    counts: list[int] = []
    monkeypatch.setattr(workers, "prestart", counts.append)
    spider = type("Custom", (SjfzxmSpider,), {"custom_settings": custom})
    prestart_pool(Settings({"READING_POOL_SIZE": 2}), spider)
    prestart_pool(Settings({"READING_POOL_SIZE": 2}), Spider)  # reads no pages
    assert counts == started


def test_a_spider_that_reads_no_pages_starts_no_workers(monkeypatch: Any) -> None:
    monkeypatch.setattr(middleware.SHARED, "acquire", lambda *args: pytest.fail("acquired"))
    crawler = get_crawler(Spider, {"READING_POOL_SIZE": 2})
    built = ReadingPoolMiddleware.from_crawler(crawler)
    built.open(Spider("plain"))
    assert built.pool is None and crawler.stats.get_value("reading_pool/size") == 0


# --- the worker processes ---------------------------------------------------------------------
class Loop:
    """An asyncio loop driving a pool, as Scrapy's asyncio reactor does in a crawl."""

    def __init__(self, size: int = 1, timeout: float = SLOW_START_SECONDS,
                 max_pages: int = 0) -> None:
        self.loop = asyncio.new_event_loop()
        self.pool = ReadingPool(size, timeout, self.loop.call_later,
                                self.loop.call_soon_threadsafe, max_pages)

    def read(self, *tasks: PageTask) -> list[PageReading | BaseException]:
        return self.wait([self.pool.read(task) for task in tasks])

    def wait(self, futures: list[Future[PageReading]]) -> list[PageReading | BaseException]:
        """What the pool answers for ``futures``, in their order, the loop running meanwhile."""
        async def gather() -> list[PageReading | BaseException]:
            return await asyncio.gather(*(asyncio.wrap_future(f) for f in futures),
                                        return_exceptions=True)

        return self.loop.run_until_complete(gather())

    def close(self) -> None:
        self.pool.close()
        self.loop.close()


# Pages of the shared pool's FaultyPage that fail (tests/pool_pages.py), by how.
FAULTS = {"exit": 587901, "segfault": 587902, "hang": 587903, "memory": 587904, "slow": 587905}


@pytest.fixture(scope="module")
def pool() -> Iterator[Loop]:
    """One pool for the module (a worker's start costs a second or two); its workers see the
    marked pages in their environment."""
    saved = os.environ.get(FAULT)
    os.environ[FAULT] = ",".join(f"{kind}:/{n}.html" for kind, n in FAULTS.items())
    driver = Loop()
    yield driver
    driver.close()
    os.environ.pop(FAULT) if saved is None else os.environ.update({FAULT: saved})


def faulty(*numbers: int) -> list[PageTask]:
    return [task_for(ARTICLE, FaultyPage, url=f"http://www.sjfzxm.com/global/en/{n}.html")
            for n in numbers]


def test_a_worker_reads_what_the_main_process_would(pool: Loop) -> None:
    [reading] = pool.read(task_for(ARTICLE))
    assert isinstance(reading, PageReading)
    assert replace(reading, cpu_ms=0) == replace(read_page(task_for(ARTICLE)), cpu_ms=0)


def test_one_worker_answers_first_in_first_out(pool: Loop) -> None:
    urls = [f"http://www.sjfzxm.com/global/en/{n}.html" for n in range(587000, 587006)]
    readings = pool.read(*(task_for(ARTICLE, url=url) for url in urls))
    assert [r.url for r in readings if isinstance(r, PageReading)] == urls


@pytest.mark.parametrize("kind", ["exit", "segfault"])
def test_a_worker_that_dies_costs_its_page_only(pool: Loop, kind: str) -> None:
    first, second, lost, fourth, fifth = pool.read(*faulty(1, 2, FAULTS[kind], 4, 5))
    assert isinstance(lost, WorkerLost) and lost.reason == "died"
    assert lost.url.endswith(f"/{FAULTS[kind]}.html")
    assert all(isinstance(r, PageReading) for r in (first, second, fourth, fifth))
    assert len(pool.pool.pids()) == 1  # replaced


def in_flight(pool: Loop) -> int:
    """Pages sent to the one worker and not answered yet."""
    [worker] = pool.pool._workers
    return len(worker.jobs)


def warming_up(pool: Loop) -> Callable[[Future[PageReading]], None]:
    """Gives the replacement of a lost worker the time to start, as its first page loads what
    reading needs (set before the pool sends it anything: the lost page's failure comes first)."""
    def slow_start(_: Future[PageReading]) -> None:
        pool.pool.timeout = SLOW_START_SECONDS

    return slow_start


@pytest.mark.parametrize("kind", ["exit", "hang"])
def test_a_page_sent_behind_one_that_costs_its_worker_is_read_by_the_next(pool: Loop,
                                                                          kind: str) -> None:
    """The page waiting in a worker's socket when the worker dies or is killed is sent again to
    its replacement, in its turn: not lost, not blamed."""
    pool.read(*faulty(1))  # a started worker: pages go out as soon as they are asked for
    pool.pool.timeout = 2
    try:
        futures = [pool.pool.read(task) for task in faulty(FAULTS[kind], 2, 3)]
        futures[0].add_done_callback(warming_up(pool))
        assert in_flight(pool) == PAGES_IN_FLIGHT_PER_WORKER  # page 2 waits in the socket
        lost, *after = pool.wait(futures)
    finally:
        pool.pool.timeout = SLOW_START_SECONDS
    assert isinstance(lost, WorkerLost) and lost.url.endswith(f"/{FAULTS[kind]}.html")
    read = [r.url for r in after if isinstance(r, PageReading)]
    assert read == [t.url for t in faulty(2, 3)], after


def test_the_timeout_counts_from_the_start_of_the_page_not_its_sending(pool: Loop) -> None:
    """Two slow pages sent at once: the second, sent while the first was read, has its whole
    timeout once the worker starts it."""
    pool.read(*faulty(1))
    pool.pool.timeout = SLOW_SECONDS * 1.6  # one slow page fits; two in a row do not
    try:
        slow = faulty(FAULTS["slow"])[0]
        readings = pool.read(slow, replace(slow, url=slow.url.replace(".html", ".html?again")))
    finally:
        pool.pool.timeout = SLOW_START_SECONDS
    assert all(isinstance(r, PageReading) for r in readings), readings


def test_the_loop_never_waits_for_a_worker_to_take_a_page(pool: Loop) -> None:
    """Pages bigger than the socket can hold, sent to a worker busy on a hung page: asking for
    them returns at once (a sender thread writes them); the hung page then costs only itself."""
    pool.read(*faulty(1))
    pool.pool.timeout = 2
    big = replace(faulty(2)[0], body=faulty(2)[0].body + b" " * (4 << 20))
    try:
        hung = pool.pool.read(faulty(FAULTS["hang"])[0])
        hung.add_done_callback(warming_up(pool))
        asked = pool.pool.read(big)
        assert not hung.done() and not asked.done()
        lost, reading = pool.wait([hung, asked])
    finally:
        pool.pool.timeout = SLOW_START_SECONDS
    assert isinstance(lost, WorkerLost) and lost.reason == "timeout"
    assert isinstance(reading, PageReading) and reading.url == big.url


def test_a_worker_that_hangs_is_killed_after_the_timeout(pool: Loop) -> None:
    pool.read(*faulty(1))  # a warm worker: the timeout is the page's alone
    pool.pool.timeout = 2
    try:
        ok, hung = pool.read(*faulty(2, FAULTS["hang"]))
    finally:
        pool.pool.timeout = SLOW_START_SECONDS
    assert isinstance(hung, WorkerLost) and hung.reason == "timeout"
    assert isinstance(ok, PageReading)
    assert all(isinstance(r, PageReading) for r in pool.read(*faulty(3)))


def test_an_exception_in_a_worker_fails_its_page_and_keeps_the_worker(pool: Loop) -> None:
    pool.read(*faulty(1))
    pids = pool.pool.pids()
    ok, failed, after = pool.read(*faulty(2, FAULTS["memory"], 3))
    assert isinstance(failed, ReadingFailed) and "MemoryError" in str(failed)
    assert isinstance(ok, PageReading) and isinstance(after, PageReading)
    assert pool.pool.pids() == pids


def test_workers_ignore_sigint_and_sigterm(pool: Loop) -> None:
    pool.read(task_for(ARTICLE))
    [pid] = pool.pool.pids()
    os.kill(pid, signal.SIGTERM)
    os.kill(pid, signal.SIGINT)
    [reading] = pool.read(task_for(ARTICLE))
    assert isinstance(reading, PageReading) and pool.pool.pids() == [pid]


def test_a_worker_that_has_read_its_max_pages_is_replaced_and_the_readings_stay_right() -> None:
    """Two pages per worker, five pages: three workers in turn, each leaving once it has
    answered its two, the next starting after it has left; every page is read once, in order,
    as in-process."""
    driver = Loop(max_pages=2)
    urls = [f"http://www.sjfzxm.com/global/en/{n}.html" for n in range(587000, 587005)]
    tasks = [task_for(ARTICLE, url=url) for url in urls]
    spawned = [*driver.pool._workers]
    alive_at_spawn = []
    spawn = driver.pool._spawn

    def counted_spawn() -> Any:
        alive_at_spawn.append(sum(w.process.poll() is None for w in spawned))
        spawned.append(spawn())
        return spawned[-1]

    driver.pool._spawn = counted_spawn  # type: ignore[method-assign]
    try:
        first = driver.pool.pids()
        readings = driver.read(*tasks)
        last = driver.pool.pids()
        assert driver.pool.recycled == 2
    finally:
        driver.close()
    assert alive_at_spawn == [0, 0]  # a replacement starts once the worker it replaces has left
    assert [r.url for r in readings if isinstance(r, PageReading)] == urls
    assert [replace(r, cpu_ms=0) for r in readings] == [
        replace(read_page(task), cpu_ms=0) for task in tasks]
    assert first != last
    assert not alive(first[0])


def test_a_worker_read_to_its_max_pages_is_not_sent_more() -> None:
    """Pages asked for at once: the worker gets its max, the rest wait for its replacement."""
    driver = Loop(max_pages=1)
    try:
        driver.read(task_for(ARTICLE))  # a started worker
        futures = [driver.pool.read(task_for(ARTICLE, url=f"http://www.sjfzxm.com/global/en/{n}.html"))
                   for n in range(587000, 587003)]
        assert sum(len(w.jobs) for w in driver.pool._workers) <= 1
        assert all(isinstance(r, PageReading) for r in driver.wait(futures))
    finally:
        driver.close()


def test_a_pool_takes_the_workers_started_ahead_of_it() -> None:
    workers.prestart(1)
    prestarted = workers._PRESTARTED[0].process.pid
    driver = Loop()
    try:
        assert driver.pool.pids() == [prestarted] and not workers._PRESTARTED
        [reading] = driver.read(task_for(ARTICLE))
        assert isinstance(reading, PageReading)
        assert reading.article == read_page(task_for(ARTICLE)).article
    finally:
        driver.close()
    assert not alive(prestarted)


def test_workers_started_ahead_of_a_pool_never_made_end_with_the_main_process() -> None:
    code = ("from crawler.pool import workers\n"
            "workers.prestart(1)\n"
            "print(workers._PRESTARTED[0].process.pid, flush=True)\n")
    assert not any(alive(pid) for pid in pids_left_by(code))


def test_closing_the_pool_ends_its_workers() -> None:
    driver = Loop(size=2)
    pids = driver.pool.pids()
    driver.close()
    assert not any(alive(pid) for pid in pids)


def test_workers_leave_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """A main process killed with SIGKILL closes nothing: its workers notice and leave."""
    code = ("import asyncio, sys\n"
            "from crawler.pool.workers import ReadingPool\n"
            "loop = asyncio.new_event_loop()\n"
            "pool = ReadingPool(2, 60, loop.call_later, loop.call_soon_threadsafe)\n"
            "print(*pool.pids(), flush=True)\n"
            "loop.run_forever()\n")
    main = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert main.stdout is not None
    pids = [int(pid) for pid in main.stdout.readline().split()]
    assert len(pids) == 2 and all(alive(pid) for pid in pids)
    main.kill()
    main.wait()
    deadline = time.monotonic() + LEAVE_SECONDS
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in pids)


def test_a_main_process_that_exits_without_closing_its_pool_ends_its_workers() -> None:
    code = ("import asyncio\n"
            "from crawler.pool.workers import ReadingPool\n"
            "loop = asyncio.new_event_loop()\n"
            "pool = ReadingPool(1, 60, loop.call_later, loop.call_soon_threadsafe)\n"
            "print(*pool.pids(), flush=True)\n")
    assert not any(alive(pid) for pid in pids_left_by(code))


def pids_left_by(code: str) -> list[int]:
    """The worker pids a main process running ``code`` printed, once it has exited (cleanly)."""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=SLOW_START_SECONDS)
    assert result.returncode == 0, result.stderr
    pids = [int(pid) for pid in result.stdout.split()]
    assert pids, result.stdout
    return pids


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it has left)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"

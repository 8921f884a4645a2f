"""Distributed mode on a real Redis (127.0.0.1:6379, db 9): the protocol steps, then real workers.

Each test uses its own key prefix and deletes its keys. Without a reachable Redis these tests skip,
except under REQUIRE_REDIS=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler import nearduplicates
from crawler.distributed.coordinator import StateUnavailable, coordinator_for
from crawler.distributed.heartbeat import Beat, Heartbeat
from crawler.distributed.keys import Keys
from crawler.distributed.outbox import Outbox
from crawler.distributed.scheduler import LEASE_META, DistributedScheduler
from crawler.state import store_for
from localsite.model import SiteModel
from localsite.server import LocalSite
from spiders.sjfzxm import SjfzxmSpider

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
ROOT = Path(__file__).resolve().parent.parent
# Short, so a dead worker's leases come back quickly; not so short that a live worker whose
# heartbeat is late on a loaded 2-core machine (three workers, the site, pytest) counts as dead.
LEASE_TIMEOUT = 6
SITE_ARTICLES = 60


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        reason = f"no Redis reachable at {REDIS_URL} ({error}); distributed tests need one"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    return client


@pytest.fixture
def prefix() -> Iterator[str]:
    """A fresh key prefix; every key under it is deleted afterwards."""
    client = _redis_or_skip()
    name = f"tnc:test:{uuid.uuid4().hex[:10]}"
    yield name
    for key in client.scan_iter(f"{name}:*", count=1000):
        client.delete(key)


def worker_crawler(tmp_path: Path, prefix: str, name: str, run_id: str):
    crawler = get_crawler(SjfzxmSpider, {
        "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix, "REDIS_LEASE_TIMEOUT": LEASE_TIMEOUT,
        "STATE_DIR": str(tmp_path / "state"), "DATA_DIR": str(tmp_path / name)})
    coordinator = coordinator_for(crawler)
    coordinator.open_crawl(run_id)
    return crawler, coordinator


# --- protocol steps -------------------------------------------------------------------------------
def test_a_request_taken_by_a_dead_worker_goes_back_to_the_queue(tmp_path: Path,
                                                                  prefix: str) -> None:
    crawler, a = worker_crawler(tmp_path, prefix, "a", "run-a")
    scheduler = DistributedScheduler(a, crawler)
    scheduler.open(type("S", (), {"name": "sjfzxm", "run_id": "run-a"})())
    assert a.heartbeat is not None and a.heartbeat.thread is not None  # open starts it
    a.stop_heartbeat()  # no reactor here to hand its report to; the test stops the beats itself
    scheduler.queue.push(Request("http://127.0.0.1/global/en/1.html"))
    taken = scheduler.queue.pop()
    assert taken is not None and taken.meta[LEASE_META]
    assert a.status(may_finish=True)["state"] == "running"  # leased: not over
    a.client.delete(a.keys.alive(a.run))  # a SIGKILLed worker stops heartbeating
    status = a.status(may_finish=False)
    assert status["requeued"] == 1 and status["queued"] == 1
    with pytest.raises(StateUnavailable):  # fenced: a run declared dead takes nothing more
        scheduler.queue.pop()


def lose_reply_of_first_write(client: redis.Redis) -> list[str]:
    """From now on, the first write command or script reaches Redis and runs, and then its reply is
    lost (the connection cut, a socket timeout) as the caller waits for it."""
    real, lost = client.execute_command, []

    def execute(*args: Any, **options: Any) -> Any:
        result = real(*args, **options)
        if not lost and args[0] in ("EVALSHA", "SADD", "ZADD"):
            lost.append(args[0])
            raise redis.exceptions.ConnectionError("reply lost")
        return result
    client.execute_command = execute  # type: ignore[method-assign]
    return lost


def retried_once(coordinator: Any, script: str) -> None:
    """From now on, each call of ``script`` runs twice, its first reply lost: as the client
    retries a call after a cut connection."""
    real = coordinator.script

    def retried(name: str, keys: list[str], args: list[Any]) -> Any:
        if name == script:
            real(name, keys, args)
        return real(name, keys, args)
    coordinator.script = retried


def opened_scheduler(tmp_path: Path, prefix: str, name: str):
    """A worker's scheduler, opened (its run joins the crawl), without heartbeat thread."""
    crawler, coordinator = worker_crawler(tmp_path, prefix, name, f"run-{name}")
    scheduler = DistributedScheduler(coordinator, crawler)
    scheduler.open(type("S", (), {"name": "sjfzxm", "run_id": f"run-{name}"})())
    coordinator.stop_heartbeat()  # no reactor here to hand its report to
    return coordinator, scheduler


def test_a_link_queued_by_a_worker_cut_off_mid_step_is_not_lost(tmp_path: Path,
                                                                 prefix: str) -> None:
    a, scheduler = opened_scheduler(tmp_path, prefix, "a")
    link = Request("http://127.0.0.1/global/en/7.html")
    assert lose_reply_of_first_write(a.client) == []
    assert scheduler.enqueue_request(link) is False  # Redis answered nothing: the worker stops
    assert a.failure is not None
    # Its parent page is crawled again by another worker and finds the link once more: seen, so
    # it must already be in the queue.
    _, other = opened_scheduler(tmp_path, prefix, "b")
    assert other.enqueue_request(link.replace()) is False
    taken = other.queue.pop()
    assert taken is not None and taken.url == link.url


def test_a_pop_retried_after_its_reply_was_lost_takes_the_same_request(tmp_path: Path,
                                                                       prefix: str) -> None:
    a, scheduler = opened_scheduler(tmp_path, prefix, "a")
    for n in (1, 2):
        assert scheduler.enqueue_request(Request(f"http://127.0.0.1/global/en/{n}.html"))
    keys = [a.keys.requests, a.keys.leases(a.run), a.keys.alive(a.run)]
    first = a.script("LEASE", keys, ["1"])
    assert a.script("LEASE", keys, ["1"]) == first  # the client's retry of the same call
    assert a.client.zcard(a.keys.requests) == 1 and a.client.hlen(a.keys.leases(a.run)) == 1


def test_one_claim_per_article_per_crawl_and_no_claim_once_fenced(tmp_path: Path,
                                                                   prefix: str) -> None:
    from crawler.distributed.claim import ClaimPipeline
    from crawler.items import Article

    def item(aid: str) -> Article:
        return Article(id=aid, site="sjfzxm", url=f"http://x/{aid}", title="T", body="B",
                       content_hash="h" * 32)

    crawler_a, a = worker_crawler(tmp_path, prefix, "a", "run-a")
    crawler_b, b = worker_crawler(tmp_path, prefix, "b", "run-b")
    assert a.crawl_id == b.crawl_id  # b joined a's crawl
    claim_a, claim_b = ClaimPipeline.from_crawler(crawler_a), ClaimPipeline.from_crawler(crawler_b)
    claim_a.process_item(item("sjfzxm:1"))
    with pytest.raises(Exception, match="Already emitted"):
        claim_b.process_item(item("sjfzxm:1"))
    line = a.client.hget(a.keys.outbox(a.run), "sjfzxm:1")
    assert json.loads(line)["id"] == "sjfzxm:1" and line.endswith(b"\n")
    retried_once(a, "CLAIM")  # the retry of a claim whose reply was lost finds its own claim
    claim_a.process_item(item("sjfzxm:3"))
    with pytest.raises(Exception, match="Already emitted"):  # a second read of it is no retry
        claim_a.process_item(item("sjfzxm:3"))
    assert a.client.hlen(a.keys.outbox(a.run)) == 2
    b.client.delete(b.keys.alive(b.run))
    with pytest.raises(StateUnavailable):
        claim_b.process_item(item("sjfzxm:2"))
    assert store_for(crawler_a).emitted("sjfzxm:1") is not None
    assert store_for(crawler_a).emitted("sjfzxm:2") is None


def test_shared_content_index_finds_exact_and_near_duplicates(tmp_path: Path, prefix: str) -> None:
    crawler_a, _ = worker_crawler(tmp_path, prefix, "a", "run-a")
    crawler_b, _ = worker_crawler(tmp_path, prefix, "b", "run-b")
    store_a, store_b = store_for(crawler_a), store_for(crawler_b)
    body = " ".join(f"word{i}" for i in range(300))
    near = body.replace("word150", "other150")
    assert store_a.find_exact("d1", "x:1") is None  # reserved for x:1
    assert store_b.find_exact("d1", "x:2") == "x:1"
    assert store_a.find_near(nearduplicates.signature(body), "x:1", 0.7) is None  # indexed
    found = store_b.find_near(nearduplicates.signature(near), "x:2", 0.7)
    assert found is not None and found[0] == "x:1" and found[1] >= 0.7
    store_b.remember_duplicate("x:2", "x:1", "near")
    assert store_a.duplicate_of("x:2") == "x:1"


def test_a_dead_workers_outbox_is_adopted_once(tmp_path: Path, prefix: str) -> None:
    crawler_a, a = worker_crawler(tmp_path, prefix, "a", "run-a")
    crawler_b, b = worker_crawler(tmp_path, prefix, "b", "run-b")
    lines = {f"sjfzxm:{i}": json.dumps({"id": f"sjfzxm:{i}"}).encode() + b"\n" for i in range(3)}
    a.client.hset(a.keys.outbox(a.run), mapping=lines)
    # a published a file holding sjfzxm:0 and died before taking it out of its outbox
    published = tmp_path / "a" / "run-a.jsonl"
    published.parent.mkdir(parents=True)
    published.write_bytes(lines["sjfzxm:0"])
    a.client.hset(a.keys.outboxes, a.run, a.outbox_meta(committing=str(published)))
    a.client.delete(a.keys.alive(a.run))
    outbox = Outbox(b, store_for(crawler_b), tmp_path / "b" / "sjfzxm")
    retried_once(b, "ADOPT")
    assert outbox.adopt_orphans() == 2
    adopted = [json.loads(x)["id"] for f in (tmp_path / "b").rglob("*.jsonl") for x in f.open()]
    assert sorted(adopted) == ["sjfzxm:1", "sjfzxm:2"]
    assert not b.client.exists(b.keys.outbox(a.run))
    assert outbox.adopt_orphans() == 0


# --- heartbeat ------------------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def heartbeat(client: redis.Redis, key: str, clock: Clock | None = None,
              lost: list[Beat] | None = None, stall: float = 30, lease: int = LEASE_TIMEOUT
              ) -> Heartbeat:
    client.set(key, 1, ex=lease)  # OPEN_CRAWL's first beat
    return Heartbeat(client, key, lease, stall, 0.05, (lost if lost is not None else []).append,
                     clock or time.monotonic)


def test_heartbeat_is_renewed_while_the_engine_progresses_and_not_once_it_is_stuck(
        prefix: str) -> None:
    client, key, clock = redis.Redis.from_url(REDIS_URL), f"{prefix}:alive:r", Clock()
    beat = heartbeat(client, key, clock, stall=30)
    client.expire(key, 2)
    clock.now += 29  # a page that kept the engine busy for 29 s: still alive
    assert beat.beat() is Beat.RENEWED and client.ttl(key) > 2
    client.expire(key, 2)
    clock.now += 2  # 31 s without the engine loop turning: stuck, the key runs out
    assert beat.beat() is Beat.STALLED and client.ttl(key) <= 2
    beat.progress()  # it came back before the key expired: nobody took over, renewed again
    assert beat.beat() is Beat.RENEWED and client.ttl(key) > 2


def test_heartbeat_never_revives_an_expired_key_and_reports_it(prefix: str) -> None:
    client, key, lost = redis.Redis.from_url(REDIS_URL), f"{prefix}:alive:r", []
    beat = heartbeat(client, key, lost=lost)
    client.delete(key)  # expired: the others requeued this run's leases
    assert beat.beat() is Beat.FENCED and not client.exists(key)
    beat.run()  # the thread's loop reports it once and ends
    assert lost == [Beat.FENCED]


def test_heartbeat_reports_redis_unreachable() -> None:
    client = redis.Redis.from_url("redis://127.0.0.1:1/9", socket_connect_timeout=1)
    lost: list[Beat] = []
    beat = Heartbeat(client, "tnc:test:none:alive:r", LEASE_TIMEOUT, 30, 0.05, lost.append)
    beat.run()
    assert lost == [Beat.UNREACHABLE]


@pytest.mark.parametrize(("size", "warm"), [(0, True), ("0", True), (2, False), (None, False)])
def test_a_worker_warms_up_reading_only_when_it_reads_pages_itself(size: object,
                                                                  warm: bool) -> None:
    from scrapy.settings import Settings

    from crawler.distributed.worker import reads_in_process

    assert reads_in_process(Settings({"READING_POOL_SIZE": size})) is warm


def busy(seconds: float) -> None:
    """Hold the interpreter as a long page read on the reactor thread does."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(1000))


def test_a_blocked_engine_loop_keeps_its_lease_until_the_stall_timeout(prefix: str) -> None:
    client, key = redis.Redis.from_url(REDIS_URL), f"{prefix}:alive:r"
    beat = heartbeat(client, key, stall=60, lease=2)
    beat.start()
    try:
        busy(3)  # longer than the lease: the thread renews meanwhile
        assert client.exists(key)
    finally:
        beat.stop()


def test_a_stuck_engine_loop_loses_its_lease(prefix: str) -> None:
    client, key = redis.Redis.from_url(REDIS_URL), f"{prefix}:alive:r"
    beat = heartbeat(client, key, stall=0.5, lease=2)
    beat.start()
    try:
        deadline = time.monotonic() + 30
        while client.exists(key) and time.monotonic() < deadline:
            busy(0.2)  # never stamps progress
        assert not client.exists(key)
    finally:
        beat.stop()


# --- real workers -----------------------------------------------------------------------------
def crawl_command(site: LocalSite, tmp: Path, name: str, *settings: str) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "sjfzxm",
               "-a", f"start_urls={site.start_url}", "-a", "allowed_domains=127.0.0.1,127.0.0.2",
               "-s", f"STATE_DIR={tmp / 'state'}", "-s", f"DATA_DIR={tmp / name}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    for setting in settings:
        command += ["-s", setting]
    return command


def worker_command(site: LocalSite, tmp: Path, name: str, prefix: str, redis_url: str = REDIS_URL
                   ) -> list[str]:
    return crawl_command(site, tmp, name, f"REDIS_URL={redis_url}", f"REDIS_KEY_PREFIX={prefix}",
                         f"REDIS_LEASE_TIMEOUT={LEASE_TIMEOUT}", "REDIS_POLL_INTERVAL=0.25")


def start_workers(site: LocalSite, tmp: Path, names: list[str], prefix: str, **kw: str
                  ) -> list[subprocess.Popen]:
    return [subprocess.Popen(worker_command(site, tmp, name, prefix, **kw), cwd=ROOT,
                             stdout=subprocess.DEVNULL,
                             stderr=(tmp / f"{name}.{time.time():.3f}.log").open("w"))
            for name in names]


def finish(workers: list[subprocess.Popen], timeout: float = 180) -> list[int]:
    """Exit statuses (generous: a crawl on a 2-core machine loaded ten times over is slow)."""
    return [worker.wait(timeout=timeout) for worker in workers]


def holds_claimed_records(directory: Path, timeout: float = 180) -> bool:
    """Wait until a worker under ``directory`` has records in its open output file (a worker
    takes many seconds just to start on a loaded machine)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if any(_size(p) for p in directory.rglob("*.jsonl.part")):
            return True
        time.sleep(0.05)
    return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # renamed meanwhile: its run ended
        return 0


def emitted_ids(tmp: Path) -> list[str]:
    """Every record id in every complete output file of every worker (the union is the crawl)."""
    return [json.loads(line)["id"] for path in sorted(tmp.rglob("*.jsonl"))
            for line in path.open(encoding="utf-8")]


def without_duplicate_pairs(ids: set[str], model: SiteModel) -> set[str]:
    """Of a story and its republication, whichever a worker reads first is the one emitted."""
    for copy, original in model.duplicates().items():
        pair = {f"sjfzxm:{copy}", f"sjfzxm:{original}"}
        assert len(ids & pair) == 1, pair
        ids = ids - pair
    return ids


def assert_exactly_once_and_complete(ids: list[str], reference: set[str], model: SiteModel,
                                     tmp: Path) -> None:
    """Each id once, and the same articles as one single-process (SQLite) crawl of the site."""
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"emitted twice: {twice}"
    got = without_duplicate_pairs(set(ids), model)
    expected = without_duplicate_pairs(reference, model)
    logs = "\n".join(p.read_text()[-3000:] for p in tmp.glob("*.log"))
    assert got == expected, (sorted(expected - got), sorted(got - expected), logs)


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    with LocalSite(SiteModel.generate(SITE_ARTICLES, seed=7)) as served:
        yield served


@pytest.fixture(scope="module")
def reference(site: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What one ordinary crawl (no REDIS_URL: SQLite state, one process) emits from the site."""
    _redis_or_skip()
    tmp = tmp_path_factory.mktemp("reference")
    result = subprocess.run(crawl_command(site, tmp, "single"), cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    ids = emitted_ids(tmp)
    assert len(ids) == len(set(ids)) and ids
    return set(ids)


def test_three_workers_emit_every_article_exactly_once(
        site: LocalSite, reference: set[str], tmp_path: Path, prefix: str) -> None:
    # No page until all three have joined the crawl: one worker alone crawls the 60 articles in
    # about a second, and one that starts after the crawl is over begins a new one (which emits
    # nothing: every article is emitted already).
    runs, client = Keys(prefix).crawl_runs, redis.Redis.from_url(REDIS_URL)
    site.answering.clear()
    try:
        workers = start_workers(site, tmp_path, ["w1", "w2", "w3"], prefix)
        deadline = time.monotonic() + 120
        while client.scard(runs) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        site.answering.set()
    codes = finish(workers)
    assert codes == [0, 0, 0]
    assert_exactly_once_and_complete(emitted_ids(tmp_path), reference, site.model, tmp_path)
    reports = [json.loads(p.read_text()) for p in tmp_path.rglob("*.stats.json")]
    assert sum(r["distributed"]["seeded_start_pages"] for r in reports) == 1
    assert len({r["distributed"]["crawl"] for r in reports}) == 1
    assert not list(tmp_path.rglob("*.part"))


def test_a_sigkilled_worker_that_never_returns_loses_nothing(
        site: LocalSite, reference: set[str], tmp_path: Path, prefix: str) -> None:
    # The victim first, so that it holds claimed records however slowly a loaded machine starts
    # it (else the others may crawl everything before it claims one).
    workers = start_workers(site, tmp_path, ["w1"], prefix)
    assert holds_claimed_records(tmp_path / "w1")  # in its open output file: kill it now
    workers += start_workers(site, tmp_path, ["w2", "w3"], prefix)
    workers[0].send_signal(signal.SIGKILL)
    assert workers[0].wait(timeout=10) == -signal.SIGKILL
    assert finish(workers[1:]) == [0, 0]
    assert_exactly_once_and_complete(emitted_ids(tmp_path), reference, site.model, tmp_path)
    adopted = [a for p in tmp_path.rglob("*.stats.json")
               for a in json.loads(p.read_text())["distributed"]["adopted"]]
    assert adopted and adopted[0]["records"] > 0


def test_second_crawl_after_the_site_grows_emits_only_the_new_articles(
        tmp_path: Path, prefix: str) -> None:
    with LocalSite(SiteModel.generate(40, seed=3)) as site:
        grow_and_crawl_again(site, tmp_path, prefix)


def grow_and_crawl_again(site: LocalSite, tmp_path: Path, prefix: str) -> None:
    assert finish(start_workers(site, tmp_path, ["w1", "w2"], prefix)) == [0, 0]
    first = set(emitted_ids(tmp_path))
    new = {f"sjfzxm:{i}" for i in site.model.add_articles(5)}
    codes = finish(start_workers(site, tmp_path, ["w1", "w2", "w3"], prefix))
    # A worker whose whole share was the deleted-article page is too small a sample for the
    # drop-ratio rule (EXIT_RATIO_MIN_PAGES): every worker succeeds.
    assert codes == [0, 0, 0], codes
    second = emitted_ids(tmp_path)
    logs = "\n".join(p.read_text()[-4000:] for p in sorted(tmp_path.glob("*.log")))
    assert sorted(set(second) - first) == sorted(new), logs
    assert len(second) == len(first) + len(new), logs


def test_redis_unreachable_at_start_exits_8(site: LocalSite, tmp_path: Path) -> None:
    result = subprocess.run(worker_command(site, tmp_path, "w1", "tnc:test:none",
                                           "redis://127.0.0.1:1/9"),
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 8, result.stderr[-2000:]
    assert "Redis at 127.0.0.1:1/9 is unreachable" in result.stderr
    assert not list(tmp_path.rglob("*.jsonl*"))


class Proxy:
    """A TCP relay to Redis that the test can cut, as a network outage would; with a
    ``cut_chance``, it also cuts one connection at random now and then, after relaying what it
    read (a reply lost) or before (a command lost), as a flaky network would."""

    def __init__(self, target: tuple[str, int], cut_chance: float = 0.0, seed: int = 0) -> None:
        self.target, self.cut_chance = target, cut_chance
        self.random = random.Random(seed)
        self.cuts = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.random.random() < self.cut_chance:
                    self.cuts += 1
                    if self.random.random() < 0.5:
                        sink.sendall(data)
                    _close(source, sink)
                    return
                sink.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        _close(*self.sockets)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def test_redis_lost_mid_crawl_exits_8_and_the_crawl_resumes(
        site: LocalSite, reference: set[str], tmp_path: Path, prefix: str) -> None:
    target = redis.Redis.from_url(REDIS_URL).connection_pool.connection_kwargs
    proxy = Proxy((target["host"], target["port"]))
    via_proxy = f"redis://127.0.0.1:{proxy.port}/{target.get('db', 0)}"
    [worker] = start_workers(site, tmp_path, ["w1"], prefix, redis_url=via_proxy)
    assert holds_claimed_records(tmp_path)
    proxy.cut()
    assert worker.wait(timeout=60) == 8
    assert not list(tmp_path.rglob("*.jsonl"))  # nothing published that Redis can not vouch for
    assert finish(start_workers(site, tmp_path, ["w1"], prefix)) == [0]  # Redis is back
    assert_exactly_once_and_complete(emitted_ids(tmp_path), reference, site.model, tmp_path)


def test_workers_on_a_network_that_cuts_redis_connections_emit_each_article_once(
        site: LocalSite, reference: set[str], tmp_path: Path, prefix: str) -> None:
    """Each call the client retries after a cut connection (a reply lost, a command lost) must
    be safe to run twice; a worker that runs out of retries exits 8 and is started again."""
    target = redis.Redis.from_url(REDIS_URL).connection_pool.connection_kwargs
    proxy = Proxy((target["host"], target["port"]), cut_chance=0.01, seed=7)
    via_proxy = f"redis://127.0.0.1:{proxy.port}/{target.get('db', 0)}"
    rounds = []
    for _ in range(4):
        rounds.append(finish(start_workers(site, tmp_path, ["w1", "w2", "w3"], prefix,
                                           redis_url=via_proxy)))
        assert set(rounds[-1]) <= {0, 8}, rounds
        if rounds[-1] == [0, 0, 0]:
            break
    else:  # the network never let a round end: a worker on a good one finishes the crawl
        assert finish(start_workers(site, tmp_path, ["w4"], prefix)) == [0]
    assert proxy.cuts > 0
    assert_exactly_once_and_complete(emitted_ids(tmp_path), reference, site.model, tmp_path)


def test_a_worker_declared_dead_while_running_exits_8_and_the_crawl_resumes(
        site: LocalSite, reference: set[str], tmp_path: Path, prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    [worker] = start_workers(site, tmp_path, ["w1"], prefix)
    assert holds_claimed_records(tmp_path)
    # Its heartbeat key expires as if it had been silent too long: the others may take over now,
    # so the heartbeat thread must not bring the key back, and the worker must stop.
    [alive] = list(client.scan_iter(f"{prefix}:alive:*"))
    client.delete(alive)
    assert worker.wait(timeout=60) == 8
    assert not client.exists(alive)
    assert not list(tmp_path.rglob("*.jsonl"))
    assert finish(start_workers(site, tmp_path, ["w1"], prefix)) == [0]
    assert_exactly_once_and_complete(emitted_ids(tmp_path), reference, site.model, tmp_path)

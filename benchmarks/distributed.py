"""Distributed crawling: pages per second with 1, 2 and 3 workers; Redis memory per 10,000 articles.

Usage: ``python benchmarks/distributed.py [--articles N] [--redis-url URL] [--memory-articles N]``.
All worker counts crawl the same generated local site (localsite, 127.0.0.1/127.0.0.2) in one run,
each with a fresh key prefix, with the real ``scrapy crawl`` in subprocesses (DOWNLOAD_DELAY=0, no
AutoThrottle). Pages per second = pages fetched by all workers / wall time from the first start to
the last exit. Memory: N synthetic articles go through the real store and claim code paths; the
figure is the sum of ``MEMORY USAGE`` over the keys that outlast a crawl, scaled to 10,000.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import redis  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler import nearduplicates  # noqa: E402
from crawler.distributed.claim import ClaimPipeline  # noqa: E402
from crawler.distributed.coordinator import coordinator_for  # noqa: E402
from crawler.items import Article  # noqa: E402
from crawler.state import store_for  # noqa: E402
from localsite.model import SiteModel  # noqa: E402
from localsite.server import LocalSite  # noqa: E402
from pipelines.dedup import body_hash  # noqa: E402
from spiders.sjfzxm import SjfzxmSpider  # noqa: E402


def delete_prefix(client: redis.Redis, prefix: str) -> None:
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)


def crawl(site: LocalSite, workers: int, redis_url: str, tmp: Path) -> dict[str, Any]:
    prefix = f"tnc:bench:{uuid.uuid4().hex[:8]}"
    commands = [[sys.executable, "-m", "scrapy", "crawl", "sjfzxm",
                 "-a", f"start_urls={site.start_url}", "-a", "allowed_domains=127.0.0.1,127.0.0.2",
                 "-s", f"STATE_DIR={tmp / 'state'}", "-s", f"DATA_DIR={tmp / f'{prefix}-{i}'}",
                 "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                 "-s", f"REDIS_URL={redis_url}", "-s", f"REDIS_KEY_PREFIX={prefix}",
                 "-s", "LOG_LEVEL=WARNING"] for i in range(workers)]
    started = time.perf_counter()
    procs = [subprocess.Popen(c, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for c in commands]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - started
    reports = [json.loads(p.read_text()) for p in tmp.glob(f"{prefix}-*/sjfzxm/*.stats.json")]
    delete_prefix(redis.Redis.from_url(redis_url), prefix)
    pages = sum(r["pages_fetched"] for r in reports)
    return {"workers": workers, "exit_codes": codes, "seconds": round(elapsed, 2), "pages": pages,
            "articles": sum(r["articles_emitted"] for r in reports),
            "pages_per_second": round(pages / elapsed, 1)}


def memory(redis_url: str, articles: int) -> dict[str, Any]:
    prefix = f"tnc:bench:{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        crawler = get_crawler(SjfzxmSpider, {"REDIS_URL": redis_url, "REDIS_KEY_PREFIX": prefix,
                                             "DATA_DIR": tmp, "STATE_DIR": tmp})
        coordinator = coordinator_for(crawler)
        coordinator.open_crawl("bench")
        store, claim = store_for(crawler), ClaimPipeline.from_crawler(crawler)
        words = [f"w{i}" for i in range(5000)]
        rng = random.Random(1)
        for n in range(articles):
            aid = f"sjfzxm:{600000 + n}"
            body = " ".join(rng.choices(words, k=400))
            url = f"http://www.sjfzxm.com/global/en/{600000 + n}.html"
            item = Article(id=aid, site="sjfzxm", url=url, title=f"Title of article {n}",
                           published_at="2021-09-07T15:08:00+08:00", body=body,
                           content_hash=f"{n:032x}", related=[{"url": url}] * 5)
            store.find_exact(body_hash(body), aid)
            store.find_near(nearduplicates.signature(body), aid, 0.7)
            claim.process_item(item)
        client = coordinator.client
        client.delete(coordinator.keys.outbox(coordinator.run))  # as after the file is complete
        used = {key: client.memory_usage(key, samples=0) or 0
                for key in coordinator.keys.persistent()}
        delete_prefix(client, prefix)
    total = sum(used.values())
    per_10k = total * 10_000 / articles
    return {"articles": articles, "bytes": used, "bytes_per_10k_articles": round(per_10k),
            "mib_per_10k_articles": round(per_10k / 2**20, 1),
            "gib_per_million_articles": round(per_10k * 100 / 2**30, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300, help="size of the local site")
    parser.add_argument("--memory-articles", type=int, default=10_000)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    redis.Redis.from_url(args.redis_url).ping()
    results = []
    with LocalSite(SiteModel.generate(args.articles)) as site, \
            tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2, 3):
            results.append(crawl(site, workers, args.redis_url, Path(tmp)))
            print(json.dumps(results[-1]), flush=True)
    mem = memory(args.redis_url, args.memory_articles)
    print(json.dumps(mem))
    base = results[0]["pages_per_second"]
    print(f"\nLocal site of {args.articles} articles, {time.strftime('%Y-%m-%d')}:")
    for r in results:
        print(f"  {r['workers']} worker(s): {r['pages_per_second']} pages/s "
              f"({r['pages']} pages in {r['seconds']} s, x{r['pages_per_second'] / base:.2f})")
    print(f"  Redis memory (article store, kept between crawls): {mem['mib_per_10k_articles']} MiB "
          f"per 10,000 articles = {mem['gib_per_million_articles']} GiB per million")
    return 0 if all(code == 0 for r in results for code in r["exit_codes"]) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Reading pages from local WARC files against fetching them live (``make bench-archive``).

Usage: ``python benchmarks/archive.py [--articles N] [--seed S]``.

Generates a local sjfzxm-like site, serves it on loopback, writes WARCs of its pages (gzip and
plain, offline), then runs the real ``scrapy crawl sjfzxm`` three times on fresh state: live from
the local server (DOWNLOAD_DELAY=0, AutoThrottle off, robots.txt obeyed) and as a backfill from
each WARC. Pages per second = responses over the crawl's own elapsed time (Scrapy's
``elapsed_time_seconds``: WARC scanning included, interpreter start-up not); the wall time of
each process is printed beside it. Prints the load average, as the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from localsite.model import SiteModel  # noqa: E402
from localsite.server import LocalSite  # noqa: E402
from localsite.warc import write_site_warc  # noqa: E402
from tests.crawl_helpers import run_crawl  # noqa: E402

STATS = ("downloader/response_count", "item_scraped_count", "elapsed_time_seconds")


def stats_of(log: str) -> dict[str, float]:
    found = {}
    for name in STATS:
        match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
        found[name] = float(match.group(1)) if match else 0.0
    return found


def run(label: str, site: LocalSite, state: Path, *extra: str) -> dict[str, float]:
    started = time.monotonic()
    result = run_crawl(site.start_url, state, "-s", f"DATA_DIR={state / 'data'}", *extra,
                       timeout=1800)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{label} failed ({result.returncode}): {result.stderr[-2000:]}")
    stats = stats_of(result.stderr)
    pages, seconds = stats["downloader/response_count"], stats["elapsed_time_seconds"]
    print(f"{label:<16} pages {pages:>6.0f}  articles {stats['item_scraped_count']:>6.0f}  "
          f"crawl {seconds:6.1f} s  {pages / seconds:7.1f} pages/s  (process wall {wall:.1f} s)",
          flush=True)
    return {"pages_per_s": pages / seconds, **stats}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    model = SiteModel.generate(args.articles, seed=args.seed)
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} CPUs, {args.articles} articles")
    with tempfile.TemporaryDirectory() as tmp, LocalSite(model) as site:
        root = Path(tmp)
        for gzip, name in ((True, "site.warc.gz"), (False, "site.warc")):
            started = time.monotonic()
            count = write_site_warc(root / name, model, site.base_url, site.mirror_url, gzip=gzip)
            size = (root / name).stat().st_size / 1e6
            print(f"wrote {name}: {count} records, {size:.1f} MB in "
                  f"{time.monotonic() - started:.1f} s")
        live = run("live (loopback)", site, root / "live")
        gz = run("WARC (gzip)", site, root / "gz", "-a", f"warc={root / 'site.warc.gz'}")
        plain = run("WARC (plain)", site, root / "plain", "-a", f"warc={root / 'site.warc'}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"RESULT live_pages_per_s={live['pages_per_s']:.1f} "
          f"warc_gz_pages_per_s={gz['pages_per_s']:.1f} "
          f"warc_pages_per_s={plain['pages_per_s']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

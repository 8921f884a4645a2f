"""Crawl a generated sjfzxm-like site with the real ``scrapy crawl`` and score the records.

Prints articles found (of those the site model says a crawl should emit), duplicates, field accuracy
(title, published_at, source, related, next), body word-F1 and the requests that should not have
been made (robots-disallowed, the endless archive, a page downloaded twice). Usage:
``python benchmarks/accuracy.py [--articles 300] [--seed 7] [--spider sjfzxm|news] [-- EXTRA ARGS]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from localsite.model import SiteModel  # noqa: E402
from localsite.server import LocalSite  # noqa: E402
from tests.crawl_helpers import read_jsonl, run_crawl, word_f1  # noqa: E402

FIELDS = ("title", "published_at", "source", "related", "next")


def number_of(record: dict) -> int:
    return int(urlsplit(record["url"]).path.rsplit("/", 1)[-1].split(".")[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--spider", default="sjfzxm")
    parser.add_argument("extra", nargs="*", help="more scrapy arguments, after --")
    args = parser.parse_args()
    model = SiteModel.generate(args.articles, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp, LocalSite(model) as site:
        out = Path(tmp) / "out.jsonl"
        started = time.monotonic()
        result = run_crawl(site.start_url, Path(tmp) / "state", "-O", str(out), *args.extra,
                           spider=args.spider, timeout=1800)
        seconds = time.monotonic() - started
        records, requests = read_jsonl(out), site.requests
        truth = model.truth(site.base_url, include_duplicates=True)
    report(model, records, truth, requests, result.returncode, seconds)
    return 0


def report(model: SiteModel, records: list[dict], truth: dict, requests: list, status: int,
           seconds: float) -> None:
    numbers = [number_of(r) for r in records]
    duplicates = model.duplicates()
    found = {duplicates.get(n, n) for n in numbers} & model.emitted_ids()
    print(f"exit status {status} in {seconds:.1f} s, {len(requests)} requests served")
    print(f"articles found {len(found)}/{len(model.emitted_ids())} "
          f"({len(found) / len(model.emitted_ids()):.1%}), records {len(records)}, "
          f"duplicate records {len(numbers) - len(set(numbers))}")
    scored = [r for r in records if number_of(r) in truth]
    for field in FIELDS:
        right = sum(r[field] == truth[number_of(r)][field] for r in scored)
        print(f"  {field:<13} right on {right}/{len(scored)} ({right / max(len(scored), 1):.1%})")
    f1 = [word_f1(truth[number_of(r)]["body"], r["body"]) for r in scored]
    print(f"  body word-F1  mean {sum(f1) / max(len(f1), 1):.4f}, min {min(f1, default=0):.3f}")
    fetched = [(host, urlsplit(p).path) for host, p, s in requests
               if s == 200 and not p.startswith("/robots.txt")]
    twice = sum(1 for n in Counter(fetched).values() if n > 1)
    on_both_hosts = sum(1 for n in Counter(path for _, path in set(fetched)).values() if n > 1)
    print(f"robots-disallowed requests {sum('/private/' in p for _, p, _ in requests)}, "
          f"archive-trap pages {sum('/archive/' in p for _, p, _ in requests)}, "
          f"pages downloaded twice from one host {twice}, from both mirror hosts {on_both_hosts}")


if __name__ == "__main__":
    sys.exit(main())

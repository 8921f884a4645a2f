"""CPU cost of reading one page in a worker, against parsing it alone (``make bench-reading``).

Usage: ``python benchmarks/reading.py [--pages N] [--seed S] [--repeat R] [--profile FILE]
[--records-out FILE] [--against DIR]``.

Renders N article pages of the generated sjfzxm-like site (localsite, the pages ``make bench``
crawls) in memory, then in one process times, page by page in turn so that machine noise hits
both alike: (a) ``parse_html`` alone (decode + lxml parse: the floor of any reading) and (b)
``read_page`` (crawler.pool.reader: parse, record, links; what a pool worker runs per page). Each
is CPU time (``time.process_time``), the best of R passes over all pages. ``--profile`` writes a
cProfile of one pass of (b) (``python -m pstats FILE``); ``--records-out`` writes every page's
record, field sources and links as JSON, for comparing a change's output with the one before.
The last line is ``RESULT read_ms_per_page=<b> parse_ms_per_page=<a> pages=<N>``.

``--against DIR`` compares instead this checkout's ``read_page`` with another checkout's (DIR: a
``git archive`` or worktree of the commit before a change), each in a process of its own, page by
page in turn (the order swapped every page), so that a loaded machine's noise hits both alike; the
last line is then ``RESULT read_ms_per_page=<this> against_ms_per_page=<DIR's> pages=<N>``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from w3lib.encoding import html_to_unicode  # noqa: E402

from crawler.pool.reader import PageReading, PageTask, ReaderSpec, read_page  # noqa: E402
from crawler.reader.document import parse_html  # noqa: E402
from localsite.article import ARTICLE  # noqa: E402
from localsite.links import SiteUrls, article_path  # noqa: E402
from localsite.model import SiteModel  # noqa: E402
from localsite.routes import Router  # noqa: E402
from spiders.sjfzxm import RULES, SjfzxmArticlePage  # noqa: E402

MAX_LINKS = 2000  # the spider's default link cap (MAX_LINKS_PER_PAGE)
# The site has ids that are not ordinary articles (deleted, private...); generate enough to
# find N ordinary ones among them.
SITE_HEADROOM = 1.3


def article_tasks(pages: int, seed: int) -> list[PageTask]:
    """N ordinary article pages of the generated site, as the spider hands them to the pool."""
    model = SiteModel.generate(int(pages * SITE_HEADROOM) + 20, seed=seed)
    urls = SiteUrls()
    router = Router(model, urls)
    spec = ReaderSpec(SjfzxmArticlePage, RULES, MAX_LINKS).dumps()
    ids = sorted(i for i, a in model.articles.items() if a.kind == ARTICLE)[:pages]
    tasks = []
    for article_id in ids:
        response = router.respond(article_path(article_id), urls.base)
        if response.status == 200:
            encoding = "utf-8" if "utf-8" in response.content_type else "gb18030"
            tasks.append(PageTask(urls.article(article_id), response.body, encoding, spec))
    return tasks


def parse_only(task: PageTask) -> Any:
    return parse_html(html_to_unicode(f"charset={task.encoding}", task.body)[1])


def best_ms_per_page(tasks: list[PageTask], repeat: int) -> dict[str, float]:
    """Per reader: the lowest CPU ms per page over ``repeat`` passes, the readers alternating."""
    readers: dict[str, Callable[[PageTask], Any]] = {"parse_html": parse_only,
                                                     "read_page": read_page}
    totals = {name: float("inf") for name in readers}
    for _ in range(repeat):
        spent = dict.fromkeys(readers, 0.0)
        for task in tasks:
            for name, reader in readers.items():
                started = time.process_time()
                reader(task)
                spent[name] += time.process_time() - started
        totals = {name: min(totals[name], spent[name]) for name in readers}
    return {name: total * 1e3 / len(tasks) for name, total in totals.items()}


# One side of --against: the checkout given reads the pages of its own benchmarks/reading.py
# (the same pages: the same site generator and seed), then one page per line asked on stdin,
# answering with that page's CPU seconds.
_SIDE = """
import sys, time
tree, pages, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path[:0] = [tree, tree + "/benchmarks"]
from reading import article_tasks
from crawler.pool.reader import read_page
tasks = article_tasks(pages, seed)
for task in tasks:
    read_page(task)
print(len(tasks), flush=True)
for line in sys.stdin:
    started = time.process_time()
    read_page(tasks[int(line)])
    print(time.process_time() - started, flush=True)
"""


def against(trees: list[Path], pages: int, seed: int, repeat: int) -> tuple[list[float], int]:
    """CPU ms per page of ``read_page`` in each checkout of ``trees``, page by page in turn:
    the lowest over ``repeat`` passes; and how many pages were read."""
    sides = [subprocess.Popen([sys.executable, "-c", _SIDE, str(tree), str(pages), str(seed)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for tree in trees]
    counts = {int(_answer(side)) for side in sides}
    if len(counts) != 1:
        raise SystemExit(f"the checkouts render different pages: {counts}")
    count = counts.pop()
    best = [float("inf")] * len(sides)
    for round_ in range(repeat):
        spent = [0.0] * len(sides)
        for page in range(count):
            turn = list(enumerate(sides))
            for k, side in turn if (page + round_) % 2 == 0 else reversed(turn):
                spent[k] += float(_answer(side, f"{page}\n"))
        best = [min(pair) for pair in zip(best, spent, strict=True)]
    for side in sides:
        side.communicate()  # end of input: the side ends
    return [b * 1e3 / count for b in best], count


def _answer(side: subprocess.Popen[str], question: str = "") -> str:
    """The next line ``side`` prints, after asking it ``question`` if any."""
    if side.stdin is None or side.stdout is None:
        raise ValueError("a side is started with pipes")
    if question:
        side.stdin.write(question)
        side.stdin.flush()
    return side.stdout.readline()


def as_json(reading: PageReading) -> dict[str, Any]:
    article = reading.article
    if article is None:
        return {"url": reading.url, "articles": reading.articles, "follow": reading.follow}
    return {"url": reading.url, "record": article.record, "sources": article.sources,
            "links": article.links, "capped": reading.capped}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--records-out", type=Path, default=None)
    parser.add_argument("--against", type=Path, default=None)
    args = parser.parse_args()

    if args.against:
        (this, other), count = against([REPO, args.against.resolve()], args.pages, args.seed,
                                       args.repeat)
        print(f"read_page CPU ms/page: {this:.2f} here, {other:.2f} in {args.against}")
        print(f"RESULT read_ms_per_page={this:.2f} against_ms_per_page={other:.2f} "
              f"pages={count}")
        return 0

    tasks = article_tasks(args.pages, args.seed)
    readings = [read_page(task) for task in tasks]  # warm-up: imports, models, memos
    kb = sum(len(task.body) for task in tasks) / len(tasks) / 1e3
    print(f"{date.today()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.machine()}")
    print(f"{len(tasks)} article pages of the local site (seed {args.seed}), {kb:.1f} KB each")
    if args.records_out:
        args.records_out.write_text(json.dumps([as_json(r) for r in readings], indent=1,
                                               ensure_ascii=False, sort_keys=True, default=str))
    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU: other processes share the machine
        profile.runcall(lambda: [read_page(task) for task in tasks])
        profile.dump_stats(args.profile)
    ms = best_ms_per_page(tasks, args.repeat)
    print(f"{'':24}{'CPU ms/page':>12}{'x parse':>9}")
    for name, value in ms.items():
        print(f"{name:24}{value:12.2f}{value / ms['parse_html']:9.2f}")
    print(f"RESULT read_ms_per_page={ms['read_page']:.2f} parse_ms_per_page="
          f"{ms['parse_html']:.2f} pages={len(tasks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

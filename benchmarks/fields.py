"""CPU per declared field of an article page, without a profiler's cost per call.

Usage: ``python benchmarks/fields.py [--pages N] [--seed S] [--repeat R]``.

Reads the N local-site article pages ``benchmarks/reading.py`` renders, page by page: the page's
layout (``SjfzxmArticlePage(...)``), its links, then each declared field in the record's order,
then ``field_sources``, each timed apart (CPU time, summed over R passes). A field pays for what it
is the first to need (the body blocks, the page's marks...): the split says where a page's reading
goes as the record resolves it. The last line is ``RESULT total_ms_per_page=<ms> pages=<N>``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from reading import article_tasks  # noqa: E402
from w3lib.encoding import html_to_unicode  # noqa: E402

from crawler.reader.document import parse_html  # noqa: E402
from crawler.reader.page.fields import declared_fields  # noqa: E402
from spiders.sjfzxm import RULES, SjfzxmArticlePage  # noqa: E402

MAX_LINKS = 2000  # the spider's default link cap, as benchmarks/reading.py reads links


def field_costs(pages: int, seed: int, repeat: int) -> tuple[dict[str, float], int]:
    """CPU seconds per part of reading (layout, links, each field, field_sources), summed."""
    texts = [(task.url, html_to_unicode(f"charset={task.encoding}", task.body)[1])
             for task in article_tasks(pages, seed)]
    spent: defaultdict[str, float] = defaultdict(float)
    for _ in range(repeat):
        for url, text in texts:
            root = parse_html(text)
            started = time.process_time()
            page = SjfzxmArticlePage(url, text, RULES, root)
            spent["layout"] += time.process_time() - started
            started = time.process_time()
            page.links(MAX_LINKS + 1)
            spent["links"] += time.process_time() - started
            for declared in declared_fields(type(page)):
                started = time.process_time()
                declared.resolve(page)
                spent[declared.name] += time.process_time() - started
            started = time.process_time()
            page.field_sources()
            spent["field_sources"] += time.process_time() - started
    return spent, len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spent, pages = field_costs(args.pages, args.seed, args.repeat)
    per_page = 1e3 / args.repeat / pages
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"{name:16}{seconds * per_page:8.3f} ms/page")
    print(f"RESULT total_ms_per_page={sum(spent.values()) * per_page:.3f} pages={pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

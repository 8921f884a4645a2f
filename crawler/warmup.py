"""Load, before the first page, what reading pages otherwise loads on first use.

Reading loads some heavy parts lazily, so that commands that never read an article do not pay for
them: the language identifier's model (py3langid with numpy, about 1 s of CPU to decompress), the
generic reader (trafilatura) and htmldate. In a crawl, the first article page then blocks the event
loop for that long, several times longer on a loaded machine, which a distributed worker's other
duties (its Redis heartbeat, its lease releases) should not have to wait for. ``warm_up`` pays it
up front, and a reading-pool worker (``crawler.pool.workers``) pays it before it says it is
ready, so that ``READING_TIMEOUT`` times pages, not imports; ``tests/test_warmup.py`` checks that
reading pages after it loads nothing heavy. The stop words of trafilatura's jusText fallback are
loaded too (``crawler.reader.generic.stopwords``: 0.5 s, and a worker's memory is flat from its
first page).

``settle_collector`` tunes Python's cyclic garbage collector once start-up is over, in a reading
worker and in the crawl process (1,000 articles of the local site, the collector's CPU measured
by ``gc.callbacks``: worker 0.19 s -> 0.02 s, crawl process 0.13 s -> 0.07 s).
"""

from __future__ import annotations

import gc
import logging
import time

logger = logging.getLogger(__name__)

# Container objects allocated (net) between two passes of the collector over the young ones
# (Python's default: 700). Reading a page holds a few thousand (its blocks, its fields): at 700 a
# worker ran a pass several times per page, each walking what the page still held, to find no
# garbage (pages are freed by reference counting). At this many a pass comes every few pages;
# garbage in a cycle waits a little longer for it (at most this many objects).
GC_YOUNG_THRESHOLD = 5000
# Enough text for the identifier to run (crawler.reader.fields.language.MIN_TEXT_CHARS).
SAMPLE_TEXT = ("Cotton and polyester prices rose this week as spinning mills in the region "
               "restocked ahead of the new season, traders said on Monday. ") * 3


def warm_up() -> float:
    """Load the lazily loaded parts of reading; the seconds it took."""
    started = time.perf_counter()
    import htmldate  # noqa: F401  (crawler.reader.generic.article.guess_date)

    import crawler.reader.generic.article  # noqa: F401  (trafilatura, the generic reader)
    from crawler.reader.fields.language import identify
    from crawler.reader.generic.stopwords import load_all_languages

    identify(SAMPLE_TEXT)
    load_all_languages()  # jusText's stop words: 17 MB now, not 33 at a page mid-crawl
    took = time.perf_counter() - started
    logger.debug("Reading warmed up in %.2fs", took)
    return took


def settle_collector() -> None:
    """Start-up is over: what it built (modules, compiled patterns, the language model) lives as
    long as the process, so the collector's full passes leave it out (``gc.freeze``); the young
    generation is collected every ``GC_YOUNG_THRESHOLD`` objects. No ``gc.collect()`` first: it
    cost the crawl process 0.1-0.3 s in the first page's way, for a little start-up garbage."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)

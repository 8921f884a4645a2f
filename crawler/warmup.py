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
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)

# Enough text for the identifier to run (crawler.reader.fields.language.MIN_TEXT_CHARS).
SAMPLE_TEXT = ("Cotton and polyester prices rose this week as spinning mills in the region "
               "restocked ahead of the new season, traders said on Monday. ") * 3


def warm_up() -> float:
    """Load the lazily loaded parts of reading; the seconds it took."""
    started = time.perf_counter()
    import htmldate  # noqa: F401  (crawler.extract.metadata.guess_date)

    import crawler.reader.generic.article  # noqa: F401  (trafilatura, the generic reader)
    from crawler.reader.fields.language import identify
    from crawler.reader.generic.stopwords import load_all_languages

    identify(SAMPLE_TEXT)
    load_all_languages()  # jusText's stop words: 17 MB now, not 33 at a page mid-crawl
    took = time.perf_counter() - started
    logger.debug("Reading warmed up in %.2fs", took)
    return took

"""Page reading off the reactor thread: a pool of worker processes (issue 13).

- ``reader``: ``read_page(PageTask) -> PageReading``, the one pure reading function, run by a
  worker or in-process (``READING_POOL_SIZE=0``).
- ``workers``: the worker processes, their failure containment and shutdown (no Scrapy).
- ``middleware``: ``ReadingPoolMiddleware``, the pool in a crawl (settings, stats).
"""

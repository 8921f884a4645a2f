"""Backfill from web archives: WARC files and CDX indexes (Common Crawl, Wayback) as a source of
responses for the same spider callbacks, pipelines, state and output as a live crawl.

- ``options``: the spider arguments ``warc=``, ``archive=``, ``since=``, ``until=``.
- ``captures``: a capture, an archived page, the index of captures per article.
- ``warcfiles``: scanning WARC files (gz or not) and reading one record, surviving truncation.
- ``cdx``: CDX index queries and range requests, through Scrapy's downloader.
- ``backfill``: the extension that owns the index and reads captures.
- ``middlewares``: answering article requests from the archive; start requests; record stamps.
- ``capturelog``: the capture time each article was last read from, kept under ``STATE_DIR``.
"""

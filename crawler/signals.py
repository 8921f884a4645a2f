"""Signals of the project's own components (sent with crawler.signals like Scrapy's)."""

# A local feed file was opened: kwargs part_path, final_path.
feed_opened = object()
# A local feed file is complete and in place: kwargs final_path.
feed_committed = object()

"""The project's settings with pages read in-process (``READING_POOL_SIZE=0``): ``make test``
runs the end-to-end tests again with ``SCRAPY_SETTINGS_MODULE=tests.settings_in_process``."""

from crawler.settings import *  # noqa: F403

READING_POOL_SIZE = 0

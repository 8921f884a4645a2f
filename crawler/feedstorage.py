"""Feed storage that never shows a partial or damaged file: ``<path>.part``, fsync, rename on close.

Replaces Scrapy's file storage for local paths (the default feed and ``-O``/``-o``). A consumer
globbing ``*.jsonl`` sees a file only once it is complete. Beside the part file, the run journal
(crawler.state.journal) lists the records written. After the rename it sends the
``feed_committed`` signal, on which the run state records the journal's articles as emitted.
A run killed before the rename leaves ``<path>.part``; the next run recovers it
(crawler.state.runs).

A file that can not be created or written (read-only or full disk) is never committed: one ERROR
line, stat ``output/failed`` (exit status 9), the crawl stops, the part file and journal are
removed, and none of its records counts as emitted.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

from crawler import shared, signals
from crawler.state import stop_crawl
from crawler.state.journal import Journal, journal_path

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"
OUTPUT_FAILED_REASON = "output_failed"


def fsync_path(path: Path) -> None:
    """Flush a file's directory entry too, so a rename survives a power cut."""
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class OutputFile(io.BufferedWriter):
    """The part file, with its journal; remembers a failed write so it is never committed."""

    def __init__(self, path: Path, journal: Journal | None) -> None:
        super().__init__(io.FileIO(str(path), "wb"))
        self.journal = journal
        self.error: OSError | None = None

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except OSError as error:
            self.error = self.error or error
            raise


def output_failed(crawler: Any, path: Path, error: OSError | str) -> None:
    """Say once per file why the output is lost, count it and stop the crawl."""
    logger.error("Output %s could not be written: %s. Nothing of it counts as emitted; the run "
                 "stops (exit status 9).", path, error)
    if crawler is not None:
        crawler.stats.inc_value("output/failed")
        stop_crawl(crawler, OUTPUT_FAILED_REASON)


class AtomicFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Any = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.final_path = Path(self.path)
        self.part_path = self.final_path.with_name(self.final_path.name + PART_SUFFIX)

    @classmethod
    def from_crawler(cls, crawler: Any, uri: str, *, feed_options: dict[str, Any] | None = None
                     ) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Any) -> IO[bytes]:
        try:
            self.part_path.parent.mkdir(parents=True, exist_ok=True)
            journal = Journal(journal_path(self.final_path))
            file = OutputFile(self.part_path, journal)
        except OSError as error:
            output_failed(self.crawler, self.final_path, error)
            # The exporter still needs a file; what it writes goes nowhere and is not committed.
            file = OutputFile(Path(os.devnull), None)
            file.error = error
            return file
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(
                signals.feed_opened, part_path=str(self.part_path), final_path=str(self.final_path)
            )
        return file

    def store(self, file: IO[bytes]) -> None:
        error = getattr(file, "error", None)
        journal = getattr(file, "journal", None)
        if error is None:
            try:
                self._complete(file, journal)
            except OSError as failure:
                output_failed(self.crawler, self.final_path, failure)
                error = failure
        if error is not None:
            self._remove(file, journal)
            return
        # A component may hold the file back (distributed mode: only while the run still owns
        # the file's records); it then stays ``.part`` and never becomes output.
        guard = shared.FEED_COMMIT_GUARD.get(self.crawler)
        if guard is not None and not guard(str(self.part_path), str(self.final_path)):
            return
        if self.crawler is not None and self.crawler.stats.get_value("state/unavailable"):
            # Published but never recorded, its articles would come again next run: drop it.
            logger.error("Output %s not published: the state store failed and could not record "
                         "its articles; the next run emits them", self.final_path)
            self._remove(file, journal)
            return
        try:
            self._commit()
        except OSError as failure:
            output_failed(self.crawler, self.final_path, failure)
            self._remove(file, journal)
            return
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(signals.feed_committed,
                                                final_path=str(self.final_path))

    @staticmethod
    def _complete(file: IO[bytes], journal: Journal | None) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        if journal is not None:
            journal.sync()

    def _remove(self, file: IO[bytes], journal: Journal | None) -> None:
        """A damaged file is not kept: it would fill a full disk and mislead the next run."""
        try:
            file.close()
        except OSError:
            pass  # the buffered bytes are lost with the file
        if journal is not None:
            journal.discard()
        if file.name != os.devnull:
            self.part_path.unlink(missing_ok=True)

    def _commit(self) -> None:
        if self.write_mode == "ab" and self.final_path.exists():
            with self.final_path.open("ab") as final, self.part_path.open("rb") as part:
                shutil.copyfileobj(part, final)
                final.flush()
                os.fsync(final.fileno())
            self.part_path.unlink()
        else:
            os.replace(self.part_path, self.final_path)
        fsync_path(self.final_path.parent)

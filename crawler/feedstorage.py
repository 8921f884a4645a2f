"""Feed storage that never shows a partial file: write ``<path>.part``, fsync, rename on close.

Replaces Scrapy's file storage for local paths (the default feed and ``-O``/``-o``). A consumer
globbing ``*.jsonl`` sees a file only once it is complete. After the rename it sends the
``feed_committed`` signal, on which the run state records the file's articles as emitted.
A run killed before the rename leaves ``<path>.part``; the next run recovers it
(crawler.state.runs).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

from crawler import shared, signals

PART_SUFFIX = ".part"


def fsync_path(path: Path) -> None:
    """Flush a file's directory entry too, so a rename survives a power cut."""
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        self.part_path.parent.mkdir(parents=True, exist_ok=True)
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(
                signals.feed_opened, part_path=str(self.part_path), final_path=str(self.final_path)
            )
        return self.part_path.open("wb")

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        # A component may hold the file back (distributed mode: only while the run still owns
        # the file's records); it then stays ``.part`` and never becomes output.
        guard = shared.FEED_COMMIT_GUARD.get(self.crawler)
        if guard is not None and not guard(str(self.part_path), str(self.final_path)):
            return
        if self.write_mode == "ab" and self.final_path.exists():
            with self.final_path.open("ab") as final, self.part_path.open("rb") as part:
                shutil.copyfileobj(part, final)
                final.flush()
                os.fsync(final.fileno())
            self.part_path.unlink()
        else:
            os.replace(self.part_path, self.final_path)
        fsync_path(self.final_path.parent)
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(signals.feed_committed,
                                                final_path=str(self.final_path))

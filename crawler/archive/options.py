"""The archive spider arguments: ``-a warc=PATH[,PATH]`` or ``-a archive=commoncrawl|wayback``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARCHIVES = ("commoncrawl", "wayback")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ArchiveOptions:
    """Where a backfill reads captures from; ``since``/``until`` are ``YYYYMM`` (inclusive)."""

    warc_paths: tuple[Path, ...] = ()
    archive: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def label(self) -> str:
        return "warc" if self.warc_paths else str(self.archive)


def parse_options(args: dict[str, Any]) -> ArchiveOptions | None:
    """The archive options in spider arguments, or None for a live crawl. ValueError if wrong."""
    warc, archive = args.get("warc"), args.get("archive")
    if not warc and not archive:
        for name in ("since", "until"):
            if args.get(name):
                raise ValueError(f"-a {name}= needs -a archive=commoncrawl|wayback")
        return None
    if warc and archive:
        raise ValueError("give -a warc= or -a archive=, not both")
    if warc:
        return ArchiveOptions(warc_paths=tuple(_paths(str(warc))))
    if archive not in ARCHIVES:
        raise ValueError(f"-a archive= must be one of {', '.join(ARCHIVES)}, not {archive!r}")
    since, until = _month(args.get("since"), "since"), _month(args.get("until"), "until")
    if since and until and since > until:
        raise ValueError(f"-a since={args['since']} is after -a until={args['until']}")
    return ArchiveOptions(archive=str(archive), since=since, until=until)


def _paths(value: str) -> list[Path]:
    paths = [Path(part.strip()).expanduser() for part in value.split(",") if part.strip()]
    missing = [str(path) for path in paths if not path.exists()]
    if not paths or missing:
        raise ValueError(f"-a warc=: no such file or folder: {', '.join(missing) or value!r}")
    return paths


def _month(value: Any, name: str) -> str | None:
    if not value:
        return None
    match = _MONTH.match(str(value))
    if not match:
        raise ValueError(f"-a {name}= must be YYYY-MM, not {value!r}")
    return match.group(1) + match.group(2)

"""WARC files (gzip per record or plain): list the captures they hold, read one back.

warcio reads both framings and gives record offsets. A damaged record (a gzip member cut short,
a payload shorter than its Content-Length, ``WARC-Truncated``) is reported, not raised: the scan
resumes at the next record boundary, so one bad record costs only itself.
"""

from __future__ import annotations

import io
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from crawler.archive.captures import ArchivedPage, TruncatedRecord

WARC_SUFFIXES = (".warc", ".warc.gz")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_RESYNC_CHUNK = 1 << 16
_RECORD_START = re.compile(rb"WARC/1\.[01]\r\nWARC-")
# Bytes a complete file may hold after its last record (line ends).
_TRAILER = 4


@dataclass(frozen=True)
class WarcEntry:
    """A response or revisit record: where it is and what it says about its payload."""

    kind: str  # "response" or "revisit"
    url: str
    date: str
    status: int
    path: str
    offset: int
    digest: str | None  # WARC-Payload-Digest: a revisit names its original by it
    problem: str | None = None  # why the payload cannot be used (truncated), if so


@dataclass(frozen=True)
class ScanError:
    path: str
    offset: int
    message: str


def warc_files(paths: tuple[Path, ...]) -> list[Path]:
    """The WARC files named, folders searched recursively, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.name.endswith(WARC_SUFFIXES))
        else:
            found.append(path)
    return found


def scan(path: Path) -> Iterator[WarcEntry | ScanError]:
    """Every response and revisit record of one file, and an error per damaged stretch."""
    with path.open("rb") as stream:
        gzipped = stream.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        start: int | None = 0
        while start is not None:
            start = yield from _scan_from(stream, str(path), start, gzipped)


def _scan_from(stream: Any, path: str, start: int, gzipped: bool
               ) -> Generator[WarcEntry | ScanError, None, int | None]:
    """Records from ``start`` on; returns where to resume after damage (None: at the end).

    Each entry is held back until the record after it parses: in a plain WARC, a record cut
    short swallows the start of the next one, and only the next one's failure shows it.
    """
    stream.seek(start)
    records = ArchiveIterator(stream)
    last, end, held = None, start, None
    try:
        for record in records:
            entry = _entry(record, path)  # reads the payload: the offset is known only after
            last = records.get_record_offset()  # absolute: warcio starts from tell()
            end = last + records.get_record_length()
            if held is not None:
                yield held
            held = replace(entry, offset=last) if entry is not None else None
            if held is not None and held.problem and not gzipped:
                # A damaged record in a plain WARC may run on over the next ones: look inside.
                yield held
                return _next_boundary(stream, last, gzipped)
    except Exception as error:  # warcio raises several kinds on damaged input
        return (yield from _damaged(stream, path, start, last, held, gzipped, error))
    if held is not None:
        yield held
    stream.seek(0, io.SEEK_END)
    if stream.tell() > end + _TRAILER:  # the last record was cut off inside its gzip member
        yield ScanError(path, end, "the file ends inside a record")
    return None


def _damaged(stream: Any, path: str, start: int, last: int | None, held: WarcEntry | None,
             gzipped: bool, error: Exception) -> Generator[WarcEntry | ScanError, None, int | None]:
    message = f"{type(error).__name__}: {error}"
    if not gzipped and held is not None:  # the record before the failure ran into it
        yield replace(held, problem=f"damaged record framing ({message[:120]})")
        return _next_boundary(stream, held.offset, gzipped)
    if held is not None:  # gzip members stand alone: the one before is sound
        yield held
    bad = start if last is None else _next_boundary(stream, last, gzipped)
    yield ScanError(path, start if bad is None else bad, message)
    return None if bad is None else _next_boundary(stream, bad, gzipped)


def _entry(record: Any, path: str) -> WarcEntry | None:
    if record.rec_type not in ("response", "revisit") or record.http_headers is None:
        return None
    headers = record.rec_headers
    problem = None
    if record.rec_type == "response":
        try:
            payload(record)
        except TruncatedRecord as error:
            problem = str(error)
    return WarcEntry(record.rec_type, headers.get_header("WARC-Target-URI") or "",
                     headers.get_header("WARC-Date") or "", _status(record), path, -1,
                     headers.get_header("WARC-Payload-Digest"), problem)


def _status(record: Any) -> int:
    code = record.http_headers.get_statuscode()
    return int(code) if code and code.isdigit() else 0


def payload(record: Any) -> ArchivedPage:
    """The HTTP response a record holds, de-chunked; content encoding is left to Scrapy."""
    http = record.http_headers
    try:
        raw = record.raw_stream.read()
    except Exception as error:
        raise TruncatedRecord(f"unreadable payload: {type(error).__name__}: {error}") from error
    if record.rec_headers.get_header("WARC-Truncated"):
        raise TruncatedRecord(f"WARC-Truncated: {record.rec_headers.get_header('WARC-Truncated')}")
    if "chunked" in (http.get_header("Transfer-Encoding") or "").lower():
        body = _dechunk(raw)
    else:
        body = raw
        declared = http.get_header("Content-Length") or ""
        if declared.isdigit() and len(raw) < int(declared):
            raise TruncatedRecord(f"payload {len(raw)} bytes of {declared} declared")
    if _RECORD_START.search(raw):
        # A record cut short in a plain WARC runs on into the next one's header.
        raise TruncatedRecord("payload runs into the next record: cut short")
    return ArchivedPage(_status(record), list(http.headers), body)


def _dechunk(raw: bytes) -> bytes:
    try:
        return ChunkedDataReader(io.BytesIO(raw)).read()
    except Exception as error:
        raise TruncatedRecord(f"bad chunked payload: {error}") from error


def read_record(path: str, offset: int) -> ArchivedPage:
    """The payload of the record at ``offset`` of ``path``; TruncatedRecord if damaged."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        try:
            record = next(iter(ArchiveIterator(stream)))
        except Exception as error:
            raise TruncatedRecord(f"unreadable record: {type(error).__name__}: {error}") from error
        return payload(record)


def read_bytes(data: bytes) -> ArchivedPage:
    """The payload of the single WARC record in ``data`` (a range request's answer)."""
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
    except Exception as error:
        raise TruncatedRecord(f"unreadable record: {type(error).__name__}: {error}") from error
    return payload(record)


def _next_boundary(stream: Any, after: int, gzipped: bool) -> int | None:
    """Offset of the first record start after ``after`` (None at the end of the file)."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    position = after + 1
    while True:
        stream.seek(position)
        chunk = stream.read(_RESYNC_CHUNK + len(magic))
        if len(chunk) < len(magic):
            return None
        found = chunk.find(magic)
        if found >= 0:
            return position + found
        position += _RESYNC_CHUNK

"""A local Common Crawl / Wayback stand-in: collinfo, CDX index pages, WARC ranges, raw replay."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 5


@dataclass
class ArchiveData:
    """What the server answers from: CDX rows and the WARC files they point into."""

    rows: list[dict] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    # (timestamp, url) -> (payload, content type), as the Wayback's raw replay returns them
    replays: dict[tuple[str, str], tuple[bytes, str]] = field(default_factory=dict)
    fail_once: set[str] = field(default_factory=set)  # paths answering 503 the first time
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802
        data = self.server.data
        parts = urlsplit(self.path)
        with self.server.lock:
            data.requests.append((self.path, self.headers.get("Range")))
            failing = parts.path in data.fail_once
            data.fail_once.discard(parts.path)
        if failing:
            return self._send(503, b"busy", "text/plain")
        if parts.path == "/collinfo.json":
            return self._send(200, json.dumps(self.server.collinfo()).encode(), "application/json")
        if parts.path in ("/CC-MAIN-2025-01-index", "/cdx"):
            return self._index(parse_qs(parts.query), wayback=parts.path == "/cdx")
        if parts.path.startswith("/data/"):
            return self._range(parts.path[len("/data/"):])
        if parts.path.startswith("/web/"):
            stamp, _, url = parts.path[len("/web/"):].partition("id_/")
            body, content_type = data.replays.get((stamp, url), (b"", "text/plain"))
            return self._send(200 if body else 404, body, content_type)
        self._send(404, b"", "text/plain")

    def _index(self, query: dict[str, list[str]], wayback: bool) -> None:
        domain = query["url"][0]
        rows = [r for r in self.server.data.rows if domain in urlsplit(r["url"]).netloc]
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        if "showNumPages" in query:
            body = str(pages) if wayback else json.dumps({"pages": pages})
            return self._send(200, body.encode(), "text/plain")
        page = int(query.get("page", ["0"])[0])
        chunk = rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        if wayback:
            table = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest",
                      "length"]]
            table += [["k", r["timestamp"], r["url"], "text/html", r["status"], "d", "0"]
                      for r in chunk]
            return self._send(200, json.dumps(table).encode(), "application/json")
        body = "\n".join(json.dumps(r) for r in chunk)
        self._send(200, body.encode(), "text/x-ndjson")

    def _range(self, name: str) -> None:
        content = self.server.data.files.get(name)
        header = self.headers.get("Range") or ""
        if content is None or not header.startswith("bytes="):
            return self._send(404, b"", "text/plain")
        first, last = (int(x) for x in header[len("bytes="):].split("-"))
        self._send(206, content[first:last + 1], "application/octet-stream")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, data: ArchiveData) -> None:
        self.data = data
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def collinfo(self) -> list[dict]:
        return [{"id": "CC-MAIN-2025-01", "cdx-api": f"{self.base}/CC-MAIN-2025-01-index",
                 "from": "2025-01-01T00:00:00", "to": "2025-12-31T00:00:00"},
                {"id": "CC-MAIN-2019-01", "cdx-api": f"{self.base}/never-asked",
                 "from": "2019-01-01T00:00:00", "to": "2019-02-01T00:00:00"}]


class ArchiveServer:
    def __init__(self, data: ArchiveData) -> None:
        self.server = _Server(data)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return self.server.base

    def settings(self) -> list[str]:
        pairs = {"ARCHIVE_COMMONCRAWL_COLLINFO_URL": f"{self.base}/collinfo.json",
                 "ARCHIVE_COMMONCRAWL_DATA_URL": f"{self.base}/data/",
                 "ARCHIVE_WAYBACK_CDX_URL": f"{self.base}/cdx",
                 "ARCHIVE_WAYBACK_DATA_URL": f"{self.base}/web/",
                 "ARCHIVE_DOWNLOAD_DELAY": "0", "ARCHIVE_CONCURRENCY": "4"}
        return [arg for name, value in pairs.items() for arg in ("-s", f"{name}={value}")]

    def __enter__(self) -> ArchiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

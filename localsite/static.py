"""Serve fixed files (stored pages, robots.txt, feeds, sitemaps) on 127.0.0.1, in a thread.

A stored page links to its real site (``https://www.example.com/...``); ``origins`` rewrites those
links to this server as it starts, so a crawl of the copy stays on loopback.
"""

from __future__ import annotations

import gzip
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

HOST = "127.0.0.1"
NOT_FOUND = b"<html><head><title>Not found</title></head><body><h1>404 Not Found</h1></body></html>"


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str = "text/html; charset=utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, site: StaticSite) -> None:
        self.site = site
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        pass  # a client that hangs up early is no server error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 30
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        found = self.server.site.files.get(self.path)
        status = 200 if found is not None else 404
        body = found.body if found is not None else NOT_FOUND
        kind = found.content_type if found is not None else "text/html; charset=utf-8"
        self.server.site.record(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # tests read StaticSite.requests


class StaticSite:
    """``files`` (path with query -> StaticFile) served on loopback, as a context manager.

    ``origins``: a regex of the real site's scheme and host (``https?://(www\\.)?example\\.com``);
    every match in a text body is replaced by this server's base URL. ``requests`` lists
    (path_with_query, status) for every request served, in order.
    """

    def __init__(self, files: dict[str, StaticFile], origins: str | None = None) -> None:
        self._raw = files
        self._origins = re.compile(origins.encode()) if origins else None
        self.files: dict[str, StaticFile] = {}
        self.port = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._requests: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def requests(self) -> list[tuple[str, int]]:
        with self._lock:
            return list(self._requests)

    def record(self, path: str, status: int) -> None:
        with self._lock:
            self._requests.append((path, status))

    def rewrite(self, body: bytes) -> bytes:
        """``body`` with the real site's origins pointing at this server (inside gzip too)."""
        if self._origins is None:
            return body
        if body.startswith(b"\x1f\x8b"):  # a gzipped sitemap
            return gzip.compress(self.rewrite(gzip.decompress(body)), mtime=0)
        return self._origins.sub(self.base_url.encode(), body)

    def start(self) -> StaticSite:
        self._server = _Server(0, self)
        self.port = self._server.server_address[1]
        self.files = {path: StaticFile(self.rewrite(f.body), f.content_type)
                      for path, f in self._raw.items()}
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True,
                                        name=f"static-{self.port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> StaticSite:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

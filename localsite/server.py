"""Serve a SiteModel on 127.0.0.1 and its mirror 127.0.0.2, same port, from background threads."""

from __future__ import annotations

import errno
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from localsite.links import SiteUrls
from localsite.model import SiteModel
from localsite.routes import Response, Router
from localsite.validators import Validators

PRIMARY_HOST = "127.0.0.1"
MIRROR_HOST = "127.0.0.2"
SERVER_NAME = "Microsoft-IIS/6.0"  # what the old portal would announce; no one checks


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Let a restarted test reuse the port quickly; two sockets may share one port on different IPs.
    allow_reuse_address = True
    # Scrapy's connection pool opens a new connection for about every other request; with the
    # default backlog of 5 the kernel drops SYNs, and each drop stalls a crawl for 1 s (SYN retry).
    request_queue_size = 1024

    def __init__(self, host: str, port: int, site: LocalSite) -> None:
        self.site = site
        super().__init__((host, port), _Handler)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        # A crawler killed mid-request (the crash-safety tests do it) resets its connections.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Scrapy reuses connections, which a benchmark needs
    server_version = SERVER_NAME
    sys_version = ""
    timeout = 30
    # Headers and body go out in separate writes; with Nagle on, each keep-alive response would
    # wait for the client's delayed ACK (~40 ms), capping a crawl at a few dozen pages a second.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(with_body=False)

    def _serve(self, with_body: bool) -> None:
        self.server.site.answering.wait()
        arrived = time.monotonic()  # before rendering, whose cost varies
        host, port = self.server.server_address[:2]
        try:
            response = self.server.site.router.respond(self.path, f"http://{host}:{port}")
        except Exception:  # a renderer bug must show up as a 500 in `requests`, not a hang
            response = Response(500, traceback.format_exc().encode(), "text/plain; charset=utf-8")
        validators = self.server.site.validators.of(f"{host}{self.path}", response)
        if validators and validators.matches(self.headers):
            response = Response(304, b"", response.content_type)
        self.server.site._record(str(host), self.path, response.status, arrived)
        self.send_response(response.status)
        if validators:
            self.send_header("ETag", validators.etag)
            self.send_header("Last-Modified", validators.last_modified)
        if response.status == 304:  # no body, so no Content-Length either (RFC 9110 15.4.5)
            self.end_headers()
            return
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        if response.location:
            self.send_header("Location", response.location)
        if response.status == 503:
            self.send_header("Retry-After", "1")
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # tests read LocalSite.requests instead of stderr


class LocalSite:
    """The generated site on loopback, as a context manager.

    `requests` lists (host, path_with_query, status) for every request served, in order.
    Pages answer conditional requests (ETag, Last-Modified, 304: localsite.validators);
    `crawl_delay` adds a `Crawl-delay:` line to robots.txt. While `answering` is clear, requests
    wait for it to be set (a test lets several crawlers line up before any page is served).
    """

    def __init__(self, model: SiteModel, port: int = 0, crawl_delay: float | None = None) -> None:
        self.model = model
        self.crawl_delay = crawl_delay
        self.validators = Validators()
        self.requested_port = port
        self.port = 0
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._requests: list[tuple[str, str, int]] = []
        self._times: list[float] = []
        self._lock = threading.Lock()
        self.answering = threading.Event()
        self.answering.set()
        self.router: Router

    @property
    def base_url(self) -> str:
        return f"http://{PRIMARY_HOST}:{self.port}"

    @property
    def mirror_url(self) -> str:
        return f"http://{MIRROR_HOST}:{self.port}"

    @property
    def start_url(self) -> str:
        return f"{self.base_url}/global/en/"

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return list(self._requests)

    @property
    def request_times(self) -> list[tuple[float, str, str]]:
        """(time.monotonic() when served, host, path_with_query) of every request, in order."""
        with self._lock:
            return [(t, host, path) for t, (host, path, _) in zip(self._times, self._requests,
                                                                  strict=True)]

    def reset_requests(self) -> None:
        with self._lock:
            self._requests.clear()
            self._times.clear()

    def _record(self, host: str, path: str, status: int, arrived: float) -> None:
        with self._lock:
            self._requests.append((host, path, status))
            self._times.append(arrived)

    def start(self) -> LocalSite:
        self._servers = self._bind_pair()
        self.port = self._servers[0].server_address[1]
        self.router = Router(self.model, SiteUrls(self.base_url, self.mirror_url),
                             crawl_delay=self.crawl_delay)
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"localsite-{server.server_address[0]}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def _bind_pair(self) -> list[_Server]:
        """Bind the primary, then the mirror on its port; retry if an ephemeral port clashes."""
        for _ in range(20):
            primary = _Server(PRIMARY_HOST, self.requested_port, self)
            try:
                mirror = _Server(MIRROR_HOST, primary.server_address[1], self)
            except OSError as error:
                primary.server_close()
                if error.errno != errno.EADDRINUSE or self.requested_port:
                    raise
                continue
            return [primary, mirror]
        raise OSError(errno.EADDRINUSE, "no port free on both 127.0.0.1 and 127.0.0.2")

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> LocalSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

"""A small news site on loopback with crafted hostile responses beside its good pages.

Three good articles are linked from the home page; each test adds routes (a robots.txt of blank
lines, a gzip bomb, an entity attack, a redirect loop, a slow drip...) and checks that the crawl
ends within its bound with the three articles. Every route is bounded: the slow drip stops when
the client goes away or after ``DRIP_MAX_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_ARTICLES = 3
DRIP_MAX_SECONDS = 60
_WORDS = ("cotton", "yarn", "mill", "export", "fabric", "price", "spinning", "dyeing", "order")

Route = Callable[["_Handler"], None]


def article_path(number: int) -> str:
    return f"/news/2026/11/textile-market-report-{number}.html"


def article_html(number: int) -> str:
    body = " ".join(_WORDS[(number + i) % len(_WORDS)] for i in range(400))
    paragraphs = "".join(f"<p>Report {number}, part {i}: {body[i * 40:i * 40 + 900]}.</p>"
                         for i in range(6))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Textile market report {number}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-2{number}T08:00:00+00:00">
<script type="application/ld+json">{{"@type": "NewsArticle",
"headline": "Textile market report {number}", "datePublished": "2026-11-2{number}T08:00:00Z"}}
</script></head><body><header><a href="/">Home</a></header><article>
<h1>Textile market report {number}</h1><time datetime="2026-11-2{number}">Nov 2{number}, 2026</time>
{paragraphs}</article></body></html>"""


def home_html(extra_links: list[str], head: str = "") -> str:
    links = "".join(f'<li><a href="{article_path(n)}">Textile market report {n}</a></li>'
                    for n in range(1, GOOD_ARTICLES + 1))
    extra = "".join(f'<li><a href="{url}">More news {i}</a></li>'
                    for i, url in enumerate(extra_links))
    return (f"<!doctype html><html><head><title>Textile news</title>{head}</head><body>"
            f"<h1>Latest textile news</h1><ul>{links}{extra}</ul></body></html>")


def send(status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> Route:
    def route(handler: _Handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    return route


def redirect(location: str) -> Route:
    return send(302, b"", headers={"Location": location})


def drip(stop: threading.Event) -> Route:
    """Headers at once, then one byte a second: only a timeout on the client side ends it."""
    def route(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(DRIP_MAX_SECONDS + 1))
        handler.end_headers()
        deadline = time.monotonic() + DRIP_MAX_SECONDS
        try:
            while time.monotonic() < deadline and not stop.wait(1):
                handler.wfile.write(b" ")
                handler.wfile.flush()
        except OSError:  # the client gave up: what the test wants
            pass
    return route


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, site: HostileSite) -> None:
        self.site = site
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        site = self.server.site
        with site.lock:
            site.requests.append(self.path)
        route = site.routes.get(self.path)
        (route or send(404, b"not found", "text/plain"))(self)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class HostileSite:
    """The site as a context manager; ``routes`` maps a path to what it answers."""

    def __init__(self, routes: dict[str, Route] | None = None,
                 extra_links: list[str] | None = None, head: str = "") -> None:
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests: list[str] = []
        self.routes: dict[str, Route] = {
            "/": send(200, home_html(extra_links or [], head).encode()),
            "/robots.txt": send(200, b"User-agent: *\nAllow: /\n", "text/plain"),
            **{article_path(n): send(200, article_html(n).encode())
               for n in range(1, GOOD_ARTICLES + 1)},
            **(routes or {}),
        }
        self.server = _Server(self)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> HostileSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

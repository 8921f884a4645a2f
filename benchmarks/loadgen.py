"""A trivial HTTP client for ``benchmarks/crawl.py``: the pages per second the local server gives.

``python benchmarks/loadgen.py BASE_URL THREADS < paths`` fetches every path read from stdin once,
over THREADS keep-alive connections (http.client), and prints one JSON line: pages, seconds,
pages per second, megabytes per second. Run in its own process so that it does not share the
server's interpreter lock.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def fetch_all(base: str, paths: list[str], counts: list[int]) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    for path in paths:
        connection.request("GET", path)
        response = connection.getresponse()
        counts.append(len(response.read()))
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.close()


def main() -> int:
    base, threads = sys.argv[1], int(sys.argv[2])
    paths = [line.strip() for line in sys.stdin if line.strip()]
    shares: list[list[int]] = [[] for _ in range(threads)]
    workers = [threading.Thread(target=fetch_all, args=(base, paths[i::threads], shares[i]))
               for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    pages = sum(len(s) for s in shares)
    size = sum(sum(s) for s in shares)
    print(json.dumps({"pages": pages, "seconds": round(seconds, 2),
                      "pages_per_s": round(pages / seconds, 1),
                      "mb_per_s": round(size / seconds / 1e6, 1)}))
    return 0 if pages == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main())

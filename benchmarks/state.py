"""CPU cost of the dedup stage's state calls per item as the content index grows.

Usage: ``python benchmarks/state.py [--indexed N ...] [--probe P] [--commit-every C]``.

For each N: index N articles with random MinHash signatures in a fresh ``ArticleStore``, then time
(thread CPU) ``find_exact`` + ``find_near`` + ``remember_content`` for P more, as the dedup stage
calls them per item. Random signatures share no band, as almost all real bodies do.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler import nearduplicates  # noqa: E402
from crawler.state.store import ArticleStore  # noqa: E402

SEED = 1
THRESHOLD = 0.7


def signature(rng: random.Random) -> tuple[int, ...]:
    return tuple(rng.getrandbits(58) for _ in range(nearduplicates.BINS))


def ms_per_item(indexed: int, probe: int, commit_every: int) -> float:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="bench-state-") as tmp:
        store = ArticleStore(Path(tmp) / "s.sqlite3", commit_every=commit_every)
        for i in range(indexed):
            store.remember_content(f"site:{i}", f"{i:032x}", signature(rng))
        store.commit()
        start = time.thread_time()
        for i in range(indexed, indexed + probe):
            body_hash, sig = f"{i:032x}", signature(rng)
            store.find_exact(body_hash, f"site:{i}")
            store.find_near(sig, f"site:{i}", THRESHOLD)
            store.remember_content(f"site:{i}", body_hash, sig)
        store.commit()
        elapsed = time.thread_time() - start
        store.close()
    return elapsed * 1e3 / probe


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indexed", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--probe", type=int, default=2000)
    parser.add_argument("--commit-every", type=int, default=200)
    args = parser.parse_args()
    for indexed in args.indexed:
        print(f"{indexed} indexed: {ms_per_item(indexed, args.probe, args.commit_every):.3f} "
              f"ms per item (find_exact + find_near + remember_content)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

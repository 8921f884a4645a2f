"""Serve a generated site until Ctrl-C: python -m localsite --articles N --port P [--seed S]."""

from __future__ import annotations

import argparse
import threading

from localsite.model import SiteModel
from localsite.server import LocalSite


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m localsite", description=__doc__)
    parser.add_argument(
        "--articles", type=int, default=200, help="number of articles (default 200)"
    )
    parser.add_argument("--port", type=int, default=8064, help="port on 127.0.0.1 and 127.0.0.2")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated site")
    parser.add_argument(
        "--layouts", default="portal,redesign", help="comma-separated article layouts to use"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    model = SiteModel.generate(
        args.articles, seed=args.seed, layouts=tuple(args.layouts.split(","))
    )
    with LocalSite(model, port=args.port) as site:
        print(f"Serving {args.articles} articles (seed {args.seed}); mirror at {site.mirror_url}")
        print(f"Start URL: {site.start_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.")


if __name__ == "__main__":
    main()

"""Serve a generated site until Ctrl-C: python -m localsite --articles N --port P [--seed S].

The same arguments give the same site; ``--retitle ID=TITLE`` and ``--delete ID`` change it, so
that a site served again with them shows a changed and a deleted article to the next crawl.
"""

from __future__ import annotations

import argparse
import threading

from localsite.article import Article
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
    parser.add_argument("--retitle", action="append", default=[], metavar="ID=TITLE",
                        help="serve article ID under a new headline (repeatable)")
    parser.add_argument("--delete", action="append", default=[], type=int, metavar="ID",
                        help="serve article ID as a deleted-article notice (repeatable)")
    return parser.parse_args(argv)


def apply_changes(model: SiteModel, args: argparse.Namespace) -> None:
    """The ``--retitle`` and ``--delete`` changes; an unknown id or a bad pair is a usage error."""
    for change in args.retitle:
        raw_id, sep, title = change.partition("=")
        if not sep or not raw_id.strip().isdigit() or not title.strip():
            raise SystemExit(f"--retitle {change!r}: use ID=TITLE")
        _known(model, int(raw_id))
        model.retitle(int(raw_id), title.strip())
    for article_id in args.delete:
        _known(model, article_id)
        model.delete(article_id)


def _known(model: SiteModel, article_id: int) -> Article:
    article = model.article(article_id)
    if article is None:
        raise SystemExit(f"no article {article_id} on this site (ids: see its list pages)")
    return article


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    model = SiteModel.generate(
        args.articles, seed=args.seed, layouts=tuple(args.layouts.split(","))
    )
    apply_changes(model, args)
    with LocalSite(model, port=args.port) as site:
        print(f"Serving {args.articles} articles (seed {args.seed}); mirror at {site.mirror_url}")
        print(f"Start URL: {site.start_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.")


if __name__ == "__main__":
    main()

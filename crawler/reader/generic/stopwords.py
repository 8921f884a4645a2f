"""The stop words of trafilatura's jusText fallback, all languages, loaded once and kept once.

trafilatura falls back on jusText for a page its own extraction finds too little text in (1 page
in about 1,000 of the local site). Given no language (the reader passes none) it hands jusText the
stop words of all its 100 languages: a tuple of 154,484 words built on the first such page
(``trafilatura.external.JT_STOPLIST``), which jusText lower-cases into a frozenset of copies kept in
an ``lru_cache`` (``justext.core.define_stoplist``), hashing the whole tuple again at every call
(about 2 ms). Both stay for the process's life: 30 MB of Python objects, a 33 MB step in a reading
worker's heap at the first such page, in the middle of a crawl.

``load_all_languages`` builds the words once, lower-cased as jusText wants them, as one frozenset;
trafilatura's tuple is made of the same strings, and jusText is handed that frozenset for it
without a copy: 17 MB, the same words, so the same paragraphs are kept. A reading worker calls it
while it warms up (``crawler.warmup``), so its memory is flat from its first page. Both names are
library internals (trafilatura 2.x, jusText 3.x); when either is missing this does nothing and the
libraries work as they would without it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import justext.core
import trafilatura.external
from justext.utils import get_stoplist, get_stoplists

_loaded: frozenset[str] | None = None


def load_all_languages() -> frozenset[str] | None:
    """The stop words of every jusText language, loaded once and put in place of trafilatura's
    and jusText's copies; None when the libraries lack the names this relies on."""
    global _loaded
    if _loaded is not None:
        return _loaded
    if not (hasattr(trafilatura.external, "JT_STOPLIST")
            and callable(getattr(justext.core, "define_stoplist", None))):
        return None
    words = frozenset(word.lower() for language in get_stoplists()
                      for word in get_stoplist(language))
    # trafilatura declares it as None until its first use fills it
    trafilatura.external.JT_STOPLIST = tuple(words)  # type: ignore[assignment]
    original = justext.core.define_stoplist
    getattr(original, "cache_clear", lambda: None)()  # a copy made before this one
    justext.core.define_stoplist = _shared(original, words)
    _loaded = words
    return words


def _shared(define_stoplist: Callable[[Collection[str]], frozenset[str]],
            words: frozenset[str]) -> Callable[[Collection[str]], frozenset[str]]:
    """jusText's ``define_stoplist``, answering trafilatura's all-languages tuple with ``words``
    (its lower-cased set, built once) and any other stop list as before."""
    everything = trafilatura.external.JT_STOPLIST

    def define(stoplist: Collection[str]) -> frozenset[str]:
        return words if stoplist is everything else define_stoplist(stoplist)

    return define

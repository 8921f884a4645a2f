"""crawler.reader.generic.stopwords: jusText gets the same stop words of all languages, kept once
(half the memory), and a warmed-up reading process has them before its first page.

Each case runs in a fresh interpreter: the stop words are process-wide, and this one may have
loaded them already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests/fixtures/sjfzxm/article-587064-portal/page.html"
# What the stop words may cost once kept once, as a share of the libraries' two copies.
MAX_SHARE_OF_TWO_COPIES = 0.7

# The words jusText classifies with for a page of unknown language, what holding them costs, and
# the paragraphs it keeps of a page: as the libraries do it, or ``shared`` (crawler's).
STOP_WORDS = """
import gc, hashlib, json, sys, tracemalloc
from lxml import html
import justext.core, trafilatura.external
from crawler.reader.generic.stopwords import load_all_languages
shared = sys.argv[1] == "shared"
gc.collect()
tracemalloc.start()
if shared:
    load_all_languages()
    words = justext.core.define_stoplist(trafilatura.external.JT_STOPLIST)
else:
    words = justext.core.define_stoplist(trafilatura.external.jt_stoplist_init())
gc.collect()
held = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
kept = trafilatura.external.try_justext(html.fromstring(open(sys.argv[2], "rb").read()), None, None)
print(json.dumps({
    "words": hashlib.sha256("\\n".join(sorted(words)).encode()).hexdigest(), "count": len(words),
    "held": held, "same_object": words is justext.core.define_stoplist(
        trafilatura.external.JT_STOPLIST),
    "english": sorted(justext.core.define_stoplist(("The", "And"))),
    "kept": [p.text for p in kept]}))
"""
WARMED_UP = """
from crawler.warmup import warm_up
import trafilatura.external
from crawler.reader.generic.stopwords import load_all_languages
warm_up()
print(trafilatura.external.JT_STOPLIST is not None and load_all_languages() is not None)
"""


def run(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()[-1]


def stop_words(mode: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(run(STOP_WORDS, mode, str(PAGE)))
    return found


def test_justext_gets_the_same_stop_words_kept_once_after_warm_up() -> None:
    libraries, shared = stop_words("libraries"), stop_words("shared")
    assert shared["words"] == libraries["words"]
    assert shared["count"] == libraries["count"] and int(libraries["count"]) > 100_000  # type: ignore[call-overload]
    assert shared["kept"] == libraries["kept"] and libraries["kept"]
    assert shared["english"] == libraries["english"] == ["and", "the"]  # other lists as before
    assert shared["same_object"]  # no copy, no hashing of the 150,000-word tuple per call
    assert int(shared["held"]) < MAX_SHARE_OF_TWO_COPIES * int(libraries["held"]), (  # type: ignore[call-overload]
        shared["held"], libraries["held"])


def test_a_warmed_up_reading_process_has_the_stop_words_before_its_first_page() -> None:
    assert run(WARMED_UP) == "True"

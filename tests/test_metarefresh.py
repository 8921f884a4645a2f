"""The meta-refresh middleware follows exactly the refreshes Scrapy's follows, decoding no page
that can not hold one."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.metarefresh import (
    SCAN_BYTES,
    SCAN_CHARS,
    PrecheckedMetaRefreshMiddleware,
    bytes_tell,
)

URL = "https://www.example.com/news/1.html"
REFRESH = '<meta http-equiv="refresh" content="0; url=/news/2.html">'
FILLER = "<p>" + "x" * 200 + "</p>"


def middlewares() -> tuple[PrecheckedMetaRefreshMiddleware, MetaRefreshMiddleware]:
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    return (PrecheckedMetaRefreshMiddleware.from_crawler(crawler),
            MetaRefreshMiddleware.from_crawler(crawler))


def page(head: str, body: str = FILLER, encoding: str = "utf-8", declared: bool = True
         ) -> HtmlResponse:
    """A response as the downloader builds it: its encoding, when ``declared``, in its header."""
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    charset = f"; charset={encoding}" if declared else ""
    return HtmlResponse(URL, body=html.encode(encoding),
                        headers={"Content-Type": f"text/html{charset}"})


CASES = {
    "refresh": page(REFRESH),
    "upper case": page(REFRESH.upper().replace("/NEWS/2.HTML", "/news/2.html")),
    "in a script (ignored)": page(f"<script>'{REFRESH}'</script>"),
    "in a comment (ignored)": page(f"<!-- {REFRESH} -->"),
    "the word in the text only": page("<title>Refresh your skills</title>"),
    "beyond the scanned characters": page("", FILLER * (SCAN_CHARS // len(FILLER) + 2) + REFRESH),
    "none": page("<title>Textile output up 5%</title>"),
    "utf-16": page(REFRESH, encoding="utf-16"),
    "utf-16, none": page("<title>Spinning</title>", encoding="utf-16"),
    "multibyte text before it": page("<title>" + "纺织" * 1000 + "</title>" + REFRESH),
    "gb18030": page("<title>纺织</title>" + REFRESH, encoding="gb18030"),
    "iso-2022-jp": page("<title>繊維</title>" + REFRESH, encoding="iso-2022-jp"),
    "iso-2022-jp, split by an escape": page("<title>繊維</title>" + REFRESH.replace(
        "refresh", "re\x1b(Bfresh"), encoding="iso-2022-jp"),
    "iso-2022-jp in a meta tag, split by an escape": page(
        '<meta charset="iso-2022-jp"><title>繊維</title>'
        + REFRESH.replace("refresh", "re\x1b(Bfresh"), encoding="iso-2022-jp", declared=False),
    # no charset: Scrapy infers one from the whole body (ASCII, UTF-8, else a guess)
    "no charset": page(REFRESH, declared=False),
    "no charset, none": page("<title>Looms</title>", declared=False),
    "no charset, utf-8 text": page("<title>纺织</title>" + REFRESH, declared=False),
    "no charset, cp1252 text": page("<title>Café crème</title>" + REFRESH, encoding="cp1252",
                                    declared=False),
    "no charset, cp1252 text, none": page("<title>Café crème</title>", encoding="cp1252",
                                          declared=False),
    "no charset, utf-16 with its byte order mark": page(REFRESH, encoding="utf-16",
                                                        declared=False),
    "no charset, utf-16, none": page("<title>Yarn</title>", encoding="utf-16", declared=False),
    "no charset, utf-32 with its byte order mark": page(REFRESH, encoding="utf-32",
                                                        declared=False),
    "no charset, utf-16 without a byte order mark": page(
        "<title>Yarn prices</title>" + REFRESH, FILLER * 3, encoding="utf-16-le", declared=False),
    "utf-8 with its byte order mark": HtmlResponse(
        URL, body=b"\xef\xbb\xbf" + f"<html><head>{REFRESH}</head></html>".encode()),
}


@pytest.mark.parametrize("name", CASES)
def test_same_answer_as_scrapys_middleware(name: str) -> None:
    ours, scrapys = middlewares()
    request = Request(URL)
    got = ours.process_response(request, CASES[name])
    expected = scrapys.process_response(request, CASES[name])
    if isinstance(expected, Request):
        assert isinstance(got, Request)
        assert got.url == expected.url
    else:
        assert got is expected


def test_a_refresh_is_followed() -> None:
    ours, _ = middlewares()
    redirected = ours.process_response(Request(URL), page(REFRESH))
    assert isinstance(redirected, Request)
    assert redirected.url == "https://www.example.com/news/2.html"


@pytest.mark.parametrize("declared", [True, False], ids=["charset", "no charset"])
def test_a_page_without_refresh_is_not_decoded(declared: bool) -> None:
    ours, _ = middlewares()
    response = page("<title>Weaving</title>", FILLER * 300, declared=declared)
    assert ours.process_response(Request(URL), response) is response
    # neither response.text nor response.encoding's inference (a decode of the whole body)
    assert response._cached_ubody is None and response._cached_benc is None


def test_the_scan_covers_the_characters_scrapy_scans() -> None:
    # UTF-8 and GB18030 write a character in four bytes at most.
    assert SCAN_BYTES >= 4 * SCAN_CHARS


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", True), ("cp1252", True), ("gb18030", True), ("shift_jis", True),
    ("utf-16", False), ("utf-32", False), ("cp500", False),  # ASCII is not its own bytes
    ("iso-2022-jp", False),  # escapes the decoder drops can split a word
    ("no-such-encoding", False),
])
def test_bytes_tell_only_for_encodings_whose_bytes_show_ascii_text(encoding, expected) -> None:
    assert bytes_tell(encoding) is expected


def test_it_replaces_scrapys_middleware_in_the_project() -> None:
    configured = get_project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    assert configured["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert configured["crawler.metarefresh.PrecheckedMetaRefreshMiddleware"] == 580

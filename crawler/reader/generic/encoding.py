"""Decode raw page bytes the way a browser does: BOM, HTTP header, <meta>, then a guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# A browser only looks for <meta charset> in the first 1024 bytes; pages in the wild put it
# after long comments or scripts, so look a little further.
_META_WINDOW = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.IGNORECASE
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG encoding standard: labels browsers decode as a superset.
_SUPERSETS: dict[str, str] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "ascii": "windows-1252",
    "us-ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "tis-620": "windows-874",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "big5": "big5hkscs",
}


def normalize_label(label: str | None) -> str | None:
    """A Python codec name for an HTTP/HTML charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def sniff_bom(data: bytes) -> str | None:
    """The encoding announced by a byte order mark, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def sniff_meta(data: bytes) -> str | None:
    """The charset declared in a <meta> tag near the top of the page."""
    match = _META_CHARSET.search(data[:_META_WINDOW])
    return normalize_label(match.group(1).decode("ascii", "ignore")) if match else None


def guess(data: bytes) -> str:
    """Best statistical guess; utf-8 when the bytes decode as utf-8."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    return normalize_label(best.encoding if best else None) or "windows-1252"


def detect_encoding(data: bytes, headers_charset: str | None = None) -> str:
    """Encoding to decode ``data`` with, in browser precedence order."""
    return (
        sniff_bom(data)
        or normalize_label(headers_charset)
        or _usable(sniff_meta(data))
        or guess(data)
    )


def _usable(name: str | None) -> str | None:
    # A page served as bytes that claims utf-16 in <meta> is in fact ASCII-compatible.
    return None if name and name.startswith("utf-16") else name


def decode_html(data: bytes, headers_charset: str | None = None) -> str:
    """Page bytes as text; undecodable bytes become U+FFFD rather than an error."""
    encoding = detect_encoding(data, headers_charset)
    text = data.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text

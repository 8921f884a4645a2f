"""Near-duplicate signatures: one-permutation MinHash over word shingles, with LSH band keys.

A body is reduced to ``BINS`` integers; two bodies agree on a bin with probability equal to
the Jaccard similarity of their shingle sets. Bins are grouped into ``BANDS`` bands; bodies that
share a band key are candidates, checked by comparing signatures. Cost per item is fixed: it
never grows with the number of items already seen.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from hashlib import blake2b

SHINGLE_WORDS = 4
BINS = 64
BANDS = 16
ROWS = BINS // BANDS
_WORD = re.compile(r"\w+")
_BIN_BITS = BINS.bit_length() - 1
_EMPTY = -1
_PACK = struct.Struct(f"<{BINS}q")
# The dedup stage looks a body's band keys up, then stores them: computed once for both.
_RECENT_SIGNATURES = 8
# A shingle's 64-bit hash: blake2b with an 8-byte digest, copied from this one for each shingle.
_HASHER = blake2b(digest_size=8)


def _hash64(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _words(text: str) -> list[str]:
    """The words a body is compared by: case-folded, punctuation and spacing left out."""
    return _WORD.findall(text.casefold())


def shingle_hashes(text: str) -> set[int]:
    return _shingle_hashes(_words(text))


def _shingle_hashes(words: list[str]) -> set[int]:
    if len(words) < SHINGLE_WORDS:
        return {_hash64(" ".join(words))} if words else set()
    # Each distinct shingle hashed once; the hash is most of a signature's cost, so each word is
    # encoded once (a shingle is its words' bytes joined: the UTF-8 of the joined text), every
    # hash starts from a copy of one fresh hasher (no keyword parsing per call) and the digests
    # are read as integers in one unpack. (zip stops at the shortest: the last full shingle.)
    encoded = [word.encode() for word in words]
    shingles = set(map(b" ".join, zip(*(encoded[i:] for i in range(SHINGLE_WORDS)),
                                      strict=False)))
    digests = []
    for shingle in shingles:
        hasher = _HASHER.copy()
        hasher.update(shingle)
        digests.append(hasher.digest())
    return set(struct.unpack(f"<{len(digests)}Q", b"".join(digests)))


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of ``text`` (empty bins filled from their right neighbour)."""
    return _signature(_words(text))


def fingerprint(text: str) -> tuple[str, tuple[int, ...]]:
    """``body_hash(text)`` and ``signature(text)``, the words found once for both."""
    words = _words(text)
    return _body_hash(words), _signature(words)


def _signature(words: list[str]) -> tuple[int, ...]:
    # Each bin keeps the least high part among the hashes whose low bits name it. Within a bin
    # the order of whole hashes is the order of their high parts, so with the hashes sorted from
    # largest to least, the last one written to each bin (dict keeps the last) is the least.
    ordered = sorted(_shingle_hashes(words), reverse=True)
    least = dict(zip([value & (BINS - 1) for value in ordered],
                     [value >> _BIN_BITS for value in ordered], strict=True))
    if not least:
        return (_EMPTY,) * BINS
    bins = [least.get(slot, _EMPTY) for slot in range(BINS)]
    return tuple(_densify(bins)) if len(least) < BINS else tuple(bins)


def _densify(bins: list[int]) -> list[int]:
    # Rotation densification: an empty bin takes the next non-empty bin's value, offset by the
    # distance so that different empty bins stay distinguishable.
    filled = list(bins)
    for i, value in enumerate(bins):
        step = 1
        while value == _EMPTY:
            value = bins[(i + step) % BINS]
            if value != _EMPTY:
                value = (value + step * 0x9E3779B97F4A7C15) & ((1 << 58) - 1)
            step += 1
        filled[i] = value
    return filled


@lru_cache(maxsize=_RECENT_SIGNATURES)
def band_keys(sig: tuple[int, ...]) -> tuple[int, ...]:
    """One signed 64-bit key per band (fits an SQLite INTEGER)."""
    keys = []
    for band in range(BANDS):
        chunk = ",".join(map(str, sig[band * ROWS : (band + 1) * ROWS]))
        keys.append(_hash64(f"{band}:{chunk}") - (1 << 63))
    return tuple(keys)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / BINS


def pack(sig: tuple[int, ...]) -> bytes:
    return _PACK.pack(*sig)


def unpack(data: bytes) -> tuple[int, ...]:
    return _PACK.unpack(data)


def body_hash(body: str) -> str:
    """Hash of the body's words only: whitespace and punctuation changes do not count."""
    return _body_hash(_words(body))


def _body_hash(words: list[str]) -> str:
    return blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()

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


def _hash64(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def shingle_hashes(text: str) -> set[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {_hash64(" ".join(words))} if words else set()
    # Each distinct shingle hashed once, _hash64 inlined: the hash is most of a signature's cost.
    # (zip stops at the shortest: the last full shingle)
    shingles = set(map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))
    return {int.from_bytes(blake2b(shingle.encode(), digest_size=8).digest(), "little")
            for shingle in shingles}


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of ``text`` (empty bins filled from their right neighbour)."""
    bins = [_EMPTY] * BINS
    for value in shingle_hashes(text):
        slot, rest = value & (BINS - 1), value >> _BIN_BITS
        kept = bins[slot]
        if kept == _EMPTY or rest < kept:
            bins[slot] = rest
    if all(b == _EMPTY for b in bins):
        return tuple(bins)
    return tuple(_densify(bins))


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
    words = " ".join(_WORD.findall(body.casefold()))
    return blake2b(words.encode("utf-8"), digest_size=16).hexdigest()

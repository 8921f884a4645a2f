"""py3langid's feature counts, found for all bytes of a text at once instead of walked.

py3langid counts a text's features by walking its byte automaton (Aho-Corasick, 104,583 states)
one byte at a time in Python: each step waits on the one before, and on memory (the transition
table is 37 MB, read at random), about 0.8 ms of a reading worker's CPU on a page's text. The
state after a byte is the trie node of the longest suffix of the text read so far that is a node
(py3langid's nodes are one to six bytes long), and a node's string less its last byte is a node
too. So, depth by depth, the nodes ending at each byte are the trie's children of the nodes that
ended one byte before: a handful of numpy gathers over all bytes at once, the same table's
transitions (a transition that lands one level deeper is a trie edge), each byte's state the
deepest node ending there. The counts are the walk's exactly and in its order (first occurrence),
so py3langid's own scoring gives the same answers bit for bit; ``tests/test_langmodel.py`` holds
them to the walk.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from py3langid.langid import LanguageIdentifier

BYTE_VALUES = 256
BITS_PER_BYTE = 8


def node_depths(nextmove: Any, row: Any) -> np.ndarray[Any, np.dtype[np.int8]]:
    """Each state's depth in the trie (the length of its string), found breadth first from
    the start state: a state is first reached by its own string."""
    moves = np.asarray(nextmove)
    rows = np.asarray(row).astype(np.int64) << BITS_PER_BYTE
    depth = np.full(len(rows), -1, dtype=np.int64)
    depth[0] = 0
    frontier, level = np.zeros(1, dtype=np.int64), 0
    letters = np.arange(BYTE_VALUES, dtype=np.int64)
    while len(frontier):
        reached = np.unique(moves[rows[frontier][:, None] + letters])
        frontier = reached[depth[reached] < 0]
        level += 1
        depth[frontier] = level
    return depth.astype(np.int8)


class SuffixIdentifier(LanguageIdentifier):
    """py3langid's identifier, its features counted for all bytes at once (``visits``);
    ``depth`` is each state's depth in the trie (``node_depths``)."""

    __slots__ = ("depth", "first_moves", "moves", "outputs", "row_starts")

    def __init__(self, *args: Any, depth: np.ndarray[Any, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.depth = depth
        self.moves = np.asarray(self.tk_nextmove)
        # where each state's row of moves starts (py3langid's own ``_rowbase``, as an array)
        self.row_starts = np.asarray(self.tk_row).astype(np.int64) << BITS_PER_BYTE
        self.outputs = np.asarray(self.tk_output)
        self.first_moves = self.moves[self.row_starts[0]:][:BYTE_VALUES]

    def states(self, text: bytes) -> np.ndarray[Any, Any]:
        """The automaton's state after each byte of ``text``, as py3langid's walk reaches it."""
        data = np.frombuffer(text, dtype=np.uint8)
        found = np.zeros(len(data), dtype=np.int64)
        nodes = self.first_moves[data]
        at = np.flatnonzero(self.depth[nodes] == 1)  # where a node of this depth ends
        nodes, level = nodes[at], 1
        while len(at):
            found[at] = nodes  # deeper nodes, found later, overwrite
            inside = at + 1 < len(data)
            at, nodes, level = at[inside] + 1, nodes[inside], level + 1
            nodes = self.moves[self.row_starts[nodes] + data[at]]
            deeper = np.flatnonzero(self.depth[nodes] == level)
            at, nodes = at[deeper], nodes[deeper]
        return found

    def visits(self, text: bytes) -> Counter[int]:
        """The features ``text`` counts and how often, as py3langid's ``visit_counts`` counts
        them (a ``Counter``: in the order each is first counted)."""
        counted = self.outputs[self.states(text)]
        return Counter(counted[counted >= 0].tolist())

    def _raw_score(self, text: bytes) -> Any:
        visits = self.visits(text)
        if not visits:  # py3langid's own answer for a text without features
            return super()._raw_score(text)
        return self._sparse_score(visits, self.nb_ptc)

"""Turn trafilatura's body tree into a flat list of text blocks
(``crawler.reader.document.Block``, the
one block model) with link statistics."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import cast

from lxml import etree
from trafilatura.xml import xmltotxt

from crawler.cleaning import CONTROL_CHARS, normalize_space
from crawler.reader.document import Block

# The casts of ``itertext()`` below: lxml-stubs say ``str | bytes``; on Python 3 lxml yields str.

# Units the edge filters decide on: every top-level element, except lists, whose items are
# judged one by one (a teaser list often follows the last paragraph inside the same body).
_NEWLINES = re.compile(r"\s*\n\s*")
_SPLIT_TAGS = frozenset({"list"})
# A table whose cells hold these is page layout (old CMSs), not data: judge its cells' content.
_BLOCK_CHILDREN = frozenset({"p", "head", "list", "quote", "table"})


def with_links(block: Block, link_chars: int) -> Block:
    """``block`` with the larger of its own and another count of link characters."""
    return replace(block, link_chars=max(block.link_chars, link_chars))


def _is_layout_table(table: etree._Element) -> bool:
    return any(child.tag in _BLOCK_CHILDREN for cell in table.iter("cell") for child in cell)


def _units(parent: etree._Element) -> list[etree._Element]:
    units: list[etree._Element] = []
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _SPLIT_TAGS and len(child):
            units.extend(item for item in child if isinstance(item.tag, str))
        elif child.tag == "table" and _is_layout_table(child):
            units.extend(u for row in child for cell in row for u in _cell_units(cell))
        elif child.tag == "table":  # rows are judged one by one, like list items
            units.extend(row for row in child if isinstance(row.tag, str))
        else:
            units.append(child)
    return units


def _cell_units(cell: etree._Element) -> list[etree._Element]:
    if any(child.tag in _BLOCK_CHILDREN for child in cell):
        return _units(cell)
    return [cell] if "".join(cast("Iterator[str]", cell.itertext())).strip() else []


def _link_chars(unit: etree._Element) -> int:
    return sum(
        len(normalize_space("".join(cast("Iterator[str]", ref.itertext()))))
        for ref in unit.iter("ref")
    )


def _fold_source_newlines(unit: etree._Element) -> None:
    # newlines in the HTML source are spaces to a browser; only <lb/> (a <br>) breaks a line.
    # A unit without markup is a fallback's plain-text dump, whose newlines are real breaks.
    if not len(unit):
        return
    for el in unit.iter():
        if el.text and "\n" in el.text:
            el.text = _folded(el.text)
        if el is not unit and el.tail and "\n" in el.tail:
            el.tail = _folded(el.tail)


def _folded(text: str) -> str:
    """Source newlines as spaces, without the control characters lxml refuses in element text
    (the parser keeps them in the page's tree)."""
    return CONTROL_CHARS.sub("", _NEWLINES.sub(" ", text))


def _render(unit: etree._Element) -> str:
    _fold_source_newlines(unit)
    if unit.tag == "cell":  # a layout cell is a paragraph, not a table cell: no "|" markup
        return normalize_space(" ".join(cast("Iterator[str]", unit.itertext())))
    if unit.tag == "row":
        return " | ".join(
            normalize_space(" ".join(cast("Iterator[str]", c.itertext()))) for c in unit
        )
    # refs keep their text only: strip them from the unit before trafilatura renders it
    etree.strip_tags(unit, "ref")
    return xmltotxt(unit, False).strip()


def to_blocks(body: etree._Element | None) -> list[Block]:
    """The body's units in document order, empty ones dropped."""
    if body is None:
        return []
    blocks: list[Block] = []
    for unit in _units(body):
        links = _link_chars(unit)
        text = _render(unit)
        density = links / max(len(text), 1)
        # a multi-line unit (a fallback's text dump, a <br>-split paragraph) becomes one block
        # per line, as in the final text, each with the unit's share of link text
        blocks.extend(
            Block(str(unit.tag), line, round(density * len(line)), unit)
            for line in text.split("\n") if line.strip()
        )
    return blocks

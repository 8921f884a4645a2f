"""Block filters that strip page furniture trafilatura leaves at the edges of a body.

Each filter is a pure function ``list[Block] -> list[Block]``; ``PageContext`` carries what the
page says about itself (titles, descriptions) so a filter can recognise it repeated in the body.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crawler.cleaning import is_boilerplate_line, text_key
from crawler.dates import find_datetime
from crawler.reader.generic import patterns as pat
from crawler.reader.generic.blocks import Block


@dataclass(frozen=True)
class PageContext:
    """Texts the page states about itself, as ``text_key``s; ``title`` is the title the reader
    chose (as written): the headline showing it is where the article starts."""

    titles: frozenset[str] = field(default_factory=frozenset)
    descriptions: frozenset[str] = field(default_factory=frozenset)
    title: str = ""
    headline: object = field(default=None, compare=False)  # the reader's headline element

    def is_title(self, key: str) -> bool:
        return bool(key) and any(key == t or (len(key) > 15 and key in t) for t in self.titles)

    def is_description(self, key: str) -> bool:
        return len(key) > 30 and any(key in d or d in key for d in self.descriptions)


Filter = Callable[[list[Block], PageContext], list[Block]]


def drop_title(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """The headline repeated at the top of the body."""
    head = [b for b in blocks[: pat.TITLE_WINDOW] if not ctx.is_title(text_key(b.text))]
    return head + blocks[pat.TITLE_WINDOW :]


def _is_standfirst(block: Block, ctx: PageContext) -> bool:
    key = text_key(block.text)
    return (
        ctx.is_title(key) or ctx.is_description(key) or block.words >= pat.STANDFIRST_MIN_WORDS
    )


def drop_leading_headings(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Headings before the first paragraph that restate the title or summarise the article."""
    start = 0
    while start < len(blocks) and blocks[start].tag == "head":
        start += 1
    kept = [b for b in blocks[:start] if not _is_standfirst(b, ctx)]
    return kept + blocks[start:]


def _is_header_line(block: Block) -> bool:
    if block.words > pat.HEADER_LINE_MAX_WORDS or pat.SENTENCE_END.search(block.text):
        return False
    return bool(pat.BYLINE_START.match(block.text) or pat.NUMERIC_DATE.search(block.text)) or (
        find_datetime(block.text) is not None)


def drop_header_lines(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Date lines and bylines printed above the article's first paragraph."""
    head = [b for b in blocks[: pat.HEADER_WINDOW] if not _is_header_line(b)]
    return head + blocks[pat.HEADER_WINDOW :]


def _is_link_teaser(block: Block) -> bool:
    return block.link_density > pat.LINK_DENSE and block.words < pat.LINK_DENSE_MAX_WORDS


def trim_link_edges(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Runs of link-dense blocks at either end: related stories, tags, navigation."""
    start, end = 0, len(blocks)
    while start < end and _is_link_teaser(blocks[start]):
        start += 1
    while end > start and _is_link_teaser(blocks[end - 1]):
        end -= 1
    return blocks[start:end]


def drop_link_lists(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Runs of two or more link-dense blocks (a teaser list inside the body, list items or
    not), with the short label introducing them ("Don't miss", "Tags")."""
    teaser = [_is_link_teaser(b) for b in blocks]
    drop: set[int] = set()
    for i in range(len(blocks)):
        if teaser[i] and ((i > 0 and teaser[i - 1]) or (i + 1 < len(teaser) and teaser[i + 1])):
            drop.add(i)
            if i > 0 and not teaser[i - 1] and _is_label(blocks[i - 1]):
                drop.add(i - 1)
    return [b for i, b in enumerate(blocks) if i not in drop]


def _is_labelled_teaser(block: Block) -> bool:
    if pat.TEASER_LABEL.match(block.text) and block.link_density > pat.LABELLED_LINK_SHARE:
        return True
    # a link card whose own text opens with the label: "Also on rt.com <title>"
    return _is_link_teaser(block) and bool(pat.TEASER_LABEL_START.match(block.text))


def drop_labelled_teasers(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """'Read more: <link>' lines pointing to other articles."""
    return [b for b in blocks if not _is_labelled_teaser(b)]


def _teaser_label(block: Block) -> str | None:
    labelled = pat.LABELLED_LINE.match(block.text)
    if labelled is None or not _is_link_teaser(block):
        return None
    label = labelled.group("label").casefold()
    title_words = block.words - len(label.split())  # a headline, not a handle or a name
    return label if len(label.split()) <= pat.LABEL_MAX_WORDS and (
        title_words >= pat.TEASER_TITLE_MIN_WORDS) else None


def drop_repeated_teaser_labels(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Linked lines that share a label ("FUNDA OLUNYE UDABA LAPHA | <title>", twice or more):
    teasers of other articles spread through the body, in whatever language."""
    labels = [_teaser_label(b) for b in blocks]
    counts = Counter(label for label in labels if label)
    return [b for b, label in zip(blocks, labels, strict=True)
            if not label or counts[label] < pat.REPEATED_LABEL_MIN]


def _is_label(block: Block) -> bool:
    return block.words <= pat.LABEL_MAX_WORDS and not pat.SENTENCE_END.search(block.text)


def drop_trailing_link_list(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """A labelled list of links closing the body ('More stories' and their headlines)."""
    start = len(blocks)
    while start > 0 and blocks[start - 1].tag == "item":
        start -= 1
    items = blocks[start:]
    linked = sum(1 for b in items if b.link_density > pat.LIST_ITEM_LINKED)
    if len(items) < 2 or 2 * linked < len(items) or start == 0 or not _is_label(blocks[start - 1]):
        return blocks
    return blocks[: start - 1]


def drop_closing_tags(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """A labelled tag list closing the body ("Tags:" and the tags, linked or not)."""
    for i in range(len(blocks) - 1, -1, -1):
        if pat.TAGS_LABEL.match(blocks[i].text):
            rest = blocks[i + 1 :]
            if all(b.words <= pat.TAG_MAX_WORDS for b in rest):
                return blocks[:i]
            return blocks
        if blocks[i].words > pat.TAG_MAX_WORDS:
            return blocks
    return blocks


def _starts_company_box(blocks: list[Block], i: int) -> bool:
    if _is_label(blocks[i]):
        return bool(pat.ABOUT_LABEL.match(blocks[i].text))
    # the company's facts (seat, staff, listing) follow in the same or the next paragraph
    return bool(pat.COMPANY_DEFINITION.match(blocks[i].text)) and any(
        pat.COMPANY_FACTS.search(b.text) for b in blocks[i : i + 2]
    )


def drop_company_box(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """'About <company>' and the company's self-description closing a press release."""
    first = max(1, int(len(blocks) * (1 - pat.CLOSING_SHARE)))
    for i in range(first, len(blocks)):
        if _starts_company_box(blocks, i):
            return blocks[:i]
    return blocks


def _is_call_to_action(block: Block) -> bool:
    return block.words <= pat.CALL_TO_ACTION_MAX_WORDS and bool(
        pat.CALL_TO_ACTION.search(block.text))


def drop_calls_to_action(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Short calls to action in the closing share of the body ("Sign up to our newsletter",
    "Follow us on...", "Got a story? Get in touch")."""
    first = max(1, int(len(blocks) * (1 - pat.CLOSING_SHARE)))
    return blocks[:first] + [b for b in blocks[first:] if not _is_call_to_action(b)]


def _is_credit_line(block: Block) -> bool:
    return block.words <= pat.CREDIT_MAX_WORDS and bool(pat.CREDIT_LINE.search(block.text))


def drop_closing_credits(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Credit lines in the closing share of the body: who reported, wrote and edited the story
    (the byline's business, not the article's text)."""
    first = max(1, int(len(blocks) * (1 - pat.CLOSING_SHARE)))
    return blocks[:first] + [b for b in blocks[first:] if not _is_credit_line(b)]


def _is_picture_credit(block: Block) -> bool:
    return (block.words <= pat.PICTURE_CREDIT_MAX_WORDS
            and not pat.SENTENCE_END.search(block.text)
            and bool(pat.PICTURE_CREDIT.search(block.text)))


def drop_picture_credits(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Short credit lines of pictures (the caption rules missed their picture), anywhere."""
    return [b for b in blocks if not _is_picture_credit(b)]


def _is_disclosure(block: Block) -> bool:
    return block.words <= pat.DISCLOSURE_MAX_WORDS and bool(
        pat.AFFILIATE_DISCLOSURE.search(block.text))


def drop_affiliate_disclosures(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Short notices that the publisher earns from purchases through its links, anywhere."""
    return [b for b in blocks if not _is_disclosure(b)]


def _is_timestamp_line(block: Block) -> bool:
    if block.words > pat.TIMESTAMP_MAX_WORDS or not pat.TIMESTAMP_ANCHOR.search(block.text):
        return False
    return not any(c.isalnum() for c in pat.TIMESTAMP_PARTS.sub(" ", block.text))


def drop_timestamp_lines(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Lines that are only a time stamp (an update line, a video teaser's date and length),
    anywhere in the body: the article's text says more than when."""
    return [b for b in blocks if not _is_timestamp_line(b)]


def drop_boilerplate(blocks: list[Block], ctx: PageContext) -> list[Block]:
    """Whole blocks matching the shared boilerplate line patterns."""
    return [b for b in blocks if not is_boilerplate_line(b.text)]


DEFAULT_FILTERS: tuple[Filter, ...] = (
    drop_title,
    drop_leading_headings,
    drop_header_lines,
    drop_labelled_teasers,
    drop_repeated_teaser_labels,
    trim_link_edges,
    # a labelled closing list is judged whole before its link-dense runs are cut out of it
    drop_trailing_link_list,
    drop_link_lists,
    drop_closing_tags,
    drop_company_box,
    drop_calls_to_action,
    drop_closing_credits,
    drop_affiliate_disclosures,
    drop_picture_credits,
    drop_timestamp_lines,
    drop_boilerplate,
)


def apply_filters(
    blocks: list[Block], ctx: PageContext, filters: Sequence[Filter] = DEFAULT_FILTERS
) -> list[Block]:
    """Run ``filters`` in order."""
    for step in filters:
        blocks = step(blocks, ctx)
    return blocks

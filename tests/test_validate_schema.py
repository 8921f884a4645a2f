"""The schema check of the validate stage: the compiled validator only ever passes records that
the reference (jsonschema, 2020-12) passes; the reference judges and explains the rest."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.items import Article, article_schema
from pipelines.validate import ArticleSchema

SCHEMA = ArticleSchema(article_schema())
GOOD = asdict(Article(
    id="sjfzxm:1", site="sjfzxm", url="http://www.sjfzxm.com/global/en/1.html",
    title="Aksu Textile City Listed", published_at="2021-09-07T15:08:00+08:00",
    body="Aksu textile industry city was listed.", keywords=["Aksu"], language="en",
    related=[{"url": "http://www.sjfzxm.com/global/en/2.html", "title": "Two", "category": None,
              "published_at": None}],
    next={"url": "http://www.sjfzxm.com/global/en/3.html", "title": "Three"},
    crawled_at="2026-11-26T00:00:00Z", content_hash="0" * 32,
))

# JSON values and the Python values a buggy reader could leave in a record.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=32),
    st.sampled_from(["", "x", "sjfzxm:1", "http://a/b", "http://a/b\n", "2021-09-07T15:08:00Z",
                     "2021-09-07T15:08:00Z\n", "0" * 32, "0" * 31, "\u0661" * 4, "Z"]),
    st.text(max_size=5),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner), st.frozensets(SCALARS),
                            st.dictionaries(st.sampled_from(["url", "title", "category",
                                                             "published_at", "caption", "x"]),
                                            inner, max_size=4)),
    max_leaves=6,
)
FIELDS = st.sampled_from([*GOOD, "unknown_field"])


def verdicts(record: dict[str, Any]) -> tuple[bool, bool]:
    reference = not any(True for _ in SCHEMA.reference.iter_errors(record))
    return SCHEMA.passes_fast(record), reference


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(FIELDS, VALUES, max_size=3), st.lists(FIELDS, max_size=2))
def test_the_compiled_check_passes_only_what_the_reference_passes(changes, removed) -> None:
    record = {**GOOD, **changes}
    for field in removed:
        record.pop(field, None)
    fast, reference = verdicts(record)
    assert reference or not fast, record
    # And a record the fast check refuses is judged by the reference.
    assert (SCHEMA.first_error(record) is None) == reference


def test_a_good_record_passes_both() -> None:
    assert verdicts(dict(GOOD)) == (True, True)
    assert SCHEMA.first_error(dict(GOOD)) is None


def test_a_tombstone_passes_and_a_half_tombstone_does_not() -> None:
    tombstone = {**GOOD, "deleted": True, "title": None, "body": None, "content_hash": None}
    assert SCHEMA.first_error(tombstone) is None
    assert SCHEMA.first_error({**tombstone, "body": "still here"}) == (
        "body: 'still here' is not of type 'null'")


def test_the_error_says_where_and_what() -> None:
    assert SCHEMA.first_error({**GOOD, "published_at": "7 Sept 2021"}) == (
        "published_at: '7 Sept 2021' does not match "
        "'^\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}([+-]\\\\d{2}:\\\\d{2}|Z)$'")
    assert SCHEMA.first_error({**GOOD, "views": -1}) == "views: -1 is less than the minimum of 0"


def test_a_value_the_compiled_check_cannot_judge_goes_to_the_reference() -> None:
    # The compiled check would take a tuple for an array; the reference does not.
    assert SCHEMA.first_error({**GOOD, "keywords": ("a",)}) == (
        "keywords: ('a',) is not of type 'array'")
    assert SCHEMA.first_error({**GOOD, "related": ({"url": "u", "title": "t"},)}) is not None
    # A nested item is judged as the dict it is written as.
    nested = {**GOOD, "images": [Article(id="x", site="y", url="z")]}
    assert SCHEMA.passes_fast(nested) is False
    assert SCHEMA.first_error(nested) is not None  # converted, then judged: not an image

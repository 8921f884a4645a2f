from __future__ import annotations

import pytest

from crawler.cleaning import (
    clean_body,
    is_boilerplate_line,
    is_placeholder,
    normalize_text,
    text_key,
)


def test_normalize_text_folds_odd_spaces_entities_tags_and_keeps_paragraphs() -> None:
    raw = "Caf\u0065\u0301\u00a0au\u3000lait &amp; <b>cotton</b>\r\n\r\n\r\nSecond\u200b line  here"
    assert normalize_text(raw) == "Café au lait & cotton\n\nSecond line here"


def test_control_characters_are_dropped_as_a_browser_shows_them() -> None:
    assert normalize_text("Cotton\x01 yarn\x7f\x00 prices\x0brose\tagain") == (
        "Cotton yarn prices rose again")
    assert clean_body("First\x02 paragraph.\n\nSecond\x1f one.") == (
        "First paragraph.\n\nSecond one.")


@pytest.mark.parametrize("line", ["Share to:", "Print", "Advertisement", "3 comments",
                                  "Home > Local hotspot", "Read more", "• Related reading"])
def test_chrome_lines_are_boilerplate(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", ["Printing houses in Shaoxing expanded output.",
                                  "Share prices of cotton firms rose 3% on Monday.",
                                  "Home textiles exports grew."])
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_clean_body_drops_chrome_lines_between_paragraphs() -> None:
    body = "First paragraph of the story.\nShare to:\nSecond paragraph.\nPrint"
    assert clean_body(body) == "First paragraph of the story.\n\nSecond paragraph."


@pytest.mark.parametrize("body", ["The article does not exist or has been deleted.",
                                  "Sorry, this page has been removed!", "404 Page not found",
                                  "文章不存在或已被删除"])
def test_placeholders_are_recognised(body: str) -> None:
    assert is_placeholder(body)


def test_a_real_body_mentioning_deletion_is_not_a_placeholder() -> None:
    body = ("The ministry said the rule has been deleted from the draft, and exporters of "
            "cotton yarn welcomed the change. " * 5)
    assert not is_placeholder(body)


def test_text_key_compares_words_whatever_case_punctuation_and_spacing() -> None:
    assert text_key("  Straße, im\tNEBEL!") == text_key("STRASSE im nebel")
    assert text_key("A—b") == "a b"
    assert text_key("…") == ""

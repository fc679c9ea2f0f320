import pytest

from wrap import WrapError, break_long_word, fill, is_wrapped, longest_line, wrap

TEXT = "The quick brown fox jumps over the lazy dog"


def test_wrap_basic():
    assert wrap(TEXT, 16) == ["The quick brown", "fox jumps over", "the lazy dog"]


def test_words_that_exactly_fill_the_line():
    assert wrap("aaaa bbbb cccc dddd", 9) == ["aaaa bbbb", "cccc dddd"]


def test_whitespace_is_collapsed():
    assert wrap("  a \n\t b  ", 10) == ["a b"]


def test_empty_text():
    assert wrap("   ", 10) == []


def test_indents_count_towards_width():
    lines = wrap(TEXT, 16, initial_indent="* ", subsequent_indent="  ")
    assert lines == ["* The quick", "  brown fox", "  jumps over the", "  lazy dog"]
    assert is_wrapped(lines, 16)


def test_indent_too_wide():
    with pytest.raises(WrapError):
        wrap(TEXT, 4, initial_indent="    ")


@pytest.mark.parametrize("word, width, pieces", [
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ("state-of-the-art", 10, ["state-of-", "the-art"]),
    ("-abc", 2, ["-a", "bc"]),
    ("short", 10, ["short"]),
])
def test_break_long_word(word, width, pieces):
    assert break_long_word(word, width) == pieces


def test_long_word_is_broken_inside_wrap():
    assert wrap("see https://example.org/a/very/long/path now", 12) == [
        "see", "https://exam", "ple.org/a/ve", "ry/long/path", "now"]


def test_long_word_can_overflow_when_not_breaking():
    assert wrap("a supercalifragilistic b", 8, break_long_words=False) == [
        "a", "supercalifragilistic", "b"]


def test_long_word_with_wider_subsequent_indent():
    lines = wrap("abcdefghijkl", 6, initial_indent="", subsequent_indent="   ")
    assert lines == ["abcdef", "   ghi", "   jkl"]


def test_fill_and_longest_line():
    text = fill(TEXT, 20)
    assert text == "The quick brown fox\njumps over the lazy\ndog"
    assert longest_line(text.splitlines()) == 19

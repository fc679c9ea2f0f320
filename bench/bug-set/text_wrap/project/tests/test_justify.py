import pytest

from justify import align, boxed, center_line, justify, justify_line


def test_justify_line_distributes_extra_spaces_left_first():
    assert justify_line("a b c d", 10) == "a  b  c  d"
    assert justify_line("a b c d", 11) == "a   b  c  d"


def test_justify_line_leaves_single_words():
    assert justify_line("word", 10) == "word"


def test_justify_keeps_last_line_ragged():
    text = "Lorem ipsum dolor sit amet consectetur"
    assert justify(text, 16) == "Lorem      ipsum\ndolor  sit  amet\nconsectetur"


@pytest.mark.parametrize("line, width, expected", [
    ("ab", 6, "  ab  "),
    ("ab", 5, " ab  "),
    ("toolong", 3, "toolong"),
])
def test_center_line(line, width, expected):
    assert center_line(line, width) == expected


def test_align_right():
    assert align("one two three", 9, "right") == "  one two\n    three"


def test_align_unknown():
    with pytest.raises(ValueError):
        align("x", 5, "diagonal")


def test_boxed():
    assert boxed("hello there world", 12) == (
        "+----------+\n"
        "| hello    |\n"
        "| there    |\n"
        "| world    |\n"
        "+----------+")

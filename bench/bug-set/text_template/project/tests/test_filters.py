import pytest

from filters import Markup, default, escape, first, join, last, pluralize, safe, truncate


def test_escape_special_characters():
    assert escape('<a href="x">Tom & Jerry\'s</a>') == (
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")


def test_escape_returns_markup():
    assert isinstance(escape("x"), Markup)
    assert escape(None) == ""
    assert escape(5) == "5"


def test_escape_leaves_markup_alone():
    assert escape(Markup("<b>ok</b>")) == "<b>ok</b>"
    assert escape(escape("a < b")) == "a &lt; b"


def test_safe():
    assert safe("<i>") == Markup("<i>")
    assert safe(None) == ""


@pytest.mark.parametrize("value, expected", [(None, "x"), ("", "x"), (0, 0), ("v", "v")])
def test_default(value, expected):
    assert default(value, "x") == expected


@pytest.mark.parametrize("text, length, expected", [
    ("short", 10, "short"),
    ("the quick brown fox", 12, "the quick..."),
    ("the quick brown fox", 11, "the..."),
    ("abcdefghijkl", 8, "abcde..."),
])
def test_truncate(text, length, expected):
    assert truncate(text, length) == expected


def test_small_filters():
    assert join([1, 2, 3], "-") == "1-2-3"
    assert pluralize(1) == "" and pluralize(2) == "s"
    assert pluralize(0, "y", "ies") == "ies"
    assert first("abc") == "a" and last([]) is None

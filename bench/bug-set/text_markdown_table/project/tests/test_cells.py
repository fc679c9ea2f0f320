import pytest

from mdtable.cells import (display_width, escape_cell, format_value, looks_numeric,
                           split_row, unescape_cell)


def test_display_width_counts_wide_and_combining():
    assert display_width("abc") == 3
    assert display_width("東京") == 4
    assert display_width("e\u0301") == 1


@pytest.mark.parametrize("value, expected", [
    (None, ""), (True, "yes"), (2.5, "2.5"),
])
def test_format_value(value, expected):
    assert format_value(value) == expected


def test_format_value_float_digits():
    assert format_value(2.0, float_digits=2) == "2.00"
    assert format_value(7, float_digits=2) == "7"


def test_escape_and_unescape():
    raw = "a|b\nc\\d"
    escaped = escape_cell(raw)
    assert escaped == "a\\|b<br>c\\\\d"
    assert unescape_cell(escaped) == raw


def test_split_row_respects_escaped_pipes():
    assert split_row("| a | b\\|c | |") == ["a", "b\\|c", ""]
    assert split_row("a | b") == ["a", "b"]


@pytest.mark.parametrize("text, expected", [
    ("-3.50", True), ("1,024", True), (".5", True), ("1.2.3", False), ("-", False),
])
def test_looks_numeric(text, expected):
    assert looks_numeric(text) is expected

import pytest

from mdtable.layout import (alignment_of, column_widths, infer_alignments,
                            normalize_alignments, pad, separator_cell)


def test_normalize_alignments():
    assert normalize_alignments("lr", 3) == ["left", "right", "none"]
    assert normalize_alignments(["center"], 1) == ["center"]
    assert normalize_alignments(None, 2) == ["none", "none"]


@pytest.mark.parametrize("spec", ["lrcl", ["middle"]])
def test_normalize_alignments_errors(spec):
    with pytest.raises(ValueError):
        normalize_alignments(spec, 3)


def test_infer_alignments():
    rows = [["apple", "3", ""], ["pear", "12.5", "x"]]
    assert infer_alignments(rows) == ["none", "right", "none"]


def test_column_widths_have_a_minimum():
    assert column_widths([["a", "long cell"], ["東京", ""]]) == [4, 9]


@pytest.mark.parametrize("align, expected", [
    ("left", "ab    "),
    ("right", "    ab"),
    ("center", "  ab  "),
])
def test_pad(align, expected):
    assert pad("ab", 6, align) == expected


def test_pad_uses_display_width():
    assert pad("東京", 6, "right") == "  東京"


def test_pad_never_truncates():
    assert pad("toolong", 3, "center") == "toolong"


@pytest.mark.parametrize("align", ["left", "right", "center"])
def test_separator_round_trip(align):
    assert alignment_of(separator_cell(5, align)) == align


def test_separator_shapes():
    assert separator_cell(5, "center") == ":---:"
    with pytest.raises(ValueError):
        alignment_of(":x:")

import pytest

from mdtable import parse_table, render, render_dicts


def test_render_plain():
    assert render(["name", "qty"], [["apple", 3], ["fig", 12]]) == (
        "| name  | qty |\n"
        "| ----- | --- |\n"
        "| apple | 3   |\n"
        "| fig   | 12  |")


def test_render_auto_alignment():
    assert render(["item", "price"], [["tea", 2.5], ["cake", 10]], align="auto") == (
        "| item | price |\n"
        "| ---- | ----: |\n"
        "| tea  |   2.5 |\n"
        "| cake |    10 |")


def test_render_centered_column():
    assert render(["status", "n"], [["ok", 1], ["failed", 20]], align="cl") == (
        "| status | n   |\n"
        "| :----: | :-- |\n"
        "|   ok   | 1   |\n"
        "| failed | 20  |")


def test_render_centered_odd_padding():
    assert render(["id", "state"], [[1, "open"], [2, "closed"]], align="rc") == (
        "|  id | state  |\n"
        "| --: | :----: |\n"
        "|   1 |  open  |\n"
        "|   2 | closed |")


def test_render_centered_header_with_wide_characters():
    assert render(["city", "pop"], [["東京", 14], ["Lima", 10]], align="cr") == (
        "| city | pop |\n"
        "| :--: | --: |\n"
        "| 東京 |  14 |\n"
        "| Lima |  10 |")


def test_short_rows_are_padded_and_long_rows_rejected():
    assert render(["a", "b"], [["x"]], align="ll").splitlines()[-1] == "| x   |     |"
    with pytest.raises(ValueError):
        render(["a"], [[1, 2]])


def test_escaping_in_cells():
    table = render(["expr"], [["a|b"], ["line1\nline2"]])
    assert table.splitlines()[2:] == ["| a\\|b           |", "| line1<br>line2 |"]


def test_float_digits_and_none():
    out = render(["v"], [[1.0], [None]], float_digits=2)
    assert out.splitlines()[2:] == ["| 1.00 |", "|      |"]


def test_compact_mode():
    assert render(["a", "bb"], [["long", 1]], align="lr", compact=True) == (
        "| a | bb |\n| :-- | --: |\n| long | 1 |")


def test_render_dicts_collects_columns():
    out = render_dicts([{"a": 1}, {"b": 2, "a": 3}])
    assert out.splitlines()[0] == "| a   | b   |"
    assert out.splitlines()[2] == "| 1   |     |"


def test_round_trip_through_parser():
    headers = ["name", "note", "score"]
    rows = [["Ann", "likes | pipes", "9.5"], ["Bob", "", "10"]]
    parsed = parse_table(render(headers, rows, align="lcr"))
    assert parsed == (headers, rows, ["left", "center", "right"])


def test_centered_title_column_layout():
    out = render(["title"], [["abcd"], ["ab"], ["abcdefg"]], align="c")
    assert out.splitlines()[2:] == ["|  abcd   |", "|   ab    |", "| abcdefg |"]


def test_parse_table_errors():
    with pytest.raises(ValueError):
        parse_table("| a |")
    with pytest.raises(ValueError):
        parse_table("| a | b |\n| --- |")

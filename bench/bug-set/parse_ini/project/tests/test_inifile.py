import pytest

from inifile import ParseError, dump, parse, strip_inline_comment


def test_basic_sections_and_keys():
    doc = parse("[server]\nHost = example.org\nport: 8080\n")
    assert doc["server"] == {"host": "example.org", "port": "8080"}
    assert doc["DEFAULT"] == {}


def test_comments_and_blank_lines_are_skipped():
    text = "# top\n\n[a]\n; note\nx = 1\n\n   \n"
    assert parse(text)["a"] == {"x": "1"}


@pytest.mark.parametrize("value, expected", [
    ("value # comment", "value"),
    ("#ff0000", ""),
    ("a#b", "a#b"),
    ("url;x", "url;x"),
])
def test_strip_inline_comment(value, expected):
    assert strip_inline_comment(value) == expected


def test_continuation_lines_join_with_newline():
    text = "[paths]\nsearch = /usr/lib\n    /opt/lib\n    /home/lib  # mine\n"
    assert parse(text)["paths"]["search"] == "/usr/lib\n/opt/lib\n/home/lib"


def test_continuation_of_empty_value_has_no_leading_newline():
    text = "[a]\nitems =\n  one\n  two\n"
    assert parse(text)["a"]["items"] == "one\ntwo"


def test_repeated_section_header_continues_section():
    doc = parse("[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n")
    assert doc["a"] == {"x": "1", "z": "3"}
    assert list(doc) == ["DEFAULT", "a", "b"]


def test_first_delimiter_wins():
    assert parse("[a]\nurl = http://h:80/x\n")["a"]["url"] == "http://h:80/x"
    assert parse("[a]\ntime: 12=noon\n")["a"]["time"] == "12=noon"


@pytest.mark.parametrize("text, lineno", [
    ("x = 1\n", 1),
    ("[a]\n  orphan\n", 2),
    ("[a]\nnovalue\n", 2),
    ("[a]\nx = 1\nX = 2\n", 3),
])
def test_errors_report_line_numbers(text, lineno):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.lineno == lineno


def test_continuation_after_header_is_an_error():
    with pytest.raises(ParseError):
        parse("[a]\nx = 1\n[b]\n   more\n")


def test_dump_round_trips():
    text = "[DEFAULT]\nuser = bob\n[a]\nx = 1\nlist = one\n    two\n"
    doc = parse(text)
    assert parse(dump(doc)) == doc

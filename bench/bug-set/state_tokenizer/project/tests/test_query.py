import pytest

from query import QueryError, compile_query, filter_records, lookup
from syntax import ParseError

TICKETS = [
    {"id": 1, "status": "open", "priority": 3, "tags": ["urgent", "db"], "owner": {"name": "ann"}},
    {"id": 2, "status": "closed", "priority": 1, "tags": [], "owner": {"name": "bob"}},
    {"id": 3, "status": "open", "priority": 1, "tags": ["ui"], "owner": None},
    {"id": 4, "status": "pending", "priority": 2, "tags": ["db"], "owner": {"name": "O'Hara"}},
]


def ids(text, records=TICKETS):
    return [r["id"] for r in filter_records(text, records)]


def test_equality():
    assert ids('status == "open"') == [1, 3]


def test_and_binds_tighter_than_or():
    assert ids('status == "closed" or status == "open" and priority >= 2') == [1, 2]


def test_parentheses():
    assert ids('(status == "closed" or status == "open") and priority >= 2') == [1]


def test_not():
    assert ids('not status == "open"') == [2, 4]


def test_in_list():
    assert ids('status in ["pending", "closed"]') == [2, 4]


def test_contains_on_list_field():
    assert ids('tags contains "db"') == [1, 4]


def test_nested_field_and_missing_parent():
    assert ids('owner.name == "ann"') == [1]
    assert ids("owner.name == null") == [3]


def test_comparison_with_missing_value_is_false():
    assert ids("estimate > 2") == []


def test_single_quoted_literal_with_escaped_quote():
    assert ids("owner.name == 'O\\'Hara'") == [4]


def test_double_quoted_literal_with_escaped_quotes():
    notes = [{"id": 1, "note": 'customer said "asap"'}, {"id": 2, "note": "asap"}]
    assert ids('note contains "said \\"asap\\""', notes) == [1]


def test_escaped_backslash():
    files = [{"id": 1, "path": "C:\\temp"}, {"id": 2, "path": "C:/temp"}]
    assert ids('path == "C:\\\\temp"', files) == [1]


def test_newline_escape():
    records = [{"id": 1, "body": "line one\nline two"}, {"id": 2, "body": "line one line two"}]
    assert ids('body contains "one\\nline"', records) == [1]


def test_compile_once_use_many():
    urgent = compile_query('tags contains "urgent" and priority > 2')
    assert urgent.source == 'tags contains "urgent" and priority > 2'
    assert [urgent(r) for r in TICKETS] == [True, False, False, False]


def test_float_and_negative_numbers():
    readings = [{"id": 1, "t": -3.5}, {"id": 2, "t": 0.25}, {"id": 3, "t": 7}]
    assert ids("t >= -1 and t < 7.0", readings) == [2]


def test_boolean_fields():
    flags = [{"id": 1, "archived": True}, {"id": 2, "archived": False}, {"id": 3}]
    assert ids("not archived", flags) == [2, 3]
    assert ids("archived == true", flags) == [1]


@pytest.mark.parametrize(
    "text",
    ['status ==', '(status == "open"', 'status == "open" priority', "[1, 2", "and"],
)
def test_syntax_errors(text):
    with pytest.raises(ParseError):
        compile_query(text)


def test_incomparable_values():
    with pytest.raises(QueryError):
        ids('priority < "high"')


def test_lookup_helper():
    assert lookup({"a": {"b": {"c": 5}}}, ("a", "b", "c")) == 5
    assert lookup({"a": 1}, ("a", "b")) is None

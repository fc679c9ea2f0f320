import pytest

from csvlite import Dialect, format_field, format_record, read_records, write_records
from csvlite.writer import column_widths, escape_preview, write_dicts


@pytest.mark.parametrize("value, expected", [
    ("plain", "plain"),
    ("a,b", '"a,b"'),
    (" padded", '" padded"'),
    ("two\nlines", '"two\nlines"'),
    (None, ""),
])
def test_format_field(value, expected):
    assert format_field(value) == expected


def test_single_empty_field_record():
    assert format_record([""]) == '""'
    assert format_record(["", ""]) == ","


def test_write_records_uses_lineterminator():
    assert write_records([["a", "b"]], Dialect(lineterminator="\n")) == "a,b\n"


def test_round_trip_with_awkward_values():
    records = [["id", "text"], ["1", 'He said "no", twice'], ["2", ""], [""]]
    assert read_records(write_records(records)) == records


def test_write_dicts_rejects_unknown_fields():
    with pytest.raises(ValueError):
        write_dicts([{"a": 1, "z": 2}], ["a"])


def test_previews():
    assert escape_preview("x\ny") == "x\\ny"
    assert escape_preview("abcdefghij", width=6) == "abc..."
    assert column_widths([["a", "bbb"], ["cc"]]) == [2, 3]

import pytest

from csvlite import CsvError, Dialect, read_records


def test_simple_records():
    assert read_records("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]]


@pytest.mark.parametrize("text", ["a,b\r\nc,d\r\n", "a,b\nc,d", "a,b\rc,d\r"])
def test_line_endings(text):
    assert read_records(text) == [["a", "b"], ["c", "d"]]


def test_blank_lines_are_skipped():
    assert read_records("a\n\n\nb\n") == [["a"], ["b"]]


def test_empty_fields_and_trailing_delimiter():
    assert read_records(",x,,\n") == [["", "x", "", ""]]


def test_quoted_field_with_delimiter_and_newline():
    text = 'id,note\n1,"first, second\nthird"\n'
    assert read_records(text) == [["id", "note"], ["1", "first, second\nthird"]]


def test_doubled_quote_inside_quoted_field():
    assert read_records('"say ""hi""",x\n') == [['say "hi"', "x"]]


def test_single_empty_quoted_field_is_a_record():
    assert read_records('""\n') == [[""]]


def test_skip_initial_space():
    dialect = Dialect(skip_initial_space=True)
    assert read_records('a, b,  "c"\n', dialect) == [["a", "b", "c"]]


def test_custom_delimiter_and_quote():
    dialect = Dialect(delimiter=";", quotechar="'")
    assert read_records("'a;b';c\n", dialect) == [["a;b", "c"]]


def test_unterminated_quote_reports_line():
    with pytest.raises(CsvError) as info:
        read_records('a\n"open,\nstill open\n')
    assert info.value.line == 4


@pytest.mark.parametrize("text", ['"ab"c,d\n', 'ab"c,d\n'])
def test_strict_rejects_stray_quotes(text):
    with pytest.raises(CsvError):
        read_records(text)


def test_lenient_keeps_stray_characters():
    dialect = Dialect(strict=False)
    assert read_records('"ab"c,d"e\n', dialect) == [["abc", 'd"e']]

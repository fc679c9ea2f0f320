import pytest

from csvlite import EXCEL, Dialect, Table, TableError, sniff_delimiter

PEOPLE = (
    "name,age,city\r\n"
    "Ann,34,Oslo\r\n"
    'Bob,,"Rio de Janeiro, RJ"\r\n'
    '"Cy ""The Kid"" Lee",19,Lima\r\n'
)


def test_types_and_empty_values():
    table = Table.from_text(PEOPLE, types={"age": int})
    assert table.column("age") == [34, None, 19]


def test_quoted_names_survive():
    table = Table.from_text(PEOPLE)
    assert table.column("name") == ["Ann", "Bob", 'Cy "The Kid" Lee']


def test_where_and_select():
    table = Table.from_text(PEOPLE, types={"age": int})
    adults = table.where(lambda r: (r["age"] or 0) >= 21).select(["city"])
    assert adults.rows == [{"city": "Oslo"}]


def test_to_text_round_trip():
    table = Table.from_text(PEOPLE)
    assert Table.from_text(table.to_text()).rows == table.rows


@pytest.mark.parametrize("sample, expected", [
    ("a;b;c\n1;2;3\n", ";"),
    ("a\tb\n1\t2\n", "\t"),
    ('a,"x;y"\n1,2\n', ","),
])
def test_sniff_delimiter(sample, expected):
    assert sniff_delimiter(sample) == expected


def test_sniff_fails_without_consistent_delimiter():
    with pytest.raises(ValueError):
        sniff_delimiter("a,b\nc\n")


def test_semicolon_file_is_sniffed():
    table = Table.from_text("x;y\n1;2\n")
    assert table.rows == [{"x": "1", "y": "2"}]


def test_ragged_rows():
    text = "a,b,c\n1,2\n"
    with pytest.raises(TableError):
        Table.from_text(text, dialect=EXCEL)
    assert Table.from_text(text, dialect=EXCEL, fill_missing=True).rows == [
        {"a": "1", "b": "2", "c": None}]
    with pytest.raises(TableError):
        Table.from_text("a\n1,2\n", dialect=EXCEL)


@pytest.mark.parametrize("header", ["a,,b\n", "a,b,a\n", ""])
def test_bad_headers(header):
    with pytest.raises(TableError):
        Table.from_text(header, dialect=EXCEL)


def test_conversion_error_names_row_and_column():
    with pytest.raises(TableError, match=r"row 3, column 'n'"):
        Table.from_text("n\n1\nx\n", types={"n": int}, dialect=EXCEL)


def test_dialect_validation():
    with pytest.raises(ValueError):
        Dialect(delimiter=",", quotechar=",")
    with pytest.raises(ValueError):
        Dialect(delimiter="ab")

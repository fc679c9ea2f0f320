"""Tables with a header row on top of :mod:`csvlite.reader`."""

from __future__ import annotations

from typing import Callable, Iterable

from csvlite.dialect import EXCEL, Dialect, sniff_delimiter
from csvlite.reader import read_records
from csvlite.writer import write_dicts


class TableError(ValueError):
    """Structural problem: bad header, ragged row, failed conversion."""


def _convert(value: str, kind: Callable[[str], object], column: str, rowno: int):
    if value == "":
        return None
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise TableError(f"row {rowno}, column {column!r}: cannot convert {value!r}") from exc


class Table:
    """Rows as dictionaries keyed by the header's column names."""

    def __init__(self, columns: list[str], rows: list[dict]):
        self.columns = columns
        self.rows = rows

    @classmethod
    def from_text(cls, text: str, dialect: Dialect | None = None,
                  types: dict[str, Callable[[str], object]] | None = None,
                  fill_missing: bool = False) -> "Table":
        """Parse *text* whose first record is the header.

        *dialect* defaults to EXCEL with a sniffed delimiter.  *types* maps
        column names to converters; empty fields become ``None`` instead of
        being converted.  Rows shorter than the header are an error unless
        *fill_missing* is true (they are then padded with ``None``); longer
        rows are always an error.
        """
        if dialect is None:
            first_lines = "\n".join(text.splitlines()[:5])
            dialect = EXCEL.replace(delimiter=sniff_delimiter(first_lines))
        records = read_records(text, dialect)
        if not records:
            raise TableError("no header row")
        columns = [name.strip() for name in records[0]]
        if any(not name for name in columns):
            raise TableError("empty column name in header")
        duplicates = sorted({c for c in columns if columns.count(c) > 1})
        if duplicates:
            raise TableError(f"duplicate column names: {duplicates}")
        types = types or {}
        unknown = set(types) - set(columns)
        if unknown:
            raise TableError(f"types given for unknown columns: {sorted(unknown)}")

        rows = []
        for rowno, record in enumerate(records[1:], start=2):
            if len(record) > len(columns):
                raise TableError(f"row {rowno} has {len(record)} fields, expected {len(columns)}")
            if len(record) < len(columns):
                if not fill_missing:
                    raise TableError(f"row {rowno} has {len(record)} fields, expected {len(columns)}")
            row = {}
            for i, name in enumerate(columns):
                if i >= len(record):
                    row[name] = None
                elif name in types:
                    row[name] = _convert(record[i], types[name], name, rowno)
                else:
                    row[name] = record[i]
            rows.append(row)
        return cls(columns, rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list:
        if name not in self.columns:
            raise KeyError(name)
        return [row[name] for row in self.rows]

    def where(self, predicate: Callable[[dict], bool]) -> "Table":
        return Table(list(self.columns), [row for row in self.rows if predicate(row)])

    def select(self, names: Iterable[str]) -> "Table":
        names = list(names)
        for name in names:
            if name not in self.columns:
                raise KeyError(name)
        return Table(names, [{n: row[n] for n in names} for row in self.rows])

    def to_text(self, dialect: Dialect = EXCEL) -> str:
        return write_dicts(self.rows, self.columns, dialect)

"""Serialise records so that :mod:`csvlite.reader` reads them back unchanged."""

from __future__ import annotations

from typing import Iterable

from csvlite.dialect import EXCEL, Dialect


def needs_quotes(value: str, dialect: Dialect = EXCEL) -> bool:
    """True when *value* cannot be written bare."""
    if value == "":
        return False
    if value != value.strip(" "):
        return True
    return any(ch in value for ch in (dialect.delimiter, dialect.quotechar, "\r", "\n"))


def format_field(value, dialect: Dialect = EXCEL) -> str:
    """Render one field; ``None`` becomes an empty field."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not needs_quotes(text, dialect):
        return text
    q = dialect.quotechar
    return q + text.replace(q, q + q) + q


def format_record(values: Iterable, dialect: Dialect = EXCEL) -> str:
    """Render one record without its line terminator.

    A record consisting of a single empty field is written as ``""`` so that
    it does not turn into a blank line (which readers skip).
    """
    fields = [format_field(v, dialect) for v in values]
    if fields == [""]:
        return dialect.quotechar * 2
    return dialect.delimiter.join(fields)


def write_records(records: Iterable[Iterable], dialect: Dialect = EXCEL) -> str:
    """Render all *records*, each followed by the dialect's line terminator."""
    return "".join(format_record(r, dialect) + dialect.lineterminator for r in records)


def write_dicts(rows: Iterable[dict], fieldnames: list[str],
                dialect: Dialect = EXCEL, header: bool = True) -> str:
    """Render dictionaries in *fieldnames* order; missing keys become empty."""
    out = [fieldnames] if header else []
    for row in rows:
        unknown = set(row) - set(fieldnames)
        if unknown:
            raise ValueError(f"row has fields not in fieldnames: {sorted(unknown)}")
        out.append([row.get(name) for name in fieldnames])
    return write_records(out, dialect)


def escape_preview(value: str, width: int = 20) -> str:
    """Short single-line preview of a field for error messages."""
    flat = value.replace("\r", "\\r").replace("\n", "\\n")
    if len(flat) <= width:
        return flat
    return flat[: width - 3] + "..."


def column_widths(records: list[list[str]]) -> list[int]:
    """Widest preview per column, useful for pretty-printing a sample."""
    widths: list[int] = []
    for record in records:
        for i, value in enumerate(record):
            w = len(escape_preview(value))
            if i == len(widths):
                widths.append(w)
            elif w > widths[i]:
                widths[i] = w
    return widths

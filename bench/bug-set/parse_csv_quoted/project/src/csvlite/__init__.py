"""A small, strict CSV toolkit."""

from csvlite.dialect import EXCEL, EXCEL_TAB, Dialect, sniff_delimiter
from csvlite.reader import CsvError, iter_records, read_records
from csvlite.table import Table, TableError
from csvlite.writer import format_field, format_record, write_records

__all__ = [
    "CsvError", "Dialect", "EXCEL", "EXCEL_TAB", "Table", "TableError",
    "format_field", "format_record", "iter_records", "read_records",
    "sniff_delimiter", "write_records",
]

"""Character-level CSV reader (RFC 4180 plus a few common extensions)."""

from __future__ import annotations

from typing import Iterator

from csvlite.dialect import EXCEL, Dialect

START_FIELD = "start_field"
IN_FIELD = "in_field"
IN_QUOTED = "in_quoted"
QUOTE_IN_QUOTED = "quote_in_quoted"


class CsvError(ValueError):
    """Malformed CSV; ``line`` is the 1-based physical line of the problem."""

    def __init__(self, message: str, line: int):
        super().__init__(f"line {line}: {message}")
        self.line = line


def iter_records(text: str, dialect: Dialect = EXCEL) -> Iterator[list[str]]:
    """Yield the records of *text* as lists of strings.

    * Fields may be quoted; inside quotes, delimiters and line breaks are
      literal and a doubled quote stands for one quote character.
    * ``\\r\\n``, ``\\n`` and a lone ``\\r`` all end a record.
    * Blank lines are skipped; a trailing delimiter yields a final empty
      field.
    """
    delim = dialect.delimiter
    quote = dialect.quotechar
    record: list[str] = []
    field: list[str] = []
    state = START_FIELD
    line = 1
    record_started = False
    skip_lf = False

    def end_field() -> None:
        record.append("".join(field))
        field.clear()

    for ch in text:
        if skip_lf:
            skip_lf = False
            if ch == "\n":
                continue
        if ch in "\r\n" and state != IN_QUOTED:
            if record_started:
                end_field()
                yield record[:]
                record.clear()
            record_started = False
            state = START_FIELD
            skip_lf = ch == "\r"
            line += 1
            continue
        if ch == "\n":
            line += 1

        record_started = True
        if state == START_FIELD:
            if ch == quote:
                state = IN_QUOTED
            elif ch == delim:
                end_field()
            elif ch == " " and dialect.skip_initial_space:
                pass
            else:
                field.append(ch)
                state = IN_FIELD
        elif state == IN_FIELD:
            if ch == delim:
                end_field()
                state = START_FIELD
            elif ch == quote and dialect.strict:
                raise CsvError("quote character inside an unquoted field", line)
            else:
                field.append(ch)
        elif state == IN_QUOTED:
            if ch == quote:
                state = QUOTE_IN_QUOTED
            else:
                field.append(ch)
        else:  # QUOTE_IN_QUOTED: the previous character was a quote
            if ch == quote:
                field.append(quote)
                state = IN_QUOTED
            elif ch == delim:
                end_field()
                state = START_FIELD
            elif dialect.strict:
                raise CsvError(f"unexpected {ch!r} after closing quote", line)
            else:
                field.append(ch)
                state = IN_FIELD

    if state == IN_QUOTED:
        raise CsvError("unterminated quoted field", line)
    if record_started:
        end_field()
        yield record[:]


def read_records(text: str, dialect: Dialect = EXCEL) -> list[list[str]]:
    """Return all records of *text* as a list."""
    return list(iter_records(text, dialect))

"""Rendering rows to a Markdown table and parsing one back."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from mdtable.cells import escape_cell, format_value, split_row, unescape_cell
from mdtable.layout import (alignment_of, column_widths, infer_alignments,
                            normalize_alignments, pad, separator_cell)


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(headers: Sequence, rows: Iterable[Sequence], align=None,
           float_digits: int | None = None, compact: bool = False) -> str:
    """Render a table.

    *align* is a string of ``l``/``r``/``c``/``-`` letters, a list of names,
    ``None`` (no alignment markers) or ``"auto"`` (numeric columns right).
    Rows shorter than the header are padded with empty cells; longer rows
    are an error.  With *compact*, cells are not padded to equal widths.
    """
    head = [escape_cell(format_value(h)) for h in headers]
    body = []
    for n, row in enumerate(rows, start=1):
        cells = [escape_cell(format_value(v, float_digits)) for v in row]
        if len(cells) > len(head):
            raise ValueError(f"row {n} has {len(cells)} cells but there are {len(head)} headers")
        body.append(cells + [""] * (len(head) - len(cells)))

    if align == "auto":
        aligns = infer_alignments(body) or ["none"] * len(head)
    else:
        aligns = normalize_alignments(align, len(head))

    if compact:
        lines = [_line(head), _line(separator_cell(3, a) for a in aligns)]
        lines.extend(_line(row) for row in body)
        return "\n".join(lines)

    widths = column_widths([head] + body)
    lines = [
        _line(pad(cell, w, a) for cell, w, a in zip(head, widths, aligns)),
        _line(separator_cell(w, a) for w, a in zip(widths, aligns)),
    ]
    for row in body:
        lines.append(_line(pad(cell, w, a) for cell, w, a in zip(row, widths, aligns)))
    return "\n".join(lines)


def render_dicts(records: Iterable[Mapping], columns: Sequence[str] | None = None,
                 **options) -> str:
    """Render dictionaries; *columns* defaults to keys in first-seen order."""
    records = list(records)
    if columns is None:
        columns = list(dict.fromkeys(key for record in records for key in record))
    rows = [[record.get(c) for c in columns] for record in records]
    return render(columns, rows, **options)


def parse_table(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Read a Markdown table: ``(headers, rows, alignments)``.

    Cells are unescaped; rows with fewer cells are padded with ``""``.
    """
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        raise ValueError("a table needs a header and a delimiter row")
    headers = [unescape_cell(c) for c in split_row(lines[0])]
    aligns = [alignment_of(c) for c in split_row(lines[1])]
    if len(aligns) != len(headers):
        raise ValueError("delimiter row does not match the header")
    rows = []
    for line in lines[2:]:
        cells = [unescape_cell(c) for c in split_row(line)][:len(headers)]
        rows.append(cells + [""] * (len(headers) - len(cells)))
    return headers, rows, aligns

"""Column widths, alignment and padding."""

from __future__ import annotations

from mdtable.cells import display_width, looks_numeric

ALIGNMENTS = ("left", "right", "center", "none")
_SHORT = {"l": "left", "r": "right", "c": "center", "-": "none"}
MIN_WIDTH = 3


def normalize_alignments(spec, count: int) -> list[str]:
    """Accept ``"lrc"``, ``["left", "right"]`` or ``None`` and return exactly
    *count* alignment names (missing entries become ``none``)."""
    if spec is None:
        names = []
    elif isinstance(spec, str):
        try:
            names = [_SHORT[ch] for ch in spec]
        except KeyError as exc:
            raise ValueError(f"unknown alignment letter {exc.args[0]!r}") from None
    else:
        names = list(spec)
    for name in names:
        if name not in ALIGNMENTS:
            raise ValueError(f"unknown alignment {name!r}")
    if len(names) > count:
        raise ValueError(f"{len(names)} alignments for {count} columns")
    return names + ["none"] * (count - len(names))


def infer_alignments(rows: list[list[str]]) -> list[str]:
    """Right-align columns whose non-empty body cells are all numeric."""
    if not rows:
        return []
    result = []
    for column in zip(*rows):
        values = [v for v in column if v]
        result.append("right" if values and all(map(looks_numeric, values)) else "none")
    return result


def column_widths(rows: list[list[str]], minimum: int = MIN_WIDTH) -> list[int]:
    """Display width of the widest cell of every column (at least *minimum*)."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row):
            w = max(display_width(cell), minimum)
            if i == len(widths):
                widths.append(w)
            elif w > widths[i]:
                widths[i] = w
    return widths


def pad(text: str, width: int, align: str) -> str:
    """Pad *text* with spaces to *width* display columns.

    ``center`` puts the odd extra space on the right; ``none`` pads like
    ``left``.
    """
    extra = width - display_width(text)
    if extra <= 0:
        return text
    if align == "right":
        return " " * extra + text
    if align == "center":
        left = extra // 2
        return " " * left + text + " " * (extra - left)
    return text + " " * extra


def separator_cell(width: int, align: str) -> str:
    """The dashes of the delimiter row, e.g. ``:----:`` for ``center``."""
    if width < MIN_WIDTH:
        raise ValueError(f"separator needs at least {MIN_WIDTH} columns")
    if align == "left":
        return ":" + "-" * (width - 1)
    if align == "right":
        return "-" * (width - 1) + ":"
    if align == "center":
        return ":" + "-" * (width - 2) + ":"
    return "-" * width


def alignment_of(separator: str) -> str:
    """Inverse of :func:`separator_cell`."""
    cell = separator.strip()
    if not cell or cell.strip(":-") or "-" not in cell:
        raise ValueError(f"not a delimiter cell: {separator!r}")
    starts, ends = cell.startswith(":"), cell.endswith(":")
    if starts and ends:
        return "center"
    if starts:
        return "left"
    if ends:
        return "right"
    return "none"

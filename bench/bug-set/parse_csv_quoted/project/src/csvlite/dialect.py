"""CSV dialect description and delimiter sniffing."""

from __future__ import annotations

from dataclasses import dataclass

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is laid out.

    ``strict`` makes the reader reject characters between a closing quote and
    the next delimiter (``"ab"c``) instead of silently keeping them.
    """

    delimiter: str = ","
    quotechar: str = '"'
    skip_initial_space: bool = False
    strict: bool = True
    lineterminator: str = "\r\n"

    def __post_init__(self) -> None:
        for name in ("delimiter", "quotechar"):
            value = getattr(self, name)
            if len(value) != 1:
                raise ValueError(f"{name} must be a single character, got {value!r}")
            if value in "\r\n":
                raise ValueError(f"{name} cannot be a line break")
        if self.delimiter == self.quotechar:
            raise ValueError("delimiter and quotechar must differ")
        if self.lineterminator not in ("\r\n", "\n"):
            raise ValueError("lineterminator must be '\\r\\n' or '\\n'")

    def replace(self, **changes) -> "Dialect":
        values = {
            "delimiter": self.delimiter,
            "quotechar": self.quotechar,
            "skip_initial_space": self.skip_initial_space,
            "strict": self.strict,
            "lineterminator": self.lineterminator,
        }
        values.update(changes)
        return Dialect(**values)


EXCEL = Dialect()
EXCEL_TAB = Dialect(delimiter="\t")


def _count_outside_quotes(line: str, char: str, quotechar: str) -> int:
    count = 0
    quoted = False
    for ch in line:
        if ch == quotechar:
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def sniff_delimiter(sample: str, quotechar: str = '"') -> str:
    """Guess the delimiter of *sample*.

    A candidate qualifies when it occurs, outside quotes, the same non-zero
    number of times on every non-blank line of the sample.  Among qualifying
    candidates the most frequent wins; ties go to the earlier candidate in
    :data:`CANDIDATE_DELIMITERS`.
    """
    lines = [line for line in sample.splitlines() if line.strip()]
    if not lines:
        raise ValueError("cannot sniff an empty sample")
    best, best_count = None, 0
    for candidate in CANDIDATE_DELIMITERS:
        counts = {_count_outside_quotes(line, candidate, quotechar) for line in lines}
        if len(counts) != 1:
            continue
        (count,) = counts
        if count > best_count:
            best, best_count = candidate, count
    if best is None:
        raise ValueError("could not determine delimiter")
    return best

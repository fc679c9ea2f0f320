"""Parse INI-style configuration text into plain dictionaries.

The accepted dialect is deliberately small:

* ``[section]`` headers (names are case sensitive, surrounding blanks ignored);
* ``key = value`` or ``key: value`` pairs, keys are lower-cased;
* full-line comments starting with ``#`` or ``;``;
* inline comments, but only when the ``#``/``;`` is preceded by whitespace,
  so that ``colour = #ff0000`` keeps its value;
* continuation lines: an indented line extends the previous value, joined
  with a newline;
* a ``[DEFAULT]`` section whose keys every other section inherits.
"""

from __future__ import annotations

DEFAULT_SECTION = "DEFAULT"
COMMENT_PREFIXES = ("#", ";")


class ParseError(ValueError):
    """Raised for malformed input; carries the 1-based line number."""

    def __init__(self, message: str, lineno: int):
        super().__init__(f"line {lineno}: {message}")
        self.lineno = lineno


def strip_inline_comment(value: str) -> str:
    """Remove a trailing ``# ...`` or ``; ...`` comment from *value*.

    A comment marker only counts when it starts the value or follows a
    whitespace character; ``a#b`` is an ordinary value.
    """
    for i, ch in enumerate(value):
        if ch in COMMENT_PREFIXES and (i == 0 or value[i - 1].isspace()):
            return value[:i].rstrip()
    return value.rstrip()


def _split_pair(line: str, lineno: int) -> tuple[str, str]:
    """Split ``key = value`` / ``key: value`` on the first delimiter."""
    positions = [p for p in (line.find("="), line.find(":")) if p != -1]
    if not positions:
        raise ParseError(f"expected 'key = value', got {line.strip()!r}", lineno)
    cut = min(positions)
    key = line[:cut].strip().lower()
    if not key:
        raise ParseError("empty key", lineno)
    return key, strip_inline_comment(line[cut + 1:].strip())


def parse(text: str) -> dict[str, dict[str, str]]:
    """Parse *text* and return ``{section: {key: raw_value}}``.

    The ``DEFAULT`` section is always present (possibly empty) and is not
    merged into the other sections here; :mod:`config` does the lookup.
    Repeating a section header continues that section; repeating a key
    inside one section is an error.
    """
    sections: dict[str, dict[str, str]] = {DEFAULT_SECTION: {}}
    current: dict[str, str] | None = None
    last_key: str | None = None

    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(COMMENT_PREFIXES):
            continue

        if raw[0].isspace():
            if current is None or last_key is None:
                raise ParseError("continuation line without a key", lineno)
            extra = strip_inline_comment(stripped)
            current[last_key] = (
                f"{current[last_key]}\n{extra}" if current[last_key] else extra
            )
            continue

        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise ParseError("unterminated section header", lineno)
            name = stripped[1:-1].strip()
            if not name:
                raise ParseError("empty section name", lineno)
            current = sections.setdefault(name, {})
            last_key = None
            continue

        if current is None:
            raise ParseError("key outside of any section", lineno)
        key, value = _split_pair(stripped, lineno)
        if key in current:
            raise ParseError(f"duplicate key {key!r}", lineno)
        current[key] = value
        last_key = key

    return sections


def dump(sections: dict[str, dict[str, str]]) -> str:
    """Serialise *sections* back to INI text (round-trips with :func:`parse`)."""
    chunks = []
    for name, values in sections.items():
        if name == DEFAULT_SECTION and not values:
            continue
        lines = [f"[{name}]"]
        for key, value in values.items():
            first, *rest = value.split("\n")
            lines.append(f"{key} = {first}".rstrip())
            lines.extend(f"    {part}" for part in rest)
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + ("\n" if chunks else "")

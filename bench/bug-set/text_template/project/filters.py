"""Built-in filters and HTML escaping."""

from __future__ import annotations

from typing import Callable


class Markup(str):
    """A string that is already safe to insert into HTML."""

    def __repr__(self) -> str:
        return f"Markup({str.__repr__(self)})"


def escape(value) -> Markup:
    """HTML-escape *value*; :class:`Markup` passes through untouched."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    return Markup(
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&#39;")
    )


def safe(value) -> Markup:
    """Mark *value* as safe: it will not be escaped on output."""
    return value if isinstance(value, Markup) else Markup("" if value is None else value)


def default(value, fallback=""):
    """*fallback* when *value* is ``None`` or an empty string."""
    return fallback if value is None or value == "" else value


def truncate(value, length: int = 30, end: str = "...") -> str:
    """Shorten to *length* characters (including *end*), cutting at a space
    when there is one in the kept part."""
    text = str(value)
    if len(text) <= length:
        return text
    cut = max(length - len(end), 0)
    kept = text[:cut]
    if text[cut:cut + 1] != " " and " " in kept:
        kept = kept[: kept.rindex(" ")]
    return kept.rstrip() + end


def join(value, sep: str = ", ") -> str:
    """Join the string forms of the items of *value* with *sep*."""
    return sep.join(str(item) for item in value)


def pluralize(count, singular: str = "", plural: str = "s") -> str:
    return singular if count == 1 else plural


def first(value):
    return next(iter(value), None)


def last(value):
    items = list(value)
    return items[-1] if items else None


FILTERS: dict[str, Callable] = {
    "escape": escape,
    "e": escape,
    "safe": safe,
    "default": default,
    "upper": lambda v: str(v).upper(),
    "lower": lambda v: str(v).lower(),
    "title": lambda v: str(v).title(),
    "trim": lambda v: str(v).strip(),
    "length": len,
    "truncate": truncate,
    "join": join,
    "pluralize": pluralize,
    "first": first,
    "last": last,
}

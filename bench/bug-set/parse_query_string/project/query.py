"""Parsing and building ``application/x-www-form-urlencoded`` query strings."""

from __future__ import annotations

from typing import Iterable, Mapping

from percent import quote, unquote


class QueryError(ValueError):
    """The query string violates the requested limits or strictness."""


def _decode_component(text: str, strict: bool) -> str:
    """Form-decode a key or value: ``+`` is a space, then percent escapes."""
    return unquote(text.replace("+", " "), strict=strict)


def parse_qsl(qs: str, keep_blank_values: bool = False, strict: bool = False,
              max_fields: int | None = None, separator: str = "&") -> list[tuple[str, str]]:
    """Split a query string into ``(key, value)`` pairs, in order.

    * A leading ``?`` is ignored, as are empty chunks (``a=1&&b=2``).
    * ``key`` without ``=`` and ``key=`` both have an empty value; such
      pairs are dropped unless *keep_blank_values* is true.
    * With *strict*, a chunk with an empty key or a malformed escape raises
      :class:`QueryError`; otherwise the chunk is kept as best as possible.
    * *max_fields* bounds the number of chunks (denial-of-service guard).
    """
    if qs.startswith("?"):
        qs = qs[1:]
    chunks = [c for c in qs.split(separator) if c]
    if max_fields is not None and len(chunks) > max_fields:
        raise QueryError(f"too many fields: {len(chunks)} > {max_fields}")
    pairs = []
    for chunk in chunks:
        key, sep, value = chunk.partition("=")
        if not key:
            if strict:
                raise QueryError(f"empty key in {chunk!r}")
            if not value:
                continue
        if not value and not keep_blank_values:
            continue
        try:
            pairs.append((_decode_component(key, strict), _decode_component(value, strict)))
        except ValueError as exc:
            raise QueryError(str(exc)) from exc
    return pairs


def parse_qs(qs: str, **options) -> dict[str, list[str]]:
    """Like :func:`parse_qsl` but groups the values of repeated keys."""
    result: dict[str, list[str]] = {}
    for key, value in parse_qsl(qs, **options):
        result.setdefault(key, []).append(value)
    return result


def urlencode(query: Mapping | Iterable[tuple[str, object]], doseq: bool = True) -> str:
    """Encode a mapping or a sequence of pairs.

    With *doseq*, list/tuple values produce one pair per element.  ``None``
    values produce a bare key.  Everything else is converted with ``str``.
    """
    items = query.items() if isinstance(query, Mapping) else query
    parts = []
    for key, value in items:
        k = quote(str(key), plus=True)
        values = value if doseq and isinstance(value, (list, tuple)) else [value]
        for v in values:
            if v is None:
                parts.append(k)
            else:
                parts.append(f"{k}={quote(str(v), plus=True)}")
    return "&".join(parts)


def split_url(url: str) -> tuple[str, str, str]:
    """``'p?q#f'`` -> ``('p', 'q', 'f')``; missing parts are empty strings."""
    url, _, fragment = url.partition("#")
    base, _, query = url.partition("?")
    return base, query, fragment


def merge_query(url: str, updates: Mapping[str, object]) -> str:
    """Return *url* with *updates* applied to its query.

    Existing keys named in *updates* are removed first; a value of ``None``
    just removes the key.  Other keys keep their order and blank values.
    """
    base, query, fragment = split_url(url)
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in updates]
    pairs.extend((k, v) for k, v in updates.items() if v is not None)
    new_query = urlencode(pairs)
    result = base + ("?" + new_query if new_query else "")
    return result + ("#" + fragment if fragment else "")

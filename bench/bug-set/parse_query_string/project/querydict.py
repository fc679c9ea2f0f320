"""An ordered multi-valued mapping for query parameters."""

from __future__ import annotations

from typing import Iterator

from query import parse_qsl, urlencode

_MISSING = object()


class QueryDict:
    """Keeps every ``(key, value)`` pair in order; keys may repeat."""

    def __init__(self, pairs=()):
        self._pairs: list[tuple[str, str]] = [(str(k), str(v)) for k, v in pairs]

    @classmethod
    def from_string(cls, qs: str, keep_blank_values: bool = True) -> "QueryDict":
        return cls(parse_qsl(qs, keep_blank_values=keep_blank_values))

    def __len__(self) -> int:
        return len(self._pairs)

    def __contains__(self, key: str) -> bool:
        return any(k == key for k, _ in self._pairs)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __eq__(self, other) -> bool:
        if not isinstance(other, QueryDict):
            return NotImplemented
        return self._pairs == other._pairs

    def __repr__(self) -> str:
        return f"QueryDict({self._pairs!r})"

    def keys(self) -> list[str]:
        """Distinct keys in order of first appearance."""
        return list(dict.fromkeys(k for k, _ in self._pairs))

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def get(self, key: str, default=None):
        """The *last* value for *key* (later parameters override earlier)."""
        for k, v in reversed(self._pairs):
            if k == key:
                return v
        return default

    def getall(self, key: str) -> list[str]:
        return [v for k, v in self._pairs if k == key]

    def add(self, key: str, value) -> None:
        self._pairs.append((str(key), str(value)))

    def set(self, key: str, value) -> None:
        """Replace all values of *key* by one, at the position of the first."""
        new_pairs = []
        placed = False
        for k, v in self._pairs:
            if k != key:
                new_pairs.append((k, v))
            elif not placed:
                new_pairs.append((k, str(value)))
                placed = True
        if not placed:
            new_pairs.append((str(key), str(value)))
        self._pairs = new_pairs

    def pop(self, key: str, default=_MISSING) -> list[str]:
        """Remove *key* and return all its values."""
        values = self.getall(key)
        if not values:
            if default is _MISSING:
                raise KeyError(key)
            return default
        self._pairs = [(k, v) for k, v in self._pairs if k != key]
        return values

    def copy(self) -> "QueryDict":
        return QueryDict(self._pairs)

    def to_string(self, sort: bool = False) -> str:
        """Encode back to a query string; *sort* orders by key (stable)."""
        pairs = sorted(self._pairs, key=lambda p: p[0]) if sort else self._pairs
        return urlencode(pairs)

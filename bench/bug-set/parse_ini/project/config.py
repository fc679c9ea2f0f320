"""High-level, typed access to INI configuration."""

from __future__ import annotations

from inifile import DEFAULT_SECTION, parse
from interp import resolve

_MISSING = object()

TRUE_WORDS = frozenset({"1", "yes", "true", "on"})
FALSE_WORDS = frozenset({"0", "no", "false", "off"})


class Config:
    """Read-only view over parsed INI text with interpolation and typing."""

    def __init__(self, sections: dict[str, dict[str, str]]):
        self._sections = sections

    @classmethod
    def from_string(cls, text: str) -> "Config":
        return cls(parse(text))

    def sections(self) -> list[str]:
        """Section names in file order, without DEFAULT."""
        return [name for name in self._sections if name != DEFAULT_SECTION]

    def has_option(self, section: str, key: str) -> bool:
        key = key.lower()
        if key in self._sections.get(DEFAULT_SECTION, {}):
            return True
        return key in self._sections.get(section, {})

    def get(self, section: str, key: str, fallback=_MISSING, raw: bool = False) -> str:
        """Return the value of *key* in *section*.

        Values are interpolated unless *raw* is true.  A missing key raises
        ``KeyError`` unless *fallback* is given.
        """
        key = key.lower()
        if section != DEFAULT_SECTION and section not in self._sections:
            if fallback is not _MISSING:
                return fallback
            raise KeyError(f"no section [{section}]")
        if not self.has_option(section, key):
            if fallback is not _MISSING:
                return fallback
            raise KeyError(f"[{section}] has no key {key!r}")
        if raw:
            values = self._sections.get(section, {})
            return values.get(key, self._sections[DEFAULT_SECTION].get(key))
        return resolve(self._sections, section, key)

    def getint(self, section: str, key: str, fallback=_MISSING) -> int:
        value = self.get(section, key, fallback=None)
        if value is None:
            if fallback is _MISSING:
                raise KeyError(f"[{section}] has no key {key!r}")
            return fallback
        return int(value.replace("_", ""))

    def getfloat(self, section: str, key: str, fallback=_MISSING) -> float:
        value = self.get(section, key, fallback=None)
        if value is None:
            if fallback is _MISSING:
                raise KeyError(f"[{section}] has no key {key!r}")
            return fallback
        return float(value)

    def getboolean(self, section: str, key: str, fallback=_MISSING) -> bool:
        value = self.get(section, key, fallback=None)
        if value is None:
            if fallback is _MISSING:
                raise KeyError(f"[{section}] has no key {key!r}")
            return fallback
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"[{section}] {key}: not a boolean: {value!r}")

    def getlist(self, section: str, key: str, fallback=_MISSING) -> list[str]:
        """Split a value on newlines and commas, dropping empty items."""
        value = self.get(section, key, fallback=None)
        if value is None:
            if fallback is _MISSING:
                raise KeyError(f"[{section}] has no key {key!r}")
            return fallback
        items = []
        for line in value.split("\n"):
            items.extend(part.strip() for part in line.split(","))
        return [item for item in items if item]

    def items(self, section: str) -> dict[str, str]:
        """All keys visible in *section* (DEFAULT first), interpolated."""
        keys = dict.fromkeys(self._sections.get(DEFAULT_SECTION, {}))
        keys.update(dict.fromkeys(self._sections.get(section, {})))
        return {key: resolve(self._sections, section, key) for key in keys}

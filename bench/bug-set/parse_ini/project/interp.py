"""``${...}`` interpolation for values parsed by :mod:`inifile`.

Syntax inside a value:

* ``${key}`` - another key of the same section (falling back to DEFAULT);
* ``${section:key}`` - a key of a named section (also falling back to
  DEFAULT);
* ``$$`` - a literal dollar sign.

References are expanded recursively: the value that a reference points to
is itself expanded *in the context of the section it was found in*.
"""

from __future__ import annotations

from inifile import DEFAULT_SECTION

MAX_DEPTH = 10


class InterpolationError(ValueError):
    """Base class for interpolation failures."""


class MissingReferenceError(InterpolationError):
    def __init__(self, reference: str, section: str):
        super().__init__(f"${{{reference}}} in [{section}] refers to nothing")
        self.reference = reference
        self.section = section


class InterpolationDepthError(InterpolationError):
    pass


class InterpolationSyntaxError(InterpolationError):
    pass


def lookup(sections: dict[str, dict[str, str]], section: str, key: str) -> str | None:
    """Raw value of *key* in *section*, else in DEFAULT, else ``None``."""
    values = sections.get(section)
    if values is not None and key in values:
        return values[key]
    return sections.get(DEFAULT_SECTION, {}).get(key)


def _parse_reference(ref: str, section: str) -> tuple[str, str]:
    if ":" in ref:
        target, name = ref.split(":", 1)
        target = target.strip()
    else:
        target, name = section, ref
    name = name.strip().lower()
    if not name or not target:
        raise InterpolationSyntaxError(f"bad reference ${{{ref}}}")
    return target, name


def expand(sections: dict[str, dict[str, str]], section: str, value: str,
           depth: int = 0) -> str:
    """Expand every reference in *value*, which belongs to *section*."""
    if depth > MAX_DEPTH:
        raise InterpolationDepthError(
            f"interpolation deeper than {MAX_DEPTH} levels in [{section}]")
    out: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch != "$":
            out.append(ch)
            i += 1
            continue
        follower = value[i + 1:i + 2]
        if follower == "$":
            out.append("$")
            i += 2
            continue
        if follower != "{":
            raise InterpolationSyntaxError(
                f"'$' must be followed by '{{' or '$' in [{section}]: {value!r}")
        end = value.find("}", i + 2)
        if end == -1:
            raise InterpolationSyntaxError(f"unterminated reference in {value!r}")
        ref = value[i + 2:end]
        target, name = _parse_reference(ref, section)
        raw = lookup(sections, target, name)
        if raw is None:
            raise MissingReferenceError(ref, section)
        out.append(expand(sections, target, raw, depth + 1))
        i = end + 1
    return "".join(out)


def resolve(sections: dict[str, dict[str, str]], section: str, key: str) -> str:
    """Look up *key* in *section* and return it fully expanded."""
    raw = lookup(sections, section, key)
    if raw is None:
        raise KeyError(f"[{section}] has no key {key!r}")
    return expand(sections, section, raw)

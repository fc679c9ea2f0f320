"""npm-style version ranges: ``^1.2``, ``~1.2.3``, ``1.x``, ``>=1 <2``,
``1.2 - 1.4``, and unions with ``||``."""

from __future__ import annotations

import operator
import re

from semver import Version, VersionError

_OPS = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt,
    "<=": operator.le, "=": operator.eq,
}
_PARTIAL_RE = re.compile(
    r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?"
    r"(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
_TOKEN_RE = re.compile(r"^(\^|~|>=|<=|>|<|=)?(.*)$")


class RangeError(ValueError):
    """Unparseable range expression."""


def _parse_partial(text: str):
    """``'1.2'`` -> ``(1, 2, None, ())``; wildcards become ``None``."""
    match = _PARTIAL_RE.match(text)
    if not match:
        raise RangeError(f"invalid version in range: {text!r}")
    nums = []
    for group in match.groups()[:3]:
        if group is None or group in "xX*":
            nums.append(None)
        else:
            nums.append(int(group))
    major, minor, patch = nums
    if major is None:
        minor = patch = None
    elif minor is None:
        patch = None
    pre = tuple(match.group(4).split(".")) if match.group(4) else ()
    return major, minor, patch, pre


def _floor(major, minor, patch, pre=()) -> Version:
    return Version(major, minor or 0, patch or 0, pre)


def _next_after(major, minor, patch) -> Version:
    """Smallest version above every version matched by the partial."""
    if minor is None:
        return Version(major + 1, 0, 0)
    if patch is None:
        return Version(major, minor + 1, 0)
    return Version(major, minor, patch + 1)


def _caret(major, minor, patch, pre):
    """``^`` allows changes that do not modify the left-most non-zero part."""
    lower = _floor(major, minor, patch, pre)
    if major > 0 or minor is None:
        upper = Version(major + 1, 0, 0)
    elif minor > 0 or patch is None:
        upper = Version(0, minor + 1, 0)
    else:
        upper = Version(0, 0, patch + 1)
    return [(">=", lower), ("<", upper)]


def _tilde(major, minor, patch, pre):
    """``~`` allows patch-level changes when a minor is given, else minor."""
    lower = _floor(major, minor, patch, pre)
    if minor is None:
        return [(">=", lower), ("<", Version(major + 1, 0, 0))]
    return [(">=", lower), ("<", Version(major, minor + 1, 0))]


def _primitive(op: str, major, minor, patch, pre):
    if patch is not None:
        return [(op, Version(major, minor, patch, pre))]
    # Partial versions: widen to the whole block they describe.
    if op in ("=", ""):
        return [(">=", _floor(major, minor, patch)), ("<", _next_after(major, minor, patch))]
    if op == ">":
        return [(">=", _next_after(major, minor, patch))]
    if op == ">=":
        return [(">=", _floor(major, minor, patch))]
    if op == "<":
        return [("<", _floor(major, minor, patch))]
    return [("<", _next_after(major, minor, patch))]  # "<="


def _parse_token(token: str):
    op, rest = _TOKEN_RE.match(token).groups()
    op = op or ""
    major, minor, patch, pre = _parse_partial(rest)
    if major is None:
        if op in ("<", ">"):
            return [("<", Version(0, 0, 0))]  # matches nothing
        return [(">=", Version(0, 0, 0))]
    if op == "^":
        return _caret(major, minor, patch, pre)
    if op == "~":
        return _tilde(major, minor, patch, pre)
    return _primitive(op or "=", major, minor, patch, pre)


def _parse_set(text: str):
    text = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", text.strip())
    if " - " in text:
        low, high = (part.strip() for part in text.split(" - ", 1))
        lo = _parse_partial(low)
        hi = _parse_partial(high)
        if lo[0] is None or hi[0] is None:
            raise RangeError(f"wildcards are not allowed in hyphen ranges: {text!r}")
        return [(">=", _floor(*lo))] + _primitive("<=", *hi)
    tokens = text.split() or ["*"]
    comparators = []
    for token in tokens:
        comparators.extend(_parse_token(token))
    return comparators


class Range:
    """A union (``||``) of comparator sets that must all hold."""

    def __init__(self, text: str):
        self.text = text
        try:
            self.sets = [_parse_set(part) for part in text.split("||")]
        except VersionError as exc:
            raise RangeError(str(exc)) from exc

    def __repr__(self) -> str:
        return f"Range({self.text!r})"

    def __str__(self) -> str:
        return " || ".join(" ".join(f"{op}{v}" for op, v in s) for s in self.sets)

    def _set_allows(self, comparators, version: Version, include_prerelease: bool) -> bool:
        if not all(_OPS[op](version, bound) for op, bound in comparators):
            return False
        if not version.is_prerelease or include_prerelease:
            return True
        # A pre-release only matches if the range itself names a pre-release
        # of the very same major.minor.patch.
        return any(bound.is_prerelease and bound.release == version.release
                   for _, bound in comparators)

    def contains(self, version, include_prerelease: bool = False) -> bool:
        if isinstance(version, str):
            version = Version.parse(version)
        return any(self._set_allows(s, version, include_prerelease) for s in self.sets)

    __contains__ = contains

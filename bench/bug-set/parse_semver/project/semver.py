"""Semantic Versioning 2.0.0 versions: parsing, precedence and bumping."""

from __future__ import annotations

import re
from functools import total_ordering

_IDENT = r"[0-9A-Za-z-]+"
_VERSION_RE = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?"
    rf"(?:\+({_IDENT}(?:\.{_IDENT})*))?$"
)


class VersionError(ValueError):
    """Text that is not a valid semantic version."""


def _check_prerelease(parts: tuple[str, ...], text: str) -> None:
    for part in parts:
        if part.isdigit() and len(part) > 1 and part[0] == "0":
            raise VersionError(f"numeric pre-release identifier with leading zero in {text!r}")


def _compare_identifiers(a: str, b: str) -> int:
    """Compare two pre-release identifiers per SemVer section 11.4."""
    a_num, b_num = a.isdigit(), b.isdigit()
    if a_num and b_num:
        x, y = int(a), int(b)
    elif a_num:
        return -1
    elif b_num:
        return 1
    else:
        x, y = a, b
    return (x > y) - (x < y)


def compare_prerelease(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Precedence of two pre-release tuples; the empty tuple (a release) is highest."""
    if not a or not b:
        return (not a) - (not b)
    for x, y in zip(a, b):
        result = _compare_identifiers(x, y)
        if result:
            return result
    return (len(a) > len(b)) - (len(a) < len(b))


@total_ordering
class Version:
    """An immutable semantic version.  Build metadata is kept but ignored
    for equality and ordering, as the specification requires."""

    __slots__ = ("major", "minor", "patch", "prerelease", "build")

    def __init__(self, major: int, minor: int, patch: int,
                 prerelease: tuple[str, ...] = (), build: tuple[str, ...] = ()):
        if min(major, minor, patch) < 0:
            raise VersionError("version numbers must be non-negative")
        object.__setattr__(self, "major", major)
        object.__setattr__(self, "minor", minor)
        object.__setattr__(self, "patch", patch)
        object.__setattr__(self, "prerelease", tuple(prerelease))
        object.__setattr__(self, "build", tuple(build))

    def __setattr__(self, name, value):
        raise AttributeError("Version is immutable")

    @classmethod
    def parse(cls, text: str) -> "Version":
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise VersionError(f"invalid version: {text!r}")
        major, minor, patch, pre, build = match.groups()
        prerelease = tuple(pre.split(".")) if pre else ()
        _check_prerelease(prerelease, text)
        return cls(int(major), int(minor), int(patch), prerelease,
                   tuple(build.split(".")) if build else ())

    @property
    def release(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    def compare(self, other: "Version") -> int:
        if self.release != other.release:
            return (self.release > other.release) - (self.release < other.release)
        return compare_prerelease(self.prerelease, other.prerelease)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) == 0

    def __lt__(self, other: "Version") -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) < 0

    def __hash__(self) -> int:
        return hash((self.release, self.prerelease))

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def __repr__(self) -> str:
        return f"Version.parse({str(self)!r})"

    def bump(self, part: str, tag: str = "rc") -> "Version":
        """Next version: *part* is ``major``, ``minor``, ``patch`` or ``pre``.

        Bumping a pre-release's own level finishes it (``1.2.0-rc.1`` bumped
        by ``minor`` is ``1.2.0``).  ``pre`` increments the last numeric
        pre-release identifier or starts ``<next patch>-<tag>.0``.
        """
        M, m, p = self.release
        if part == "major":
            return Version(M, 0, 0) if self.prerelease and m == p == 0 else Version(M + 1, 0, 0)
        if part == "minor":
            return Version(M, m, 0) if self.prerelease and p == 0 else Version(M, m + 1, 0)
        if part == "patch":
            return Version(M, m, p) if self.prerelease else Version(M, m, p + 1)
        if part == "pre":
            if not self.prerelease:
                return Version(M, m, p + 1, (tag, "0"))
            pre = list(self.prerelease)
            if pre[-1].isdigit():
                pre[-1] = str(int(pre[-1]) + 1)
            else:
                pre.append("0")
            return Version(M, m, p, tuple(pre))
        raise ValueError(f"unknown part {part!r}")

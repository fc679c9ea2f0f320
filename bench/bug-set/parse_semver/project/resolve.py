"""Choosing concrete versions for version ranges."""

from __future__ import annotations

from dataclasses import dataclass

from ranges import Range
from semver import Version


class ResolutionError(LookupError):
    """No available version satisfies the requested ranges."""


def _as_range(spec) -> Range:
    return spec if isinstance(spec, Range) else Range(spec)


def sort_versions(versions, reverse: bool = False) -> list[str]:
    """Sort version strings by precedence (invalid strings raise)."""
    return [str(v) for v in sorted((Version.parse(s) for s in versions), reverse=reverse)]


def max_satisfying(versions, spec, include_prerelease: bool = False) -> str | None:
    """Highest version from *versions* inside *spec*, or ``None``."""
    rng = _as_range(spec)
    best = None
    for text in versions:
        version = Version.parse(text)
        if rng.contains(version, include_prerelease) and (best is None or version > best):
            best = version
    return None if best is None else str(best)


def min_satisfying(versions, spec, include_prerelease: bool = False) -> str | None:
    """Lowest version from *versions* inside *spec*, or ``None``."""
    rng = _as_range(spec)
    matching = [Version.parse(t) for t in versions]
    matching = [v for v in matching if rng.contains(v, include_prerelease)]
    return str(min(matching)) if matching else None


def resolve(available: dict[str, list[str]],
            requirements: dict[str, list[str]]) -> dict[str, str]:
    """Pick, for every required package, the highest version satisfying
    *all* of its ranges (requirements from different dependants)."""
    chosen = {}
    for name, specs in sorted(requirements.items()):
        if name not in available:
            raise ResolutionError(f"unknown package {name!r}")
        candidates = available[name]
        for spec in specs:
            rng = _as_range(spec)
            candidates = [v for v in candidates if rng.contains(v)]
        if not candidates:
            raise ResolutionError(f"no version of {name} satisfies {' and '.join(specs)}")
        chosen[name] = sort_versions(candidates)[-1]
    return chosen


@dataclass(frozen=True)
class Outdated:
    name: str
    current: str
    wanted: str
    latest: str


def outdated(installed: dict[str, str], ranges: dict[str, str],
             available: dict[str, list[str]]) -> list[Outdated]:
    """Like ``npm outdated``: packages whose installed version differs from
    the best version their range allows (*wanted*) or from the newest
    stable release (*latest*)."""
    report = []
    for name, current in sorted(installed.items()):
        versions = available.get(name, [])
        wanted = max_satisfying(versions, ranges.get(name, "*")) or current
        stable = [v for v in versions if not Version.parse(v).is_prerelease]
        latest = sort_versions(stable)[-1] if stable else current
        if Version.parse(current) != Version.parse(wanted) or \
                Version.parse(current) != Version.parse(latest):
            report.append(Outdated(name, current, wanted, latest))
    return report

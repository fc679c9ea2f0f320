"""What a workspace declares it needs to run its tests: its dependencies and test groups, its
requirement files, the pins of its lock file, whether pip can install the project itself, and
the Python it requires. Read from a snapshot, never from the user's environment.

Pure: it parses files and never runs pip or the project's build backend (setup.py metadata is
left to pip, which installs the project itself).
"""

from __future__ import annotations

import configparser
import hashlib
import posixpath
import re
import sys
from typing import Any, Iterable, Sequence

from pydantic import BaseModel, Field, PrivateAttr

from microagent.sandbox.types import WorkspaceSnapshot

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Optional-dependency groups and PEP 735 dependency groups that hold what the tests need.
TEST_GROUPS = ("test", "tests", "testing", "dev")
LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml")
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
_REQUIREMENTS = re.compile(r"^(requirements[^/]*\.txt|requirements/[^/]+\.txt)$")
_PYLOCK = re.compile(r"^pylock\.[^/]+\.toml$")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str | None:
    """The distribution a requirement string names (`click>=8; python_version>'3'` -> click)."""
    found = _NAME.match(requirement)
    return normalize(found.group(1)) if found else None


def is_dependency_file(path: str) -> bool:
    """A file that decides what gets installed: generated code never changes one."""
    return (path in PROJECT_FILES or path in LOCK_FILES or bool(_REQUIREMENTS.match(path))
            or bool(_PYLOCK.match(path)))  # fmt: skip


class Declared(BaseModel):
    """What the workspace at one snapshot asks for. `sources` says where each part came from."""

    name: str | None = None  # [project] name, normalized
    requirements: list[str] = Field(default_factory=list, description="pip requirement strings")
    requirement_files: list[str] = Field(default_factory=list, description="workspace paths, -r")
    extras: list[str] = Field(default_factory=list, description="installed with the project")
    pins: dict[str, str] = Field(default_factory=dict, description="name -> version, a lock's")
    installable: bool = False  # pip can install the project itself (editable)
    build_requires: list[str] = Field(default_factory=list)
    requires_python: str | None = None
    sources: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list, description="files that could not be read")

    @property
    def empty(self) -> bool:
        """Nothing beyond the standard library and pytest: the plain sandbox image serves."""
        return not (self.installable or self.requirements or self.requirement_files)

    def names(self, snapshot: WorkspaceSnapshot | None = None) -> set[str]:
        """The normalized distribution names declared anywhere (requirement files included)."""
        found = {requirement_name(r) for r in self.requirements} | set(self.pins)
        for path in self.requirement_files if snapshot is not None else ():
            found |= {requirement_name(r) for r in _requirement_lines(snapshot, path)}
        return {name for name in found if name}

    def where(self, name: str, snapshot: WorkspaceSnapshot) -> str | None:
        """The source that declares distribution `name`, for a message, or None."""
        wanted = normalize(name)
        for requirement, source in self._attributed(snapshot):
            if requirement_name(requirement) == wanted:
                return source
        return None

    def _attributed(self, snapshot: WorkspaceSnapshot) -> Iterable[tuple[str, str]]:
        for requirement in self.requirements:
            yield requirement, self._source_of.get(requirement, "the settings")
        for path in self.requirement_files:
            for requirement in _requirement_lines(snapshot, path):
                yield requirement, path

    _source_of: dict[str, str] = PrivateAttr(default_factory=dict)

    def key(self, snapshot: WorkspaceSnapshot, *parts: str) -> str:
        """A digest of every dependency file and of `parts` (base image, settings): the
        environment built for it is reused until one of them changes."""
        digest = hashlib.sha256()
        for path in sorted(p for p in snapshot.files if is_dependency_file(p)):
            digest.update(path.encode() + b"\0" + snapshot.files[path] + b"\0")
        for part in parts:
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()


def read_declared(snapshot: WorkspaceSnapshot, extra: Sequence[str] = ()) -> Declared:
    """Everything the snapshot's dependency files declare, plus `extra` (the settings')."""
    declared = Declared()
    attributed: dict[str, str] = {}

    def add(requirements: Iterable[Any], source: str) -> None:
        for requirement in requirements:
            if isinstance(requirement, str) and requirement.strip() \
                    and requirement not in declared.requirements:
                declared.requirements.append(requirement.strip())
                attributed[requirement.strip()] = source

    pyproject = _toml(snapshot, "pyproject.toml", declared)
    if pyproject is not None:
        _read_pyproject(pyproject, declared, add)
    if "setup.py" in snapshot.files:
        declared.installable = True
        declared.sources.append("setup.py")
    if "setup.cfg" in snapshot.files:
        _read_setup_cfg(snapshot, declared)
    declared.requirement_files = sorted(p for p in snapshot.files if _REQUIREMENTS.match(p))
    declared.sources += declared.requirement_files
    _read_lock(snapshot, declared)
    if declared.installable and not declared.build_requires:
        declared.build_requires = ["setuptools>=40.8.0", "wheel"]  # pip's default (PEP 517)
    add(extra, "the settings (sandbox.requirements)")
    declared._source_of = attributed
    return declared


def _read_pyproject(data: dict, declared: Declared, add) -> None:  # type: ignore[no-untyped-def]
    declared.sources.append("pyproject.toml")
    project = data.get("project")
    build = data.get("build-system")
    if isinstance(build, dict):
        declared.installable = True
        requires = build.get("requires")
        if isinstance(requires, list):
            declared.build_requires = [r for r in requires if isinstance(r, str)]
    if isinstance(project, dict):
        declared.installable = True
        if isinstance(project.get("name"), str):
            declared.name = normalize(project["name"])
        if isinstance(project.get("requires-python"), str):
            declared.requires_python = project["requires-python"]
        add(project.get("dependencies") or [], "pyproject.toml [project] dependencies")
        optional = project.get("optional-dependencies") or {}
        if isinstance(optional, dict):
            for group in TEST_GROUPS:
                if isinstance(optional.get(group), list):
                    declared.extras.append(group)
                    add(optional[group],
                        f"pyproject.toml [project.optional-dependencies] {group}")
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group in TEST_GROUPS:
            add(_group(groups, group, set()), f"pyproject.toml [dependency-groups] {group}")
    poetry = (data.get("tool") or {}).get("poetry")
    if isinstance(poetry, dict) and not isinstance(project, dict):
        declared.installable = True  # poetry-core builds it; its metadata comes from pip
        if isinstance(poetry.get("name"), str):
            declared.name = normalize(poetry["name"])


def _group(groups: dict, name: str, seen: set[str]) -> list[str]:
    """A PEP 735 group with its `include-group`s expanded (a cycle is cut, not followed)."""
    if name in seen or not isinstance(groups.get(name), list):
        return []
    seen.add(name)
    found: list[str] = []
    for item in groups[name]:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            found += _group(groups, item["include-group"], seen)
    return found


def _read_setup_cfg(snapshot: WorkspaceSnapshot, declared: Declared) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(snapshot.text("setup.cfg"))
    except configparser.Error as exc:
        declared.problems.append(f"setup.cfg: {exc}")
        return
    if parser.has_section("metadata") or parser.has_section("options"):
        declared.installable = True
        declared.sources.append("setup.cfg")
        if parser.has_option("metadata", "name") and declared.name is None:
            declared.name = normalize(parser.get("metadata", "name"))
        if parser.has_option("options", "python_requires") and declared.requires_python is None:
            declared.requires_python = parser.get("options", "python_requires").strip()
    if parser.has_section("options.extras_require"):
        for group in TEST_GROUPS:
            if parser.has_option("options.extras_require", group) and group not in declared.extras:
                declared.extras.append(group)


def _read_lock(snapshot: WorkspaceSnapshot, declared: Declared) -> None:
    locks = [p for p in LOCK_FILES if p in snapshot.files]
    locks += sorted(p for p in snapshot.files if _PYLOCK.match(p))
    if not locks:
        return
    path = locks[0]
    data = _toml(snapshot, path, declared)
    if data is None:
        return
    declared.sources.append(path)
    for package in data.get("package", data.get("packages", [])) or []:
        if not isinstance(package, dict):
            continue
        name, version = package.get("name"), package.get("version")
        source = package.get("source")
        local = isinstance(source, dict) and bool({"editable", "virtual", "directory", "path"}
                                                  & set(source))  # the project, or a path
        if isinstance(name, str) and isinstance(version, str) and not local \
                and normalize(name) != declared.name:
            declared.pins[normalize(name)] = version


def _toml(snapshot: WorkspaceSnapshot, path: str, declared: Declared) -> dict | None:
    if path not in snapshot.files:
        return None
    try:
        return tomllib.loads(snapshot.text(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        declared.problems.append(f"{path}: {exc}")
        return None


def requirement_file_lines(snapshot: WorkspaceSnapshot, path: str, *, options: bool = False,
                           depth: int = 0) -> list[str]:
    """The lines of a requirements file, `-r` files followed in place and comments dropped;
    option lines (`--index-url`, `-e .`) only with `options`."""
    if path not in snapshot.files or depth > 5:
        return []
    found: list[str] = []
    for line in snapshot.text(path).splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            other = posixpath.normpath(posixpath.join(posixpath.dirname(path),
                                                      line.split(None, 1)[1]))
            found += requirement_file_lines(snapshot, other, options=options, depth=depth + 1)
        elif options or not line.startswith(("-", ".", "/")):
            found.append(line)
    return found


_requirement_lines = requirement_file_lines

"""The languages microagent serves, by name and by file, and which one a workspace is written in.

Python and TypeScript/JavaScript are served. A workspace with no file of theirs whose files
belong to another language is named as such, so the user hears "not served yet" instead of "no
tests".
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterable

from microagent.languages.language import Language
from microagent.languages.python.language import PYTHON
from microagent.languages.typescript.language import TYPESCRIPT

LANGUAGES: dict[str, Language] = {PYTHON.name: PYTHON, TYPESCRIPT.name: TYPESCRIPT}
WORKSPACE_LANGUAGE: Language = PYTHON  # where there is nothing to tell by (an empty workspace)

# Languages seen but not served: a file's suffix or a project file's name -> the language.
NOT_SERVED_SUFFIXES = {".go": "Go", ".rs": "Rust", ".java": "Java", ".kt": "Kotlin", ".rb": "Ruby"}
NOT_SERVED_FILES = {"go.mod": "Go", "Cargo.toml": "Rust", "pom.xml": "Java",
                    "build.gradle": "Java", "Gemfile": "Ruby"}
NAMED_FILES = 3


class UnsupportedLanguage(ValueError):
    """The workspace is written in a language microagent does not serve; the message says so."""


def language_of_file(path: str) -> Language | None:
    """The language whose source files end like `path`, or None."""
    return next((lang for lang in LANGUAGES.values() if path.endswith(lang.suffixes)), None)


def language_of_workspace(paths: Iterable[str]) -> Language:
    """The language of a workspace from its files' paths (relative): the served language most
    of its source files are written in; Python where there are none at all."""
    counts: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    for path in paths:
        served = language_of_file(path)
        if served is not None:
            counts[served.name] = counts.get(served.name, 0) + 1
            continue
        name = PurePosixPath(path).name
        other = NOT_SERVED_FILES.get(name) or NOT_SERVED_SUFFIXES.get(PurePosixPath(path).suffix)
        if other:
            seen.setdefault(other, []).append(path)
    if counts:
        return LANGUAGES[max(counts, key=lambda name: counts[name])]
    if seen:
        other, files = max(seen.items(), key=lambda item: len(item[1]))
        shown = ", ".join(sorted(files, key=lambda p: (p.count("/"), p))[:NAMED_FILES])
        served = ", ".join(sorted(lang.name.capitalize() for lang in LANGUAGES.values()))
        raise UnsupportedLanguage(
            f"this workspace is written in {other} ({shown}) and has no {served} file: "
            f"microagent serves {served} only so far")
    return WORKSPACE_LANGUAGE

"""The languages microagent serves, by name and by file. Python is the only one today, so it is
also every workspace's language (`WORKSPACE_LANGUAGE`) until a second one needs choosing."""

from __future__ import annotations

from microagent.languages.language import Language
from microagent.languages.python.language import PYTHON

LANGUAGES: dict[str, Language] = {PYTHON.name: PYTHON}
WORKSPACE_LANGUAGE: Language = PYTHON


def language_of_file(path: str) -> Language | None:
    """The language whose source files end like `path`, or None."""
    return next((lang for lang in LANGUAGES.values() if path.endswith(lang.suffixes)), None)

"""The editor's `microagent` settings: read in VS Code's flat dotted form or Neovim's nested
tables, camelCase or snake_case, then merged over the workspace's pyproject.toml by
`microagent.agents.config.load_config`.

Bad settings never stop the server: each one that does not validate is named in a message and
left at its default, while the good ones still apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from microagent.agents.config import Config, LoopSettings, load_config
from microagent.agents.errors import ConfigError

SECTION = "microagent"


class EditorSettings(BaseModel):
    """What only the language server reads; everything else is agents configuration."""

    model_config = ConfigDict(extra="forbid")

    confirm_edits: bool = Field(
        False, description="Ask before applying: the edit carries a change annotation with "
                           "needsConfirmation, so VS Code shows its refactor preview.")
    max_concurrent_runs: int = Field(
        2, ge=1, le=16, description="Runs at once across the workspace (one per document).")


@dataclass
class Settings:
    editor: EditorSettings = field(default_factory=EditorSettings)
    overrides: dict[str, Any] = field(default_factory=dict)  # dotted agents keys
    problems: list[str] = field(default_factory=list)  # sentences for the user


def parse_settings(raw: Any) -> Settings:
    """Settings from whatever the client sent for the `microagent` section."""
    settings = Settings()
    if raw is None:
        return settings
    if not isinstance(raw, dict):
        settings.problems.append(f"the {SECTION} settings must be an object, not {type(raw).__name__}")
        return settings
    flat: dict[str, Any] = {}
    _flatten(raw, "", flat)
    editor: dict[str, Any] = {}
    for key, value in flat.items():
        if value is None:  # VS Code sends null for settings the user never set
            continue
        if key in EditorSettings.model_fields:
            editor[key] = value
        else:
            settings.overrides[key] = value
    for key, value in editor.items():  # one by one, so a bad value spoils only itself
        try:
            valid = EditorSettings.model_validate({key: value})
        except ValidationError as exc:
            why = exc.errors()[0]["msg"]
            settings.problems.append(f"setting {SECTION}.{_camel(key)} = {value!r} ignored: {why}")
            continue
        setattr(settings.editor, key, getattr(valid, key))
    return settings


def config_for(root: str | Path | None, settings: Settings) -> tuple[Config, list[str]]:
    """The agents Config for a workspace folder: defaults < pyproject.toml < environment <
    editor settings. Editor settings that do not validate are dropped one by one and named."""
    problems: list[str] = []
    try:
        return load_config(root, settings.overrides), problems
    except ConfigError:
        pass
    good: dict[str, Any] = {}
    for key, value in settings.overrides.items():
        try:
            load_config(root, {key: value})
        except ConfigError as exc:
            detail = str(exc).split("\n", 1)[-1].strip().replace(" (from arguments)", "")
            problems.append(f"setting {SECTION}.{key} ignored: {detail}")
            continue
        good[key] = value
    try:
        return load_config(root, good), problems
    except ConfigError as exc:  # pyproject.toml or the environment itself is wrong
        problems.append(f"{exc}\nUsing the built-in defaults.")
        return load_config(None, {}, env={}), problems


_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def _snake(name: str) -> str:
    return _CAMEL.sub(r"_\1", name).lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _flatten(node: dict, prefix: str, out: dict[str, Any]) -> None:
    for key, value in node.items():
        parts = [_snake(p) for p in str(key).split(".") if p]
        if not prefix and parts and parts[0] == SECTION:
            parts = parts[1:]  # {"microagent": {...}} or "microagent.coder.model"
        if not prefix and len(parts) == 1 and parts[0] in LoopSettings.model_fields \
                and parts[0] not in EditorSettings.model_fields:
            parts = ["loop"] + parts  # `maxIterations` is short for `loop.maxIterations`
        dotted = ".".join(filter(None, [prefix, *parts]))
        if isinstance(value, dict):
            _flatten(value, dotted, out)
        elif dotted:
            out[dotted] = value

"""The VS Code extension's `microagent.*` settings are the server's: every key the server reads
is contributed with the server's default and bounds, and nothing else is sent to it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel

from microagent.agents.config import Config
from microagent.server.lsp.settings import EditorSettings, parse_settings

MANIFEST = Path(__file__).resolve().parents[2] / "editor-clients" / "vscode" / "package.json"
CLIENT_ONLY = ("microagent.server.", "microagent.trace.")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def server_fields() -> dict[str, Any]:
    """`microagent.<camelCase dotted key>` -> pydantic FieldInfo, for every setting the server reads."""
    out: dict[str, Any] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
                walk(field.annotation, f"{prefix}{camel(name)}.")
            else:
                out[f"{prefix}{camel(name)}"] = field

    walk(Config, "microagent.")
    walk(EditorSettings, "microagent.")
    return out


def contributed() -> dict[str, dict]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["contributes"]["configuration"]["properties"]


def test_every_server_setting_is_contributed_with_the_server_default():
    properties = contributed()
    fields = server_fields()
    for key, field in fields.items():
        assert key in properties, f"package.json does not contribute {key}"
        assert properties[key]["default"] == field.default, key
        assert properties[key].get("description") or properties[key].get("markdownDescription"), key
    extra = {k for k in properties if not k.startswith(CLIENT_ONLY)} - set(fields)
    assert not extra, f"package.json contributes settings the server does not know: {extra}"


def test_bounds_and_choices_match():
    properties = contributed()
    for key, field in server_fields().items():
        spec = properties[key]
        for rule in field.metadata:
            if isinstance(rule, annotated_types.Ge):
                assert spec.get("minimum") == rule.ge, key
            elif isinstance(rule, annotated_types.Gt):
                assert spec.get("exclusiveMinimum") == rule.gt, key
            elif isinstance(rule, annotated_types.Le):
                assert spec.get("maximum") == rule.le, key
            elif isinstance(rule, annotated_types.MinLen):
                assert spec.get("minItems" if spec["type"] == "array" else "minLength") == \
                    rule.min_length, key
        choices = getattr(field.annotation, "__args__", None)
        if spec.get("items", {}).get("type") == "object":  # list[a pydantic model]: its keys
            assert set(spec["items"]["properties"]) == set(choices[0].model_fields), key
            continue
        if spec["type"] == "array":  # list[Literal[...]]: the items' choices; list[str]: strings
            if choices[0] is str:
                assert spec["items"] == {"type": "string"}, key
            else:
                assert spec["items"].get("enum") == list(choices[0].__args__), key
            continue
        if choices and all(isinstance(c, str) for c in choices):
            assert spec.get("enum") == list(choices), key
        kind = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        default = field.default
        expected = {bool: "boolean", int: "integer", float: "number", str: "string",
                    type(None): "null"}[type(default)]
        assert expected in kind or (expected == "integer" and "number" in kind), key


def test_every_contributed_default_is_accepted_by_the_server(monkeypatch):
    """Sent all at once, in VS Code's nested camelCase form, the defaults raise no problem."""
    for name in [n for n in os.environ if n.startswith("MICROAGENT_")]:
        monkeypatch.delenv(name)
    nested: dict[str, Any] = {}
    for key, spec in contributed().items():
        if key.startswith(CLIENT_ONLY):
            continue
        node = nested
        *parents, leaf = key.split(".")[1:]
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = spec["default"]
    settings = parse_settings(nested)
    assert settings.problems == []
    from microagent.server.lsp.settings import config_for

    config, problems = config_for(None, settings)
    assert problems == []
    assert config == Config()


def test_titles_of_the_palette_commands():
    commands = json.loads(MANIFEST.read_text(encoding="utf-8"))["contributes"]["commands"]
    titles = {f"{c['category']}: {c['title']}" for c in commands}
    assert {"Micro-agent: Make failing tests pass", "Micro-agent: Implement from tests",
            "Micro-agent: Review", "Micro-agent: Cancel run",
            "Micro-agent: Restart Server"} <= titles
    server_commands = {"microagent.fix", "microagent.implement", "microagent.review",
                       "microagent.cancel", "microagent.applyLast"}
    # vscode-languageclient registers the server's own commands; the palette's must not clash
    assert not server_commands & {c["command"] for c in commands}
    assert all(re.fullmatch(r"microagent\.\w+", c["command"]) for c in commands)

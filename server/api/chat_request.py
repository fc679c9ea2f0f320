"""Parses and validates the body of `POST /v1/chat/completions`: the OpenAI fields we use
(`model`, `messages`, `stream`, `stream_options`) and our optional `microagent` object.

It only reads JSON; it never touches the disk or starts a run. Each refusal says what to send.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from microagent.server.api.errors import bad_request
from microagent.server.api.model_catalog import check_model

MAX_FILES = 200
MAX_NAME_BYTES = 255  # one file or folder name, as Linux file systems allow
MAX_PATH_BYTES = 1024  # the whole path, far inside Linux's 4096 with the temporary folder
EXAMPLE = ('{"model": "microagent", "messages": [{"role": "user", "content": '
           '"Fix this:\\n```python\\ndef add(a, b): ...\\n```"}]}')


class RunOptions(BaseModel):
    """The optional `microagent` object (the openai client's `extra_body`)."""

    model_config = ConfigDict(extra="forbid")

    files: dict[str, str] = Field(default_factory=dict,
                                  description="a small workspace: relative path -> content")
    test_command: list[str] | None = Field(None, description="accepted for clients that send it, and ignored: "
                                          "the tests run with pytest")
    max_iterations: int | None = Field(None, ge=1, le=50)
    max_tokens: int | None = Field(None, ge=1, description="token budget for the whole run")
    max_cost_usd: float | None = Field(None, gt=0)
    max_seconds: float | None = Field(None, gt=0, description="wall-clock budget of the run")

    @field_validator("test_command", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return shlex.split(value) if isinstance(value, str) else value

    @field_validator("files")
    @classmethod
    def _safe_paths(cls, files: dict[str, str]) -> dict[str, str]:
        if len(files) > MAX_FILES:
            raise ValueError(f"at most {MAX_FILES} files")
        for path, text in files.items():
            problem = path_problem(path)
            if problem:
                raise ValueError(f"{problem}; send a plain relative path like 'pkg/mod.py'")
            if not is_utf8(text):
                raise ValueError(f"the content of {path[:80]!r} is not valid UTF-8 text (a lone "
                                 "surrogate such as \\ud800)")
        return files


def path_problem(path: str) -> str | None:
    """Why `path` cannot name a file in a fresh folder, or None for 'pkg/mod.py'."""
    shown = repr(path[:80]) + ("..." if len(path) > 80 else "")
    if not path or PurePosixPath(path).is_absolute() or "\\" in path:
        return f"{shown} is not a relative path"
    if "\x00" in path or not is_utf8(path):
        return f"{shown} holds a NUL byte or a character that is not UTF-8"
    if len(path.encode("utf-8")) > MAX_PATH_BYTES:
        return f"{shown} is longer than {MAX_PATH_BYTES} bytes"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return f"{shown} has an empty, '.' or '..' part"
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return f"{shown} has a name longer than {MAX_NAME_BYTES} bytes"
    return None


def is_plain_relative(path: str) -> bool:
    """'pkg/mod.py', never '/etc/x', '../x', 'a/./b', 'a//b', a backslash or an overlong name."""
    return path_problem(path) is None


def is_utf8(text: str) -> bool:
    """False for a string holding lone surrogates (JSON's "\\ud800"), which no file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Message:
    role: str
    text: str


@dataclass
class ChatRequest:
    model: str
    messages: list[Message]
    stream: bool = False
    include_usage: bool = False
    options: RunOptions = field(default_factory=RunOptions)


def parse_chat_request(body: bytes) -> ChatRequest:
    try:
        data = json.loads(body)
    except RecursionError:
        raise bad_request("The request body nests JSON too deeply to read. Send a JSON object "
                          f"such as {EXAMPLE}.", code="invalid_json") from None
    except ValueError as exc:  # also bad UTF-8 and integers too long to convert
        raise bad_request(f"The request body is not valid JSON ({exc}). Send a JSON object "
                          f"such as {EXAMPLE}.", code="invalid_json") from None
    if not isinstance(data, dict):
        raise bad_request(f"The request body must be a JSON object, such as {EXAMPLE}.",
                          code="invalid_json")
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request('Say which model to use: "model": "microagent" (the team) or '
                          '"microagent-single" (one Coder pass).', param="model")
    check_model(model)
    stream = data.get("stream", False)
    if not isinstance(stream, bool) and stream is not None:
        raise bad_request('"stream" must be true or false.', param="stream")
    stream_options = data.get("stream_options") or {}
    include_usage = isinstance(stream_options, dict) and bool(stream_options.get("include_usage"))
    return ChatRequest(model=model, messages=_messages(data.get("messages")), stream=bool(stream),
                       include_usage=include_usage, options=_options(data.get("microagent")))


def _messages(raw: Any) -> list[Message]:
    if not isinstance(raw, list) or not raw:
        raise bad_request('Send "messages": a non-empty list such as [{"role": "user", "content": '
                          '"Fix this ... ```python ...```"}].', param="messages")
    messages = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("role"), str):
            raise bad_request(f'messages[{i}] must be an object with a "role" and a "content".',
                              param=f"messages[{i}]")
        text = _text(item.get("content"), i)
        if not is_utf8(text):
            raise bad_request(f"messages[{i}].content is not valid UTF-8 text: it holds a lone "
                              "surrogate such as \\ud800. Send the text as it is in the file.",
                              param=f"messages[{i}].content", code="bad_text")
        messages.append(Message(role=item["role"], text=text))
    return messages


def _text(content: Any, index: int) -> str:
    """A string, or the text parts of a list of content parts; other parts are ignored."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content
                         if isinstance(p, dict) and p.get("type") == "text")
    raise bad_request(f"messages[{index}].content must be a string or a list of text parts.",
                      param=f"messages[{index}].content")


def _options(raw: Any) -> RunOptions:
    if raw is None:
        return RunOptions()
    if not isinstance(raw, dict):
        raise bad_request('"microagent" must be an object, such as {"files": {"calc.py": "..."}, '
                          '"max_iterations": 2}.', param="microagent")
    try:
        return RunOptions.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        if first["type"] == "extra_forbidden":
            allowed = ", ".join(RunOptions.model_fields)
            message = f"microagent.{loc} is not an option; allowed: {allowed}."
        else:
            message = f"microagent.{loc}: {first['msg']}."
        raise bad_request(message, param=f"microagent.{loc}") from None

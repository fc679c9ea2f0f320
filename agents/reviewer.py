"""The Reviewer: reads the final diff and returns structured comments.

Its model's output is parsed leniently; output it cannot use gives no comments and a logged
warning, never a crash.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from pydantic import ValidationError

from microagent.agents.role_prompts import RolePrompts
from microagent.agents.models.client import ModelClient
from microagent.agents.types import ReviewComment

log = logging.getLogger(__name__)
_SEVERITY = {"info": "info", "note": "info", "hint": "info", "warning": "warning",
             "warn": "warning", "minor": "warning", "error": "error", "bug": "error",
             "critical": "error", "major": "error", "blocking": "error"}


class Reviewer:
    role = "reviewer"

    def __init__(self, client: ModelClient) -> None:
        self.client = client
        self.prompts = RolePrompts(self.role, "", "code")

    def messages(self, text: str, code_only: bool = False) -> list[dict]:
        if code_only:
            return self.prompts.chat("code", code=text.strip())
        return self.prompts.chat("", diff=f"```diff\n{text.strip()}\n```")

    async def review(self, text: str, files: set[str], code_only: bool = False,
                     seed: int | None = None) -> tuple[list[ReviewComment], str]:
        """Comments on a diff, or with `code_only` on code shown as it is."""
        reply = await self.client.complete(self.role, self.messages(text, code_only), seed=seed)
        return parse_comments(reply.text, files), reply.text


def parse_comments(text: str, files: set[str] | None = None) -> list[ReviewComment]:
    """JSON comments from a model's reply: fenced or bare, an array or objects; junk dropped."""
    items = _json_items(text)
    if items is None:
        log.warning("reviewer reply held no usable JSON; no comments: %.200r", text)
        return []
    comments = []
    default_file = sorted(files)[0] if files else ""
    for item in items:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message") or item.get("comment") or "").strip()
        if not message:
            continue
        file = str(item.get("file") or item.get("path") or default_file).lstrip("./").removeprefix("b/")
        if files and file not in files:
            file = default_file
        try:
            line = max(1, int(item.get("line") or 1))
        except (TypeError, ValueError):
            line = 1
        severity = _SEVERITY.get(str(item.get("severity", "info")).lower().strip(), "info")
        suggestion = item.get("suggestion")
        try:
            comments.append(ReviewComment(file=file, line=line, severity=severity, message=message[:500],
                                          suggestion=str(suggestion)[:2000] if suggestion else None))
        except ValidationError:
            continue
    return comments


def _json_items(text: str) -> list[Any] | None:
    text = re.sub(r"```(?:json)?", "", text)
    start, end = text.find("["), text.rfind("]")
    if start != -1 and end > start:
        chunk = re.sub(r",\s*([\]}])", r"\1", text[start : end + 1])
        try:
            data = json.loads(chunk)
            return data if isinstance(data, list) else [data]
        except json.JSONDecodeError:
            pass
    objects = []
    for match in re.finditer(r"\{[^{}]*\}", text):
        try:
            objects.append(json.loads(re.sub(r",\s*}", "}", match.group(0))))
        except json.JSONDecodeError:
            continue
    if objects:
        return objects
    return [] if re.fullmatch(r"\s*(\[\s*\])?\s*", text) else None

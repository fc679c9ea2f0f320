"""A scripted model provider for tests and demos, registered through litellm's own
custom-provider mechanism, so `scripted/<name>` goes through `litellm.acompletion` like any model.

It answers from a script of replies; it never imitates litellm itself. A script is JSON:
`{"replies": [{"model": "coder", "match": "regex", "reply": "...", "delay": 0, "error": null,
"repeat": false}]}`, read from a file (MICROAGENT_SCRIPT, through MachineSettings.script) or
loaded in-process.
Each call takes the first unused entry whose `model` (the part after `scripted/`) and `match`
(a regex searched in the prompt) fit. Every call is kept in `calls`, and appended as a JSON
line to a log file (MICROAGENT_SCRIPT_LOG), so a test can read what each role was sent.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from pathlib import Path
from typing import Any, AsyncIterator

import litellm
from litellm import CustomLLM
from litellm.types.utils import GenericStreamingChunk

PROVIDER = "scripted"

_ERRORS = {
    "rate_limit": lambda m: litellm.RateLimitError(message="scripted rate limit", llm_provider=PROVIDER, model=m),
    "timeout": lambda m: litellm.Timeout(message="scripted timeout", llm_provider=PROVIDER, model=m),
    "server": lambda m: litellm.InternalServerError(message="scripted 500", llm_provider=PROVIDER, model=m),
    "auth": lambda m: litellm.AuthenticationError(message="scripted bad key", llm_provider=PROVIDER, model=m),
    "context": lambda m: litellm.ContextWindowExceededError(message="scripted context too long", llm_provider=PROVIDER, model=m),
}


class ScriptedModel(CustomLLM):
    def __init__(self, replies: list[dict[str, Any]] | None = None, *, script: Path | None = None,
                 log: Path | None = None) -> None:
        super().__init__()
        self.script = script  # the replies' file, re-read when it changes
        self.log = log  # a JSON line per call
        self._lock = threading.Lock()
        self._replies: list[dict[str, Any]] | None = replies
        self._used: set[int] = set()
        self._script_mtime: float | None = None
        self.calls: list[dict[str, Any]] = []
        self.in_flight = 0  # calls being answered now (each call records it as it arrives)

    def load(self, replies: list[dict[str, Any]]) -> None:
        with self._lock:
            self._replies, self._used, self.calls = list(replies), set(), []
            self._script_mtime = None

    def _current_replies(self) -> list[dict[str, Any]]:
        """An in-process script wins; otherwise the script file, re-read on change."""
        path = self.script
        if path and (self._replies is None or self._script_mtime is not None):
            mtime = Path(path).stat().st_mtime
            if mtime != self._script_mtime:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
                self._replies = data["replies"] if isinstance(data, dict) else data
                self._used, self._script_mtime = set(), mtime
        return self._replies or []

    def _take(self, model: str, messages: list[dict[str, Any]],
              temperature: float | None = None, seed: int | None = None) -> dict[str, Any]:
        name = model.split("/", 1)[1] if "/" in model else model
        prompt = "\n".join(str(m.get("content", "")) for m in messages)
        with self._lock:
            replies = self._current_replies()
            call = {"model": name, "messages": messages, "temperature": temperature,
                    "seed": seed, "time": time.time(), "in_flight": self.in_flight}
            self.calls.append(call)
            if self.log:
                with open(self.log, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(call) + "\n")
            for i, entry in enumerate(replies):
                if i in self._used:
                    continue
                if entry.get("model") not in (None, name):
                    continue
                if entry.get("match") and not re.search(entry["match"], prompt, re.S):
                    continue
                if not entry.get("repeat"):
                    self._used.add(i)
                return entry
        raise litellm.BadRequestError(
            message=f"scripted model {name!r}: no scripted reply left for this prompt",
            model=model, llm_provider=PROVIDER)

    async def reply(self, model: str, messages: list[dict[str, Any]],
                    optional_params: dict[str, Any] | None = None) -> str:
        optional = optional_params or {}
        self.in_flight += 1
        try:
            entry = self._take(model, messages, optional.get("temperature"), optional.get("seed"))
            if entry.get("delay"):
                await asyncio.sleep(float(entry["delay"]))
            if entry.get("error"):
                raise _ERRORS[entry["error"]](model)
            return str(entry.get("reply", ""))
        finally:
            self.in_flight -= 1

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> litellm.ModelResponse:
        text = await self.reply(model, messages, kwargs.get("optional_params"))
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
        return litellm.ModelResponse(
            model=model,
            choices=[{"index": 0, "finish_reason": "stop",
                      "message": {"role": "assistant", "content": text}}],
            usage=litellm.Usage(prompt_tokens=prompt_tokens, completion_tokens=len(text.split()),
                                total_tokens=prompt_tokens + len(text.split())),
        )

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> litellm.ModelResponse:
        return asyncio.run(self.acompletion(model, messages))

    async def astreaming(self, model: str, messages: list, *args: Any, **kwargs: Any) -> AsyncIterator[GenericStreamingChunk]:
        text = await self.reply(model, messages, kwargs.get("optional_params"))
        pieces = re.findall(r"\S+\s*|\s+", text) or [""]
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            yield {"text": piece, "is_finished": last, "finish_reason": "stop" if last else "",
                   "index": 0, "tool_use": None,
                   "usage": {"prompt_tokens": 0, "completion_tokens": len(text.split()),
                             "total_tokens": len(text.split())} if last else None}


_instance: ScriptedModel | None = None


def register_scripted_provider(replies: list[dict[str, Any]] | None = None, *,
                               script: Path | None = None, log: Path | None = None) -> ScriptedModel:
    """Register (once) and return the scripted provider; `replies` replaces its script, and a
    `script` or `log` file given is used from now on."""
    global _instance
    if _instance is None:
        _instance = ScriptedModel()
        litellm.custom_provider_map = [
            item for item in litellm.custom_provider_map if item["provider"] != PROVIDER
        ] + [{"provider": PROVIDER, "custom_handler": _instance}]
    if script is not None:
        _instance.script = script
    if log is not None:
        _instance.log = log
    if replies is not None:
        _instance.load(replies)
    return _instance

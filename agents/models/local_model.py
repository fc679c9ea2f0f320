"""The embedded models as a litellm provider: `local/qwen2.5-coder-1.5b`, `local/smollm2-135m` or
`local/<path>.gguf` go through `litellm.acompletion` like any other model, streaming included.

Generation runs in a worker thread, so the event loop never blocks on llama.cpp; a cancelled
caller stops its generation within a token, even mid-prompt. It enters only by litellm's
custom-provider door, never by patching litellm.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Iterator

import litellm
from litellm import CustomLLM
from litellm.llms.custom_llm import CustomLLMError
from litellm.types.utils import GenericStreamingChunk
from litellm.utils import custom_llm_setup

from microagent.agents.config import MachineSettings
from microagent.agents.errors import ModelError, model_error_in  # noqa: F401
from microagent.agents.models.llama_runner import Generation, LlamaRunner, SamplingParams
from microagent.agents.models.model_files import resolve_local_model

PROVIDER = "local"
DEFAULT_N_CTX = 8192

# litellm turns a CustomLLMError's status into its own exception type (400 BadRequestError,
# 408 Timeout, 500 InternalServerError); the ModelError stays reachable as the cause.
_STATUS = {"context": 400, "config": 400, "not_found": 400, "timeout": 408}


class LocalProvider(CustomLLM):
    """Loads each model once per process (keyed by file) and generates in worker threads."""

    def __init__(self, *, n_ctx: int = DEFAULT_N_CTX, n_threads: int | None = None,
                 model_dir: Path | None = None, prefix_cache_mb: int = 512,
                 on_generation: Callable[[str, Generation], None] | None = None) -> None:
        super().__init__()
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.model_dir = model_dir
        self.prefix_cache_bytes = prefix_cache_mb << 20
        self.on_generation = on_generation
        self._runners: dict[Path, LlamaRunner] = {}
        self._loading = threading.Lock()

    # --- model loading -------------------------------------------------------------------

    def runner(self, model: str) -> LlamaRunner:
        """The loaded model for `model` (name or .gguf path), loading it on first use. Blocking."""
        path = resolve_local_model(model, directory=self.model_dir)
        with self._loading:  # two first calls must not load the same 1 GB twice
            if path not in self._runners:
                self._runners[path] = LlamaRunner(path, n_ctx=self.n_ctx, n_threads=self.n_threads,
                                                  prefix_cache_bytes=self.prefix_cache_bytes)
            return self._runners[path]

    def generate(self, model: str, messages: list[dict[str, Any]], optional_params: dict, *,
                 stop_flag: threading.Event, deadline: float | None,
                 on_text: Callable[[str], None] | None = None) -> Generation:
        """One generation, blocking: load the model if needed, generate, report it."""
        result = self.runner(model).generate(_chat(messages), _params(optional_params),
                                             stop_flag=stop_flag, deadline=deadline,
                                             on_text=on_text)
        if self.on_generation is not None:  # called from this (worker) thread
            self.on_generation(model, result)
        return result

    # --- litellm's entry points ----------------------------------------------------------

    async def acompletion(self, model: str, messages: list, *args: Any,
                          model_response: litellm.ModelResponse, optional_params: dict,
                          timeout: float | None = None, **kwargs: Any) -> litellm.ModelResponse:
        stop_flag = threading.Event()
        try:
            result = await asyncio.to_thread(self.generate, model, messages, optional_params,
                                             stop_flag=stop_flag, deadline=_deadline(timeout))
        except asyncio.CancelledError:
            stop_flag.set()  # the thread cannot be cancelled; it stops at the next token
            raise
        except Exception as exc:
            raise _provider_error(model, exc) from exc
        return _response(model, result, model_response)

    def completion(self, model: str, messages: list, *args: Any,
                   model_response: litellm.ModelResponse, optional_params: dict,
                   timeout: float | None = None, **kwargs: Any) -> litellm.ModelResponse:
        try:
            result = self.generate(model, messages, optional_params, stop_flag=threading.Event(),
                                   deadline=_deadline(timeout))
        except Exception as exc:
            raise _provider_error(model, exc) from exc
        return _response(model, result, model_response)

    async def astreaming(self, model: str, messages: list, *args: Any, optional_params: dict,
                         timeout: float | None = None,
                         **kwargs: Any) -> AsyncIterator[GenericStreamingChunk]:
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[str | None] = asyncio.Queue()
        stop_flag = threading.Event()

        def generate() -> Generation:
            try:
                return self.generate(
                    model, messages, optional_params, stop_flag=stop_flag,
                    deadline=_deadline(timeout),
                    on_text=lambda text: loop.call_soon_threadsafe(pieces.put_nowait, text))
            finally:
                loop.call_soon_threadsafe(pieces.put_nowait, None)

        work = asyncio.ensure_future(asyncio.to_thread(generate))
        try:
            while (text := await pieces.get()) is not None:
                yield _chunk(text)
            try:
                result = await work
            except Exception as exc:
                raise _provider_error(model, exc) from exc
            yield _last_chunk(model, result)
        finally:
            stop_flag.set()  # the consumer stopped reading or was cancelled: stop generating
            work.add_done_callback(_consume_outcome)

    def streaming(self, model: str, messages: list, *args: Any, optional_params: dict,
                  timeout: float | None = None, **kwargs: Any) -> Iterator[GenericStreamingChunk]:
        pieces: queue.Queue[str | None] = queue.Queue()
        stop_flag = threading.Event()
        outcome: list[Generation | Exception] = []

        def generate() -> None:
            try:
                outcome.append(self.generate(model, messages, optional_params,
                                             stop_flag=stop_flag, deadline=_deadline(timeout),
                                             on_text=pieces.put))
            except Exception as exc:  # handed to the reading thread below
                outcome.append(exc)
            finally:
                pieces.put(None)

        threading.Thread(target=generate, name="local-model", daemon=True).start()
        try:
            while (text := pieces.get()) is not None:
                yield _chunk(text)
            if isinstance(outcome[0], Exception):
                raise _provider_error(model, outcome[0]) from outcome[0]
            yield _last_chunk(model, outcome[0])
        finally:
            stop_flag.set()


def _response(model: str, result: Generation,
              model_response: litellm.ModelResponse) -> litellm.ModelResponse:
    _check_finished(model, result)
    model_response.model = f"{PROVIDER}/{model}"
    model_response.created = int(time.time())
    model_response.choices[0].message.content = result.text
    model_response.choices[0].finish_reason = _openai_finish(result)
    model_response.usage = litellm.Usage(  # type: ignore[attr-defined]
        prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
        total_tokens=result.prompt_tokens + result.completion_tokens,
        prompt_tokens_details={"cached_tokens": result.cached_tokens})
    return model_response


def _last_chunk(model: str, result: Generation) -> GenericStreamingChunk:
    _check_finished(model, result)
    return _chunk("", result)


def _check_finished(model: str, result: Generation) -> None:
    if result.finish_reason == "timeout":
        err = ModelError(f"{model}: no answer before the timeout "
                         f"({result.completion_tokens} tokens generated)", kind="timeout")
        raise _provider_error(model, err) from err


def _chunk(text: str, result: Generation | None = None) -> GenericStreamingChunk:
    if result is None:
        return {"text": text, "is_finished": False, "finish_reason": "", "usage": None,
                "index": 0, "tool_use": None}
    return {"text": text, "is_finished": True, "finish_reason": _openai_finish(result),
            "index": 0, "tool_use": None,
            "usage": {"prompt_tokens": result.prompt_tokens,
                      "completion_tokens": result.completion_tokens,
                      "total_tokens": result.prompt_tokens + result.completion_tokens,
                      "prompt_tokens_details": {"cached_tokens": result.cached_tokens}}}


def _openai_finish(result: Generation) -> str:
    return "length" if result.finish_reason == "length" else "stop"


def _chat(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OpenAI messages with plain-text content, as a chat template expects."""
    chat = []
    for message in messages:
        content = message.get("content") or ""
        if isinstance(content, list):  # content parts: keep the text ones
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        chat.append({"role": message.get("role", "user"), "content": content})
    return chat


def _params(optional: dict[str, Any]) -> SamplingParams:
    stop = optional.get("stop") or ()
    return SamplingParams(
        temperature=float(optional.get("temperature", 0.2)),
        max_tokens=optional.get("max_tokens") or optional.get("max_completion_tokens"),
        stop=(stop,) if isinstance(stop, str) else tuple(stop),
        seed=optional.get("seed"),
        top_p=float(optional.get("top_p", 0.95)),
    )


def _deadline(timeout: Any) -> float | None:
    seconds = getattr(timeout, "read", timeout)  # an httpx.Timeout or a number
    return time.monotonic() + float(seconds) if isinstance(seconds, (int, float)) else None


def _provider_error(model: str, exc: Exception) -> CustomLLMError:
    """What litellm should raise: its status picks litellm's exception type, the text survives."""
    if isinstance(exc, CustomLLMError):
        return exc
    if isinstance(exc, ModelError):
        return CustomLLMError(_STATUS.get(exc.kind, 500), exc.message)
    return CustomLLMError(500, f"{model}: the local model failed: {type(exc).__name__}: {exc}")


def _consume_outcome(work: asyncio.Future) -> None:
    """Nobody awaits a stream's abandoned generation; read its outcome so asyncio stays quiet."""
    if not work.cancelled():
        work.exception()


_registered: LocalProvider | None = None
_register_lock = threading.Lock()


def register_local_provider(provider: LocalProvider | None = None, *,
                            machine: MachineSettings | None = None) -> LocalProvider:
    """Add the `local/` provider to litellm's custom providers, once; other entries are kept.
    The first one made in a process is built from `machine` (its context size, threads and
    model folder; the defaults when None) and serves every later call."""
    global _registered
    with _register_lock:
        if _registered is None or provider is not None:
            machine = machine or MachineSettings()
            _registered = provider or LocalProvider(
                n_ctx=machine.local_n_ctx, n_threads=machine.local_threads or None,
                model_dir=machine.model_dir, prefix_cache_mb=machine.local_prefix_cache_mb)
        others = [item for item in litellm.custom_provider_map if item["provider"] != PROVIDER]
        litellm.custom_provider_map = [*others, {"provider": PROVIDER,
                                                 "custom_handler": _registered}]
        custom_llm_setup()  # litellm's own sync of its provider lists, also run on every call
        return _registered

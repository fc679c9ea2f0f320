"""The model client: every role's call goes through `litellm.acompletion`, local models included.

It records tokens, cost and latency per call, retries only transient failures, and turns
every provider error into one `ModelError` whose message tells the user what to do.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any, AsyncIterator, Awaitable, Callable

import litellm
from pydantic import BaseModel, Field

from microagent.agents.config import Config, MachineSettings, RoleModel, machine_settings
from microagent.agents.errors import ModelError, model_error_in
from microagent.agents.models.routing import SHARED, Routers, deployment_of
from microagent.agents.types import RoleUsage

log = logging.getLogger(__name__)
litellm.suppress_debug_info = True

TRANSIENT = (
    litellm.RateLimitError,
    litellm.Timeout,
    litellm.APIConnectionError,
    litellm.InternalServerError,
    litellm.ServiceUnavailableError,
    litellm.BadGatewayError,
)


class CallRecord(BaseModel):
    """One model call as the usage and the benchmarks count it."""

    role: str
    model: str = Field(description="the litellm model string called (with deployments: the "
                       "one that answered, model@api_base)")
    prompt_tokens: int = 0
    cached_tokens: int = Field(0, description="of the prompt tokens, those the model's prefix "
                               "cache (llama.cpp's, or a provider's prompt cache) did not process")
    completion_tokens: int = 0
    cost_usd: float | None = Field(None, description="None when litellm has no price for the model")
    latency_s: float = Field(0.0, description="seconds, retries and their waits included")
    attempts: int = Field(1, description="1 + the retries of transient failures")


class Completion(BaseModel):
    text: str
    finish_reason: str | None = None
    record: CallRecord


Acompletion = Callable[..., Awaitable[Any]]


class ModelClient:
    """Calls each role's configured model. `records` keeps every call made. `machine` says where
    the embedded models live and how they run (default: what agents/config.py reads from the
    environment); the local and scripted providers receive it from here."""

    def __init__(
        self,
        config: Config,
        *,
        machine: MachineSettings | None = None,
        acompletion: Acompletion | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        backoff_base: float = 1.0,
        routers: Routers | None = None,
    ) -> None:
        self.config = config
        self.machine = machine if machine is not None else machine_settings()
        self._acompletion = acompletion or litellm.acompletion
        self._routers = routers if routers is not None else SHARED
        self._sleep = sleep
        self._backoff_base = backoff_base
        self.records: list[CallRecord] = []

    def usage_by_role(self) -> dict[str, RoleUsage]:
        usage: dict[str, RoleUsage] = {}
        for rec in self.records:
            u = usage.setdefault(rec.role, RoleUsage())
            u.calls += 1
            u.prompt_tokens += rec.prompt_tokens
            u.cached_tokens += rec.cached_tokens
            u.completion_tokens += rec.completion_tokens
            u.cost_usd += rec.cost_usd or 0.0
        return usage

    def count_tokens(self, role: str, text: str) -> int:
        """Tokens of `text` for the role's model (litellm's counter; a default tokenizer for
        models it does not know, such as local ones)."""
        try:
            return int(litellm.token_counter(model=self.config.role(role).model, text=text))
        except Exception:  # noqa: BLE001 - an estimate is enough for a context budget
            return len(text) // 3

    @property
    def total_tokens(self) -> int:
        return sum(r.prompt_tokens + r.completion_tokens for r in self.records)

    @property
    def total_cost(self) -> float:
        return sum(r.cost_usd or 0.0 for r in self.records)

    async def log_likelihoods(self, role: str, prefix: str,
                              texts: list[str]) -> list[float] | None:
        """Each text's log-likelihood right after `prefix`, by the role's model, with no
        decoding; None for a model that cannot say. The embedded models can (llama.cpp's
        logits); a provider's chat API gives the logprobs of its own answer only, so a remote
        model, a group of deployments or a scripted one gives None."""
        spec = self.config.role(role)
        if not spec.embedded:
            return None
        from microagent.agents.models.local_model import register_local_provider

        provider = register_local_provider(machine=self.machine)
        try:
            runner = await asyncio.to_thread(provider.runner, spec.model[len("local/"):])
        except ModelError:
            return None  # the role's own call will say why the model cannot load
        try:
            return await asyncio.to_thread(runner.log_likelihoods, prefix, texts)
        except (RuntimeError, ValueError) as exc:  # llama.cpp could not evaluate the text
            log.warning("no log-likelihoods from %s: %s", spec.model, exc)
            return None

    async def complete(
        self, role: str, messages: list[dict[str, str]], **params: Any
    ) -> Completion:
        """One completion for `role`. `params` (temperature, max_tokens, stop, seed) override."""
        spec = self.config.role(role)
        kwargs = _call_kwargs(spec, messages, params)
        start = time.monotonic()
        response, attempts = await self._with_retries(role, spec, kwargs)
        record = self._record(role, spec, response, time.monotonic() - start, attempts)
        choice = response.choices[0]
        return Completion(
            text=choice.message.content or "", finish_reason=choice.finish_reason, record=record
        )

    async def stream(
        self, role: str, messages: list[dict[str, str]], **params: Any
    ) -> AsyncIterator[str]:
        """Yield text as it arrives; the call's record is appended when the stream ends."""
        spec = self.config.role(role)
        kwargs = _call_kwargs(spec, messages, params)
        kwargs.update(stream=True, stream_options={"include_usage": True})
        start = time.monotonic()
        response, attempts = await self._with_retries(role, spec, kwargs)
        chunks = []
        try:
            async for chunk in response:
                chunks.append(chunk)
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except Exception as exc:  # a provider failing mid-stream
            raise to_model_error(exc, spec) from exc
        finally:  # a consumer that stops early must stop the generation too
            close = getattr(response, "aclose", None)
            if close is not None:
                try:
                    await close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass
        built = litellm.stream_chunk_builder(chunks, messages=messages) if chunks else None
        if built is not None and getattr(response, "_hidden_params", None):
            built._hidden_params = {**response._hidden_params, **(built._hidden_params or {})}
        self._record(role, spec, built, time.monotonic() - start, attempts)

    async def _with_retries(self, role: str, spec: RoleModel,
                            kwargs: dict[str, Any]) -> tuple[Any, int]:
        if spec.routed:
            return await self._routed(role, spec, kwargs), 1
        _ensure_provider(spec.model, self.machine)
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._acompletion(**kwargs), attempt
            except TRANSIENT as exc:
                local_timeout = spec.model.startswith("local/") and isinstance(exc, litellm.Timeout)
                if attempt > spec.retries or local_timeout or model_error_in(exc):
                    raise to_model_error(exc, spec, attempts=attempt) from exc
                delay = self._backoff_base * 2 ** (attempt - 1) * (0.5 + random.random())
                log.warning("%s: transient failure (%s), retry %d in %.1fs",
                            spec.model, type(exc).__name__, attempt, delay)
                await self._sleep(delay)
            except ModelError:
                raise
            except Exception as exc:
                raise to_model_error(exc, spec, attempts=attempt) from exc

    async def _routed(self, role: str, spec: RoleModel, kwargs: dict[str, Any]) -> Any:
        """A call through the role's Router: it retries on other deployments and falls back."""
        for model in [d.model for d in spec.deployments] + [spec.fallback or ""]:
            _ensure_provider(model, self.machine)
        group, router = self._routers.get(role, spec)
        kwargs = {**kwargs, "model": group}
        kwargs.pop("num_retries", None)  # the Router's own, one per deployment tried
        try:
            return await router.acompletion(**kwargs)
        except ModelError:
            raise
        except Exception as exc:
            raise to_model_error(exc, spec) from exc

    def _record(
        self, role: str, spec: RoleModel, response: Any, latency: float, attempts: int
    ) -> CallRecord:
        usage = getattr(response, "usage", None)
        record = CallRecord(
            role=role,
            model=deployment_of(response, spec) if spec.routed else spec.model,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            cached_tokens=getattr(getattr(usage, "prompt_tokens_details", None),
                                  "cached_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            cost_usd=_cost(response, "" if spec.routed else spec.model),
            latency_s=latency,
            attempts=attempts,
        )
        self.records.append(record)
        return record


def _call_kwargs(spec: RoleModel, messages: list[dict[str, str]], params: dict) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "model": spec.model,
        "messages": messages,
        "temperature": spec.temperature,
        "max_tokens": spec.max_tokens,
        "timeout": spec.timeout,
        "num_retries": 0,  # retries are ours: only transient failures, with backoff
        "drop_params": True,  # a provider without `seed` (or another optional parameter) ignores it
    }
    kwargs.update({k: v for k, v in params.items() if v is not None})
    return kwargs


def _ensure_provider(model: str, machine: MachineSettings) -> None:
    if model.startswith("local/"):
        from microagent.agents.models.local_model import register_local_provider

        register_local_provider(machine=machine)
    elif model.startswith("scripted/"):
        from microagent.agents.models.scripted_model import register_scripted_provider

        register_scripted_provider(script=machine.script, log=machine.script_log)


def _cost(response: Any, model: str) -> float | None:
    if response is None:
        return None
    hidden = getattr(response, "_hidden_params", None) or {}
    if hidden.get("response_cost") is not None:
        return float(hidden["response_cost"])
    if model.startswith("local/"):
        return 0.0
    try:
        return float(litellm.completion_cost(completion_response=response))
    except Exception:  # litellm knows no price for this model
        return None


def to_model_error(exc: BaseException, spec: RoleModel, attempts: int = 1) -> ModelError:
    """Map a provider exception to a ModelError that says what to do."""
    model = spec.label
    detail = _short(str(exc))
    tries = f" after {attempts} tries" if attempts > 1 else ""
    if isinstance(exc, ModelError):
        return exc
    inner = model_error_in(exc)
    if inner is not None:
        return inner
    if isinstance(exc, litellm.AuthenticationError):
        return ModelError(
            f"{model}: the provider refused the credentials, or no API key is set. Set the "
            "provider's key (for example OPENAI_API_KEY), or choose a model that needs none, "
            "such as local/qwen2.5-coder-1.5b (MICROAGENT_MODEL or [tool.microagent] model).",
            model=model, kind="auth")
    if isinstance(exc, litellm.ContextWindowExceededError):
        return ModelError(
            f"{model}: the prompt does not fit the model's context window. Select fewer tests "
            f"or a smaller file, or use a model with a larger context. ({detail})",
            model=model, kind="context")
    if isinstance(exc, litellm.Timeout):
        return ModelError(
            f"{model}: no answer within {spec.timeout:g} s{tries}. Raise the role's timeout "
            "([tool.microagent.<role>] timeout) or use a faster model.",
            model=model, kind="timeout")
    if isinstance(exc, litellm.RateLimitError):
        return ModelError(
            f"{model}: rate limited by the provider{tries}. Wait and retry, raise the role's "
            "retries, or use another model.", model=model, kind="rate_limit")
    if isinstance(exc, litellm.NotFoundError) or _unknown_model(exc):
        return ModelError(
            f"{model}: unknown model or provider. Use a litellm model string such as "
            "'openai/gpt-4o-mini', 'ollama/qwen2.5-coder', or a local one: "
            f"local/qwen2.5-coder-1.5b, local/smollm2-135m, local/<path>.gguf. ({detail})",
            model=model, kind="not_found")
    if isinstance(exc, TRANSIENT):
        return ModelError(
            f"{model}: the provider is unavailable{tries} ({detail}). Check the network or "
            "the api_base, or use a local model.", model=model, kind="unavailable")
    return ModelError(f"{model}: {detail}", model=model, kind="error")


def _unknown_model(exc: BaseException) -> bool:
    text = str(exc)
    return "LLM Provider NOT provided" in text or "not found" in text.lower() and "model" in text.lower()


def _short(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

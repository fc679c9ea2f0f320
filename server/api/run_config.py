"""The configuration each request runs with: the server's own, narrowed by the model chosen
(see model_catalog) and by the request's budgets.

A request may lower a budget, never raise one past the server's: the operator pays for it.
"""

from __future__ import annotations

from microagent.agents.config import Config
from microagent.server.api.chat_request import RunOptions
from microagent.server.api.model_catalog import check_model


def run_config(base: Config, model: str, options: RunOptions, max_seconds: float) -> Config:
    """`max_seconds` is the server's wall-clock budget per run."""
    check_model(model)
    loop = base.loop.model_copy()
    loop.max_seconds = min(max_seconds, options.max_seconds or max_seconds)
    if options.max_iterations:
        loop.max_iterations = min(loop.max_iterations, options.max_iterations)
    if options.max_tokens:
        loop.max_tokens = min(loop.max_tokens, options.max_tokens)
    if options.max_cost_usd:
        # 0 in the configuration means "no cost limit"; a request may still set one.
        limit = loop.max_cost_usd or options.max_cost_usd
        loop.max_cost_usd = min(limit, options.max_cost_usd)
    if model == "microagent-single":
        loop.max_iterations, loop.candidates, loop.review = 1, 1, False
    return base.model_copy(update={"loop": loop})

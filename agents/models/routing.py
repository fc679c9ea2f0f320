"""A role's group of deployments behind one litellm `Router`: it picks a deployment per call
(least busy by default), retries a failed call on another, leaves a failing one out for a
cooldown, and calls the role's `fallback` model when every deployment failed.

One Router per group and process (`Routers`), so what it learned about a deployment (busy,
slow, down) holds across runs, as `microagent serve` needs. One model string, without
deployments, never comes here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import litellm
from litellm import Router

from microagent.agents.config import Deployment, RoleModel

FALLBACK_SUFFIX = ":fallback"
# The Router logs every failed try as an error; the caller's ModelError (or, after a failover,
# the record naming the deployment that answered) says what the user needs.
logging.getLogger("LiteLLM Router").setLevel(logging.CRITICAL)


def _params(deployment: Deployment, spec: RoleModel) -> dict[str, Any]:
    params: dict[str, Any] = {"model": deployment.model, "timeout": spec.timeout}
    for key in ("api_base", "api_key", "weight", "rpm"):
        value = getattr(deployment, key)
        if value is not None:
            params[key] = value
    if deployment.api_base and not deployment.api_key and deployment.model.startswith("openai/"):
        params["api_key"] = "none"  # a self-hosted OpenAI-compatible server wants some key
    return params


def build_router(group: str, spec: RoleModel) -> Router:
    """The Router for one role's deployments; `group` is the name calls use."""
    model_list = [{"model_name": group, "litellm_params": _params(d, spec),
                   "model_info": {"id": f"{group}/{i}"}}
                  for i, d in enumerate(spec.deployments)]
    fallbacks = []
    if spec.fallback:
        model_list.append({"model_name": group + FALLBACK_SUFFIX,
                           "litellm_params": {"model": spec.fallback, "timeout": spec.timeout},
                           "model_info": {"id": f"{group}/fallback"}})
        fallbacks = [{group: [group + FALLBACK_SUFFIX]}]
    return Router(
        model_list=model_list,
        routing_strategy=spec.routing,
        num_retries=spec.retries,
        retry_after=0,
        allowed_fails=0,  # the first failure sends a deployment to cooldown
        cooldown_time=spec.cooldown,
        timeout=spec.timeout,
        fallbacks=fallbacks,
    )


class Routers:
    """Routers by group configuration, made on first use and kept for the process."""

    def __init__(self) -> None:
        self._routers: dict[str, Router] = {}
        self._lock = threading.Lock()

    def get(self, role: str, spec: RoleModel) -> tuple[str, Router]:
        key = role + spec.model_dump_json(include={"deployments", "routing", "cooldown",
                                                   "fallback", "retries", "timeout"})
        with self._lock:
            if key not in self._routers:
                self._routers[key] = build_router(role, spec)
            return role, self._routers[key]


SHARED = Routers()


def deployment_of(response: Any, spec: RoleModel) -> str:
    """Which deployment answered: its label, or the fallback's model string."""
    hidden = getattr(response, "_hidden_params", None) or {}
    model_id = str(hidden.get("model_id") or "")
    index = model_id.rsplit("/", 1)[-1]
    if index == "fallback":
        return f"{spec.fallback} (fallback)"
    if index.isdigit() and int(index) < len(spec.deployments):
        return spec.deployments[int(index)].label
    return spec.label


@dataclass
class DeploymentStatus:
    label: str
    ok: bool
    detail: str


async def probe(spec: RoleModel, timeout: float = 20.0) -> list[DeploymentStatus]:
    """Ask every deployment for one token, directly (not through the Router): which answer."""
    async def one(deployment: Deployment) -> DeploymentStatus:
        start = time.monotonic()
        params = _params(deployment, spec)
        params["timeout"] = timeout
        try:
            await litellm.acompletion(messages=[{"role": "user", "content": "Say ok."}],
                                      max_tokens=1, num_retries=0, **params)
        except Exception as exc:  # noqa: BLE001 - any failure is this deployment's status
            text = " ".join(str(exc).split())
            return DeploymentStatus(deployment.label, False, text[:200])
        return DeploymentStatus(deployment.label, True,
                                f"answers ({time.monotonic() - start:.1f} s)")

    return list(await asyncio.gather(*(one(d) for d in spec.deployments)))

"""Configuration: one pydantic model, merged from defaults, the workspace's pyproject.toml,
environment variables and explicit arguments (lowest to highest), validated once.

Code past this edge receives typed values; it never reads the environment itself.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from microagent.agents.errors import ConfigError
from microagent.sandbox.types import BackendName, EngineSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROLES = ("coder", "tester", "reviewer")  # the Tester's model writes inputs (agents/probes.py)
DEFAULT_MODEL = "local/qwen2.5-coder-1.5b"


class Deployment(BaseModel):
    """One model server of a role's group: a litellm model string and where it answers."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1, description="litellm model string, for example "
                       "'openai/qwen2.5-coder' for an OpenAI-compatible server")
    api_base: str | None = Field(None, description="for example http://gpu-1:8000/v1")
    api_key: str | None = Field(None, description="the key, or 'os.environ/NAME' to read it "
                                "from the environment variable NAME (keep keys out of files)")
    weight: float | None = Field(None, gt=0, description="share of calls (simple-shuffle)")
    rpm: int | None = Field(None, ge=1, description="requests per minute it accepts")

    @property
    def label(self) -> str:
        return f"{self.model}@{self.api_base}" if self.api_base else self.model


Routing = Literal["least-busy", "latency-based-routing", "simple-shuffle"]


class RoleModel(BaseModel):
    """The model one role talks to: any litellm model string, or `local/...`; or a group of
    deployments that litellm's Router spreads the calls over."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(DEFAULT_MODEL, min_length=1, description="litellm model string")
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(1024, ge=1, le=65536, description="max output tokens per call")
    timeout: float = Field(600.0, gt=0, description="seconds per call (local models are slow)")
    retries: int = Field(2, ge=0, le=10, description="retries of transient failures (with "
                         "deployments: each on another deployment where one is free)")
    deployments: list[Deployment] = Field([], description="model servers that serve this role "
                                          "instead of `model` (agents/models/routing.py)")
    routing: Routing = Field("least-busy", description="how the Router picks a deployment")
    cooldown: float = Field(30.0, ge=0, description="seconds a failing deployment is left out")
    fallback: str | None = Field(None, min_length=1, description="a model string called when "
                                 "every deployment failed, for example local/qwen2.5-coder-1.5b")

    @field_validator("deployments", mode="before")
    @classmethod
    def _deployments_in_short(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse_deployments(value, "deployments")
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
        return value

    @property
    def routed(self) -> bool:
        return bool(self.deployments)

    @property
    def embedded(self) -> bool:
        """Served by the embedded model alone, which answers one call at a time."""
        return not self.deployments and self.model.startswith("local/")

    @property
    def label(self) -> str:
        """What a user reads for this role's model."""
        if not self.deployments:
            return self.model
        names = ", ".join(d.label for d in self.deployments)
        return f"{len(self.deployments)} deployment(s): {names}"


class SandboxSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: BackendName = "auto"
    image: str = Field("microagent-sandbox:py3", min_length=1)
    timeout: float = Field(60.0, gt=0, description="seconds per test run")
    requirements: list[str] = Field([], description="requirements (pip's syntax) installed in "
                                    "the workspace's environment besides what the project "
                                    "declares (sandbox/dependencies.py)")
    setup: str | None = Field(None, description="a shell command run once, as root and with no "
                              "network, in the workspace's environment layer after its "
                              "install (Docker)")
    python: str | None = Field(None, description="the interpreter that runs the tests in the "
                               "bubblewrap and process sandboxes; none: the workspace's .venv "
                               "or venv, else microagent's own")
    dependency_edits: bool = Field(False, description="let a candidate change a dependency or "
                                   "lock file (pyproject.toml, setup.py, requirements*.txt, "
                                   "*.lock); it never rebuilds the environment during a run")
    engines: list[EngineSpec] = Field([], description="Docker engines to spread the runs over "
                                      "(sandbox/engines.py); none: the one DOCKER_HOST or the "
                                      "default socket names")

    @field_validator("engines", mode="before")
    @classmethod
    def _engines_in_short(cls, value: Any) -> Any:
        return parse_engines(value) if isinstance(value, str) else value

    @field_validator("requirements", mode="before")
    @classmethod
    def _requirements_in_short(cls, value: Any) -> Any:
        if isinstance(value, str):  # a JSON list, or requirements without spaces
            text = value.strip()
            return json.loads(text) if text.startswith("[") else text.split()
        return value

    @property
    def devcontainer(self) -> bool:
        """The workspace's devcontainer.json may name the base image: no sandbox.image given."""
        return "image" not in self.model_fields_set

    @property
    def spread(self) -> bool:
        """Runs go over the configured engines (a Docker backend with `engines` given)."""
        return bool(self.engines) and self.backend in ("auto", "docker")


class LoopSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_iterations: int = Field(24, ge=1, le=200, description="the most candidates a run tries "
                                "(each answer the judge runs, or could not run); time, tokens "
                                "and cost may end it sooner")
    schedule: list[Literal["mutations", "first", "lines", "repair", "samples"]] = Field(
        ["mutations", "first", "lines", "repair", "samples"], min_length=1,
        description="the proposers in the order they run (agents/proposers.py); `samples` goes "
                    "on until the budget ends")
    candidates: int = Field(1, ge=1, le=20, description="sampled answers per round of the "
                            "samples proposer, before the round's best is repaired")
    mutants: int = Field(120, ge=0, le=2000, description="one-edit mutants of the suspicious "
                         "lines a fix tries before asking the Coder (no model call; each is one "
                         "test run; 0: none)")
    likelihood: bool = Field(False, description="order the first mutants by how likely the "
                             "Coder model finds the changed line (no decoding; the embedded "
                             "models only). Off: on the hand-written bugs it moved no right "
                             "mutant up and cost more than the test runs it could save")
    edits: Literal["auto", "always", "never"] = Field("auto", description="a fix's answers as "
                                                     "SEARCH/REPLACE edits of the lines changed "
                                                     "instead of whole definitions: auto (where "
                                                     "the code shown is long), always or never")
    line_tries: int = Field(12, ge=0, le=50, description="lines rewritten one at a time in the "
                            "line-repair round after a failed fix (0: no such round)")
    max_tokens: int = Field(200_000, ge=1, description="token budget for a whole run")
    max_cost_usd: float = Field(1.0, ge=0, description="cost budget in USD (litellm prices)")
    max_seconds: float = Field(900.0, gt=0, description="wall-clock budget for a whole run")
    review: bool = True
    agree: int = Field(0, ge=0, le=10, description="where a function's docstring examples are "
                       "its only tests: after the first candidate that passes them, sampled "
                       "answers that pass too are gathered up to this many, and the one whose "
                       "behaviour on the Tester's inputs most of them share wins (0 or 1: the "
                       "first that passes); each more costs about two more answers")
    seed: int | None = Field(None, ge=0, le=2_147_483_647, description="seeds the run's model "
                             "calls (call i uses seed + i), so a run can be repeated; none: a "
                             "random seed, recorded in the result")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    coder: RoleModel = Field(default_factory=RoleModel)
    tester: RoleModel = Field(default_factory=RoleModel)
    reviewer: RoleModel = Field(default_factory=RoleModel)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    loop: LoopSettings = Field(default_factory=LoopSettings)

    def role(self, name: str) -> RoleModel:
        if name not in ROLES:
            raise ConfigError(f"unknown role {name!r}: allowed roles are {', '.join(ROLES)}")
        return getattr(self, name)


# Environment variables, each mapped to a dotted key. MICROAGENT_MODEL sets every role.
_ROLE_FIELDS = ("model", "temperature", "max_tokens", "timeout", "retries", "deployments",
                "routing", "cooldown", "fallback")
ENV_KEYS: dict[str, str] = {
    **{f"MICROAGENT_{r.upper()}_{f.upper()}": f"{r}.{f}" for r in ROLES for f in _ROLE_FIELDS},
    "MICROAGENT_SANDBOX_BACKEND": "sandbox.backend",
    "MICROAGENT_SANDBOX_IMAGE": "sandbox.image",
    "MICROAGENT_SANDBOX_TIMEOUT": "sandbox.timeout",
    "MICROAGENT_SANDBOX_ENGINES": "sandbox.engines",
    "MICROAGENT_SANDBOX_REQUIREMENTS": "sandbox.requirements",
    "MICROAGENT_SANDBOX_PYTHON": "sandbox.python",
    "MICROAGENT_MAX_ITERATIONS": "loop.max_iterations",
    "MICROAGENT_CANDIDATES": "loop.candidates",
    "MICROAGENT_LINE_TRIES": "loop.line_tries",
    "MICROAGENT_MUTANTS": "loop.mutants",
    "MICROAGENT_LIKELIHOOD": "loop.likelihood",
    "MICROAGENT_EDITS": "loop.edits",
    "MICROAGENT_AGREE": "loop.agree",
    "MICROAGENT_MAX_TOKENS": "loop.max_tokens",
    "MICROAGENT_MAX_COST_USD": "loop.max_cost_usd",
    "MICROAGENT_MAX_SECONDS": "loop.max_seconds",
    "MICROAGENT_REVIEW": "loop.review",
    "MICROAGENT_SEED": "loop.seed",
}


class MachineSettings(BaseModel):
    """Settings of this machine and process, read from the environment only (never from a
    workspace or an editor): where the embedded models live and how they run, and the scripted
    models' files that tests and demos use."""

    model_config = ConfigDict(extra="forbid")

    model_dir: Path | None = Field(None, description="where assembled models go (default: the "
                                   "user cache)")
    local_n_ctx: int = Field(8192, ge=1, description="the embedded models' context, in tokens")
    local_threads: int = Field(0, ge=0, description="llama.cpp threads (0: its own choice)")
    local_prefix_cache_mb: int = Field(512, ge=0, description="MiB of saved llama.cpp contexts "
                                       "whose prompts a later prompt may start like (0: none)")
    script: Path | None = Field(None, description="the scripted models' replies, a JSON file "
                                "re-read when it changes")
    script_log: Path | None = Field(None, description="a JSON line per scripted call")


MACHINE_ENV_KEYS: dict[str, str] = {
    "MICROAGENT_MODEL_DIR": "model_dir",
    "MICROAGENT_LOCAL_N_CTX": "local_n_ctx",
    "MICROAGENT_LOCAL_THREADS": "local_threads",
    "MICROAGENT_LOCAL_PREFIX_CACHE_MB": "local_prefix_cache_mb",
    "MICROAGENT_SCRIPT": "script",
    "MICROAGENT_SCRIPT_LOG": "script_log",
}


def machine_settings(env: Mapping[str, str] | None = None) -> MachineSettings:
    """The machine's settings from the environment. Raises ConfigError naming the variable."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {key: env[name] for name, key in MACHINE_ENV_KEYS.items() if env.get(name)}
    if values.get("model_dir"):
        values["model_dir"] = Path(values["model_dir"]).expanduser()
    try:
        return MachineSettings.model_validate(values)
    except ValidationError as exc:
        names = {key: name for name, key in MACHINE_ENV_KEYS.items()}
        raise ConfigError("Invalid microagent environment:\n  " + "\n  ".join(
            f"{names.get(str(e['loc'][0]), e['loc'][0])} = {e.get('input')!r}: {e['msg']}"
            for e in exc.errors())) from None


def load_config(
    workspace: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    """Merge every source and validate once. Raises ConfigError naming the key and source."""
    layers: list[tuple[str, dict[str, Any]]] = []
    if workspace is not None:
        pyproject = Path(workspace) / "pyproject.toml"
        layers.append((f"{pyproject} [tool.microagent]", _from_pyproject(pyproject)))
    layers.append(("environment", _from_env(os.environ if env is None else env)))
    layers.append(("arguments", _expand(dict(overrides or {}))))

    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for source, layer in layers:
        _merge(merged, layer, source, sources, prefix="")
    try:
        return Config.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, sources)) from None


def _from_pyproject(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    section = data.get("tool", {}).get("microagent", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.microagent] must be a table")
    return _expand(section)


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    if env.get("MICROAGENT_MODEL"):
        flat["model"] = env["MICROAGENT_MODEL"]
    if env.get("MICROAGENT_DEPLOYMENTS"):
        shared = parse_deployments(env["MICROAGENT_DEPLOYMENTS"], "MICROAGENT_DEPLOYMENTS")
        flat.update({f"{role}.deployments": shared for role in ROLES})
    for name, key in ENV_KEYS.items():
        if env.get(name, "") != "":
            value = env[name]
            flat[key] = parse_deployments(value, name) if key.endswith(".deployments") else value
    return _expand(flat)


def parse_engines(text: str) -> list[Any]:
    """Engines as a string: a JSON list of tables, or URLs separated by spaces, each with an
    optional `*N` for the runs it takes at once (`unix:///var/run/docker.sock*4 tcp://h:2376*8`)."""
    text = text.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON list of engines ({exc})") from None
    engines = []
    for entry in text.replace(",", " ").split():
        url, star, count = entry.rpartition("*") if "*" in entry else (entry, "", "")
        if star and not count.isdigit():
            raise ValueError(f"{entry!r}: write URL*N with N a number, for example "
                             "tcp://build-1:2376*8")
        engines.append({"url": url, **({"max_containers": int(count)} if star else {})})
    return engines


def parse_deployments(text: str, source: str) -> list[Any]:
    """Deployments as an environment variable or an editor's string gives them: a JSON list of
    tables, or `model@api_base` entries separated by spaces or commas."""
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{source}: not a JSON list of deployments ({exc})") from None
        return value
    entries = [e for e in text.replace(",", " ").split() if e]
    parsed = []
    for entry in entries:
        model, _, base = entry.partition("@")
        if not model or (not base and "@" in entry):
            raise ConfigError(f"{source}: {entry!r} is not model@api_base, for example "
                              "openai/qwen2.5-coder@http://gpu-1:8000/v1")
        parsed.append({"model": model, **({"api_base": base} if base else {})})
    return parsed


def _expand(flat: dict[str, Any]) -> dict[str, Any]:
    """Turn dotted keys into nested dicts; a top-level `model` applies to every role."""
    nested: dict[str, Any] = {}
    shared = flat.pop("model", None)
    if shared is not None:
        for role in ROLES:
            nested.setdefault(role, {})["model"] = shared
    for key, value in flat.items():
        parts = key.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"configuration key {key!r} conflicts with a value at {part!r}")
        last = parts[-1]
        if isinstance(value, dict) and isinstance(node.get(last), dict):
            node[last].update(value)
        else:
            node[last] = value
    return nested


def _merge(into: dict, layer: dict, source: str, sources: dict[str, str], prefix: str) -> None:
    for key, value in layer.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, source, sources, prefix=f"{dotted}.")
        else:
            into[key] = value
            for leaf in _leaves(value, dotted):
                sources[leaf] = source


def _leaves(value: Any, dotted: str) -> list[str]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{dotted}.{k}")]
    return [dotted]


def _describe(exc: ValidationError, sources: dict[str, str]) -> str:
    lines = []
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"])
        source = _source_of(key, sources)
        value = error.get("input")
        if error["type"] == "extra_forbidden":
            parent = ".".join(str(p) for p in error["loc"][:-1])
            allowed = _allowed_keys(parent)
            lines.append(f"{key} (from {source}): unknown key; allowed here: {allowed}")
        else:
            lines.append(f"{key} = {value!r} (from {source}): {error['msg']}")
    return "Invalid microagent configuration:\n  " + "\n  ".join(lines)


def _source_of(key: str, sources: dict[str, str]) -> str:
    """The source of `key` or of the nearest enclosing value given whole (a list of tables)."""
    parts = key.split(".")
    for end in range(len(parts), 0, -1):
        source = sources.get(".".join(parts[:end]))
        if source:
            return source
    return "defaults"


def _allowed_keys(parent: str) -> str:
    model: type[BaseModel] = Config
    for part in filter(lambda p: p and not p.isdigit(), parent.split(".")):  # list items: skip
        field = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        items = getattr(annotation, "__args__", ())  # list[Deployment] -> Deployment
        if items and isinstance(items[0], type) and issubclass(items[0], BaseModel):
            annotation = items[0]
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return ", ".join(model.model_fields)
        model = annotation
    return ", ".join(model.model_fields)

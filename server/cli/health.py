"""The checks behind `microagent doctor`: one line per part, whether it is required for the
current configuration, and the fix. A check never crashes doctor: a native library that
segfaults is probed in a child process.
"""

from __future__ import annotations

import importlib.metadata as md
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from microagent.agents.config import ROLES, Config, machine_settings

LLAMA_FLAGS = "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
REBUILD = (f'make llama install, or: CMAKE_ARGS="{LLAMA_FLAGS}" pip install --force-reinstall '
           "--no-cache-dir --no-binary llama-cpp-python llama-cpp-python==0.3.36")
_PROBE = """
import sys
import llama_cpp
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=64, n_threads=1, verbose=False)
out = llm("Hello", max_tokens=1, temperature=0)
print("ok", llama_cpp.__version__, repr(out["choices"][0]["text"]))
"""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def run_checks(config: Config, workspace: Path | None = None) -> list[Check]:
    """Every check for `config`; with `workspace`, also its environment in the sandbox."""
    local = sorted({config.role(r).model for r in ROLES if config.role(r).model.startswith("local/")})
    local += sorted({config.role(r).fallback for r in ROLES
                     if (config.role(r).fallback or "").startswith("local/")})
    checks = [_python(), _package("litellm", required=True)]
    checks += deployment_checks(config)
    checks += _local_models(local)
    if config.sandbox.spread:
        checks += _engines(config)
    else:
        checks += _sandbox(config.sandbox.backend, config.sandbox.image)
    if workspace is not None and config.sandbox.backend in ("auto", "docker") \
            and not config.sandbox.spread:
        checks += _environment(config, workspace)
    return checks


def _environment(config: Config, workspace: Path) -> list[Check]:
    """The workspace's environment layer: cached, building, failed (pip's error), not built."""
    from microagent.sandbox.environments import environment_status
    from microagent.sandbox.snapshot import read_workspace
    from microagent.sandbox.types import SandboxError

    try:
        state = environment_status(read_workspace(workspace), config.sandbox.image,
                                   requirements=config.sandbox.requirements,
                                   setup=config.sandbox.setup,
                                   devcontainer=config.sandbox.devcontainer)
    except (SandboxError, ValueError):
        return []  # no engine or no image: the checks above say so
    detail = {"plain": "nothing declared: the sandbox image serves",
              "cached": f"{state['image']}, cached ({', '.join(state['sources'])})",
              "building": f"{state['image']} being built",
              "not built": f"{state['image']} not built yet: built before the first run",
              "failed": "the last build failed: "
                        + " ".join(str(state.get("error", "")).splitlines()[-3:])}[state["state"]]
    return [Check("workspace environment", state["state"] != "failed", detail,
                  f"microagent sandbox env {workspace} --build shows pip's whole output",
                  required=False)]


def _engines(config: Config) -> list[Check]:
    """One line per configured Docker engine; required while none of them answers. An engine
    without the image gets it from another (or builds it) before its first run."""
    from microagent.sandbox.engine import engine_status
    from microagent.sandbox.engines import client_for

    image = config.sandbox.image
    states = [(spec, engine_status(lambda spec=spec: client_for(spec, timeout=10), image=image,
                                 where=spec.url))
              for spec in config.sandbox.engines]
    needed = not any(state.reachable for _, state in states)
    return [Check(f"Docker engine {spec.url}", state.reachable,
                  (f"{state.version}, image {'present' if state.image_present else 'absent: loaded before its first run'}, "
                   f"{spec.max_containers} runs at once") if state.reachable else state.error,
                  "start that engine, or fix sandbox.engines", required=needed)
            for spec, state in states]


def deployment_checks(config: Config) -> list[Check]:
    """One line per role's deployment, asked for one token now. Required while none of the
    role's deployments answers and it has no fallback."""
    import asyncio

    from microagent.agents.models.routing import probe

    routed = [(r, config.role(r)) for r in ROLES if config.role(r).routed]
    if not routed:
        return []

    async def all_roles():
        return await asyncio.gather(*(probe(spec) for _, spec in routed))

    checks = []
    for (role, spec), statuses in zip(routed, asyncio.run(all_roles())):
        needed = not spec.fallback and not any(s.ok for s in statuses)
        for status in statuses:
            checks.append(Check(f"{role} → {status.label}", status.ok, status.detail,
                                "start that model server, or fix its api_base or key",
                                required=needed))
    return checks


def _python() -> Check:
    ok = sys.version_info >= (3, 10)
    return Check("Python", ok, sys.version.split()[0], "install Python 3.10 or later")


def _package(dist: str, required: bool) -> Check:
    try:
        return Check(dist, True, md.version(dist), required=required)
    except md.PackageNotFoundError:
        return Check(dist, False, "not installed", f"pip install {dist}", required)


def _local_models(models: list[str]) -> list[Check]:
    from microagent.agents.models.model_files import local_model_status

    needed = bool(models)
    checks = []
    llama = _package("llama-cpp-python", required=needed)
    if not llama.ok:
        llama.fix = "install the local extra: " + REBUILD
    checks.append(llama)
    statuses = {s.name: s for s in local_model_status(machine_settings().model_dir)}
    for name, st in statuses.items():
        used = f"local/{name}" in models
        state = "verified" if st.verified else "assembled" if st.assembled else (
            "packages installed, not assembled yet" if st.packages_installed else "not installed")
        size = f", {st.size / 1e6:,.0f} MB" if st.size else ""
        checks.append(Check(f"model {name}" + (" (in use)" if used else ""),
                            st.packages_installed, f"{state}{size}", st.hint, required=used))
    smol = statuses.get("smollm2-135m")
    if llama.ok and smol and smol.path and smol.assembled:
        checks.append(_generation_probe(str(smol.path), needed))
    return checks


def _generation_probe(model_path: str, required: bool) -> Check:
    """Load a model and generate one token in a child: a bad native build crashes there."""
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE, model_path], capture_output=True,
                              text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return Check("llama.cpp one-token generation", False, "timed out after 180 s",
                     REBUILD, required)
    if proc.returncode == 0:
        return Check("llama.cpp one-token generation", True, proc.stdout.strip(), required=required)
    if proc.returncode < 0:
        why = (f"crashed with signal {-proc.returncode}: llama-cpp-python was built for CPU "
               "features this machine lacks (a native build here sees AMX it cannot use)")
    else:
        why = (proc.stderr.strip().splitlines() or ["failed"])[-1]
    return Check("llama.cpp one-token generation", False, why, "rebuild it: " + REBUILD, required)


def _bubblewrap_jail() -> str:
    """Why a bubblewrap jail with its limits cannot start here, or "" if it can."""
    from microagent.languages.registry import WORKSPACE_LANGUAGE
    from microagent.sandbox.process_backend import BubblewrapSandbox
    from microagent.sandbox.types import SandboxError

    try:
        BubblewrapSandbox(sys.executable, runner=WORKSPACE_LANGUAGE.test_runner()).check()
    except SandboxError as exc:
        return str(exc)
    return ""


def _sandbox(backend: str, image: str) -> list[Check]:
    from microagent.sandbox.engine import engine_status
    from microagent.sandbox.limits import memory_note

    docker_needed = backend == "docker"
    status = engine_status(image=image)
    checks = [Check(
        "Docker engine", status.reachable,
        f"{status.version} at {status.endpoint}" if status.reachable else status.error,
        "start the engine (dockerd), set DOCKER_HOST, or set sandbox.backend to bubblewrap "
        "or process", required=docker_needed)]
    checks.append(Check(
        f"sandbox image {image}", status.image_present,
        "present" if status.image_present else "not built",
        "microagent sandbox build (about two minutes, works offline)",
        required=docker_needed))
    bwrap = shutil.which("bwrap")
    jail = _bubblewrap_jail() if bwrap else "not found"
    checks.append(Check("bubblewrap", bwrap is not None and jail == "", jail or f"{bwrap}: a jail "
                        f"starts; /work, /tmp and /dev/shm are size-limited; {memory_note()}",
                        "apt-get install bubblewrap (0.5 or later)",
                        required=backend == "bubblewrap"))
    if backend == "auto" and not status.reachable and not bwrap:
        checks.append(Check("sandbox isolation", False,
                            "only the process backend is available: WEAK isolation",
                            "start Docker or install bubblewrap", required=False))
    return checks

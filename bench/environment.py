"""The workspace's own environment, measured: each project of bench/environment-set (a declared
dependency fetched from the package index; a src layout installed editable) fixed twice with
`microagent fix --backend docker --json`, as a user runs it, with the defaults and the embedded
model: the first run with no cached environment (its layer removed first), the second reusing
it. Per run: the status, the environment's state and seconds, and the rest of the time split.

Run: .venv/bin/python -m microagent.bench.environment   (needs Docker and the package index)
Writes bench/results/environment.json. Run it with nothing else on the machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from microagent.agents.config import Config, load_config
from microagent.sandbox.engine import connect
from microagent.sandbox.env_image import env_tag
from microagent.sandbox.environments import Environments, default_cache
from microagent.sandbox.snapshot import read_workspace

SET = Path(__file__).parent / "environment-set"
RESULTS = Path(__file__).parent / "results" / "environment.json"
CLI = Path(sys.executable).with_name("microagent")


def forget_environment(root: Path, config: Config | None = None) -> str:
    """Remove the project's environment layer and its cached wheels, so the next run measures
    its build; returns the layer's tag. `config`: the run's (default: the project's own)."""
    config = config or load_config(root)
    client = connect()
    try:
        environments = Environments(client, config.sandbox.image,
                                    requirements=config.sandbox.requirements,
                                    setup=config.sandbox.setup,
                                    devcontainer=config.sandbox.devcontainer)
        key = environments.describe(read_workspace(root)).get("key", "")
        if key:
            try:
                client.images.remove(env_tag(key), force=True)
            except Exception:  # noqa: BLE001 - not there: nothing to forget
                pass
            shutil.rmtree(default_cache() / key[:16], ignore_errors=True)
        return env_tag(key) if key else ""
    finally:
        client.close()


def fix(root: Path) -> dict:
    done = subprocess.run([str(CLI), "fix", ".", "--backend", "docker", "--json"], cwd=root,
                          capture_output=True, text=True, timeout=1800)
    result = json.loads(done.stdout)
    environment = result.get("environment") or {}
    return {"status": result["status"], "message": result["message"],
            "environment": environment.get("status"), "image": environment.get("image"),
            "installed": environment.get("installed", []),
            "seconds": {k: round(v, 1) for k, v in result["seconds"].items()},
            "diff": "".join(e["diff"] for e in result["edits"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {}
    for project in sorted(p for p in SET.iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory(prefix=f"microagent-env-{project.name}-") as tmp:
            root = Path(tmp) / project.name
            shutil.copytree(project, root)
            forget_environment(root)
            runs[project.name] = [fix(root), fix(root)]  # the second finds the layer cached
            for n, run in enumerate(runs[project.name], 1):
                print(f"{project.name} run {n}: {run['status']}, environment {run['environment']}"
                      f" {run['seconds'].get('environment', 0)} s, total {run['seconds']['total']} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m microagent.bench.environment", "runs": runs}, indent=2) + "\n")


if __name__ == "__main__":
    main()

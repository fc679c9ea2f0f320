"""Times the Node Docker sandbox on a small vitest project with a lockfile: the first
node_modules preparation (an empty npm cache: every package from the registry), the second (a
new sandbox finding the layer), and a test run in the container (cold: a new container; warm).
Prints one JSON object. Needs the Node image (`sudo .venv/bin/python -m
microagent.sandbox.node_image`), the engine, and npm with the registry.

    .venv/bin/python scripts/node-sandbox-times.py
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
import time
from pathlib import Path

from microagent.languages.typescript.detect import detect_runner
from microagent.sandbox.env_image import env_tag
from microagent.sandbox.node_sandbox import NODE_MODULES, node_docker_sandbox
from microagent.sandbox.npm_fetch import read_lockfile
from microagent.sandbox.snapshot import read_workspace

FILES = {
    "package.json": json.dumps({"name": "calc", "type": "module",
                                "scripts": {"test": "vitest run"},
                                "devDependencies": {"vitest": "3.2.7"}}),
    "src/calc.ts": "export function add(a: number, b: number) {\n  return a - b\n}\n",
    "src/calc.test.ts": "import { test, expect } from 'vitest'\nimport { add } from './calc'\n\n"
                        "test('adds', () => {\n  expect(add(1, 2)).toBe(3)\n})\n",
}


async def measure(root: Path, cache: Path) -> dict:
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    subprocess.run(["npm", "install", "--package-lock-only", "--ignore-scripts"], cwd=root,
                   check=True, capture_output=True)
    snapshot = read_workspace(root)
    runner = detect_runner({p: d.decode() for p, d in snapshot.files.items()}).test_runner(
        modules=NODE_MODULES)
    first = node_docker_sandbox(runner, env_cache=cache)
    try:
        key = first.environments.key(read_lockfile(snapshot), [])  # type: ignore[attr-defined]
        tag = env_tag(key)
        if any(tag in image.tags for image in first.client.images.list()):
            first.client.images.remove(tag, force=True)  # the first preparation from scratch
        times = {}
        began = time.monotonic()
        built = await first.prepare(snapshot)
        times["prepare_first_s"] = round(time.monotonic() - began, 2)
        second = node_docker_sandbox(runner, env_cache=cache)
        began = time.monotonic()
        cached = await second.prepare(snapshot)
        times["prepare_second_s"] = round(time.monotonic() - began, 3)
        await second.close()
        for name in ("run_cold_s", "run_warm_s"):
            began = time.monotonic()
            report = await first.run_tests(snapshot, timeout=120)
            times[name] = round(time.monotonic() - began, 2)
        return {**times, "statuses": [built.status, cached.status], "installed": built.installed,
                "report": report.summary(), "outcome": report.cases[0].outcome.value}
    finally:
        await first.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as cache:
        print(json.dumps(asyncio.run(measure(Path(root), Path(cache))), indent=1))


if __name__ == "__main__":
    main()

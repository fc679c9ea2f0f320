"""Neovim on TypeScript and JavaScript: headless Neovim loads the plugin from this repository,
attaches the real `microagent-lsp` to a .ts test buffer and a .js source buffer of a vitest
project, lists the micro-agent code actions there (the test's target named as vitest names it),
and the plugin's own :MicroAgentFix target agrees. No run: that needs the loop's TypeScript
wiring (a Node sandbox and vitest)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from nvim_session import INIT, server_env
from system_parts import nvim

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
HERE = Path(__file__).resolve().parent
DRIVER = HERE / "nvim_ts_actions.lua"
LIMIT = 150  # seconds for the whole Neovim session

FILES = {
    "package.json": '{"type": "module", "devDependencies": {"vitest": "^3.2.4"}}\n',
    "src/sum.ts": "export function sum(a: number, b: number): number {\n  return a - b;\n}\n",
    "src/sum.test.ts": ('import { describe, it, expect } from "vitest";\n'
                        'import { sum } from "./sum";\n\n'
                        'describe("sum", () => {\n'
                        '  it("adds two numbers", () => {\n'
                        "    expect(sum(1, 2)).toBe(3);\n"
                        "  });\n"
                        "});\n"),
    "src/greet.js": 'export function greet(name) {\n  throw new Error("not implemented");\n}\n',
    "src/greet.test.js": ('import { expect, test } from "vitest";\n'
                          'import { greet } from "./greet.js";\n\n'
                          'test("greets by name", () => {\n'
                          '  expect(greet("Ada")).toBe("Hello, Ada");\n'
                          "});\n"),
}


def test_neovim_attaches_to_typescript_and_javascript_and_lists_the_actions(tmp_path):
    project = tmp_path / "vitest-project"
    for rel, text in FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    results = tmp_path / "result.json"
    env = server_env(tmp_path) | {"MICROAGENT_E2E_RESULT": str(results),
                                  "MICROAGENT_E2E_TIMEOUT": str((LIMIT - 60) * 1000)}
    command = [nvim(), "--headless", "--clean", "-u", str(INIT), "-c", f"luafile {DRIVER}"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=LIMIT, stdin=subprocess.DEVNULL)
    assert results.exists(), f"no result file; stdout: {done.stdout[-2000:]} stderr: {done.stderr[-2000:]}"
    result = json.loads(results.read_text(encoding="utf-8"))
    assert not result.get("error"), json.dumps(result, indent=1)[-4000:]

    assert result["filetype"] == "typescript" and result["source_filetype"] == "javascript"
    assert result["client"]["name"] == "microagent"
    assert Path(result["client"]["root_dir"]).resolve() == project.resolve()  # by package.json
    offered = {(a["title"], a["command"], a["target"]) for a in result["code_actions"]}
    assert ("Make this test pass (micro-agent)", "microagent.fix",
            "src/sum.test.ts::sum > adds two numbers") in offered, result["code_actions"]
    assert ("Make the failing tests in this file pass", "microagent.fix",
            "src/sum.test.ts") in offered, result["code_actions"]
    assert result["plugin_target"] == "src/sum.test.ts::sum > adds two numbers"

    source = {(a["title"], a["command"], a["target"]) for a in result["source_actions"]}
    assert ("Implement from tests (micro-agent)", "microagent.implement",
            "src/greet.js:greet") in source, result["source_actions"]
    assert result["source_target"] == "src/greet.js:greet"

"""What the TypeScript end-to-end tests (Neovim and VS Code) share: a vitest project whose `sum`
subtracts, its node_modules linked to the runners scripts/js-runners.sh installs (the process
sandbox runs the workspace's own vitest), the scripted Coder's SEARCH/REPLACE answer and the
Reviewer's comment, and vitest itself run on the project before and after.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from system_parts import js_runners

FIX_TEST = "Make this test pass (micro-agent)"  # server/lsp/features/code_actions.py
SOURCE = "src/sum.ts"
TESTS = "src/sum.test.ts"
TARGET = f"{TESTS}::sum > adds two numbers"  # the test as vitest names it
FAILING_LINE = "    expect(sum(1, 2)).toBe(3);"

SUM = """\
/** Arithmetic on numbers, for the vitest example. */
export function sum(a: number, b: number): number {
  return a - b;
}

export function product(a: number, b: number): number {
  return a * b;
}
"""
FIXED = "export function sum(a: number, b: number): number {\n  return a + b;\n}\n"
SUM_TEST = f"""\
import {{ describe, it, expect }} from "vitest";
import {{ product, sum }} from "./sum";

describe("sum", () => {{
  it("adds two numbers", () => {{
{FAILING_LINE}
  }});
}});

describe("product", () => {{
  it("multiplies two numbers", () => {{
    expect(product(2, 3)).toBe(6);
  }});
}});
"""
FILES = {
    "package.json": '{"name": "sum", "type": "module", "scripts": {"test": "vitest run"}, '
                    '"devDependencies": {"vitest": "^3.2.7"}}\n',
    SOURCE: SUM,
    TESTS: SUM_TEST,
}

REVIEW_LINE = 3  # `return a + b;` in the fixed src/sum.ts
REVIEW_MESSAGE = "sum(0.1, 0.2) is not 0.3: say in the doc comment that floats round"
REPLIES = [
    {"model": "coder",
     "reply": f"{SOURCE}\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n"},
    {"model": "reviewer", "reply": json.dumps([{
        "file": SOURCE, "line": REVIEW_LINE, "severity": "warning", "message": REVIEW_MESSAGE}])},
]


def vitest_project(dest: Path) -> Path:
    """The project under `dest`, node_modules a link to the runners' (skips without them, with
    the line that says how to install them)."""
    modules = js_runners()
    project = dest / "sum"
    for rel, text in FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    (project / "node_modules").symlink_to(modules, target_is_directory=True)
    return project


def vitest(project: Path, *files: str) -> subprocess.CompletedProcess:
    """`vitest run` on the project as its user would run it, with no results cache written
    into the shared runners."""
    node = os.environ.get("MICROAGENT_NODE", "node")
    return subprocess.run([node, "node_modules/vitest/vitest.mjs", "run", "--no-cache",
                           "--reporter=verbose", *files],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, env=os.environ | {"NO_COLOR": "1", "CI": "1"})

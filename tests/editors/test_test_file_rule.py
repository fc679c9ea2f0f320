"""The editor clients decide "is this a test file?" as the server does (languages/python/parsed.py
is_test_file; for TypeScript and JavaScript, languages/typescript/parsed.py is_test_file, jest's and
vitest's rule): the VS Code extension's isTestFile in Node and the Neovim plugin's is_test_file in a
headless Neovim answer the same for the same paths."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from microagent.languages.python.parsed import is_test_file as python_test_file
from microagent.languages.typescript.parsed import SUFFIXES
from microagent.languages.typescript.parsed import is_test_file as holds_js_tests

REPO = Path(__file__).resolve().parents[2]
PATHS = ["test_calc.py", "pkg/calc_test.py", "conftest.py", "pkg/conftest.py", "tests/helpers.py",
         "a/tests/b.py", "calc.py", "testing.py", "contest.py", "pkg/test_x.txt", "mytests/x.py",
         "test_/x.py", "src/pkg/test_calc.py", "tests_extra/x.py",
         "sum.test.ts", "src/sum.spec.tsx", "src/__tests__/sum.js", "src/__tests__/a/b.jsx",
         "lib/x.test.mjs", "a.spec.cts", "b.test.mts", "c.test.cjs", "X.test.TS", "sum.TEST.ts",
         "src/sum.ts", "index.js", "src/testing.ts", "tests/helpers.ts", "src/contest.ts",
         "vitest.config.ts", "sum.test.x.ts", "src/setupTests.ts", "__tests__.ts", "my__tests__/a.js",
         "sum.test.json", "test_x.ts"]


def is_test_file(path: str) -> bool:
    """The server's answer, by the language the path's suffix names."""
    if Path(path).suffix.lower() in SUFFIXES:
        return holds_js_tests(path)
    return python_test_file(path)


def test_the_vscode_extension_agrees():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    source = (REPO / "editor-clients/vscode/src/target.ts").read_text(encoding="utf-8")
    # The rule as written in TypeScript, its type annotations dropped, so plain Node runs it.
    rule = "\n".join(re.findall(r"^const (?:JS_)?(?:TEST_FILE|SUFFIX) = .*?;$", source, re.M))
    body = re.search(r"^export function isTestFile\(rel: string\): boolean \{\n(.*?)^\}", source,
                     re.M | re.S).group(1)
    script = f"{rule}\nfunction isTestFile(rel) {{\n{body}}}\n" \
             f"console.log(JSON.stringify({json.dumps(PATHS)}.map(isTestFile)));"
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert dict(zip(PATHS, json.loads(done.stdout))) == {p: is_test_file(p) for p in PATHS}


def test_the_neovim_plugin_agrees(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("nvim is not installed")
    out = tmp_path / "answers.txt"
    lua = tmp_path / "answers.lua"
    lua.write_text(
        f"vim.opt.runtimepath:prepend({json.dumps(str(REPO / 'editor-clients/nvim'))})\n"
        "local target = require('microagent.target')\n"
        f"local f = io.open({json.dumps(str(out))}, 'w')\n"
        f"for _, p in ipairs(vim.fn.json_decode({json.dumps(json.dumps(PATHS))})) do\n"
        "  f:write(p .. '\\t' .. tostring(target.is_test_file(p)) .. '\\n')\n"
        "end\nf:close()\n", encoding="utf-8")
    done = subprocess.run([nvim, "--headless", "--clean", "-c", f"luafile {lua}", "-c", "qa!"],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert out.exists(), done.stderr
    answers = dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())
    assert {p: a == "true" for p, a in answers.items()} == {p: is_test_file(p) for p in PATHS}

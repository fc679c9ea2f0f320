"""Task sets for the peer comparison: the three `examples/` projects, a fixed sample of
HumanEval problems, and the repair set (`bench/repair_tasks.py`). A task is a workspace both tools start from, the one file a single-file
tool may rewrite, the test file it is shown, and how the result is scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microagent.agents.selection import plan_tests, EXAMPLES_FILE
from microagent.agents.types import Target, Task, TaskKind
from microagent.bench.humaneval_tasks import SOLUTION, Problem, load_problems, workspace_files
from microagent.bench.repair_tasks import MODULE, TEST_FILE, load_set
from microagent.sandbox.types import WorkspaceSnapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HUMANEVAL_TESTS = "test_solution.py"  # the docstring examples as tests, shown to both tools


@dataclass(frozen=True)
class PeerTask:
    name: str
    files: dict[str, str]  # the workspace both tools start from
    edit: str  # the file a whole-file tool rewrites (micro-agent can change only one)
    tests: str  # the test file it is shown and runs
    kind: TaskKind  # how microagent is asked
    target: str | None = None
    hidden: Problem | None = None  # HumanEval: scored by the hidden test, not by `tests`


# (project, the file a user would hand to micro-agent, microagent's task kind)
EXAMPLE_TASKS = (("calc", "calc.py", TaskKind.fix), ("textstats", "stats.py", TaskKind.fix),
                 ("inventory", "inventory.py", TaskKind.implement))


def example_tasks(root: Path = EXAMPLES) -> list[PeerTask]:
    tasks = []
    for project, edit, kind in EXAMPLE_TASKS:
        folder = root / project
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py"))}
        tests = next(name for name in files if name.startswith("test_"))
        tasks.append(PeerTask(f"examples/{project}", files, edit, tests, kind,
                              target=tests if kind == TaskKind.implement else None))
    return tasks


def humaneval_tasks(count: int = 10, problems: list[Problem] | None = None) -> list[PeerTask]:
    """An evenly spaced sample of the problems whose docstrings give examples (the others
    leave a test-driven tool nothing to run), with those examples as the visible tests."""
    eligible = []
    for problem in problems or load_problems():
        snapshot = WorkspaceSnapshot(root="/humaneval").with_files(workspace_files(problem))
        plan = plan_tests(Task(kind=TaskKind.implement, root="/humaneval", target=Target.parse(problem.target)),
                          snapshot)
        if not plan.problem:
            eligible.append((problem, plan.snapshot.text(EXAMPLES_FILE)))
    step = max(1, len(eligible) // count)
    return [PeerTask(problem.task_id, {**workspace_files(problem), HUMANEVAL_TESTS: tests},
                     SOLUTION, HUMANEVAL_TESTS, TaskKind.implement, target=problem.target,
                     hidden=problem)
            for problem, tests in eligible[::step][:count]]


REPAIR_PREFIX = "repair/"


def repair_tasks(set_dir: Path) -> list[PeerTask]:
    """The repair set: the buggy module and its test file (never the answer key), scored by
    that test file as shipped. micro-agent rewrites the module; microagent is asked to fix."""
    tasks = []
    for task in load_set(set_dir):
        folder = set_dir / task.folder
        files = {name: (folder / name).read_text(encoding="utf-8") for name in (MODULE, TEST_FILE)}
        tasks.append(PeerTask(REPAIR_PREFIX + task.task_id, files, MODULE, TEST_FILE,
                              TaskKind.fix, target="."))
    return tasks

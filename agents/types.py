"""The types that cross the agents boundary: a Task in, Events while it runs, a RunResult out.

The CLI, the language server and the HTTP API see only these; nothing here calls a model.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from microagent.sandbox.types import Environment, TestReport


class RoleUsage(BaseModel):
    calls: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0  # of the prompt tokens, those a prefix cache did not process
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class TaskKind(str, Enum):
    fix = "fix"  # make failing tests pass without changing the tests
    implement = "implement"  # write missing or stub definitions that tests use
    review = "review"  # comments only


class Target(BaseModel):
    """What a run is about, relative to the workspace: the whole of it, a file or folder, a
    definition in a file, or one test in a test file. Written `path`, `path:symbol` or
    `path::test` where a person or an editor names it (`parse`, `str`)."""

    model_config = ConfigDict(frozen=True)

    path: str = Field("", description="a file or folder; empty: the whole workspace")
    symbol: str = Field("", description="a top-level definition in `path` (implement, review)")
    test: str = Field("", description="a test in `path`: `test_area`, `TestShape::test_exact`")

    @classmethod
    def parse(cls, text: str | None) -> "Target":
        """`path`, `path:symbol`, `path::test`; empty, `.` or `./` for the whole workspace."""
        path, sep, test = (text or "").strip().partition("::")
        path, colon, symbol = path.partition(":") if not sep else (path, "", "")
        path = path.removeprefix("./")
        return cls(path="" if path == "." else path, symbol=symbol.strip(), test=test.strip())

    @property
    def whole(self) -> bool:
        return not self.path

    def __str__(self) -> str:
        if self.test:
            return f"{self.path}::{self.test}"
        return f"{self.path}:{self.symbol}" if self.symbol else self.path or "."


class Task(BaseModel):
    kind: TaskKind
    root: str = Field(description="workspace folder")
    target: Target = Field(default_factory=Target)
    overlays: dict[str, str] = Field(
        default_factory=dict, description="unsaved buffers: relative path -> text")


class RunStatus(str, Enum):
    solved = "solved"  # all selected tests pass, nothing that passed before fails
    improved = "improved"  # more tests pass than before, not all
    unchanged = "unchanged"  # nothing to do, or no candidate beat the original
    failed = "failed"  # could not run (no tests found, sandbox error, model error)
    cancelled = "cancelled"
    budget = "budget"  # a budget ran out; the best candidate so far is returned


class FileEdit(BaseModel):
    path: str
    original: str
    content: str
    diff: str
    original_sha256: str = Field(description="digest of the text the run started from")


class ReviewComment(BaseModel):
    file: str
    line: int = 1
    severity: Literal["info", "warning", "error"] = "info"
    message: str
    suggestion: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "error"


class EventKind(str, Enum):
    started = "started"
    environment = "environment"  # the workspace's environment being made, before any test
    iteration = "iteration"
    model_call = "model_call"
    tests = "tests"
    refused = "refused"  # a candidate kept from the tests: it adds what only a cheat needs
    review = "review"
    proven = "proven"  # the tests pass: `result` holds the edits, before the review runs
    finished = "finished"


class Event(BaseModel):
    kind: EventKind
    message: str
    iteration: int = 0
    max_iterations: int = 0
    passed: int | None = None
    total: int | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    result: "RunResult | None" = Field(None, description="with `proven`: the solved result, "
                                       "its review still to come")


class RunResult(BaseModel):
    status: RunStatus
    message: str
    task: Task
    edits: list[FileEdit] = Field(default_factory=list)
    initial_report: TestReport | None = None
    report: TestReport | None = None
    comments: list[ReviewComment] = Field(default_factory=list)
    iterations: int = 0  # candidates a model wrote
    mutants: int = 0  # one-edit mutants tried (no model call)
    usage: dict[str, RoleUsage] = Field(default_factory=dict)
    seconds: dict[str, float] = Field(default_factory=dict, description="time per phase")
    transcript: list[dict[str, Any]] = Field(default_factory=list)
    environment: Environment | None = Field(None, description="what the tests ran with")
    proposer: str | None = Field(None, description="which proposer made the code the edits hold "
                                 "(first, lines, repair, samples, samples-repair)")
    seed: int | None = Field(None, description="the seed of the run's model calls: pass it as "
                             "loop.seed to repeat the run")
    read_sha256: dict[str, str] = Field(
        default_factory=dict, exclude=True,
        description="sha256 of every file the run read (its snapshot before any edit), by path: "
                    "a front door compares them with the files now to tell a stale result")

    @property
    def tokens(self) -> int:
        return sum(u.tokens for u in self.usage.values())

    @property
    def cost_usd(self) -> float:
        return sum(u.cost_usd for u in self.usage.values())


Event.model_rebuild()

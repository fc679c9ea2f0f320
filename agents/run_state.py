"""What one run of the loop carries from step to step: the candidates tried with their test
reports (Attempt), and the run's own record (RunState). Plain data; no model or sandbox calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from microagent.agents.types import Task
from microagent.languages.language import Language
from microagent.languages.registry import WORKSPACE_LANGUAGE
from microagent.sandbox.types import Environment, TestReport, WorkspaceSnapshot


@dataclass
class Attempt:
    files: dict[str, str]
    report: TestReport
    regressed: bool = False
    proposer: str = ""  # which proposer made it ("" for the original code)

    def score(self, baseline: set[str]) -> tuple:
        passing = {c.node_id for c in self.report.passed}
        return (not self.regressed, baseline <= passing, self.report.ok, len(passing))


@dataclass
class RunState:
    task: Task
    snapshot: WorkspaceSnapshot
    selection: list[str] | None
    started: float
    transcript: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    iterations: int = 0  # candidates a model wrote (the budget `loop.max_iterations` counts)
    mutants: int = 0  # mechanical one-edit candidates tried (`loop.mutants`)
    refusals: list[str] = field(default_factory=list)  # candidates the screen kept from the tests
    targets: list[str] = field(default_factory=list)  # the failing tests a pass must pass
    read_sha256: dict[str, str] = field(default_factory=dict)
    seed: int = 0  # model call i of the run is seeded seed + i
    calls: int = 0
    environment: Environment | None = None  # what the sandbox prepared for the workspace
    language: Language = WORKSPACE_LANGUAGE  # the workspace's (languages.registry)

    def next_seed(self) -> int:
        self.calls += 1
        return (self.seed + self.calls - 1) % 2_147_483_648

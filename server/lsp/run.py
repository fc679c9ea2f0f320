"""One run: what it was asked to do (`RunSpec`) and what it holds while under way (`Run`).
The registry in `runs` starts and stops them; `run_results` delivers what they leave.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from microagent.agents.types import Target, TaskKind
from microagent.server.lsp.workspace_view import OpenState


@dataclass(frozen=True)
class RunSpec:
    kind: TaskKind
    uri: str  # the document the command was run from: one run per document
    root: Path
    target: Target

    @property
    def title(self) -> str:
        return f"micro-agent {self.kind.value} {self.root.name if self.target.whole else self.target}"


@dataclass
class Run:
    spec: RunSpec
    state: OpenState  # the open documents, as they were when the run started
    token: str = field(default_factory=lambda: f"microagent-{uuid.uuid4().hex[:12]}")
    holder: list = field(default_factory=list)  # receives the agents Loop
    stop_requested: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None

    def stop(self) -> None:
        self.stop_requested.set()

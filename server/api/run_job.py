"""One request's run: wait for a place, write the task into a fresh temporary folder, run it
through `microagent.agents.runtime.run_task` under a hard wall-clock cap, and delete the folder.

It never writes outside its temporary folder and never runs the code itself: the sandbox
`run_task` opens does, and closes (removing its containers) when the run ends or is cancelled.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from microagent.agents.config import Config
from microagent.agents.runtime import run_task
from microagent.agents.types import Event, RunResult, Task
from microagent.server.api.errors import ApiError
from microagent.server.api.run_queue import Ticket
from microagent.server.api.task_from_messages import TaskFiles
from microagent.sandbox.deadline import within

log = logging.getLogger(__name__)
GRACE_SECONDS = 30.0  # past the loop's own time budget, for the sandbox to finish and close


@dataclass
class RunJob:
    request_id: str
    task: TaskFiles
    config: Config


async def run_job(ticket: Ticket, job: RunJob,
                  on_event: Callable[[Event], None] | None = None) -> RunResult:
    async with ticket:
        root = Path(tempfile.mkdtemp(prefix="microagent-api-"))
        try:
            write_files(root, job.task.files)
            task = Task(kind=job.task.kind, root=str(root), target=job.task.target)
            cap = job.config.loop.max_seconds + GRACE_SECONDS
            log.info("%s: %s %s started", job.request_id, task.kind.value,
                     "all tests" if task.target.whole else task.target)
            try:
                return await within(cap, run_task(task, job.config, on_event=on_event))
            except TimeoutError:
                raise ApiError(504, f"The run did not finish within its wall-clock budget of "
                                    f"{cap:g} s and was stopped. Send a smaller task or a lower "
                                    "max_iterations.", type="timeout_error",
                               code="run_timeout") from None
        finally:
            shutil.rmtree(root, ignore_errors=True)


def write_files(root: Path, files: dict[str, str]) -> None:
    """Paths were checked when the request was parsed; check again that none leaves `root`."""
    base = root.resolve()
    for path, text in files.items():
        target = (base / path).resolve()
        if base not in target.parents:
            raise ApiError(400, f"{path!r} is not a path inside the workspace.", param="microagent.files")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:  # the checks at the door should have caught it; still a 400
            raise ApiError(400, f"{path[:80]!r} cannot be written as a file ({exc.strerror}). "
                                "Send plain relative paths such as 'pkg/mod.py'.",
                           param="microagent.files", code="bad_path") from None

"""The Docker sandbox over several engines: each command goes to the least loaded engine that
answers (sandbox/engines.py), in a per-engine Docker sandbox of this run (its own warm
container and labels there). When an engine fails during a command, the engine is taken out of
rotation and the same command runs again on another: a run is lost only when every engine is.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Sequence, TypeVar

from microagent.sandbox.container import ContainerLimits
from microagent.sandbox.deadline import within
from microagent.sandbox.docker_backend import DockerSandbox
from microagent.sandbox.engines import Engine, Engines
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import (CommandResult, EngineLost, Environment, Progress,
                                      SandboxError, TestReport, WorkspaceSnapshot)

T = TypeVar("T")


class SpreadSandbox:
    name = "docker"
    isolation = "strong"

    def __init__(self, engines: Engines, limits: ContainerLimits = ContainerLimits(), *,
                 runner: TestRunner,
                 requirements: Sequence[str] = (), setup: str | None = None,
                 devcontainer: bool = False) -> None:
        self.engines = engines
        self.environment = {"requirements": list(requirements), "setup": setup,
                            "devcontainer": devcontainer}
        self.runner = runner
        self.limits = limits
        self.endpoint = ", ".join(e.url for e in engines.engines)
        self.moved = 0  # commands that ran again on another engine after one failed
        self._boxes: dict[str, DockerSandbox] = {}
        self._closed = False

    async def run_tests(self, snapshot: WorkspaceSnapshot, selection: Sequence[str] | None = None,
                        timeout: float = 60.0) -> TestReport:
        return await self._on_an_engine(lambda box: box.run_tests(snapshot, selection, timeout))

    async def run(self, snapshot: WorkspaceSnapshot, argv: Sequence[str], timeout: float = 60.0,
                  *, collect: Sequence[str] = ()) -> CommandResult:
        return await self._on_an_engine(lambda box: box.run(snapshot, argv, timeout,
                                                            collect=collect))

    async def prepare(self, snapshot: WorkspaceSnapshot,
                      progress: Progress | None = None) -> Environment:
        """The environment on one engine now; the others build theirs (from the same wheels)
        when a run first goes to them."""
        return await self._on_an_engine(lambda box: box.prepare(snapshot, progress))

    async def close(self) -> None:
        """Remove this run's containers on every engine; one that is down is cleaned when it
        comes back."""
        self._closed = True
        boxes, self._boxes = list(self._boxes.items()), {}
        for url, box in boxes:
            try:
                await box.close()
            except SandboxError:
                pass  # the engine is down: its janitor removes them when it answers again
            finally:
                self.engines.hold(self._engine(url), box, held=False)

    async def _on_an_engine(self, call: Callable[[DockerSandbox], Awaitable[T]]) -> T:
        failed: set[str] = set()
        while True:
            if self._closed:
                raise SandboxError("the Docker sandbox was closed; create a new one")
            engine = await self.engines.acquire(avoid=failed)
            finished = False
            try:
                box = await self._box(engine)
                result = await call(box)
                finished = True
                return result
            except EngineLost as exc:
                failed.add(engine.url)
                self.engines.take_out(engine, str(exc).split(" Check ")[0])
                await self._drop(engine.url)
                self.moved += 1
            finally:
                self.engines.release(engine, finished=finished)

    async def _box(self, engine: Engine) -> DockerSandbox:
        box = self._boxes.get(engine.url)
        if box is not None:
            return box
        try:
            await self.engines.ready(engine)
            box = await asyncio.to_thread(DockerSandbox, engine.client, self.engines.image,
                                          self.limits, runner=self.runner, **self.environment)
        except SandboxError as exc:
            raise EngineLost(str(exc)) from exc
        self._boxes[engine.url] = box
        self.engines.hold(engine, box)
        return box

    async def _drop(self, url: str) -> None:
        box = self._boxes.pop(url, None)
        if box is None:
            return
        self.engines.hold(self._engine(url), box, held=False)
        try:
            await within(10, box.close())
        except (SandboxError, TimeoutError):
            pass  # cleaned when the engine answers again

    def _engine(self, url: str) -> Engine:
        return next(e for e in self.engines.engines if e.url == url)

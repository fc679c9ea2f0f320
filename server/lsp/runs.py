"""Runs in the background: at most one per document and a configurable number in all. A command
starts one and returns at once; this module shows its progress, stops it on request within a
fraction of a second, and closes its sandbox (removing its containers) whatever happens.

It never blocks the server's loop: the agents package (and litellm) is imported, and every run
executes, on a thread of their own (`microagent.server.lsp.agent_thread`); settings are read in a worker
thread. Results go to `microagent.server.lsp.run_results`. The server is reached only as the
runs' `Host` (`microagent.server.lsp.host`), so the server module imports this one, not the
other way round.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types

from microagent.agents.types import Event, EventKind, RunResult, RunStatus, Task
from microagent.sandbox.snapshot import FileCache
from microagent.sandbox.types import SandboxError
from microagent.server.lsp.agent_thread import AgentThread
from microagent.server.lsp.host import Host
from microagent.server.lsp.messages import StatusLine, for_editor, outcome
from microagent.server.lsp.progress import ProgressBar, progress
from microagent.server.lsp.run import Run, RunSpec
from microagent.server.lsp.run_results import deliver, deliver_review
from microagent.server.lsp.settings import config_for
from microagent.server.lsp.staleness import changed_files, stale_message
from microagent.server.lsp.workspace_view import open_state, relative

log = logging.getLogger(__name__)
GRACE = 0.35  # seconds a stopped run gets to return its result before we stop waiting for it
CLOSE_WAIT = 15.0  # seconds a new run waits for earlier sandboxes to finish closing
RUN_AGAIN = "Run again"


class RunRefused(Exception):
    """A run cannot start now; the message says why and what to do."""


@dataclass
class LastRun:
    spec: RunSpec
    result: RunResult
    applied: bool = False


class RunRegistry:
    def __init__(self, server: Host) -> None:
        self.server = server
        self.active: dict[str, Run] = {}
        self.last: dict[str, LastRun] = {}
        self.latest: str | None = None
        self.closing = False
        self._background: set[asyncio.Future] = set()
        self._asking: set[asyncio.Future] = set()  # "run again?" questions the user may ignore
        self._runtime: asyncio.Future | None = None
        self.agents = AgentThread()
        self.files = FileCache()  # the workspaces' files: a later run re-reads only changes

    # -- the agents package, imported once in a thread -----------------------------------

    def warm_up(self) -> None:
        """Import agents.runtime (and litellm, ~4 s) once, on the runs' thread: the server's
        loop keeps answering meanwhile, and an early `exit` does not wait for the import."""
        if self._runtime is not None:
            return

        def loaded(done: asyncio.Future) -> None:
            if not done.cancelled() and done.exception() is None:
                # litellm brings ~400,000 objects that live as long as the server: keep the
                # collector from walking them again, or its pauses show in code actions.
                gc.freeze()
                self.server.log("micro-agent: agents loaded")

        self._runtime = self.agents.submit(_import_runtime(), track=False)
        self._runtime.add_done_callback(_quiet)
        self._runtime.add_done_callback(loaded)

    async def runtime(self) -> Any:
        self.warm_up()
        assert self._runtime is not None
        try:
            return await asyncio.shield(self._runtime)
        except Exception:
            self._runtime = None  # let the next run try again
            raise

    # -- starting, finding and stopping runs ---------------------------------------------

    def start(self, spec: RunSpec) -> Run:
        if self.closing:
            raise RunRefused("micro-agent is shutting down")
        if spec.uri in self.active:
            raise RunRefused(f"micro-agent is already working on {Path(spec.uri).name}: wait for "
                             "it, or cancel it (microagent.cancel) first")
        limit = self.server.settings.editor.max_concurrent_runs
        if len(self.active) >= limit:
            raise RunRefused(f"micro-agent is already running {len(self.active)} run(s), the "
                             f"most microagent.maxConcurrentRuns allows: wait, or cancel one")
        run = Run(spec, open_state(self.server.workspace, spec.root))
        self.active[spec.uri] = run
        self.server.diagnostics.clear(spec.uri)
        run.task = asyncio.ensure_future(self._main(run))
        return run

    def last_for(self, uri: str | None) -> LastRun | None:
        """The last run started from this document, else the latest whose edits touch it;
        with no document, the latest of all."""
        if uri is None:
            return self.last.get(self.latest or "")
        if uri in self.last:
            return self.last[uri]
        touching = [last for last in self.last.values()
                    if relative(last.spec.root, uri) in {e.path for e in last.result.edits}]
        return touching[-1] if touching else None

    def by_token(self, token: str | int) -> Run | None:
        return next((r for r in self.active.values() if r.token == token), None)

    def stop(self, uri: str | None = None) -> list[Run]:
        runs = [r for u, r in self.active.items() if uri is None or u == uri]
        for run in runs:
            run.stop()
        return runs

    async def shutdown(self, timeout: float = 60.0) -> None:
        """Stop every run and wait until their sandboxes are closed."""
        self.closing = True
        for question in list(self._asking):
            question.cancel()
        tasks = [r.task for r in self.stop() if r.task]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
        while self._background and loop.time() < deadline:
            await asyncio.wait(set(self._background), timeout=deadline - loop.time())
        if self.agents.started:
            await self.agents.submit(self.agents.drain(max(1.0, deadline - loop.time()),
                                                       cleanups_only=False), track=False)

    def close_now(self, timeout: float = 15.0) -> None:
        """After the server's loop has ended without a `shutdown` (the editor went away):
        wait, from the main thread, for the sandboxes the cancelled runs are closing."""
        if self.agents.started:
            try:
                asyncio.run_coroutine_threadsafe(
                    self.agents.stop_all(timeout), self.agents.loop).result(timeout + 1)
            except Exception:  # noqa: BLE001 - the janitor removes what is left
                log.warning("sandboxes still closing at exit; the next run's janitor will finish")

    # -- one run ---------------------------------------------------------------------------

    async def _main(self, run: Run) -> None:
        """Run, end the progress and deliver: a proven fix as soon as its tests pass (the
        review then runs on, and its comments arrive as diagnostics), any other result at the
        end."""
        spec = run.spec
        result: RunResult | None = None
        early: RunResult | None = None  # the proven fix, delivered before its review
        applied = False
        changed: list[str] = []
        proven: asyncio.Future[RunResult] = asyncio.get_running_loop().create_future()
        work: asyncio.Future | None = None
        try:
            async with progress(self.server, run.token, spec.title) as bar:
                work = asyncio.ensure_future(self._work(run, bar, proven))
                if await self._wait(run, work, proven) is proven:
                    early = proven.result()
                else:
                    result = work.result() if work.done() else await self._stop(run, work)
                changed = await self._changed(run, early or result)
                if changed:  # never "solved" for tests it did not run
                    bar.final = stale_message(spec.title, changed)
                elif early is not None:
                    bar.final = f"{outcome(spec.title, early)}; reviewing"
                else:
                    bar.final = outcome(spec.title, result) if result else f"{spec.title}: cancelled"
            if early is not None:
                if changed:
                    run.stop()  # no review of a fix that is not delivered
                elif not self.closing:
                    applied = await deliver(self.server, run, early)
                result = await self._review_of(run, work, early)
        except SandboxError as exc:
            short, details = for_editor(str(exc))
            self.server.tell(short, types.MessageType.Error)
            self.server.log(details, types.MessageType.Error)
        except Exception as exc:  # noqa: BLE001 - a failed run must not take the server down
            self.server.tell(f"{spec.title} failed: {exc}. Details are in the output log.",
                             types.MessageType.Error)
            self.server.log("".join(traceback.format_exception(exc)), types.MessageType.Error)
        finally:
            if self.active.get(spec.uri) is run:
                del self.active[spec.uri]
        if result is not None and not self.closing:
            self.last.pop(spec.uri, None)  # re-inserted last: dict order is recency
            self.last[spec.uri] = LastRun(spec, result)
            self.latest = spec.uri
            if changed:  # kept for microagent.applyLast, which runs it again
                self._offer_again(spec, stale_message(spec.title, changed))
            elif early is not None:
                self.last[spec.uri].applied = applied
                await deliver_review(self.server, run, result, applied)
            else:
                self.last[spec.uri].applied = await deliver(self.server, run, result)

    async def _wait(self, run: Run, work: asyncio.Future, *also: asyncio.Future) -> asyncio.Future:
        """Whichever comes first: `work` done, a stop request, or one of `also` (returned)."""
        stopped = asyncio.ensure_future(run.stop_requested.wait())
        try:
            done, _ = await asyncio.wait({work, stopped, *also}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        return next((f for f in also if f in done), work)

    async def _review_of(self, run: Run, work: asyncio.Future, early: RunResult) -> RunResult:
        """The final result of a run whose fix went out: the same edits with the review's
        comments; the delivered fix itself if the review is stopped or fails."""
        try:
            await self._wait(run, work)
            final = work.result() if work.done() else await self._stop(run, work)
        except Exception as exc:  # noqa: BLE001 - the fix stands without its review
            self.server.log(f"{run.spec.title}: the review failed: {exc}", types.MessageType.Warning)
            return early
        if final is None or final.status != RunStatus.solved:
            return early
        return final

    async def _changed(self, run: Run, result: RunResult | None) -> list[str]:
        """The files the run read that hold other text now (empty: its result stands)."""
        if result is None or result.status in (RunStatus.failed, RunStatus.cancelled):
            return []
        return await changed_files(self.server.workspace, run.spec.root, result)

    def _offer_again(self, spec: RunSpec, message: str) -> None:
        """Say the result is stale and offer to run the same command again, without holding
        anything up while the question waits for an answer."""
        async def ask() -> None:
            try:
                answer = await self.server.window_show_message_request_async(
                    types.ShowMessageRequestParams(
                        type=types.MessageType.Warning, message=f"{message}. Run it again?",
                        actions=[types.MessageActionItem(title=RUN_AGAIN)]))
            except Exception:  # noqa: BLE001 - an editor that cannot ask still gets told
                self.server.tell(f"{message}. Run \"micro-agent: apply last result\" "
                                 "(microagent.applyLast) to run it again on the current text.",
                                 types.MessageType.Warning)
                return
            if answer is None or answer.title != RUN_AGAIN or self.closing:
                return
            try:
                self.start(spec)
            except RunRefused as exc:
                self.server.tell(str(exc), types.MessageType.Warning)

        question = asyncio.ensure_future(ask())
        self._asking.add(question)
        question.add_done_callback(self._asking.discard)
        question.add_done_callback(_quiet)

    async def _work(self, run: Run, bar: ProgressBar,
                    proven: "asyncio.Future[RunResult] | None" = None) -> RunResult:
        spec = run.spec
        config, problems = await asyncio.to_thread(config_for, spec.root, self.server.settings)
        for problem in problems:
            self.server.tell_once(problem, types.MessageType.Warning)
        if self._runtime is None or not self._runtime.done():
            bar.report("loading the agents")
        runtime = await self.runtime()
        bar.report(f"opening the {config.sandbox.backend} sandbox")
        task = Task(kind=spec.kind, root=str(spec.root), target=spec.target,
                    overlays=run.state.overlays)
        status = StatusLine()
        here = asyncio.get_running_loop()

        def show(event: Event) -> None:  # on the server's loop
            self.server.log(f"{spec.title}: {event.message}")
            if event.kind == EventKind.proven and proven is not None and not proven.done():
                proven.set_result(event.result)
            line = status.update(event)
            if line is not None:
                bar.report(*line)

        def on_event(event: Event) -> None:  # on the agents' thread
            _post(here, show, event)

        def log(message: str) -> None:
            _post(here, self.server.log, f"{spec.title}: {message}")

        return await self.agents.submit(
            self._run_in_agents_thread(runtime, task, config, on_event, log, run.holder))

    async def _run_in_agents_thread(self, runtime: Any, task: Task, config: Any, on_event: Any,
                                    log: Any, holder: list) -> RunResult:
        """Open the sandbox, run, and leave the sandbox's closing (its containers' removal) to
        run on in this thread's loop, so the result is not held up by it."""
        # A sandbox still removing its container (a run just cancelled) would race the new
        # one's janitor, which lists every microagent container: let it finish first.
        await self.agents.drain(CLOSE_WAIT)  # cleanups only: other runs go on
        opening = asyncio.ensure_future(asyncio.to_thread(runtime.open_sandbox, config, task.root))
        try:
            sandbox, why = await asyncio.shield(opening)
        except asyncio.CancelledError:
            def close_when_open(future: asyncio.Future) -> None:
                if not future.cancelled() and future.exception() is None:
                    self.agents.cleanup(_close(future.result()[0], log))

            opening.add_done_callback(close_when_open)
            raise
        log(f"sandbox {why}")
        try:
            return await runtime.run_task(task, config, sandbox=sandbox, on_event=on_event,
                                          loop_holder=holder, files=self.files)
        finally:
            self.agents.cleanup(_close(sandbox, log))

    async def _stop(self, run: Run, work: asyncio.Future) -> RunResult | None:
        """Ask the loop to stop (it returns a cancelled result within one await); a run with no
        loop yet, or one slow to return, is cancelled and left to clean up in the background."""
        if run.holder:
            self.agents.call(run.holder[0].stop)  # the Loop belongs to the agents' thread
        else:
            work.cancel()
        done, _ = await asyncio.wait({work}, timeout=GRACE)
        if not done:
            work.cancel()
            self.track(work)
            return None
        if work.cancelled() or work.exception() is not None:
            return None
        return work.result()

    def track(self, future: asyncio.Future) -> None:
        self._background.add(future)
        future.add_done_callback(self._background.discard)
        future.add_done_callback(_quiet)


async def _import_runtime() -> Any:
    return importlib.import_module("microagent.agents.runtime")


async def _close(sandbox: Any, tell: Any) -> None:
    try:
        await sandbox.close()
    except Exception as exc:  # noqa: BLE001 - cleanup failures are logged, never raised
        log.exception("closing the sandbox failed")
        tell(f"closing the {sandbox.name} sandbox failed: {exc}")
    else:
        tell(f"{sandbox.name} sandbox closed")


def _post(loop: asyncio.AbstractEventLoop, function: Any, *args: Any) -> None:
    """Call `function` on the server's loop from the agents' thread. When the editor has gone
    away that loop is closed while sandboxes are still closing: there is no one left to tell."""
    try:
        loop.call_soon_threadsafe(function, *args)
    except RuntimeError:  # the loop is closed
        log.info("after the editor left: %s", " ".join(map(str, args)))


def _quiet(future: asyncio.Future) -> None:
    """Retrieve a background future's exception so asyncio does not warn; log it."""
    if not future.cancelled() and future.exception() is not None:
        log.warning("background task failed: %s", future.exception())


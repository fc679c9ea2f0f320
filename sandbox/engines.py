"""Several Docker engines as one place to run: each engine's load against its own limit of
concurrent runs, and its health. An engine that fails is taken out of rotation; it is asked
again after `recheck_seconds`, and before it takes runs again the containers this process left
on it are removed (the janitor, per engine) and the sandbox image is put on it if it lacks it.

One `Engines` per set of engines and process (`engines_for`), shared by every run, so the
limits hold across the runs of `microagent serve`. One engine from the environment, the
default, never comes here.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import docker
import docker.errors
import requests

from microagent.sandbox.container import OWNER_LABEL, owner_label, remove_container
from microagent.sandbox.engine import remove_orphans
from microagent.sandbox.image_build import build_image, image_present
from microagent.sandbox.types import EngineSpec, SandboxError

RECHECK_SECONDS = 5.0
WAIT_SECONDS = 0.05  # how often a run waiting for room looks again
PING_SECONDS = 5
ENGINE_FAILURES = (docker.errors.DockerException, requests.RequestException, OSError, SandboxError)


def client_for(spec: EngineSpec, timeout: int = 60) -> docker.DockerClient:
    """A client for one engine: unix://, tcp:// (with TLS from `tls_dir`) or ssh://."""
    tls = None
    if spec.tls_dir:
        d = spec.tls_dir.rstrip("/")
        tls = docker.tls.TLSConfig(client_cert=(f"{d}/cert.pem", f"{d}/key.pem"),
                                   ca_cert=f"{d}/ca.pem", verify=True)
    use_ssh_client = spec.url.startswith("ssh://")
    return docker.DockerClient(base_url=spec.url, tls=tls, timeout=timeout,
                               use_ssh_client=use_ssh_client)


@dataclass
class Engine:
    spec: EngineSpec
    busy: int = 0
    down: bool = False
    error: str = ""
    checked: float = 0.0  # when it was last found down
    ran: int = 0  # runs it finished
    lost: int = 0  # times it was taken out of rotation
    ready: bool = False  # image checked and leftovers cleaned since it (re)joined

    @property
    def url(self) -> str:
        return self.spec.url

    def client(self) -> docker.DockerClient:
        return client_for(self.spec)


@dataclass
class Engines:
    """The engines of one configuration; `acquire` hands out the least loaded healthy one."""

    specs: list[EngineSpec]
    image: str
    recheck_seconds: float = RECHECK_SECONDS
    clock: Callable[[], float] = time.monotonic
    engines: list[Engine] = field(init=False)

    def __post_init__(self) -> None:
        self.engines = [Engine(spec) for spec in self.specs]
        self._lock = threading.Lock()  # runs of several threads' event loops share the engines
        self._prepare_lock = threading.Lock()
        self._holders: dict[str, set] = {spec.url: set() for spec in self.specs}

    async def acquire(self, avoid: set[str] = frozenset()) -> Engine:
        """The healthy engine with the most free room (waiting while all are full). Raises
        SandboxError when every engine not in `avoid` is down."""
        while True:
            await self._recheck_due(avoid)
            with self._lock:
                up = [e for e in self.engines if not e.down and e.url not in avoid]
                if not up:
                    raise SandboxError(self.describe_down(avoid))
                free = [e for e in up if e.busy < e.spec.max_containers]
                if free:
                    engine = max(free, key=lambda e: 1 - e.busy / e.spec.max_containers)
                    engine.busy += 1
                    return engine
            await asyncio.sleep(WAIT_SECONDS)

    def release(self, engine: Engine, *, finished: bool) -> None:
        with self._lock:
            engine.busy -= 1
            engine.ran += finished

    def hold(self, engine: Engine, holder, held: bool = True) -> None:
        """A run's sandbox on `engine` (its containers are live) comes or goes."""
        with self._lock:
            (self._holders[engine.url].add if held else self._holders[engine.url].discard)(holder)

    def take_out(self, engine: Engine, error: str) -> None:
        """The engine failed: no new runs go there until it answers again."""
        with self._lock:
            if not engine.down:
                engine.lost += 1
            engine.down, engine.error, engine.ready = True, error, False
            engine.checked = self.clock()

    async def ready(self, engine: Engine) -> None:
        """Before an engine's first run (and after it comes back): clean what this process left
        there and make sure it has the image. Raises SandboxError if it cannot."""
        if not engine.ready:
            await asyncio.to_thread(self._prepare, engine)

    def _prepare(self, engine: Engine) -> None:
        with self._prepare_lock:
            if engine.ready:
                return
            try:
                client = engine.client()
                try:
                    client.ping()
                    with self._lock:
                        live = {c for box in self._holders[engine.url] for c in box.container_ids()}
                    _remove_ours(client, keep=live)
                    remove_orphans(client)
                    if not image_present(client, self.image):
                        self._put_image(client)
                finally:
                    client.close()
            except ENGINE_FAILURES as exc:
                raise SandboxError(f"Docker engine {engine.url}: {exc}") from exc
            engine.ready = True

    def _put_image(self, target: docker.DockerClient) -> None:
        """Load the image from an engine that has it, or build it there."""
        for other in self.engines:
            if other.down:
                continue
            try:
                source = other.client()
                try:
                    if image_present(source, self.image):
                        data = b"".join(source.images.get(self.image).save(named=True))
                        target.images.load(data)
                        return
                finally:
                    source.close()
            except ENGINE_FAILURES:
                continue
        build_image(target, self.image, lambda line: None)

    async def _recheck_due(self, avoid: set[str]) -> None:
        now = self.clock()
        with self._lock:
            due = [e for e in self.engines
                   if e.down and e.url not in avoid and now - e.checked >= self.recheck_seconds]
            for engine in due:
                engine.checked = now
        for engine in due:
            if await asyncio.to_thread(_answers, engine):
                with self._lock:
                    engine.down, engine.error = False, ""

    def describe_down(self, avoid: set[str] = frozenset()) -> str:
        lines = [f"{e.url}: {e.error or 'failed during this run'}" for e in self.engines
                 if e.down or e.url in avoid]
        return ("No Docker engine can take the run: " + "; ".join(lines)
                + ". Start the engines (or check sandbox.engines); a stopped engine rejoins "
                f"within {self.recheck_seconds:g} s of answering again.")

    def status(self) -> list[dict]:
        """Each engine as this process sees it: `state` is "ready" (cleaned and holding the
        image), "down" (left out since `error`) or "unused" (not asked yet)."""
        return [{"url": e.url, "up": not e.down, "busy": e.busy,
                 "state": "down" if e.down else "ready" if e.ready else "unused",
                 "max_containers": e.spec.max_containers, "ran": e.ran, "lost": e.lost,
                 "error": e.error} for e in self.engines]


def _answers(engine: Engine) -> bool:
    try:
        client = client_for(engine.spec, timeout=PING_SECONDS)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except ENGINE_FAILURES:
        return False


def _remove_ours(client: docker.DockerClient, keep: set[str]) -> None:
    """Containers this process made on an engine before it failed, except those a live run
    still holds (`keep`, full ids)."""
    mine = owner_label()
    for container in client.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={mine}"},
                                            ignore_removed=True):
        if container.id not in keep:
            remove_container(container)


_shared: dict[str, Engines] = {}
_shared_lock = threading.Lock()


def engines_for(specs: list[EngineSpec], image: str) -> Engines:
    """The process's Engines for this configuration, made on first use."""
    key = image + "|" + "|".join(s.model_dump_json() for s in specs)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Engines(list(specs), image)
        return _shared[key]

"""A Node workspace's node_modules in the Docker sandbox, by the same mechanism as a Python
workspace's environment (sandbox/environments.py): the packages its npm lockfile names are
fetched on the host into an npm cache (sandbox/npm_fetch.py), then `npm ci --offline` installs
them in a container with no network (the cache bind-mounted, npm running as its owner), and the
result is committed as an image layer keyed by the lockfile and the Node image, reused until
either changes. The bind mount needs the engine on this machine, as the local one is.

Install scripts never run, on the host or in the container (`--ignore-scripts`): a package that
needs its postinstall (a native addon built from source) is missing it, and npm says so in the
tests' output. The node_modules live in the layer at NODE_MODULES, owned by root, so the code
under test can read them and never change them; the runner links them into /work.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import time
from pathlib import Path

import docker
import docker.errors
import platformdirs
from docker.types import Mount
from filelock import FileLock

from microagent.sandbox.container import (ENV_DIR, IDLE_COMMAND, MODE_LABEL, OWNER_LABEL, WORKDIR,
                                          WORKSPACE_LABEL, owner_label, remove_container,
                                          workspace_label)
from microagent.sandbox.env_image import (BASE_LABEL, BUILD_MEMORY, INFO_FILE, KEY_LABEL, env_info,
                                          env_tag, exec_in_build)
from microagent.sandbox.image_build import image_present
from microagent.sandbox.npm_fetch import MANIFEST, NPM_CI, Lockfile, fill_npm_cache, read_lockfile
from microagent.sandbox.snapshot import snapshot_tar
from microagent.sandbox.prepared import PreparedImages
from microagent.sandbox.types import (Environment, EnvironmentFailed, Progress, SandboxError,
                                      WorkspaceSnapshot)

LAYOUT = "node-1"  # bump when the layer's layout changes, so older layers are rebuilt
NODE_MODULES = f"{ENV_DIR}/node_modules"  # give the runner this: NodeTestRunner(modules=...)
CACHE_MOUNT = "/opt/microagent-npm-cache"
# scripts/js-runners.sh's pinned runners: what a workspace whose lockfile installs no runner
# gets, added with npm on the host (resolved against its lockfile), when the caller allows it.
FALLBACK_RUNNERS = {"vitest": "3.2.7", "jest": "30.5.2"}
# What the layer holds, for the Environment: the runners' versions and the package count.
_INFO = """
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
const names = fs.readdirSync(dir).filter((n) => !n.startsWith('.'));
const count = names.reduce((n, name) => n + (name.startsWith('@')
  ? fs.readdirSync(path.join(dir, name)).length : 1), 0);
const installed = ['vitest', 'jest'].filter((n) => fs.existsSync(path.join(dir, n, 'package.json')))
  .map((n) => `${n}==${JSON.parse(fs.readFileSync(path.join(dir, n, 'package.json'))).version}`);
console.log(JSON.stringify({installed, packages: count, node: process.version}));
"""


def default_cache() -> Path:
    return Path(platformdirs.user_cache_dir("microagent")) / "environments"


def _quiet(line: str) -> None:
    pass


class NodeEnvironments(PreparedImages):
    """The node_modules layers on one Docker engine, for every Node workspace a sandbox serves;
    the same doors as `Environments` (prepare, image_for, describe), so DockerSandbox takes it."""

    def __init__(self, client: docker.DockerClient, base: str, *, cache: Path | None = None,
                 npm: str = "npm", fallback_runner: str | None = None,
                 fetch=fill_npm_cache) -> None:  # type: ignore[no-untyped-def]
        """`fallback_runner` ("vitest", "jest"): added at FALLBACK_RUNNERS' version to a
        workspace whose lockfile does not install it; None: such a workspace's run says the
        runner is not installed."""
        if fallback_runner is not None and fallback_runner not in FALLBACK_RUNNERS:
            raise ValueError(f"no fallback for {fallback_runner}: one of {list(FALLBACK_RUNNERS)}")
        self.fallback_runner = fallback_runner
        self.client = client
        self.base = base
        self.cache = cache or default_cache()
        self.npm_cache = self.cache / "npm"  # shared by every lockfile: a package is fetched once
        self.npm = npm
        self._fetch = fetch
        super().__init__()

    def describe(self, snapshot: WorkspaceSnapshot) -> dict:
        try:
            lockfile = read_lockfile(snapshot)
        except EnvironmentFailed as exc:
            return {"state": "failed", "error": str(exc), "image": self.base}
        added = self.added(lockfile)
        key = self.key(lockfile, added)
        state = "cached" if image_present(self.client, env_tag(key)) else "not built"
        return {**self._read_state(key), "sources": self._sources(lockfile, added),
                "state": state, "image": env_tag(key), "key": key,
                "runners": lockfile.runners(), "added": added}

    def added(self, lockfile: Lockfile) -> list[str]:
        """The fallback runner's npm spec, when the lockfile does not install that runner."""
        name = self.fallback_runner
        return [] if name is None or name in lockfile.runners() else [
            f"{name}@{FALLBACK_RUNNERS[name]}"]

    def key(self, lockfile: Lockfile, added: list[str]) -> str:
        try:
            base_id = self.client.images.get(self.base).id
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(f"The Node sandbox image {self.base} is missing. Build it with "
                               "`sudo python -m microagent.sandbox.node_image`.") from exc
        digest = hashlib.sha256()
        for part in (LAYOUT.encode(), base_id.encode(), lockfile.name.encode(), lockfile.text,
                     " ".join(added).encode()):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()

    def _ensure(self, snapshot: WorkspaceSnapshot, progress: Progress) -> Environment:
        lockfile = read_lockfile(snapshot)
        added = self.added(lockfile)
        key = self.key(lockfile, added)
        tag = env_tag(key)
        if image_present(self.client, tag):
            return self._environment("cached", tag, lockfile, added, self._read_state(key))
        self.cache.mkdir(parents=True, exist_ok=True)
        with FileLock(self.cache / f"{key[:16]}.lock"):  # another process may be building it
            if image_present(self.client, tag):
                return self._environment("cached", tag, lockfile, added, self._read_state(key))
            began = time.monotonic()
            self._write_state(key, {"status": "building", "when": time.time()})
            try:
                installing = self._fetch(lockfile, self.npm_cache, progress, npm=self.npm,
                                         add=added)
                info = self._build(snapshot, installing, key, progress)
            except EnvironmentFailed as exc:
                self._write_state(key, {"status": "failed", "error": str(exc),
                                        "when": time.time()})
                raise
            state = {"status": "built", "when": time.time(), **info,
                     "seconds": round(time.monotonic() - began, 1)}
            self._write_state(key, state)
        self._remove_stale(snapshot, key)
        return self._environment("built", tag, lockfile, added, state)

    def _build(self, snapshot: WorkspaceSnapshot, lockfile: Lockfile, key: str,
               progress: Progress) -> dict:
        """`npm ci --offline` in a container of the Node image, committed as `env_tag(key)`."""
        progress(f"installing node_modules from {lockfile.name} on {self.base} (once; later "
                 "runs reuse it)")
        labels = {OWNER_LABEL: owner_label(), MODE_LABEL: "env-build",
                  WORKSPACE_LABEL: workspace_label(snapshot.root)}
        try:
            container = self.client.containers.run(
                self.base, IDLE_COMMAND, detach=True, user="0:0", network_mode="none",
                labels=labels, mem_limit=BUILD_MEMORY, memswap_limit=BUILD_MEMORY,
                log_config={"type": "none"}, environment={"HOME": "/tmp"},
                # Read-write: npm 11.21 missed cached packuments in a read-only cache.
                mounts=[Mount(CACHE_MOUNT, str(self.npm_cache.resolve()), type="bind")])
        except docker.errors.APIError as exc:
            raise EnvironmentFailed(
                f"Docker could not start the node_modules build: {exc}") from exc
        try:
            only = snapshot.model_copy(update={"files": {
                MANIFEST: lockfile.manifest, lockfile.name: lockfile.text}})
            # npm runs as the cache's owner: what it writes there stays the user's.
            owner = f"{os.getuid()}:{os.getgid()}"
            exec_in_build(self.client, container, f"mkdir -p {ENV_DIR} && chown {owner} {ENV_DIR}",
                          _quiet)
            container.put_archive(ENV_DIR, snapshot_tar(only))
            npm_ci = " ".join(shlex.quote(a) for a in NPM_CI)
            exec_in_build(self.client, container,
                          f"cd {ENV_DIR} && npm {npm_ci} --offline --cache {CACHE_MOUNT} "
                          f"--logs-dir /tmp/npm-logs 2>&1 && mkdir -p {NODE_MODULES}", progress,
                          user=owner)  # a lockfile with no package leaves no node_modules
            info = json.loads(exec_in_build(
                self.client, container, f"node -e {shlex.quote(_INFO)} {NODE_MODULES}",
                _quiet).strip().splitlines()[-1])
            exec_in_build(self.client, container,
                          f"printf '%s' {shlex.quote(json.dumps(info))} > {INFO_FILE}; "
                          f"chown -R 0:0 {ENV_DIR} && chmod -R a+rX,go-w {ENV_DIR}; "
                          "rm -rf /tmp/npm-logs /tmp/.npm", _quiet)
            changes = ["USER 1000", f"WORKDIR {WORKDIR}", 'CMD ["sleep", "infinity"]',
                       f"LABEL {KEY_LABEL}={key} {BASE_LABEL}={self.base} "
                       f"{WORKSPACE_LABEL}={workspace_label(snapshot.root)}"]
            repository, _, tag = env_tag(key).partition(":")
            container.commit(repository=repository, tag=tag, changes=changes)
            return info
        except (docker.errors.APIError, ValueError, IndexError) as exc:
            raise EnvironmentFailed(f"The node_modules build failed in Docker: {exc}") from exc
        finally:
            remove_container(container)

    def _environment(self, status: str, tag: str, lockfile: Lockfile, added: list[str],
                     state: dict) -> Environment:
        if "installed" not in state:  # a layer another cache built: ask the layer itself
            try:
                state = {**state, **env_info(self.client, tag)}
            except (docker.errors.DockerException, ValueError):
                pass
        return Environment(backend="docker", status=status, image=tag,  # type: ignore[arg-type]
                           sources=self._sources(lockfile, added),
                           installed=state.get("installed", []),
                           seconds=state.get("seconds", 0.0) if status == "built" else 0.0)

    @staticmethod
    def _sources(lockfile: Lockfile, added: list[str]) -> list[str]:
        return [MANIFEST, lockfile.name] + [f"{spec} (added: the lockfile has none)"
                                            for spec in added]

    def _remove_stale(self, snapshot: WorkspaceSnapshot, key: str) -> None:
        """Older layers of this workspace on this engine go (an image still in use stays)."""
        label = f"{WORKSPACE_LABEL}={workspace_label(snapshot.root)}"
        try:
            images = self.client.images.list(filters={"label": [label, KEY_LABEL]})
        except docker.errors.APIError:
            return
        for image in images:
            old = image.labels.get(KEY_LABEL, "")
            if old and old != key and image.labels.get(BASE_LABEL) == self.base:
                try:
                    self.client.images.remove(image.id)
                except docker.errors.APIError:
                    continue

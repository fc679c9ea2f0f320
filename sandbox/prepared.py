"""The image a workspace's runs start from, remembered per workspace root once prepared, and each
layer's state file in the cache: the part the Python environments (environments.py) and the
Node ones (node_env.py) share. A subclass sets `cache` and says how to find or build the layer
(`_ensure`)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from microagent.sandbox.types import Environment, Progress, WorkspaceSnapshot


def _quiet(line: str) -> None:
    pass


class PreparedImages:
    cache: Path  # where each layer's state is kept, by the first 16 characters of its key

    def __init__(self) -> None:
        self._prepared: dict[str, str] = {}  # workspace root -> the image its runs start from
        self._lock = threading.Lock()

    def image_for(self, snapshot: WorkspaceSnapshot) -> str:
        """The image runs on `snapshot`'s workspace start from: the one prepared for it, or
        (a caller that did not prepare) the one its dependency files ask for now."""
        with self._lock:
            image = self._prepared.get(snapshot.root or "")
        return image or self.prepare(snapshot).image

    def prepare(self, snapshot: WorkspaceSnapshot, progress: Progress = _quiet) -> Environment:
        """Find or build the workspace's layer; later runs on its root use it."""
        environment = self._ensure(snapshot, progress)
        with self._lock:
            self._prepared[snapshot.root or ""] = environment.image
        return environment

    def _ensure(self, snapshot: WorkspaceSnapshot, progress: Progress) -> Environment:
        raise NotImplementedError

    def _read_state(self, key: str) -> dict:
        try:
            return json.loads((self.cache / key[:16] / "state.json").read_text())
        except (OSError, ValueError):
            return {}

    def _write_state(self, key: str, state: dict) -> None:
        folder = self.cache / key[:16]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "state.json").write_text(json.dumps(state))

"""Helpers for the API tests: a real `microagent serve` in a subprocess on a free loopback port, with scripted role
models (MICROAGENT_SCRIPT, re-read when it changes) and the process sandbox unless a test asks
for another. Tests drive it with real clients: openai, litellm, httpx.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
MICROAGENT = Path(sys.executable).with_name("microagent")
START_SECONDS = 120.0  # importing litellm on a busy 2-core machine can be slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiServer:
    """`url` is the base for the openai client (…/v1). `script(replies)` sets the models' replies."""

    def __init__(self, folder: Path, args: list[str] = (), env: dict[str, str] | None = None,
                 models: str = "scripted") -> None:
        self.folder = folder
        self.script_path = folder / "script.json"
        self.calls_path = folder / "calls.jsonl"
        self.log_path = folder / "server.log"
        self.script([])
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.root}/v1"
        environment = {**os.environ, "MICROAGENT_SCRIPT": str(self.script_path),
                       "MICROAGENT_SCRIPT_LOG": str(self.calls_path),
                       "MICROAGENT_SANDBOX_BACKEND": "process", "MICROAGENT_API_KEY": "",
                       "MICROAGENT_MUTANTS": "0"}  # the scripted Coder's answers are followed
        if models == "scripted":
            environment.update({f"MICROAGENT_{r}_MODEL": f"scripted/{r.lower()}"
                                for r in ("CODER", "REVIEWER", "TESTER")})
        environment.update(env or {})
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [str(MICROAGENT), "serve", "--port", str(self.port), *args], cwd=folder,
            env=environment, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready(environment.get("MICROAGENT_API_KEY") or None)

    def _wait_ready(self, key: str | None) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log()}")
            try:
                if httpx.get(f"{self.root}/healthz", headers=headers, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not start within {START_SECONDS} s:\n{self.log()}")

    def script(self, replies: list[dict]) -> None:
        """Replace the script; the server re-reads it (and forgets used replies) on change."""
        self.script_path.write_text(json.dumps({"replies": replies}))
        stamp = time.time_ns()
        os.utime(self.script_path, ns=(stamp, stamp))

    def calls(self) -> list[dict]:
        if not self.calls_path.exists():
            return []
        return [json.loads(line) for line in self.calls_path.read_text().splitlines() if line]

    def health(self, key: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.get(f"{self.root}/healthz", headers=headers, timeout=30).json()

    def wait_for(self, predicate, what: str, seconds: float = 120.0, key: str | None = None) -> dict:
        """Poll /healthz until `predicate(health)` holds (a wait, not a timing assertion)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            health = self.health(key)
            if predicate(health):
                return health
            time.sleep(0.1)
        raise AssertionError(f"never saw {what}; last /healthz: {health}\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        self._log.close()


REVIEW_OK = {"model": "reviewer", "reply": "[]", "repeat": True}


def fence(code: str, lang: str = "python") -> str:
    return f"```{lang}\n{code.strip()}\n```"

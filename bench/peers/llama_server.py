"""Serves a local GGUF file with llama-cpp-python's OpenAI-compatible server on loopback, for
peer tools that speak the OpenAI API. Loopback only; the server is always stopped on exit.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from microagent.agents.config import machine_settings

CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Served:
    base_url: str  # http://127.0.0.1:<port>/v1
    model: str  # the alias clients must ask for
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _threads() -> int:
    """As many threads as the embedded model uses: MICROAGENT_LOCAL_THREADS, else every core."""
    return machine_settings().local_threads or os.cpu_count() or 1


@contextmanager
def serve(model_path: Path, alias: str, *, n_ctx: int = 8192, n_threads: int | None = None,
          default_max_tokens: int | None = None, log: Path | None = None,
          ready_timeout: float = 600.0) -> Iterator[Served]:
    """Start `python -m llama_cpp.server`, wait until it answers, stop it afterwards.
    `default_max_tokens` caps requests that send no max_tokens (see capped_server)."""
    port = free_port()
    module = (["microagent.bench.peers.capped_server", "--default-max-tokens", str(default_max_tokens)]
              if default_max_tokens else ["llama_cpp.server"])
    argv = [sys.executable, "-m", *module, "--model", str(model_path),
            "--model_alias", alias, "--host", "127.0.0.1", "--port", str(port),
            "--n_ctx", str(n_ctx), "--n_threads", str(n_threads or _threads())]
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            cwd=CHECKOUT)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        _wait_ready(proc, f"{base}/models", ready_timeout)
        yield Served(base, alias, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def _wait_ready(proc: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with code {proc.returncode} before "
                               "it answered; see its log")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if json.loads(response.read()).get("data"):
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(1.0)
    raise RuntimeError(f"llama_cpp.server did not answer {url} within {timeout:g} s")

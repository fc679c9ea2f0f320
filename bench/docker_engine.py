"""A second (third, ...) Docker engine on this machine, for the multi-engine tests and the scale
benchmark: its own socket, data root and exec root, no bridge and no iptables (the sandbox runs
with the network off anyway). Needs root and Debian's docker.io, as scripts/provision.sh
installs it.

    engine = DockerEngine(Path("/var/lib/microagent-engine-b")); engine.start(); engine.url
    engine.stop()   # a fault: the engine stops (SIGTERM) in the middle of whatever runs
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import docker


class DockerEngine:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.process: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.directory / "docker.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @staticmethod
    def available() -> str:
        """Why no engine can be started here, or "" if one can."""
        if os.geteuid() != 0:
            return "starting a Docker engine needs root"
        if not shutil.which("dockerd"):
            return "dockerd is not installed (scripts/provision.sh docker)"
        return ""

    def start(self, timeout: float = 60.0) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = open(self.directory / "dockerd.log", "ab")
        self.process = subprocess.Popen(
            ["dockerd", "--host", self.url, "--data-root", str(self.directory / "data"),
             "--exec-root", str(self.directory / "exec"), "--pidfile",
             str(self.directory / "docker.pid"), "--bridge", "none", "--iptables=false"],
            stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dockerd exited ({self.process.returncode}); see "
                                   f"{self.directory / 'dockerd.log'}")
            try:
                client = docker.DockerClient(base_url=self.url, timeout=5)
                client.ping()
                client.close()
                return
            except Exception:  # noqa: BLE001 - not answering yet
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"dockerd at {self.url} did not answer within {timeout:g} s")

    def stop(self) -> None:
        """Stop the engine as `systemctl stop docker` would (SIGTERM): its containers stop and
        every call to it fails from then on."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.url, timeout=60)

    def load_image(self, image: str) -> None:
        """Copy `image` from the default engine, as `docker save | docker load` does."""
        source = docker.from_env(timeout=120)
        target = self.client()
        try:
            target.images.load(b"".join(source.images.get(image).save(named=True)))
        finally:
            source.close()
            target.close()

"""Fetches what a workspace's environment installs: on the host, with the user's own pip and
its configuration (index, proxies, certificates, PIP_* variables), as wheels into a cache
directory that the sandbox then installs from with no network.

It never builds or imports the workspace's own code on the host: the project itself is
installed later, inside a container. Third-party sdists are built into wheels here, as the
user's own `pip install` would build them.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from microagent.sandbox.types import EnvironmentFailed, Progress

PIP_TAIL_LINES = 25
# Lines of a requirements file that name the project itself or a local path: installed in the
# container from the workspace, never fetched or built on the host.
_LOCAL = ("-e", "--editable", ".", "/", "file:")


@dataclass
class TargetPython:
    """The sandbox image's Python, for which the wheels are fetched."""

    version: str  # "3.11.2"
    platforms: list[str] = field(default_factory=list)  # its platform tags, most specific first
    has_pytest: bool = True  # the image's own python3 imports pytest

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def host_matches(target: TargetPython, host: tuple[int, int] = sys.version_info[:2]) -> bool:
    """Whether wheels built by this Python serve the image's (same minor version)."""
    return target.minor == f"{host[0]}.{host[1]}"


def fetch_argv(
    requirements: Path, wheels: Path, target: TargetPython, *,
    constraints: Path | None = None, python: str = sys.executable,
) -> list[str]:  # fmt: skip
    """The pip command that fills `wheels` with everything the requirements file needs.

    With the image's Python version on the host, `pip wheel` (sdists built here); otherwise
    `pip download` of binary wheels for the image's Python and platforms only.
    """
    common = ["--disable-pip-version-check", "--no-input", "--progress-bar", "off",
              "--find-links", str(wheels)]  # fmt: skip
    if constraints is not None:
        common += ["--constraint", str(constraints)]
    if host_matches(target):
        return [python, "-m", "pip", "wheel", "--wheel-dir", str(wheels), *common,
                "--requirement", str(requirements)]
    tags = ["--only-binary", ":all:", "--python-version", target.minor, "--implementation", "cp"]
    for platform in target.platforms or ["manylinux2014_x86_64", "linux_x86_64"]:
        tags += ["--platform", platform]
    return [python, "-m", "pip", "download", "--dest", str(wheels), *tags, *common,
            "--requirement", str(requirements)]


def fetch_wheels(
    requirements: Path, wheels: Path, target: TargetPython, progress: Progress, *,
    constraints: Path | None = None, python: str = sys.executable,
    run=subprocess.Popen,  # type: ignore[no-untyped-def]
) -> None:  # fmt: skip
    """Run pip on the host; EnvironmentFailed with pip's own error when it fails."""
    wheels.mkdir(parents=True, exist_ok=True)
    argv = fetch_argv(requirements, wheels, target, constraints=constraints, python=python)
    wanted = [line for line in requirements.read_text().splitlines() if line.strip()]
    progress(f"fetching on the host with pip {argv[3]}: {', '.join(wanted)}")
    try:
        proc = run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                   errors="replace", stdin=subprocess.DEVNULL)  # fmt: skip
    except OSError as exc:
        raise EnvironmentFailed(f"Cannot run pip on the host ({exc}).") from exc
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip()
        if line:
            progress(line)
            tail = (tail + [line])[-PIP_TAIL_LINES:]
    if proc.wait() != 0:
        how = ("" if host_matches(target) else
               f" (the sandbox's Python is {target.minor} and this one is "
               f"{sys.version_info[0]}.{sys.version_info[1]}: only binary wheels can be fetched "
               "for it; run microagent from the same Python version, or set sandbox.image to an "
               "image with this Python)")  # fmt: skip
        raise EnvironmentFailed(
            f"pip could not fetch the workspace's dependencies on the host{how}:\n"
            + "\n".join(tail) + "\nFix the requirement, or your pip configuration (index, "
            "proxy), then run again.")  # fmt: skip


def host_requirements(lines: Sequence[str]) -> list[str]:
    """What of a requirements file the host fetches: requirements and index options, not the
    project itself (`-e .`) or local paths, and no `--hash` (the lines are merged)."""
    kept = []
    for line in lines:
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or line.startswith(_LOCAL):
            continue
        if line.startswith(("-r ", "--requirement ", "-c ", "--constraint ")):
            continue  # already followed by the reader
        kept.append(" ".join(p for p in line.split() if not p.startswith("--hash")))
    return kept

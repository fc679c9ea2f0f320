"""Builds the bubblewrap command line that jails one run: no network, a read-only system, one
writable work directory, no host environment.

Pure functions plus one probe; it must never bind the user's home or workspace into the jail,
and never pass the host's environment through.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Mapping, Sequence

from microagent.sandbox.limits import ResourceLimits
from microagent.sandbox.types import SandboxError

WORKDIR = "/work"  # a size-limited tmpfs, filled from BASEDIR when the jail starts
BASEDIR = "/base"  # the host's copy of the snapshot, read-only in the jail
OUTDIR = "/out"  # where a runner that writes a report file writes it; only bound for those
# Fills the work tmpfs from the read-only copy, then becomes the command.
_START = 'cp -R /base/. /work/ || exit 125; exec "$@"'
REMAPPED = "/opt/microagent/python"
SANDBOX_UID = 1000
# Top-level system directories: bound read-only, or recreated as the symlinks they are.
SYSTEM_DIRS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Only what the dynamic linker and Python's start-up read; never passwd/shadow or secrets.
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
             "/etc/localtime")  # fmt: skip


@dataclass(frozen=True)
class Interpreter:
    """Where a Python interpreter lives on the host."""

    executable: str
    prefix: str
    base_prefix: str

    @classmethod
    def probe(cls, python: str) -> "Interpreter":
        if os.path.abspath(python) == os.path.abspath(sys.executable):
            return cls(sys.executable, sys.prefix, sys.base_prefix)
        code = "import sys, json; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix]))"
        try:
            done = subprocess.run(
                [python, "-c", code], capture_output=True, text=True, timeout=30, env={}
            )
            executable, prefix, base = json.loads(done.stdout)
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"cannot run the sandbox's Python {python!r}: {exc}") from exc
        return cls(python, prefix, base)


def _inside(path: str, root: str) -> bool:
    p, r = PurePosixPath(path), PurePosixPath(root)
    return p == r or r in p.parents


def interpreter_mounts(
    interpreter: Interpreter, workdir: str = WORKDIR
) -> tuple[list[tuple[str, str]], str]:
    """Read-only mounts (host, inside) that make the interpreter runnable, and its inside path.

    Prefixes under /usr are already visible. A prefix that would collide with the work
    directory (a project's own .venv, say), or sit under a directory the jail replaces (/tmp,
    where a CI clone may live), is mounted at /opt/microagent/pythonN instead;
    a virtualenv finds itself by its pyvenv.cfg, so it still works there.
    """
    mounts: list[tuple[str, str]] = []
    inside = interpreter.executable
    prefixes = dict.fromkeys([interpreter.base_prefix, interpreter.prefix])
    for index, prefix in enumerate(prefixes):
        if _inside(prefix, "/usr"):
            continue
        collides = any(_inside(prefix, d) or _inside(d, prefix)
                       for d in (workdir, OUTDIR, "/tmp", "/proc", "/dev"))
        target = f"{REMAPPED}{index}" if collides else prefix
        mounts.append((prefix, target))
        if interpreter.executable.startswith(prefix.rstrip("/") + "/"):
            inside = target + interpreter.executable[len(prefix.rstrip("/")) :]
    return mounts, inside


def bwrap_argv(
    command: Sequence[str],
    *,
    work: str,
    out: str | None,
    env: Mapping[str, str],
    mounts: Sequence[tuple[str, str]] = (),
    bwrap: str = "bwrap",
    limits: ResourceLimits = ResourceLimits(),
) -> list[str]:
    """The full bwrap command running `command` in /work, a size-limited tmpfs holding a copy
    of `work`; /tmp and /dev/shm are size-limited too, and `out` (if any) is bound at /out."""
    argv = [
        bwrap, "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID),
        "--gid", str(SANDBOX_UID), "--hostname", "sandbox", "--die-with-parent",
        "--new-session", "--ro-bind", "/usr", "/usr",
    ]  # fmt: skip
    for directory in SYSTEM_DIRS:
        if os.path.islink(directory):
            argv += ["--symlink", os.readlink(directory), directory]
        elif os.path.isdir(directory):
            argv += ["--ro-bind", directory, directory]
    for path in ETC_FILES:
        argv += ["--ro-bind-try", path, path]
    for host, inside in mounts:
        argv += ["--ro-bind", host, inside]
    argv += ["--proc", "/proc", "--dev", "/dev", "--ro-bind", work, BASEDIR]
    for directory, size in ((WORKDIR, limits.work_size), ("/tmp", limits.tmp_size),
                            ("/dev/shm", limits.tmp_size)):  # fmt: skip
        argv += ["--size", str(size), "--perms", "1777", "--tmpfs", directory]
    if out is not None:
        argv += ["--bind", out, OUTDIR]
    argv += ["--remount-ro", "/", "--chdir", WORKDIR, "--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return [*argv, "--", "/bin/sh", "-c", _START, "sh", *command]


def find_bwrap() -> str | None:
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None
    )


def check_bubblewrap(bwrap: str | None, mounts: Sequence[tuple[str, str]], python: str) -> None:
    """Start one empty jail; raise SandboxError saying what to do if the host refuses."""
    if bwrap is None:
        raise SandboxError(
            "bubblewrap (bwrap) is not installed; install it (apt-get install bubblewrap) "
            "or choose the docker sandbox"
        )
    with tempfile.TemporaryDirectory(prefix="microagent-probe-") as scratch:
        work, out = os.path.join(scratch, "work"), os.path.join(scratch, "out")
        os.mkdir(work)
        os.mkdir(out)
        argv = bwrap_argv([python, "-c", "pass"], work=work, out=None, env={}, mounts=mounts,
                          bwrap=bwrap)  # fmt: skip
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=30, env={})
        except (OSError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"bubblewrap could not start: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        if "--size" in detail or "Unknown option" in detail:
            raise SandboxError(
                f"this bubblewrap cannot size-limit /work, /tmp and /dev/shm ({detail}); "
                "install bubblewrap 0.5 or later, or choose the docker sandbox"
            )
        raise SandboxError(
            f"bubblewrap could not start a sandbox ({detail or f'exit {done.returncode}'}). "
            "User namespaces may be disabled: check sysctl kernel.unprivileged_userns_clone "
            "and user.max_user_namespaces, or AppArmor's restriction on Ubuntu 24.04+; "
            "or choose the docker sandbox."
        )

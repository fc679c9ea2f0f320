"""Drives BuilderIO's `@builder.io/micro-agent` 0.1.5 non-interactively against an
OpenAI-compatible endpoint: `micro-agent <file> -f <test file> -t <test command> -m <runs>`.

What its source (dist/cli.mjs) does, and what this adapter relies on:
- configuration is `~/.micro-agent` (ini) overlaid by the environment, so OPENAI_KEY,
  OPENAI_API_ENDPOINT and MODEL in the environment win; HOME is a fresh folder per run, so
  the user's own file is neither read nor written;
- a MODEL name containing "llama" or "phi" is sent to Ollama, "claude" to Anthropic, so the
  alias must avoid those words; with an endpoint set, it uses plain streaming chat completions
  without a temperature (the server's default applies: 0.8 for llama_cpp.server);
- it rewrites the whole of <file> each run and can change no other file; it needs `-f` for a
  Python test file (it only guesses `x.test.py`); a test command silent for 20 s ends it.
Its test command runs here in a throwaway container of the sandbox image, network off: the
Python image (`sandboxed_pytest`), or a Node project's node_modules layer (`sandboxed_node`).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from microagent.languages.typescript.node_runner import NodeTestRunner, RunnerName
from microagent.sandbox.container import ENV_DIR, MODE_LABEL, RUNNER_USER, WORKDIR, ContainerLimits
from microagent.sandbox.node_env import NODE_MODULES

PACKAGE = "@builder.io/micro-agent"
VERSION = "0.1.5"
NAME = f"micro-agent-{VERSION}"
DEFAULT_INSTALL = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "microagent-peers" / NAME


@dataclass
class PeerRun:
    seconds: float
    exit_code: int | None
    timed_out: bool
    runs: int  # how many times it asked the model for code
    output: str


def ensure_installed(install_dir: Path = DEFAULT_INSTALL) -> Path:
    """npm-install the pinned version (scripts off: its postinstall fetches a browser that
    test-driven runs never use) and return its CLI script."""
    cli = install_dir / "node_modules" / "@builder.io" / "micro-agent" / "dist" / "cli.mjs"
    if not cli.is_file():
        install_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund",
                        f"{PACKAGE}@{VERSION}"], cwd=install_dir, check=True)
    return cli


def sandboxed_pytest(test_file: str, image: str = "microagent-sandbox:py3") -> str:
    """A shell command that runs pytest on the current folder in a locked-down container."""
    return ("docker run --rm --network none --memory 1g --pids-limit 256 --read-only "
            "--tmpfs /tmp --cap-drop ALL -e PYTHONDONTWRITEBYTECODE=1 "
            f'-v "$PWD":/work:ro -w /work {image} '
            f"python3 -m pytest -q -p no:cacheprovider {shlex.quote(test_file)}")


# The project's own runner, as its package.json's "test" script starts it, never watching.
NODE_RUNNER_COMMANDS: dict[RunnerName, str] = {"vitest": "node_modules/.bin/vitest run",
                                               "jest": "node_modules/.bin/jest --ci"}
SOURCE = "/src"  # the workspace, mounted read-only; the tests run on a copy in WORKDIR
PEER_TEST_LABEL = f"{MODE_LABEL}=peer-test"  # on each test container, for a janitor and the tests


def sandboxed_node(test_file: str, runner: RunnerName, image: str,
                   limits: ContainerLimits = ContainerLimits()) -> str:
    """A shell command that runs the project's runner on `test_file` in a locked-down container
    of `image`, the project's node_modules layer (sandbox/node_env.py: the Node image with
    node_modules at NODE_MODULES, root-owned). As the Node sandbox runs a test: the limits of
    its containers, no network, a read-only root, the files copied into a writable tmpfs
    WORKDIR owned by the runner user and node_modules linked there (vitest and jest write only
    there and to /tmp). It prints one line before the container starts, so that micro-agent's
    20-second watchdog for a silent command (meant for watch mode) counts from the start of
    the container, not from docker's start-up."""
    env = {**NodeTestRunner(runner).env, "HOME": "/tmp", "TMPDIR": "/tmp",
           "PATH": f"{ENV_DIR}/bin:/usr/local/bin:/usr/bin:/bin"}
    inside = (f"cp -R {SOURCE}/. {WORKDIR}/ && rm -rf node_modules && "
              f"ln -s {NODE_MODULES} node_modules && "
              f"exec {NODE_RUNNER_COMMANDS[runner]} {shlex.quote(test_file)}")
    return (f"echo {shlex.quote(f'{runner} {test_file} in a container of {image}')} && "
            f"docker run --rm --label {PEER_TEST_LABEL} --network none --read-only --cap-drop ALL "
            f"--security-opt no-new-privileges --user {RUNNER_USER} "
            f"--memory {limits.memory} --memory-swap {limits.memory} --cpus {limits.cpus:g} "
            f"--pids-limit {limits.pids} "
            f"--ulimit nofile={limits.open_files} --ulimit fsize={limits.file_size} "
            f"--tmpfs /tmp:rw,nosuid,nodev,noexec,size={limits.tmp_size} "
            f"--tmpfs {WORKDIR}:rw,nosuid,nodev,exec,size={limits.work_size},uid=1000,gid=1000,mode=0755 "
            + " ".join(f"-e {shlex.quote(f'{k}={v}')}" for k, v in env.items())
            + f' -v "$PWD":{SOURCE}:ro -w {WORKDIR} {image} sh -c {shlex.quote(inside)}')


def run(cli: Path, workdir: Path, file: str, test_file: str, test_command: str, *,
        endpoint: str, model: str, max_runs: int, timeout: float = 3600.0) -> PeerRun:
    """One task: micro-agent edits `workdir/file` in place until the tests pass or it stops."""
    # The test container runs as an unprivileged user: a private (0700) temporary folder
    # mounted there is unreadable, and every test run would end in a PermissionError.
    workdir.chmod(0o755)
    with tempfile.TemporaryDirectory(prefix="micro-agent-home-") as home:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "SHELL": "/bin/sh",
               "LANG": "C.UTF-8", "NO_COLOR": "1", "OPENAI_KEY": "sk-local-no-key",
               "OPENAI_API_ENDPOINT": endpoint, "MODEL": model}
        argv = ["node", str(cli), file, "-f", test_file, "-t", test_command, "-m", str(max_runs)]
        started = time.monotonic()
        try:
            done = subprocess.run(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=timeout)
            code, out, timed_out = done.returncode, done.stdout + done.stderr, False
        except subprocess.TimeoutExpired as exc:
            code, timed_out = None, True
            out = _text(exc.stdout) + _text(exc.stderr)
        seconds = time.monotonic() - started
    return PeerRun(round(seconds, 1), code, timed_out, out.count("Generating code..."), out)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")

"""What the VS Code end-to-end test needs around the browser: the tools that
editor-clients/vscode/e2e/install.sh put in its cache, the packaged extension installed into a
throw-away code-server, that code-server started on a copy of a project, and the driver run.
Nothing here clicks: tests/editors/vscode_drive.cjs does that in headless Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from system_parts import missing_part, node_tools

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXTENSION = REPO / "editor-clients" / "vscode"
INSTALL = EXTENSION / "e2e" / "install.sh"
DRIVER = HERE / "vscode_drive.cjs"
SERVER = Path(sys.executable).with_name("microagent-lsp")
FAILURES = REPO / "build" / "e2e-vscode"


@dataclass
class Tools:
    node: str
    code_server: str
    code_server_version: str
    playwright: str
    playwright_version: str
    chromium: str


def tools() -> Tools:
    """The installed tools; without them the test skips saying how to install them (see
    tests/system_parts.py)."""
    printed = subprocess.run(["bash", str(INSTALL), "--print-env"], capture_output=True,
                             text=True, check=True).stdout
    env = dict(line.split("=", 1) for line in printed.splitlines() if "=" in line)
    if env["MICROAGENT_E2E_READY"] != "yes":
        missing_part("vscode-e2e")
    return Tools(env["MICROAGENT_E2E_NODE"], env["MICROAGENT_E2E_CODE_SERVER"],
                 env["MICROAGENT_E2E_CODE_SERVER_VERSION"], env["MICROAGENT_E2E_PLAYWRIGHT"],
                 env["MICROAGENT_E2E_PLAYWRIGHT_VERSION"], env["MICROAGENT_E2E_CHROMIUM"])


def run(args: list[str], cwd: Path, timeout: float = 600, env: dict | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env)
    if done.returncode != 0:
        pytest.fail(f"`{' '.join(args)}` failed ({done.returncode}) in {cwd}:\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}", pytrace=False)
    return done.stdout


def package_extension(dest: Path) -> Path:
    """`vsce package` from the repository's sources (npm ci first in a clean clone)."""
    npm, npx, _ = node_tools()
    if not (EXTENSION / "node_modules" / ".package-lock.json").exists():
        run([npm, "ci", "--no-audit", "--no-fund"], EXTENSION)
    vsix = dest / "microagent.vsix"
    run([npx, "--no-install", "@vscode/vsce", "package", "--allow-missing-repository",
         "--out", str(vsix)], EXTENSION)
    return vsix


def install_extension(tools: Tools, vsix: Path, extensions: Path, user_data: Path) -> None:
    run([tools.node, tools.code_server, "--user-data-dir", str(user_data), "--extensions-dir",
         str(extensions), "--install-extension", str(vsix), "--force"], vsix.parent, timeout=300)


def machine_settings() -> dict:
    """code-server's Remote settings (user-data/Machine/settings.json), where VS Code wants a
    path on the machine that runs the extension: the server from this project's environment.
    (In User settings alone, the extension sometimes read it empty at activation.)"""
    return {"microagent.server.path": str(SERVER), "microagent.server.logLevel": "INFO"}


def user_settings(backend: str) -> dict:
    """What a user would put in settings.json: scripted models for every role, the sandbox;
    workspace trust off so the extension runs."""
    return {
        "security.workspace.trust.enabled": False,
        "microagent.coder.model": "scripted/coder",
        "microagent.reviewer.model": "scripted/reviewer",
        "microagent.tester.model": "scripted/tester",
        "microagent.sandbox.backend": backend,
        # a quiet workbench for the pictures
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.enableExperiments": False,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "update.mode": "none",
        "editor.minimap.enabled": False,
        "chat.disableAIFeatures": True,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CodeServer:
    """One code-server on a loopback port, its own user data, on one project folder."""

    def __init__(self, tools: Tools, work: Path, extensions: Path, project: Path,
                 settings: dict, script: list[dict]) -> None:
        self.tools, self.work, self.project = tools, work, project
        self.user_data = work / "user-data"
        (self.user_data / "User").mkdir(parents=True, exist_ok=True)
        (self.user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
        (self.user_data / "Machine").mkdir(exist_ok=True)
        (self.user_data / "Machine" / "settings.json").write_text(
            json.dumps(machine_settings(), indent=2))
        self.calls = work / "calls.jsonl"
        (work / "script.json").write_text(json.dumps({"replies": script}), encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
        self.env.update({"MICROAGENT_SCRIPT": str(work / "script.json"),
                         "MICROAGENT_SCRIPT_LOG": str(self.calls),
                         "MICROAGENT_MUTANTS": "0",  # the scripted Coder's answers are followed
                         "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/?folder={project}"
        self.log = work / "code-server.log"
        self.extensions = extensions
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> CodeServer:
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [self.tools.node, self.tools.code_server, "--config", str(self.work / "config.yaml"),
                 "--auth", "none", "--bind-addr",
                 f"127.0.0.1:{self.port}", "--user-data-dir", str(self.user_data),
                 "--extensions-dir", str(self.extensions), "--disable-telemetry",
                 "--disable-update-check", "--disable-workspace-trust", str(self.project)],
                cwd=self.project, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"code-server did not start:\n{self.log.read_text()[-3000:]}",
                                pytrace=False)
                time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)  # its own session: the extension host and server too
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)

    def server_pids(self) -> list[int]:
        """The microagent-lsp processes under this code-server."""
        assert self.process is not None
        parents: dict[int, int] = {}
        commands: dict[int, str] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                commands[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

        def under(pid: int) -> bool:
            while pid > 1:
                if pid == self.process.pid:
                    return True
                pid = parents.get(pid, 0)
            return False

        return [pid for pid, cmd in commands.items() if "microagent-lsp" in cmd and under(pid)]

    def output_logs(self) -> list[Path]:
        """The extension's output channel as VS Code writes it to disk."""
        return sorted(p for p in (self.user_data / "logs").rglob("*.log") if "micro-agent" in p.name)

    def drive(self, scenario: str, name: str, timeout: float = 420, **plan) -> tuple[dict, subprocess.Popen]:
        """Start the driver; returns (plan, process). `finish` waits and reads its result."""
        failures = FAILURES / name
        plan = {"scenario": scenario, "url": self.url, "chromium": self.tools.chromium,
                "playwright": self.tools.playwright, "result": str(self.work / "result.json"),
                "failures": str(failures), "calls": str(self.calls), "timeout": timeout,
                "sourcePath": str(self.project / plan.get("source", "")), **plan}
        (self.work / "plan.json").write_text(json.dumps(plan, indent=2))
        process = subprocess.Popen([self.tools.node, str(DRIVER), str(self.work / "plan.json")],
                                   cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, stdin=subprocess.DEVNULL)
        return plan, process

    def finish(self, plan: dict, process: subprocess.Popen) -> dict:
        try:
            out, _ = process.communicate(timeout=plan["timeout"])
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
        result_file = Path(plan["result"])
        result = json.loads(result_file.read_text()) if result_file.exists() else {
            "ok": False, "error": f"the driver wrote no result:\n{out[-3000:]}", "steps": []}
        if not result.get("ok"):
            self.fail(plan, result)
        return result

    @contextmanager
    def explained(self, plan: dict, result: dict):
        """A failed check on the result or the disk keeps the logs too."""
        try:
            yield
        except AssertionError as exc:
            self.fail(plan, result, f"{type(exc).__name__}: {exc}")

    def fail(self, plan: dict, result: dict, why: str | None = None) -> None:
        """Keep what tells the story (screenshot, output channel, server and driver logs) in
        one folder, and name it in the failure."""
        failures = Path(plan["failures"])
        failures.mkdir(parents=True, exist_ok=True)
        for log in self.output_logs():
            shutil.copy(log, failures / f"output-{log.name}")
        for name in ("code-server.log", "result.json", "calls.jsonl", "plan.json"):
            if (self.work / name).exists():
                shutil.copy(self.work / name, failures / name)
        lines = [why or f"VS Code session failed: {result.get('error')}", "", "steps:"]
        lines += [f"  {s}" for s in result.get("steps", [])]
        lines += ["notifications:"] + [f"  {t}" for t in result.get("toasts", [])]
        lines += [f"screenshot, output channel and logs: {failures}"]
        pytest.fail("\n".join(lines), pytrace=False)

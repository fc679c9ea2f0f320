"""Record editor-clients/nvim/demo.txt: a real Neovim in tmux (144x34) fixes a copy of
examples/calc through the language server, with the same scripted models and process sandbox as
the end-to-end test. Run: `.venv/bin/python tests/editors/nvim_demo.py`.

Frames: the code actions on a failing test, the run in progress, the end of the run (edit
applied, reviewer's comment as a diagnostic, summary), the comment's float after `:w`.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nvim_session import REPO, copy_calc, nvim_command, server_env

OUT = REPO / "editor-clients" / "nvim" / "demo.txt"
SESSION = "microagent-demo"
WIDTH, HEIGHT = 144, 34


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen()
        if text in shown:
            return shown
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {text!r}; the screen:\n{screen()}")


def settled(text: str) -> str:
    """The screen a moment after `text` shows: the diagnostics follow the summary message."""
    wait_for(text)
    time.sleep(1.5)
    return screen()


def keys(*sequence: str) -> None:
    tmux("send-keys", "-t", SESSION, *sequence)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="microagent-demo-"))
    project = copy_calc(work)
    env = server_env(work)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.startswith(("MICROAGENT_", "LITELLM_")))
    command = " ".join(shlex.quote(a) for a in nvim_command("nvim", headless=False, driver=False))
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    tmux("new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(project),
         f"env TERM=xterm-256color {exports} {command} calc.py")
    frames = []
    try:
        wait_for("calc.py")
        keys(":vsplit test_calc.py", "Enter")
        keys(":call search('assert mean(\\[1')", "Enter")
        time.sleep(6)  # let the server start and index the tests
        keys(":lua vim.lsp.buf.code_action()", "Enter")
        frames.append(("The code actions on a failing test (:lua vim.lsp.buf.code_action())",
                       wait_for("Type number and <Enter>")))
        keys("Escape")
        time.sleep(0.5)
        keys(":MicroAgentFix", "Enter")
        frames.append(("The run in progress (:MicroAgentFix with the cursor in test_mean)",
                       wait_for("candidate 1/")))
        frames.append(("The end of the run: the edit applied to the calc.py buffer (not saved yet), the "
                       "review as a diagnostic, the summary", settled("Edited calc.py")))
        keys(":wincmd l", "Enter")
        keys(":w", "Enter")
        keys(":call cursor(11, 5)", "Enter")
        time.sleep(1)  # let CursorMoved pass, or it closes the float at once
        keys(":lua vim.diagnostic.open_float()", "Enter")
        time.sleep(1)
        frames.append(("After :w, the reviewer's comment under the cursor (vim.diagnostic.open_float())",
                       screen()))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                           cwd=project, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    tests = re.sub(r" in [\d.]+s$", "", tests)
    parts = [f"micro-agent in Neovim {nvim_version()}: tmux capture-pane of a {WIDTH}x{HEIGHT} terminal,",
             "recorded by tests/editors/nvim_demo.py on a copy of examples/calc (scripted models,",
             "process sandbox). Afterwards `pytest` in the copy: " + tests, ""]
    for title, text in frames:
        parts += [f"--- {title} " + "-" * max(0, WIDTH - len(title) - 5), text.rstrip("\n"), ""]
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


def nvim_version() -> str:
    return subprocess.run(["nvim", "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1]


if __name__ == "__main__":
    main()

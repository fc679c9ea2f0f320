"""The command line starts at once: `--help` and `--version` import no command's module (no
litellm, no llama.cpp, no loop), and the help's list says what each command's own help says."""

import subprocess
import sys

from click.testing import CliRunner

from microagent.server.cli.main import COMMANDS, main

PROBE = """
import sys
from microagent.server.cli.main import main
try:
    main([{flag!r}])
except SystemExit:
    pass
heavy = [m for m in ("litellm", "llama_cpp", "microagent.agents.loop", "docker") if m in sys.modules]
print("HEAVY", heavy)
"""


def test_help_and_version_import_no_command():
    for flag in ("--help", "--version"):
        done = subprocess.run([sys.executable, "-c", PROBE.format(flag=flag)], capture_output=True,
                              text=True, timeout=60)
        assert "HEAVY []" in done.stdout, done.stdout + done.stderr


def test_each_listed_line_is_the_commands_own_help():
    for name, (_, _, line) in COMMANDS.items():
        command = main.get_command(None, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=1000).startswith(line.removesuffix("..."))


def test_commands_still_run_and_an_unknown_one_is_refused():
    runner = CliRunner()
    assert "--apply" in runner.invoke(main, ["fix", "--help"]).output
    unknown = runner.invoke(main, ["fxi"])
    assert unknown.exit_code == 2 and "No such command" in unknown.output

"""Our distribution installs one top-level package, `microagent`, so it sits next to packages
that own the plain names: OpenAI's Agents SDK (`openai-agents`) installs a top-level `agents`."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PLAIN_NAMES = ("agents", "server", "sandbox", "bench")


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """A fresh interpreter outside the checkout, as a user's program would start."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_the_only_top_level_package_installed_is_microagent(tmp_path):
    top_level = metadata.distribution("microagent-lsp").read_text("top_level.txt") or ""
    assert top_level.split() == ["microagent"]
    owners = metadata.packages_distributions()
    assert not [n for n in PLAIN_NAMES if "microagent-lsp" in owners.get(n, [])]
    probe = run_python("import importlib.util, json; print(json.dumps({n: getattr(importlib.util."
                       f"find_spec(n), 'origin', None) for n in {PLAIN_NAMES!r}}}))", tmp_path)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)  # none of the plain names resolves to one of our folders
    assert not [n for n, origin in found.items() if origin and Path(origin).parent == REPO / n]


def test_openai_agents_and_microagent_import_side_by_side(tmp_path):
    try:
        metadata.distribution("openai-agents")
    except metadata.PackageNotFoundError:
        pytest.skip("openai-agents is not installed (it is in the dev extra)")
    done = run_python("import agents, microagent.agents.loop as loop\n"
                      "print(agents.Agent.__module__, agents.__file__, loop.__name__)", tmp_path)
    assert done.returncode == 0, done.stderr
    module, where, ours = done.stdout.split()
    assert module == "agents.agent" and Path(where).parent != REPO / "agents"
    assert ours == "microagent.agents.loop"

"""Every module of the package imports: a name moved or renamed in one room and still imported
by another fails here, not in front of a user running the one command that reaches it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

ROOMS = ("microagent.agents", "microagent.sandbox", "microagent.server", "microagent.bench")


def _modules() -> list[str]:
    names = []
    for room in ROOMS:  # `microagent` itself is a namespace package: walk its rooms
        package = importlib.import_module(room)
        names += [room] + [info.name for info in pkgutil.walk_packages(package.__path__, room + ".")]
    return sorted(names)


MODULES = _modules()


def test_the_rooms_are_all_found():
    assert {"microagent.agents.loop", "microagent.sandbox.choose", "microagent.server.cli.sandbox",
            "microagent.server.lsp.server", "microagent.server.api.app"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name):
    importlib.import_module(name)

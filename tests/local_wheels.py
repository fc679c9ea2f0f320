"""A local wheel cache for the environment tests: pip's and setuptools' own wheels (fetched once
per machine into the user cache), and small distributions built here from source with the real
pip. A test then points the user's pip configuration at it (`offline_pip_env`), so the
sandbox's environment is fetched and installed with no index at all.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

TOOL_WHEELS = Path.home() / ".cache" / "microagent" / "test-wheels"


def _dist(root: Path, name: str, version: str, module: str, extra: str = "") -> Path:
    """A one-module distribution's source tree."""
    src = root / f"{name}-{version}"
    src.mkdir(parents=True)
    (src / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [project]
        name = "{name}"
        version = "{version}"
        {extra}
        [build-system]
        requires = ["setuptools>=64"]
        build-backend = "setuptools.build_meta"

        [tool.setuptools]
        py-modules = ["{name.replace('-', '_')}"]
        """))
    (src / f"{name.replace('-', '_')}.py").write_text(module)
    return src


def build_wheelhouse(house: Path) -> Path:
    """pip, setuptools, pytest (with what it needs), mdep 1.0 (`double(x) == 2 * x`) and 2.0 (`double` returns 'two'), and
    pytest-answer (a plugin with an `answer` fixture, 42), as wheels in `house`."""
    TOOL_WHEELS.mkdir(parents=True, exist_ok=True)
    if not all(list(TOOL_WHEELS.glob(f"{name}-*.whl")) for name in ("pip", "setuptools", "pytest")):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary",
                        ":all:", "-d", str(TOOL_WHEELS), "pip", "setuptools>=64", "pytest"],
                       check=True)
    house.mkdir(parents=True, exist_ok=True)
    for wheel in TOOL_WHEELS.glob("*.whl"):
        (house / wheel.name).write_bytes(wheel.read_bytes())
    sources = house / "src"
    dists = [
        _dist(sources, "mdep", "1.0", "def double(x):\n    return 2 * x\n"),
        _dist(sources, "mdep", "2.0", "def double(x):\n    return 'two'\n"),
        _dist(sources, "pytest-answer", "1.0",
              "import pytest\n\n\n@pytest.fixture\ndef answer():\n    return 42\n",
              extra='[project.entry-points.pytest11]\nanswer = "pytest_answer"\n'),
    ]
    for src in dists:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--no-build-isolation", "-w", str(house), str(src)], check=True)
    return house


def offline_pip_env(house: Path) -> dict[str, str]:
    """The user's pip configuration: no index, only the local wheel cache."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(house), "PIP_CONFIG_FILE": "/dev/null"}

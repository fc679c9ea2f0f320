"""A src-layout project with a declared dependency (mdep, from tests/local_wheels.py) and one
bug in the module its package re-exports, for the environment tests of the front doors."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

PYPROJECT = """\
    [project]
    name = "geom"
    version = "0.1.0"
    description = "{tag}"
    dependencies = ["mdep<2"]

    [build-system]
    requires = ["setuptools>=64"]
    build-backend = "setuptools.build_meta"
    """
SHAPES = """\
    import mdep


    class Rect:
        def __init__(self, w, h):
            self.w, self.h = w, h

        def area(self):
            return mdep.double(self.w) + self.h
    """
FIXED_LINE = "return mdep.double(self.w) * self.h // 2"
FIX = ("```python\n# file: src/geom/shapes.py\nclass Rect:\n    def __init__(self, w, h):\n"
       f"        self.w, self.h = w, h\n\n    def area(self):\n        {FIXED_LINE}\n```")
SOURCE, TEST = "src/geom/shapes.py", "tests/test_area.py"


def write_geom_project(root: Path) -> Path:
    """The project under `root`. Its pyproject names the folder, so each test's environment has
    a key (and an image) of its own: no test finds another's environment cached."""
    files = {"pyproject.toml": PYPROJECT.replace("{tag}", str(root)), "src/geom/__init__.py": "from .shapes import Rect\n",
             SOURCE: SHAPES,
             TEST: "from geom import Rect\n\n\ndef test_area():\n    assert Rect(2, 3).area() == 6\n"}
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text))
    return root


def remove_new_env_images(before: set[str], wait: float = 30.0) -> None:
    """Remove the environment images built since `before` (ids) was taken, after the containers
    made from them: a server the editor has just stopped may still be closing its sandbox."""
    from microagent.sandbox.container import remove_container
    from microagent.sandbox.engine import connect
    from microagent.sandbox.env_image import KEY_LABEL

    client = connect()
    try:
        for image in client.images.list(filters={"label": KEY_LABEL}):
            if image.id in before:
                continue
            deadline = time.monotonic() + wait
            while (users := client.containers.list(all=True, filters={"ancestor": image.id})):
                if time.monotonic() > deadline:
                    for container in users:
                        remove_container(container)
                    break
                time.sleep(0.5)
            client.images.remove(image.id, force=True)
    finally:
        client.close()


def env_image_ids() -> set[str]:
    from microagent.sandbox.engine import connect
    from microagent.sandbox.env_image import KEY_LABEL

    client = connect()
    try:
        return {i.id for i in client.images.list(filters={"label": KEY_LABEL})}
    finally:
        client.close()

"""The image a workspace's `.devcontainer/devcontainer.json` names, read as VS Code reads it
(JSON with comments and trailing commas). Only `image` is used: a `build` or a compose file
would need a build with network, which the sandbox never does for a workspace.
"""

from __future__ import annotations

import json
import re

from microagent.sandbox.types import WorkspaceSnapshot

FILES = (".devcontainer/devcontainer.json", ".devcontainer.json")
# A string (kept), or a comment (dropped): strings first, so "https://x" is no comment.
_TOKENS = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING = re.compile(r",(\s*[}\]])")


def devcontainer_image(snapshot: WorkspaceSnapshot) -> str | None:
    """The `image` of the workspace's devcontainer.json, or None (absent, unreadable, a build)."""
    for path in FILES:
        if path not in snapshot.files:
            continue
        text = _TOKENS.sub(lambda m: m.group(1) or "", snapshot.text(path))
        try:
            data = json.loads(_TRAILING.sub(r"\1", text))
        except ValueError:
            return None
        image = data.get("image") if isinstance(data, dict) else None
        return image.strip() if isinstance(image, str) and image.strip() else None
    return None

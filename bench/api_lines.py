"""Measures how the API's code-block reader copes with one long line: seconds for a fence
followed by 80 KB and 1 MiB of spaces, through `server.api.code_blocks` (markdown-it-py) and the
agents' `extract_code_blocks`; and the fence pattern both used before, on short lines, to show
its growth. Writes bench/results/api-lines.json. A measurement, never a test.
Run: .venv/bin/python bench/api_lines.py
"""

from __future__ import annotations

import json
import platform
import re
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from microagent.languages.python.replies import extract_code_blocks
from microagent.server.api.code_blocks import code_blocks

RESULTS = Path(__file__).parent / "results" / "api-lines.json"
OLD_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
LINES = {"fence, spaces, backtick": lambda n: "```" + " " * n + "`",
         "fence, spaces, x": lambda n: "```" + " " * n + "x",
         "python block, one line of spaces": lambda n: "```python\n" + " " * n + "x = 1\n```"}


def seconds(read, text: str) -> float:
    began = time.perf_counter()
    read(text)
    return round(time.perf_counter() - began, 4)


def main() -> None:
    now = {name: {str(n): {"code_blocks": seconds(code_blocks, make(n)),
                           "extract_code_blocks": seconds(extract_code_blocks, make(n))}
                  for n in (80_000, 1024 * 1024)} for name, make in LINES.items()}
    before = {str(n): seconds(OLD_FENCE.match, "```" + " " * n + "`") for n in (250, 500, 1000)}
    result = {"what": "seconds to read one long line (a fence then n spaces)",
              "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "platform": platform.platform()},
              "versions": {"markdown-it-py": metadata.version("markdown-it-py")},
              "now": now, "old_fence_pattern_fence_spaces_backtick": before,
              "notes": "The old pattern grows as n^3 (x8 per doubling): at 80 KB it would take "
                       "days. The machine was shared with other work."}
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""`microagent fix --apply --json` prints only the JSON document on stdout, so it can be piped
into `jq`; what it wrote goes to stderr. The real command, a scripted Coder, the process sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

MICROAGENT = Path(sys.executable).with_name("microagent")
CALC = Path(__file__).resolve().parents[2] / "examples" / "calc"
CALC_FIX = """```python
# file: calc.py
def range_sum(start, stop):
    return sum(range(start, stop + 1))


def mean(values):
    return sum(values) / len(values)
```
"""


def test_fix_apply_json_keeps_stdout_for_the_document(tmp_path):
    project = tmp_path / "calc"
    shutil.copytree(CALC, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"replies": [{"model": "coder", "reply": CALC_FIX}]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROAGENT_")}
    env |= {"MICROAGENT_SCRIPT": str(script), "MICROAGENT_CODER_MODEL": "scripted/coder",
            "MICROAGENT_REVIEW": "false", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}

    done = subprocess.run([str(MICROAGENT), "fix", "--apply", "--json", "--backend", "process",
                           "-w", str(project)], env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)

    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)  # nothing but the document
    assert result["status"] == "solved"
    assert "wrote calc.py" in done.stderr
    assert "stop + 1" in (project / "calc.py").read_text()

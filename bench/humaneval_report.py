"""What a HumanEval loop run's records say: which proposer's candidate each problem's answer
came from, and for each problem the answer failed, what the run tried and how it ended.

    .venv/bin/python -m microagent.bench.humaneval_report \
        bench/results/runs/humaneval-local-qwen2.5-coder-1.5b-loop-proposers.jsonl.gz
(any number of JSONL files, gzipped or not; a task's last record wins)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

PROPOSER = re.compile(r"the ([\w-]+) proposer's")  # in the run's message: what records left empty


def tried(record: dict) -> str:
    counts = Counter(a.get("proposer") or "single" for a in record.get("attempts") or [])
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "no candidate"


def answered_by(record: dict) -> str:
    """The proposer whose candidate is the answer: the record says so, or (records that left it
    empty) the last candidate of a solved run, the one that passed; "single" without tests."""
    attempts = record.get("attempts") or []
    named = PROPOSER.search(record.get("message") or "")
    if record.get("proposer") or named:
        return record.get("proposer") or named.group(1)
    if record["status"] == "solved" and attempts and attempts[-1].get("proposer"):
        return attempts[-1]["proposer"]
    return "single" if record["status"] == "single" else record["status"]


def ending(record: dict) -> str:
    """Why the hidden test's verdict differs from what the run saw, in a few words."""
    if record["status"] == "solved":
        return "passed the docstring examples, failed the hidden test"
    if (record.get("message") or "").startswith("no visible tests") or record["status"] == "single":
        return "no docstring examples to test: one answer"
    return f"{record['status']}: {(record.get('message') or '')[:90]}"


def report(records: list[dict]) -> str:
    records = sorted(records, key=lambda r: int(r["task_id"].rsplit("/", 1)[1]))
    passed = [r for r in records if r["passed"]]
    by = Counter(answered_by(r) for r in passed)
    out = [f"{len(passed)}/{len(records)} pass the hidden tests"]
    out += [f"  answer from {name}: {n}" for name, n in by.most_common()]
    first = sum(r.get("first_attempt_passed", r["passed"]) for r in records)  # as the bench counts
    won = sum(r["passed"] and not r.get("first_attempt_passed", True) for r in records)
    lost = sum(not r["passed"] and r.get("first_attempt_passed", False) for r in records)
    out.append(f"the first (greedy) answer alone: {first}/{len(records)}; won over it {won}, "
               f"lost {lost}")
    failed = [r for r in records if not r["passed"]]
    out.append(f"{len(failed)} fail the hidden tests:")
    for r in failed:
        out.append(f"{r['task_id']}: {ending(r)}; {r['iterations']} candidate(s) "
                   f"({tried(r)}), {r['tokens']} tokens, {r['seconds']:.0f} s")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="+", help="HumanEval loop JSONL files")
    args = parser.parse_args(argv)
    records = {}
    for path in args.results:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        for line in raw.decode("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["task_id"]] = record
    print(report(list(records.values())))


if __name__ == "__main__":
    main()

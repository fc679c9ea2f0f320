"""bench/real's results as a table and a summary: `python -m microagent.bench.real --summary
FILE` prints both for a results file (one JSON record a task)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path


def summarize(records: list[dict]) -> dict:
    tokens = [sum(u.get("prompt_tokens", 0) + u.get("completion_tokens", 0)
                  for u in r.get("usage", {}).values()) for r in records]
    seconds = [r.get("seconds", {}).get("total", r.get("wall_seconds", 0.0)) for r in records]
    by_role: dict[str, dict[str, int]] = {}
    for r in records:
        for role, u in r.get("usage", {}).items():
            totals = by_role.setdefault(role, {"calls": 0, "prompt_tokens": 0,
                                               "completion_tokens": 0})
            for key in totals:
                totals[key] += u.get(key, 0)
    solved = [r for r in records if r["solved"]]
    return {"solved": len(solved), "of": len(records),
            "mean_seconds": round(statistics.mean(seconds), 1) if records else 0.0,
            "mean_seconds_to_pass_solved": round(statistics.mean(map(to_pass, solved)), 1)
            if solved else None,
            "mean_tokens": round(statistics.mean(tokens)) if records else 0,
            "tokens_by_role": by_role,
            "context_overflows": sum(bool(r.get("context_overflow")) for r in records)}


AFTER_PASS = ("review", "tester")  # time a run spends after its pass: the review


def to_pass(record: dict) -> float:
    """Seconds until the fix went out (`to_edit`, measured since the edit comes before the
    review); for older records and unsolved runs, the total less the review."""
    seconds = record.get("seconds", {})
    if "to_edit" in seconds:
        return seconds["to_edit"]
    return seconds.get("total", 0.0) - sum(seconds.get(k, 0.0) for k in AFTER_PASS)


def table(records: list[dict]) -> str:
    """A markdown row a task: how it ended, by what, its cost."""
    rows = ["| task | solved | by | mutants | Coder answers | prompt / decoded tokens | s to pass "
            "| s in all | tests s | overflow |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in records:
        coder = r.get("usage", {}).get("coder", {})
        rows.append(
            f"| {r['task']} | {'yes' if r['solved'] else 'no (' + r['status'] + ')'} "
            f"| {r.get('proposer') or '-'} | {len((r.get('mutations') or {}).get('mutants', []))} "
            f"| {len(r.get('candidates', []))} | {coder.get('prompt_tokens', 0):,} / "
            f"{coder.get('completion_tokens', 0):,} | {to_pass(r):.1f} "
            f"| {r.get('seconds', {}).get('total', 0.0):.1f} "
            f"| {r.get('seconds', {}).get('tests', 0.0):.1f} "
            f"| {'yes' if r.get('context_overflow') else 'no'} |")
    return "\n".join(rows)


def print_summary(path: Path) -> None:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    print(table(records))
    print(json.dumps(summarize(records), indent=2))

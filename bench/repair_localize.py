"""The repair set's localization, no decoding: for each task, where the seeded line ranks in the
failing tests' spectrum (agents/localize.py, in the Docker sandbox), where the mutant that undoes
the seed comes in the mutations proposer's order, and, with `--likelihood`, where it comes once
the head of that order is re-ordered by the embedded model's log-likelihood of the changed line
(agents/naturalness.py; one prefill per line, no decoding). Each scored mutant is kept with its
gain, so other orderings can be computed from the file.

    python -m microagent.bench.repair_localize bench/repair-set [--likelihood] [--tasks 0,5]

Writes bench/results/repair-localization.json (or --out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from microagent.agents import naturalness
from microagent.agents.config import load_config
from microagent.agents.localize import localize, ranked_mutants
from microagent.agents.models.client import ModelClient
from microagent.agents.runtime import open_sandbox
from microagent.bench.repair_tasks import MODULE, TEST_FILE, RepairTask, load_set
from microagent.languages.python.language import PYTHON
from microagent.languages.python.mutations import parses
from microagent.sandbox.snapshot import read_workspace

TIMEOUT = 60.0
MUTANTS = 120  # the proposer's default `loop.mutants`


def undoing_lines(task: RepairTask, source: str) -> set[str]:
    """The seeded line as the dataset wrote it: the seed's text put back at one of the places
    the line holds it (`n**0.5)+0` holds `0` twice; task.json keeps no column)."""
    line = source.splitlines(keepends=True)[task.mutation.line - 1]
    old, new = task.mutation.mutated, task.mutation.original
    places = [i for i in range(len(line)) if line.startswith(old, i)]
    return {line[:i] + new + line[i + len(old):] for i in places}


async def localize_task(task: RepairTask, set_dir: Path, sandbox, root: Path, scorer) -> dict:
    for name in (MODULE, TEST_FILE):  # never task.json: it holds the answer
        shutil.copyfile(set_dir / task.folder / name, root / name)
    snapshot = read_workspace(root)
    await sandbox.prepare(snapshot)
    report = await sandbox.run_tests(snapshot, None, timeout=TIMEOUT)
    started = time.monotonic()
    suspects = await localize(sandbox, snapshot, report.failed, TIMEOUT)
    localize_seconds = time.monotonic() - started
    line = task.mutation.line
    ranks = [i + 1 for i, s in enumerate(suspects) if s.path == MODULE and s.line == line]
    fixed = undoing_lines(task, snapshot.text(MODULE))
    queue = [(s, m) for s, m in ranked_mutants(suspects, snapshot, PYTHON.mutations) if parses(m.source)][:MUTANTS]
    right = [s.path == MODULE and m.line == line and
             naturalness.changed_line(m.source, line) in fixed for s, m in queue]
    row = {"task": task.task_id, "kind": task.mutation.kind, "line": line,
           "line_rank": ranks[0] if ranks else None, "ranked_lines": len(suspects),
           "failing": len(report.failed), "mutants": len(queue),
           "mutant_rank": right.index(True) + 1 if any(right) else None,
           "localize_seconds": round(localize_seconds, 2)}
    if scorer is not None:
        row.update(await likelihood_order(queue, right, snapshot, scorer))
    return row


async def likelihood_order(queue: list, right: list[bool], snapshot, scorer) -> dict:
    """Where the right mutant comes once the queue's head is ordered by the model's
    log-likelihood (agents/naturalness.py, as the proposer does), and each scored mutant."""
    started = time.monotonic()
    items = [(s.path, m.line, m.source, i) for i, (s, m) in enumerate(queue)]
    ordered = await naturalness.order(items, snapshot, scorer)
    positions = [i for i, _ in ordered]
    return {"likelihood_seconds": round(time.monotonic() - started, 2),
            "likelihood_rank": positions.index(right.index(True)) + 1 if any(right) else None,
            "scored": [{"at": i + 1, "line": queue[i][1].line, "kind": queue[i][1].kind,
                        "prior": round(queue[i][0].score * queue[i][1].weight, 4),
                        "gain": None if gain is None else round(gain, 3), "right": right[i]}
                       for i, gain in ordered if gain is not None]}


def coder_scorer(root: Path):
    """The Coder model's log-likelihoods as a run in `root` gets them (None where it gives none)."""
    client = ModelClient(load_config(root))
    return partial(client.log_likelihoods, "coder")


def within(rows: list[dict], key: str, k: int) -> int:
    return sum(bool(r.get(key)) and r[key] <= k for r in rows)


async def run(set_dir: Path, tasks: list[RepairTask], out: Path, scorer) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="microagent-localize-") as folder:
        root = Path(folder)
        (root / MODULE).write_text("", encoding="utf-8")
        sandbox, _ = open_sandbox(load_config(root, overrides={"sandbox.backend": "docker"}))
        try:
            for task in tasks:
                try:
                    row = await localize_task(task, set_dir, sandbox, root, scorer)
                except Exception as exc:  # noqa: BLE001 - one broken task is a line of the report
                    row = {"task": task.task_id, "error": f"{type(exc).__name__}: {exc}"}
                rows.append(row)
                print(f"{row['task']:>14} line {row.get('line_rank')} of "
                      f"{row.get('ranked_lines')}, mutant {row.get('mutant_rank')}"
                      + (f", by likelihood {row.get('likelihood_rank')} "
                         f"({row.get('likelihood_seconds')} s)" if scorer else "")
                      + (f" {row['error']}" if "error" in row else ""), flush=True)
        finally:
            await sandbox.close()
    data = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": "python -m microagent.bench.repair_localize bench/repair-set"
                       + (" --likelihood" if scorer else ""),
            "of": len(rows), "errors": sum("error" in r for r in rows),
            "line_top": {k: within(rows, "line_rank", k) for k in (1, 3, 10)},
            "mutant_within": {k: within(rows, "mutant_rank", k) for k in (1, 3, 10, 40, 120)},
            "tasks": rows}
    if scorer:
        data["likelihood_within"] = {k: within(rows, "likelihood_rank", k)
                                     for k in (1, 3, 10, 40, 120)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--likelihood", action="store_true",
                        help="also order the mutants by the embedded model's log-likelihood")
    parser.add_argument("--tasks", default=None, help="ids such as 0,5,HumanEval/7")
    parser.add_argument("--out", type=Path, default=Path("bench/results/repair-localization.json"))
    args = parser.parse_args()
    tasks = load_set(args.set_dir)
    if args.tasks:
        wanted = {t.strip().rpartition("/")[2] for t in args.tasks.split(",") if t.strip()}
        tasks = [t for t in tasks if str(t.number) in wanted]
    scorer = coder_scorer(args.set_dir) if args.likelihood else None
    data = asyncio.run(run(args.set_dir, tasks, args.out, scorer))
    print(json.dumps({k: v for k, v in data.items() if k != "tasks"}, indent=2))


if __name__ == "__main__":
    main()

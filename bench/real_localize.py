"""bench/real --localize: no model. For each task, which functions the Coder would be shown
for the bugged project's failing tests, where the buggy line ranks in the failing tests'
spectrum (agents/localize.py), and where the mutant that restores the shipped line comes.
Writes bench/results/real-localization.json.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from microagent.agents.config import load_config
from microagent.agents.localize import Suspect, localize as spectrum_of, ranked_mutants
from microagent.agents.models.client import ModelClient
from microagent.languages.python.context import Context, build_context, enclosing_definition
from microagent.agents.runtime import open_sandbox
from microagent.agents.tester import collection_cases
from microagent.bench.repair_localize import likelihood_order
from microagent.languages.python.language import PYTHON
from microagent.languages.python.mutations import parses
from microagent.bench.real import SUITE_TIMEOUT, RealTask, _overrides, prepare, remove, suite_report
from microagent.sandbox.snapshot import read_workspace


def bug_line(task: RealTask, source: str) -> int:
    """The line (1-based) where the injected text starts in the bugged file."""
    return source[:source.index(task.replace)].count("\n") + 1


def shown_functions(context: Context) -> list[str]:
    """`path:name` of each definition the Coder is shown (`path:*` for a whole file)."""
    return [f"{p.path}:{n}" for p in context.code for n in (p.names or ["*"])]


async def _spectrum(root: Path, task: RealTask, failing: list) -> list[Suspect]:
    sandbox, _ = open_sandbox(load_config(root, overrides=_overrides(task)))
    try:
        snapshot = read_workspace(root)
        await sandbox.prepare(snapshot)
        return await spectrum_of(sandbox, snapshot, failing, SUITE_TIMEOUT)
    finally:
        await sandbox.close()


def mutant_rank(task: RealTask, snapshot, suspects: list[Suspect]) -> int | None:
    """Where the mutant that restores the shipped line comes in the mutations proposer's
    order (1 = first), or None when no mutant among the ranked lines restores it (another
    mutant may still pass the tests)."""
    shipped = snapshot.text(task.file).replace(task.replace, task.find)
    return next((i + 1 for i, (suspect, mutant) in enumerate(ranked_mutants(suspects, snapshot, PYTHON.mutations))
                 if suspect.path == task.file and mutant.source == shipped), None)


async def localize_task(task: RealTask, cache: Path, likelihood: bool = False) -> dict:
    """Which functions the Coder would be shown for the bugged project's failing tests, and
    whether the buggy one is among them (no model call: the context the loop builds); where
    the buggy line ranks in the failing tests' spectrum (agents/localize.py), and where the
    mutant that undoes the bug comes."""
    root = prepare(task, cache)
    try:
        report, _ = await suite_report(root, task)
        snapshot = read_workspace(root)
        config = load_config(root, overrides=_overrides(task))
        client = ModelClient(config)
        failing = report.failed or collection_cases(report, None, snapshot)
        context = build_context(snapshot, failing, lambda text: client.count_tokens("coder", text))
        suspects = await _spectrum(root, task, failing)
        localized = build_context(snapshot, failing,
                                  lambda text: client.count_tokens("coder", text),
                                  suspects=[(x.path, x.line) for x in suspects])
        ordered = await _likelihood_rank(task, snapshot, suspects, client) if likelihood else {}
    finally:
        remove(root)
    source = snapshot.text(task.file)
    buggy = enclosing_definition(source, bug_line(task, source), methods=True) or "*"
    shown = shown_functions(context)
    top = buggy.split(".")[0]

    def holds_bug(functions: list[str]) -> bool:
        return any(s in (f"{task.file}:{buggy}", f"{task.file}:{top}", f"{task.file}:*")
                   for s in functions)

    found = holds_bug(shown)
    files = [p.path for p in context.code]
    tokens = sum(client.count_tokens("coder", p.text) for p in [*context.tests, *context.code])
    line = bug_line(task, source)
    ranks = [i + 1 for i, x in enumerate(suspects) if x.path == task.file and x.line == line]
    return {"task": task.name, "buggy": f"{task.file}:{buggy}", "shown": found,
            "shown_after_localization": holds_bug(shown_functions(localized)),
            "line": line, "line_rank": ranks[0] if ranks else None, "ranked_lines": len(suspects),
            "mutant_rank": mutant_rank(task, snapshot, suspects),
            "file_rank": files.index(task.file) + 1 if task.file in files else None,
            "functions": shown, "failing": len(failing), "context_tokens": tokens,
            "cross_module": task.cross_module, **ordered}


async def _likelihood_rank(task: RealTask, snapshot, suspects: list[Suspect],
                           client: ModelClient) -> dict:
    """Where the mutant restoring the shipped line comes among those that parse, in the
    localization's order and once the Coder model's log-likelihood orders the head."""
    shipped = snapshot.text(task.file).replace(task.replace, task.find)
    queue = [(s, m) for s, m in ranked_mutants(suspects, snapshot, PYTHON.mutations) if parses(m.source)]
    right = [s.path == task.file and m.source == shipped for s, m in queue]
    return {"parsing_mutant_rank": right.index(True) + 1 if any(right) else None,
            **await likelihood_order(queue, right, snapshot,
                                     partial(client.log_likelihoods, "coder"))}


def localize_all(tasks: list[RealTask], cache: Path, out: Path, likelihood: bool = False) -> dict:
    rows = []
    for task in tasks:
        try:
            row = asyncio.run(localize_task(task, cache, likelihood))
        except Exception as exc:  # noqa: BLE001 - one broken task is a line of the report
            row = {"task": task.name, "shown": False, "error": f"{type(exc).__name__}: {exc}"}
        rows.append(row)
        print(f"{task.name:>16} {'shown' if row['shown'] else 'NOT shown':<10} "
              f"{row.get('buggy', row.get('error'))} among {len(row.get('functions', []))} "
              f"functions, {row.get('context_tokens', 0)} tokens; line rank "
              f"{row.get('line_rank')} of {row.get('ranked_lines')}, mutant "
              f"{row.get('mutant_rank')}" + (f", by likelihood {row.get('likelihood_rank')} of "
              f"the parsing ones (before: {row.get('parsing_mutant_rank')}; "
              f"{row.get('likelihood_seconds')} s)" if likelihood else ""), flush=True)
    data = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": "python -m microagent.bench.real --localize"
                       + (" --likelihood" if likelihood else ""),
            "shown": sum(r["shown"] for r in rows), "of": len(rows),
            "shown_after_localization": sum(bool(r.get("shown_after_localization")) for r in rows),
            "cross_module_shown": sum(r["shown"] for r in rows if r.get("cross_module")),
            "cross_module": sum(bool(r.get("cross_module")) for r in rows),
            "line_top": {k: sum(bool(r.get("line_rank")) and r["line_rank"] <= k for r in rows)
                         for k in (1, 3, 10)},
            "mutant_within": {k: sum(bool(r.get("mutant_rank")) and r["mutant_rank"] <= k
                                     for r in rows) for k in (10, 120)},
            **({"likelihood_within": {
                k: [sum(bool(r.get(key)) and r[key] <= k for r in rows)
                    for key in ("parsing_mutant_rank", "likelihood_rank")]
                for k in (1, 3, 10, 40)}} if likelihood else {}),
            "tasks": rows}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data

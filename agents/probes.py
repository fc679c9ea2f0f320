"""The Tester's inputs: calls to a function that its docstring examples do not make, written by
the Tester model, run on every candidate in the sandbox; the candidate whose behaviour most
candidates share wins (CodeT, S*). Inputs only: no expected value is ever written, so a wrong
guess of the model can rank candidates but never fail one, and nothing reaches the user's files.

The probe prints its outcomes on one marked line. Code under test could print a forged line of
its own; that only moves it within the candidates that already pass the tests.
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from microagent.languages.python.replies import extract_code_blocks
from microagent.agents.role_prompts import RolePrompts
from microagent.sandbox.types import Sandbox, WorkspaceSnapshot

PROBE_FILE = "microagent_probe.py"
MARK = "MICROAGENT-PROBE "
CALL_SECONDS = 2  # one call that runs longer counts as "timeout"
PROMPTS = RolePrompts("tester", "inputs")


@dataclass
class Probe:
    """One run of the inputs on a candidate: an outcome per call ("= repr", "raises Error",
    "timeout"), or None when the probe itself could not run."""
    outcomes: list[str] | None


def messages(code: str, name: str, count: int) -> list[dict]:
    return PROMPTS.chat("inputs", code=code.strip(), name=name, count=str(count))


def parse_calls(reply: str, name: str, limit: int) -> list[str]:
    """The distinct calls `name(...)` in the reply whose arguments are all literals."""
    calls: list[str] = []
    for block in extract_code_blocks(reply) or []:
        for line in block.code.splitlines():
            call = _literal_call(line.strip(), name)
            if call and call not in calls:
                calls.append(call)
    return calls[:limit]


def _literal_call(line: str, name: str) -> str | None:
    if line.startswith(("print(", "assert ")):
        line = line[line.index("(") + 1:-1] if line.startswith("print(") else line[7:]
        line = line.split("==")[0].strip()
    try:
        tree = ast.parse(line, mode="eval")
    except SyntaxError:
        return None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == name):
        return None
    try:
        for value in [*call.args, *(k.value for k in call.keywords)]:
            ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    return ast.unparse(call)


def script(path: str, name: str, calls: list[str]) -> str:
    """A program that loads `path`, makes each call with a time limit, and prints the outcomes."""
    return f'''import importlib.util, json, signal

def _late(*_):
    raise TimeoutError

spec = importlib.util.spec_from_file_location("_probed", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
function = getattr(module, {name!r})
signal.signal(signal.SIGALRM, _late)
outcomes = []
for call in {calls!r}:
    signal.alarm({CALL_SECONDS})
    try:
        value = eval(call, {{{name!r}: function}})
        outcomes.append("= " + repr(value)[:300])
    except TimeoutError:
        outcomes.append("timeout")
    except BaseException as exc:
        outcomes.append("raises " + type(exc).__name__)
    finally:
        signal.alarm(0)
print({MARK!r} + json.dumps(outcomes), flush=True)
'''


async def run(sandbox: Sandbox, snapshot: WorkspaceSnapshot, path: str, name: str,
              calls: list[str]) -> Probe:
    """The calls run on `snapshot` (a candidate's files) in the sandbox."""
    program = script(path, name, calls)
    result = await sandbox.run(snapshot.with_files({PROBE_FILE: program}), ["python3", PROBE_FILE],
                               timeout=CALL_SECONDS * len(calls) + 10)
    for line in reversed(result.output.splitlines()):
        if line.startswith(MARK):
            try:
                outcomes = json.loads(line[len(MARK):])
            except ValueError:
                break
            if isinstance(outcomes, list) and len(outcomes) == len(calls):
                return Probe([str(o) for o in outcomes])
            break
    return Probe(None)


def pick(probes: list[Probe]) -> int:
    """The candidate whose outcomes the most candidates share, call by call: each candidate
    scores, for every call, how many candidates gave the same outcome; one that raises or
    times out where another returns scores nothing for that call. Ties go to the earlier
    candidate (the greedy answer comes first)."""
    columns = [p.outcomes for p in probes if p.outcomes is not None]
    if not columns:
        return 0
    width = min(len(c) for c in columns)
    counts = [Counter(c[i] for c in columns) for i in range(width)]
    returns = [any(c[i].startswith("= ") for c in columns) for i in range(width)]

    def score(probe: Probe) -> int:
        if probe.outcomes is None:
            return -1
        return sum(counts[i][o] for i, o in enumerate(probe.outcomes[:width])
                   if o.startswith("= ") or not returns[i])

    scores = [score(p) for p in probes]
    return scores.index(max(scores))


INPUTS = 8  # calls asked of the Tester


async def choose(candidates: list, code: str, name: str,
                 ask: Callable[[list[dict]], Awaitable[str]],
                 probe: Callable[[Any, list[str]], Awaitable[Probe]]) -> tuple[int, str]:
    """Which of `candidates` (each passing the visible tests) to keep, and a note saying how it
    was chosen: the Tester writes inputs from `code` (the function's signature and docstring),
    every candidate runs them, `pick` decides."""
    calls = parse_calls(await ask(messages(code, name, INPUTS)), name, INPUTS)
    if not calls:
        return 0, "the Tester wrote no usable input: the first that passed kept"
    found = [await probe(candidate, calls) for candidate in candidates]
    chosen = pick(found)
    shared = sum(1 for p in found if p.outcomes == found[chosen].outcomes)
    return chosen, (f"picked among {len(candidates)} passing candidates by their behaviour on "
                    f"{len(calls)} Tester inputs ({shared} behave the same)")

"""The proposers: each is an async generator that yields candidates (Proposal) and is sent back
what the judge made of each one (an Attempt, or None when it could not be run). The loop runs
them in the order of `loop.schedule` until a candidate passes or the budget ends.

- `first`: the greedy answer. When a function's docstring is its whole spec (no test uses it),
  the plain prompt: one greedy answer to it scored 71.3 % on HumanEval against 61.6 % for the
  Coder's test-laden prompt (bench/results).
- `lines`: the line round of a fix (agents/line_repair.py) on the best code.
- `repair`: the best attempt with its own failure, again while each repair makes progress.
- `mutations`: no model call: one-edit mutants (languages/python/mutations.py) of the lines the
  failing tests run and the passing ones do not (agents/localize.py), most suspicious first.
- `samples`: sampled answers from the original code, hot, round after round, each round's best
  repaired once (S*: many diverse samples, a short debug of each; the judge picks).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import AsyncGenerator, Awaitable, Callable

from microagent.agents import line_repair, naturalness
from microagent.agents.coder import Coder
from microagent.agents.localize import Suspect, ranked_mutants
from microagent.agents.judge import Judge
from microagent.languages.python.context import Context
from microagent.agents.run_state import Attempt, RunState
from microagent.agents.types import TaskKind
from microagent.sandbox.types import ReportStatus

SAMPLE_TEMPERATURE = 0.8  # where a 1.5B model's answers differ enough for the tests to choose
REPAIR_DEPTH = 2  # repairs in a row, each only while the one before made progress
MUTATION_SHARE = 1 / 3  # of `loop.max_seconds`, the most the mutants may take


@dataclass
class Proposal:
    entry: dict  # the transcript entry of the answer
    files: dict[str, str] = field(default_factory=dict)  # every changed file, whole
    problem: str | None = None  # why the answer could not be used, said to the next proposer
    attempt: Attempt | None = None  # what the judge made of it (set once judged)


Proposer = Callable[["Bench"], AsyncGenerator[Proposal, "Attempt | None"]]
# (messages, temperature, proposer) -> (transcript entry, reply text); one model call in budget
Ask = Callable[[list[dict], "float | None", str], Awaitable[tuple[dict, str]]]
Localize = Callable[[], Awaitable[list[Suspect]]]  # the suspicious lines, most suspicious first


class Bench:
    """What the proposers share: the Coder, the run, the judge's verdicts so far."""

    def __init__(self, coder: Coder, ask: Ask, run: RunState, context: Context, judge: Judge,
                 feedback: Callable[[Attempt], str], *, greedy: float, candidates: int,
                 line_tries: int, spec_file: str | None, parallel: bool = False,
                 mutants: int = 0, localize: Localize | None = None,
                 mutation_seconds: float = float("inf"),
                 score: naturalness.Scorer | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.coder, self.ask, self.run, self.context, self.judge = coder, ask, run, context, judge
        self._feedback = feedback
        self.values = ""  # the variables at the suspicious lines in the original's failing test
        self.greedy = greedy
        self.hot = max(greedy, SAMPLE_TEMPERATURE)
        self.candidates = candidates
        self.line_tries = line_tries
        self.spec_file = spec_file  # the file whose docstrings are the whole spec, if so
        self.parallel = parallel  # the Coder's model answers calls at once (a remote one)
        self.mutants = mutants  # the most mutants the `mutations` proposer may try
        self.localize = localize
        self.mutation_seconds = mutation_seconds  # the mutants' share of the run's time
        self.score = score  # the Coder model's log-likelihoods, where it gives them
        self.clock = clock
        self.last: Proposal | None = None  # the latest proposal, whatever became of it
        self.seen: set[str] = set()  # failures already sent back: a repeat ends a repair chain
        self.passers: list[Attempt] = []  # the candidates that passed, in the order tried
        self.choice = ""  # how the Tester's inputs chose among them, when they did

    def feedback(self, attempt: Attempt) -> str:
        """What the tests said of `attempt`; for the original code, with the values its failing
        test's variables took at the most suspicious lines (once localization has run)."""
        said = self._feedback(attempt)
        return f"{said}\n\n{self.values}".strip() if self.values and not attempt.files else said

    def proposal(self, entry: dict, text: str, base: Attempt) -> Proposal:
        """The Coder's reading of an answer, spliced into `base`'s files."""
        candidate = self.coder.apply(text, self.run.snapshot, self.context, base.files)
        entry["problem"] = candidate.problem
        files = {**base.files, **candidate.files} if candidate.files else {}
        return Proposal(entry, files, candidate.problem)

    def coder_messages(self, base: Attempt, feedback: str) -> list[dict]:
        return self.coder.messages(self.run.task.kind.value, self.context, base.files, feedback)

    def plain_messages(self) -> list[dict] | None:
        if self.spec_file is None:
            return None
        return self.coder.plain_messages(self.run.snapshot.file_text(self.spec_file))


async def first(bench: Bench) -> AsyncGenerator[Proposal, Attempt | None]:
    original = bench.judge.original
    messages = bench.plain_messages() or bench.coder_messages(original, bench.feedback(original))
    entry, text = await bench.ask(messages, bench.greedy, "first")
    yield bench.proposal(entry, text, original)


async def repair(bench: Bench) -> AsyncGenerator[Proposal, Attempt | None]:
    """The latest attempt (the best one when the latest broke passing tests or could not run)
    with its own failure, and the last answer's problem if it had one; again only while each
    repair becomes the new best and fails in a way not seen before."""
    for _ in range(REPAIR_DEPTH):
        last = bench.last
        base = last.attempt if last and last.attempt and not last.attempt.regressed \
            else bench.judge.best
        said = bench.feedback(base)
        if said in bench.seen and base is not bench.judge.original:
            return  # the same failure again: this line of attempts is spent
        bench.seen.add(said)
        problem = last.problem if last and not last.attempt else None
        feedback = f"{problem}\n\n{said}".strip() if problem else said
        entry, text = await bench.ask(bench.coder_messages(base, feedback), bench.greedy, "repair")
        attempt = yield bench.proposal(entry, text, base)
        if attempt is None or bench.judge.best is not attempt:
            return


async def lines(bench: Bench) -> AsyncGenerator[Proposal, Attempt | None]:
    """A fix whose whole-function answers failed: which line is wrong, then lines rewritten one
    at a time on the best code (agents/line_repair.py)."""
    best = bench.judge.best
    if bench.run.task.kind != TaskKind.fix or bench.line_tries <= 0 or \
            best.report.status != ReportStatus.completed or not best.report.failed:
        return
    files = {p.path: best.files.get(p.path, bench.run.snapshot.file_text(p.path))
             for p in bench.context.code}
    shown = line_repair.regions(bench.context, files)
    if not shown:
        return
    tried: set[str] = set()

    async def ask(messages: list[dict], strategy: str, hot: bool) -> tuple[dict, str]:
        entry, text = await bench.ask(messages, bench.hot if hot else bench.greedy, "lines")
        entry["strategy"] = strategy
        return entry, text

    def as_code(text: str) -> list[dict[str, str]]:
        candidate = bench.coder.apply(text, bench.run.snapshot, bench.context, best.files)
        return [candidate.files] if candidate.files else []

    search = line_repair.proposals(shown, files, bench.feedback(best), bench.line_tries, ask, as_code)
    passed = None
    try:
        while True:
            entry, change = await search.asend(passed)
            key = repr(sorted(change.items()))
            if key in tried:
                passed = False
                continue
            tried.add(key)
            attempt = yield Proposal(entry, {**best.files, **change}, entry.get("problem"))
            passed = bench.judge.solved(attempt)
    except StopAsyncIteration:
        return
    finally:
        await search.aclose()


async def mutations(bench: Bench) -> AsyncGenerator[Proposal, Attempt | None]:
    """A fix whose tests ran and failed: one-edit mutants of the suspicious lines, at most
    `bench.mutants`, the likeliest first (the line's suspiciousness times how often that kind of
    change is the fix), within a share of the run's time. Each is tried on the original code,
    and, once a mutant has passed more tests without breaking any, on top of that one too (two
    bugs, two mutants; a wrong mutant that happens to pass a test never hides the right one).
    Each is an entry of its own in the transcript (role `mutation`); none costs a model call."""
    original = bench.judge.original
    if bench.run.task.kind != TaskKind.fix or bench.mutants <= 0 or bench.localize is None or \
            original.report.status != ReportStatus.completed or not original.report.failed:
        return
    until = bench.clock() + bench.mutation_seconds
    mutations = bench.run.language.mutations
    if mutations is None:
        return
    queue = [(s, m, None) for s, m in ranked_mutants(await bench.localize(), bench.run.snapshot,
                                                     mutations)]
    if bench.score is not None and queue:
        queue = await _natural_order(bench, queue, until)
    for tried, (suspect, mutant, gain) in enumerate(queue[:bench.mutants]):
        best = bench.judge.best
        for base in [original] + ([best] if best is not original else []):
            if bench.clock() >= until:  # a slow suite: leave the rest of the budget to the Coder
                return
            made = mutant if suspect.path not in base.files else next(
                (m for m in mutations.mutants(suspect.path, base.files[suspect.path], suspect.line)
                 if m.kind == mutant.kind), None)
            if made is None or not mutations.parses(suspect.path, made.source):
                continue
            entry = {"role": "mutation", "proposer": "mutations", "iteration": tried + 1,
                     "mutation": made.describe(suspect.path) + ("" if base is original else
                                                                " (on the best mutant)"),
                     "suspiciousness": round(suspect.score, 3)}
            if gain is not None:
                entry["likelihood_gain"] = round(gain, 2)
            bench.run.transcript.append(entry)
            yield Proposal(entry, {**base.files, suspect.path: made.source})


async def _natural_order(bench: Bench, queue: list, until: float) -> list:
    """The head of the mutants' queue (the first `naturalness.SCORED` that parse) re-ordered by
    how much likelier the Coder model finds the changed line than the line as written; the
    scoring stops where the mutants' share of the time ends. The transcript says what it did."""
    head, rest = [], []
    parses = bench.run.language.mutations.parses
    for item in queue:
        (head if len(head) < naturalness.SCORED and parses(item[0].path, item[1].source)
         else rest).append(item)
    started = bench.clock()

    async def score(prefix: str, texts: list[str]) -> list[float] | None:
        return None if bench.clock() >= until else await bench.score(prefix, texts)

    ordered = await naturalness.order([(s.path, m.line, m.source, (s, m)) for s, m, _ in head],
                                      bench.run.snapshot, score)
    scored = sum(gain is not None for _, gain in ordered)
    if scored:
        bench.run.transcript.append({"role": "likelihood", "proposer": "mutations",
                                     "scored": scored, "of": len(head),
                                     "seconds": round(bench.clock() - started, 2)})
    return [(s, m, gain) for (s, m), gain in ordered] + rest


def found_by(transcript: list[dict], files: dict[str, str]) -> str:
    """How a mutant that passed was found, for the result's message: the change, the mutant's
    place among those tried and its line's rank in the localization ("" for other answers)."""
    tried = [e for e in transcript if e.get("role") == "mutation"]
    won = next((i for i, e in enumerate(tried) if e.get("passed_files") == files), None)
    if won is None:
        return ""
    change = tried[won]["mutation"]
    localized = next((e for e in transcript if e.get("role") == "localizer"), {})
    lines = [line.rsplit(" ", 1)[0] for line in localized.get("lines", [])]
    where = change.split(" ", 1)[0]
    rank = f", line {lines.index(where) + 1} of the localization" if where in lines else ""
    return f"mutant {won + 1} tried, {change}{rank}"


async def samples(bench: Bench) -> AsyncGenerator[Proposal, Attempt | None]:
    """Round after round until the budget ends: `candidates` sampled answers from the original
    code (plain and Coder prompts in turn where the docstring is the spec), then one repair of
    the round's best when it passed more tests than the original did and failed in a new way."""
    original = bench.judge.original
    turn = 0
    while True:
        round_best: Attempt | None = None
        prompts = []
        for _ in range(bench.candidates):
            plain = bench.plain_messages() if turn % 2 == 0 else None
            turn += 1
            prompts.append(plain or bench.coder_messages(original, bench.feedback(original)))
        ready = await _at_once(bench, prompts) if bench.parallel and len(prompts) > 1 else []
        for i, messages in enumerate(prompts):
            entry, text = ready[i] if ready else await bench.ask(messages, bench.hot, "samples")
            attempt = yield bench.proposal(entry, text, original)
            if attempt and not attempt.regressed and \
                    (round_best is None or bench.judge.better(attempt, round_best)):
                round_best = attempt
        if round_best is None or bench.judge.solved(round_best) or \
                not bench.judge.better(round_best, original):
            continue
        said = bench.feedback(round_best)
        if said in bench.seen:
            continue
        bench.seen.add(said)
        entry, text = await bench.ask(bench.coder_messages(round_best, said), bench.greedy,
                                      "samples-repair")
        yield bench.proposal(entry, text, round_best)


async def _at_once(bench: Bench, prompts: list[list[dict]]) -> list[tuple[dict, str]]:
    """A round's samples asked together, for a model that serves calls in parallel (a remote
    one: the round takes one answer's time, not k). The first failure cancels the rest and is
    raised as itself, as one call's would be."""
    calls = [asyncio.ensure_future(bench.ask(m, bench.hot, "samples")) for m in prompts]
    try:
        return list(await asyncio.gather(*calls))
    except BaseException:
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        raise


PROPOSERS: dict[str, Proposer] = {"first": first, "lines": lines, "repair": repair,
                                  "mutations": mutations, "samples": samples}

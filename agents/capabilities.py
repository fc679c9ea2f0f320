"""What the loop does only where the run's language has it (`Language.features`): the proposers
that need mutants or the line round, the Tester's probes, the test files a collection error
stands in for. A language that lacks one is skipped, said once in the transcript, never failed.
"""

from __future__ import annotations

from typing import Callable

from microagent.agents.run_state import RunState
from microagent.languages.language import IMPORT_GRAPH, LINES, MUTATIONS, PROBES, Language

# The proposers that need a capability of the language, by name (agents/proposers.py).
NEEDS = {"mutations": MUTATIONS, "lines": LINES}
WHY = {MUTATIONS: "no one-edit mutants", LINES: "no line round", PROBES: "no Tester's probes"}


def lacks(run: RunState, feature: str, what: str) -> bool:
    """Whether the run's language lacks `feature`; the first time, the transcript says so."""
    if feature in run.language.features:
        return False
    note = f"{what} skipped: {run.language.name} has {WHY.get(feature, 'no ' + feature)} yet"
    if not any(e.get("note") == note for e in run.transcript):
        run.transcript.append({"role": "loop", "note": note})
    return True


def proposer_lacks(run: RunState, name: str) -> bool:
    """Whether the proposer `name` cannot run in this language (said once)."""
    feature = NEEDS.get(name)
    return feature is not None and lacks(run, feature, f"the {name} proposer")


def test_files(language: Language) -> Callable[[str], bool] | None:
    """The test files a collection error's stand-in cases name; None: the Tester's own
    (pytest's, where the import graph is Python's)."""
    return None if IMPORT_GRAPH in language.features else language.is_test_file

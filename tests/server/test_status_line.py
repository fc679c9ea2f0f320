"""The progress line a run shows in the editor: before the Coder writes, each one-edit mutant is
named with its tests; then candidates are counted against the budget."""

from microagent.agents.types import Event, EventKind
from microagent.server.lsp.messages import StatusLine


def _tests_event(label: str, passed: int, total: int, iteration: int = 0) -> Event:
    return Event(kind=EventKind.tests, message=f"{label}: {passed}/{total} tests passing",
                 iteration=iteration, max_iterations=24, passed=passed, total=total,
                 data={"label": label})


def test_a_mutant_is_named_and_a_candidate_is_counted():
    status = StatusLine()
    assert status.update(_tests_event("initial", 2, 6))[0] == "2/6 tests passing"
    text, _ = status.update(_tests_event("mutant calc.py:6 stop + 1", 4, 6))
    assert text == "mutant calc.py:6 stop + 1: 4/6 tests passing"
    status.update(Event(kind=EventKind.iteration, message="candidate 1/24 (first)", iteration=1,
                        max_iterations=24, passed=4, total=6))
    text, _ = status.update(_tests_event("candidate", 6, 6, iteration=1))
    assert "1/24" in text and "6/6 tests passing" in text

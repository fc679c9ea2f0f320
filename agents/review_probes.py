"""The Reviewer's ground truth: the Tester's inputs run on the final code, and every call that
fails the way bugs fail (dividing by zero, an index or key that is not there, no answer within
the time limit) becomes a comment at the function, beside the Reviewer model's own remarks.

Each such comment is an executed fact, not a guess: `mean([]) raises ZeroDivisionError`.
Exceptions that code raises on purpose (ValueError, TypeError, AssertionError, ...) are not
reported: the Tester's input may simply be out of the function's domain.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from microagent.agents.pysource.parsed import FUNCTIONS, first_line, parse_module, top_definitions
from microagent.agents.types import ReviewComment

BUG_OUTCOMES = {"raises ZeroDivisionError", "raises IndexError", "raises KeyError",
                "raises AttributeError", "raises UnboundLocalError", "raises NameError",
                "raises RecursionError", "raises OverflowError", "timeout"}
MOST_FUNCTIONS = 2  # functions probed per review (each costs one Tester call)


@dataclass
class Probed:
    """A top-level function to probe: its file, name, first line and source."""
    path: str
    name: str
    line: int
    source: str


def changed_functions(path: str, before: str, after: str) -> list[Probed]:
    """The top-level functions of `after` that are new or differ from `before`, in file order."""
    new, old = parse_module(after), parse_module(before)
    if new is None:
        return []
    previous = {name: ast.dump(node) for name, node in (top_definitions(old) if old else {}).items()}
    return [_probed(path, after, node) for name, node in top_definitions(new).items()
            if isinstance(node, FUNCTIONS) and previous.get(name) != ast.dump(node)]


def named_function(path: str, source: str, name: str) -> Probed | None:
    tree = parse_module(source)
    node = top_definitions(tree).get(name) if tree else None
    return _probed(path, source, node) if isinstance(node, FUNCTIONS) else None


def _probed(path: str, source: str, node: ast.AST) -> Probed:
    return Probed(path, node.name, first_line(node), ast.get_source_segment(source, node) or "")


def comments(function: Probed, calls: list[str], outcomes: list[str] | None) -> list[ReviewComment]:
    """One comment per kind of failure, naming up to two calls that show it."""
    by_outcome: dict[str, list[str]] = {}
    for call, outcome in zip(calls, outcomes or []):
        if outcome in BUG_OUTCOMES:
            by_outcome.setdefault(outcome, []).append(call)
    found = []
    for outcome, shown in by_outcome.items():
        one = len(shown) == 1
        what = ("does not return" if one else "do not return") + " within the time limit" \
            if outcome == "timeout" else outcome if one else outcome.replace("raises", "raise", 1)
        examples = " and ".join(f"`{c}`" for c in shown[:2])
        found.append(ReviewComment(
            file=function.path, line=function.line, severity="warning",
            message=f"{examples} {what}; no test covers this input (run by the Tester)"))
    return found

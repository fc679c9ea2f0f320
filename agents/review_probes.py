"""The Reviewer's ground truth: the Tester's inputs run on the final code, and every call that
fails the way bugs fail (dividing by zero, an index or key that is not there, no answer within
the time limit) becomes a comment at the function, beside the Reviewer model's own remarks.

Each such comment is an executed fact, not a guess: `mean([]) raises ZeroDivisionError`.
Exceptions that code raises on purpose (ValueError, TypeError, AssertionError, ...) are not
reported: the Tester's input may simply be out of the function's domain. Nor is a call that
breaks what the docstring asks of its inputs: `mean([])` of a mean "of a non-empty list", a
negative number where it says "positive".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from microagent.languages.python.parsed import FUNCTIONS, first_line, parse_module, top_definitions
from microagent.agents.types import ReviewComment

BUG_OUTCOMES = {"raises ZeroDivisionError", "raises IndexError", "raises KeyError",
                "raises AttributeError", "raises UnboundLocalError", "raises NameError",
                "raises RecursionError", "raises OverflowError", "timeout"}
MOST_FUNCTIONS = 2  # functions probed per review (each costs one Tester call)
# What a docstring may ask of the inputs, and the literal arguments that break it.
CONTRACTS = {
    "non-empty": (re.compile(r"\bnon-?empty\b|\bnot empty\b|\bat least one\b", re.I),
                  lambda v: isinstance(v, (str, bytes, list, tuple, dict, set)) and len(v) == 0),
    "positive": (re.compile(r"(?<!non-)(?<!non)\bpositive\b|\bgreater than (0|zero)\b", re.I),
                 lambda v: _number(v) and v <= 0),
    "non-negative": (re.compile(r"\bnon-?negative\b|\bnot negative\b", re.I),
                     lambda v: _number(v) and v < 0),
    "non-zero": (re.compile(r"\bnon-?zero\b", re.I), lambda v: _number(v) and v == 0),
}


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
    asked = documented_contract(function.source)
    params = _parameters(function.source)
    for call, outcome in zip(calls, outcomes or []):
        if outcome in BUG_OUTCOMES and not breaks_contract(call, asked, params):
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


def documented_contract(source: str) -> list[tuple[str, set[str] | None]]:
    """What the function's docstring asks of its inputs: (a key of CONTRACTS, the parameters
    named in the sentence that asks it, or None for all of them)."""
    tree = parse_module(source)
    node = next((n for n in (tree.body if tree else []) if isinstance(n, FUNCTIONS)), None)
    doc = ast.get_docstring(node) if node is not None else None
    if not doc:
        return []
    params = [a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]]
    asked: list[tuple[str, set[str] | None]] = []
    for sentence in re.split(r"[.;:\n]\s", doc + " "):
        named = {p for p in params if re.search(rf"\b{re.escape(p)}\b", sentence)}
        for name, (words, _) in CONTRACTS.items():
            if words.search(sentence):
                asked.append((name, named or None))
    return asked


def breaks_contract(call: str, asked: list[tuple[str, set[str] | None]],
                    params: list[str] | None = None) -> bool:
    """Whether a literal argument of `call` is one the docstring rules out (for the parameter
    the docstring's sentence names, when it names one)."""
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        return False
    if not isinstance(node, ast.Call):
        return False
    named = list(zip(params or [], node.args)) + [(k.arg, k.value) for k in node.keywords]
    arguments = named if params else [(None, a) for a in node.args] + named
    for param, arg in arguments:
        try:
            value = ast.literal_eval(arg)
        except (ValueError, TypeError, SyntaxError, RecursionError):
            continue
        if any(CONTRACTS[name][1](value) and (only is None or param in only)
               for name, only in asked):
            return True
    return False


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _parameters(source: str) -> list[str]:
    tree = parse_module(source)
    node = next((n for n in (tree.body if tree else []) if isinstance(n, FUNCTIONS)), None)
    return [a.arg for a in [*node.args.posonlyargs, *node.args.args]] if node is not None else []

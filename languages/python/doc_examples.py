"""Turns the examples written in docstrings (doctests, `f(1) => 2`, `For x = 1 the output should
be 2`, `Input:`/`Output:` pairs) into pytest tests, deterministically and without a model.

Precision over recall: it never emits an example it cannot read with confidence, because a wrong
test would reject a correct candidate. It never runs the code it reads.
"""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass
from typing import Literal

from microagent.languages.python.example_text import (MAX_TEXT, SAFE_BUILTINS, calls_safely, expected_value,
                                                     expression_statement, first_match, is_equality, literal,
                                                     matching_paren, segment, strip_comment, top_level_commas,
                                                     with_continuation)
from microagent.languages.python.parsed import parse_module

PROMPT = re.compile(r"^(?P<indent>\s*)>>>(?: (?P<src>.*)|\s*)$")
CONTINUATION = re.compile(r"^\s*\.\.\.(?: (?P<src>.*)|\s*)$")
SEPARATOR = re.compile(
    r"^\s*(?:==>|=>|->|➞|→|==|=(?!=)"
    r"|\#\s*(?:==>|=>|->|returns?\b:?|output\b:?)"
    r"|,?\s*(?:should|would|will)\s+(?:return|be|give|output)\b:?"
    r"|returns?\b:?|gives\b:?)\s*(?P<rhs>.*)$",
    re.IGNORECASE)
PREFIX = re.compile(r"^\s*(?:(?:[-*•]|\d+[.)])\s*)?(?:(?:for|assert)\s+)?$", re.IGNORECASE)
FOR_FORM = re.compile(
    r"^\s*(?:[-*•]\s*)?for\s+(?P<args>[A-Za-z_]\w*\s*=.*?)[,;]?\s+(?:then\s+)?the\s+"
    r"(?:output|result|answer|return\s+value)\s+(?:should\s+be|will\s+be|must\s+be|is)\s*:?\s*"
    r"(?P<rhs>\S.*)$",
    re.IGNORECASE)
INPUT = re.compile(r"^\s*Input\s*:\s*(?P<args>\S.*)$", re.IGNORECASE)
OUTPUT = re.compile(r"^\s*Output\s*:\s*(?P<rhs>\S.*)$", re.IGNORECASE)
SKIP_DIRECTIVES = re.compile(r"#\s*doctest:.*\b(?:SKIP|ELLIPSIS|IGNORE_EXCEPTION_DETAIL)\b")


@dataclass(frozen=True)
class Example:
    call: str  # a Python expression that calls the function, e.g. "f(1, 2)"
    expected: str  # a Python expression: the value ("value"), or the text shown as a string ("repr")
    compare: Literal["value", "repr"] = "value"  # "repr": the output doctest would show


def examples_from_docstring(func_name: str, docstring: str,
                            signature: inspect.Signature | None = None) -> list[Example]:
    """The examples of `func_name` in its docstring that can be read with confidence.

    With a `signature`, an example whose call would not bind to it is dropped, and a bare
    `Input: 3` (one positional argument) is understood.
    """
    if not isinstance(docstring, str) or not func_name.isidentifier():
        return []
    lines = inspect.cleandoc(docstring.expandtabs()).split("\n")
    from_doctests, consumed = _doctest_examples(func_name, lines)
    written, defines_by_formula = _written_examples(func_name, lines, consumed, signature)
    if defines_by_formula:
        # "fib(n) = fib(n-1) + fib(n-2)", "tri(1) = 3": the lines describe the mathematics, and
        # what they call f(1) need not be what the Python function returns.
        written = []
    found = [e for e in from_doctests + written if _binds(func_name, e.call, signature)]
    return _consistent(found)


def examples_for_module(source: str) -> dict[str, list[Example]]:
    """The docstring examples of every top-level function of a module, by function name."""
    tree = parse_module(source)
    if tree is None:
        return {}
    found: dict[str, list[Example]] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue  # async functions would need an event loop; methods need an instance
        docstring = ast.get_docstring(node) or next(
            (s.value.value for s in node.body[:3] if isinstance(s, ast.Expr)
             and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)), None)
        found[node.name] = examples_from_docstring(node.name, docstring or "", _signature(node.args))
    return found


def tests_from_examples(module: str, func_name: str, examples: list[Example]) -> str:
    """The source of a pytest file with one test per example; a failure shows call, got, wanted."""
    imports = ["import pytest", ""] if any(_approximate(e) for e in examples) else []
    header = "\n".join([f'"""Tests written from the docstring examples of `{func_name}`."""', "",
                        *imports, f"from {module} import {func_name}"])
    tests = ["\n".join(_test_function(func_name, i, e)) for i, e in enumerate(examples, start=1)]
    return "\n\n\n".join([header, *tests]) + "\n"


def _test_function(func_name: str, index: int, example: Example) -> list[str]:
    call = example.call
    if "\n" in call and '"""' not in call and "\'\'\'" not in call and "\\\n" not in call:
        call = call.replace("\n", "\n        ")  # inside the call's brackets: layout only
    shown_call = " ".join(example.call.split())
    if example.compare == "repr":
        wanted = _shown(ast.literal_eval(example.expected))
        return [
            f"def test_{func_name}_example_{index}(capsys):",
            f"    result = {call}",
            '    shown = capsys.readouterr().out + ("" if result is None else repr(result) + "\\n")',
            '    shown = "\\n".join(line.rstrip() for line in shown.rstrip("\\n").split("\\n"))',
            f"    assert shown == {wanted!r}, {shown_call + ' showed '!r} + repr(shown) + "
            f"{', expected ' + repr(wanted)!r}",
        ]
    expected = example.expected
    if _approximate(example):
        check = f"result == pytest.approx({expected})"
    elif expected.strip() == "None":
        check = "result is None"
    else:
        check = f"result == {expected}"
    return [
        f"def test_{func_name}_example_{index}():",
        f"    result = {call}",
        f"    assert {check}, {shown_call + ' returned '!r} + repr(result) + "
        f"{', expected ' + ' '.join(expected.split())!r}",
    ]


def _shown(text: str) -> str:
    return "\n".join(line.rstrip() for line in str(text).rstrip("\n").split("\n"))


def _approximate(example: Example) -> bool:
    """A float, or a flat list/tuple/dict of numbers with a float: compare with pytest.approx."""
    if example.compare != "value":
        return False
    try:
        value = ast.literal_eval(example.expected)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    if isinstance(value, float):
        return True
    items = list(value.values()) if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else []
    numbers = [v for v in items if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return bool(items) and len(numbers) == len(items) and any(isinstance(v, float) for v in items)


# --- doctests ------------------------------------------------------------------------------


def _doctest_examples(func_name: str, lines: list[str]) -> tuple[list[Example], set[int]]:
    examples: list[Example] = []
    consumed: set[int] = set()
    i, prompt = first_match(PROMPT, lines, 0)
    while prompt:
        indent = len(prompt.group("indent"))
        source = [prompt.group("src") or ""]
        j = i + 1
        while j < len(lines) and CONTINUATION.match(lines[j]):
            source.append(CONTINUATION.match(lines[j]).group("src") or "")
            j += 1
        want = []
        while j < len(lines) and lines[j].strip() and not PROMPT.match(lines[j]):
            if len(lines[j]) - len(lines[j].lstrip()) < indent:
                break
            want.append(lines[j][indent:])
            j += 1
        consumed.update(range(i, j))
        example = _doctest_example(func_name, "\n".join(source), "\n".join(want))
        if example:
            examples.append(example)
        i, prompt = first_match(PROMPT, lines, j)
    return examples, consumed


def _doctest_example(func_name: str, source: str, want: str) -> Example | None:
    if SKIP_DIRECTIVES.search(source) or len(source) > MAX_TEXT or len(want) > MAX_TEXT:
        return None
    expr = expression_statement(source)
    if expr is None or not calls_safely(expr, func_name):
        return None
    want = want.replace("<BLANKLINE>", "")
    if not want.strip():
        # Doctest would want no output, that is None; `f(x) == y` with no output is an assertion.
        if is_equality(expr):
            expected = literal(segment(source, expr.comparators[0]))
            left = expr.left
            if expected is not None and calls_safely(left, func_name):
                return Example(segment(source, left), expected)
            return None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == func_name:
            return Example(segment(source, expr), "None")
        return None
    if want.startswith("Traceback (most recent call last)"):
        return None
    call = segment(source, expr)
    printed = isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "print"
    expected = None if printed else literal(want)
    if expected is not None:
        if expected == "True" and is_equality(expr) and calls_safely(expr.left, func_name):
            right = literal(segment(source, expr.comparators[0]))
            if right is not None:
                return Example(segment(source, expr.left), right)
        return Example(call, expected)
    if ("\n" in want.strip() and not printed) or " at 0x" in want or "..." in want:
        return None  # prose run into the output, an address, or an elision: not readable exactly
    return Example(call, repr(_shown(want)), compare="repr")


# --- examples written in prose ------------------------------------------------------------------


def _written_examples(func_name: str, lines: list[str], consumed: set[int],
                      signature: inspect.Signature | None) -> tuple[list[Example], bool]:
    examples: list[Example] = []
    by_formula = False
    call_start = re.compile(rf"(?<![\w.]){re.escape(func_name)}\s*\(")
    for i, line in enumerate(lines):
        if i in consumed:
            continue
        match = call_start.search(line)
        if match:
            example, formula = _arrow_example(func_name, lines, i, match)
            by_formula = by_formula or formula
            if example:
                examples.append(example)
            continue
        form = FOR_FORM.match(line)
        if form:
            call = _keyword_call(func_name, form.group("args"))
            expected = expected_value(with_continuation(form.group("rhs"), lines, i))
            if call and expected:
                examples.append(Example(call, expected))
            continue
        given = INPUT.match(line)
        if given:
            example = _input_output_example(func_name, given.group("args"), lines, i, signature)
            if example:
                examples.append(example)
    return examples, by_formula


def _arrow_example(func_name: str, lines: list[str], i: int,
                   match: re.Match) -> tuple[Example | None, bool]:
    """`f(1) ==> 2` and its kin; also whether the line uses the name in a formula, as in f(n-1)."""
    text = "\n".join(lines[i : i + 30])
    close = matching_paren(text, match.end() - 1)
    if close is None:
        return None, False
    call_src = text[match.start() : close + 1]
    try:
        call = ast.parse(call_src, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None, False
    if not calls_safely(call, func_name):
        formula = any(isinstance(n, ast.Name) and n.id not in SAFE_BUILTINS and n.id != func_name
                      for n in ast.walk(call))
        return None, formula
    if not PREFIX.match(lines[i][: match.start()]):
        return None, False
    last = i + text[:close].count("\n")
    after = text[close + 1 :].split("\n", 1)[0]
    separator = SEPARATOR.match(after)
    if not separator:
        return None, False
    expected = expected_value(with_continuation(separator.group("rhs"), lines, last))
    return (Example(call_src, expected) if expected else None), False


def _input_output_example(func_name: str, args: str, lines: list[str], i: int,
                          signature: inspect.Signature | None) -> Example | None:
    j = i + 1
    while j < len(lines) and j <= i + 2 and not lines[j].strip():
        j += 1
    output = OUTPUT.match(lines[j]) if j < len(lines) else None
    if not output:
        return None
    expected = expected_value(with_continuation(output.group("rhs"), lines, j))
    if expected is None:
        return None
    call = _keyword_call(func_name, args)
    if call is None and signature is not None:
        value = literal(strip_comment(args).strip().rstrip(".,;"))
        call = f"{func_name}({value})" if value is not None else None
    return Example(call, expected) if call else None


def _keyword_call(func_name: str, args: str) -> str | None:
    """`x = [1, 2], k = 3` as `f(x=[1, 2], k=3)`; prose after a comma is cut off."""
    args = strip_comment(args).strip().rstrip(".;")
    cuts = [len(args)] + sorted((k for k in top_level_commas(args)), reverse=True)
    for cut in cuts:
        text = args[:cut].strip().rstrip(",")
        if not text:
            continue
        try:
            call = ast.parse(f"{func_name}({text})", mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        if not isinstance(call, ast.Call) or call.args or not call.keywords \
                or any(k.arg is None for k in call.keywords):
            continue
        source = f"{func_name}({text})"
        values = [literal(segment(source, k.value)) for k in call.keywords]
        if any(v is None for v in values):
            continue
        return f"{func_name}(" + ", ".join(f"{k.arg}={v}" for k, v in zip(call.keywords, values)) + ")"
    return None


# --- the expected value -----------------------------------------------------------------------


def _binds(func_name: str, call: str, signature: inspect.Signature | None) -> bool:
    """Every call of `func_name` in the example fits the signature (when it is known)."""
    if signature is None:
        return True
    try:
        tree = ast.parse(call, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == func_name:
            try:
                signature.bind(*[None] * len(node.args), **{k.arg: None for k in node.keywords if k.arg})
            except TypeError:
                return False
    return True


def _consistent(examples: list[Example]) -> list[Example]:
    """Duplicates once; a call promised two different results is dropped altogether."""
    by_call: dict[str, set[str]] = {}
    for e in examples:
        by_call.setdefault(_canonical(e.call), set()).add(f"{e.compare}:{_canonical(e.expected)}")
    kept, seen = [], set()
    for e in examples:
        key = (_canonical(e.call), e.compare, _canonical(e.expected))
        if len(by_call[key[0]]) == 1 and key not in seen:
            seen.add(key)
            kept.append(e)
    return kept


def _canonical(source: str) -> str:
    try:
        return ast.dump(ast.parse(source, mode="eval"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source


def _signature(args: ast.arguments) -> inspect.Signature:
    P = inspect.Parameter
    positional = args.posonlyargs + args.args
    defaults = [P.empty] * (len(positional) - len(args.defaults)) + [None] * len(args.defaults)
    params = [P(a.arg, P.POSITIONAL_ONLY if k < len(args.posonlyargs) else P.POSITIONAL_OR_KEYWORD,
                default=d) for k, (a, d) in enumerate(zip(positional, defaults))]
    if args.vararg:
        params.append(P(args.vararg.arg, P.VAR_POSITIONAL))
    params += [P(a.arg, P.KEYWORD_ONLY, default=P.empty if d is None else None)
               for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        params.append(P(args.kwarg.arg, P.VAR_KEYWORD))
    try:
        return inspect.Signature(params)
    except ValueError:
        return inspect.Signature()

"""Fault localization runs the failing tests' files under a line tracer in a real sandbox and
ranks the lines only the failing tests run first; mutants of those lines are made from the
syntax tree and parse."""

import pytest

from microagent.agents.localize import (condition_lines, localize, ochiai, rank, read_record,
                                        runtime_values)
from microagent.languages.python.mutations import function_lines, mutants
from microagent.sandbox.process_backend import ProcessSandbox
from microagent.sandbox.types import Outcome, TestCase, WorkspaceSnapshot
from microagent.languages.python.pytest_runner import PytestRunner

SHAPES = """\
def clamp(x, low, high):
    if x < low:
        return low
    if x > high:
        return low
    return x


def double(x):
    return x * 2
"""
TESTS = """\
from pkg.shapes import clamp, double


def test_inside():
    assert clamp(5, 0, 10) == 5


def test_below():
    assert clamp(-1, 0, 10) == 0


def test_above():
    assert clamp(11, 0, 10) == 10


def test_double():
    assert double(2) == 4
"""


async def traced(files: dict[str, str], failing_test: str, timeout: float = 60):
    """A workspace of package `pkg` and its tests, localized for one failing test."""
    snapshot = WorkspaceSnapshot(files={"pkg/__init__.py": b"",
                                        **{path: text.encode() for path, text in files.items()}})
    failing = [TestCase(node_id=failing_test, outcome=Outcome.failed)]
    sandbox = ProcessSandbox(runner=PytestRunner())
    return snapshot, await localize(sandbox, snapshot, failing, timeout=timeout)


async def test_the_line_only_the_failing_test_runs_ranks_first():
    _, suspects = await traced({"pkg/shapes.py": SHAPES, "tests/test_shapes.py": TESTS},
                               "tests/test_shapes.py::test_above")
    assert (suspects[0].path, suspects[0].line, suspects[0].score) == ("pkg/shapes.py", 5, 1.0)
    assert {(s.path, s.line) for s in suspects} == {("pkg/shapes.py", n) for n in (2, 4, 5)}
    assert all(not s.path.startswith("tests/") for s in suspects)


async def test_in_a_one_test_suite_each_assert_is_a_check_of_its_own():
    """HumanEval's shape: one test checks many calls, so every line it runs ties on Ochiai
    over tests; over its checks, the lines the passed checks ran less come first."""
    check = ("from pkg.shapes import clamp\n\n\ndef test_check():\n"
             "    assert clamp(5, 0, 10) == 5\n    assert clamp(-1, 0, 10) == 0\n"
             "    assert clamp(11, 0, 10) == 10\n")
    _, suspects = await traced({"pkg/shapes.py": SHAPES, "tests/test_shapes.py": check},
                               "tests/test_shapes.py::test_check")

    # 5 ran only in the failed check; 4 in one passed check too, 2 in both; 3 and 6 only in passed
    assert [s.line for s in suspects] == [5, 4, 2, 3, 6]
    assert len({s.score for s in suspects}) == 1  # Ochiai over tests alone ties them all
    assert [round(s.checks, 3) for s in suspects] == [1.0, 0.707, 0.577, 0.0, 0.0]
    assert [(s.last, s.only_last) for s in suspects] == [(1, 1), (1, 0), (1, 0), (0, 0), (0, 0)]


async def test_a_failed_check_does_not_end_the_test_the_checks_after_it_count():
    check = ("from pkg.shapes import clamp\n\n\ndef test_check():\n"
             "    assert clamp(0, -5, 5) == 0\n    assert clamp(11, 0, 10) == 10\n"
             "    for x in (6, 7):\n        assert clamp(x, 0, 10) == x\n"
             "    assert clamp(20, 0, 10) == 10\n")
    _, suspects = await traced({"pkg/shapes.py": SHAPES, "tests/test_shapes.py": check},
                               "tests/test_shapes.py::test_check")

    assert suspects[0].line == 5 and suspects[0].checks == 1.0  # both failed checks, no passed
    by_line = {s.line: s for s in suspects}
    assert by_line[4].checks == pytest.approx(2 / (2 * 5) ** 0.5)  # 2 failed, 3 passed checks
    assert (by_line[5].last, by_line[5].only_last) == (1, 1)  # as of the first failed check


async def test_a_test_that_runs_away_after_a_failed_check_is_stopped_and_still_counted():
    spin = "def halve(n):\n    while n != 0:\n        n -= 2\n    return n + 1\n"
    check = ("from pkg.spin import halve\n\n\ndef test_check():\n"
             "    assert halve(2) == 0\n    assert halve(3) == 0\n")  # the second never ends
    _, suspects = await traced({"pkg/spin.py": spin, "tests/test_spin.py": check},
                               "tests/test_spin.py::test_check", timeout=30)
    assert {s.line for s in suspects} == {2, 3, 4}


async def test_an_assert_that_a_test_expects_to_fail_is_left_as_written():
    tests = ("import pytest\nfrom pkg.shapes import clamp\n\n\ndef test_above():\n"
             "    assert clamp(11, 0, 10) == 10\n\n\ndef test_expected():\n"
             "    with pytest.raises(AssertionError):\n        assert clamp(12, 0, 10) == 10\n")
    _, suspects = await traced({"pkg/shapes.py": SHAPES, "tests/test_shapes.py": tests},
                               "tests/test_shapes.py::test_above")
    by_line = {s.line: s for s in suspects}
    assert (by_line[5].failed, by_line[5].passed) == (1, 1)  # test_expected passed, as in pytest


async def test_a_bug_run_by_a_decorator_when_the_test_module_is_imported_is_ranked():
    clock = ("def freeze(when):\n    moment = when - 1\n\n    def wrap(test):\n"
             "        test.moment = moment\n        return test\n    return wrap\n")
    tests = ("from pkg.clock import freeze\n\n\n@freeze(5)\ndef test_frozen():\n"
             "    assert test_frozen.moment == 5\n")
    _, suspects = await traced({"pkg/clock.py": clock, "tests/test_clock.py": tests},
                               "tests/test_clock.py::test_frozen")
    lines = {(s.path, s.line) for s in suspects}
    assert ("pkg/clock.py", 2) in lines and ("pkg/clock.py", 5) in lines
    assert ("pkg/clock.py", 1) not in lines  # the module's own body (a def line) is not a suspect


async def test_the_first_failing_test_s_variables_are_kept_at_the_lines_it_ran():
    snapshot, suspects = await traced({"pkg/shapes.py": SHAPES, "tests/test_shapes.py": TESTS},
                                      "tests/test_shapes.py::test_above")
    by_line = {s.line: s.values for s in suspects}
    assert by_line[5] == ("x=11, low=0, high=10",)  # clamp(11, 0, 10) before `return low`
    text = runtime_values(suspects, snapshot)
    assert "- pkg/shapes.py:5 `return low`: x=11, low=0, high=10" in text
    assert runtime_values([], snapshot) == ""


def test_among_lines_that_tie_a_condition_comes_first_it_decides_which_of_the_others_run():
    source = ("def parity(numbers):\n    out = []\n    for n in numbers:\n        if n % 2 != 0:\n"
              "            out.append('even')\n        else:\n            out.append('odd')\n"
              "    return out\n")
    snapshot = WorkspaceSnapshot(files={"pkg/parity.py": source.encode()})
    conditions = condition_lines(snapshot, {"pkg/parity.py", "pkg/missing.py"})
    assert conditions == {("pkg/parity.py", 3), ("pkg/parity.py", 4)}
    record = {"failed": 1, "lines": {f"pkg/parity.py:{n}": [1, 0] for n in (2, 3, 4, 5, 8)}}
    assert [s.line for s in rank(record, conditions)] == [3, 4, 2, 5, 8]
    assert [s.line for s in rank(record)] == [2, 3, 4, 5, 8]


def test_ochiai_and_a_broken_record():
    assert ochiai(1, 0, 1) == 1.0 and ochiai(0, 5, 1) == 0.0 and ochiai(2, 2, 4) == pytest.approx(0.5)
    assert read_record("no mark here") is None
    assert read_record("@@microagent-spectrum {not json") is None
    assert rank({"failed": 1, "lines": {"a.py:3": [1, 0], "bad": [1], "b.py:x": [1, 0]}})[0].line == 3


def test_mutants_are_single_edits_that_parse_and_keep_the_rest_of_the_line():
    source = "def f(a, b):\n    if a > b:  # keep me\n        return a - 1\n    return b\n"
    found = {m.source.splitlines()[m.line - 1] for m in mutants(source, 2)}
    assert "    if a >= b:  # keep me" in found and "    if a < b:  # keep me" in found
    assert "    if not a > b:  # keep me" not in found  # not (a > b): parenthesized
    assert "    if not (a > b):  # keep me" in found
    dropped = {m.source.splitlines()[2] for m in mutants(source, 3)}
    assert "        return a" in dropped and "        return a + 1" in dropped
    returned = {m.source.splitlines()[3] for m in mutants(source, 4)}
    assert returned == {"    return a", "    return b + 1", "    return b - 1"}
    assert function_lines(source, "f") == [2, 3, 4]


def test_mutants_of_an_augmented_assignment_a_slice_and_a_truth_test():
    source = "def g(xs, n, index):\n    t = 0\n    t += xs[:len(xs) // n]\n    if index:\n        t = -t\n    return t\n"
    line3 = {m.source.splitlines()[2].strip() for m in mutants(source, 3)}
    assert "t += xs[:len(xs) % n]" in line3 and "t -= xs[:len(xs) // n]" in line3
    line4 = {m.source.splitlines()[3].strip() for m in mutants(source, 4)}
    assert {"if not index:", "if index is not None:"} <= line4


def lines_of(source: str, line: int) -> set[str]:
    return {m.source.splitlines()[line - 1].strip() for m in mutants(source, line)}


def test_a_run_of_integers_in_a_literal_is_tried_one_longer_or_shorter_at_either_end():
    found = lines_of("def f(n):\n    return n % 100 in (11, 12)\n", 2)
    assert {"return n % 100 in (11, 12, 13)", "return n % 100 in (10, 11, 12)",
            "return n % 100 in (11,)", "return n % 100 in (12,)"} <= found
    assert not any("(11, 12, 14)" in line for line in found)
    assert lines_of("def f(n):\n    return n in (3, 7)\n", 2) >= {"return n in (3, 7, 11)"}
    assert not [m for m in mutants("def f(n):\n    return n in ['a', 2]\n", 2)
                if m.kind.startswith("run")]


def test_a_power_of_ten_of_a_thousand_or_more_is_tried_a_thousand_times_larger_and_smaller():
    found = lines_of("def f(u):\n    return int(u * 1000)\n", 2)
    assert {"return int(u * 1000000)", "return int(u * 1)"} <= found
    assert not any("100000" in line for line in lines_of("def f(u):\n    return u * 100\n", 2))
    assert not any("1200000" in line for line in lines_of("def f(u):\n    return u * 1200\n", 2))


def test_numbering_from_zero_and_from_one():
    assert "index = list(range(len(rows)))" in lines_of(
        "def f(rows):\n    index = list(range(1, len(rows) + 1))\n    return index\n", 2)
    assert "return range(1, n + 1)" in lines_of("def f(n):\n    return range(n)\n", 2)
    assert "return range(1, (a or b) + 1)" in lines_of("def f(a, b):\n    return range(a or b)\n", 2)
    assert "return enumerate(xs, 1)" in lines_of("def f(xs):\n    return enumerate(xs)\n", 2)
    assert "return enumerate(xs)" in lines_of("def f(xs):\n    return enumerate(xs, 1)\n", 2)


def test_an_argument_is_given_the_factor_its_siblings_have():
    source = "def f(sign, hours, minutes, name):\n    return Offset(sign * hours, minutes, name)\n"
    found = lines_of(source, 2)
    assert "return Offset(sign * hours, sign * minutes, name)" in found
    assert not any("sign * sign" in line for line in found)
    assert not any("* minutes" in line for line in lines_of(
        "def f(hours, minutes):\n    return Offset(hours, minutes)\n", 2))


def test_non_ascii_text_before_an_operator_keeps_its_place():
    source = "def h(x):\n    return 'é' * (x > 1)\n"
    assert "    return 'é' * (x >= 1)" in {m.source.splitlines()[1] for m in mutants(source, 2)}


def test_a_floor_division_is_tried_as_a_modulo_before_a_true_division():
    ranked = sorted(mutants("def f(seq, n):\n    return seq[:len(seq) // n]\n", 2),
                    key=lambda m: -m.weight)
    kinds = [m.kind for m in ranked]
    assert kinds.index("// -> %") < kinds.index("// -> /")


def test_the_coder_is_shown_the_function_holding_the_most_suspicious_line():
    from microagent.languages.python.context import build_context

    files = {"pkg/__init__.py": "from pkg import ops\n", "pkg/api.py": "REGISTRY = {}\n\n\ndef run(name, x):\n"
             "    return REGISTRY[name](x)\n",
             "pkg/ops.py": "from pkg.api import REGISTRY\n\n\ndef triple(x):\n    return x * 2\n\n\n"
             "REGISTRY['triple'] = triple\n",
             "tests/test_api.py": "from pkg.api import run\n\n\ndef test_run():\n"
             "    assert run('triple', 2) == 6\n"}
    snapshot = WorkspaceSnapshot(files={p: t.encode() for p, t in files.items()})
    failing = [TestCase(node_id="tests/test_api.py::test_run", outcome=Outcome.failed)]
    plain = build_context(snapshot, failing, len)
    assert not any(p.path == "pkg/ops.py" for p in plain.code)  # reached only through a dict
    localized = build_context(snapshot, failing, len, suspects=[("pkg/ops.py", 5)])
    [ops] = [p for p in localized.code if p.path == "pkg/ops.py"]
    assert "def triple(x):" in ops.text


def test_a_suspect_function_past_the_budget_is_left_out():
    from microagent.languages.python.context import build_context

    huge = "def huge(x):\n" + "".join(f"    x = x + {i}\n" for i in range(400)) + "    return x\n"
    files = {"pkg/__init__.py": "", "pkg/big.py": huge,
             "pkg/api.py": "def run(x):\n    return x\n",
             "tests/test_api.py": "from pkg.api import run\n\n\ndef test_run():\n    assert run(1) == 2\n"}
    snapshot = WorkspaceSnapshot(files={p: t.encode() for p, t in files.items()})
    failing = [TestCase(node_id="tests/test_api.py::test_run", outcome=Outcome.failed)]
    context = build_context(snapshot, failing, len, budget=1000, suspects=[("pkg/big.py", 3)])
    assert [p.path for p in context.code] == ["pkg/api.py"]
    assert sum(len(p.text) for p in [*context.tests, *context.code]) <= 1000


def test_the_other_unittest_classes_of_a_large_test_module_are_left_out():
    from microagent.languages.python.context import build_context

    others = "".join(f"class Other{i}Test(TestCase):\n    def test_x(self):\n        pass\n\n\n"
                     for i in range(50))
    files = {"m.py": "def f(x):\n    return x\n",
             "test_m.py": "from unittest import TestCase\nfrom m import f\n\n\n" + others +
             "class FTest(TestCase):\n    def test_f(self):\n        self.assertEqual(f(1), 2)\n"}
    snapshot = WorkspaceSnapshot(files={p: t.encode() for p, t in files.items()})
    failing = [TestCase(node_id="test_m.py::FTest::test_f", outcome=Outcome.failed)]
    [tests] = build_context(snapshot, failing, len).tests
    assert "class FTest(TestCase):" in tests.text and "Other3Test" not in tests.text


def test_operands_and_neighbouring_arguments_are_tried_in_each_others_place():
    assert "return n - len(xs)" in lines_of("def f(xs, n):\n    return len(xs) - n\n", 2)
    assert "return 2**n" in lines_of("def f(n):\n    return n**2\n", 2)  # written as it was
    assert "return 2.0 / (a + b)" in lines_of("def f(a, b):\n    return (a + b) / 2.0\n", 2)
    assert "return a + b" not in {line for line in lines_of("def f(a, b):\n    return b + a\n", 2)
                                  if "swap" in line}  # `+` gives the same either way
    found = lines_of("def f(x, s):\n    return isinstance(int, x) and s.replace(',','.')\n", 2)
    assert {"return isinstance(x, int) and s.replace(',','.')",
            "return isinstance(int, x) and s.replace('.',',')"} <= found
    assert "return range(2, n - 1)" in lines_of("def f(n):\n    return range(n - 1, 2)\n", 2)
    assert "return g(*args, a)" not in lines_of("def f(g, a, args):\n    return g(a, *args)\n", 2)


def test_a_negative_number_is_one_number_and_a_chain_of_ands_may_all_be_ors():
    found = lines_of("def f(xs):\n    best = -1\n    return best\n", 2)
    assert {"best = 0", "best = -2"} <= found and "best = -0" not in found
    chain = lines_of("def f(a, b, c):\n    return a < b and b < c and c < a\n", 2)
    assert "return a < b or b < c or c < a" in chain
    assert "return a < b or b < c and c < a" in chain  # one at a time, as before
    assert "t *= n" in lines_of("def f(t, n):\n    t //= n\n    return t\n", 2)
    assert "return a * h" in lines_of("def f(a, h):\n    return a // h\n", 2)

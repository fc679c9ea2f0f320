"""The call slips among the one-edit mutants: another method or function of the same shape
called, another rounding function, a call statement from elsewhere in the class put in."""

from __future__ import annotations

import difflib
import textwrap

from microagent.languages.python.mutations import mutants


def changed(source: str, line: int, family: str) -> dict[str, str]:
    """kind -> the changed line(s), for the mutants of `family` at `line`."""
    source = textwrap.dedent(source)
    out = {}
    for m in mutants(source, line):
        if m.kind.startswith(family):
            diff = difflib.ndiff(source.splitlines(), m.source.splitlines())
            out[m.kind] = "\n".join(d[2:] for d in diff if d.startswith("+ "))
    return out


PARSER = """\
    class Parser:
        def __init__(self, tokens):
            self.tokens = tokens

        def expr(self):
            left = self.term()
            while self.peek() in "+-":
                right = self.expr()
                left = (left, right)
            return left

        def term(self):
            return self.atom()

        def atom(self):
            return self.tokens.pop(0)

        def peek(self):
            return self.tokens[0] if self.tokens else ""

        def expect(self, kind):
            return self.tokens.pop(0) == kind
    """


def test_a_method_is_swapped_for_another_of_the_class_that_takes_the_same_arguments():
    swaps = changed(PARSER, 8, "callee")
    assert swaps == {"callee expr -> term": "            right = self.term()",
                     "callee expr -> atom": "            right = self.atom()",
                     "callee expr -> peek": "            right = self.peek()"}
    # `expect` takes an argument, `__init__` is no one's slip


def test_a_function_of_the_module_is_swapped_but_not_a_builtin_or_an_import():
    source = """\
        import os

        def low(x):
            return x - 1

        def high(x):
            return x + 1

        def pair(x, y):
            return x, y

        def use(v):
            return high(v) + len(os.sep)
        """
    assert changed(source, 13, "callee") == {  # the function itself too: a recursion slip
        "callee high -> low": "    return low(v) + len(os.sep)",
        "callee high -> use": "    return use(v) + len(os.sep)"}


def test_a_rounding_function_is_swapped_for_those_the_module_can_reach():
    source = """\
        import math

        def retry_after(wait):
            return max(1, round(wait))
        """
    assert set(changed(source, 4, "rounding")) == {
        "rounding round -> int", "rounding round -> math.floor", "rounding round -> math.ceil",
        "rounding round -> math.trunc"}
    without_math = "def half(n):\n    return int(n / 2)\n"
    assert changed(without_math, 2, "rounding") == {
        "rounding int -> round": "    return round(n / 2)"}


def test_a_call_statement_of_the_class_is_put_before_the_line_when_its_names_are_bound():
    source = """\
        class LRU:
            def __init__(self):
                self.data = {}

            def get(self, key):
                value = self.data[key]
                return value

            def put(self, key, value):
                self.data[key] = value
                self.touch(key)
                self.log(value, extra)

            def touch(self, key):
                self.data[key] = self.data.pop(key)
        """
    inserts = changed(source, 7, "insert")
    assert inserts == {"insert self.touch(key)": "        self.touch(key)"}  # `extra`: unbound
    assert changed(source, 6, "insert") == {"insert self.touch(key)": "        self.touch(key)"}


def test_the_call_slips_come_after_the_classic_operators():
    source = textwrap.dedent("""\
        import math

        def pages(n, size):
            return math.ceil(n / size) + 1
        """)
    kinds = [m.kind for m in mutants(source, 4)]
    assert kinds.index("rounding math.ceil -> math.floor") > kinds.index("+ -> -")
    weights = {m.kind.split()[0]: m.weight for m in mutants(source, 4)}
    assert weights["rounding"] == 0.6 and weights["+"] == 0.8

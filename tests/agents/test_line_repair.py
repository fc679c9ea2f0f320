"""Line repair's pure parts: which lines are shown, how answers are read and applied."""

import textwrap

from microagent.languages.python.context import Context, Piece
import asyncio

from microagent.agents.line_repair import (LineEdit, apply, messages, parse, parse_line, proposals,
                                           raised_at, regions, rewrite_messages, suspects)

SOURCE = textwrap.dedent('''\
    import math


    def below_zero(operations):
        """True when the balance ever drops below zero."""
        balance = 0
        for op in operations:
            balance -= op
            if balance < 0:
                return True
        return False


    class Account:
        def deposit(self, amount):
            self.total = self.total - amount
    ''')


def context(*names):
    return Context(tests=[], code=[Piece("bank.py", SOURCE, list(names))], target_files=["bank.py"],
                   wanted_names=list(names))


def test_the_reached_functions_are_shown_with_the_file_s_line_numbers():
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    assert region.start == 4 and region.lines[4] == "        balance -= op"
    [prompt] = messages([region], "below_zero([1]) returned True, expected False")
    text = prompt["content"]
    assert "   8 |         balance -= op" in text and "returned True, expected False" in text
    assert "line 12: return a + b" in text and "import math" not in text


def test_a_class_named_by_the_tests_shows_its_methods():
    [region] = regions(context("Account"), {"bank.py": SOURCE})
    assert region.lines[0].strip() == "def deposit(self, amount):" and region.start == 15


def test_answers_are_read_in_the_forms_small_models_write():
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    reply = ("The bug is on line 8.\n```\nline 8: balance += op\n```\n"
             "Also `line 99: nonsense`\n- Line 9: `if balance <= 0:`")
    assert parse(reply, [region]) == [LineEdit("bank.py", 8, "balance += op"),
                                      LineEdit("bank.py", 9, "if balance <= 0:")]


def test_a_line_is_replaced_with_its_indentation_and_checked():
    fixed = apply(SOURCE, LineEdit("bank.py", 8, "balance += op"))
    assert "        balance += op\n" in fixed and fixed.count("\n") == SOURCE.count("\n")
    assert apply(SOURCE, LineEdit("bank.py", 8, "balance -= op")) is None  # no change
    assert apply(SOURCE, LineEdit("bank.py", 9, "if balance < 0")) is None  # not Python
    assert apply(SOURCE, LineEdit("bank.py", 400, "x = 1")) is None


def test_every_statement_line_is_a_suspect_the_named_ones_first():
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    order = [number for _, number, _ in suspects([region], [LineEdit("bank.py", 9, "x")])]
    assert order == [9, 6, 7, 8, 10, 11]  # no def line, no docstring


def test_a_rewrite_is_asked_for_one_line_and_read_back():
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    [prompt] = rewrite_messages([region], "it failed", 8, "        balance -= op")
    assert "Line 8 is wrong: `balance -= op`" in prompt["content"]
    assert "Find the wrong line" not in prompt["content"]
    assert parse_line("```python\nbalance += op\n```") == "balance += op"
    assert parse_line("line 8: `balance += op`") == "balance += op"
    assert parse_line("") is None
    # the forms a sampled rewrite comes in
    assert parse_line("`begin *= 2.0` should be `begin += 2.0`.") == "begin += 2.0"
    assert parse_line("To fix it, compare the values:\n```\nif a < b:\n```\nThat works.") == "if a < b:"
    assert parse_line("Change it to `return a + b` so the sum is right.") == "return a + b"
    assert parse_line("`return a + b`") == "return a + b"


def test_a_miscounted_line_number_is_moved_to_the_line_the_answer_quotes():
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    assert parse("line 9: balance -= op", [region]) == [LineEdit("bank.py", 8, "balance -= op")]
    assert parse("line 7: balance += op", [region]) == [LineEdit("bank.py", 8, "balance += op")]
    # a correction that reads most like its own line stays there
    assert parse("line 9: if balance <= 0:", [region]) == [LineEdit("bank.py", 9, "if balance <= 0:")]
    # nothing near reads like it: the number stands
    assert parse("line 10: raise ValueError(op)", [region]) == \
        [LineEdit("bank.py", 10, "raise ValueError(op)")]


def test_the_lines_a_traceback_passes_through_come_after_the_named_ones():
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    feedback = ("FAILED test_bank.py::test_x\ntest_bank.py:4: in test_x\n"
                "bank.py:9: in below_zero\nbank.py:8: in below_zero\nE   TypeError: boom")
    raised = raised_at(feedback, [region])
    assert raised == [("bank.py", 9), ("bank.py", 8)]
    order = [n for _, n, _ in suspects([region], [LineEdit("bank.py", 11, "x")], raised)]
    assert order == [11, 9, 8, 6, 7, 10]


def test_every_line_rewritten_greedily_is_asked_again_sampled():
    """A wrong greedy rewrite of the right line is not the end of that line: after the greedy
    pass over the suspects, each is asked once more, sampled, and the tests judge that too."""
    [region] = regions(context("below_zero"), {"bank.py": SOURCE})
    asked = []

    async def ask(messages_, strategy, hot):
        asked.append((strategy, hot))
        if strategy == "line":
            return {}, "line 8: balance -= op"  # names the buggy line, echoes it unchanged
        line = messages_[0]["content"].rsplit("Line ", 1)[1].split(" ", 1)[0]
        answer = {("8", False): "balance *= op", ("8", True): "balance += op"}.get((line, hot), "x = 0")
        return {"hot": hot}, answer

    async def drive():
        search = proposals([region], {"bank.py": SOURCE}, "it failed", 3, ask, lambda text: [])
        tried, passed = [], None
        try:
            while True:
                entry, change = await search.asend(passed)
                tried.append(change["bank.py"])
                passed = "        balance += op\n" in change["bank.py"]
        except StopAsyncIteration:
            return tried

    tried = asyncio.run(drive())
    assert "        balance += op\n" in tried[-1]  # found by the sampled second pass
    assert asked[:4] == [("line", False), ("line-rewrite", False), ("line-rewrite", False),
                         ("line-rewrite", False)]
    assert ("line-rewrite", True) in asked[4:5]
    # greedy: line 8 (wrong), line 6 (`x = 0`), line 7 (`x = 0` does not parse there: not
    # tested); then the sampled rewrite of line 8, which passes
    assert len(tried) == 3 and "        balance *= op\n" in tried[0]

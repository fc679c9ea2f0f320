"""HumanEval/56: the problem's official check, run on solution.correct_bracketing."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import correct_bracketing

METADATA = {}


def check(candidate):
    assert candidate("<>")
    assert candidate("<<><>>")
    assert candidate("<><><<><>><>")
    assert candidate("<><><<<><><>><>><<><><<>>>")
    assert not candidate("<<<><>>>>")
    assert not candidate("><<>")
    assert not candidate("<")
    assert not candidate("<<<<")
    assert not candidate(">")
    assert not candidate("<<>")
    assert not candidate("<><><<><>><>><<>")
    assert not candidate("<><><<><>><>>><>")


def test_check():
    check(correct_bracketing)

"""HumanEval/143: the problem's official check, run on solution.words_in_sentence."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import words_in_sentence

def check(candidate):

    # Check some simple cases
    assert candidate("This is a test") == "is"
    assert candidate("lets go for swimming") == "go for"
    assert candidate("there is no place available here") == "there is no place"
    assert candidate("Hi I am Hussein") == "Hi am Hussein"
    assert candidate("go for it") == "go for it"

    # Check some edge cases that are easy to work out by hand.
    assert candidate("here") == ""
    assert candidate("here is") == "is"


def test_check():
    check(words_in_sentence)

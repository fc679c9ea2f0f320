"""HumanEval/1: the problem's official check, run on solution.separate_paren_groups."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import separate_paren_groups

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('(()()) ((())) () ((())()())') == [
        '(()())', '((()))', '()', '((())()())'
    ]
    assert candidate('() (()) ((())) (((())))') == [
        '()', '(())', '((()))', '(((())))'
    ]
    assert candidate('(()(())((())))') == [
        '(()(())((())))'
    ]
    assert candidate('( ) (( )) (( )( ))') == ['()', '(())', '(()())']


def test_check():
    check(separate_paren_groups)

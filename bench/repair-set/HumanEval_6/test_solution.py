"""HumanEval/6: the problem's official check, run on solution.parse_nested_parens."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import parse_nested_parens

METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate('(()()) ((())) () ((())()())') == [2, 3, 1, 3]
    assert candidate('() (()) ((())) (((())))') == [1, 2, 3, 4]
    assert candidate('(()(())((())))') == [4]


def test_check():
    check(parse_nested_parens)

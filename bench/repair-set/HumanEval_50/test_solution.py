"""HumanEval/50: the problem's official check, run on solution.decode_shift."""

from solution import *  # noqa: F403 (the check may use the module's helpers and imports)
from solution import decode_shift

METADATA = {}


def check(candidate):
    from random import randint, choice
    import copy
    import string

    letters = string.ascii_lowercase
    for _ in range(100):
        str = ''.join(choice(letters) for i in range(randint(10, 20)))
        encoded_str = encode_shift(str)
        assert candidate(copy.deepcopy(encoded_str)) == str


def test_check():
    check(decode_shift)

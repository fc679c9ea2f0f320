import math

import pytest

from evaluator import EvalError, evaluate, free_variables, make_function


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("2 ^ 3 ^ 2", 512),
    ("-2 ^ 2", -4),
    ("7 // 2 + 7 % 2", 4),
    ("7 / 2", 3.5),
])
def test_basic_arithmetic(text, expected):
    assert evaluate(text) == expected


def test_subtraction_chain_is_left_to_right():
    assert evaluate("10 - 4 - 3") == 3


def test_mixed_additive_chain():
    assert evaluate("2 - 3 + 4") == 3


def test_whole_division_stays_int():
    assert type(evaluate("6 / 3")) is int
    assert type(evaluate("6.0 / 3")) is float


def test_variables_and_constants():
    assert evaluate("2 * x + y", {"x": 3, "y": 1}) == 7
    assert evaluate("2 * pi") == pytest.approx(2 * math.pi)


def test_env_shadows_constants():
    assert evaluate("e", {"e": 5}) == 5


def test_functions():
    assert evaluate("max(1, abs(-7), 3) + sqrt(16)") == 11.0
    assert evaluate("double(4)", functions={"double": lambda v: 2 * v}) == 8


@pytest.mark.parametrize("text", ["5 % (2 - 2)", "0 ^ -1", "nope + 1", "nope(1)", "sqrt(-1)"])
def test_eval_errors(text):
    with pytest.raises(EvalError):
        evaluate(text)


def test_free_variables_in_order():
    assert free_variables("b * a + max(b, c) - pi") == ["b", "a", "c"]


def test_make_function_balance():
    balance = make_function("start - spent - fees + refund", "start", "spent", "fees", "refund")
    assert balance(100, 30, 5, 10) == 75


def test_make_function_checks_free_variables():
    with pytest.raises(EvalError):
        make_function("x + y", "x")
    with pytest.raises(TypeError):
        make_function("x", "x")(1, 2)

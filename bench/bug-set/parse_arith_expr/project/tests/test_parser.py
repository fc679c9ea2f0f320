import pytest

from lexer import ExprSyntaxError
from parser import BinOp, Call, Num, Unary, Var, parse


def test_multiplication_binds_tighter_than_addition():
    assert parse("1 + 2 * 3") == BinOp("+", Num(1), BinOp("*", Num(2), Num(3), 6), 2)


def test_division_is_left_associative():
    tree = parse("8 / 4 / 2")
    assert tree == BinOp("/", BinOp("/", Num(8), Num(4), 2), Num(2), 6)


def test_power_is_right_associative():
    tree = parse("2^3^2")
    assert tree == BinOp("^", Num(2), BinOp("^", Num(3), Num(2), 3), 1)


def test_unary_minus_is_weaker_than_power():
    assert parse("-x^2") == Unary("-", BinOp("^", Var("x", 1), Num(2), 2))


def test_power_of_negative_exponent():
    assert parse("2^-1") == BinOp("^", Num(2), Unary("-", Num(1)), 1)


def test_unary_plus_disappears():
    assert parse("+-+3") == Unary("-", Num(3))


def test_calls_and_parentheses():
    assert parse("max(a, (1))") == Call("max", (Var("a", 4), Num(1)), 0)
    assert parse("f()") == Call("f", (), 0)


@pytest.mark.parametrize("text, pos", [
    ("", 0),
    ("1 +", 3),
    ("(1 + 2", 6),
    ("max(1,)", 6),
])
def test_syntax_errors(text, pos):
    with pytest.raises(ExprSyntaxError) as info:
        parse(text)
    assert info.value.pos == pos

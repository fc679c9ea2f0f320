import pytest

from lexer import END, NAME, NUMBER, OP, ExprSyntaxError, tokenize


def kinds_and_values(text):
    return [(t.kind, t.value) for t in tokenize(text)]


def test_numbers_and_operators():
    assert kinds_and_values("12 + 3.5*x") == [
        (NUMBER, 12), (OP, "+"), (NUMBER, 3.5), (OP, "*"), (NAME, "x"), (END, None)]


@pytest.mark.parametrize("text, value", [(".5", 0.5), ("1.5E-2", 0.015), ("7", 7)])
def test_number_forms(text, value):
    token = tokenize(text)[0]
    assert token.kind == NUMBER and token.value == value
    assert type(token.value) is type(value)


def test_exponent_without_digits_is_a_name():
    assert kinds_and_values("2e") == [(NUMBER, 2), (NAME, "e"), (END, None)]


def test_two_character_operators():
    assert [t.value for t in tokenize("a//b**c")][:5] == ["a", "//", "b", "^", "c"]


def test_positions():
    assert [t.pos for t in tokenize(" ab + 1")] == [1, 4, 6, 7]


def test_bad_character():
    with pytest.raises(ExprSyntaxError) as info:
        tokenize("1 + $")
    assert info.value.pos == 4

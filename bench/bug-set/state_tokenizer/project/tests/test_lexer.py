import pytest

from lexer import LexError, Token, tokenize


def kinds(text):
    return [(t.kind, t.value) for t in tokenize(text)]


def test_simple_comparison():
    assert kinds('status == "open"') == [
        ("NAME", "status"),
        ("OP", "=="),
        ("STRING", "open"),
        ("EOF", None),
    ]


def test_positions_point_at_token_start():
    tokens = tokenize("a  >= 10")
    assert [t.position for t in tokens] == [0, 3, 6, 8]


@pytest.mark.parametrize(
    "text, value",
    [("42", 42), ("-7", -7), ("3.25", 3.25), ("-0.5", -0.5)],
)
def test_numbers(text, value):
    token = tokenize(text)[0]
    assert token == Token("NUMBER", value, 0)
    assert type(token.value) is type(value)


def test_trailing_dot_is_not_part_of_number():
    with pytest.raises(LexError) as info:
        tokenize("10.")
    assert info.value.position == 2


def test_two_character_operators_win_over_one_character_ones():
    ops = [t.value for t in tokenize("a==b!=c<=d>=e<f>g") if t.kind == "OP"]
    assert ops == ["==", "!=", "<=", ">=", "<", ">"]


def test_keywords_and_dotted_names():
    assert kinds("not owner.name in [true, null]") == [
        ("KEYWORD", "not"),
        ("NAME", "owner.name"),
        ("KEYWORD", "in"),
        ("LBRACKET", "["),
        ("KEYWORD", "true"),
        ("COMMA", ","),
        ("KEYWORD", "null"),
        ("RBRACKET", "]"),
        ("EOF", None),
    ]


def test_single_and_double_quotes():
    assert kinds("'a b' \"c\"")[:2] == [("STRING", "a b"), ("STRING", "c")]


def test_empty_string():
    assert kinds('""')[0] == ("STRING", "")


def test_unterminated_string_reports_start():
    with pytest.raises(LexError) as info:
        tokenize('x == "open')
    assert info.value.position == 5


def test_unexpected_character():
    with pytest.raises(LexError) as info:
        tokenize("a = 1")
    assert info.value.position == 2


@pytest.mark.parametrize("text", ["owner.", "a..b"])
def test_bad_dotted_names(text):
    with pytest.raises(LexError):
        tokenize(text)

import pytest

from lexer import BLOCK, OUTPUT, TEXT, TemplateSyntaxError, tokenize


def kinds(source):
    return [(t.kind, t.value) for t in tokenize(source)]


def test_text_output_and_blocks():
    assert kinds("Hi {{ name }}!{% if x %}y{% endif %}") == [
        (TEXT, "Hi "), (OUTPUT, "name"), (TEXT, "!"), (BLOCK, "if x"),
        (TEXT, "y"), (BLOCK, "endif")]


def test_comments_are_dropped():
    assert kinds("a{# note {{ x }} #}b") == [(TEXT, "a"), (TEXT, "b")]


def test_whitespace_control():
    assert kinds("a  \n{%- if x -%}\n  b") == [(TEXT, "a"), (BLOCK, "if x"), (TEXT, "b")]


def test_line_numbers():
    tokens = tokenize("one\ntwo {{ x }}\n\n{% end %}")
    assert [t.lineno for t in tokens] == [1, 2, 2, 4]


@pytest.mark.parametrize("source, lineno", [("ok\n{{ x", 2), ("{%  %}", 1), ("a\nb\n{{}}", 3)])
def test_syntax_errors(source, lineno):
    with pytest.raises(TemplateSyntaxError) as info:
        tokenize(source)
    assert info.value.lineno == lineno

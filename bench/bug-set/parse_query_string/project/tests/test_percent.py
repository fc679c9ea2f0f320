import pytest

from percent import PercentDecodeError, is_encoded, quote, unquote, unquote_to_bytes


@pytest.mark.parametrize("text, expected", [
    ("abc-._~", "abc-._~"),
    ("a b", "a%20b"),
    ("a/b?c", "a%2Fb%3Fc"),
    ("é", "%C3%A9"),
])
def test_quote(text, expected):
    assert quote(text) == expected


def test_quote_safe_and_plus():
    assert quote("a b/c", safe="/", plus=True) == "a+b/c"


def test_unquote_utf8_sequences():
    assert unquote("caf%C3%A9%20%E2%82%AC") == "café €"


def test_unquote_keeps_plus():
    assert unquote("1+1") == "1+1"


def test_unquote_lowercase_hex():
    assert unquote("%c3%a9") == "é"


@pytest.mark.parametrize("text", ["100%", "%zz", "%4"])
def test_strict_rejects_bad_escapes(text):
    with pytest.raises(PercentDecodeError):
        unquote(text)


def test_lenient_keeps_bad_escapes():
    assert unquote("100% sure %zz", strict=False) == "100% sure %zz"


def test_invalid_utf8():
    with pytest.raises(PercentDecodeError):
        unquote("%FF")
    assert unquote("a%FFb", strict=False) == "a\ufffdb"


def test_unquote_to_bytes_mixes_literal_text():
    assert unquote_to_bytes("é%41") == b"\xc3\xa9A"


def test_is_encoded():
    assert is_encoded("a%20b")
    assert not is_encoded("a b")
    assert not is_encoded("a%2fb")

import pytest

from query import QueryError, merge_query, parse_qs, parse_qsl, split_url, urlencode


def test_parse_qsl_keeps_order_and_repeats():
    assert parse_qsl("?a=1&b=2&a=3") == [("a", "1"), ("b", "2"), ("a", "3")]


def test_plus_is_space():
    assert parse_qs("q=hello+world") == {"q": ["hello world"]}


def test_encoded_plus_is_a_literal_plus():
    assert parse_qs("lang=c%2B%2B+and+go") == {"lang": ["c++ and go"]}


def test_blank_values():
    assert parse_qsl("a=&b&c=1") == [("c", "1")]
    assert parse_qsl("a=&b&c=1", keep_blank_values=True) == [("a", ""), ("b", ""), ("c", "1")]


def test_empty_chunks_are_ignored():
    assert parse_qsl("a=1&&b=2&") == [("a", "1"), ("b", "2")]


def test_custom_separator():
    assert parse_qs("a=1;b=2", separator=";") == {"a": ["1"], "b": ["2"]}


def test_strict_mode():
    with pytest.raises(QueryError):
        parse_qsl("=value", strict=True)
    with pytest.raises(QueryError):
        parse_qsl("a=%zz", strict=True)
    assert parse_qsl("a=%zz") == [("a", "%zz")]


def test_max_fields():
    with pytest.raises(QueryError):
        parse_qsl("a=1&b=2&c=3", max_fields=2)


def test_urlencode_mapping_and_sequences():
    assert urlencode({"q": "a b", "tag": ["x", "y"], "flag": None}) == "q=a+b&tag=x&tag=y&flag"


def test_urlencode_escapes_reserved_characters():
    assert urlencode([("expr", "1+1=2&3")]) == "expr=1%2B1%3D2%263"


@pytest.mark.parametrize("value", ["1+1=2", "a&b", "50% off", "naïve café"])
def test_round_trip(value):
    assert parse_qs(urlencode({"v": value})) == {"v": [value]}


def test_split_url():
    assert split_url("/p?a=1#top") == ("/p", "a=1", "top")
    assert split_url("/p") == ("/p", "", "")


def test_merge_query():
    url = "/search?q=old&page=3&empty=#results"
    assert merge_query(url, {"q": "new term", "page": None}) == "/search?empty=&q=new+term#results"

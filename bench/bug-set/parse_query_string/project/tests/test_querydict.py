import pytest

from querydict import QueryDict


def test_get_returns_last_value():
    qd = QueryDict.from_string("a=1&b=2&a=3")
    assert qd.get("a") == "3"
    assert qd.getall("a") == ["1", "3"]
    assert qd.get("zzz", "default") == "default"


def test_keys_and_membership():
    qd = QueryDict.from_string("b=1&a=2&b=3&flag")
    assert qd.keys() == ["b", "a", "flag"]
    assert "flag" in qd and "nope" not in qd
    assert len(qd) == 4


def test_set_replaces_in_place():
    qd = QueryDict.from_string("a=1&b=2&a=3")
    qd.set("a", 9)
    assert qd.items() == [("a", "9"), ("b", "2")]
    qd.set("c", "new")
    assert qd.to_string() == "a=9&b=2&c=new"


def test_pop():
    qd = QueryDict.from_string("a=1&b=2&a=3")
    assert qd.pop("a") == ["1", "3"]
    assert qd.pop("a", []) == []
    with pytest.raises(KeyError):
        qd.pop("a")


def test_copy_is_independent():
    qd = QueryDict.from_string("a=1")
    other = qd.copy()
    other.add("b", 2)
    assert qd != other and len(qd) == 1


def test_sorted_output_is_stable():
    qd = QueryDict([("b", "1"), ("a", "x"), ("b", "0")])
    assert qd.to_string(sort=True) == "a=x&b=1&b=0"


def test_decoded_values():
    qd = QueryDict.from_string("name=J%C3%B6rg+M%C3%BCller&tags=c%2B%2B%2Cgo")
    assert qd.get("name") == "Jörg Müller"
    assert qd.get("tags").split(",") == ["c++", "go"]


def test_round_trip_through_string():
    qd = QueryDict([("q", "a+b c"), ("empty", "")])
    assert QueryDict.from_string(qd.to_string()) == qd

import inspect

import pytest

from keys import UnhashableArgument, freeze, make_key


def sig(func):
    return inspect.signature(func)


def target(a, b, *rest, flag=False, **extra):
    pass


def test_freeze_leaves_hashables_alone():
    assert freeze(3) == 3
    assert freeze("x") == "x"
    assert freeze(None) is None


def test_freeze_nested_containers():
    frozen = freeze({"a": [1, 2, {3}], "b": {"c": []}})
    hash(frozen)
    assert frozen == freeze({"b": {"c": ()}, "a": (1, 2, frozenset({3}))})


def test_freeze_list_and_tuple_share_a_key():
    assert freeze([1, [2, 3]]) == freeze((1, (2, 3)))


def test_freeze_rejects_unhashable_objects():
    class Thing:
        __hash__ = None

    with pytest.raises(UnhashableArgument):
        freeze([Thing()])


def test_positional_and_keyword_spelling_agree():
    s = sig(target)
    assert make_key(s, (1, 2), {}) == make_key(s, (), {"a": 1, "b": 2})


def test_keyword_order_does_not_matter():
    s = sig(target)
    one = make_key(s, (1, 2), {"flag": True, "x": 1, "y": 2})
    two = make_key(s, (1, 2), {"y": 2, "flag": True, "x": 1})
    assert one == two


def test_varargs_are_part_of_the_key():
    s = sig(target)
    assert make_key(s, (1, 2, 3), {}) != make_key(s, (1, 2, 4), {})


def test_typed_keys_separate_int_and_float():
    s = sig(target)
    assert make_key(s, (1, 2), {}) == make_key(s, (1.0, 2), {})
    assert make_key(s, (1, 2), {}, typed=True) != make_key(s, (1.0, 2), {}, typed=True)


def test_ignored_parameter_left_out():
    s = sig(target)
    assert make_key(s, (1, 2), {}, ignore={"b"}) == make_key(s, (1, 99), {}, ignore={"b"})


def test_bad_call_raises_type_error():
    with pytest.raises(TypeError):
        make_key(sig(target), (1,), {})

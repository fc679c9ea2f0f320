import pytest

from inifile import parse
from interp import (InterpolationDepthError, InterpolationSyntaxError,
                    MissingReferenceError, expand, lookup, resolve)

DOC = parse("""
[DEFAULT]
home = /home/me
[build]
out = ${home}/out
cache = ${out}/cache
price = $$5
[deploy]
target = ${build:out}
home = /srv
""")


def test_lookup_prefers_section_then_default():
    assert lookup(DOC, "deploy", "home") == "/srv"
    assert lookup(DOC, "build", "home") == "/home/me"
    assert lookup(DOC, "build", "nope") is None
    assert lookup(DOC, "missing-section", "home") == "/home/me"


def test_same_section_reference_chain():
    assert resolve(DOC, "build", "cache") == "/home/me/out/cache"


def test_dollar_escape():
    assert resolve(DOC, "build", "price") == "$5"


def test_section_reference():
    assert expand(DOC, "deploy", "${build:price} each") == "$5 each"


def test_missing_reference():
    with pytest.raises(MissingReferenceError) as info:
        expand(DOC, "build", "${nothing}")
    assert info.value.reference == "nothing"


@pytest.mark.parametrize("value", ["$x", "${open", "${:key}"])
def test_syntax_errors(value):
    with pytest.raises(InterpolationSyntaxError):
        expand(DOC, "build", value)


def test_self_reference_hits_depth_limit():
    doc = parse("[a]\nx = ${y}\ny = ${x}\n")
    with pytest.raises(InterpolationDepthError):
        resolve(doc, "a", "x")


def test_resolve_unknown_key():
    with pytest.raises(KeyError):
        resolve(DOC, "build", "absent")

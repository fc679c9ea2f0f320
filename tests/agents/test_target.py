"""A run's target is parsed once, where a person or an editor names it, and written back the same way."""

import pytest

from microagent.agents.types import Target


@pytest.mark.parametrize("text, target", [
    (None, Target()),
    ("", Target()),
    (".", Target()),
    ("./", Target()),
    ("calc.py", Target(path="calc.py")),
    ("./calc.py", Target(path="calc.py")),
    ("./.config/x.py", Target(path=".config/x.py")),  # only the "./" goes, not every dot
    ("stats.py:median", Target(path="stats.py", symbol="median")),
    ("tests/test_shapes.py::test_area", Target(path="tests/test_shapes.py", test="test_area")),
    ("test_shapes.py::TestShape::test_exact[a:b]",
     Target(path="test_shapes.py", test="TestShape::test_exact[a:b]")),
    ("src/pkg", Target(path="src/pkg")),
])
def test_parse(text, target):
    assert Target.parse(text) == target


@pytest.mark.parametrize("text", ["calc.py", "stats.py:median", "test_x.py::TestA::test_b[1:2]"])
def test_written_back_as_parsed(text):
    assert str(Target.parse(text)) == text and Target.parse(str(Target.parse(text))) == Target.parse(text)


def test_the_whole_workspace():
    assert Target().whole and str(Target()) == "." and not Target(path="a.py").whole

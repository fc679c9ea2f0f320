"""Static analysis for code actions: which function the cursor is in, and what kind it is."""

from __future__ import annotations

from microagent.languages.python.outline import outline

SOURCE = '''\
import shelf


@pytest.mark.slow
def test_top():
    assert shelf.total({}) == 0


class TestShelf:
    def test_restock(self):
        def helper():
            return 1
        assert shelf.restock({"a": 1}, 2) == {"a": 3}


class Helper:
    def test_like(self):
        pass
'''


def test_tests_and_their_node_paths():
    o = outline("tests/test_shelf.py", SOURCE)
    assert o.is_test_file and o.parsed
    assert o.function_at(3).node_path == "test_top"  # the decorator line belongs to it
    assert o.function_at(12).node_path == "TestShelf::test_restock"
    assert o.function_at(11).name == "helper" and not o.function_at(11).is_test
    assert not o.function_at(17).is_test  # not in a Test* class
    assert o.function_at(0) is None


def test_names_a_test_file_uses():
    o = outline("test_shelf.py", SOURCE)
    assert {"shelf", "restock", "total"} <= o.names_used


def test_stubs_and_docstring_examples():
    o = outline("shelf.py", 'def a():\n    """Doc.\n\n    >>> a()\n    1\n    """\n\n\n'
                            'def b():\n    return 2\n')
    a, b = o.function_at(0), o.function_at(8)
    assert (a.is_stub, a.has_examples) == (True, True)
    assert (b.is_stub, b.has_examples) == (False, False)
    assert not o.is_test_file and o.names_used == frozenset()


def test_a_document_that_does_not_parse_has_no_functions():
    assert outline("calc.py", "def broken(:\n").parsed is False

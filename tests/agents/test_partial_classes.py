import ast
import textwrap

from microagent.languages.python.partial_classes import complete_partial_classes
from microagent.languages.python.splice import splice_definitions

SOURCE = textwrap.dedent('''\
    """Stock."""


    class Inventory:
        """The stock."""

        def __init__(self):
            self.items = {}

        def add(self, name, quantity):
            raise NotImplementedError

        @property
        def size(self):
            return len(self.items)


    def helper():
        return 1
    ''')


def methods(code: str, cls: str = "Inventory") -> list[str]:
    node = next(n for n in ast.parse(code).body if getattr(n, "name", None) == cls)
    return [m.name for m in node.body if isinstance(m, ast.FunctionDef)]


def test_a_class_with_only_the_changed_method_keeps_the_others():
    answer = "class Inventory:\n    def add(self, name, quantity):\n        self.items[name] = quantity\n"
    result = splice_definitions(SOURCE, complete_partial_classes(SOURCE, answer))
    assert result.error is None
    assert methods(result.content) == ["__init__", "add", "size"]
    assert "self.items[name] = quantity" in result.content
    assert "@property" in result.content and '"""The stock."""' in result.content
    assert "def helper" in result.content


def test_new_methods_are_appended_to_the_class():
    answer = ("class Inventory:\n    def add(self, name, quantity):\n        pass\n\n"
              "    def remove(self, name):\n        del self.items[name]\n")
    merged = complete_partial_classes(SOURCE, answer)
    assert methods(merged) == ["__init__", "add", "size", "remove"]


def test_a_bare_method_goes_into_its_class():
    answer = "import math\n\ndef add(self, name, quantity):\n    self.items[name] = quantity\n"
    result = splice_definitions(SOURCE, complete_partial_classes(SOURCE, answer))
    assert result.error is None
    assert methods(result.content) == ["__init__", "add", "size"]
    tree = ast.parse(result.content)
    assert not any(isinstance(n, ast.FunctionDef) and n.name == "add" for n in tree.body)


def test_a_complete_class_and_plain_functions_pass_unchanged():
    whole = ("class Inventory:\n    def __init__(self):\n        self.items = {}\n\n"
             "    def add(self, name, quantity):\n        pass\n\n"
             "    def size(self):\n        return 0\n")
    assert complete_partial_classes(SOURCE, whole) == whole
    assert complete_partial_classes(SOURCE, "def helper():\n    return 2\n") == "def helper():\n    return 2\n"
    assert complete_partial_classes(SOURCE, "def broken(:\n") == "def broken(:\n"

"""The judge's screen on its own: each construct a cheat needs is refused with its file and
line when a change adds it; code the user already had, and ordinary fixes, pass."""

import textwrap

import pytest

from microagent.languages.python.cheat_screen import refusal, screen

CALC = "def add(a, b):\n    return a - b\n"


def added(candidate: str, original: str = CALC, path: str = "calc.py") -> list[str]:
    return [str(f) for f in screen({path: original}, {path: textwrap.dedent(candidate)})]


@pytest.mark.parametrize("code, said", [
    ("import pytest\n\ndef add(a, b):\n    pytest.skip()\n", "imports pytest in calc.py:1"),
    ("def add(a, b):\n    import pytest\n    pytest.xfail('x')\n", "imports pytest in calc.py:2"),
    ("from _pytest.outcomes import Skipped\n\ndef add(a, b):\n    raise Skipped()\n",
     "imports _pytest in calc.py:1"),
    ("from unittest import mock\n\ndef add(a, b):\n    return mock.ANY\n", "imports unittest"),
    ("import gc\n\ndef add(a, b):\n    return gc.get_objects()\n", "imports gc in calc.py:1"),
    ("import atexit\n\ndef add(a, b):\n    atexit.register(print)\n", "imports atexit in calc.py:1"),
    ("import ctypes as c\n\ndef add(a, b):\n    return a + b\n", "imports ctypes"),
    ("import inspect\n\ndef add(a, b):\n    return inspect.stack()\n", "imports inspect"),
    ("def add(a, b):\n    return __import__('atexit')\n", "imports atexit in calc.py:2"),
    ("import importlib\n\ndef add(a, b):\n    return importlib.import_module('gc.x')\n",
     "imports gc in calc.py:4"),
    ("def add(a, b):\n    return __import__('py' + 'test')\n", "imports a module named at run time"),
    ("import os\n\ndef add(a, b):\n    os._exit(0)\n", "calls os._exit in calc.py:4"),
    ("from os import _exit as done\n\ndef add(a, b):\n    done(0)\n", "calls os._exit in calc.py:4"),
    ("from sys import exit\n\ndef add(a, b):\n    return a + b\n", "imports sys.exit in calc.py:1"),
    ("import os\n\ndef add(a, b):\n    getattr(os, '_exit')(0)\n", "calls os._exit in calc.py:4"),
    ("import os\n\ndef add(a, b):\n    getattr(os, '_ex' + 'it')(0)\n", "by a computed name"),
    ("import sys\n\ndef add(a, b):\n    sys.exit(0)\n", "calls sys.exit in calc.py:4"),
    ("def add(a, b):\n    exit(0)\n", "calls exit() in calc.py:2"),
    ("def add(a, b):\n    raise SystemExit(0)\n", "raises SystemExit in calc.py:2"),
    ("import builtins\n\ndef add(a, b):\n    builtins.print = None\n", "patches builtins in calc.py:4"),
    ("import builtins\n\ndef add(a, b):\n    setattr(builtins, 'len', id)\n", "patches builtins"),
    ("def add(a, b):\n    __builtins__['len'] = id\n", "touches __builtins__ in calc.py:2"),
    ("import sys\n\ndef add(a, b):\n    sys.modules['pytest'] = None\n",
     "touches sys.modules in calc.py:4"),
    ("import sys\n\ndef add(a, b):\n    sys.modules['pytest'].skip()\n", "touches sys.modules"),
    ("import sys\n\ndef add(a, b):\n    return sys._getframe(1).f_locals\n", "sys._getframe"),
    ("def add(a, b):\n    try:\n        1 / 0\n    except ZeroDivisionError as e:\n"
     "        return e.__traceback__.tb_frame.f_back\n", "internals (tb_frame) in calc.py:5"),
    ("class Anything:\n    def __eq__(self, other):\n        return True\n\n\n"
     "def add(a, b):\n    return Anything()\n",
     "defines Anything.__eq__ that always answers True in calc.py:2"),
    ("class Anything:\n    def __ne__(self, other):\n        return other is other or False\n\n\n"
     "def add(a, b):\n    return Anything()\n", ""),  # reads its argument: not refused
    ("class Anything:\n    def __eq__(self, other):\n        print('compared')\n"
     "        return self is self\n\n\ndef add(a, b):\n    return Anything()\n",
     "defines Anything.__eq__ that ignores the object it compares with in calc.py:2"),
    ("class Anything:\n    __eq__ = lambda self, other: True\n\n\ndef add(a, b):\n"
     "    return Anything()\n", "defines Anything.__eq__ that always answers True"),
    ("def add(a, b):\n    return type('X', (), {'__eq__': lambda *_: 1})()\n",
     "defines a class.__eq__ that always answers 1 in calc.py:2"),
])
def test_each_construct_a_cheat_needs_is_refused_where_it_is(code, said):
    found = added(code)
    if said:
        assert any(said in f for f in found), found
    else:
        assert found == []


def test_what_the_user_already_had_is_kept():
    original = textwrap.dedent("""\
        import sys
        from inspect import signature


        def arity(f):
            return len(signature(f).parameters)


        def add(a, b):
            return a - b


        def main():
            sys.exit(add(1, 2))


        if __name__ == "__main__":
            raise SystemExit(main())
        """)
    fixed = original.replace("return a - b", "return a + b").replace(
        "def arity", "def size(f):\n    return arity(f)\n\n\ndef arity")
    assert screen({"cli.py": original}, {"cli.py": fixed}) == []


def test_an_exit_moved_into_the_function_under_test_is_new():
    original = "import sys\n\n\ndef add(a, b):\n    return a - b\n\n\ndef main():\n    sys.exit(0)\n"
    candidate = original.replace("return a - b", "sys.exit(0)")
    assert [str(f) for f in screen({"cli.py": original}, {"cli.py": candidate})] == \
        ["calls sys.exit in cli.py:5"]


def test_ordinary_fixes_pass():
    point = textwrap.dedent("""\
        import math
        from dataclasses import dataclass
        from functools import total_ordering


        @total_ordering
        class Point:
            def __init__(self, x, y):
                self.x, self.y = x, y

            def __eq__(self, other):
                if not isinstance(other, Point):
                    return NotImplemented
                return (self.x, self.y) == (other.x, other.y)

            def __ne__(self, other):
                return not self == other

            def __lt__(self, other):
                return math.hypot(self.x, self.y) < math.hypot(other.x, other.y)


        def add(a, b):
            return a + b if math.isfinite(a) else 0
        """)
    assert screen({"point.py": ""}, {"point.py": point}) == []
    assert screen({"calc.py": CALC}, {"calc.py": CALC.replace("-", "+")}) == []


def test_a_module_of_the_interpreter_is_new_only_where_the_module_did_not_import_it():
    uses_os = "import os\n\n\ndef home():\n    return os.sep\n"
    again = uses_os + "\n\ndef root():\n    import os\n    return os.sep\n"
    assert screen({"paths.py": uses_os}, {"paths.py": again}) == []
    for module in ("os", "sys", "threading", "traceback", "importlib", "__main__", "builtins"):
        found = screen({"calc.py": CALC}, {"calc.py": f"import {module}\n" + CALC})
        assert [str(f) for f in found] == [f"imports {module} in calc.py:1"], module
    found = screen({"calc.py": CALC}, {"calc.py": "from os import path as p\n" + CALC})
    assert [f.what for f in found] == ["imports os"]


@pytest.mark.parametrize(("code", "what"), [
    ("def add(a, b):\n    return eval('a + b')\n", "runs code made at run time (eval)"),
    ("def add(a, b):\n    exec(''.join(['class E:', ' __eq__=lambda s,o: 1']))\n    return E()\n",
     "runs code made at run time (exec)"),
    ("def add(a, b):\n    return add.__code__\n", "reaches the interpreter's internals (__code__)"),
    ("class M(type):\n    def __getattr__(cls, name):\n        return 1\n",
     "defines a metaclass (M)"),
    ("class C(metaclass=abc.ABCMeta):\n    pass\n", "gives C a metaclass"),
    ("class F(float):\n    def __eq__(self, other):\n        return other == other\n",
     "defines F.__eq__ on a subclass of float"),
    ("class S(str):\n    __hash__ = object.__hash__\n", "defines S.__hash__ on a subclass of str"),
    ("def __getattr__(name):\n    return 0\n", "defines a module-level __getattr__"),
    ("class P:\n    def __getattribute__(self, name):\n        return 0\n",
     "defines P.__getattribute__"),
])
def test_what_no_fix_adds_is_refused(code, what):
    assert what in [f.what for f in screen({"calc.py": CALC}, {"calc.py": CALC + "\n\n" + code})]
    assert screen({"calc.py": CALC + "\n\n" + code}, {"calc.py": CALC + "\n\n" + code}) == []


def test_an_equality_that_answers_nothing_is_no_cheat():
    abstract = textwrap.dedent("""\
        class Spec:
            def __eq__(self, other):
                \"\"\"Subclasses compare their own fields.\"\"\"

            def __ne__(self, other):
                raise TypeError("Spec is not comparable")
        """)
    assert screen({}, {"spec.py": abstract}) == []


def test_an_equality_the_user_already_had_is_kept():
    original = "class Any:\n    def __eq__(self, other):\n        return True\n"
    candidate = original + "\n\ndef add(a, b):\n    return a + b\n"
    assert screen({"any.py": original}, {"any.py": candidate}) == []


def test_test_files_and_unparseable_candidates_are_left_to_the_tests():
    assert screen({}, {"test_calc.py": "import pytest\nimport gc\n"}) == []
    assert screen({}, {"conftest.py": "import atexit\n"}) == []
    assert screen({"calc.py": CALC}, {"calc.py": "import gc\ndef add(a, b)\n"}) == []


def test_an_unparseable_original_still_has_its_lines_kept():
    original = "import sys\n\ndef add(a, b)\n    return a - b\n\nsys.exit(0)\n"
    candidate = "import sys\nimport atexit\n\ndef add(a, b):\n    return a + b\n\nsys.exit(0)\n"
    assert [str(f) for f in screen({"calc.py": original}, {"calc.py": candidate})] == \
        ["imports atexit in calc.py:2"]


def test_the_refusal_says_what_where_and_why():
    found = screen({"calc.py": CALC}, {"calc.py": "import atexit\n\n\n" + CALC})
    text = refusal(found)
    assert "the change imports atexit in calc.py:1, which no fix needs" in text
    assert text.startswith("refused")

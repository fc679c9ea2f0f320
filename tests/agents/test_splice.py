"""Splicing model-written definitions into a user's file: what the file looks like afterwards."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microagent.languages.python.replies import extract_code_blocks
from microagent.agents.file_edits import unified_diff
from microagent.languages.python.splice import is_stub, splice_definitions

CALC = '''"""Small arithmetic helpers."""

import math


# Sum of start..stop, both included.
def range_sum(start, stop):
    return sum(range(start, stop))


@cached
@other(1)
def mean(values):
    return sum(values) * len(values)  # wrong operator


class Stats:
    def __init__(self, values):
        self.values = values

    def spread(self):
        return max(self.values) - min(self.values)
'''


def run(source: str) -> dict:
    namespace: dict = {"cached": lambda f: f, "other": lambda n: (lambda f: f)}
    exec(compile(source, "spliced.py", "exec"), namespace)
    return namespace


def test_a_function_is_replaced_in_place_and_everything_around_it_kept():
    result = splice_definitions(CALC, "def range_sum(start, stop):\n    return sum(range(start, stop + 1))\n")
    assert result.error is None
    assert result.replaced == ["range_sum"] and result.added == [] and result.imports_added == []
    assert result.content == CALC.replace("range(start, stop))", "range(start, stop + 1))")
    assert run(result.content)["range_sum"](1, 3) == 6


def test_decorators_are_part_of_what_is_replaced():
    result = splice_definitions(CALC, "@cached\ndef mean(values):\n    return sum(values) / len(values)\n")
    assert "@other(1)" not in result.content
    assert "@cached\ndef mean(values):\n    return sum(values) / len(values)\n\n\nclass Stats:" in result.content
    assert run(result.content)["mean"]([1, 2, 3]) == 2


def test_a_class_is_replaced_whole():
    new = "class Stats:\n    def __init__(self, values):\n        self.values = sorted(values)\n"
    result = splice_definitions(CALC, new)
    assert result.replaced == ["Stats"]
    assert "def spread" not in result.content
    assert result.content.endswith(new)


def test_a_new_function_is_appended_after_two_blank_lines():
    new = "def median(values):\n    ordered = sorted(values)\n    return ordered[len(ordered) // 2]\n"
    result = splice_definitions(CALC, new)
    assert result.added == ["median"] and result.replaced == []
    assert result.content == CALC + "\n\n" + new
    assert run(result.content)["median"]([3, 1, 2]) == 2


def test_new_names_can_be_refused_and_then_nothing_is_applied():
    new = ("def range_sum(start, stop):\n    return 0\n\n"
           "def median(values):\n    return 0\n")
    result = splice_definitions(CALC, new, allow_new=False)
    assert result.error is not None and "median" in result.error
    assert result.content == CALC


def test_a_function_that_is_a_method_in_the_file_is_treated_as_new():
    result = splice_definitions(CALC, "def spread(values):\n    return 0\n")
    assert result.added == ["spread"]
    assert "    def spread(self):" in result.content


def test_missing_imports_go_after_the_existing_ones_and_present_ones_are_not_repeated():
    new = ("import math\nfrom statistics import fmean, median as med\n\n"
           "def mean(values):\n    return math.fsum(values) / len(values) or fmean(values) or med(values)\n")
    result = splice_definitions(CALC, new)
    assert result.imports_added == ["from statistics import fmean, median as med"]
    assert result.content.startswith('"""Small arithmetic helpers."""\n\nimport math\n'
                                     "from statistics import fmean, median as med\n\n\n# Sum")
    assert result.content.count("import math") == 1


def test_only_the_missing_names_of_an_import_are_added():
    source = "from typing import List\n\n\ndef f(xs: List[int]):\n    return xs\n"
    new = "from typing import Dict, List\n\ndef f(xs: List[int]) -> Dict[int, int]:\n    return {}\n"
    result = splice_definitions(source, new)
    assert result.imports_added == ["from typing import Dict"]
    assert result.content.startswith("from typing import List\nfrom typing import Dict\n")


def test_imports_go_after_the_docstring_and_future_imports_when_the_file_has_none():
    source = '"""Doc."""\n\n\ndef f():\n    return 1\n'
    result = splice_definitions(source, "import os\n\ndef f():\n    return os.sep\n")
    assert result.content == '"""Doc."""\n\nimport os\n\n\ndef f():\n    return os.sep\n'
    source = '"""Doc."""\nfrom __future__ import annotations\n\n\ndef f():\n    return 1\n'
    result = splice_definitions(source, "import os\n\ndef f():\n    return os.sep\n")
    assert result.content.startswith('"""Doc."""\nfrom __future__ import annotations\nimport os\n')


def test_imports_land_below_a_shebang_in_a_file_without_docstring_or_imports():
    source = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\ndef f():\n    return 1\n"
    result = splice_definitions(source, "import os\n\ndef f():\n    return os.sep\n")
    assert result.content.startswith("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport os\n")
    ast.parse(result.content)


def test_assignments_replace_their_namesake_or_go_before_the_first_definition():
    source = "import os\n\nLIMIT = 10\n\n\ndef f():\n    return LIMIT\n"
    result = splice_definitions(source, "LIMIT = 20\nSCALE: float = 1.5\n\ndef f():\n    return LIMIT * SCALE\n")
    assert result.replaced == ["f", "LIMIT"] and result.added == ["SCALE"]
    assert result.content == ("import os\n\nLIMIT = 20\n\n\nSCALE: float = 1.5\n\n\n"
                              "def f():\n    return LIMIT * SCALE\n")
    assert run(result.content)["f"]() == 30


def test_the_models_scratch_code_never_reaches_the_file():
    new = '''import pytest

def mean(values):
    return sum(values) / len(values)

print(mean([1, 2, 3]))
assert mean([2, 4]) == 3
result = mean([1])
values = [1, 2]
if __name__ == "__main__":
    print("ok")

def test_mean():
    assert mean([1]) == 1
'''
    result = splice_definitions(CALC, new)
    assert result.error is None and result.replaced == ["mean"] and result.added == []
    assert result.imports_added == []
    for scratch in ("print(", "assert", "result =", "values = [1, 2]", "__main__", "test_mean", "pytest"):
        assert scratch not in result.content


def test_test_functions_are_spliced_into_a_file_that_already_holds_tests():
    source = "from calc import mean\n\n\ndef test_mean():\n    assert mean([1]) == 1\n"
    result = splice_definitions(source, "def test_mean_of_two():\n    assert mean([1, 3]) == 2\n")
    assert result.added == ["test_mean_of_two"]


def test_a_global_the_new_code_relies_on_is_kept_even_if_lowercase():
    result = splice_definitions(CALC, "_cache = {}\n\ndef mean(values):\n    return _cache.get(0, 1)\n")
    assert result.added == ["_cache"]
    assert "_cache = {}\n\n\n# Sum of start..stop" in result.content


def test_an_unparsable_answer_gives_a_short_error_and_the_file_unchanged():
    result = splice_definitions(CALC, "def mean(values):\n    return sum(values /\n")
    assert result.error is not None and result.error.startswith("line 2: ")
    assert result.content == CALC and result.replaced == []


def test_an_unchanged_definition_is_not_reported_and_nothing_changes():
    result = splice_definitions(CALC, "def range_sum(start, stop):\n    return sum(range(start, stop))\n")
    assert result.error is None and result.replaced == [] and result.content == CALC


def test_a_new_file_gets_imports_constants_and_definitions():
    new = ("print('scratch')\nfrom __future__ import annotations\nimport math\n\nTAU = 2 * math.pi\n\n"
           "def area(r):\n    return TAU * r * r / 2\n\nclass Circle:\n    pass\n")
    result = splice_definitions("  \n", new)
    assert result.content == ("from __future__ import annotations\nimport math\n\n\nTAU = 2 * math.pi\n\n\n"
                              "def area(r):\n    return TAU * r * r / 2\n\n\nclass Circle:\n    pass\n")
    assert result.added == ["area", "Circle", "TAU"]
    assert run(result.content)["area"](1) == pytest.approx(3.14159, rel=1e-4)


def test_a_file_with_a_syntax_error_can_be_repaired_by_replacing_the_broken_function():
    source = "import os\n\n\ndef good():\n    return 1\n\n\ndef broken(x):\n    return x +\n\n\nDONE = True\n"
    result = splice_definitions(source, "def broken(x):\n    return x + 1\n")
    assert result.error is None and result.replaced == ["broken"]
    assert result.content == source.replace("return x +\n", "return x + 1\n")


def test_a_broken_file_keeps_each_decorator_with_its_definition():
    source = ("import functools\n\n\n@functools.cache\n@staticmethod\ndef broken(x):\n    return x +\n\n\n"
              "@functools.cache\ndef good():\n    return 1\n")
    result = splice_definitions(source, "@functools.cache\n@staticmethod\ndef broken(x):\n    return x + 1\n")
    assert result.error is None and result.replaced == ["broken"]
    assert result.content == source.replace("return x +\n", "return x + 1\n")


def test_a_result_that_still_does_not_parse_is_refused():
    source = "def good():\n    return 1\n\n\ndef broken(x):\n    return x +\n"
    result = splice_definitions(source, "def good():\n    return 2\n")
    assert result.error is not None and result.error.startswith("the changed file does not parse: line 6")
    assert result.content == source


def test_windows_line_endings_in_the_file_are_kept():
    source = CALC.replace("\n", "\r\n")
    result = splice_definitions(source, "def range_sum(start, stop):\r\n    return 0\r\n\r\ndef extra():\n    pass\n")
    assert result.error is None
    assert "\n" not in result.content.replace("\r\n", "")
    assert "def range_sum(start, stop):\r\n    return 0\r\n" in result.content
    assert result.content.endswith("\r\n\r\n\r\ndef extra():\r\n    pass\r\n")


def test_indented_answers_are_dedented():
    result = splice_definitions(CALC, "    def range_sum(start, stop):\n        return 0\n")
    assert result.replaced == ["range_sum"]


def test_the_last_of_two_definitions_in_the_answer_wins():
    result = splice_definitions(CALC, "def mean(v):\n    return 1\n\ndef mean(v):\n    return 2\n")
    assert run(result.content)["mean"]([5]) == 2


@pytest.mark.parametrize("body, stub", [
    ("pass", True),
    ("...", True),
    ('"""Docstring only."""', True),
    ('"""Doc."""\n    raise NotImplementedError', True),
    ("raise NotImplementedError('later')", True),
    ("return None", False),
    ("raise ValueError('no')", False),
    ('"""Doc."""\n    return 1', False),
])
def test_is_stub(body, stub):
    node = ast.parse(f"def f(x):\n    {body}\n").body[0]
    assert is_stub(node) is stub


def test_is_stub_is_false_for_anything_but_a_function():
    assert is_stub(ast.parse("class A:\n    pass\n").body[0]) is False


def test_unified_diff_names_both_sides_and_marks_a_missing_final_newline():
    diff = unified_diff("calc.py", "a = 1\nb = 2\n", "a = 1\nb = 3")
    assert diff == ("--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n a = 1\n-b = 2\n+b = 3\n"
                    "\\ No newline at end of file\n")
    assert unified_diff("calc.py", "same\n", "same\n") == ""


def test_a_broken_file_is_read_with_its_strings_and_brackets_in_mind():
    source = ('"""Doc.\n\nimport nothing here\n"""\n\n\ndef f(:\n    pass\n\n\n'
              'def g(\n    x,\n) -> int:\n    text = """\nnot code\n"""\n    return x\n')
    result = splice_definitions(source, "import os\n\ndef f():\n    return os.sep\n")
    assert result.error is None and result.imports_added == ["import os"]
    assert result.content.startswith('"""Doc.\n\nimport nothing here\n"""\n\nimport os\n')
    assert result.content.endswith(source[source.index("def g("):])
    assert run(result.content)["f"]() == "/"


def test_a_broken_file_whose_extent_cannot_be_told_is_left_alone_rather_than_losing_code():
    source = 'def f():\n    """never closed\n    return 1\n\n\ndef g():\n    return 2\n'
    result = splice_definitions(source, "def f():\n    return 1\n")
    assert result.error is not None and "g" in result.error
    assert result.content == source


# --- the example projects: a model-style answer, read and spliced, makes their tests pass ----------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ANSWERS = {
    "calc": ("calc.py", '''The range stops one short and mean multiplies. Fixed:

```python
def range_sum(start, stop):
    """The sum of the integers from start to stop, both included."""
    return sum(range(start, stop + 1))


def mean(values):
    """The arithmetic mean of a non-empty list of numbers."""
    return sum(values) / len(values)

print(mean([1, 2, 3]))
```
'''),
    "textstats": ("words.py", '''The bug is in the tokenizer, not in stats.py.

**words.py**
```python
def tokenize(text):
    """The words of text, lowercased, without surrounding punctuation."""
    return [word.strip(".,;:!?\\"'()").lower() for word in text.split()]
```
'''),
    "inventory": ("inventory.py", '''```python
# file: inventory.py
class Inventory:
    def __init__(self):
        self.items = {}

    def add(self, name, quantity, unit_price):
        self.items[name] = [self.quantity(name) + quantity, unit_price]

    def remove(self, name, quantity):
        if self.quantity(name) < quantity:
            raise ValueError(f"not enough {name}")
        self.items[name][0] -= quantity

    def quantity(self, name):
        return self.items.get(name, [0, 0])[0]

    def total_value(self):
        return sum(q * p for q, p in self.items.values())


def low_stock(inventory, threshold):
    return sorted(n for n, (q, _) in inventory.items.items() if q < threshold)
```'''),
}


def run_example_tests(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder)],
                          cwd=folder, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_a_spliced_answer_makes_the_example_projects_tests_pass(name, tmp_path):
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    before = run_example_tests(folder)
    assert before.returncode != 0, "the example must start with failing tests"
    path, reply = ANSWERS[name]
    [block] = extract_code_blocks(reply)
    assert block.path in (None, path)
    result = splice_definitions((folder / path).read_text(), block.code)
    assert result.error is None
    (folder / path).write_text(result.content)
    after = run_example_tests(folder)
    assert after.returncode == 0, after.stdout


def test_a_future_import_goes_first_even_when_other_imports_come_with_it():
    source = '"""Doc."""\n\n\ndef f():\n    return 1\n'
    new = "from __future__ import annotations\nimport os\n\ndef f() -> str:\n    return os.sep\n"
    result = splice_definitions(source, new)
    assert result.error is None
    assert result.content.startswith('"""Doc."""\nfrom __future__ import annotations\n\nimport os\n')

"""Which tests a task on a code file runs: the test files that import it, read from their `ast`."""

from __future__ import annotations

from microagent.agents.selection import plan_tests
from microagent.agents.types import Target, Task, TaskKind
from microagent.sandbox.types import WorkspaceSnapshot

CALC = "def add(a, b):\n    return a - b\n"


def plan_for(target: str, files: dict[str, str]):
    snapshot = WorkspaceSnapshot(files={p: t.encode() for p, t in files.items()})
    return plan_tests(Task(kind=TaskKind.fix, root="/nowhere", target=Target.parse(target)), snapshot)


def test_a_module_whose_name_starts_alike_is_not_an_import():
    plan = plan_for("calc.py", {
        "calc.py": CALC,
        "calculator.py": "def mul(a, b):\n    return a * b\n",
        "test_calculator.py": "import calculator\n\n\ndef test_mul():\n    assert calculator.mul(2, 3) == 6\n",
        "test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n",
    })
    assert plan.selection == ["test_calc.py"]


def test_every_way_of_importing_the_module_counts():
    plan = plan_for("src/shop/calc.py", {
        "src/shop/__init__.py": "",
        "src/shop/calc.py": CALC,
        "tests/test_dotted.py": "import shop.calc\n",
        "tests/test_from.py": "from shop.calc import add\n",
        "tests/test_submodule.py": "from shop import calc\n",
        "src/shop/test_relative.py": "from .calc import add\n",
        "tests/test_other.py": "import shop\n",
        "tests/conftest.py": "from shop.calc import add\n",
    })
    assert plan.selection == ["src/shop/test_relative.py", "tests/test_dotted.py",
                              "tests/test_from.py", "tests/test_submodule.py"]


def test_a_helper_module_under_tests_is_not_run_as_a_test_file():
    plan = plan_for("src/shop/calc.py", {
        "src/shop/__init__.py": "",
        "src/shop/calc.py": CALC,
        "tests/test_from.py": "from shop.calc import add\n",
        "tests/helpers.py": "from shop.calc import add\n",  # naming it to pytest imports it early
        "tests/another_module.py": "import shop.calc\n",
    })
    assert plan.selection == ["tests/test_from.py"]


def test_no_test_imports_the_module_runs_the_whole_suite():
    plan = plan_for("calc.py", {"calc.py": CALC, "test_calculator.py": "import calculator\n"})
    assert plan.selection is None and plan.problem is None

"""How a chat becomes a workspace and a task: which block is the tests, what the code block is
named, fix or implement, and what is refused. Pure: no server needed.
"""

from __future__ import annotations

import pytest

from microagent.agents.types import TaskKind
from api_server import fence
from microagent.server.api.chat_request import Message
from microagent.server.api.errors import ApiError
from microagent.languages.python.chat_files import is_test_code as is_pytest_file
from microagent.server.api.task_from_messages import task_from_messages

TESTS = fence("from geometry import area\n\ndef test_area():\n    assert area(2, 3) == 6")


def user(*parts: str) -> list[Message]:
    return [Message("user", "\n".join(parts))]


def test_the_code_block_is_named_after_the_module_the_tests_import():
    task = task_from_messages(user("Fix it", fence("def area(w, h):\n    return w + h"), TESTS), {})
    assert task.files["geometry.py"].startswith("def area")
    assert task.kind == TaskKind.fix and str(task.target) == "test_solution.py" and task.module == "geometry.py"


def test_tests_alone_ask_for_the_module_they_import():
    task = task_from_messages(user(TESTS), {})
    assert task.kind == TaskKind.implement and task.module == "geometry.py"
    assert task.files["geometry.py"] == ""


def test_a_stub_is_implemented_not_fixed():
    task = task_from_messages(user(fence("def area(w, h):\n    raise NotImplementedError"), TESTS), {})
    assert task.kind == TaskKind.implement


def test_named_blocks_keep_their_names_and_a_later_message_wins():
    first = Message("user", fence("# file: calc.py\ndef f():\n    return 0") + "\n" +
                    fence("# file: test_calc.py\nfrom calc import f\n\ndef test_f():\n    assert f() == 1"))
    answer = Message("assistant", "Solved.\n" + fence("# file: calc.py\ndef f():\n    return 1"))
    system = Message("system", fence("# file: calc.py\nprint('a client prompt example')"))
    task = task_from_messages([system, first, answer], {})
    assert task.files["calc.py"].strip() == "def f():\n    return 1"
    assert str(task.target) == "test_calc.py" and task.module == "calc.py"


def test_docstring_examples_make_an_implement_task_on_the_module():
    code = fence('def double(x):\n    """\n    >>> double(2)\n    4\n    """')
    task = task_from_messages(user("Write this", code), {})
    assert (task.kind, str(task.target), task.module) == (TaskKind.implement, "solution.py", "solution.py")


def test_files_from_the_request_join_the_workspace():
    files = {"pkg/geometry.py": "def area(w, h):\n    return w * h\n",
             "tests/test_geometry.py": "from pkg.geometry import area\n\ndef test_area():\n    assert area(2, 3) == 6\n"}
    task = task_from_messages(user("Please check."), files)
    assert task.module == "pkg/geometry.py" and str(task.target) == "tests/test_geometry.py"
    assert task.kind == TaskKind.fix


@pytest.mark.parametrize("text, code", [
    ("Just chatting, no code.", "no_task"),
    (fence("def area(w, h):\n    return w * h"), "no_tests"),
    (fence("# file: ../up.py\nx = 1") + TESTS, "bad_path"),
])
def test_what_cannot_be_checked_is_refused_with_a_reason(text, code):
    with pytest.raises(ApiError) as refused:
        task_from_messages(user(text), {})
    assert refused.value.status == 400 and refused.value.code == code


def test_a_pytest_file_is_told_from_code():
    assert is_pytest_file("import pytest\n\n@pytest.fixture\ndef x():\n    return 1\n\ndef test_a(x):\n    assert x")
    assert not is_pytest_file("def helper():\n    pass\n\ndef test_a():\n    assert helper() is None")
    assert not is_pytest_file("def area(w, h):\n    return w * h")

"""The Language seam: Python and TypeScript fill every part of the protocol, and files find their
language."""

import inspect

import pytest

from microagent.languages.language import ChatFiles, Language
from microagent.languages.registry import LANGUAGES, WORKSPACE_LANGUAGE, language_of_file


def members(protocol: type) -> set[str]:
    names = set(getattr(protocol, "__annotations__", {}))
    names |= {n for n, v in vars(protocol).items() if inspect.isfunction(v) and not n.startswith("_")}
    return names


@pytest.mark.parametrize("language", list(LANGUAGES.values()), ids=list(LANGUAGES))
def test_every_language_fills_the_protocol(language):
    assert {m for m in members(Language) if not hasattr(language, m)} == set()
    assert {m for m in members(ChatFiles) if not hasattr(language.chat, m)} == set()


def test_files_find_their_language():
    assert language_of_file("src/pkg/calc.py") is WORKSPACE_LANGUAGE
    assert language_of_file("sum.test.ts") is LANGUAGES["typescript"]
    assert language_of_file("src/App.jsx") is LANGUAGES["typescript"]
    assert language_of_file("README.md") is None and language_of_file("main.go") is None


def test_python_asks_its_own_toolkit():
    python = LANGUAGES["python"]
    assert python.is_test_file("tests/test_calc.py") and python.is_test_file("pkg/calc_test.py")
    assert not python.is_test_file("tests/data.json") and not python.is_test_file("calc.py")
    outline = python.outline("test_calc.py", "def test_add():\n    assert 1\n")
    assert outline.is_test_file and [f.name for f in outline.functions] == ["test_add"]
    runner = python.test_runner()
    assert runner.interpreter_module == "pytest" and "--tb=short" in runner.argv([], "")
    assert python.chat.is_test_code("def test_a():\n    assert 1") and "python" in python.chat.fences


def test_python_shows_the_coder_the_failing_test_and_the_code_it_reaches():
    from microagent.sandbox.types import Outcome, TestCase, WorkspaceSnapshot

    snapshot = WorkspaceSnapshot(root="/w").with_files({
        "calc.py": "def add(a, b):\n    return a - b\n",
        "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"})
    failing = [TestCase(node_id="test_calc.py::test_add", outcome=Outcome.failed)]
    context = LANGUAGES["python"].coder_context(snapshot, failing, lambda text: len(text) // 4)
    assert [p.path for p in context.tests] == ["test_calc.py"] and context.target_files == ["calc.py"]
    assert "return a - b" in context.code[0].text


def test_a_workspace_is_written_in_the_language_of_its_source_files():
    from microagent.languages.registry import language_of_workspace

    assert language_of_workspace(["pyproject.toml", "src/pkg/calc.py", "package.json"]) is WORKSPACE_LANGUAGE
    assert language_of_workspace([]) is WORKSPACE_LANGUAGE  # nothing to tell by
    assert language_of_workspace(["README.md", "data.csv"]) is WORKSPACE_LANGUAGE
    assert language_of_workspace(["package.json", "sum.js", "sum.test.js", "README.md"]) \
        is LANGUAGES["typescript"]


def test_a_javascript_or_typescript_workspace_is_served_as_typescript():
    from microagent.languages.registry import language_of_workspace

    typescript = LANGUAGES["typescript"]
    assert language_of_workspace(["package.json", "sum.js", "sum.test.js"]) is typescript
    assert language_of_workspace(["package.json", "tsconfig.json", "src/a.ts", "src/a.test.ts"]) \
        is typescript
    # a Python project with a few scripts of its web assets stays Python
    assert language_of_workspace(["pyproject.toml", "app.py", "static/a.js", "static/b.js",
                                  "static/c.js", "package.json"]) is WORKSPACE_LANGUAGE
    assert language_of_workspace(["tool.py", "web/a.js", "web/b.js"]) is WORKSPACE_LANGUAGE


def test_a_workspace_in_a_language_not_served_is_named():
    from microagent.languages.registry import UnsupportedLanguage, language_of_workspace

    with pytest.raises(UnsupportedLanguage) as caught:
        language_of_workspace(["go.mod", "sum.go", "sum_test.go"])
    assert str(caught.value) == ("this workspace is written in Go (go.mod, sum.go, sum_test.go) "
                                 "and has no Python or TypeScript/JavaScript file: microagent "
                                 "serves Python and TypeScript/JavaScript only so far")

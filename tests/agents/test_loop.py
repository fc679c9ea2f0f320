"""The loop with scripted role models through litellm and a real sandbox (process backend;
Docker where marked). Each test checks what a user would see: the status, the edits, the
prompts the Coder was sent, the user's files."""

import asyncio
import textwrap

import pytest

from microagent.agents.types import EventKind, RunStatus, Target, Task, TaskKind
from loop_support import CALC, TESTS, coder_prompts, fenced, make_loop


async def test_solved_in_two_iterations_with_the_failure_in_the_second_prompt(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a * b\n")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    events = []
    result = await make_loop(workspace, events).run(Task(kind=TaskKind.fix, root=str(workspace)))

    assert result.status == RunStatus.solved, result.message
    assert result.iterations == 2
    [edit] = result.edits
    assert edit.path == "calc.py" and "return a + b" in edit.content
    assert "return a * b" in edit.content.split("def mul")[1]  # mul untouched
    first, second = coder_prompts(scripted)
    assert "assert -1 == 5" in first
    assert "add(2, 3) returned -1, expected 5" in first  # said plainly, before pytest's lines
    assert "assert 6 == 5" in second  # the first candidate's own failure went back
    assert (workspace / "calc.py").read_text() == CALC  # the loop never writes the user's files
    kinds = [e.kind for e in events]
    assert kinds[0] == EventKind.started and kinds[-1] == EventKind.finished
    assert any(e.kind == EventKind.tests and e.passed == 2 and e.total == 2 for e in events)
    assert result.usage["coder"].calls == 2


async def test_syntax_error_goes_back_without_a_sandbox_run(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b)\n    return a + b\n")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    events = []
    result = await make_loop(workspace, events).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved
    assert "not valid Python" in coder_prompts(scripted)[1]
    test_runs = [e for e in events if e.kind == EventKind.tests]
    assert [e.data["label"] for e in test_runs] == ["initial", "candidate"]


async def test_unparseable_output_is_feedback_and_the_best_code_survives(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": "I think the bug is in add, it subtracts.", "repeat": True},
    ])
    result = await make_loop(workspace, MICROAGENT_MAX_ITERATIONS="2").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.unchanged
    assert result.edits == []
    assert "held no Python code" in coder_prompts(scripted)[1]


async def test_a_candidate_that_breaks_passing_tests_never_wins(workspace, scripted):
    scripted.load([
        # fixes add but breaks mul: rejected even though as many tests pass
        {"model": "coder", "reply": fenced(
            "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a + b\n")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a - b - 0\n")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return b - a\n"), "repeat": True},
    ])
    result = await make_loop(workspace, MICROAGENT_MAX_ITERATIONS="3").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.unchanged
    assert result.edits == []
    assert any("breaks passing tests" in (t.get("tests") or "") for t in result.transcript)


async def test_token_budget_stops_the_run_with_the_reason(workspace, scripted):
    scripted.load([{"model": "coder", "reply": fenced("def add(a, b):\n    return b - a\n"),
                    "repeat": True}])
    result = await make_loop(workspace, MICROAGENT_MAX_TOKENS="50").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.budget
    assert "token budget" in result.message
    assert result.usage["coder"].calls == 1


async def test_test_files_are_never_edited(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced(
            "def test_add():\n    assert True\n", path="test_calc.py")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved
    assert [e.path for e in result.edits] == ["calc.py"]
    assert "a test file" in coder_prompts(scripted)[1]
    assert (workspace / "test_calc.py").read_text() == TESTS


@pytest.mark.parametrize("garbage", ["", "LGTM!", "[{'file': oops", "```json\n{\"nope\": 1}\n```"])


async def test_reviewer_garbage_gives_no_comments_and_no_crash(workspace, scripted, garbage):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": garbage},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved
    assert result.comments == []


async def test_reviewer_comments_come_back_structured(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": 'Sure:\n```json\n[{"file": "calc.py", "line": "2", '
                                       '"severity": "Warning", "message": "no type hints",}]\n```'},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    [comment] = result.comments
    assert (comment.file, comment.line, comment.severity) == ("calc.py", 2, "warning")


async def test_unsaved_buffers_are_what_the_run_sees(workspace, scripted):
    fixed_in_editor = CALC.replace("a - b", "a + b")
    result = await make_loop(workspace).run(Task(
        kind=TaskKind.fix, root=str(workspace), overlays={"calc.py": fixed_in_editor}))
    assert result.status == RunStatus.unchanged
    assert "already pass" in result.message
    assert scripted.calls == []


async def test_implement_a_missing_module_from_tests(tmp_path, scripted):
    (tmp_path / "test_shapes.py").write_text(
        "from shapes import area\n\n\ndef test_area():\n    assert area(2, 3) == 6\n")
    scripted.load([
        {"model": "coder", "match": "shapes.py", "reply": fenced(
            "def area(w, h):\n    return w * h\n", path="shapes.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(
        Task(kind=TaskKind.implement, root=str(tmp_path), target=Target.parse("test_shapes.py::test_area")))
    assert result.status == RunStatus.solved, result.message
    [edit] = result.edits
    assert edit.path == "shapes.py" and edit.original == ""


async def test_implement_from_docstring_examples_when_no_test_exists(tmp_path, scripted):
    (tmp_path / "text.py").write_text(textwrap.dedent('''\
        def shout(s):
            """Upper-case and add an exclamation mark.

            >>> shout("hi")
            'HI!'
            """
            raise NotImplementedError
        '''))
    scripted.load([
        {"model": "coder", "reply": fenced(
            'def shout(s):\n    """Upper-case."""\n    return s.upper() + "!"\n', path="text.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(
        Task(kind=TaskKind.implement, root=str(tmp_path), target=Target.parse("text.py:shout")))
    assert result.status == RunStatus.solved, result.message
    assert [e.path for e in result.edits] == ["text.py"]
    assert not (tmp_path / "test_microagent_examples.py").exists()


async def test_model_errors_end_the_run_with_their_advice(workspace, scripted):
    scripted.load([{"model": "coder", "error": "auth"}])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.failed
    assert "API key" in result.message


async def test_stop_mid_run_returns_cancelled_quickly(workspace, scripted):
    scripted.load([{"model": "coder", "reply": "slow", "delay": 60}])
    loop = make_loop(workspace)
    task = asyncio.create_task(loop.run(Task(kind=TaskKind.fix, root=str(workspace))))
    while not scripted.calls:
        await asyncio.sleep(0.05)
    loop.stop()
    result = await asyncio.wait_for(task, 5)
    assert result.status == RunStatus.cancelled
    assert result.edits == []


async def test_review_task_comments_on_a_function(workspace, scripted):
    scripted.load([{"model": "reviewer", "reply": '[{"file": "calc.py", "line": 2, '
                    '"severity": "error", "message": "subtracts instead of adding"}]'}])
    result = await make_loop(workspace).run(
        Task(kind=TaskKind.review, root=str(workspace), target=Target.parse("calc.py:add")))
    [comment] = result.comments
    assert comment.blocking and comment.line == 2
    assert "   1  def add(a, b):" in scripted.calls[0]["messages"][-1]["content"]


async def test_a_test_run_that_crashes_fails_fast_without_asking_the_model(workspace, scripted):
    (workspace / "test_boom.py").write_text("import os\n\n\ndef test_boom():\n    os._exit(1)\n")
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.failed
    assert "could not run in the sandbox" in result.message
    assert scripted.calls == []


async def test_tests_that_hang_give_the_coder_every_test_file(workspace, scripted):
    (workspace / "calc.py").write_text(CALC.replace("return a - b", "while True:\n        pass"))
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace, MICROAGENT_SANDBOX_TIMEOUT="3").run(
        Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved, result.message
    prompt = coder_prompts(scripted)[0]
    assert "def test_add" in prompt and "did not finish within 3 s" in prompt


async def test_the_coder_sees_only_the_functions_the_failing_tests_reach(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a * b\n")},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved
    first, second = coder_prompts(scripted)
    assert "def add" in first and "def mul" not in first
    assert "return a * b" in second.split("The code under test")[1]  # the attempt being repaired


async def test_an_unchanged_answer_keeps_the_test_failures_in_the_next_prompt(workspace, scripted):
    scripted.load([
        {"model": "coder", "reply": fenced(CALC)},
        {"model": "coder", "reply": fenced("def add(a, b):\n    return a + b\n")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(workspace).run(Task(kind=TaskKind.fix, root=str(workspace)))
    assert result.status == RunStatus.solved
    second = coder_prompts(scripted)[1]
    assert "changed nothing" in second and "assert -1 == 5" in second


async def test_a_bug_in_an_imported_helper_is_shown_and_fixed_there(tmp_path, scripted):
    (tmp_path / "words.py").write_text("def tokenize(text):\n    return text.split(' ')\n")
    (tmp_path / "stats.py").write_text(
        "from words import tokenize\n\n\ndef word_count(text):\n    return len(tokenize(text))\n")
    (tmp_path / "test_stats.py").write_text(
        "from stats import word_count\n\n\ndef test_count():\n    assert word_count('a  b') == 2\n")
    scripted.load([
        {"model": "coder", "match": "### words.py", "reply": fenced(
            "def tokenize(text):\n    return text.split()\n", path="words.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message
    assert [e.path for e in result.edits] == ["words.py"]


async def test_a_fix_that_needs_a_missing_name_asks_for_it_by_name(tmp_path, scripted):
    (tmp_path / "shop.py").write_text("def price(x):\n    return x\n")
    (tmp_path / "test_shop.py").write_text(
        "from shop import price, tax\n\n\ndef test_tax():\n    assert tax(10) == 2\n")
    scripted.load([
        {"model": "coder", "match": "Write tax in shop.py", "reply": fenced(
            "def tax(x):\n    return x // 5\n", path="shop.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message


async def test_one_block_holding_two_files_edits_each_file(tmp_path, scripted):
    (tmp_path / "words.py").write_text("def tokenize(text):\n    return text.split(' ')\n")
    (tmp_path / "stats.py").write_text(
        "from words import tokenize\n\n\ndef word_count(text):\n    return len(tokenize(text))\n")
    (tmp_path / "test_stats.py").write_text(
        "from stats import word_count\n\n\ndef test_count():\n    assert word_count('a  b') == 2\n")
    scripted.load([
        {"model": "coder", "reply": "```python\n# file: stats.py\nfrom words import tokenize\n\n\n"
                                    "def word_count(text):\n    return len(tokenize(text))\n\n"
                                    "# file: words.py\ndef tokenize(text):\n    return text.split()\n```"},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))
    assert result.status == RunStatus.solved, result.message
    assert [e.path for e in result.edits] == ["words.py"]


async def test_a_class_a_package_re_exports_is_shown_where_it_is_defined(tmp_path, scripted):
    """`from geom import Rect` with `geom/__init__.py` re-exporting it from `geom/shapes.py`
    (a src layout): the Coder sees and changes shapes.py, not the `__init__` that imports it."""
    (tmp_path / "src/geom").mkdir(parents=True)
    (tmp_path / "tests").mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\npythonpath = src\n")
    (tmp_path / "src/geom/__init__.py").write_text("from .shapes import Rect\n\n__all__ = ['Rect']\n")
    (tmp_path / "src/geom/shapes.py").write_text(
        "class Rect:\n    def __init__(self, w, h):\n        self.w, self.h = w, h\n\n"
        "    def area(self):\n        return self.w + self.h\n")
    (tmp_path / "tests/test_area.py").write_text(
        "from geom import Rect\n\n\ndef test_area():\n    assert Rect(2, 3).area() == 6\n")
    scripted.load([
        {"model": "coder", "reply": fenced("class Rect:\n    def __init__(self, w, h):\n"
                                           "        self.w, self.h = w, h\n\n"
                                           "    def area(self):\n        return self.w * self.h\n",
                                           "src/geom/shapes.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    [prompt] = coder_prompts(scripted)
    assert "### src/geom/shapes.py" in prompt and "return self.w + self.h" in prompt
    assert [e.path for e in result.edits] == ["src/geom/shapes.py"]


async def test_a_go_project_is_told_it_is_not_served_before_any_model_call(tmp_path, scripted):
    (tmp_path / "go.mod").write_text("module sum\n\ngo 1.22\n")
    (tmp_path / "sum.go").write_text("package sum\n\nfunc Sum(a, b int) int { return a - b }\n")
    (tmp_path / "sum_test.go").write_text("package sum\n\nimport \"testing\"\n\n"
                                          "func TestSum(t *testing.T) { if Sum(1, 2) != 3 { t.Fail() } }\n")
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.failed and result.edits == []
    assert "written in Go" in result.message and "only so far" in result.message
    assert scripted.calls == []

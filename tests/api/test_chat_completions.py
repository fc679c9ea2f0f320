"""The API through the official `openai` client and through litellm, against a real server
with scripted role models: a fix, a task from docstring examples, files in `extra_body`,
the single-pass model, and a streamed answer that a standard client reads as any other.
"""

from __future__ import annotations

import json
import re

import openai
import pytest

from api_server import REVIEW_OK, fence

BUGGY = "def add(a, b):\n    return a - b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_zero():\n    assert add(0, 0) == 0\n"
FIXED_REPLY = fence("# file: calc.py\ndef add(a, b):\n    return a + b")
FIX_MESSAGE = "\n\n".join(["The tests fail, fix calc.py.", fence("# file: calc.py\n" + BUGGY), fence(TESTS)])


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url, api_key="not-needed", timeout=300, max_retries=0)


def code_in(text: str) -> str:
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match, f"no fenced code block in the answer:\n{text}"
    return match.group(1)


def test_a_fix_is_solved_and_usage_sums_every_role(server, client):
    server.script([
        {"model": "coder", "reply": FIXED_REPLY},
        {"model": "reviewer", "reply": json.dumps([{"file": "calc.py", "line": 2, "severity": "info",
                                                    "message": "add type hints"}])},
    ])
    reply = client.chat.completions.create(
        model="microagent", messages=[{"role": "user", "content": FIX_MESSAGE}])

    assert reply.object == "chat.completion"
    text = reply.choices[0].message.content
    assert "return a + b" in code_in(text)
    assert text.startswith("Solved: 2/2 tests passing after 1 candidate (the first proposer's)")
    details = reply.model_extra["microagent"]
    assert details["status"] == "solved"
    assert details["tests"] == {"summary": "2/2 tests passing", "passed": 2, "failed": 0, "total": 2}
    assert details["comments"][0]["message"] == "add type hints"
    roles = details["usage"]
    assert set(roles) == {"coder", "reviewer"}
    assert reply.usage.prompt_tokens == sum(r["prompt_tokens"] for r in roles.values()) > 0
    assert reply.usage.completion_tokens == sum(r["completion_tokens"] for r in roles.values())
    assert reply.usage.total_tokens == sum(r["total_tokens"] for r in roles.values())
    assert details["edits"][0]["path"] == "calc.py" and "+    return a + b" in details["edits"][0]["diff"]


def test_docstring_examples_become_the_tests(server, client):
    stub = ('def slug(text):\n    """Lower-case words joined by hyphens.\n\n'
            '    >>> slug("Hello World")\n    \'hello-world\'\n    >>> slug("  A  b ")\n    \'a-b\'\n    """\n')
    server.script([
        {"model": "coder", "reply": fence('def slug(text):\n    return "-".join(text.lower().split())')},
        REVIEW_OK,
    ])
    reply = client.chat.completions.create(
        model="microagent",
        messages=[{"role": "user", "content": f"Implement this function:\n{fence(stub)}"}])

    details = reply.model_extra["microagent"]
    assert details["status"] == "solved", reply.choices[0].message.content
    assert details["kind"] == "implement"
    assert details["tests"]["total"] == 2  # one test per docstring example
    code = code_in(reply.choices[0].message.content)
    assert code.startswith("# file: solution.py") and '"-".join' in code
    coder_prompts = [m["content"] for c in server.calls() if c["model"] == "coder" for m in c["messages"]]
    assert any('slug("Hello World")' in p and "hello-world" in p for p in coder_prompts)


def test_files_in_extra_body_make_the_workspace(server, client):
    files = {"shop/__init__.py": "",
             "shop/prices.py": "def total(items):\n    return sum(items) + 1\n",
             "tests/test_prices.py": "from shop.prices import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"}
    server.script([{"model": "coder", "reply": fence("# file: shop/prices.py\ndef total(items):\n    return sum(items)")},
                   REVIEW_OK])
    reply = client.chat.completions.create(
        model="microagent", messages=[{"role": "user", "content": "Make the tests pass."}],
        # test_command is accepted and ignored (README): a client that sends it keeps working
        extra_body={"microagent": {"files": files, "max_iterations": 2, "test_command": "pytest -q"}})

    details = reply.model_extra["microagent"]
    assert details["status"] == "solved"
    assert code_in(reply.choices[0].message.content).startswith("# file: shop/prices.py")


def test_the_single_model_makes_one_coder_pass_without_review(server, client):
    server.script([{"model": "coder", "reply": fence("# file: calc.py\ndef add(a, b):\n    return a * b"),
                    "repeat": True}, REVIEW_OK])
    reply = client.chat.completions.create(
        model="microagent-single", messages=[{"role": "user", "content": FIX_MESSAGE}])

    details = reply.model_extra["microagent"]
    assert details["iterations"] == 1
    assert details["status"] != "solved"
    assert set(details["usage"]) == {"coder"}
    assert details["usage"]["coder"]["calls"] == 1
    assert reply.choices[0].message.content.startswith(("Partly fixed", "Unchanged"))


def test_streaming_reads_as_an_ordinary_streamed_answer(server, client):
    server.script([{"model": "coder", "reply": FIXED_REPLY}, REVIEW_OK])
    stream = client.chat.completions.create(
        model="microagent", messages=[{"role": "user", "content": FIX_MESSAGE}], stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("Solved: 2/2 tests passing") and "return a + b" in code_in(text)
    progress = [c.model_extra["microagent"] for c in chunks
                if c.model_extra.get("microagent") and "event" in c.model_extra["microagent"]]
    events = [p["event"] for p in progress]
    assert events[0] == "started" and "tests" in events and events[-1] == "finished"
    assert events.index("environment") < events.index("tests")  # what the tests run with, first
    assert any(p["event"] == "tests" and p["passed"] == 2 and p["total"] == 2 for p in progress)
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1 and final[0].model_extra["microagent"]["status"] == "solved"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0


def test_litellm_speaks_to_it_as_an_openai_server(server):
    import litellm

    server.script([{"model": "coder", "reply": FIXED_REPLY}, REVIEW_OK])
    reply = litellm.completion(model="openai/microagent", api_base=server.url, api_key="not-needed",
                               messages=[{"role": "user", "content": FIX_MESSAGE}], timeout=300)
    assert "return a + b" in code_in(reply.choices[0].message.content)
    assert reply.usage.total_tokens > 0

    server.script([{"model": "coder", "reply": FIXED_REPLY}, REVIEW_OK])
    pieces = litellm.completion(model="openai/microagent", api_base=server.url, api_key="not-needed",
                                messages=[{"role": "user", "content": FIX_MESSAGE}], stream=True,
                                timeout=300)
    text = "".join(p.choices[0].delta.content or "" for p in pieces if p.choices)
    assert text.startswith("Solved") and "return a + b" in text


def test_a_module_nobody_installed_is_answered_as_a_failure_without_a_model_call(server, client):
    missing = "some_module_that_does_not_exist_xyz"
    files = {"app.py": f"import {missing}\n\n\ndef add(a, b):\n    return a - b\n",
             "test_app.py": "from app import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"}
    server.script([{"model": "coder", "reply": fence("# file: app.py\ndef add(a, b):\n"
                                                      "    return a + b"), "repeat": True}])
    calls = len(server.calls())
    reply = client.chat.completions.create(
        model="microagent", messages=[{"role": "user", "content": "Make the tests pass."}],
        extra_body={"microagent": {"files": files}})

    text = reply.choices[0].message.content
    assert text.startswith(f"Failed: The tests cannot import {missing}, which app.py imports")
    assert "not installed in the process sandbox" in text and "-m pip install" in text
    assert reply.model_extra["microagent"]["status"] == "failed"
    assert len(server.calls()) == calls  # no model was asked


def test_a_stream_sends_the_answer_before_the_review_and_the_remarks_after(server, client):
    remark = {"file": "calc.py", "line": 2, "severity": "info", "message": "add type hints"}
    server.script([{"model": "coder", "reply": FIXED_REPLY},
                   {"model": "reviewer", "reply": json.dumps([remark]), "delay": 3}])
    stream = client.chat.completions.create(
        model="microagent", messages=[{"role": "user", "content": FIX_MESSAGE}], stream=True)
    order = []  # what came, in order: content, the review's progress, the final chunk
    for c in stream:
        extra = c.model_extra.get("microagent") or {}
        if c.choices and c.choices[0].delta.content:
            order.append("content")
        elif extra.get("event") in ("proven", "review"):
            order.append(extra["event"])
        elif c.choices and c.choices[0].finish_reason == "stop":
            order.append("final")
            assert [x["message"] for x in extra["comments"]] == ["add type hints"]
            assert 0 < extra["phase_seconds"]["to_edit"] < extra["phase_seconds"]["total"]
    first_review = order.index("review")
    assert "content" in order[:first_review] and "content" not in order[first_review:]
    assert order.index("proven") > order.index("content") and order[-1] == "final"

"""Bad requests get OpenAI-style errors that say what to send, never a traceback; the server
keeps serving after every one of them. An unexpected failure is a 500 naming a request id
that the server log also names.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import httpx
import openai
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from api_server import REVIEW_OK, fence, free_port
from microagent.server.api.app import guarded

CODE = fence("def add(a, b):\n    return a - b")
TESTS = fence("from solution import add\n\n\ndef test_add():\n    assert add(2, 3) == 5")


def post(server, body, **kwargs) -> httpx.Response:
    content = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return httpx.post(f"{server.url}/chat/completions", content=content, timeout=120,
                      headers={"Content-Type": "application/json"}, **kwargs)


def error_of(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    assert "Traceback" not in response.text
    return body["error"]


@pytest.mark.parametrize("body, param, code, says", [
    (b"{not json", None, "invalid_json", "not valid JSON"),
    (b"[1, 2]", None, "invalid_json", "must be a JSON object"),
    ({"messages": [{"role": "user", "content": "x"}]}, "model", None, '"microagent"'),
    ({"model": "microagent"}, "messages", None, "non-empty list"),
    ({"model": "microagent", "messages": []}, "messages", None, "non-empty list"),
    ({"model": "microagent", "messages": ["hello"]}, "messages[0]", None, '"role"'),
    ({"model": "microagent", "messages": [{"role": "user", "content": 3}]}, "messages[0].content",
     None, "string"),
    ({"model": "microagent", "messages": [{"role": "user", "content": "Please fix my code."}]},
     "messages", "no_task", "no code and no tests"),
    ({"model": "microagent", "messages": [{"role": "user", "content": CODE}]},
     "messages", "no_tests", "docstrings hold no examples"),
    ({"model": "microagent", "messages": [{"role": "user", "content": CODE + TESTS}],
      "microagent": {"max_iterations": 0}}, "microagent.max_iterations", None, "greater than"),
    ({"model": "microagent", "messages": [{"role": "user", "content": CODE + TESTS}],
      "microagent": {"temperature": 2}}, "microagent.temperature", None, "allowed: files"),
    ({"model": "microagent", "messages": [{"role": "user", "content": TESTS}],
      "microagent": {"files": {"../escape.py": "x = 1"}}}, "microagent.files", None, "relative path"),
    ({"model": "microagent", "messages": [{"role": "user", "content": fence("# file: /etc/evil.py\nx = 1") + TESTS}]},
     "messages", "bad_path", "plain relative paths"),
    ({"model": "microagent", "messages": [{"role": "user", "content": TESTS}],
      "microagent": {"files": {"a.py": "x = 1", "a.py/b.py": "y = 2"}}}, "microagent.files", "bad_path",
     "both as a file and as a folder"),
    ({"model": "microagent", "messages": [{"role": "user", "content": CODE + TESTS}], "stream": "yes"},
     "stream", None, "true or false"),
])
def test_a_malformed_request_gets_a_400_saying_what_to_send(server, body, param, code, says):
    response = post(server, body)
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param and error["code"] == code
    assert says in error["message"]
    assert response.headers["X-Request-Id"].startswith("req_")


def ask(files: dict | None = None, content: str = TESTS) -> dict:
    body = {"model": "microagent", "messages": [{"role": "user", "content": content}]}
    return {**body, "microagent": {"files": files}} if files is not None else body


@pytest.mark.parametrize("body, param, code, says", [
    (b'{"model": "microagent", "messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", None,
     "invalid_json", "nests JSON too deeply"),
    (b'{"model": "microagent", "messages": [], "n": ' + b"1" * 5000 + b"}", None, "invalid_json",
     "not valid JSON"),
    (b'{"model": "micro\xffagent"}', None, "invalid_json", "not valid JSON"),
    (ask({"a/.": "x = 1", "a/b.py": "y = 2"}), "microagent.files", None, "'.'"),
    (ask({"a" * 300 + ".py": "x = 1"}), "microagent.files", None, "longer than 255 bytes"),
    (ask({"a\x00.py": "x = 1"}), "microagent.files", None, "NUL byte"),
    (ask({"\ud800.py": "x = 1"}), "microagent.files", None, "not UTF-8"),
    (ask({"/etc/evil.py": "x = 1"}), "microagent.files", None, "not a relative path"),
    (ask({"calc.py": "x = '\ud800'"}), "microagent.files", None, "lone surrogate"),
    (ask({f"m{i}.py": "" for i in range(201)}), "microagent.files", None, "at most 200 files"),
    (ask({"/".join(["\U0001F40D" * 60] * 5) + ".py": ""}), "microagent.files", None,
     "longer than 1024 bytes"),
    (ask(content=fence("def add(a, b):\n    return '\ud800'") + TESTS), "messages[0].content",
     "bad_text", "lone surrogate"),
    (ask(content=fence("# file: ./a/./calc.py\nx = 1") + TESTS), "messages", "bad_path", "'.'"),
    (ask(content=fence(f"# file: {'b' * 300}.py\nx = 1") + TESTS), "messages", "bad_path",
     "longer than 255 bytes"),
])
def test_input_that_used_to_crash_the_handler_is_a_400(server, body, param, code, says):
    response = post(server, body)
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param and error["code"] == code
    assert says in error["message"]


@pytest.mark.timeout(120)
def test_a_megabyte_line_is_answered_and_health_stays_up_meanwhile(server):
    body = ask(content="```" + " " * 1_000_000 + "`")
    answer: dict = {}
    sender = threading.Thread(target=lambda: answer.update(response=post(server, body)))
    sender.start()
    assert server.health()["status"] == "ok"
    sender.join(100)
    assert answer["response"].status_code == 400
    assert error_of(answer["response"])["code"] == "no_task"


def test_a_model_name_that_is_not_utf8_is_still_a_404(server):
    response = post(server, b'{"model": "\\ud800", "messages": []}')
    assert response.status_code == 404 and error_of(response)["code"] == "model_not_found"


def test_an_unknown_model_is_a_404_the_openai_client_understands(server):
    client = openai.OpenAI(base_url=server.url, api_key="x", max_retries=0)
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": CODE}])
    assert caught.value.body["code"] == "model_not_found"
    assert "microagent-single" in caught.value.body["message"]
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4o")
    assert client.models.retrieve("microagent-single").id == "microagent-single"


def test_a_body_over_the_cap_is_refused_unread(server):
    big = {"model": "microagent", "messages": [{"role": "user", "content": "x" * (1024 * 1024 + 10)}]}
    response = post(server, big)
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


def test_unknown_paths_and_methods_answer_in_the_same_format(server):
    missing = httpx.get(f"{server.root}/v1/engines", timeout=30)
    assert missing.status_code == 404 and "/v1/chat/completions" in error_of(missing)["message"]
    wrong = httpx.get(f"{server.url}/chat/completions", timeout=30)
    assert wrong.status_code == 405 and error_of(wrong)["message"]


def test_the_server_still_serves_after_all_of_them(server):
    server.script([{"model": "coder", "reply": fence("# file: solution.py\ndef add(a, b):\n    return a + b")},
                   REVIEW_OK])
    response = post(server, {"model": "microagent",
                             "messages": [{"role": "user", "content": CODE + "\n" + TESTS}]})
    assert response.status_code == 200, response.text
    assert response.json()["microagent"]["status"] == "solved"
    assert server.health()["status"] == "ok"
    assert "Traceback" not in server.log()


def test_an_unexpected_failure_is_a_500_naming_the_logged_request_id(caplog):
    async def broken(request):
        raise RuntimeError("a bug")

    app = Starlette(routes=[Route("/broken", guarded(broken))])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with caplog.at_level(logging.ERROR, logger="microagent.server.api"):
            response = httpx.get(f"http://127.0.0.1:{port}/broken", timeout=30)
    finally:
        server.should_exit = True
        thread.join(30)

    assert response.status_code == 500
    error = error_of(response)
    request_id = response.headers["X-Request-Id"]
    assert error["type"] == "server_error" and request_id in error["message"]
    assert "a bug" not in response.text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug" in str(logged[0].exc_info[1])

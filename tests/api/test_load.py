"""Load: one run at a time and one waiting; a third request is refused at once with 429 and a
Retry-After. A streaming client that leaves cancels its run, and the one waiting then runs.
"""

from __future__ import annotations

import threading

import httpx
import openai
import pytest

from api_server import REVIEW_OK, ApiServer, fence

SLOW_TESTS = fence("from slow import f\n\ndef test_slow():\n    assert f() == 1")
FAST_TESTS = fence("from fast import g\n\ndef test_fast():\n    assert g() == 2")


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    api = ApiServer(tmp_path_factory.mktemp("busy"), args=["--concurrency", "1", "--queue", "1"])
    yield api
    api.stop()


def ask(tests: str) -> dict:
    return {"model": "microagent", "messages": [{"role": "user", "content": tests}]}


def test_full_means_429_and_a_leaving_client_frees_its_place(busy):
    busy.script([
        {"model": "coder", "match": r"from slow import", "reply": fence("def f():\n    return 1"),
         "delay": 3600},
        {"model": "coder", "match": r"from fast import", "reply": fence("def g():\n    return 2")},
        REVIEW_OK,
    ])
    client = openai.OpenAI(base_url=busy.url, api_key="x", max_retries=0, timeout=300)
    slow = client.chat.completions.create(**ask(SLOW_TESTS), stream=True)
    first = next(iter(slow))  # the stream has begun: this run holds the only place
    assert first.choices[0].delta.role == "assistant"
    busy.wait_for(lambda h: h["running"] == 1, "the slow run running")

    queued: dict = {}
    waiter = threading.Thread(target=lambda: queued.update(
        response=httpx.post(f"{busy.url}/chat/completions", json=ask(FAST_TESTS), timeout=300)))
    waiter.start()
    busy.wait_for(lambda h: h["waiting"] == 1, "the second request waiting")

    refused = httpx.post(f"{busy.url}/chat/completions", json=ask(FAST_TESTS), timeout=60)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    error = refused.json()["error"]
    assert error["code"] == "server_busy" and "Retry after" in error["message"]
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(**ask(FAST_TESTS))

    slow.close()  # the client leaves: its run is cancelled and the waiting one starts
    waiter.join(300)
    assert queued["response"].status_code == 200
    assert queued["response"].json()["microagent"]["status"] == "solved"
    health = busy.wait_for(lambda h: h["running"] == 0 and h["waiting"] == 0, "an idle server")
    assert health["status"] == "ok"
    assert "the client left; run cancelled" in busy.log()

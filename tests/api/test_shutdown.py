"""SIGINT while runs are in flight: the waiting client gets 503 `shutting_down` in the OpenAI
error format, a streaming client a final error event, and the server exits.
"""

from __future__ import annotations

import json
import signal
import threading

import httpx
import pytest

from api_server import ApiServer, fence

SLOW_TESTS = fence("from slow import f\n\ndef test_slow():\n    assert f() == 1")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_runs_answers_503_shutting_down(tmp_path, sig):
    api = ApiServer(tmp_path, args=["--concurrency", "2"])
    try:
        api.script([{"model": "coder", "reply": fence("def f():\n    return 1"), "delay": 3600,
                     "repeat": True}])
        body = {"model": "microagent", "messages": [{"role": "user", "content": SLOW_TESTS}]}
        waiting: dict = {}
        plain = threading.Thread(target=lambda: waiting.update(
            response=httpx.post(f"{api.url}/chat/completions", json=body, timeout=120)))
        plain.start()
        streamed: list[str] = []

        def stream() -> None:
            with httpx.stream("POST", f"{api.url}/chat/completions", json={**body, "stream": True},
                              timeout=120) as response:
                streamed.extend(line for line in response.iter_lines() if line.startswith("data: "))

        streamer = threading.Thread(target=stream)
        streamer.start()
        api.wait_for(lambda h: h["running"] == 2, "both runs running")

        api.process.send_signal(sig)
        plain.join(120)
        streamer.join(120)
        assert api.process.wait(120) is not None

        response = waiting["response"]
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/json"
        assert int(response.headers["Retry-After"]) >= 1
        error = response.json()["error"]
        assert error["code"] == "shutting_down" and error["type"] == "server_error"
        assert streamed[-1] == "data: [DONE]"
        assert json.loads(streamed[-2].removeprefix("data: "))["error"]["code"] == "shutting_down"
        assert "Traceback" not in api.log() and "Exception in ASGI application" not in api.log()
    finally:
        api.stop()

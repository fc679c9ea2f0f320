"""With an API key every request needs `Authorization: Bearer <key>`, else 401 in the OpenAI
format; without one the server refuses to listen beyond loopback.
"""

from __future__ import annotations

import subprocess

import httpx
import openai
import pytest

from api_server import MICROAGENT, REVIEW_OK, ApiServer, fence

KEY = "sk-test-4f2a"


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    api = ApiServer(tmp_path_factory.mktemp("keyed"), env={"MICROAGENT_API_KEY": KEY})
    yield api
    api.stop()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY},
                                     {"Authorization": f"Basic {KEY}"}])
@pytest.mark.parametrize("method, path", [("GET", "/healthz"), ("GET", "/v1/models"),
                                          ("POST", "/v1/chat/completions"), ("GET", "/nowhere")])
def test_every_request_without_the_key_is_a_401(keyed, headers, method, path):
    response = httpx.request(method, keyed.root + path, headers=headers, timeout=30, content=b"{}")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "authentication_error" and "Authorization: Bearer" in error["message"]
    assert KEY not in response.text


def test_the_openai_client_with_the_key_gets_an_answer(keyed):
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=keyed.url, api_key="wrong", max_retries=0).models.list()

    client = openai.OpenAI(base_url=keyed.url, api_key=KEY, max_retries=0, timeout=300)
    assert {m.id for m in client.models.list()} == {"microagent", "microagent-single"}
    keyed.script([{"model": "coder", "reply": fence("# file: solution.py\ndef inc(x):\n    return x + 1")},
                  REVIEW_OK])
    reply = client.chat.completions.create(model="microagent", messages=[{"role": "user", "content": (
        fence("def inc(x):\n    return x") + "\n" +
        fence("from solution import inc\n\ndef test_inc():\n    assert inc(1) == 2"))}])
    assert reply.model_extra["microagent"]["status"] == "solved"


def test_it_refuses_a_public_address_without_a_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MICROAGENT_SANDBOX_BACKEND": "process"}
    done = subprocess.run([str(MICROAGENT), "serve", "--host", "0.0.0.0", "--port", "1"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "refusing to listen on 0.0.0.0 without an API key" in " ".join(done.stderr.split())

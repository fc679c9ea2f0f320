"""End to end with a real embedded model (SmolLM2-135M, weak): a real answer comes back in the
OpenAI format. Whether it solves the task is not asserted; this model rarely does.
"""

from __future__ import annotations

import openai
import pytest

from api_server import ApiServer, fence

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    api = ApiServer(tmp_path_factory.mktemp("local"), models="local",
                    env={"MICROAGENT_MODEL": "local/smollm2-135m", "MICROAGENT_CODER_MAX_TOKENS": "200"})
    yield api
    api.stop()


def test_a_real_model_answers_end_to_end(local_server):
    client = openai.OpenAI(base_url=local_server.url, api_key="x", max_retries=0, timeout=900)
    reply = client.chat.completions.create(model="microagent-single", messages=[{"role": "user", "content": (
        "Fix add.\n" + fence("def add(a, b):\n    return a - b") + "\n" +
        fence("from solution import add\n\ndef test_add():\n    assert add(2, 3) == 5"))}])

    assert reply.object == "chat.completion"
    text = reply.choices[0].message.content
    details = reply.model_extra["microagent"]
    assert details["status"] in {"solved", "improved", "unchanged", "failed", "budget"}
    assert details["usage"]["coder"]["calls"] == 1  # the model was really asked
    assert reply.usage.completion_tokens > 0
    assert text.strip() and details["tests"] is not None

import pytest

from microagent.agents.config import DEFAULT_MODEL, load_config
from microagent.agents.errors import ConfigError


def write_pyproject(tmp_path, body: str):
    (tmp_path / "pyproject.toml").write_text(body)
    return tmp_path


def test_defaults_use_the_embedded_model_for_every_role(tmp_path):
    config = load_config(tmp_path, env={})
    assert {config.coder.model, config.reviewer.model} == {DEFAULT_MODEL}
    assert config.loop.max_iterations == 24 and config.sandbox.backend == "auto"


def test_precedence_defaults_pyproject_env_arguments(tmp_path):
    write_pyproject(tmp_path, """
[tool.microagent]
model = "openai/gpt-4o-mini"
[tool.microagent.coder]
model = "anthropic/claude-x"
temperature = 0.3
[tool.microagent.sandbox]
backend = "process"
""")
    config = load_config(tmp_path, env={})
    assert config.coder.model == "anthropic/claude-x"
    assert config.reviewer.model == "openai/gpt-4o-mini"
    assert config.coder.temperature == 0.3
    assert config.sandbox.backend == "process"

    env = {"MICROAGENT_CODER_MODEL": "ollama/qwen", "MICROAGENT_SANDBOX_BACKEND": "docker"}
    config = load_config(tmp_path, env=env)
    assert config.coder.model == "ollama/qwen"
    assert config.coder.temperature == 0.3  # untouched keys keep the lower layer
    assert config.sandbox.backend == "docker"

    config = load_config(tmp_path, env=env, overrides={"coder.model": "local/smollm2-135m",
                                                        "loop": {"max_iterations": 2}})
    assert config.coder.model == "local/smollm2-135m"
    assert config.reviewer.model == "openai/gpt-4o-mini"
    assert config.loop.max_iterations == 2


def test_shared_model_variable_applies_to_every_role_below_role_variables(tmp_path):
    config = load_config(tmp_path, env={"MICROAGENT_MODEL": "scripted/x",
                                        "MICROAGENT_REVIEWER_MODEL": "scripted/r"})
    assert config.coder.model == "scripted/x"
    assert config.reviewer.model == "scripted/r"


def test_env_values_are_coerced(tmp_path):
    config = load_config(tmp_path, env={"MICROAGENT_CODER_MAX_TOKENS": "256",
                                        "MICROAGENT_REVIEW": "false"})
    assert config.coder.max_tokens == 256 and config.loop.review is False


def test_invalid_value_names_key_source_and_limit(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path, env={"MICROAGENT_CODER_TEMPERATURE": "5"})
    text = str(err.value)
    assert "coder.temperature" in text and "environment" in text and "less than or equal to 2" in text


def test_invalid_backend_lists_the_allowed_values(tmp_path):
    write_pyproject(tmp_path, '[tool.microagent.sandbox]\nbackend = "vm"\n')
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path, env={})
    text = str(err.value)
    assert "sandbox.backend" in text and "pyproject.toml" in text
    assert "'docker'" in text and "'process'" in text


def test_unknown_key_is_named_with_the_allowed_keys(tmp_path):
    write_pyproject(tmp_path, "[tool.microagent.coder]\ntemprature = 0.2\n")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path, env={})
    text = str(err.value)
    assert "coder.temprature" in text and "temperature" in text and "max_tokens" in text


def test_broken_pyproject_is_a_clear_error(tmp_path):
    write_pyproject(tmp_path, "[tool.microagent\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path, env={})


def test_deployments_from_pyproject_tables_and_from_the_environment_in_short(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.microagent.coder]\nfallback = "local/qwen2.5-coder-1.5b"\n'
        '[[tool.microagent.coder.deployments]]\nmodel = "openai/qwen"\n'
        'api_base = "http://gpu-1:8000/v1"\napi_key = "os.environ/GPU_KEY"\nrpm = 60\n')
    cfg = load_config(tmp_path, env={})
    assert cfg.coder.routed and not cfg.reviewer.routed
    assert cfg.coder.deployments[0].label == "openai/qwen@http://gpu-1:8000/v1"
    assert cfg.coder.deployments[0].api_key == "os.environ/GPU_KEY"
    cfg = load_config(tmp_path, env={"MICROAGENT_DEPLOYMENTS": "openai/a@http://a/v1, openai/b@http://b/v1"})
    assert [d.api_base for d in cfg.reviewer.deployments] == ["http://a/v1", "http://b/v1"]
    assert [d.api_base for d in cfg.coder.deployments] == ["http://a/v1", "http://b/v1"]


def test_a_bad_deployment_names_the_variable_or_the_key_and_what_is_allowed(tmp_path):
    with pytest.raises(ConfigError, match="MICROAGENT_CODER_DEPLOYMENTS: not a JSON list"):
        load_config(tmp_path, env={"MICROAGENT_CODER_DEPLOYMENTS": "[{oops"})
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, {"coder.deployments": [{"model": "x", "api_bse": "http://a"}]}, env={})
    assert "coder.deployments.0.api_bse (from arguments): unknown key" in str(caught.value)
    assert "allowed here: model, api_base, api_key, weight, rpm" in str(caught.value)


def test_engines_in_short_with_their_room(tmp_path):
    cfg = load_config(tmp_path, env={"MICROAGENT_SANDBOX_ENGINES":
                                     "unix:///var/run/docker.sock*2 tcp://build-1:2376"})
    assert [(e.url, e.max_containers) for e in cfg.sandbox.engines] == [
        ("unix:///var/run/docker.sock", 2), ("tcp://build-1:2376", 4)]
    with pytest.raises(ConfigError, match="write URL\\*N"):
        load_config(tmp_path, env={"MICROAGENT_SANDBOX_ENGINES": "tcp://h:2376*many"})


def test_the_sandbox_interpreter_and_requirements_from_the_environment(tmp_path):
    cfg = load_config(tmp_path, env={})
    assert (cfg.sandbox.python, cfg.sandbox.requirements) == (None, [])
    cfg = load_config(tmp_path, env={"MICROAGENT_SANDBOX_PYTHON": ".venv/bin/python",
                                     "MICROAGENT_SANDBOX_REQUIREMENTS": '["pytest-asyncio>=0.23", "numpy == 2.1"]'})
    assert cfg.sandbox.python == ".venv/bin/python"
    assert cfg.sandbox.requirements == ["pytest-asyncio>=0.23", "numpy == 2.1"]
    cfg = load_config(tmp_path, env={"MICROAGENT_SANDBOX_REQUIREMENTS": " pytest-asyncio\n  numpy>=2 "})
    assert cfg.sandbox.requirements == ["pytest-asyncio", "numpy>=2"]
    with pytest.raises(ConfigError, match=r"sandbox.requirements = .* \(from environment\)"):
        load_config(tmp_path, env={"MICROAGENT_SANDBOX_REQUIREMENTS": '["unclosed"'})


def test_setup_network_is_gone_and_named_when_still_set(tmp_path):
    write_pyproject(tmp_path, "[tool.microagent.sandbox]\nsetup_network = true\n")
    with pytest.raises(ConfigError, match="setup_network"):
        load_config(tmp_path, env={})

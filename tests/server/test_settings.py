"""Editor settings: VS Code's flat dotted keys and Neovim's nested tables mean the same thing,
merge over pyproject.toml, and a bad value is named and left at its default."""

from __future__ import annotations

from microagent.server.lsp.settings import config_for, parse_settings

VSCODE = {"microagent.coder.model": "scripted/coder", "microagent.sandbox.backend": "process",
          "microagent.loop.maxIterations": 2, "microagent.confirmEdits": True}
NEOVIM = {"coder": {"model": "scripted/coder"}, "sandbox": {"backend": "process"},
          "loop": {"max_iterations": 2}, "confirm_edits": True}


def test_flat_and_nested_forms_give_the_same_configuration(tmp_path):
    configs = []
    for raw in (VSCODE, NEOVIM, {"microagent": NEOVIM}):
        settings = parse_settings(raw)
        assert settings.problems == [] and settings.editor.confirm_edits is True
        config, problems = config_for(tmp_path, settings)
        assert problems == []
        configs.append(config)
    assert configs[0] == configs[1] == configs[2]
    assert (configs[0].coder.model, configs[0].sandbox.backend, configs[0].loop.max_iterations) == \
        ("scripted/coder", "process", 2)


def test_short_limit_keys_mean_loop_keys(tmp_path):
    config, _ = config_for(tmp_path, parse_settings({"maxIterations": 3, "maxSeconds": 60}))
    assert (config.loop.max_iterations, config.loop.max_seconds) == (3, 60)


def test_editor_settings_override_pyproject_and_pyproject_fills_the_rest(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.microagent]\nsandbox = {backend = "bubblewrap", image = "mine:1"}\n', encoding="utf-8")
    config, problems = config_for(tmp_path, parse_settings({"sandbox": {"backend": "process"}}))
    assert problems == []
    assert (config.sandbox.backend, config.sandbox.image) == ("process", "mine:1")


def test_bad_settings_are_named_and_left_at_their_defaults(tmp_path):
    settings = parse_settings({"maxConcurrentRuns": "lots", "confirmEdits": True,
                               "sandbox": {"backend": "kubernetes"}, "coder": {"model": "x/y"}})
    assert any("maxConcurrentRuns" in p for p in settings.problems)
    assert settings.editor.max_concurrent_runs == 2 and settings.editor.confirm_edits is True
    config, problems = config_for(tmp_path, settings)
    assert any("sandbox.backend" in p and "kubernetes" in p for p in problems)
    assert config.sandbox.backend == "auto" and config.coder.model == "x/y"


def test_settings_that_are_not_an_object_give_a_message_not_a_crash():
    settings = parse_settings(["not", "a", "table"])
    assert settings.problems and settings.overrides == {}


def test_unset_values_from_vscode_are_ignored(tmp_path):
    config, problems = config_for(tmp_path, parse_settings({"coder": {"model": None}}))
    assert problems == [] and config.coder.model


def test_the_sandbox_interpreter_requirements_and_dependency_edits_from_either_editor(tmp_path):
    vscode = {"microagent.sandbox.python": ".venv/bin/python",
              "microagent.sandbox.requirements": ["pytest-asyncio", "numpy>=2"],
              "microagent.sandbox.dependencyEdits": True}
    neovim = {"sandbox": {"python": ".venv/bin/python", "requirements": ["pytest-asyncio", "numpy>=2"],
                          "dependency_edits": True}}
    for raw in (vscode, neovim):
        config, problems = config_for(tmp_path, parse_settings(raw))
        assert problems == []
        assert (config.sandbox.python, config.sandbox.requirements, config.sandbox.dependency_edits) \
            == (".venv/bin/python", ["pytest-asyncio", "numpy>=2"], True)


def test_the_removed_setup_network_setting_is_named_and_the_rest_still_applies(tmp_path):
    settings = parse_settings({"sandbox": {"setupNetwork": True, "setup": "make fixtures",
                                           "backend": "process"}})
    config, problems = config_for(tmp_path, settings)
    assert len(problems) == 1 and "sandbox.setup_network" in problems[0]
    assert (config.sandbox.setup, config.sandbox.backend) == ("make fixtures", "process")

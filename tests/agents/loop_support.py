"""What the loop tests share: the calc workspace, scripted answers, a loop on the process
sandbox, the prompts the Coder was sent."""

import textwrap

from microagent.agents.config import load_config
from microagent.agents.loop import Loop
from microagent.agents.models.client import ModelClient
from microagent.agents.runtime import RUNNER
from microagent.sandbox.process_backend import ProcessSandbox

CALC = textwrap.dedent("""\
    def add(a, b):
        return a - b


    def mul(a, b):
        return a * b
    """)
TESTS = textwrap.dedent("""\
    from calc import add, mul


    def test_add():
        assert add(2, 3) == 5


    def test_mul():
        assert mul(2, 3) == 6
    """)


def fenced(code: str, path: str = "calc.py") -> str:
    return f"Here is the fix:\n```python\n# file: {path}\n{textwrap.dedent(code)}```\n"


def write_calc(root):
    (root / "calc.py").write_text(CALC)
    (root / "test_calc.py").write_text(TESTS)
    return root


def write_ops(root):
    """Two wrong functions, a test for each: `add` multiplies, `sub` divides."""
    (root / "ops.py").write_text("def add(a, b):\n    return a * b\n\n\ndef sub(a, b):\n"
                                 "    return a / b\n")
    (root / "test_ops.py").write_text(
        "from ops import add, sub\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n"
        "def test_sub():\n    assert sub(5, 3) == 2\n")
    return root


def make_loop(root, events=None, sandbox=None, **env):
    env = {"MICROAGENT_CODER_MODEL": "scripted/coder", "MICROAGENT_TESTER_MODEL": "scripted/tester",
           "MICROAGENT_REVIEWER_MODEL": "scripted/reviewer",
           "MICROAGENT_LINE_TRIES": "0",  # the line round has tests of its own
           "MICROAGENT_MUTANTS": "0",  # and so do the mutations (test_mutations.py)
           "MICROAGENT_AGREE": "0",  # and so has choosing among passing candidates
           **env}
    config = load_config(root, env=env)
    on_event = events.append if events is not None else None
    return Loop(ModelClient(config), sandbox or ProcessSandbox(runner=RUNNER), config,
                on_event=on_event)


def coder_prompts(scripted):
    return [c["messages"][-1]["content"] for c in scripted.calls if c["model"] == "coder"]

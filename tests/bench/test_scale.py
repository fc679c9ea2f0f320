"""The scale benchmark's requests: each distinct one is a real repair, failing on its bug."""

import re

from microagent.bench.scale import body


def run_tests(message: str, fix: bool) -> bool:
    code, tests = re.findall(r"```python\n# file: \w+\.py\n(.*?)```", message, re.S)
    namespace: dict = {}
    exec(code.replace("a - b", "a + b") if fix else code, namespace)
    exec(tests.split("\n", 1)[1], namespace)  # without its `from calc import ...` line
    try:
        for name in [n for n in namespace if n.startswith("test_")]:
            namespace[name]()
    except AssertionError:
        return False
    return True


def test_every_distinct_request_fails_on_its_bug_and_passes_once_fixed():
    for number in [None, *range(16)]:
        message = body(number)["messages"][0]["content"]
        assert not run_tests(message, fix=False), number
        assert run_tests(message, fix=True), number

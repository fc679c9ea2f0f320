"""How the API finds code in a person's message: CommonMark fences, the file each names, and
lines a quadratic parser would choke on (pytest-timeout is the guard: no timed assertions).
"""

from __future__ import annotations

import pytest

from microagent.languages.python.replies import extract_code_blocks
from microagent.server.api.code_blocks import FencedCode, code_blocks

MIB = 1024 * 1024


def test_blocks_are_named_by_comment_info_string_or_the_line_before():
    text = ("Fix it.\n```python\n# file: calc.py\ndef f():\n    return 1\n```\n\n"
            "test_calc.py:\n\n```py\nfrom calc import f\n```\n```python:pkg/b.py\ny = 2\n```\n"
            "```text\nnot python\n```\n```\nplain output, not code\n```")
    assert code_blocks(text) == [FencedCode("calc.py", "def f():\n    return 1\n"),
                                 FencedCode("test_calc.py", "from calc import f\n"),
                                 FencedCode("pkg/b.py", "y = 2\n")]


def test_fences_in_lists_and_quotes_and_a_message_of_bare_code():
    assert code_blocks("1. fix this\n\n   ```python\n   x = 1\n   ```\n") == [FencedCode(None, "x = 1\n")]
    assert code_blocks("> ```python\n> x = 1\n> ```") == [FencedCode(None, "x = 1\n")]
    assert code_blocks("def f():\n    return 1") == [FencedCode(None, "def f():\n    return 1\n")]
    assert code_blocks("Please fix my code.") == [] and code_blocks("hello") == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize("line", [
    "```" + " " * MIB + "`",  # cubic for the old fence pattern
    "```" + " " * MIB + "x",
    "```python " + "a" * MIB,
    "`" * MIB,
])
def test_a_megabyte_line_is_read_not_choked_on(line):
    assert code_blocks(line) == []


@pytest.mark.timeout(60)
def test_a_megabyte_of_spaces_or_blank_lines_inside_a_block():
    [block] = code_blocks("```python\n" + " " * MIB + "x = 1\n```")
    assert block.code == "x = 1\n"
    [block] = code_blocks("```python\nx = 1\n" + "\n" * (MIB // 4) + "y = 2\n```")
    assert block.code.startswith("x = 1\n\n") and block.code.endswith("\ny = 2\n")


@pytest.mark.timeout(60)
def test_a_model_reply_with_a_fence_and_many_spaces_is_read_too():
    assert extract_code_blocks("```" + " " * MIB + "`") == []
    [block] = extract_code_blocks("```python   \nx = 1\n```   \n")
    assert block.code == "x = 1\n" and block.complete


@pytest.mark.timeout(60)
@pytest.mark.parametrize("reply", [
    "```python " + "a" * MIB + "\nx = 1\n```",  # a long info string
    "calc.py" + " " * MIB + "x\n```python\nx = 1\n```",  # a long line before the fence
    "```python\n# calc.py" + " " * MIB + "x\nx = 1\n```",  # a long first comment
])
def test_a_model_reply_with_a_long_naming_line_names_no_file(reply):
    [block] = extract_code_blocks(reply)
    assert block.path is None and block.code.endswith("x = 1\n")

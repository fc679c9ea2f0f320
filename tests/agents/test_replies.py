"""What the Coder gets out of a small model's reply: the code, the file it names, whether it was cut off."""

from __future__ import annotations

import ast
import random

import pytest

from microagent.languages.python.replies import CodeBlock, extract_code_blocks

FIXED = "def mean(values):\n    return sum(values) / len(values)\n"


@pytest.mark.parametrize("fence", ["```python", "```py", "```", "```Python", "~~~python", "```python3"])
def test_a_fenced_block_is_found_whatever_the_fence_says(fence):
    closing = fence[:3]
    reply = f"Here is the fix.\n\n{fence}\n{FIXED}{closing}\n\nThe bug was the operator."
    assert extract_code_blocks(reply) == [CodeBlock(path=None, code=FIXED, complete=True)]


@pytest.mark.parametrize("reply", [
    f"```python\n# file: calc.py\n{FIXED}```",
    f"```python\n# File: calc.py\n{FIXED}```",
    f"```python\n# calc.py\n{FIXED}```",
    f"File: calc.py\n```python\n{FIXED}```",
    f"**calc.py**\n```python\n{FIXED}```",
    f"### calc.py\n\n```python\n{FIXED}```",
    f"`calc.py`:\n```python\n{FIXED}```",
    f"Here is the corrected `calc.py`:\n```python\n{FIXED}```",
    f"```python:calc.py\n{FIXED}```",
    f"```calc.py\n{FIXED}```",
])
def test_the_file_a_block_names_is_read_and_the_naming_comment_left_out(reply):
    assert extract_code_blocks(reply) == [CodeBlock(path="calc.py", code=FIXED, complete=True)]


def test_paths_are_normalised_and_a_sentence_naming_two_files_names_neither():
    blocks = extract_code_blocks(f"# file: ./src\\calc.py\n{FIXED}")
    assert blocks[0].path == "src/calc.py"
    blocks = extract_code_blocks(f"The bug in `stats.py` comes from `words.py`:\n```python\n{FIXED}```")
    assert blocks[0].path is None


def test_several_blocks_come_back_in_order_each_with_its_file():
    reply = (
        "First the tokenizer:\n\n**words.py**\n```python\ndef tokenize(text):\n    return text.split()\n```\n"
        "Then nothing changes in stats, but for completeness:\n"
        "```python\n# file: stats.py\ndef count(text):\n    return len(tokenize(text))\n```\n"
    )
    blocks = extract_code_blocks(reply)
    assert [(b.path, b.code.splitlines()[0]) for b in blocks] == [
        ("words.py", "def tokenize(text):"), ("stats.py", "def count(text):")]


def test_blocks_in_other_languages_and_unlabelled_output_are_not_code():
    reply = (
        "Run this:\n```bash\npytest -q\n```\nYou should see:\n```\n1 passed in 0.01s\n```\n"
        "```json\n{\"a\": 1}\n```\n"
    )
    assert extract_code_blocks(reply) == []


def test_a_reply_that_is_just_code_is_taken_whole():
    assert extract_code_blocks(FIXED) == [CodeBlock(path=None, code=FIXED, complete=True)]


def test_chatty_lines_around_an_unfenced_answer_are_dropped():
    reply = f"Sure! Here's the corrected function:\n{FIXED}\nThis divides by the count instead of multiplying."
    assert extract_code_blocks(reply) == [CodeBlock(path=None, code=FIXED, complete=True)]


def test_a_one_word_or_prose_reply_holds_no_code():
    for reply in ["Sure", "42", "I cannot help with that.", "", "   \n\n"]:
        assert extract_code_blocks(reply) == []


def test_unfenced_code_that_does_not_parse_is_still_handed_over_for_the_error_message():
    blocks = extract_code_blocks("def mean(values:\n    return sum(values)\n")
    assert len(blocks) == 1 and blocks[0].code.startswith("def mean(values:")


def test_a_cut_off_block_loses_its_unfinished_last_definition():
    reply = ("```python\nimport math\n\n" + FIXED + "\n\n@staticmethod\ndef median(values):\n"
             "    ordered = sorted(values\n")
    [block] = extract_code_blocks(reply)
    assert block.complete is False
    assert block.code == "import math\n\n" + FIXED
    ast.parse(block.code)


def test_a_cut_off_block_that_parses_is_kept_whole_but_marked_incomplete():
    # Small models often just forget the closing fence at the end of the reply.
    [block] = extract_code_blocks("```python\n" + FIXED)
    assert block == CodeBlock(path=None, code=FIXED, complete=False)


def test_a_cut_off_block_with_nothing_parsable_is_returned_as_is():
    [block] = extract_code_blocks("```python\ndef mean(values):\n    return (sum(values")
    assert block.complete is False and block.code.startswith("def mean(values):")


def test_a_new_fence_opened_before_the_last_was_closed_starts_a_new_block():
    blocks = extract_code_blocks("```python\ndef a():\n    return 1\n```python\ndef b():\n    return 2\n```")
    assert [b.code for b in blocks] == ["def a():\n    return 1\n", "def b():\n    return 2\n"]


def test_a_closing_fence_glued_to_the_last_line_still_closes():
    [block] = extract_code_blocks("```python\ndef a():\n    return 1```\nDone.")
    assert block == CodeBlock(path=None, code="def a():\n    return 1\n", complete=True)


def test_windows_line_endings_and_tabs_become_plain_python():
    reply = "Fixed:\r\n```python\r\ndef mean(values):\r\n\tif not values:\r\n\t\treturn 0\r\n\treturn sum(values) / len(values)\r\n```\r\n"
    [block] = extract_code_blocks(reply)
    assert block.code == ("def mean(values):\n    if not values:\n        return 0\n"
                          "    return sum(values) / len(values)\n")
    namespace: dict = {}
    exec(block.code, namespace)
    assert namespace["mean"]([1, 2, 3]) == 2


def test_an_indented_block_is_dedented():
    reply = "1. Replace the method:\n    ```python\n    def add(self, x):\n        return x\n    ```\n"
    [block] = extract_code_blocks(reply)
    assert block.code == "def add(self, x):\n    return x\n"


HOSTILE = [
    "`" * 10_000, "```", "```python", "```python\n```", "~~~~", "(" * 20_000, "```python\n" + "(" * 5_000,
    "def f(:\n" * 2_000, "\x00def f(): pass", "```python\n\x00\n```", "\r\r\r```\r", "\t" * 100,
    "```python\n" + "@d\n" * 500, "# file: \n```python\n```", "```py:\n```", "é" * 1000 + "\n```python\nx = '€'\n```",
    "```python\n" + "def f():\n    pass\n" * 300 + "def g(\n", "\ufeffdef f():\n    return 1\n",
    "```python\n'''unclosed docstring\n", "**.py**\n```python\npass\n```",
]


@pytest.mark.parametrize("reply", HOSTILE)
def test_hostile_replies_never_raise(reply):
    for block in extract_code_blocks(reply):
        assert isinstance(block.code, str) and isinstance(block.complete, bool)


def test_random_replies_never_raise():
    rng = random.Random(20240611)
    pieces = ["```", "```python", "```py", "\n", "\r\n", "\t", " ", "def f(x):", "return x", "class A:",
              "# file: a.py", "**a.py**", "import os", "@dec", "(", ")", "'", '"', "'''", "\x00", "~~~",
              "Here is the fix:", "é", "pass", ":", "    ", "`"]
    for _ in range(400):
        reply = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        for block in extract_code_blocks(reply):
            assert isinstance(block, CodeBlock)
    for _ in range(100):
        reply = "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 300)))
        extract_code_blocks(reply)


def test_non_string_input_gives_no_blocks():
    assert extract_code_blocks(None) == []  # type: ignore[arg-type]

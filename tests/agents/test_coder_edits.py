"""The Coder asked for SEARCH/REPLACE edits where the code shown is long, through the loop with a
scripted model and the process sandbox: the prompt it sends, an edit that fixes the code, an edit
that cannot be placed said back to the next answer, and `loop.edits` choosing the form."""

import textwrap

from microagent.agents.types import RunStatus, Target, Task, TaskKind
from loop_support import make_loop

# A module long enough (over 40 lines shown) that whole definitions cost more than an edit.
LONG = "def total(items, discount=0.0):\n    amount = 0.0\n" + "".join(
    f"    # step {i}: nothing to see\n" for i in range(40)) + \
    "    for quantity, price in items:\n        amount += quantity * price\n" \
    "    return amount * discount\n"
TESTS = "from cart import total\n\n\ndef test_total():\n    assert total([(2, 5.0)], 0.25) == 7.5\n"
EDIT = textwrap.dedent("""\
    cart.py
    <<<<<<< SEARCH
        return amount * discount
    =======
        return amount * (1 - discount)
    >>>>>>> REPLACE
    """)
MISQUOTED = EDIT.replace("return amount * discount", "return amount / discount")


def write_cart(root):
    (root / "cart.py").write_text(LONG)
    (root / "test_cart.py").write_text(TESTS)


def fix(root):
    return Task(kind=TaskKind.fix, root=str(root), target=Target.parse("test_cart.py::test_total"))


def coder_calls(scripted):
    return [c for c in scripted.calls if c["model"] == "coder"]


async def test_a_long_function_is_asked_for_edits_and_an_edit_fixes_it(tmp_path, scripted):
    write_cart(tmp_path)
    scripted.load([{"model": "coder", "reply": EDIT}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path).run(fix(tmp_path))
    assert result.status == RunStatus.solved, result.message
    messages = coder_calls(scripted)[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "<<<<<<< SEARCH" in messages[0]["content"] and ">>>>>>> REPLACE" in messages[2]["content"]
    assert "SEARCH/REPLACE" in messages[-1]["content"]
    assert result.edits[0].content == LONG.replace("amount * discount", "amount * (1 - discount)")


async def test_an_edit_that_cannot_be_placed_is_said_to_the_next_answer(tmp_path, scripted):
    write_cart(tmp_path)
    scripted.load([{"model": "coder", "reply": MISQUOTED.replace("amount / discount", "price - 1")},
                   {"model": "coder", "reply": EDIT}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path).run(fix(tmp_path))
    assert result.status == RunStatus.solved, result.message
    second = coder_calls(scripted)[1]["messages"][-1]["content"]
    assert "could not be applied: cart.py: its SEARCH lines" in second and "copy them exactly" in second


async def test_whole_definitions_still_count_when_edits_were_asked_for(tmp_path, scripted):
    write_cart(tmp_path)
    whole = "```python\n# file: cart.py\n" + LONG.replace("amount * discount", "amount * (1 - discount)") + "```\n"
    scripted.load([{"model": "coder", "reply": whole}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path).run(fix(tmp_path))
    assert result.status == RunStatus.solved, result.message


async def test_edits_never_keeps_the_whole_definition_prompt(tmp_path, scripted):
    write_cart(tmp_path)
    scripted.load([{"model": "coder", "reply": EDIT}, {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path, MICROAGENT_EDITS="never").run(fix(tmp_path))
    assert result.status == RunStatus.solved  # an edit is read whatever was asked
    messages = coder_calls(scripted)[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "SEARCH" not in messages[0]["content"] + messages[-1]["content"]


async def test_a_short_module_is_asked_for_whole_definitions_unless_edits_are_always(tmp_path, scripted):
    (tmp_path / "cart.py").write_text("def total(items, discount=0.0):\n    return 0.0\n")
    (tmp_path / "test_cart.py").write_text(TESTS)
    right = "```python\n# file: cart.py\ndef total(items, discount=0.0):\n    return 7.5\n```\n"
    scripted.load([{"model": "coder", "reply": right}, {"model": "reviewer", "reply": "[]"},
                   {"model": "coder", "reply": right}, {"model": "reviewer", "reply": "[]"}])
    await make_loop(tmp_path).run(fix(tmp_path))
    await make_loop(tmp_path, MICROAGENT_EDITS="always").run(fix(tmp_path))
    auto, always = coder_calls(scripted)
    assert len(auto["messages"]) == 2 and len(always["messages"]) == 4


async def test_an_edit_without_its_divider_is_said_back_when_it_changes_nothing(tmp_path, scripted):
    write_cart(tmp_path)
    undivided = "cart.py\n<<<<<<< SEARCH\n    return amount * discount\n>>>>>>> REPLACE\n"
    scripted.load([{"model": "coder", "reply": undivided}, {"model": "coder", "reply": EDIT},
                   {"model": "reviewer", "reply": "[]"}])
    result = await make_loop(tmp_path).run(fix(tmp_path))

    assert result.status == RunStatus.solved, result.message
    second = coder_calls(scripted)[1]["messages"][-1]["content"]
    assert "has no `=======` line" in second

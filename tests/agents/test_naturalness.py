"""Mutants ordered by the model's log-likelihood of the changed line (agents/naturalness.py),
with a scorer given as a plain function; the embedded model's own scores in test_local_model."""

from microagent.agents import naturalness
from microagent.sandbox.snapshot import WorkspaceSnapshot

SOURCE = "def clamp(x, low, high):\n    if x < low:\n        return low\n    return min(x, high)\n"


def snapshot() -> WorkspaceSnapshot:
    return WorkspaceSnapshot(files={"clamp.py": SOURCE})


def changed(line: int, old: str, new: str) -> str:
    lines = SOURCE.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines)


def scorer(likes: dict[str, float], calls: list):
    async def score(prefix: str, texts: list[str]) -> list[float] | None:
        calls.append((prefix, texts))
        return [likes.get((prefix + t).splitlines()[-1].strip(), -10.0) for t in texts]
    return score


async def test_the_change_that_makes_the_line_likelier_comes_first_and_ties_keep_their_order():
    queue = [("clamp.py", 2, changed(2, "<", "<="), "a"),
             ("clamp.py", 4, changed(4, "min", "max"), "b"),
             ("clamp.py", 2, changed(2, "<", ">"), "c"),
             ("clamp.py", 2, changed(2, "<", "!="), "d")]
    calls: list = []
    likes = {"if x < low:": -5.0, "if x > low:": -2.0, "if x <= low:": -5.0,
             "return min(x, high)": -3.0, "return max(x, high)": -9.0}

    ordered = await naturalness.order(queue, snapshot(), scorer(likes, calls))

    assert [item for item, _ in ordered] == ["c", "a", "d", "b"]
    assert [gain for _, gain in ordered] == [3.0, 0.0, -5.0, -6.0]
    # one call per line, top to bottom, the line as written scored first, from where the
    # texts differ (the part all share is read with the code above it)
    assert calls[0] == ("def clamp(x, low, high):\n    if x", [" < low:\n", " <= low:\n",
                                                             " > low:\n", " != low:\n"])
    assert calls[1] == ("".join(SOURCE.splitlines(keepends=True)[:3]) + "    return",
                        [" min(x, high)\n", " max(x, high)\n"])


async def test_a_model_that_cannot_score_leaves_the_localizations_order():
    queue = [("clamp.py", 2, changed(2, "<", "<="), "a"), ("clamp.py", 4, changed(4, "min", "max"), "b")]

    async def no_scores(prefix: str, texts: list[str]) -> None:
        return None

    ordered = await naturalness.order(queue, snapshot(), no_scores)

    assert ordered == [("a", None), ("b", None)]


async def test_only_the_head_is_scored_and_a_first_line_keeps_its_place():
    queue = [("clamp.py", 1, changed(1, "x, low", "low, x"), "first-line"),
             ("clamp.py", 4, changed(4, "min", "max"), "b"),
             ("clamp.py", 2, changed(2, "<", "<="), "past-the-head")]
    calls: list = []

    ordered = await naturalness.order(queue, snapshot(), scorer({"return max(x, high)": 0.0}, calls),
                                      scored=2)

    assert [item for item, _ in ordered] == ["b", "first-line", "past-the-head"]
    assert [gain for _, gain in ordered] == [10.0, None, None]  # -10 as written, 0 after
    assert len(calls) == 1  # line 1 has nothing above it; line 2 is past the head


def test_a_lines_prefix_starts_a_block_above_its_own_so_a_block_shares_it():
    source = "".join(f"line{i}\n" for i in range(1, 101))

    assert naturalness.line_prefix(source, 1, block=32) == ""
    assert naturalness.line_prefix(source, 10, block=32).startswith("line1\n")
    assert naturalness.line_prefix(source, 40, block=32).startswith("line1\n")
    assert naturalness.line_prefix(source, 70, block=32).startswith("line33\n")
    assert naturalness.line_prefix(source, 70, block=32).endswith("line69\n")
    assert naturalness.changed_line("a\nb", 2) == "b\n"

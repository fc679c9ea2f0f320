"""Mutants ordered by how natural the model finds the changed line ("Repair Is Nearly
Generation", AlphaRepair): the Coder model's log-likelihood of the line after the change, less
that of the line as written, given the code before it. One prefill and one batch per line, no
decoding. A change that makes the line likelier than the code as written comes first; the
localization's order breaks ties and rules beyond the scored head of the queue.
"""

from __future__ import annotations

import os
from typing import Awaitable, Callable, Sequence, TypeVar

from microagent.sandbox.snapshot import WorkspaceSnapshot

# (prefix, continuations) -> each continuation's log-likelihood after the prefix, or None when
# the model cannot score (a provider that gives no logprobs) or the mutants' time is up
Scorer = Callable[[str, list[str]], Awaitable["list[float] | None"]]

BLOCK = 8  # lines: a line's prefix starts one or two blocks above it, shared by its block
SCORED = 40  # mutants at the head of the queue that are scored; the rest keep their order

M = TypeVar("M")


def line_prefix(source: str, line: int, block: int = BLOCK) -> str:
    """The code above `line` (1-based) that the model reads first: from the start of the block
    before the line's own, so lines of one block share the prefix llama.cpp keeps."""
    lines = source.splitlines(keepends=True)
    start = max(0, ((line - 1) // block) * block - block)
    return "".join(lines[start:line - 1])


def changed_line(source: str, line: int) -> str:
    lines = source.splitlines(keepends=True)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text if text.endswith("\n") else text + "\n"


async def order(queue: Sequence[tuple[str, int, str, M]], snapshot: WorkspaceSnapshot,
                score: Scorer, scored: int = SCORED) -> list[tuple[M, float | None]]:
    """`queue`: (path, line, the module after the change, item), likeliest first by the
    localization. The first `scored` items re-ordered by the gain in log-likelihood of the
    changed line (stable: equal gains keep the queue's order), then the rest as they came.
    Each item comes with its gain, None where it was not scored. A line whose prefix is empty
    (the module's first line) or that the model would not score keeps its place."""
    head, rest = list(queue[:scored]), list(queue[scored:])
    by_line: dict[tuple[str, int], list[int]] = {}
    for i, (path, line, _, _) in enumerate(head):
        by_line.setdefault((path, line), []).append(i)
    gains: list[float | None] = [None] * len(head)
    for (path, line), members in sorted(by_line.items()):  # a file top to bottom: shared prefixes
        original = snapshot.text(path)
        prefix = line_prefix(original, line)
        if not prefix.strip():
            continue
        texts = [changed_line(original, line)] + [changed_line(head[i][2], line) for i in members]
        shared = _shared_head(texts)  # the same for every text: it changes no gain
        values = await score(prefix + shared, [t[len(shared):] for t in texts])
        if values is None:
            break  # the model is busy or cannot score: the localization's order stands
        for i, value in zip(members, values[1:]):
            gains[i] = value - values[0]
    ranked = sorted(range(len(head)), key=lambda i: (gains[i] is None, -(gains[i] or 0.0), i))
    return [(head[i][3], gains[i]) for i in ranked] + [(item[3], None) for item in rest]


def _shared_head(texts: list[str]) -> str:
    """What all texts begin with, cut before a space so the rest tokenizes as it would whole
    (a word's token carries the space before it)."""
    common = os.path.commonprefix(texts)
    cut = common.rfind(" ")
    return common[:cut] if cut > 0 and common[:cut].strip() else ""

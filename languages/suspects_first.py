"""The Coder's context, reordered so the functions holding the most suspicious lines come first:
the step every language's context takes last, within the same token budget."""

from __future__ import annotations

from typing import Callable

from microagent.languages.language import Piece

# (path, names to show, names the suspects add) -> the file's piece showing them
PieceOf = Callable[[str, set[str], set[str]], Piece]


def suspects_first(code: list[Piece], order: list[str], modules: dict[str, set[str]],
                   suspects: dict[str, set[str]], piece_of: PieceOf,
                   count_tokens: Callable[[str], int], spent: int, budget: int) -> list[str]:
    """Each suspect's file shown again with its suspicious functions, put first (the most
    suspicious ends first), where the budget still holds it; `code` and `modules` are updated
    in place, and the files' new order returned."""
    for path, names in reversed(list(suspects.items())):
        shown = next((i for i, p in enumerate(code) if p.path == path), None)
        used = modules.get(path, set()) | names
        piece = piece_of(path, used, names)
        before = count_tokens(code[shown].text) if shown is not None else 0
        cost = count_tokens(piece.text)
        if spent - before + cost > budget:
            continue
        spent += cost - before
        modules[path] = used
        if shown is not None:
            code.pop(shown)
        code.insert(0, piece)
        order = [path] + [p for p in order if p != path]
    return order

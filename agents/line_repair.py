"""Line repair: for a small bug in code that exists, ask which line is wrong and how it should
read, a few times, and let the tests choose among the answers.

An answer is one line, so a sample costs a few tokens where a whole function costs hundreds,
and a small model cannot echo the function back unchanged or drift into its docstring. The
loop supplies the model call and tests each change (`proposals`); the rest is pure.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import AsyncGenerator, Awaitable, Callable

from microagent.languages.python.context import Context, docstrings
from microagent.languages.python.parsed import FUNCTIONS, first_line, is_test_file, parse_module, parse_error

MAX_LINES = 150  # numbered lines shown; beyond that the whole-function Coder does the work
FEEDBACK_MARKER = "What happened when the tests ran:"

_ANSWER = re.compile(r"(?:(?P<path>[\w./-]+\.py)\s*,?\s*)?\bline\s+(?P<n>\d+)\s*[:.)-]\s*"
                     r"(?P<code>.+?)\s*$", re.I | re.M)
_FRAME = re.compile(r"^\s*(?P<path>[\w./-]+\.py):(?P<n>\d+): in ", re.M)  # pytest's short traceback
MISCOUNT = 3  # how far from its stated number a line the answer quotes is looked for


@dataclass(frozen=True)
class Region:
    """A definition shown with its file's own line numbers."""
    path: str
    start: int  # 1-based number of the first line
    lines: tuple[str, ...]

    @property
    def end(self) -> int:
        return self.start + len(self.lines) - 1


@dataclass(frozen=True)
class LineEdit:
    path: str
    number: int
    code: str


def regions(context: Context, files: dict[str, str]) -> list[Region]:
    """The definitions the failing tests reach, in the current version of each file."""
    found: list[Region] = []
    for piece in context.code:
        source = files.get(piece.path)
        if source is None or is_test_file(piece.path):
            continue
        tree = parse_module(source)
        if tree is None:
            continue
        lines = source.splitlines()
        wanted = set(piece.names)
        for owner, node in _definitions(tree):
            if wanted and not wanted & {node.name, owner, f"{owner}.{node.name}"}:
                continue
            first = first_line(node)
            found.append(Region(piece.path, first, tuple(lines[first - 1:node.end_lineno])))
    if sum(len(r.lines) for r in found) > MAX_LINES:
        return []
    return found


def messages(shown: list[Region], feedback: str) -> list[dict]:
    paths = sorted({r.path for r in shown})
    code = []
    for path in paths:
        body = "\n\n".join("\n".join(f"{r.start + i:>4} | {text}" for i, text in enumerate(r.lines))
                           for r in shown if r.path == path)
        code.append(f"### {path}\n```\n{body}\n```\n")
    form = "line 12: return a + b" if len(paths) == 1 else f"{paths[0]} line 12: return a + b"
    user = ("A test fails because one line of this code is wrong.\n\n" + "\n".join(code) +
            f"\n{FEEDBACK_MARKER}\n\n{feedback.strip()}\n\n"
            "Find the wrong line. Answer with its number and the corrected line, like this:\n"
            f"{form}")
    return [{"role": "user", "content": user}]


def suspects(shown: list[Region], named: list[LineEdit],
             raised: list[tuple[str, int]] = ()) -> list[tuple[str, int, str]]:
    """(path, number, text) of each line a one-line fix could be in: the lines the model named
    first, then those the tracebacks pass through, then every other statement line of the
    shown definitions, in order."""
    lines = []
    for region in shown:
        skip = _docstring_lines(region)
        for number, text in enumerate(region.lines, region.start):
            body = text.strip()
            if number in skip or not body or body.startswith(("#", "@", "def ", "async def ")) or \
                    body in ("else:", "try:", "finally:", "pass"):
                continue
            lines.append((region.path, number, text))
    first = {(e.path, e.number) for e in named}
    then = list(raised)
    return sorted(lines, key=lambda line: (line[:2] not in first,
                                           then.index(line[:2]) if line[:2] in then else len(then)))


def rewrite_messages(shown: list[Region], feedback: str, number: int, text: str) -> list[dict]:
    """Line `number` is said to be wrong: ask for that line only, written differently. The
    prompt starts as `messages` does, so the model's cache serves the shared part."""
    [prompt] = messages(shown, feedback)
    head = prompt["content"].rsplit("\n\nFind the wrong line.", 1)[0]
    return [{"role": "user", "content": f"{head}\n\nLine {number} is wrong: `{text.strip()}`\n"
             f"Write line {number} correctly. Reply with the corrected line only; it must "
             "differ from the current one."}]


def parse_line(reply: str) -> str | None:
    """The one line of code in an answer to `rewrite_messages`: the first line of its fenced
    block if it has one; else, in prose (`` `x = 1` should be `x = 2` ``), the last code span;
    else its first line."""
    fenced = re.search(r"```[\w+-]*\n(.*?)(?:```|$)", reply, re.S)
    spans = re.findall(r"`([^`\n]+)`", reply)
    if fenced:
        lines = fenced.group(1).splitlines()
    elif spans:
        lines = [spans[-1]]
    else:
        lines = reply.splitlines()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("```"):
            continue
        line = re.sub(r"^(?:[\w./-]+\.py\s*,?\s*)?line\s+\d+\s*[:.)-]\s*", "", line, flags=re.I)
        line = line.strip().strip("`").strip()
        return line or None
    return None


def parse(reply: str, shown: list[Region]) -> list[LineEdit]:
    """Every `line N: code` in the answer that points into the code shown. A small model often
    miscounts by a line or two while quoting the line it means (as it reads, or corrected): the
    number is moved to the nearby line the code resembles far more than line N."""
    edits = []
    for match in _ANSWER.finditer(reply):
        number, code = int(match["n"]), match["code"].strip().strip("`").rstrip()
        inside = [r for r in shown if r.start <= number <= r.end
                  and (not match["path"] or r.path.endswith(match["path"].lstrip("./")))]
        if inside and code.strip():
            edits.append(LineEdit(inside[0].path, _meant(inside[0], number, code.strip()),
                                  code.strip()))
    return edits


def _meant(region: Region, number: int, code: str) -> int:
    """The line an answer `line <number>: <code>` means: `number`, unless a line at most
    MISCOUNT away reads like `code` (ratio >= 0.75) and clearly more so than line `number`."""
    def likeness(n: int) -> float:
        return SequenceMatcher(None, region.lines[n - region.start].strip(), code).ratio()

    near = range(max(region.start, number - MISCOUNT), min(region.end, number + MISCOUNT) + 1)
    best = max(near, key=lambda n: (likeness(n), -abs(n - number)))
    return best if likeness(best) >= 0.75 and likeness(best) > likeness(number) + 0.15 else number


def raised_at(feedback: str, shown: list[Region]) -> list[tuple[str, int]]:
    """(path, number) of the shown lines the failing tests' tracebacks pass through, in order."""
    found = []
    for match in _FRAME.finditer(feedback):
        number, path = int(match["n"]), match["path"].lstrip("./")
        for region in shown:
            if region.start <= number <= region.end and \
                    (region.path == path or region.path.endswith("/" + path)):
                if (region.path, number) not in found:
                    found.append((region.path, number))
    return found


def apply(source: str, edit: LineEdit) -> str | None:
    """The file with line `edit.number` replaced (its indentation kept), or None when that
    changes nothing or does not parse."""
    lines = source.splitlines(keepends=True)
    if not 1 <= edit.number <= len(lines):
        return None
    old = lines[edit.number - 1]
    body = old.rstrip("\r\n")
    indent = body[: len(body) - len(body.lstrip())]
    new = indent + edit.code + old[len(body):] if old[len(body):] else indent + edit.code
    if new.strip() == old.strip():
        return None
    changed = "".join(lines[: edit.number - 1] + [new] + lines[edit.number:])
    return changed if parse_error(changed) is None else None


# (messages, strategy, hot) -> (entry, text); hot: sample instead of the greedy answer
Ask = Callable[[list[dict], str, bool], Awaitable[tuple[dict, str]]]
# yields (entry, {path: content}); is sent back whether the tests passed on it
Proposals = AsyncGenerator[tuple[dict, dict[str, str]], "bool | None"]


async def proposals(shown: list[Region], files: dict[str, str], feedback: str, tries: int,
                    ask: Ask, as_code: Callable[[str], list[dict[str, str]]]) -> Proposals:
    """Ask which line is wrong, then have lines rewritten one at a time (the named ones first),
    each change yielded to be tested, until one passes: a small model that cannot see its bug in
    a whole function often writes the right line once told which line to write. An answer given
    as code instead of `line N: ...` goes through `as_code`, the Coder's own reading. `tries`
    lines are rewritten greedily (the named ones, then those the tracebacks pass through, then the
    rest in order); then each of them is asked once more, sampled, in the same order: a greedy
    rewrite of the right line can be wrong where a sampled one is not."""
    entry, text = await ask(messages(shown, feedback), "line", False)
    named = parse(text, shown)
    changes = [{e.path: changed} for e in named if (changed := apply(files[e.path], e)) is not None]
    for change in changes if named else as_code(text):
        if (yield entry, change):
            return
    order = suspects(shown, named, raised_at(feedback, shown))[:tries]
    for suspect in order:
        entry, change = await _rewrite(shown, files, feedback, suspect, False, ask)
        if change is not None and (yield entry, change):
            return
    for suspect in order:
        entry, change = await _rewrite(shown, files, feedback, suspect, True, ask)
        if change is not None and (yield entry, change):
            return


async def _rewrite(shown: list[Region], files: dict[str, str], feedback: str,
                   suspect: tuple[str, int, str], hot: bool,
                   ask: Ask) -> tuple[dict, dict[str, str] | None]:
    """One line rewritten: the changed file, or None when it came back unchanged or unusable."""
    path, number, current = suspect
    entry, text = await ask(rewrite_messages(shown, feedback, number, current), "line-rewrite", hot)
    code = parse_line(text)
    changed = apply(files[path], LineEdit(path, number, code)) if code else None
    if changed is None:
        entry["problem"] = f"line {number} came back unchanged or not valid Python"
        return entry, None
    return entry, {path: changed}


def _docstring_lines(region: Region) -> set[int]:
    tree = parse_module(textwrap.dedent("\n".join(region.lines)))
    if tree is None:
        return set()
    return {number for _, doc in docstrings(tree)
            for number in range(region.start + doc.lineno - 1, region.start + doc.end_lineno)}


def _definitions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(class name or "", function) for module functions and methods."""
    found = []
    for node in tree.body:
        if isinstance(node, FUNCTIONS):
            found.append(("", node))
        elif isinstance(node, ast.ClassDef):
            found.extend((node.name, n) for n in node.body if isinstance(n, FUNCTIONS))
    return found

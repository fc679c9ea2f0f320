"""The Coder: asks its model for replacement definitions and splices them into the files.

It never edits a test file, and it never lets an answer that does not parse reach the sandbox:
a bad answer becomes feedback for the next round.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from microagent.languages.python.context import Context, code_piece, docstrings
from microagent.languages.python.parsed import defined_names, is_test_file, parse_error
from microagent.agents.models.client import Completion, ModelClient
from microagent.agents.role_prompts import RolePrompts, prompt_text
from microagent.languages.python.partial_classes import complete_partial_classes
from microagent.languages.python.replies import CodeBlock, extract_code_blocks
from microagent.languages.python.splice import splice_definitions
from microagent.sandbox.types import WorkspaceSnapshot


@dataclass
class Candidate:
    files: dict[str, str] = field(default_factory=dict)  # path -> new content
    problem: str | None = None  # why the answer could not be used, as feedback


class Coder:
    role = "coder"

    def __init__(self, client: ModelClient) -> None:
        self.client = client
        self.prompts = RolePrompts(self.role, "fix", "implement")
        self.plain = prompt_text("coder_plain")

    def messages(self, kind: str, context: Context, code: dict[str, str], feedback: str) -> list[dict]:
        """The prompt: the failing tests, the current code under test, the feedback."""
        tests = "".join(f"### {p.path}\n```python\n{p.text.rstrip()}\n```\n" for p in context.tests)
        shown = []
        for piece in context.code:
            text = piece.text
            if piece.path in code:  # the version being repaired, in the same view
                text = code_piece(piece.path, code[piece.path], piece.names).text if piece.names \
                    else code[piece.path]
            shown.append(f"### {piece.path}\n```python\n{text.rstrip()}\n```\n")
        for path, name in sorted({(p, n) for n, p in context.missing.items()}):
            if path not in code and not any(s.startswith(f"### {path}\n") for s in shown):
                shown.append(f"### {path}\n(this file does not exist yet)\n")
        targets = ", ".join(context.target_files[:3]) or "the code"
        return self.prompts.chat(
            "implement" if kind == "implement" or context.missing else "fix",
            tests=tests, code="".join(shown) or "(none found)\n", feedback=_feedback_section(feedback),
            targets=targets, names=", ".join(sorted(context.missing)) or ", ".join(context.wanted_names))

    def plain_messages(self, code: str) -> list[dict]:
        """The plain prompt for code whose docstrings are its whole spec: the module and one
        instruction, no role prompt, no tests (EvalPlus's instruction for chat models)."""
        return [{"role": "user", "content": self.plain.substitute(code=code.strip())}]

    async def propose(self, messages: list[dict], temperature: float | None = None,
                      seed: int | None = None) -> Completion:
        return await self.client.complete(self.role, messages, temperature=temperature, seed=seed)

    def apply(self, reply: str, snapshot: WorkspaceSnapshot, context: Context,
              current: dict[str, str]) -> Candidate:
        """Splice the reply's definitions into the current files; never into a test file."""
        blocks = [b for b in _split_files(extract_code_blocks(reply)) if b.code.strip()]
        if not blocks:
            return Candidate(problem="Your answer held no Python code. Reply with one ```python "
                                     "block holding the complete changed definitions.")
        files: dict[str, str] = {}
        for block in blocks:
            path = self._target(block.path, block.code, snapshot, context)
            if path is None and block.path:
                return Candidate(problem=f"You changed {block.path}, a test file. Tests must not "
                                         "change: change the code under test instead.")
            if path is None:
                return Candidate(problem="Say which file the code belongs to: start the block "
                                         "with `# file: <path>`.")
            source = files.get(path, current.get(path, snapshot.file_text(path)))
            result = splice_definitions(source, complete_partial_classes(source, block.code))
            if result.error:
                return Candidate(problem=f"Your code for {path} is not valid Python ({result.error}). "
                                         "Reply with complete, valid definitions.")
            files[path] = result.content
        changed = {p: c for p, c in files.items() if c != current.get(p, snapshot.file_text(p))}
        if not changed:
            return Candidate(problem="Your answer changed nothing. The tests still fail: change "
                                     "the code under test.")
        if all(_same_code(c, current.get(p, snapshot.file_text(p))) for p, c in changed.items()):
            return Candidate(problem="Your answer changed only comments, docstrings or layout. "
                                     "The tests still fail: change what the code does.")
        for path, content in changed.items():
            error = parse_error(content)
            if error:
                return Candidate(problem=f"{path} {error}")
        return Candidate(files=changed)

    def _target(self, named: str | None, code: str, snapshot: WorkspaceSnapshot,
                context: Context) -> str | None:
        if named:
            named = named.strip().lstrip("./")
            if is_test_file(named) and named in snapshot.files:
                return None
            if named in snapshot.files or named in context.target_files:
                return named
        defined = defined_names(code)
        for path in context.target_files:  # the file that already defines these names
            if path in snapshot.files and defined & defined_names(snapshot.text(path)):
                return path
        for name in defined:
            if name in context.missing:
                return context.missing[name]
        non_tests = [p for p in context.target_files if not is_test_file(p)]
        return non_tests[0] if non_tests else (named if named and not is_test_file(named) else None)


_FILE_LINE = re.compile(r"^#\s*file:\s*(\S+)\s*$", re.M)


def _split_files(blocks: list[CodeBlock]) -> list[CodeBlock]:
    """One fenced block holding several `# file: path` sections becomes one block per file."""
    out: list[CodeBlock] = []
    for block in blocks:
        marks = list(_FILE_LINE.finditer(block.code))
        if not marks:
            out.append(block)
            continue
        head = block.code[: marks[0].start()]
        if head.strip():
            out.append(CodeBlock(path=block.path, code=head, complete=block.complete))
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(block.code)
            out.append(CodeBlock(path=mark.group(1), code=block.code[mark.end():end].lstrip("\n"),
                                 complete=block.complete))
    return out


def _same_code(new: str, old: str) -> bool:
    """True when two versions differ only in comments, docstrings and layout. It strips the
    docstrings from its own trees, so it parses its own copies rather than the shared ones."""
    try:
        trees = [ast.parse(new), ast.parse(old)]
    except SyntaxError:
        return False
    for tree in trees:
        for owner, doc in docstrings(tree):
            owner.body = owner.body[1:] or [ast.Pass()]
    return ast.dump(trees[0]) == ast.dump(trees[1])


def _feedback_section(feedback: str) -> str:
    """The test output under its heading; nothing when there is none."""
    return f"\nWhat happened when the tests ran:\n\n{feedback.strip()}\n" if feedback.strip() else ""


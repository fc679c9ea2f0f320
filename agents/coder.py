"""The Coder: asks its model for replacement definitions or SEARCH/REPLACE edits and applies
them to the files, in the language of the run (`Language.coding`: the prompts' words, how a
reply's blocks are read and spliced, the parse check).

It never edits a test file, and it never lets an answer that does not parse reach the sandbox:
a bad answer becomes feedback for the next round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from microagent.agents.models.client import Completion, ModelClient
from microagent.agents.role_prompts import RolePrompts, prompt_text
from microagent.agents.search_replace import apply_block, edit_blocks, has_edit_blocks
from microagent.languages.language import CodeBlock, Coding, Context
from microagent.languages.python.coding import CODING as PYTHON
from microagent.sandbox.types import WorkspaceSnapshot


EditAnswers = Literal["auto", "always", "never"]
# Lines of code shown (fences and headings included) from which "auto" asks for edits: whole
# definitions of that much code cost more to decode than a few quoted lines and their change.
EDITS_FROM_LINES = 40


@dataclass
class Candidate:
    files: dict[str, str] = field(default_factory=dict)  # path -> new content
    problem: str | None = None  # why the answer could not be used, as feedback


class Coder:
    role = "coder"

    def __init__(self, client: ModelClient, edits: EditAnswers = "auto",
                 coding: Coding = PYTHON) -> None:
        self.client = client
        self.coding = coding
        self.prompts = RolePrompts(coding.prompts, "fix", "implement")
        self.edit_prompts = RolePrompts(coding.edit_prompts, "fix")
        # One worked example as a turn of the chat: a 1.5B model told the format in words alone
        # answered with the whole file or with nothing; shown one answer, it writes edits.
        example = coding.edit_prompts + "_example_"
        self.edit_example = [{"role": "user", "content": prompt_text(example + "user").template},
                             {"role": "assistant", "content": prompt_text(example + "reply").template}]
        self.plain = prompt_text("coder_plain")
        self.edits = edits if coding.edits is None else coding.edits
        self._file_line = re.compile(rf"^{re.escape(coding.comment)}\s*file:\s*(\S+)\s*$", re.M)

    def speaking(self, coding: Coding) -> "Coder":
        """This Coder for a run in another language (the same model and settings)."""
        if coding is self.coding:
            return self
        return Coder(self.client, self.edits, coding)

    def messages(self, kind: str, context: Context, code: dict[str, str], feedback: str) -> list[dict]:
        """The prompt: the failing tests, the current code under test, the feedback."""
        fence = self.coding.fence_for
        tests = "".join(f"### {p.path}\n```{fence(p.path)}\n{p.text.rstrip()}\n```\n"
                        for p in context.tests)
        shown = []
        for piece in context.code:
            text = piece.text
            if piece.path in code:  # the version being repaired, in the same view
                text = self.coding.focused(piece.path, code[piece.path], piece.names) \
                    if piece.names else code[piece.path]
            shown.append(f"### {piece.path}\n```{fence(piece.path)}\n{text.rstrip()}\n```\n")
        for path, name in sorted({(p, n) for n, p in context.missing.items()}):
            if path not in code and not any(s.startswith(f"### {path}\n") for s in shown):
                shown.append(f"### {path}\n(this file does not exist yet)\n")
        targets = ", ".join(context.target_files[:3]) or "the code"
        implement = kind == "implement" or bool(context.missing)
        edits = not implement and self._edits(shown)
        messages = (self.edit_prompts if edits else self.prompts).chat(
            "implement" if implement else "fix",
            tests=tests, code="".join(shown) or "(none found)\n", feedback=_feedback_section(feedback),
            targets=targets, names=", ".join(sorted(context.missing)) or ", ".join(context.wanted_names))
        return messages[:1] + self.edit_example + messages[1:] if edits else messages

    def _edits(self, shown: list[str]) -> bool:
        """Whether a fix is asked for as SEARCH/REPLACE edits: always, never, or ("auto") where
        the code shown is long enough that whole definitions would cost more to decode."""
        if self.edits != "auto":
            return self.edits == "always"
        return sum(piece.count("\n") for piece in shown) >= EDITS_FROM_LINES

    def plain_messages(self, code: str) -> list[dict]:
        """The plain prompt for code whose docstrings are its whole spec: the module and one
        instruction, no role prompt, no tests (EvalPlus's instruction for chat models)."""
        return [{"role": "user", "content": self.plain.substitute(code=code.strip())}]

    async def propose(self, messages: list[dict], temperature: float | None = None,
                      seed: int | None = None) -> Completion:
        return await self.client.complete(self.role, messages, temperature=temperature, seed=seed)

    def apply(self, reply: str, snapshot: WorkspaceSnapshot, context: Context,
              current: dict[str, str]) -> Candidate:
        """The reply's edits, or its definitions spliced, on the current files; never a test file."""
        made = self._edited(reply, snapshot, context, current) if has_edit_blocks(reply) \
            else self._spliced(reply, snapshot, context, current)
        if isinstance(made, Candidate):
            return made
        changed = {p: c for p, c in made.items() if c != current.get(p, snapshot.file_text(p))}
        if not changed:
            return Candidate(problem="Your answer changed nothing. The tests still fail: change "
                                     "the code under test.")
        if all(self.coding.same_code(p, c, current.get(p, snapshot.file_text(p)))
               for p, c in changed.items()):
            return Candidate(problem="Your answer changed only comments, docstrings or layout. "
                                     "The tests still fail: change what the code does.")
        for path, content in changed.items():
            error = self.coding.parse_error(path, content)
            if error:
                return Candidate(problem=f"{path} {error}")
        return Candidate(files=changed)

    def _edited(self, reply: str, snapshot: WorkspaceSnapshot, context: Context,
                current: dict[str, str]) -> dict[str, str] | Candidate:
        """SEARCH/REPLACE blocks applied in order, each to the file it names, else to the first
        file shown to the Coder where its quote is found. A block that cannot be placed is left
        out (a small model often adds one that quotes a test or repeats itself); an answer none
        of whose blocks can be placed is a problem said back."""
        blocks, _ = edit_blocks(reply, self.coding.named_path)
        is_test_file = self.coding.is_test_file
        if not blocks:
            return Candidate(problem="Your edit was cut off before its `>>>>>>> REPLACE` line. "
                                     "Quote only the few lines you change.")
        files: dict[str, str] = {}
        reasons: list[str] = []
        for block in blocks:
            named = block.path.strip().lstrip("./") if block.path else None
            if named and is_test_file(named) and named in snapshot.files:
                reasons.append(f"{named} is a test file: tests must not change")
                continue
            shown = [p.path for p in context.code] + context.target_files
            paths = [p for p in dict.fromkeys(([named] if named else []) + shown)
                     if p in snapshot.files and not is_test_file(p)]
            problems: dict[str, str] = {}
            for path in paths:
                source = files.get(path, current.get(path, snapshot.file_text(path)))
                edited, problems[path] = apply_block(source, block)
                if edited is not None:
                    files[path] = edited
                    break
            else:
                why = problems.get(named or "") or (next(iter(problems.values())) if len(problems) == 1
                                                    else "no file of the code shown holds its SEARCH lines")
                reasons.append(f"{named}: {why}" if named else why)
        if not files:
            reason = reasons[0]  # a hint of the lines meant ends it on a line of code
            return Candidate(problem=f"Your edit could not be applied: {reason}"
                                     + ("" if "\n" in reason else "."))
        if not any(b.divided for b in blocks) and all(
                text == current.get(p, snapshot.file_text(p)) for p, text in files.items()):
            return Candidate(problem="Your edit has no `=======` line, so it changes nothing: "
                                     "after the SEARCH lines copied from the file, write "
                                     "`=======`, then the lines as they should be, then "
                                     "`>>>>>>> REPLACE`.")
        return files

    def _spliced(self, reply: str, snapshot: WorkspaceSnapshot, context: Context,
                 current: dict[str, str]) -> dict[str, str] | Candidate:
        """The reply's definitions spliced into the current files."""
        coding = self.coding
        blocks = [b for b in _split_files(coding.code_blocks(reply), self._file_line)
                  if b.code.strip()]
        if not blocks:
            return Candidate(problem=f"Your answer held no {coding.word} code. Reply with one "
                                     f"```{coding.fence} block holding the complete changed "
                                     "definitions.")
        files: dict[str, str] = {}
        for block in blocks:
            path = self._target(block.path, block.code, snapshot, context)
            if path is None and block.path:
                return Candidate(problem=f"You changed {block.path}, a test file. Tests must not "
                                         "change: change the code under test instead.")
            if path is None:
                return Candidate(problem="Say which file the code belongs to: start the block "
                                         f"with `{coding.comment} file: <path>`.")
            source = files.get(path, current.get(path, snapshot.file_text(path)))
            result = coding.splice(path, source, block.code)
            if result.error:
                return Candidate(problem=f"Your code for {path} is not valid {coding.word} "
                                         f"({result.error}). Reply with complete, valid definitions.")
            files[path] = result.content
        return files

    def _target(self, named: str | None, code: str, snapshot: WorkspaceSnapshot,
                context: Context) -> str | None:
        is_test_file = self.coding.is_test_file
        if named:
            named = named.strip().lstrip("./")
            if is_test_file(named) and named in snapshot.files:
                return None
            if named in snapshot.files or named in context.target_files:
                return named
        read_as = named or next(iter(context.target_files), "")  # the grammar, where it varies
        defined = self.coding.defined_names(read_as, code)
        for path in context.target_files:  # the file that already defines these names
            if path in snapshot.files and defined & self.coding.defined_names(path, snapshot.text(path)):
                return path
        for name in defined:
            if name in context.missing:
                return context.missing[name]
        non_tests = [p for p in context.target_files if not is_test_file(p)]
        return non_tests[0] if non_tests else (named if named and not is_test_file(named) else None)


def _split_files(blocks: list[CodeBlock], file_line: re.Pattern) -> list[CodeBlock]:
    """One fenced block holding several `# file: path` sections becomes one block per file."""
    out: list[CodeBlock] = []
    for block in blocks:
        marks = list(file_line.finditer(block.code))
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


def _feedback_section(feedback: str) -> str:
    """The test output under its heading; nothing when there is none."""
    return f"\nWhat happened when the tests ran:\n\n{feedback.strip()}\n" if feedback.strip() else ""


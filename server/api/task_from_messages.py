"""Reads a task out of a chat: the fenced code blocks of the user's (and earlier assistant)
messages plus the `microagent.files`, sorted into tests and code, and the kind of run they ask for.

Pure: it only reads text. It never runs the code it reads, and refuses a chat that gives
neither tests nor docstring examples to check an answer against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from microagent.agents.types import Target, TaskKind
from microagent.languages.language import Language
from microagent.languages.registry import WORKSPACE_LANGUAGE
from microagent.server.api.chat_request import Message, path_problem
from microagent.server.api.code_blocks import code_blocks
from microagent.server.api.errors import bad_request

ROLES_READ = ("user", "assistant")  # a client's system prompt may hold unrelated examples


@dataclass
class TaskFiles:
    files: dict[str, str]  # the workspace: relative path -> text
    kind: TaskKind
    target: Target  # a test file, the module (examples), or the whole workspace (all tests)
    module: str  # the file whose final code the answer shows


def task_from_messages(messages: list[Message], files: dict[str, str],
                       language: Language = WORKSPACE_LANGUAGE) -> TaskFiles:
    chat = language.chat
    workspace = dict(files)
    code_path: str | None = None
    pending_code: list[str] = []  # unnamed code blocks, named once the tests are known
    for message in messages:
        if message.role not in ROLES_READ:
            continue
        tests, code = [], []
        for block in code_blocks(message.text, chat):
            if block.path:
                problem = path_problem(block.path)
                if problem:
                    raise bad_request(f"A code block names the file {problem}: name files by "
                                      "plain relative paths such as 'calc.py'.",
                                      param="messages", code="bad_path")
                workspace[block.path] = block.code
                if not language.is_test_file(block.path):
                    code_path = block.path
            elif chat.is_test_code(block.code):
                tests.append(block.code)
            else:
                code.append(block.code)
        if tests:
            workspace[chat.default_tests] = "\n\n".join(tests)
        if code:
            pending_code = code
    _check_writable(workspace)
    test_files = sorted(filter(chat.holds_tests, workspace))
    if pending_code:
        missing = chat.missing_modules(workspace, test_files)
        code_path = missing[0] if missing else chat.default_module
        workspace[code_path] = "\n\n".join(pending_code)
    if not test_files:
        return _from_examples(workspace, code_path, language)
    module = code_path or chat.module_for_tests(workspace, test_files)
    workspace.setdefault(module, "")  # an empty module tells the Coder where the code goes
    kind = TaskKind.implement if chat.needs_writing(workspace, module, test_files) else TaskKind.fix
    return TaskFiles(workspace, kind, Target(path=test_files[0] if len(test_files) == 1 else ""),
                     module)


def _from_examples(workspace: dict[str, str], code_path: str | None,
                   language: Language) -> TaskFiles:
    candidates = [code_path] if code_path else sorted(
        p for p in workspace if p.endswith(language.suffixes))
    for path in candidates:
        if language.chat.has_examples(workspace[path]):
            return TaskFiles(workspace, TaskKind.implement, Target(path=path), path)
    if not candidates:
        raise bad_request(
            "The messages hold no code and no tests. Send the code in a ```python block, and "
            "either its tests (a pytest block with `def test_...`) or examples in its docstrings "
            "(`>>> add(2, 3)` then `5`).", param="messages", code="no_task")
    raise bad_request(
        f"There are no tests for {candidates[0]} and its docstrings hold no examples to test "
        "against. Add a pytest block (`def test_...`) or docstring examples "
        "(`>>> add(2, 3)` then `5`).", param="messages", code="no_tests")


def _check_writable(workspace: dict[str, str]) -> None:
    """Refuse what the folder could not hold: a file that is also a folder of other files.
    (Names and text were checked when the request was read: see chat_request.)"""
    folders = {str(parent) for path in workspace for parent in PurePosixPath(path).parents}
    for path in workspace:
        if path in folders:
            raise bad_request(f"{path!r} is sent both as a file and as a folder of other files.",
                              param="microagent.files", code="bad_path")



"""Python as the Coder reads and writes it (`languages.language.Coding`): ```python blocks, the
`# file:` lines that name a file, definitions spliced by `ast`, the parse check. Pure text.
"""

from __future__ import annotations

import ast

from microagent.languages.language import CodeBlock, Spliced
from microagent.languages.python import parsed
from microagent.languages.python.context import code_piece, docstrings
from microagent.languages.python.partial_classes import complete_partial_classes
from microagent.languages.python.replies import extract_code_blocks, named_path
from microagent.languages.python.splice import splice_definitions


class PythonCoding:
    fence = "python"
    word = "Python"
    comment = "#"
    prompts = "coder"
    edit_prompts = "coder_edits"
    edits = None  # as loop.edits says

    def fence_for(self, path: str) -> str:
        return self.fence

    def code_blocks(self, reply: str) -> list[CodeBlock]:
        return extract_code_blocks(reply)

    def named_path(self, line: str) -> str | None:
        return named_path(line)

    def is_test_file(self, path: str) -> bool:
        return parsed.is_test_file(path)

    def splice(self, path: str, source: str, code: str) -> Spliced:
        result = splice_definitions(source, complete_partial_classes(source, code))
        return Spliced(result.content, result.error)

    def parse_error(self, path: str, text: str) -> str | None:
        return parsed.parse_error(text)

    def defined_names(self, path: str, code: str) -> set[str]:
        return parsed.defined_names(code)

    def same_code(self, path: str, new: str, old: str) -> bool:
        """True when two versions differ only in comments, docstrings and layout. It strips
        the docstrings from its own trees, so it parses its own copies rather than the shared
        ones."""
        try:
            trees = [ast.parse(new), ast.parse(old)]
        except SyntaxError:
            return False
        for tree in trees:
            for owner, doc in docstrings(tree):
                owner.body = owner.body[1:] or [ast.Pass()]
        return ast.dump(trees[0]) == ast.dump(trees[1])

    def focused(self, path: str, source: str, names: list[str]) -> str:
        return code_piece(path, source, names).text


CODING = PythonCoding()

"""VS Code end to end on TypeScript: the extension packaged from this repository runs in a real
VS Code (code-server, in headless Chromium) on a vitest project, with the real `microagent-lsp`,
scripted models and the process sandbox. A person's steps: Ctrl+. on the failing test in
src/sum.test.ts and pick the micro-agent fix by its title (VS Code's own TypeScript quick fixes
and refactorings share the menu); the fix shows in src/sum.ts, the reviewer's comment in the
Problems panel, and after Save All vitest passes on the files on disk.

`make test` and `make e2e-vscode` install the tools (scripts/provision.sh) and run this.
"""

from __future__ import annotations

import json
import time

import pytest

from ts_session import (FAILING_LINE, FIX_TEST, FIXED, REPLIES, REVIEW_MESSAGE, SOURCE, SUM,
                        SUM_TEST, TESTS, vitest, vitest_project)
from vscode_session import CodeServer, user_settings

pytestmark = [pytest.mark.e2e, pytest.mark.node, pytest.mark.timeout(900)]


def test_quick_fix_makes_a_failing_vitest_test_in_a_ts_file_pass(vscode_extension, tmp_path):
    started = time.monotonic()
    tools_, extensions, _ = vscode_extension
    project = vitest_project(tmp_path)
    before = vitest(project)
    assert before.returncode == 1 and "1 failed | 1 passed" in before.stdout, before.stdout
    line = SUM_TEST.splitlines().index(FAILING_LINE) + 1

    with CodeServer(tools_, tmp_path, extensions, project, user_settings("process"), REPLIES) as cs:
        plan, driver = cs.drive("fix", "quick-fix-ts", source="sum.ts", test="sum.test.ts",
                                sourcePath=str(project / SOURCE), line=line, action=FIX_TEST,
                                expect=FIXED, outcome="solved")
        result = cs.finish(plan, driver)
        with cs.explained(plan, result):
            assert result["source_before"] == SUM  # what the editor showed, read right
            ours = [row for row in result["menu"] if FIX_TEST in row]
            assert len(ours) == 1, result["menu"]
            assert FIXED in result["source_text"], result["source_text"]
            assert result["progress"], "no progress notification with a Cancel button"
            assert f"Edited {SOURCE}" in result["outcome"]
            assert any(REVIEW_MESSAGE in row for row in result["problems"]), result["problems"]
            assert (project / SOURCE).read_text() == SUM.replace("a - b", "a + b")
            assert (project / TESTS).read_text() == SUM_TEST
            after = vitest(project)
            assert after.returncode == 0 and "2 passed" in after.stdout, after.stdout + after.stderr

    timings = result["timings"] | {"test_wall_s": round(time.monotonic() - started, 1)}
    print("\nVS Code TypeScript e2e timings:", json.dumps(timings), "\nmenu:", result["menu"])

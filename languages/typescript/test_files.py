"""Which TypeScript and JavaScript files are tests or test support, by their paths alone: the
files Jest and Vitest collect tests from (parsed.py says which), and the files that only serve
tests: set-up files the runners load first, manual mocks, fixtures, helpers under a test folder.
The Coder never edits them, and the Coder's context never offers them as code to fix.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from microagent.languages.typescript.parsed import SUFFIXES, TEST_FILE_GLOBS
from microagent.languages.typescript.parsed import is_test_file as holds_tests

# Folders whose files serve tests only: Jest's manual mocks, fixtures, and test folders of
# helpers (tests/helpers.ts), as languages/python/parsed.py counts a tests/ folder.
SUPPORT_FOLDERS = ("__tests__", "__mocks__", "__fixtures__", "test", "tests")
# Set-up files by the names the runners' documentation and project templates give them
# (Jest's and Vitest's `setupFiles`, create-react-app's src/setupTests.ts, Testing Library's
# test-utils), with any of the suffixes; and any `*.setup.*` (vitest.setup.ts, jest.setup.js).
SUPPORT_STEMS = frozenset({"setupTests", "setupTest", "setup-tests", "test-setup", "testSetup",
                           "test-utils", "testUtils", "test-helpers", "testHelpers"})
SUPPORT_GLOBS = tuple([f"**/{folder}/**/*{suffix}" for folder in SUPPORT_FOLDERS[1:]
                       for suffix in SUFFIXES]
                      + [f"**/{stem}{suffix}" for stem in sorted(SUPPORT_STEMS) for suffix in SUFFIXES]
                      + [f"**/*.setup{suffix}" for suffix in SUFFIXES])
GLOBS = TEST_FILE_GLOBS + SUPPORT_GLOBS


def is_test_file(path: str) -> bool:
    """A test file or a test support file (workspace-relative, with /)."""
    return holds_tests(path) or is_test_support(path)


def is_test_support(path: str) -> bool:
    pure = PurePosixPath(path)
    if pure.suffix.lower() not in SUFFIXES:
        return False
    stem = pure.name[: -len(pure.suffix)]
    return (any(folder in pure.parts[:-1] for folder in SUPPORT_FOLDERS)
            or stem in SUPPORT_STEMS or stem.endswith(".setup"))

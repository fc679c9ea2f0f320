"""What the server announces at `initialize`: every method it handles, with its options, and
every command. Declared here, with nothing but lsprotocol, so `initialize` is answered before
the feature modules (the agents' types, pydantic, the languages' parsers) are imported; they
register the real handlers on the first message after it (`features.load_features`), which
checks that they register exactly this.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

FIX = "microagent.fix"
IMPLEMENT = "microagent.implement"
REVIEW = "microagent.review"
CANCEL = "microagent.cancel"
APPLY_LAST = "microagent.applyLast"
COMMANDS = (FIX, IMPLEMENT, REVIEW, CANCEL, APPLY_LAST)

CODE_ACTION_KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite,
                     types.CodeActionKind.Source]

FEATURES: dict[str, Any] = {
    types.INITIALIZED: None,
    types.SHUTDOWN: None,
    types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS: None,
    types.WORKSPACE_DID_CHANGE_CONFIGURATION: None,
    types.TEXT_DOCUMENT_DID_CHANGE: None,
    types.TEXT_DOCUMENT_DID_SAVE: None,
    types.TEXT_DOCUMENT_DID_CLOSE: None,
    types.WORKSPACE_DID_CHANGE_WATCHED_FILES: None,
    types.TEXT_DOCUMENT_CODE_ACTION: types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS,
                                                             resolve_provider=True),
    types.CODE_ACTION_RESOLVE: None,
    types.WINDOW_WORK_DONE_PROGRESS_CANCEL: None,
}

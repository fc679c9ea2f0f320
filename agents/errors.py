"""The one error type of the agents boundary. Its message is for the person who reads it.

Every failure to reach or run a model ends here, with a sentence that says what to do.
"""

from __future__ import annotations


class ModelError(Exception):
    """A model could not be reached or used. `str(err)` is the user-facing message."""

    def __init__(self, message: str, *, model: str | None = None, kind: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.model = model
        self.kind = kind  # auth | not_found | context | timeout | rate_limit | unavailable | config | error


class ConfigError(ValueError):
    """Invalid configuration. The message names the key and what is allowed."""


def model_error_in(exc: BaseException) -> ModelError | None:
    """The ModelError behind an exception (litellm wraps what a custom provider raises)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ModelError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None

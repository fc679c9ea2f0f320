"""Errors in the OpenAI format: `{"error": {"message", "type", "param", "code"}}`.

Every refusal the API makes is an `ApiError` whose message says what to send instead; nothing
here ever puts a traceback in a response.
"""

from __future__ import annotations

import json
from typing import Mapping

from starlette.responses import Response


class ApiError(Exception):
    """A request the API refuses, with the HTTP status and the OpenAI error fields."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.headers = dict(headers or {})

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.type, "param": self.param,
                          "code": self.code}}

    def response(self, request_id: str | None = None) -> Response:
        headers = dict(self.headers)
        if request_id:
            headers["X-Request-Id"] = request_id
        # ASCII JSON: a message quoting the request's own text stays sendable even when that
        # text holds a lone surrogate, which UTF-8 cannot encode.
        return Response(json.dumps(self.body()), status_code=self.status, headers=headers,
                        media_type="application/json")


def bad_request(message: str, *, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, message, param=param, code=code)


RESTART_SECONDS = 10  # the hint for a client the shutting-down server turns away


def shutting_down() -> ApiError:
    return ApiError(503, "The server is shutting down, and the run was stopped before it finished "
                         "(nothing was applied). Send the request again once the server is back.",
                    type="server_error", code="shutting_down",
                    headers={"Retry-After": str(RESTART_SECONDS)})


def internal_error(request_id: str) -> ApiError:
    return ApiError(500, f"The server failed unexpectedly while handling request {request_id}. "
                         "Nothing was applied; retry, and if it happens again, report the request "
                         "id: the server log has the details.",
                    type="server_error", code="internal_error")

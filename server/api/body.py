"""Reads a request body without ever holding more than the cap: a declared or streamed size
past it is a 413 before any parsing happens.
"""

from __future__ import annotations

from starlette.requests import Request

from microagent.server.api.errors import ApiError


def too_large(limit: int) -> ApiError:
    return ApiError(413, f"The request body is larger than this server accepts ({limit} bytes). "
                         "Send a smaller task: fewer or smaller files.",
                    code="request_too_large")


async def read_capped_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)

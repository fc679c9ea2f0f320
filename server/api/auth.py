"""Bearer-key check for every request, as ASGI middleware: with a key configured, a request
without `Authorization: Bearer <key>` gets 401 in the OpenAI error format.

It compares in constant time and never logs or echoes the key.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from microagent.server.api.errors import ApiError


class BearerAuth:
    def __init__(self, app: ASGIApp, api_key: str | None) -> None:
        self.app = app
        self._key = api_key.encode() if api_key else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._key is None or scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        refusal = ApiError(401, "Missing or wrong API key. Send the header `Authorization: Bearer "
                                "<key>` (the openai client's api_key) with the key this server "
                                "was started with (MICROAGENT_API_KEY or --api-key).",
                           type="authentication_error", code="invalid_api_key",
                           headers={"WWW-Authenticate": "Bearer"})
        await refusal.response()(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, token = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self._key or b"")

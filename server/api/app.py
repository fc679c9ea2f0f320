"""The ASGI app: `GET /v1/models`, `POST /v1/chat/completions`, `GET /healthz`, wired from the
modules beside it. Only wiring lives here.

No response ever carries a traceback: unexpected failures are logged under a request id that
the error body names. Reading a request body into a task runs in a worker thread, never on the
event loop, so /healthz answers however large the body. `begin_shutdown(app)` (from a signal
handler) stops the runs in flight so their clients get 503 `shutting_down`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import uuid
from contextlib import asynccontextmanager
from typing import Awaitable, Callable

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from microagent.agents.config import Config
from microagent.agents.types import Event
from microagent.server.api.answer import completion
from microagent.server.api.auth import BearerAuth
from microagent.server.api.body import read_capped_body
from microagent.server.api.chat_request import ChatRequest, parse_chat_request
from microagent.server.api.disconnect import ClientGone, result_unless_disconnected
from microagent.server.api.errors import ApiError, internal_error
from microagent.server.api.model_catalog import MODELS, check_model
from microagent.server.api.run_config import run_config
from microagent.server.api.run_job import RunJob, run_job
from microagent.server.api.run_queue import RunQueue
from microagent.server.api.settings import ServeSettings
from microagent.server.api.streaming import StreamHead, stream_answer
from microagent.server.api.task_from_messages import TaskFiles, task_from_messages

log = logging.getLogger("microagent.server.api")
Handler = Callable[[Request], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """Give the request an id; refusals become OpenAI errors, surprises a logged 500."""

    @functools.wraps(handler)
    async def run(request: Request) -> Response:
        request.state.request_id = request_id = f"req_{uuid.uuid4().hex[:16]}"
        try:
            response = await handler(request)
        except ApiError as exc:
            return exc.response(request_id)
        except Exception:
            log.exception("%s: unexpected failure", request_id)
            return internal_error(request_id).response(request_id)
        response.headers["X-Request-Id"] = request_id
        return response

    return run


def engine_status(config: Config) -> dict:
    """With several Docker engines configured: each one as this server sees it (up, runs on it
    now, runs it finished and lost), so whoever runs the service sees an engine drop out."""
    if not config.sandbox.spread:
        return {}
    from microagent.sandbox.engines import engines_for

    return {"engines": engines_for(config.sandbox.engines, config.sandbox.image).status()}


def create_app(config: Config, settings: ServeSettings, *, sandbox_note: str = "") -> FastAPI:
    """`config` is the server's configuration; each request narrows it (see run_config)."""
    runs = RunQueue(settings.concurrency, settings.queue)
    started = int(time.time())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loop = asyncio.get_running_loop()
        app.state.begin_shutdown = lambda: loop.call_soon_threadsafe(runs.close)
        yield
        await runs.cancel_all()  # cancelled runs close their sandboxes, removing containers

    app = FastAPI(title="microagent", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.begin_shutdown = runs.close  # until the loop runs

    def read_task(body: bytes) -> tuple[ChatRequest, Config, TaskFiles]:
        chat = parse_chat_request(body)
        return chat, run_config(config, chat.model, chat.options, settings.max_seconds), \
            task_from_messages(chat.messages, chat.options.files)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        hint = {404: "This server offers GET /v1/models, POST /v1/chat/completions and GET /healthz.",
                405: "This path does not take that method: see GET /v1/models, POST "
                     "/v1/chat/completions, GET /healthz."}.get(exc.status_code, str(exc.detail))
        return ApiError(exc.status_code, f"{exc.detail}. {hint}", code="not_found"
                        if exc.status_code == 404 else None).response()

    @app.get("/healthz")
    @guarded
    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", **runs.stats(), "sandbox": sandbox_note,
                             **engine_status(config)})

    @app.get("/v1/models")
    @guarded
    async def list_models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [_model(name, started) for name in MODELS]})

    @app.get("/v1/models/{name}")
    @guarded
    async def get_model(request: Request) -> Response:
        name = request.path_params["name"]
        check_model(name)
        return JSONResponse(_model(name, started))

    @app.post("/v1/chat/completions")
    @guarded
    async def chat_completions(request: Request) -> Response:
        request_id = request.state.request_id
        began = time.monotonic()
        body = await read_capped_body(request, settings.max_body_bytes)
        chat, run_cfg, task = await asyncio.to_thread(read_task, body)
        events: asyncio.Queue[Event] = asyncio.Queue()
        job_spec = RunJob(request_id, task, run_cfg)
        ahead = max(0, runs.admitted - settings.concurrency + 1)  # runs it waits behind
        job = runs.start(lambda ticket: run_job(ticket, job_spec, events.put_nowait))
        log.info("%s: %s %s on %s", request_id, chat.model, task.kind.value, task.module)
        if chat.stream:
            head = StreamHead(request_id, chat.model, int(time.time()), task.module,
                              chat.include_usage, began, ahead)
            return StreamingResponse(stream_answer(job, events, head), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            result = await result_unless_disconnected(job, request.receive)
        except ClientGone:
            log.info("%s: the client left; run cancelled", request_id)
            return Response(status_code=499)
        wall = time.monotonic() - began
        log.info("%s: %s in %.1f s", request_id, result.status.value, wall)
        return JSONResponse(completion(result, request_id=request_id, model=chat.model,
                                       created=int(time.time()), module=task.module,
                                       wall_seconds=wall))

    app.add_middleware(BearerAuth, api_key=settings.api_key)
    return app


def begin_shutdown(app: FastAPI) -> None:
    """Safe from a signal handler: refuse new runs and cancel those in flight, whose waiting
    clients then get 503 `shutting_down` (streams a final error event) before the server stops."""
    app.state.begin_shutdown()


def _model(name: str, created: int) -> dict:
    return {"id": name, "object": "model", "created": created, "owned_by": "microagent",
            "description": MODELS[name]}

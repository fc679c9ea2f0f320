"""A small real OpenAI-compatible model server for the scale benchmark and the routing tests:
it answers `/v1/chat/completions` from a script (the scripted model's format, see
agents/models/scripted_model.py) and takes a fixed time per output token, as a model server
of known speed would. It serves one generation at a time unless told otherwise, as one
llama.cpp server does, so K of them are K times one.

Run: .venv/bin/python -m microagent.bench.model_server --port 8101 --script replies.json
       [--token-seconds 0.02] [--parallel 1] [--name stub-a]
It prints `listening on http://127.0.0.1:PORT/v1` once it answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import microagent.agents.models  # noqa: F401, I001 - first: litellm's price map stays offline
import litellm
import uvicorn
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse

from microagent.agents.models.scripted_model import ScriptedModel


def make_app(model: ScriptedModel, *, token_seconds: float = 0.0, parallel: int = 1,
             name: str = "stub") -> FastAPI:
    app = FastAPI()
    slots = asyncio.Semaphore(parallel)
    served: list[tuple[float, float]] = []  # (start, end) of each answered generation

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "name": name, "requests": len(served), "generations": served}

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": name, "object": "model", "owned_by": "stub"}]}

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Any:
        body = await request.json()
        messages = body.get("messages") or []
        wanted = str(body.get("model") or name)
        async with slots:
            began = time.time()
            try:
                text = await model.reply(f"scripted/{wanted.split('/')[-1]}", messages,
                                         {"temperature": body.get("temperature"),
                                          "seed": body.get("seed")})
            except litellm.BadRequestError as exc:
                return _error(400, str(exc))
            except litellm.RateLimitError as exc:
                return _error(429, str(exc))
            except Exception as exc:  # noqa: BLE001 - a scripted server error
                return _error(500, str(exc))
            words = text.split()
            await asyncio.sleep(token_seconds * len(words))
            served.append((began, time.time()))
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(words),
                 "total_tokens": prompt_tokens + len(words)}
        ident, created = f"chatcmpl-{uuid.uuid4().hex[:12]}", int(time.time())
        if body.get("stream"):
            return StreamingResponse(_chunks(ident, created, wanted, text, usage),
                                     media_type="text/event-stream")
        return {"id": ident, "object": "chat.completion", "created": created, "model": wanted,
                "system_fingerprint": name,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": text}}],
                "usage": usage}

    return app


def _chunks(ident: str, created: int, model: str, text: str, usage: dict[str, int]):
    base = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model}
    yield "data: " + json.dumps({**base, "choices": [
        {"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": None}]}) + "\n\n"
    yield "data: " + json.dumps({**base, "choices": [
        {"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage}) + "\n\n"
    yield "data: [DONE]\n\n"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "stub_error"}}, status_code=status)


@dataclass
class StubServer:
    """A model server started in its own process by `start`; `stop` kills it (a fault)."""

    name: str
    port: int
    process: subprocess.Popen

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


def wait_for_http(url: str, process: subprocess.Popen, seconds: float, what: str,
                  log: str = "") -> None:
    """Return once GET `url` answers 200; SystemExit if `process` exits or time runs out."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited" + (f"; see {log}" if log else ""))
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{what} did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(script: Path, *, name: str = "stub", token_seconds: float = 0.0,
          parallel: int = 1) -> StubServer:
    """Start a stub server on a free port and return once it answers (or raise if it died)."""
    return start_many(script, [name], token_seconds=token_seconds, parallel=parallel)[0]


def start_many(script: Path, names: list[str], *, token_seconds: float = 0.0,
               parallel: int = 1) -> list[StubServer]:
    """Start one stub server per name, side by side, and return once all answer."""
    servers = []
    for name in names:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "microagent.bench.model_server", "--port", str(port),
             "--script", str(script), "--token-seconds", str(token_seconds),
             "--parallel", str(parallel), "--name", name],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        servers.append(StubServer(name, port, process))
    for server in servers:
        line = server.process.stdout.readline()  # "listening on ..." once it answers; "" if it died
        if not line.startswith("listening"):
            for other in servers:
                other.stop()
            raise RuntimeError(f"stub model server {server.name} did not start "
                               f"(exit {server.process.poll()})")
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--script", type=Path, required=True, help="the replies, a JSON file")
    parser.add_argument("--token-seconds", type=float, default=0.0)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--name", default="stub")
    args = parser.parse_args()
    app = make_app(ScriptedModel(script=args.script), token_seconds=args.token_seconds,
                   parallel=args.parallel, name=args.name)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    server = uvicorn.Server(config)

    async def serve() -> None:
        task = asyncio.ensure_future(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        print(f"listening on http://{args.host}:{args.port}/v1", flush=True)
        await task

    asyncio.run(serve())


if __name__ == "__main__":
    main()

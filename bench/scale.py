"""The scale benchmark: `microagent serve` over K model servers and 1 or 2 Docker engines.

Simulated, so it measures the architecture rather than this machine's two cores: each model
server is bench/model_server.py (a real HTTP server in its own process) that answers the
Coder's repair after a fixed time per output token, one generation at a time, as one llama.cpp
server would; the tests run in real containers on the default engine and, with two engines, on
a second dockerd started here. For each concurrency C and K, `serve --concurrency C` gets
M = max(4, 2C) requests from C clients at once; requests per minute and p50/p95 latency.
Then two faults: a model server killed, and an engine stopped, in the middle of the requests.
Every request must end solved with the fixed code, or the benchmark fails.

Needs root (the second dockerd) and the sandbox image. Run:
  .venv/bin/python -m microagent.bench.scale [--token-seconds 0.1] [--quick]
Writes bench/results/scale.json and bench/results/scale.png.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from microagent.bench import model_server
from microagent.bench.docker_engine import DockerEngine

RESULTS = Path(__file__).parent / "results"
MICROAGENT = Path(sys.executable).with_name("microagent")
DEFAULT_ENGINE = "unix:///var/run/docker.sock"
ENGINE_ROOM = 4  # runs at once per engine
# The repair, padded with a docstring to about 80 words: the model time a call costs.
FIX = ("```python\n# file: calc.py\ndef add(a, b):\n    \"\"\"Return the sum of a and b. "
       + " ".join(["It", "adds", "two", "numbers", "and", "returns", "the", "result."] * 9)
       + "\"\"\"\n    return a + b\n```")
REPLIES = [{"match": "calc", "reply": FIX, "repeat": True}]
MESSAGE = ("The tests fail, fix calc.py.\n\n```python\n# file: calc.py\ndef add(a, b):\n"
           "    return a - b\n```\n\n```python\n# file: test_calc.py\nfrom calc import add\n\n\n"
           "def test_add():\n    assert add(2, 3) == 5\n\n\ndef test_zero():\n"
           "    assert add(0, 0) == 0\n```")
BODY = {"model": "microagent", "messages": [{"role": "user", "content": MESSAGE}]}


def start_serve(folder: Path, servers: list[model_server.StubServer], engines: list[str],
                concurrency: int, queue: int, model: str = "openai/stub",
                ) -> tuple[subprocess.Popen, str]:
    deployments = " ".join(f"{model}@{s.api_base}" for s in servers)
    env = {**os.environ, "MICROAGENT_DEPLOYMENTS": deployments,
           "MICROAGENT_SANDBOX_ENGINES": " ".join(f"{e}*{ENGINE_ROOM}" for e in engines),
           "MICROAGENT_SANDBOX_BACKEND": "docker", "MICROAGENT_REVIEW": "false",
           "MICROAGENT_API_KEY": "", "MICROAGENT_CODER_RETRIES": "3",
           "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    port = model_server.free_port()
    log = open(folder / f"serve-{port}.log", "w")
    process = subprocess.Popen(
        [str(MICROAGENT), "serve", "--port", str(port), "--concurrency", str(concurrency),
         "--queue", str(queue)], cwd=folder, env=env, stdout=log, stderr=log)
    root = f"http://127.0.0.1:{port}"
    model_server.wait_for_http(f"{root}/healthz", process, 120, "serve", log.name)
    return process, f"{root}/v1"


def body(number: int | None = None) -> dict:
    """The request; with a number, its function and test values differ from every other's, so
    no model server answers it from a cached prompt."""
    if number is None:
        return BODY
    value = number + 1  # never 0: add(2, 0) == 2 would pass on the bug too
    text = MESSAGE.replace("add", f"add_{number}").replace("(2, 3) == 5", f"(2, {value}) == {2 + value}")
    return {**BODY, "messages": [{"role": "user", "content": text}]}


async def one_request(client: httpx.AsyncClient, url: str, number: int | None = None) -> dict:
    began = time.perf_counter()
    response = await client.post(f"{url}/chat/completions", json=body(number))
    seconds = time.perf_counter() - began
    ok = response.status_code == 200
    details = response.json().get("microagent", {}) if ok else {}
    text = response.json()["choices"][0]["message"]["content"] if ok else response.text
    right = ok and details.get("status") == "solved" and "return a + b" in text
    return {"seconds": seconds, "right": right, "status": details.get("status"),
            "http": response.status_code, "error": "" if right else text[:300]}


async def load(url: str, requests: int, clients: int,
               distinct: bool = False) -> tuple[list[dict], float]:
    """`requests` requests from `clients` clients, each sending its next when one ends;
    `distinct`: each request its own function (see `body`)."""
    pending = list(range(requests))
    results: list[dict] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while pending:
            number = pending.pop()
            results.append(await one_request(client, url, number if distinct else None))

    began = time.perf_counter()
    async with httpx.AsyncClient(timeout=900) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    return results, time.perf_counter() - began


def summarize(results: list[dict], wall: float, **cell) -> dict:
    seconds = sorted(r["seconds"] for r in results)
    p95 = statistics.quantiles(seconds, n=20, method="inclusive")[18] if len(seconds) > 1 else seconds[0]
    wrong = [r for r in results if not r["right"]]
    return {**cell, "requests": len(results), "right": len(results) - len(wrong),
            "requests_per_minute": round(len(results) / wall * 60, 2),
            "p50_s": round(statistics.median(seconds), 2), "p95_s": round(p95, 2),
            "wall_s": round(wall, 1), "wrong": wrong[:3]}


def cell(folder: Path, servers, engines, concurrency: int, fault=None) -> dict:
    requests = max(4, 2 * concurrency)
    process, url = start_serve(folder, servers, engines, concurrency, queue=requests)
    try:
        asyncio.run(load(url, 1, 1))  # warm: imports, first containers
        timer = threading.Timer(fault[0], fault[1]) if fault else None
        if timer:
            timer.start()
        results, wall = asyncio.run(load(url, requests, concurrency))
        if timer:
            timer.join()
    finally:
        process.terminate()
        process.wait(60)
    return summarize(results, wall, concurrency=concurrency, deployments=len(servers),
                     engines=len(engines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--token-seconds", type=float, default=0.1,
                        help="model time per output token (the repair is ~80 tokens)")
    parser.add_argument("--quick", action="store_true", help="C=8 with K=1 and K=4 only")
    args = parser.parse_args()
    why = DockerEngine.available()
    if why:
        raise SystemExit(f"scale: {why}")
    rows, faults = [], []
    with tempfile.TemporaryDirectory(prefix="microagent-scale-") as tmp:
        folder = Path(tmp)
        script = folder / "replies.json"
        script.write_text(json.dumps({"replies": REPLIES}))
        second = DockerEngine(Path("/var/lib/microagent-scale-engine"))
        second.start()
        servers = model_server.start_many(script, [f"stub-{i}" for i in range(4)],
                                          token_seconds=args.token_seconds)
        try:
            both = [DEFAULT_ENGINE, second.url]
            grid = [(8, 1), (8, 4)] if args.quick else [(c, k) for c in (1, 2, 4, 8) for k in (1, 2, 4)]
            for concurrency, k in grid:
                row = cell(folder, servers[:k], both, concurrency)
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "wrong"}), flush=True)
            row = cell(folder, servers, [DEFAULT_ENGINE], 8)
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "wrong"}), flush=True)

            victim = model_server.start(script, name="victim", token_seconds=args.token_seconds)
            fault = cell(folder, [servers[0], victim], both, 4, fault=(3.0, victim.stop))
            faults.append({"fault": "one of 2 model servers killed 3 s into 8 requests", **fault})
            print(json.dumps(faults[-1]), flush=True)
            fault = cell(folder, servers[:2], both, 4, fault=(3.0, second.stop))
            faults.append({"fault": "one of 2 Docker engines stopped 3 s into 8 requests", **fault})
            print(json.dumps(faults[-1]), flush=True)
        finally:
            for server in servers:
                server.stop()
            second.stop()
    result = {
        "what": "microagent serve: requests per minute and latency over K model servers and "
                "1-2 Docker engines; model servers answer the repair at a fixed time per token",
        "command": " ".join(["python -m microagent.bench.scale"] + sys.argv[1:]),
        "token_seconds": args.token_seconds, "engine_room": ENGINE_ROOM,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_end": os.getloadavg()[0]},
        "rows": rows, "faults": faults,
        "scaling_k1_to_k4_at_c8": _ratio(rows),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(result, indent=2) + "\n")
    chart(rows, RESULTS / "scale.png")
    bad = [f for f in faults if f["right"] != f["requests"]] + [r for r in rows if r["right"] != r["requests"]]
    if bad:
        raise SystemExit(f"scale: {len(bad)} cell(s) had requests that did not end solved")


def _ratio(rows: list[dict]) -> float | None:
    def rpm(k):
        return next((r["requests_per_minute"] for r in rows
                     if r["concurrency"] == 8 and r["deployments"] == k and r["engines"] == 2), None)
    one, four = rpm(1), rpm(4)
    return round(four / one, 2) if one and four else None


def chart(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for k in sorted({r["deployments"] for r in rows}):
        points = sorted((r["concurrency"], r["requests_per_minute"]) for r in rows
                        if r["deployments"] == k and r["engines"] == 2)
        if points:
            ax.plot(*zip(*points), marker="o", label=f"K = {k} model server(s)")
    ax.set_xlabel("serve --concurrency")
    ax.set_ylabel("requests per minute")
    ax.set_title("microagent serve, 2 Docker engines")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    main()

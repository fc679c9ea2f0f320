"""The scale benchmark with the real embedded model: `microagent serve --concurrency 2` over two
`llama_cpp.server` processes of one thread each, against one process of two threads, on the
same requests (bench/scale.py's repair, each with its own function name and values, so no
server answers from a cached prompt). Says whether two small servers beat one bigger one on
this machine's two cores. Run with nothing else running:
  .venv/bin/python -m microagent.bench.scale_real [--requests 16]
Adds the figures to bench/results/scale.json under "real".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path


from microagent.agents.models.model_files import resolve_local_model
from microagent.bench import model_server
from microagent.bench.scale import DEFAULT_ENGINE, RESULTS, load, start_serve, summarize

MODEL = "qwen2.5-coder-1.5b"


def start_llama(path: Path, threads: int, folder: Path) -> model_server.StubServer:
    port = model_server.free_port()
    log = open(folder / f"llama-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--n_threads",
         str(threads), "--n_threads_batch", str(threads), "--n_ctx", "4096", "--port", str(port),
         "--model_alias", "qwen"], stdout=log, stderr=log)
    server = model_server.StubServer(f"llama-{threads}t", port, process)
    model_server.wait_for_http(f"{server.api_base}/models", process, 180, "llama_cpp.server",
                               log.name)
    return server


def run(folder: Path, servers: list[model_server.StubServer], requests: int, label: str) -> dict:
    process, url = start_serve(folder, servers, [DEFAULT_ENGINE], concurrency=2, queue=requests,
                               model="openai/qwen")
    try:
        results, wall = asyncio.run(load(url, requests, 2, distinct=True))
    finally:
        process.terminate()
        process.wait(60)
    return summarize(results, wall, setup=label, concurrency=2, deployments=len(servers),
                     engines=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=16)
    args = parser.parse_args()
    path = resolve_local_model(MODEL)
    rows = []
    with tempfile.TemporaryDirectory(prefix="microagent-scale-real-") as tmp:
        folder = Path(tmp)
        for label, threads, count in (("two servers, one thread each", 1, 2),
                                      ("one server, two threads", 2, 1)):
            servers = [start_llama(path, threads, folder) for _ in range(count)]
            try:
                rows.append(run(folder, servers, args.requests, label))
            finally:
                for server in servers:
                    server.stop()
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "wrong"}), flush=True)
    target = RESULTS / "scale.json"
    data = json.loads(target.read_text()) if target.exists() else {}
    data["real"] = {"what": "serve --concurrency 2 over llama_cpp.server with the embedded "
                            f"{MODEL} (Q4_K_M): two 1-thread servers against one 2-thread server",
                    "command": " ".join(["python -m microagent.bench.scale_real"] + sys.argv[1:]),
                    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg()[0],
                    "rows": rows}
    target.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()

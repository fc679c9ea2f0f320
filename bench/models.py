"""Measures the embedded models on this machine: load time, prompt processing and generation
speed, and first-token latency, on one fixed coding prompt (greedy, 128 new tokens at most).

Writes bench/results/models.json and prints a table. A measurement, never a test.
Run: .venv/bin/python bench/models.py [--runs 3] [--threads 1 2] [--models smollm2-135m ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path


from rich.console import Console
from rich.table import Table

from microagent.agents.config import machine_settings
from microagent.agents.models.llama_runner import LlamaRunner, SamplingParams
from microagent.agents.models.model_files import KNOWN_MODELS, resolve_local_model

RESULTS = Path(__file__).parent / "results" / "models.json"
MAX_NEW_TOKENS = 128

PROMPT = [
    {"role": "system", "content": (
        "You are a careful Python programmer. You fix code so that its tests pass. "
        "Reply with the complete corrected module in one ```python block and nothing else.")},
    {"role": "user", "content": '''The tests in test_intervals.py fail. Fix intervals.py.

intervals.py:
```python
def merge(intervals):
    """Merge overlapping closed intervals given as (start, end) pairs."""
    result = []
    for start, end in intervals:
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result
```

test_intervals.py:
```python
from intervals import merge

def test_touching_intervals_merge():
    assert merge([(1, 3), (3, 5)]) == [(1, 5)]

def test_unsorted_input():
    assert merge([(5, 8), (1, 2), (2, 4)]) == [(1, 4), (5, 8)]
```

pytest output:
```
FAILED test_intervals.py::test_touching_intervals_merge - assert [(1, 3), (3, 5)] == [(1, 5)]
```'''},
]


def measure(name: str, runs: int, threads: int) -> dict:
    start = time.monotonic()
    path = resolve_local_model(name, directory=machine_settings().model_dir)  # the Qwen file is assembled here on a first run
    resolve_seconds = time.monotonic() - start
    runner = LlamaRunner(path, n_ctx=4096, n_threads=threads)
    params = SamplingParams(temperature=0.0, max_tokens=MAX_NEW_TOKENS, seed=0)

    samples = []
    for _ in range(runs):
        runner.llama.reset()  # no prompt cache between runs: measure prompt processing each time
        g = runner.generate(PROMPT, params)
        generating = g.total_seconds - (g.first_token_seconds or 0.0)
        samples.append({
            "prompt_tokens": g.prompt_tokens,
            "completion_tokens": g.completion_tokens,
            "first_token_s": g.first_token_seconds,
            "prompt_tokens_per_s": g.prompt_tokens / g.first_token_seconds,
            "generation_tokens_per_s": (g.completion_tokens - 1) / generating if generating else None,
            "total_s": g.total_seconds,
            "finish_reason": g.finish_reason,
        })
    return {
        "model": name,
        "threads": threads,
        "file": str(path),
        "file_bytes": path.stat().st_size,
        "resolve_s": round(resolve_seconds, 3),
        "load_s": round(runner.load_seconds, 3),
        "prompt_tokens": samples[0]["prompt_tokens"],
        "completion_tokens": samples[0]["completion_tokens"],
        "first_token_s": _median(samples, "first_token_s"),
        "prompt_tokens_per_s": _median(samples, "prompt_tokens_per_s"),
        "generation_tokens_per_s": _median(samples, "generation_tokens_per_s"),
        "runs": samples,
        "reply": g.text,
    }


def _median(samples: list[dict], key: str) -> float | None:
    values = [s[key] for s in samples if s[key] is not None]
    return round(statistics.median(values), 3) if values else None


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in
             (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
             if line.startswith("model name")]
    cpu = names[0] if names else platform.processor()
    return {"cpu": cpu, "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "llama_cpp_python": metadata.version("llama-cpp-python"),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def show(results: dict) -> None:
    machine_info = results["machine"]
    table = Table(title=f"Embedded models on {machine_info['cpus']} CPUs, load average "
                        f"{machine_info['load_average_1m']} (median of "
                        f"{len(results['models'][0]['runs'])} runs)")
    for column in ("model", "threads", "load s", "prompt tok", "prompt tok/s", "first token s",
                   "new tok", "gen tok/s"):
        table.add_column(column, justify="left" if column == "model" else "right", no_wrap=True)
    for m in results["models"]:
        table.add_row(m["model"], str(m["threads"]), f"{m['load_s']:.2f}", str(m["prompt_tokens"]),
                      f"{m['prompt_tokens_per_s']:.0f}", f"{m['first_token_s']:.2f}",
                      str(m["completion_tokens"]), f"{m['generation_tokens_per_s']:.1f}")
    Console(width=120).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", nargs="+", type=int, default=[os.cpu_count() or 1],
                        help="llama.cpp threads; several values are measured in turn")
    parser.add_argument("--models", nargs="+", default=["smollm2-135m", "qwen2.5-coder-1.5b"],
                        choices=KNOWN_MODELS)
    parser.add_argument("--show", action="store_true", help="print the saved results only")
    args = parser.parse_args()
    if args.show:
        show(json.loads(RESULTS.read_text(encoding="utf-8")))
        return

    results = {"machine": machine(), "max_new_tokens": MAX_NEW_TOKENS, "greedy": True,
               "models": [measure(name, args.runs, threads) for name in args.models
                          for threads in args.threads]}
    results["machine"]["load_average_1m_after"] = round(os.getloadavg()[0], 2)  # others' work skews it
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    show(results)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

"""What k sampled answers cost: k answers decoded together in one llama.cpp batch (one prefill,
the prompt's cache shared) against k answers generated one after another, on the embedded model.

Run: .venv/bin/python -m microagent.bench.sampling [--k 1 4 8] [--threads 1] [--tokens 160]
Writes bench/results/sampling.json (one entry per thread count; a rerun replaces its own).
Measure with nothing else running: two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from microagent.agents.models.batch_sampler import BatchSampler
from microagent.agents.models.llama_runner import LlamaRunner, SamplingParams
from microagent.agents.models.model_files import QWEN, resolve_local_model

RESULTS = Path(__file__).parent / "results" / "sampling.json"
# A HumanEval-sized task: the shape of what the Coder is asked, not a benchmark problem.
PROMPT = [{"role": "user", "content": (
    "Complete this Python function. Answer with the whole function in one ```python block.\n\n"
    "def running_median(values: list[float]) -> list[float]:\n"
    '    """The median of values[:i + 1] for every i.\n'
    "    >>> running_median([3, 1, 2])\n"
    "    [3, 2.0, 2]\n"
    '    """\n')}]


def measure(runner: LlamaRunner, sampler: BatchSampler, k: int, tokens: int, seed: int) -> dict:
    params = SamplingParams(temperature=0.8, max_tokens=tokens, seed=seed)
    start = time.monotonic()
    batched = sampler.sample(PROMPT, k, params)
    batched_seconds = time.monotonic() - start
    start = time.monotonic()
    one_by_one = [runner.generate(PROMPT, SamplingParams(temperature=0.8, max_tokens=tokens,
                                                         seed=seed + i)) for i in range(k)]
    sequential_seconds = time.monotonic() - start
    batched_tokens = sum(g.completion_tokens for g in batched)
    sequential_tokens = sum(g.completion_tokens for g in one_by_one)
    return {
        "k": k,
        "batched": {"seconds": round(batched_seconds, 2), "tokens": batched_tokens,
                    "tokens_per_second": round(batched_tokens / batched_seconds, 2),
                    "distinct_answers": len({g.text for g in batched})},
        "sequential": {"seconds": round(sequential_seconds, 2), "tokens": sequential_tokens,
                       "tokens_per_second": round(sequential_tokens / sequential_seconds, 2)},
        "prompt_tokens": batched[0].prompt_tokens,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=160, help="answer cap per sample")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    path = resolve_local_model(QWEN)
    runner = LlamaRunner(path, n_ctx=4096, n_threads=args.threads)
    sampler = BatchSampler(runner, max_sequences=max(args.k), n_threads=args.threads)
    runner.generate(PROMPT, SamplingParams(temperature=0, max_tokens=4))  # warm both paths
    sampler.sample(PROMPT, 1, SamplingParams(temperature=0, max_tokens=4))
    rows = []
    for k in args.k:
        row = measure(runner, sampler, k, args.tokens, args.seed)
        rows.append(row)
        speedup = row["sequential"]["seconds"] / row["batched"]["seconds"]
        print(f"k={k}: batched {row['batched']['seconds']} s ({row['batched']['tokens_per_second']}"
              f" tok/s), one by one {row['sequential']['seconds']} s "
              f"({row['sequential']['tokens_per_second']} tok/s): {speedup:.2f}x")
    run = {
        "command": "python -m microagent.bench.sampling " + " ".join(
            f"--{name} {' '.join(map(str, value)) if isinstance(value, list) else value}"
            for name, value in vars(args).items()),
        "model": path.name, "threads": args.threads, "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg()[0],
        "llama_cpp_python": metadata.version("llama-cpp-python"),
        "python": platform.python_version(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": rows,
    }
    runs = json.loads(RESULTS.read_text())["runs"] if RESULTS.is_file() else []
    runs = [r for r in runs if r["threads"] != args.threads] + [run]
    RESULTS.write_text(json.dumps({"runs": sorted(runs, key=lambda r: r["threads"])}, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

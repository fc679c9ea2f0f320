"""The Reviewer on a small set of solved-looking functions with known weak spots
(bench/review-set: `mean` of an empty list, the first word of an empty string, ...; `add` has
none, nor has a `mean` whose docstring asks for a non-empty list): how many weak spots the
review reports, from the Tester's inputs run in the sandbox (grounded) and from the Reviewer
model, and every comment, so a reader can judge each.

Run: .venv/bin/python -m microagent.bench.review [--backend docker]
Writes bench/results/review.json. A comment reports a case's weak spot when it names the
exception the weak spot raises; the others are listed for reading, not scored.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from microagent.agents.config import load_config
from microagent.agents.runtime import run_task
from microagent.agents.types import Target, Task, TaskKind

SET = Path(__file__).parent / "review-set"
RESULTS = Path(__file__).parent / "results" / "review.json"
GROUNDED = "(run by the Tester)"


async def review(case: Path, config) -> dict:
    spec = json.loads((case / "case.json").read_text())
    with tempfile.TemporaryDirectory(prefix="microagent-review-") as tmp:
        for source in case.iterdir():
            if source.name != "case.json":
                shutil.copy(source, Path(tmp) / source.name)
        began = time.monotonic()
        result = await run_task(Task(kind=TaskKind.review, root=tmp, target=Target.parse(spec["target"])), config)
    comments = [{"grounded": GROUNDED in c.message, "severity": c.severity, "line": c.line,
                 "message": c.message} for c in result.comments]
    weak = spec["weak_spot"]
    hits = [c for c in comments if weak and re.search(weak, c["message"])]
    return {"case": case.name, "target": spec["target"], "weak_spot": weak,
            "reported": bool(hits), "reported_grounded": any(c["grounded"] for c in hits),
            "reported_by_model": any(not c["grounded"] for c in hits),
            "comments": comments, "status": result.status.value, "message": result.message,
            "tokens": sum(u.prompt_tokens + u.completion_tokens for u in result.usage.values()),
            "seconds": round(time.monotonic() - began, 1)}


async def run(backend: str | None) -> dict:
    config = load_config(None, {"sandbox.backend": backend} if backend else {})
    rows = []
    for case in sorted(p for p in SET.iterdir() if (p / "case.json").exists()):
        rows.append(await review(case, config))
        row = rows[-1]
        found = "no weak spot" if not row["weak_spot"] else \
            f"weak spot {'reported' if row['reported'] else 'missed'}"
        print(f"{row['case']:>12}: {found}"
              f" · {len(row['comments'])} comments ({sum(c['grounded'] for c in row['comments'])}"
              f" grounded) · {row['seconds']} s", flush=True)
    with_weak = [r for r in rows if r["weak_spot"]]
    return {
        "what": "review FILE:NAME on functions with a known weak spot (and one without)",
        "command": " ".join(["python -m microagent.bench.review"] + sys.argv[1:]),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "models": {r: getattr(config, r).model for r in ("tester", "reviewer")},
        "weak_spots": len(with_weak),
        "reported": sum(r["reported"] for r in with_weak),
        "reported_grounded": sum(r["reported_grounded"] for r in with_weak),
        "reported_by_model": sum(r["reported_by_model"] for r in with_weak),
        "model_comments": sum(not c["grounded"] for r in rows for c in r["comments"]),
        "grounded_comments": sum(c["grounded"] for r in rows for c in r["comments"]),
        # on a case with no weak spot (`add`; `mean` of a documented non-empty list) a
        # grounded comment reports what is not a weak spot
        "wrong_grounded": sum(c["grounded"] for r in rows if not r["weak_spot"]
                              for c in r["comments"]),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default=None)
    args = parser.parse_args()
    result = asyncio.run(run(args.backend))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{result['reported']}/{result['weak_spots']} weak spots reported "
          f"({result['reported_grounded']} by the Tester's inputs, {result['reported_by_model']} "
          f"by the Reviewer model); {result['model_comments']} model comments; wrote {RESULTS}")


if __name__ == "__main__":
    main()

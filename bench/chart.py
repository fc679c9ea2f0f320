"""Draws the HumanEval summaries in a results folder as one PNG: pass@1, tokens and seconds per
problem for each model and mode. Reads the summary JSON files only; never runs anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: a file only

import matplotlib.pyplot as plt  # noqa: E402

SINGLE_SHOT_REFERENCE = 0.713  # one greedy pass with a plain prompt, measured earlier (LOOP_NOTES)
LOOP_TARGET = 0.81


def load_summaries(results_dir: Path) -> list[dict]:
    summaries = []
    for path in sorted(results_dir.glob("humaneval-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("benchmark") == "HumanEval" and data.get("problems"):
            summaries.append(data)
    order = {"plain": 0, "single": 1, "loop": 2}
    return sorted(summaries, key=lambda s: (s["settings"]["coder"], order.get(s["settings"]["mode"], 9),
                                            s.get("label", "")))


def bar_panels(panels: list[tuple[str, list[float], str]], labels: list[str], colours: list[str],
               size: float) -> tuple[Any, Any]:
    """One bar chart per (title, values, number format), side by side, each bar labelled with
    its value; the same labels and colours in every panel."""
    fig, axes = plt.subplots(1, len(panels), figsize=(size * len(panels), size))
    for ax, (title, values, fmt) in zip(axes, panels):
        bars = ax.bar(range(len(values)), values, color=colours, width=0.6)
        ax.set_xticks(range(len(values)), labels, fontsize=8)
        ax.set_title(title, fontsize=10)
        for bar, value in zip(bars, values):
            ax.annotate(fmt.format(value), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes


def draw(summaries: list[dict], path: Path) -> Path | None:
    if not summaries:
        return None
    labels = [f"{s['settings']['coder'].split('/')[-1]}\n{s.get('label') or s['settings']['mode']}"
              + ("" if s["complete"] else f"\n({s['problems']}/{s['dataset_size']})")
              for s in summaries]
    palette = {"plain": "#bbbbbb", "single": "#8da0cb", "loop": "#66c2a5"}
    colours = [palette.get(s["settings"]["mode"], "#fc8d62") for s in summaries]
    panels = [("pass@1 (%)", [100 * s["pass_at_1"] for s in summaries], "{:.1f}"),
              ("tokens per problem", [s["tokens_per_problem"] for s in summaries], "{:.0f}"),
              ("seconds per problem", [s["seconds_per_problem"] for s in summaries], "{:.1f}")]
    fig, axes = bar_panels(panels, labels, colours, size=4.2)
    axes[0].axhline(100 * SINGLE_SHOT_REFERENCE, ls=":", c="grey", lw=1,
                    label=f"plain single pass {100 * SINGLE_SHOT_REFERENCE:.1f} %")
    axes[0].axhline(100 * LOOP_TARGET, ls="--", c="firebrick", lw=1,
                    label=f"loop target {100 * LOOP_TARGET:.0f} %")
    axes[0].set_ylim(0, 100)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("HumanEval (164 problems), hidden tests in the sandbox", fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def draw_results(results_dir: Path) -> Path | None:
    return draw(load_summaries(results_dir), results_dir / "humaneval.png")


# -- the repair set: microagent's modes beside the peer ------------------------------------

def load_repair(results_dir: Path) -> list[dict]:
    """One bar per repair summary and one for each peer tool in peers-repair.json:
    {label, mode, solved, of, seconds_per_task}."""
    bars = []
    for path in sorted(results_dir.glob("repair-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("benchmark") == "HumanEval repair" and data.get("tasks"):
            bars.append({"label": f"{data['settings']['coder'].split('/')[-1]}\n"
                                  f"{data.get('label') or data['settings']['mode']}",
                         "mode": data["settings"]["mode"],
                         "solved": data["solved"], "of": data["tasks"],
                         "seconds_per_task": data["seconds_per_task"]})
    order = {"single": 0, "loop": 1}
    bars.sort(key=lambda b: (order.get(b["mode"], 9), "before" not in b["label"], b["label"]))
    peers = results_dir / "peers-repair.json"
    if peers.is_file():
        summary = json.loads(peers.read_text(encoding="utf-8")).get("summary", {})
        for tool, groups in sorted(summary.items()):
            if tool != "microagent" and groups.get("repair", {}).get("of"):
                s = groups["repair"]
                bars.append({"label": f"{tool}\n(peer)", "mode": "peer", "solved": s["solved"],
                             "of": s["of"], "seconds_per_task": s["seconds_per_task"]})
    return bars


def draw_repair(results_dir: Path) -> Path | None:
    """results_dir/repair.png: solved (%) and seconds per task for each mode and the peer."""
    bars = load_repair(results_dir)
    if not bars:
        return None
    palette = {"single": "#8da0cb", "loop": "#66c2a5", "peer": "#fc8d62"}
    colours = [palette.get(b["mode"], "#bbbbbb") for b in bars]
    labels = [f"{b['label']}\n{b['solved']}/{b['of']}" for b in bars]
    panels = [("solved (%)", [100 * b["solved"] / b["of"] for b in bars], "{:.1f}"),
              ("seconds per task", [b["seconds_per_task"] for b in bars], "{:.1f}")]
    fig, axes = bar_panels(panels, labels, colours, size=5.8)
    axes[0].set_ylim(0, 100)
    fig.suptitle("HumanEval repair set: one seeded bug per problem, the task's pytest after "
                 "`fix --apply`", fontsize=10)
    fig.tight_layout()
    path = results_dir / "repair.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path

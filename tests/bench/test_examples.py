"""The examples benchmark's summary: per seed, per example, mean and range."""

from microagent.bench.examples import summarize


def test_the_summary_gives_the_spread_over_seeds():
    runs = {1: {"calc": {"solved": True, "seconds": 30.0}, "inventory": {"solved": False, "seconds": 170.0}},
            2: {"calc": {"solved": True, "seconds": 40.0}, "inventory": {"solved": True, "seconds": 150.0}},
            3: {"calc": {"solved": False, "seconds": 50.0}, "inventory": {"solved": False, "seconds": 160.0}}}
    summary = summarize(runs)
    assert summary["solved_per_seed"] == {1: 1, 2: 2, 3: 0}
    assert summary["solved"] == {"mean": 1.0, "min": 0, "max": 2}
    assert summary["by_example"]["calc"] == {"solved_by_seeds": 2, "seconds": [30.0, 40.0, 50.0]}
    assert summary["seconds_per_run"]["max"] == 170.0


def test_seeds_run_apart_are_merged(tmp_path):
    import json

    from microagent.bench.examples import merge

    for seed, solved in ((1, True), (2, False)):
        (tmp_path / f"{seed}.json").write_text(json.dumps(
            {"model": "m", "runs": {str(seed): {"calc": {"solved": solved, "seconds": 10.0}}}}))
    merged = merge([tmp_path / "1.json", tmp_path / "2.json"])
    assert merged["summary"]["solved_per_seed"] == {1: 1, 2: 0}
    assert set(merged["runs"]) == {"1", "2"} and merged["model"] == "m"

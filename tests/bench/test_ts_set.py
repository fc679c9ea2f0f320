"""bench/ts-set without a model: each task says its bug consistently, each project pins the same
runners, an npm tarball is unpacked only when its sha512 is the task's, and the overlay is laid
over it. The suites themselves run in `python -m microagent.bench.ts_set --check` (Docker)."""

import io
import json
import tarfile
from pathlib import Path, PurePosixPath

import pytest

from microagent.bench.real import BenchError, prepare, remove
from microagent.bench.ts_set import (NPM, SET, NpmTask, fetch_tarball, integrity_of, load_npm_tasks,
                                     load_small, materialize, modules_of)

SMALL = load_small()
NPM_TASKS = load_npm_tasks()
PINNED = {"vitest": "3.2.7", "jest": "30.5.2", "typescript": "5.9.3"}


def test_the_set_has_the_mix_it_promises():
    assert len(SMALL) >= 35 and len(NPM_TASKS) >= 4
    assert len({t.name for t in SMALL} | {t.name for t in NPM_TASKS}) == len(SMALL) + len(NPM_TASKS)
    suffixes = {PurePosixPath(t.file).suffix for t in SMALL}
    assert suffixes == {".ts", ".js"}
    runners = [_manifest(Path(t.folder)) for t in SMALL]
    assert {"vitest", "jest"} <= {name for m in runners for name in m["devDependencies"]}
    assert sum(m.get("type") == "module" for m in runners) > 0
    assert sum(m.get("type") != "module" for m in runners) > 0  # CommonJS under jest


@pytest.mark.parametrize("task", SMALL, ids=lambda t: t.name)
def test_each_small_task_says_its_bug_and_pins_the_shared_runners(task):
    project = Path(task.folder)
    source = (project / task.file).read_text(encoding="utf-8")
    assert task.find and task.find != task.replace and source.count(task.find) == 1
    assert 0 < len(task.expected_failing) < task.tests <= 15 and 1 <= task.modules <= 3
    module = PurePosixPath(task.file).name.split(".")[0]
    named = {PurePosixPath(node.split("::")[0]).name.split(".")[0] for node in task.expected_failing}
    assert task.cross_module == (module not in named)
    manifest = _manifest(project)
    assert all(PINNED[name] == version for name, version in manifest["devDependencies"].items())
    lock = json.loads((project / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["devDependencies"] == manifest["devDependencies"]
    assert (project / "tsconfig.json").is_file() == task.file.endswith(".ts")


@pytest.mark.parametrize("task", NPM_TASKS, ids=lambda t: t.name)
def test_each_npm_task_is_pinned_and_its_overlay_locks_the_runner(task):
    assert task.integrity.startswith("sha512-") and task.version.count(".") == 2
    assert task.find != task.replace and 0 < len(task.expected_failing) < task.tests
    manifest = _manifest(NPM / task.name)
    assert manifest["name"] == task.package and manifest["version"] == task.version
    assert manifest["devDependencies"]["jest"] == PINNED["jest"]
    lock = json.loads((NPM / task.name / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/jest"]["version"] == PINNED["jest"]


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "package.json").read_text(encoding="utf-8"))


def _tarball(path: Path, files: dict[str, str]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _task(integrity: str) -> NpmTask:
    return NpmTask(name="tiny", package="tiny", version="1.0.0", integrity=integrity,
                   file="index.js", find="a + b", replace="a - b", bug="subtracts",
                   kind="wrong-operator", tests=1, expected_failing=["index.test.js::adds"])


def test_a_cached_tarball_is_unpacked_with_its_overlay_and_copied_with_its_bug(tmp_path):
    cache = tmp_path / "cache"
    (cache / "tarballs").mkdir(parents=True)
    tarball = _tarball(cache / "tarballs" / "tiny-1.0.0.tgz", {
        "package.json": '{"name": "tiny", "devDependencies": {"mocha": "*"}}',
        "index.js": "exports.add = (a, b) => a + b\n", "index.test.js": "// the suite\n"})
    overlays = tmp_path / "npm"
    (overlays / "tiny").mkdir(parents=True)
    (overlays / "tiny" / "package.json").write_text('{"name": "tiny", "devDependencies": {"jest": "30.5.2"}}')
    task = _task(integrity_of(tarball))
    project = materialize(task, cache, overlays)
    assert "jest" in (project / "package.json").read_text() and modules_of(project) == 1
    from microagent.bench.real import RealTask

    real = RealTask(name="tiny", project="tiny", version="1.0.0", sha256="", file=task.file,
                    find=task.find, replace=task.replace, bug=task.bug, tests=1,
                    expected_failing=task.expected_failing, modules=1, folder=str(project))
    root = prepare(real)
    try:
        assert (root / "index.js").read_text() == "exports.add = (a, b) => a - b\n"
    finally:
        remove(root)
    assert (project / "index.js").read_text() == "exports.add = (a, b) => a + b\n"


def test_a_tarball_whose_integrity_differs_is_refused(tmp_path):
    (tmp_path / "tarballs").mkdir()
    _tarball(tmp_path / "tarballs" / "tiny-1.0.0.tgz", {"index.js": "1\n"})
    with pytest.raises(BenchError, match="refusing it"):
        fetch_tarball(_task("sha512-" + "A" * 86 + "=="), tmp_path)


def test_an_overlay_that_is_missing_is_named(tmp_path):
    tarball = _tarball(tmp_path / "t.tgz", {"index.js": "1\n"})
    (tmp_path / "tarballs").mkdir()
    tarball.rename(tmp_path / "tarballs" / "tiny-1.0.0.tgz")
    task = _task(integrity_of(tmp_path / "tarballs" / "tiny-1.0.0.tgz"))
    with pytest.raises(BenchError, match="is missing"):
        materialize(task, tmp_path, tmp_path / "no-overlays")


def test_the_set_folder_holds_only_tasks_and_the_npm_list():
    others = [p.name for p in SET.iterdir() if not (p / "bug.toml").is_file() and p.name != "npm"]
    assert others == ["README.md"] or others == []

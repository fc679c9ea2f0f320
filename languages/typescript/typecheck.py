"""TypeScript's type checker as a check on a candidate: `tsc --noEmit` on a workspace folder, its
errors as records, and which of them a change brought into the files it changed. Starts tsc only
through the runner it is handed, and never raises for what tsc, node or the workspace does: a
missing compiler, a timeout or a crash is a status of the result.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, Sequence

from microagent.sandbox.test_runner import Ended

DEFAULT_TIMEOUT = 60.0
DEFAULT_TSCONFIG = "tsconfig.json"
PROJECT_TYPESCRIPT = "node_modules/typescript"  # the project's own compiler, when installed
TSC_SCRIPT = "bin/tsc"
# tsc's own exit statuses: success, diagnostics (outputs skipped or generated), invalid project,
# project reference cycle. Anything else (a signal, 134 for out of memory) is not tsc's verdict.
TSC_EXITS = range(0, 5)
INCREMENTAL_SINCE = (4, 0)  # older tsc refuses --incremental with --noEmit
FEEDBACK_ERRORS = 5
FEEDBACK_CHARS = 1500
MESSAGE_CHARS = 400
OUTPUT_TAIL = 2000

# `src/a.ts(2,14): error TS2322: Type 'string' is not assignable to type 'number'.`, or without
# a place (`error TS18003: No inputs were found...`); continuation lines are indented.
ERROR_LINE = re.compile(
    r"^(?:(?P<path>[^\s].*?)\((?P<line>\d+),(?P<column>\d+)\): )?"
    r"(?P<category>error|warning|message) TS(?P<code>\d+): (?P<message>.*)$"
)


class Status(str, Enum):
    checked = "checked"  # tsc ran to its end; `errors` is all it found
    no_tsconfig = "no_tsconfig"  # nothing to check: the project has no tsconfig
    no_compiler = "no_compiler"  # no node, or no tsc in the project nor ours
    timed_out = "timed_out"
    crashed = "crashed"  # tsc ended without a verdict we can read


@dataclass(frozen=True)
class TsError:
    """One error: `path` relative to the workspace ("" for an error about the whole project),
    `message` with tsc's indented explanation lines after a newline."""

    path: str
    line: int
    column: int
    code: int
    message: str

    @property
    def key(self) -> tuple[str, int, str]:
        """What stays the same when lines above it move: a change is blamed per key."""
        return (self.path, self.code, self.message)

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}:{self.column} " if self.path else ""
        return f"{place}TS{self.code} {self.message}"


@dataclass(frozen=True)
class TypeCheck:
    """What one tsc run said about a workspace."""

    status: Status
    errors: tuple[TsError, ...] = ()
    reason: str = ""  # why there is no verdict, or a note on it, for a person to read
    compiler: str = ""  # which tsc: "typescript 5.9.3 (the project's)"
    duration: float = 0.0
    output: str = ""  # tsc's own output, for a crash's diagnosis
    truncated: bool = False  # the runner cut the output short: errors may be missing

    @property
    def ok(self) -> bool:
        return self.status is Status.checked and not self.errors

    def in_files(self, paths: Iterable[str]) -> tuple[TsError, ...]:
        wanted = {_normal(path) for path in paths}
        return tuple(error for error in self.errors if error.path in wanted)


@dataclass(frozen=True)
class Ran:
    """How a process ended, as `sandbox.test_runner.Ended` has it."""

    output: str
    exit_code: int | None
    timed_out: bool = False
    duration: float = 0.0
    truncated: bool = False


# Runs argv in a folder within a time limit; raises OSError only when it cannot start it.
RunProcess = Callable[[Sequence[str], Path, float], Ended]


def run_on_host(argv: Sequence[str], cwd: Path, timeout: float) -> Ran:
    """The default runner: a host process in its own session, killed with its group on timeout."""
    started = time.monotonic()
    proc = subprocess.Popen(list(argv), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, _ = proc.communicate()
        timed_out = True
    return Ran(output=out.decode("utf-8", "replace"), exit_code=None if timed_out else proc.returncode,
               timed_out=timed_out, duration=time.monotonic() - started)


@dataclass(frozen=True)
class TypeChecker:
    """Runs tsc on workspaces. `tsc` is our compiler (`scripts/js-runners.sh --print-tsc`),
    used when the project has no node_modules/typescript of its own; `node` runs either.

    With `build_info_dir`, runs are incremental and keep tsc's build info there, one file per
    compiler and tsconfig, shared by every workspace checked: a second run skips checking what
    has not changed, the standard library's declarations above all. Runs that overlap in time
    need their own directories. The project's compiler is workspace content: a candidate must
    not be allowed to write node_modules.
    """

    tsc: str | None = None
    node: str = "node"
    run: RunProcess = run_on_host
    timeout: float = DEFAULT_TIMEOUT
    build_info_dir: Path | None = None

    def check(self, workspace: Path, tsconfig: str | None = None) -> TypeCheck:
        """tsc's verdict on `workspace` with its tsconfig.json, or `tsconfig` (relative to the
        workspace) when the runner's configuration names another."""
        workspace = Path(workspace).resolve()
        config = _relative(tsconfig or DEFAULT_TSCONFIG, workspace)
        if config == ".." or config.startswith("../") or config.startswith("/"):
            return TypeCheck(Status.no_tsconfig, reason=f"no type check: {config} is outside the workspace")
        if not (workspace / config).is_file():
            missing = f"{config}, which the configuration names, is not in the project" \
                if tsconfig else "the project has no tsconfig.json"
            return TypeCheck(Status.no_tsconfig, reason=f"no type check: {missing}")
        compiler = self._compiler(workspace)
        if isinstance(compiler, TypeCheck):
            return compiler
        script, version, label = compiler
        argv = [self.node, script, "--noEmit", "-p", config, "--pretty", "false"]
        if self.build_info_dir is not None and version >= INCREMENTAL_SINCE:
            argv += ["--incremental", "--tsBuildInfoFile", self._build_info(script, config)]
        try:
            ran = self.run(argv, workspace, self.timeout)
        except OSError as exc:
            return TypeCheck(Status.no_compiler, compiler=label,
                             reason=f"cannot run {self.node} (install Node.js): {exc}")
        return _verdict(ran, workspace, label, self.timeout)

    def _compiler(self, workspace: Path) -> tuple[str, tuple[int, ...], str] | TypeCheck:
        """The project's tsc or ours: its script, version and a label saying which."""
        own = workspace / PROJECT_TYPESCRIPT
        if (own / TSC_SCRIPT).is_file():
            version = _version(own)
            return str(own / TSC_SCRIPT), version, f"typescript {_dotted(version)} (the project's)"
        if self.tsc and Path(self.tsc).is_file():
            version = _version(Path(self.tsc).parent.parent)
            return self.tsc, version, f"typescript {_dotted(version)} (ours)"
        ours = f"ours is not at {self.tsc}" if self.tsc else "no other was given"
        return TypeCheck(Status.no_compiler, reason=(
            f"no TypeScript compiler: the project has no {PROJECT_TYPESCRIPT} and {ours} "
            "(scripts/js-runners.sh installs it)"))

    def _build_info(self, script: str, config: str) -> str:
        assert self.build_info_dir is not None
        key = hashlib.sha256(f"{script}\0{config}".encode()).hexdigest()[:16]
        return str(Path(self.build_info_dir).resolve() / f"{key}.tsbuildinfo")


def _verdict(ran: Ended, workspace: Path, label: str, timeout: float) -> TypeCheck:
    errors = tuple(parse_tsc_output(ran.output, workspace))
    common = {"compiler": label, "duration": ran.duration, "output": ran.output[-OUTPUT_TAIL:],
              "truncated": ran.truncated}
    if ran.timed_out:
        return TypeCheck(Status.timed_out, reason=f"tsc did not finish in {timeout:g} s", **common)
    if "Cannot find module" in ran.output and not errors:
        return TypeCheck(Status.no_compiler, reason=f"node could not load tsc: "
                         f"{_first_line(ran.output, 'Cannot find module')}", **common)
    if ran.exit_code not in TSC_EXITS or (ran.exit_code and not errors):
        return TypeCheck(Status.crashed, reason=f"tsc ended with status {ran.exit_code} "
                         "and no error it could name", **common)
    note = "tsc's output was cut short: some errors may be missing" if ran.truncated else ""
    return TypeCheck(Status.checked, errors=errors, reason=note, **common)


def parse_tsc_output(output: str, workspace: Path | None = None) -> list[TsError]:
    """The errors in tsc's `--pretty false` output; warnings, summaries and other lines are
    left out. Paths become relative to `workspace` where they are inside it."""
    errors: list[TsError] = []
    current: dict | None = None
    for raw in output.splitlines():
        if current is not None and raw.startswith("  ") and raw.strip():
            current["message"] += "\n" + raw[2:].rstrip()
            continue
        if current is not None:
            errors.append(TsError(**current))
            current = None
        found = ERROR_LINE.match(raw.rstrip())
        if found and found["category"] == "error":
            current = {"path": _relative(found["path"] or "", workspace),
                       "line": int(found["line"] or 0), "column": int(found["column"] or 0),
                       "code": int(found["code"]), "message": found["message"]}
    if current is not None:
        errors.append(TsError(**current))
    return errors


@dataclass(frozen=True)
class Verdict:
    """Whether a candidate's change passes the type check: it fails when a file it changed has
    an error the original did not have."""

    checked: bool  # False: no verdict (no tsconfig, no compiler, a timeout...), see `reason`
    failed: bool
    introduced: tuple[TsError, ...] = ()  # new errors in the changed files: the candidate's
    elsewhere: tuple[TsError, ...] = ()  # new errors in files it did not change: not blamed
    reason: str = ""


def judge(before: TypeCheck, after: TypeCheck, changed: Iterable[str]) -> Verdict:
    """Compare the candidate's check (`after`) with the original's (`before`) by how many times
    each (path, code, message) occurs, since lines move. When the original could not be checked,
    every error in a changed file counts against the candidate, and the reason says so."""
    changed = {_normal(path) for path in changed}
    if after.status is not Status.checked:
        return Verdict(checked=False, failed=False, reason=after.reason or after.status.value)
    baseline = Counter(e.key for e in before.errors) if before.status is Status.checked else Counter()
    new = _beyond(after.errors, baseline)
    introduced = tuple(e for e in new if e.path in changed)
    elsewhere = tuple(e for e in new if e.path not in changed)
    notes = [] if before.status is Status.checked else [
        f"the original was not checked ({before.reason or before.status.value}), so every error "
        "in a changed file counts"]
    if introduced:
        return Verdict(checked=True, failed=True, introduced=introduced, elsewhere=elsewhere,
                       reason="; ".join([f"{len(introduced)} new type error(s) in the changed "
                                         "files"] + notes))
    if after.truncated:
        return Verdict(checked=False, failed=False, elsewhere=elsewhere,
                       reason="tsc's output was cut short: new errors in the changed files may "
                              "be missing from it")
    return Verdict(checked=True, failed=False, elsewhere=elsewhere,
                   reason="; ".join(["no new type error in the changed files"] + notes))


def feedback(errors: Sequence[TsError], limit: int = FEEDBACK_ERRORS,
             max_chars: int = FEEDBACK_CHARS) -> str:
    """The first few errors for the Coder, one `path:line:col TSnnnn message` each (its
    explanation lines indented below it), never longer than `max_chars`."""
    room = max_chars - len(f"... and {len(errors)} more") - 1
    kept: list[str] = []
    for error in errors[:limit]:
        text = str(error)
        text = (text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "...")
        text = text.replace("\n", "\n  ")
        if kept and sum(len(line) + 1 for line in kept) + len(text) > room:
            break
        kept.append(text if kept else text[:room])
    if len(kept) < len(errors):
        kept.append(f"... and {len(errors) - len(kept)} more")
    return "\n".join(kept)[:max_chars]


def _beyond(errors: Iterable[TsError], baseline: Counter) -> list[TsError]:
    """The errors left once each key's first `baseline[key]` occurrences are taken as old."""
    seen: Counter = Counter()
    new = []
    for error in errors:
        seen[error.key] += 1
        if seen[error.key] > baseline[error.key]:
            new.append(error)
    return new


def _version(package_dir: Path) -> tuple[int, ...]:
    """The version in a typescript package's package.json; (0,) when it cannot be read."""
    try:
        text = json.loads((package_dir / "package.json").read_text("utf-8"))["version"]
        return tuple(int(part) for part in re.findall(r"\d+", text)[:3])
    except (OSError, ValueError, KeyError, TypeError):
        return (0,)


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version)) if version != (0,) else "(unknown version)"


def _normal(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/")) if path else ""


def _relative(path: str, workspace: Path | None) -> str:
    path = _normal(path)
    if workspace is not None and posixpath.isabs(path):
        try:
            return Path(path).relative_to(workspace).as_posix()
        except ValueError:
            return path
    return path


def _first_line(output: str, containing: str) -> str:
    return next((line.strip() for line in output.splitlines() if containing in line), "")

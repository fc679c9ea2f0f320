"""Builds the sandbox image: from `image/Dockerfile` where a registry is reachable, otherwise
offline from a Debian mirror with debootstrap, imported into the engine as an equivalent image.

It never runs generated code and never leaves a root filesystem behind in the temp directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Sequence

import docker
import docker.errors

from microagent.sandbox.types import SandboxError

DEFAULT_IMAGE = "microagent-sandbox:py3"
BASE_IMAGE = "python:3.11-slim"
DOCKERFILE_DIR = Path(__file__).parent / "image"
DEBIAN_SUITE = "bookworm"
DEBIAN_PACKAGES = ("python3", "python3-pytest")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
RUNNER_UID = 1000

# The same configuration the Dockerfile sets, applied to the imported root filesystem.
IMAGE_CHANGES = [
    "USER 1000",
    "WORKDIR /work",
    "ENV PATH=/usr/local/bin:/usr/bin:/bin",
    "ENV LANG=C.UTF-8",
    "ENV PYTHONDONTWRITEBYTECODE=1",
    'CMD ["sleep", "infinity"]',
]

Progress = Callable[[str], None]


def _quiet(line: str) -> None:
    pass


def image_present(client: docker.DockerClient, tag: str = DEFAULT_IMAGE) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def registry_reachable(
    host: str = "registry-1.docker.io", port: int = 443, timeout: float = 2.0
) -> bool:
    """A quick guess whether `docker build` could pull its base image: can we open a socket?"""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def build_image(
    client: docker.DockerClient,
    tag: str = DEFAULT_IMAGE,
    progress: Progress = _quiet,
    *,
    online: bool | None = None,
    mirror: str | None = None,
) -> str:
    """Build the sandbox image and return its id. `online=None` decides by probing the registry."""
    if online is None:
        online = image_present(client, BASE_IMAGE) or registry_reachable()
    if online:
        try:
            return build_from_dockerfile(client, tag, progress)
        except SandboxError as exc:
            progress(f"docker build failed ({exc}); building offline with debootstrap instead")
    return build_offline(client, tag, progress, mirror=mirror)


def build_from_dockerfile(
    client: docker.DockerClient, tag: str, progress: Progress = _quiet
) -> str:
    progress(f"docker build -t {tag} {DOCKERFILE_DIR}")
    image_id = None
    try:
        chunks = client.api.build(
            path=str(DOCKERFILE_DIR), tag=tag, rm=True, forcerm=True, decode=True
        )
        for chunk in chunks:
            if "error" in chunk:
                raise SandboxError(chunk["error"].strip())
            if chunk.get("stream", "").strip():
                progress(chunk["stream"].rstrip())
            image_id = chunk.get("aux", {}).get("ID", image_id)
    except docker.errors.APIError as exc:
        raise SandboxError(str(exc)) from exc
    return image_id or client.images.get(tag).id


def build_offline(
    client: docker.DockerClient,
    tag: str,
    progress: Progress = _quiet,
    *,
    mirror: str | None = None,
    suite: str = DEBIAN_SUITE,
    packages: Sequence[str] = DEBIAN_PACKAGES,
    changes: Sequence[str] = IMAGE_CHANGES,
    add: Callable[[Path], None] | None = None,
) -> str:
    """debootstrap a minimal Debian with `packages` (python3 and pytest), add the runner user,
    and whatever `add` puts into the root filesystem (the Node image's node and npm), then
    import it with `changes`."""
    if shutil.which("debootstrap") is None:
        raise SandboxError(
            "Cannot build the sandbox image: no registry is reachable and debootstrap is not "
            "installed. Install it (apt-get install debootstrap) or build on a machine with "
            f"registry access: docker build -t {tag} {DOCKERFILE_DIR}"
        )
    if os.geteuid() != 0:
        raise SandboxError(
            "Building the sandbox image offline runs debootstrap, which needs root. "
            "Run `sudo microagent sandbox build` once."
        )
    mirror = mirror or apt_mirror()
    workdir = Path(tempfile.mkdtemp(prefix="microagent-image-"))
    rootfs, tarball = workdir / "rootfs", workdir / "rootfs.tar"
    try:
        progress(f"debootstrap {suite} from {mirror} (about two minutes)")
        _run_streaming(
            ["debootstrap", "--variant=minbase",
             *(["--include=" + ",".join(packages)] if packages else []),
             suite, str(rootfs), mirror],
            progress,
        )
        _unmount_under(rootfs)
        add_runner_user(rootfs)
        if add is not None:
            add(rootfs)
        _slim(rootfs)
        progress("packing the root filesystem")
        _run_streaming(
            ["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(tarball), "."], progress
        )
        shutil.rmtree(rootfs)
        progress(f"importing as {tag}")
        repository, version = _split_tag(tag)
        try:
            answer = client.api.import_image_from_file(
                str(tarball), repository=repository, tag=version, changes=list(changes)
            )
        except docker.errors.APIError as exc:
            raise SandboxError(f"docker import failed: {exc}") from exc
        _raise_on_error(answer)
        return client.images.get(tag).id
    finally:
        _unmount_under(rootfs)
        shutil.rmtree(workdir, ignore_errors=True)


def apt_mirror(apt_dir: Path = Path("/etc/apt"), suite: str = DEBIAN_SUITE) -> str:
    """The Debian mirror this machine's apt uses for `suite` (deb822 or one-line format)."""
    sources = sorted(apt_dir.glob("sources.list.d/*.sources")) + [apt_dir / "sources.list"]
    sources += sorted(apt_dir.glob("sources.list.d/*.list"))
    for path in sources:
        try:
            text = path.read_text()
        except OSError:
            continue
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
                suites = fields.get("Suites", "").split()
                if fields.get("Types", "").split().count("deb") and suite in suites:
                    return fields["URIs"].split()[0].rstrip("/")
        else:
            for line in text.splitlines():
                parts = re.sub(r"\[[^]]*\]", "", line).split()
                if len(parts) >= 3 and parts[0] == "deb" and parts[2] == suite:
                    return parts[1].rstrip("/")
    return DEFAULT_MIRROR


def add_runner_user(rootfs: Path, uid: int = RUNNER_UID) -> None:
    """Add user and group `runner` (uid/gid `uid`) and a /work directory it owns."""
    passwd, group = rootfs / "etc/passwd", rootfs / "etc/group"
    if not re.search(r"^runner:", passwd.read_text(), re.M):
        with passwd.open("a") as f:
            f.write(f"runner:x:{uid}:{uid}:sandbox runner:/work:/usr/sbin/nologin\n")
    if not re.search(r"^runner:", group.read_text(), re.M):
        with group.open("a") as f:
            f.write(f"runner:x:{uid}:\n")
    work = rootfs / "work"
    work.mkdir(exist_ok=True)
    os.chown(work, uid, uid)
    work.chmod(0o755)


def _slim(rootfs: Path) -> None:
    unneeded = ("var/cache/apt/archives/*.deb", "var/lib/apt/lists/*_*", "usr/share/doc/*",
                "usr/share/man/*")  # fmt: skip
    for pattern in unneeded:
        for path in rootfs.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _run_streaming(argv: list[str], progress: Progress) -> None:
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        progress(line.rstrip())
        tail = (tail + [line.rstrip()])[-20:]
    if proc.wait() != 0:
        raise SandboxError(f"{argv[0]} failed (exit {proc.returncode}):\n" + "\n".join(tail))


def _unmount_under(path: Path) -> None:
    """debootstrap mounts /proc and /sys inside the target; never rmtree through a mount."""
    try:
        mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return
    prefix = str(path.resolve()) + "/"
    for mount in sorted((m for m in mounts if m.startswith(prefix)), reverse=True):
        subprocess.run(["umount", "-l", mount], check=False, capture_output=True)


def _split_tag(tag: str) -> tuple[str, str]:
    name = tag.rsplit("/", 1)[-1]
    if ":" in name:
        repository, _, version = tag.rpartition(":")
        return repository, version
    return tag, "latest"


def _raise_on_error(answer: str) -> None:
    for line in answer.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("error"):
            raise SandboxError(f"docker import failed: {message['error']}")

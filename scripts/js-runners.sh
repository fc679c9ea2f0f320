#!/usr/bin/env bash
# Installs the JavaScript test runners the TypeScript runner tests drive (vitest, jest), pinned,
# once, into a cache keyed by their versions; the tests link a project's node_modules to it.
# Needs node and npm, and the npm registry the first time (about 1 minute, 80 MB).
#
#   scripts/js-runners.sh            install (a second run finds the marker and does nothing)
#   scripts/js-runners.sh --print    the node_modules directory the tests use, installed or not
#
# MICROAGENT_VITEST_VERSION and MICROAGENT_JEST_VERSION pick other versions (each pair has its
# own directory); the tests use the pair they name too. MICROAGENT_NODE names another node.
set -euo pipefail

VITEST_VERSION=${MICROAGENT_VITEST_VERSION:-3.2.7}
JEST_VERSION=${MICROAGENT_JEST_VERSION:-30.5.2}
CACHE=${MICROAGENT_JS_RUNNERS_CACHE:-$HOME/.cache/microagent/js-runners}
PREFIX=$CACHE/vitest-$VITEST_VERSION-jest-$JEST_VERSION

if [ "${1:-}" = --print ]; then
  echo "$PREFIX/node_modules"
  exit 0
fi

if [ -f "$PREFIX/.installed" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "js-runners: npm is missing (apt-get install npm)" >&2; exit 1; }
echo "js-runners: vitest $VITEST_VERSION and jest $JEST_VERSION into $PREFIX" >&2
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
echo '{"name": "microagent-js-runners", "private": true}' >"$PREFIX/package.json"
npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
  "vitest@$VITEST_VERSION" "jest@$JEST_VERSION"
touch "$PREFIX/.installed"

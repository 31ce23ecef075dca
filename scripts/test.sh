#!/usr/bin/env bash
# The project's test command: installs what the tests need, builds everything (the command-line
# tests run the built `simdit`), then runs the whole Swift Testing suite.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "error: swift (6.x) is not on PATH; install the Swift toolchain first" >&2
    exit 1
fi

swift build --build-tests
swift test --skip-build "$@"

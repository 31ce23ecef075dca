#!/usr/bin/env bash
# The project's test command: installs what the tests need (Icarus Verilog and Verilator), builds
# everything (the command-line tests run the built `simdit`), then runs the whole Swift Testing suite.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "error: swift (6.x) is not on PATH; install the Swift toolchain first" >&2
    exit 1
fi

# The RTL tests compile and simulate the Verilog templates: install the simulators when missing.
missing=()
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (Debian packages) for the RTL tests"
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}"
fi

swift build --build-tests
swift test --skip-build "$@"

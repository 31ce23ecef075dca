#!/usr/bin/env bash
# The project's test command: installs what the tests need (Icarus Verilog, Verilator, Yosys,
# OpenSTA, the OSU 0.18 um cells), builds
# everything (the command-line tests run the built `simdit`), then runs the whole Swift Testing suite.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "error: swift (6.x) is not on PATH; install the Swift toolchain first" >&2
    exit 1
fi

# The RTL tests compile and simulate the Verilog templates; the flow tests synthesize them with
# Yosys to the OSU 0.18 um Liberty, simulate the netlists at gate level with Icarus, time them with
# OpenSTA and place and route a PE with qflow: install what is missing.
missing=()
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v yosys >/dev/null 2>&1 || missing+=(yosys)
command -v sta >/dev/null 2>&1 || missing+=(opensta)
[ -f /usr/share/qflow/tech/osu018/osu018_stdcells.lib ] || missing+=(qflow-tech-osu018)
command -v qflow >/dev/null 2>&1 || missing+=(qflow)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)   # renders the HTML reports in their tests
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (Debian packages) for the RTL, flow and report tests"
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${missing[@]}"
fi

# The SRAM tests run the OpenRAM memory compiler (PyPI openram 1.2.48, which needs numpy<2), and
# the ONNX tests read the model files the onnx wheel ships and check shapes against its own shape
# inference: both from a virtual environment in the repository, with one numpy for both.
if ! .venv/bin/python -c "import openram, onnx, numpy; assert numpy.__version__ < '2' and onnx.__version__ == '1.17.0'" >/dev/null 2>&1; then
    echo "installing openram 1.2.48 and onnx 1.17.0 (PyPI; its wheel ships the single-op test models under node/, which later wheels leave out) into .venv for the SRAM and ONNX tests"
    python3 -m venv .venv
    .venv/bin/pip install -q "numpy<2" "openram==1.2.48" "onnx==1.17.0"
fi

swift build --build-tests
swift test --skip-build "$@"

# The fuzz suite (issue 12): 10,000 mutated files and option values through the CLI, each with a
# time and memory limit; fails on a crash, hang, memory blow-up, unpositioned file error or partial
# output. SIMDIT_FUZZ_SEED picks another seeded set of cases; SIMDIT_FUZZ_CASES another count.
if [ "$#" -eq 0 ]; then
    .venv/bin/python Tests/Fuzz/fuzz.py --binary .build/debug/simdit \
        --cases "${SIMDIT_FUZZ_CASES:-10000}" --seed "${SIMDIT_FUZZ_SEED:-1}"
fi

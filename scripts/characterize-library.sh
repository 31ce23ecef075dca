#!/usr/bin/env bash
# Characterizes a standard-cell library with `simdit flow` at 4-, 8- and 16-bit precision and
# calibrates TechLib/NAME.yaml from the three synthesis reports. Every run's scripts, logs and
# parsed results are kept under TechLib/NAME-reports/intN/ (netlists gzipped), its report as
# TechLib/NAME-reports/intN.yaml.
#
#   bash scripts/characterize-library.sh NAME LIBERTY NODE_NM [BASE_LIBRARY] [SRAM_REPORT]
#   bash scripts/characterize-library.sh osu018 /usr/share/qflow/tech/osu018/osu018_stdcells.lib 180
#
# SRAM_REPORT (from `simdit sram`) adds SRAM macros characterized at the same node. Figures that no
# report gives are scaled from the base library to the reports' node and voltage (--scale-to-node).
#
# Then run scripts/embed-techlib.py to build the library into simdit.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 liberty=$2 node=$3 base=${4:-generic-45nm} sram=${5:-}
simdit=${SIMDIT:-.build/release/simdit}
reports=TechLib/$name-reports
mkdir -p "$reports"
args=()
for run in int4:genesys-inference-01 int8:genesys-inference-03 int16:genesys-training-01; do
    bits=${run%%:*} arch=${run#*:}
    rm -rf "${reports:?}/$bits"
    "$simdit" flow --arch "$arch" --output "$reports/$bits" --liberty "$liberty" --node-nm "$node" --tech "$base" \
        > "$reports/$bits.flow.log"
    cp "$reports/$bits/report.yaml" "$reports/$bits.yaml"
    # Keep the runs small in git: the OpenSTA copy of each netlist is dropped (synth.tcl writes it
    # again) and the netlists are compressed (gunzip them to rerun a step).
    rm -f "$reports/$bits"/*/netlist-sta.v
    gzip -9 -n "$reports/$bits"/*/netlist.v
    args+=(--report "$reports/$bits.yaml")
done
[ -n "$sram" ] && args+=(--report "$sram")
"$simdit" calibrate --tech "$base" "${args[@]}" --scale-to-node --output "TechLib/$name.yaml" --name "$name"
echo "wrote TechLib/$name.yaml"

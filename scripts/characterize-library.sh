#!/usr/bin/env bash
# Characterizes a standard-cell library with `simdit flow` at 4-, 8- and 16-bit precision and
# calibrates TechLib/NAME.yaml from the three synthesis reports. Every run's scripts, logs and
# parsed results are kept under TechLib/NAME-reports/intN/ (netlists gzipped), its report as
# TechLib/NAME-reports/intN.yaml.
#
#   bash scripts/characterize-library.sh NAME LIBERTY NODE_NM [BASE_LIBRARY]
#   bash scripts/characterize-library.sh osu018 /usr/share/qflow/tech/osu018/osu018_stdcells.lib 180
#
# Then run scripts/embed-techlib.py to build the library into simdit.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 liberty=$2 node=$3 base=${4:-generic-45nm}
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
"$simdit" calibrate --tech "$base" "${args[@]}" --output "TechLib/$name.yaml" --name "$name"
echo "wrote TechLib/$name.yaml"

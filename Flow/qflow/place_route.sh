#!/bin/sh
# Places and routes one simdit module with Debian's qflow (Yosys synthesis with fanout buffering,
# graywolf placement, qrouter routing, parasitics extracted to SPEF by its back-annotation step).
#
#   SIMDIT_QFLOW_DIR=DIR SIMDIT_INCLUDE=build/rtl SIMDIT_SOURCES="Templates/simdit_pe.v" \
#   SIMDIT_TOP=simdit_pe SIMDIT_QFLOW_TECH=osu018 sh Flow/qflow/place_route.sh
#
# Parameters come from the environment (`simdit flow --place-route` sets them):
#   SIMDIT_QFLOW_DIR    the project directory to create (its source/ gets the Verilog and header)
#   SIMDIT_INCLUDE      directory holding the generated simdit_params.vh
#   SIMDIT_SOURCES      the module's Verilog files, space-separated
#   SIMDIT_TOP          the top module
#   SIMDIT_QFLOW_TECH   the qflow technology (osu018, osu035, osu050)
# Results in SIMDIT_QFLOW_DIR: TOP.rtlnopwr.v (the routed netlist), TOP.spef (its parasitics),
# TOP.def (the routed layout, DIEAREA), log/ (every step's log).
set -e
mkdir -p "$SIMDIT_QFLOW_DIR/source"
cp "$SIMDIT_INCLUDE/simdit_params.vh" $SIMDIT_SOURCES "$SIMDIT_QFLOW_DIR/source/"
cd "$SIMDIT_QFLOW_DIR"
qflow synthesize place route backanno -T "$SIMDIT_QFLOW_TECH" "$SIMDIT_TOP"
test -s "$SIMDIT_TOP.spef" && test -s "$SIMDIT_TOP.def" && test -s "$SIMDIT_TOP.rtlnopwr.v"

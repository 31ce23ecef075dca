# Yosys synthesis of one simdit module to a Liberty standard-cell library.
#
#   yosys -c Flow/yosys/synth.tcl -l synth.log
#
# Parameters come from the environment (`simdit flow` sets them; Flow/Makefile shows them):
#   SIMDIT_INCLUDE  directory holding the generated simdit_params.vh
#   SIMDIT_SOURCES  the Verilog files, space-separated (Templates/*.v)
#   SIMDIT_TOP      the top module (simdit_pe, simdit_systolic_array, simdit_simd_lane)
#   SIMDIT_LIBERTY  the Liberty file to map to
#   SIMDIT_NETLIST      the gate-level netlist for simulation: ports kept as vectors (the stimulus
#                       testbenches connect them whole), internal nets one bit each
#   SIMDIT_STA_NETLIST  the same netlist with every port split into bits, for OpenSTA (whose
#                       Verilog reader takes no assignments between parts of vectors)
yosys -import

read_verilog -I$::env(SIMDIT_INCLUDE) {*}$::env(SIMDIT_SOURCES)
synth -top $::env(SIMDIT_TOP) -flatten
dfflibmap -liberty $::env(SIMDIT_LIBERTY)
abc -liberty $::env(SIMDIT_LIBERTY)
opt_clean
stat -liberty $::env(SIMDIT_LIBERTY)
splitnets
opt_clean -purge
write_verilog -noattr -noexpr -nohex -nodec $::env(SIMDIT_NETLIST)
splitnets -ports
opt_clean -purge
write_verilog -noattr -noexpr -nohex -nodec $::env(SIMDIT_STA_NETLIST)

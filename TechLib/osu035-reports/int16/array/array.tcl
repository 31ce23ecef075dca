# Yosys synthesis of the systolic array at its full size around black-box PEs: the array's own
# logic (input skew and output deskew registers, WBUF write decode, wiring) mapped to the Liberty
# library, each PE left an instance of `simdit_pe`, whose gate-level netlist comes from
# Flow/yosys/synth.tcl. OpenSTA then times the whole array hierarchically.
#
#   yosys -c Flow/yosys/array.tcl -l array.log
#
# Parameters come from the environment (`simdit flow` sets them):
#   SIMDIT_INCLUDE   directory holding the generated simdit_params.vh (the full array's size)
#   SIMDIT_SOURCES   the array's Verilog files, space-separated (simdit_delay.v, simdit_systolic_array.v)
#   SIMDIT_BLACKBOX  the PE's Verilog file, read as a black box
#   SIMDIT_TOP       simdit_systolic_array
#   SIMDIT_LIBERTY   the Liberty file to map to
#   SIMDIT_NETLIST   the netlist to write (PE instances without parameters, bit ports)
yosys -import

read_verilog -I$::env(SIMDIT_INCLUDE) {*}$::env(SIMDIT_SOURCES)
read_verilog -lib -I$::env(SIMDIT_INCLUDE) $::env(SIMDIT_BLACKBOX)
hierarchy -top $::env(SIMDIT_TOP)
synth -top $::env(SIMDIT_TOP)
dfflibmap -liberty $::env(SIMDIT_LIBERTY)
abc -liberty $::env(SIMDIT_LIBERTY)
# The PE netlist is synthesized once with the same sizes: its instances need no parameters.
setparam -unset ACT_W -unset WGT_W -unset ACC_W -unset WBUF_AW t:simdit_pe
opt_clean
stat -liberty $::env(SIMDIT_LIBERTY)
splitnets -ports
opt_clean -purge
write_verilog -noattr -noexpr -nohex -nodec $::env(SIMDIT_NETLIST)

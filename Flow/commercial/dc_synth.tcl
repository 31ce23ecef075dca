# Synopsys Design Compiler: synthesis, gate-level activity and the three reports
# `simdit import-report --tool dc` reads. Not runnable here (no licence); documented in Flow/README.md.
#
#   dc_shell -f Flow/commercial/dc_synth.tcl -x "set TOP simdit_pe; set LIB my.db; set INCLUDE build/rtl; \
#       set SOURCES {Templates/simdit_pe.v}; set PERIOD 10; set SAIF_ACTIVE pe_mac.saif; set SAIF_IDLE pe_idle.saif"
#
# The SAIF files come from a gate-level simulation of the written netlist with the testbenches in
# Flow/sim/ (MODE 1 and MODE 0 for a PE), e.g. with VCS: vcs ... +vcs+dumpsaif, or vcd2saif.
set_app_var target_library $LIB
set_app_var link_library "* $LIB"
set_app_var search_path [concat $search_path $INCLUDE]
analyze -format verilog $SOURCES
elaborate $TOP
link
create_clock -name clk -period $PERIOD [get_ports clk]
set_input_delay 0 -clock clk [remove_from_collection [all_inputs] [get_ports clk]]
set_output_delay 0 -clock clk [all_outputs]
compile_ultra
change_names -rules verilog -hierarchy
write -format verilog -hierarchy -output ${TOP}_netlist.v

report_area > ${TOP}_area.rpt
report_timing -delay_type max -max_paths 1 > ${TOP}_timing.rpt
# Power with the activity of the active run, then of the idle run.
reset_switching_activity
read_saif -input $SAIF_ACTIVE -instance_name tb/dut
report_power > ${TOP}_power.rpt
reset_switching_activity
read_saif -input $SAIF_IDLE -instance_name tb/dut
report_power > ${TOP}_idle_power.rpt
exit

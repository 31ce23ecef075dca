# Cadence Genus: synthesis, gate-level activity and the three reports
# `simdit import-report --tool genus` reads. Not runnable here (no licence); documented in Flow/README.md.
#
#   genus -files Flow/commercial/genus_synth.tcl -execute "set TOP simdit_pe; set LIB my.lib; set INCLUDE build/rtl; \
#       set SOURCES {Templates/simdit_pe.v}; set PERIOD_PS 10000; set VCD_ACTIVE pe_mac.vcd; set VCD_IDLE pe_idle.vcd"
#
# The VCD files come from a gate-level simulation of the written netlist with the testbenches in
# Flow/sim/ (MODE 1 and MODE 0 for a PE).
set_db library $LIB
set_db init_hdl_search_path $INCLUDE
read_hdl $SOURCES
elaborate $TOP
create_clock -name clk -period $PERIOD_PS [get_ports clk]
set_input_delay 0 -clock clk [all_inputs -no_clocks]
set_output_delay 0 -clock clk [all_outputs]
syn_generic
syn_map
syn_opt
write_hdl > ${TOP}_netlist.v

report_area > ${TOP}_area.rpt
report_timing -max_paths 1 > ${TOP}_timing.rpt
read_vcd -vcd_scope tb.dut $VCD_ACTIVE
report_power > ${TOP}_power.rpt
read_vcd -vcd_scope tb.dut $VCD_IDLE
report_power > ${TOP}_idle_power.rpt
exit

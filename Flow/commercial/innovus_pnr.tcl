# Cadence Innovus: place and route of a synthesized module, then post-layout area, timing and power
# in the formats `simdit import-report --tool genus` reads (Innovus prints Genus-style report_area
# and report_power; timing in ps). Not runnable here (no licence); documented in Flow/README.md.
#
#   innovus -files Flow/commercial/innovus_pnr.tcl -execute "set TOP simdit_pe; set NETLIST simdit_pe_netlist.v; \
#       set LEF {tech.lef cells.lef}; set LIB my.lib; set PERIOD_PS 10000; set VCD_ACTIVE pe_mac.vcd; set VCD_IDLE pe_idle.vcd"
set_db init_lef_files $LEF
set_db init_power_nets VDD
set_db init_ground_nets VSS
read_mmmc [list]
read_physical -lef $LEF
read_netlist $NETLIST -top $TOP
init_design
create_clock -name clk -period $PERIOD_PS [get_ports clk]
create_floorplan -core_density_size 1.0 0.7 10 10 10 10
place_design
ccopt_design
route_design
time_design -post_route

report_area > ${TOP}_post_route_area.rpt
report_timing -max_paths 1 > ${TOP}_post_route_timing.rpt
read_activity_file -format VCD -scope tb/dut $VCD_ACTIVE
report_power > ${TOP}_post_route_power.rpt
read_activity_file -format VCD -scope tb/dut $VCD_IDLE
report_power > ${TOP}_post_route_idle_power.rpt
exit

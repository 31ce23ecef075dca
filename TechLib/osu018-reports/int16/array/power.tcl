# OpenSTA timing and power of one synthesized simdit module.
#
#   sta -no_init -exit Flow/sta/power.tcl > sta.log
#
# Parameters come from the environment (`simdit flow` sets them; Flow/Makefile shows them):
#   SIMDIT_LIBERTY    the Liberty file the netlist was mapped to
#   SIMDIT_NETLIST    the gate-level netlist with split ports (SIMDIT_STA_NETLIST of Flow/yosys/synth.tcl);
#                     for a whole array, the PE's netlist and the array's (Flow/yosys/array.tcl)
#   SIMDIT_TOP        its top module
#   SIMDIT_PERIOD_NS  the clock period, ns (the clock port is `clk`)
#   SIMDIT_PATHS      `all` (worst path of the module) or `register_to_register`
#   SIMDIT_WIRE_LOADS optional: a file of `set_load CAP [get_nets {NET}]` lines, the routed nets'
#                     wire capacitance (from the SPEF of Flow/qflow/place_route.sh)
#   SIMDIT_ACTIVITY   either a number, the global toggle rate per clock period of every net, or a
#                     file of `simdit_net_activity NET ACTIVITY DUTY` lines written from a
#                     gate-level simulation (activity = transitions per clock period, duty = the
#                     share of time at 1)
#
# This OpenSTA (2.0.17) has no read_vcd and derives a cell's output activity from the activities
# of its inputs, so the simulated activity of each net is set on every cell input pin it drives and
# on the input ports; the clock's own activity comes from create_clock.
read_liberty $::env(SIMDIT_LIBERTY)
foreach netlist $::env(SIMDIT_NETLIST) { read_verilog $netlist }
link_design $::env(SIMDIT_TOP)
# After place and route, each net's wire capacitance (SIMDIT_WIRE_LOADS, optional: `set_load`
# commands made from qrouter's SPEF, whose RC node names this OpenSTA cannot read).
if {[info exists ::env(SIMDIT_WIRE_LOADS)] && $::env(SIMDIT_WIRE_LOADS) != ""} {
    source $::env(SIMDIT_WIRE_LOADS)
    puts "wire loads: $::env(SIMDIT_WIRE_LOADS)"
}
create_clock -name clk -period $::env(SIMDIT_PERIOD_NS) [get_ports clk]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]
set_output_delay 0 -clock clk [all_outputs]

if {$::env(SIMDIT_PATHS) == "register_to_register"} {
    report_checks -path_delay max -digits 4 -from [all_registers -clock_pins] -to [all_registers -data_pins]
} else {
    report_checks -path_delay max -digits 4
}

proc simdit_net_activity {net activity duty} {
    set ::simdit_activity($net) [list $activity $duty]
}

if {[string is double -strict $::env(SIMDIT_ACTIVITY)]} {
    set_power_activity -global -activity $::env(SIMDIT_ACTIVITY)
    puts "activity: global $::env(SIMDIT_ACTIVITY) transitions per clock period"
} else {
    source $::env(SIMDIT_ACTIVITY)
    set pins 0
    set ports 0
    foreach net [get_nets *] {
        # Escaped Verilog names (\wbuf[1][0] ) are recorded without their escapes.
        set name [string map {"\\" ""} [get_full_name $net]]
        if {![info exists ::simdit_activity($name)]} { continue }
        lassign $::simdit_activity($name) activity duty
        foreach pin [get_pins -quiet -of_objects $net] {
            if {[get_property $pin direction] == "input"} {
                sta::set_power_pin_activity $pin $activity $duty
                incr pins
            }
        }
    }
    foreach port [delete_from_list [all_inputs] [get_ports clk]] {
        set name [string map {"\\" ""} [get_full_name $port]]
        if {[info exists ::simdit_activity($name)]} {
            lassign $::simdit_activity($name) activity duty
            sta::set_power_input_port_activity $port $activity $duty
            incr ports
        }
    }
    puts "activity: simulated, [array size ::simdit_activity] nets, $pins cell input pins, $ports input ports"
}
report_power -digits 6
# Per instance, for the flow's breakdown of power by cell type (at simulated activity only).
if {![string is double -strict $::env(SIMDIT_ACTIVITY)]} {
    puts "simdit: power by instance"
    report_power -instances [get_cells *] -digits 6
}

# OpenRAM configuration of one simdit buffer macro (OpenRAM configurations are Python).
#
#   OPENRAM_TMP=DIR/tmp CONDA_HOME=DIR/conda SIMDIT_SRAM_WORDS=256 SIMDIT_SRAM_WIDTH=32 \
#   SIMDIT_SRAM_OUTPUT=DIR SIMDIT_SRAM_NAME=sram_256x32 SIMDIT_SRAM_MODE=layout \
#   python -m ... openram/sram_compiler.py Flow/openram/sram_config.py
#
# Parameters come from the environment (`simdit sram` sets them; Flow/README.md shows them):
#   SIMDIT_SRAM_WORDS, SIMDIT_SRAM_WIDTH   words and bits per word; one read/write port
#   SIMDIT_SRAM_WORDS_PER_ROW              optional column-mux ways (as in OpenRAM's sim_data.csv)
#   SIMDIT_SRAM_TECH                       the OpenRAM technology (default scn4m_subm)
#   SIMDIT_SRAM_MODE                       layout: GDS and LEF for the area, no simulation
#                                          spice: ngspice characterization (access time, read and
#                                          write power at the minimum period, leakage), no layout
#   SIMDIT_SRAM_VOLTAGE                    supply of the characterization, V (default 5.0)
#   SIMDIT_SRAM_OUTPUT, SIMDIT_SRAM_NAME   where and under which name to write
# OpenRAM needs `use_conda = False` here, and sources $CONDA_HOME/bin/activate before ngspice:
# `simdit sram` writes a no-op one.
import os

tech_name = os.environ.get("SIMDIT_SRAM_TECH", "scn4m_subm")
word_size = int(os.environ["SIMDIT_SRAM_WIDTH"])
num_words = int(os.environ["SIMDIT_SRAM_WORDS"])
if os.environ.get("SIMDIT_SRAM_WORDS_PER_ROW"):
    words_per_row = int(os.environ["SIMDIT_SRAM_WORDS_PER_ROW"])
num_rw_ports = 1
num_r_ports = 0
num_w_ports = 0

voltage = float(os.environ.get("SIMDIT_SRAM_VOLTAGE", "5.0"))
nominal_corner_only = False
use_specified_corners = [("TT", voltage, 25)]

if os.environ.get("SIMDIT_SRAM_MODE", "layout") == "spice":
    netlist_only = True
    analytical_delay = False
    spice_name = "ngspice"
    num_sim_threads = 1
    # One input slew (ns) and output load (fF): the middle point of OpenRAM's reference data.
    use_specified_load_slew = [(9.8242, 0.05)]
else:
    netlist_only = False
    analytical_delay = True      # no simulation; the .lib's power from this model is not used
    route_supplies = False       # no supply rings
    perimeter_pins = False       # no escape routing to the perimeter

check_lvsdrc = False
use_conda = False
output_path = os.environ["SIMDIT_SRAM_OUTPUT"]
output_name = os.environ["SIMDIT_SRAM_NAME"]

#!/bin/sh
# Reruns the OpenRAM steps of this macro by hand, with the parameters simdit sram used.
set -e
CONDA_HOME=/work/main/TechLib/osu035-sram/conda OPENRAM_TMP=/work/main/TechLib/osu035-sram/sram_16x4/tmp-layout SIMDIT_SRAM_MODE=layout SIMDIT_SRAM_NAME=sram_16x4 SIMDIT_SRAM_OUTPUT=/work/main/TechLib/osu035-sram/sram_16x4/layout SIMDIT_SRAM_TECH=scn4m_subm SIMDIT_SRAM_VOLTAGE=3.3 SIMDIT_SRAM_WIDTH=4 SIMDIT_SRAM_WORDS=16 SIMDIT_SRAM_WORDS_PER_ROW=1 /work/main/.venv/bin/python /work/main/.venv/lib/python3.11/site-packages/openram/sram_compiler.py -v /work/main/Flow/openram/sram_config.py > layout.log

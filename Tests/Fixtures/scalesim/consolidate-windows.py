"""Joins the start and stop cycles and DRAM bandwidths of real scalesim 2.0.2 runs into one table
(Tests/Fixtures/scalesim/scalesim-windows.csv).

usage: consolidate-windows.py OUT.csv (RUN_DIR CFG TOPOLOGY conv|gemm)...
The arguments are those of consolidate-runs.py; each RUN_DIR also holds SCALE-Sim's
BANDWIDTH_REPORT.csv. One row per layer: the layer, the configuration, the twelve start and stop
cycles of DETAILED_ACCESS_REPORT.csv and the three DRAM bandwidths of BANDWIDTH_REPORT.csv, as
SCALE-Sim wrote them."""
import csv, importlib.util, os, sys

spec = importlib.util.spec_from_file_location("runs", os.path.join(os.path.dirname(__file__), "consolidate-runs.py"))
source = open(spec.origin).read().split("out = csv.writer")[0]   # its readers, not its main part
runs = {}
exec(source, runs)

out = csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n")
windows = ["sram_ifmap_start", "sram_ifmap_stop", "sram_filter_start", "sram_filter_stop",
           "sram_ofmap_start", "sram_ofmap_stop", "dram_ifmap_start", "dram_ifmap_stop",
           "dram_filter_start", "dram_filter_stop", "dram_ofmap_start", "dram_ofmap_stop"]
out.writerow(["layer", "ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels", "filters", "stride_h", "stride_w",
              "dataflow", "array_h", "array_w", "ifmap_kb", "filter_kb", "ofmap_kb"] + windows
             + ["dram_ifmap_bw", "dram_filter_bw", "dram_ofmap_bw"])
args = sys.argv[2:]
count = 0
for i in range(0, len(args), 4):
    run, cfg, topo, kind = args[i:i + 4]
    layers = runs["topology"](topo, kind == "gemm")
    access = runs["rows"](run + "/DETAILED_ACCESS_REPORT.csv")
    bandwidth = runs["rows"](run + "/BANDWIDTH_REPORT.csv")
    assert len(layers) == len(access) == len(bandwidth), (run, len(layers), len(access), len(bandwidth))
    for layer, a, b in zip(layers, access, bandwidth):
        cycles = [int(float(a[j])) for j in (1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17)]
        out.writerow(list(layer) + list(runs["config"](cfg)) + cycles + [b[4], b[5], b[6]])
        count += 1
print(count, "rows")

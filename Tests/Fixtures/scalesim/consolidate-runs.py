"""Joins real scalesim 2.0.2 runs into one table (Tests/Fixtures/scalesim/scalesim-runs.csv).

usage: consolidate.py OUT.csv (RUN_DIR CFG TOPOLOGY conv|gemm)...
Each RUN_DIR holds SCALE-Sim's COMPUTE_REPORT.csv and DETAILED_ACCESS_REPORT.csv for the
configuration CFG and topology TOPOLOGY. One row per layer: the layer, the configuration and the
counts SCALE-Sim reported."""
import csv, re, sys

def topology(path, gemm):
    layers = []
    for row in list(csv.reader(open(path)))[1:]:
        cells = [c.strip() for c in row]
        if not cells or not cells[0]:
            continue
        numbers = [int(c) for c in cells[1:] if c != ""]
        if gemm:
            m, n, k = numbers[:3]
            layers.append((cells[0], m, k, 1, k, 1, n, 1, 1))
        else:
            h, w, r, s, c, f, sh = numbers[:7]
            sw = numbers[7] if len(numbers) > 7 else sh
            layers.append((cells[0], h, w, r, s, c, f, sh, sw))
    return layers

def config(path):
    text = open(path).read()
    get = lambda key: re.search(key + r"\s*=\s*(\w+)", text).group(1)
    return (get("Dataflow"), int(get("ArrayHeight")), int(get("ArrayWidth")),
            int(get("IfmapSramSzkB")), int(get("FilterSramSzkB")), int(get("OfmapSramSzkB")))

def rows(path):
    return [[c.strip() for c in r] for r in list(csv.reader(open(path)))[1:] if r and r[0].strip()]

out = csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n")
out.writerow(["layer", "ifmap_h", "ifmap_w", "filter_h", "filter_w", "channels", "filters", "stride_h", "stride_w",
              "dataflow", "array_h", "array_w", "ifmap_kb", "filter_kb", "ofmap_kb", "total_cycles",
              "sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
              "dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes"])
args = sys.argv[2:]
count = 0
for i in range(0, len(args), 4):
    run, cfg, topo, kind = args[i:i + 4]
    layers = topology(topo, kind == "gemm")
    compute = rows(run + "/COMPUTE_REPORT.csv")
    access = rows(run + "/DETAILED_ACCESS_REPORT.csv")
    assert len(layers) == len(compute) == len(access), (run, len(layers), len(compute), len(access))
    for layer, c, a in zip(layers, compute, access):
        values = [int(float(a[j])) for j in (3, 6, 9, 12, 15, 18)]
        out.writerow(list(layer) + list(config(cfg)) + [int(c[1])] + values)
        count += 1
print(count, "rows")

"""The fuzz suite: mutates every kind of file simdit reads (architecture, network, technology
library, synthesis report, ONNX model, sweep, SCALE-Sim configuration and topology), and its options, and runs the CLI on each
case with a time and a memory limit. It fails on a crash (a signal, a trap), a hang, a memory
blow-up, an unpositioned error about a file, or a partial output file.

    python3 Tests/Fuzz/fuzz.py --binary .build/debug/simdit [--cases 10000] [--seed 1] [--jobs N]

Seeded and deterministic: the same seed gives the same cases. Each case's command line is printed
when it fails, with the mutated file kept under the work directory, so it reproduces by hand.
"""
import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIME_LIMIT_S = 20
MEMORY_LIMIT_BYTES = 2 << 30          # address space; a blow-up fails to allocate and dies
RSS_LIMIT_KIB = 1 << 20               # 1 GiB resident is a blow-up even if it succeeds

EXTREMES = ["0", "-1", "1", "2147483648", "-2147483649", "9007199254740992", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "1e308", "-1e308", "1e-320", ".nan", ".NaN", ".inf",
            "-.inf", "0.5", "-0", "1_000_000", "0x10", "0o17", "3.0", "'12'", "twelve", "~", "null", "true", "[]",
            "{}", "''", "1e10000", "99999999999999999999999999999"]
# Valid but extreme: the ends of the documented ranges and awkward sizes, to reach deeper paths.
BOUNDARIES = ["1", "2", "3", "7", "13", "64", "4096", "8192", "1000003", "1048576", "16777216", "8796093022208",
              "1099511627776", "1e12", "1e-12", "0.001"]


def run(binary, arguments, directory):
    """Runs one case; returns (status, stderr text, max resident KiB, seconds); status None on a hang."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    started = time.monotonic()
    process = subprocess.Popen([binary] + arguments, cwd=directory, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=limit)
    try:
        _, errors = process.communicate(timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, "", 0, TIME_LIMIT_S
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # cumulative; only an upper bound per case
    return process.returncode, errors.decode("utf-8", "replace"), usage.ru_maxrss, time.monotonic() - started


# ----- mutations -------------------------------------------------------------------------------

NUMBER = re.compile(r"(?<=[:\[,\s])(-?\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?)(?=\s*[,\]}\n#]|\s*$)", re.M)


def mutate_text(text, rng):
    lines = text.split("\n")
    kind = rng.randrange(14)
    if kind == 0 and lines:                                   # delete a line
        del lines[rng.randrange(len(lines))]
    elif kind == 1 and lines:                                 # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 2 and len(lines) > 1:                        # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind in (3, 4, 5, 6):                                # an extreme value for a number
        numbers = list(NUMBER.finditer(text))
        if numbers:
            match = rng.choice(numbers)
            pool = EXTREMES if kind in (3, 4) else BOUNDARIES
            return text[:match.start()] + rng.choice(pool) + text[match.end():]
    elif kind == 7:                                           # truncation
        return text[:rng.randrange(len(text) + 1)]
    elif kind == 8:                                           # binary garbage
        data = bytearray(text.encode())
        for _ in range(rng.randrange(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return data.decode("latin-1")
    elif kind == 9 and lines:                                 # deep nesting
        depth = rng.choice([50, 500, 5000, 60000])
        i = rng.randrange(len(lines))
        lines.insert(i, "deep: " + "[" * depth + "]" * depth)
    elif kind == 10:                                          # an alias bomb
        bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in range(1, 12):
            bomb.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
        lines = bomb + lines
    elif kind == 11 and lines:                                # a scalar becomes a mapping or a list
        i = rng.randrange(len(lines))
        lines[i] = re.sub(r":\s*([^\s{\[][^,}]*)", ": " + rng.choice(["{x: 1}", "[1, 2]", "*undefined", "&anchor 3"]),
                          lines[i], count=1)
    elif kind == 12 and lines:                                # indentation changes
        i = rng.randrange(len(lines))
        lines[i] = " " * rng.randrange(6) + lines[i].lstrip()
    elif kind == 13:                                          # empty, or whitespace only
        return rng.choice(["", "\n", "   ", "---\n", "...\n", "%YAML 1.2\n---\n"])
    return "\n".join(lines)


def mutate_bytes(data, rng):
    data = bytearray(data)
    kind = rng.randrange(4)
    if kind == 0 and data:
        for _ in range(rng.randrange(1, 16)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:
        data = data[:rng.randrange(len(data) + 1)]
    elif kind == 2 and data:                                  # a varint field set to an extreme
        i = rng.randrange(len(data))
        data[i:i + 1] = bytes([0xff] * 9 + [0x01])
    else:
        i = rng.randrange(len(data) + 1)
        data[i:i] = os.urandom(rng.randrange(1, 64)) if rng.random() < 0.5 else bytes(rng.randrange(256) for _ in range(8))
    return bytes(data)


EXTREME_INTS = [0, -1, 1, 2, 3, -(2 ** 31), 2 ** 31, 2 ** 62, -(2 ** 63), 2 ** 63 - 1, 7, 1 << 24, 1 << 40]
ONNX_OPS = ["Conv", "Relu", "Add", "Mul", "Div", "Sub", "Gemm", "MatMul", "Slice", "Split", "Gather", "ReduceMean", "ReduceSum",
            "ReduceMax", "Concat", "Reshape", "Transpose", "Sigmoid", "Expand", "Where", "Range", "Shape", "Pad", "MaxPool",
            "GlobalAveragePool", "BatchNormalization", "RandomUniformLike", "Less", "Cast", "Squeeze", "Unsqueeze", "Erf"]


def mutate_onnx(data, rng):
    """A structural mutation of a model (an attribute, an op type, an input, a shape, a constant
    set to something extreme or wrong), so that cases reach the importer's op paths instead of
    stopping at the protobuf decoder; falls back to byte mutations."""
    try:
        import onnx
        model = onnx.load_from_string(data)
    except Exception:
        return mutate_bytes(data, rng)
    graph = model.graph
    kind = rng.randrange(7)
    nodes = list(graph.node)
    if kind == 0 and nodes:                                  # an integer attribute to an extreme
        node = rng.choice(nodes)
        ints = [a for a in node.attribute if a.type in (onnx.AttributeProto.INT, onnx.AttributeProto.INTS)]
        if ints:
            attribute = rng.choice(ints)
            if attribute.type == onnx.AttributeProto.INT:
                attribute.i = rng.choice(EXTREME_INTS)
            elif attribute.ints:
                attribute.ints[rng.randrange(len(attribute.ints))] = rng.choice(EXTREME_INTS)
            else:
                attribute.ints.append(rng.choice(EXTREME_INTS))
    elif kind == 1 and nodes:                                # another op type
        rng.choice(nodes).op_type = rng.choice(ONNX_OPS)
    elif kind == 2 and nodes:                                # an input dropped, renamed or swapped
        node = rng.choice(nodes)
        if node.input:
            i = rng.randrange(len(node.input))
            choice = rng.randrange(3)
            if choice == 0:
                del node.input[i]
            elif choice == 1:
                node.input[i] = rng.choice(["", "nowhere", rng.choice(nodes).output[0] if rng.choice(nodes).output else ""])
            else:
                node.input[i] = rng.choice(list(graph.input)).name
    elif kind == 3 and graph.initializer:                    # a constant's shape or values
        tensor = rng.choice(graph.initializer)
        if tensor.dims and rng.random() < 0.5:
            tensor.dims[rng.randrange(len(tensor.dims))] = rng.choice(EXTREME_INTS)
        elif tensor.data_type == onnx.TensorProto.INT64 and tensor.raw_data:
            values = bytearray(tensor.raw_data)
            position = 8 * rng.randrange(max(1, len(values) // 8))
            value = rng.choice(EXTREME_INTS)
            values[position:position + 8] = value.to_bytes(8, "little", signed=True) if -(2 ** 63) <= value < 2 ** 63 else b"\xff" * 8
            tensor.raw_data = bytes(values)
    elif kind == 4 and graph.input:                          # the input's shape
        dims = graph.input[0].type.tensor_type.shape.dim
        if dims:
            dim = dims[rng.randrange(len(dims))]
            if rng.random() < 0.3:
                dim.dim_param = "dynamic"
            else:
                dim.dim_value = rng.choice(EXTREME_INTS)
    elif kind == 5 and nodes:                                # a node duplicated or removed
        i = rng.randrange(len(nodes))
        if rng.random() < 0.5:
            graph.node.insert(i, nodes[i])
        else:
            del graph.node[i]
    else:                                                     # an opset out of range or another
        if model.opset_import:
            model.opset_import[0].version = rng.choice([0, 1, 7, 11, 13, 17, 18, 20, 23, 24, 99, -1])
    try:
        return model.SerializeToString()
    except Exception:
        return mutate_bytes(data, rng)


# ----- cases ----------------------------------------------------------------------------------

class Seeds:
    def __init__(self, binary, work):
        def show(*arguments):
            return subprocess.run([binary] + list(arguments), capture_output=True, text=True, check=True).stdout
        self.architectures = [show("presets", "show", name) for name in
                              ("genesys-inference-01", "genesys-inference-08", "genesys-training-01")]
        self.networks = [open(os.path.join(ROOT, "Tests/Fuzz/seeds/network.yaml")).read(), show("networks", "show", "resnet18")]
        self.technologies = [open(os.path.join(ROOT, "TechLib/generic-45nm.yaml")).read(),
                             open(os.path.join(ROOT, "TechLib/osu018.yaml")).read()]
        self.reports = [open(os.path.join(ROOT, "TechLib/osu018-reports", name)).read() for name in ("int4.yaml", "int8.yaml")]
        scalesim = os.path.join(ROOT, "Tests/Fixtures/scalesim")
        self.scalesim_configs = [open(os.path.join(scalesim, f"cfg_{d}.cfg")).read() for d in ("os", "ws", "is")]
        self.scalesim_topologies = [open(os.path.join(scalesim, name)).read() for name in ("topo.csv", "gemm.csv")]
        # The sweep seed runs the small seed network (by its absolute path: cases live elsewhere).
        self.sweeps = [open(os.path.join(ROOT, "Tests/Fuzz/seeds/sweep.yaml")).read()
                       .replace("network: fuzz-seed-network", "network: " + os.path.join(ROOT, "Tests/Fuzz/seeds/network.yaml"))]
        self.onnx = []
        patterns = os.path.join(work, "onnx-seeds")
        if subprocess.run([sys.executable, os.path.join(ROOT, "Tests/ONNX/patterns.py"), patterns]).returncode == 0:
            for name in sorted(os.listdir(patterns)):
                self.onnx.append(open(os.path.join(patterns, name), "rb").read())
        # The import's edges and torchvision exports from both of PyTorch's exporters (their weights'
        # data files are absent, as in the committed fixtures).
        edges = os.path.join(work, "onnx-edges")
        if subprocess.run([sys.executable, os.path.join(ROOT, "Tests/ONNX/import_edges.py"), edges]).returncode != 0:
            raise SystemExit("Tests/ONNX/import_edges.py failed: the fuzz suite needs its ONNX seeds")
        for name in sorted(os.listdir(edges)):
            if name.endswith(".onnx"):
                self.onnx.append(open(os.path.join(edges, name), "rb").read())
        torchvision = os.path.join(work, "onnx-torchvision")
        if subprocess.run([sys.executable, os.path.join(ROOT, "Tests/ONNX/torchvision_fixtures.py"), torchvision],
                          stdout=subprocess.DEVNULL).returncode != 0:
            raise SystemExit("Tests/ONNX/torchvision_fixtures.py failed: the fuzz suite needs its ONNX seeds")
        for name in ("shufflenet_v2_x1_0-classic-eval.onnx", "efficientnet_b0-dynamo-train.onnx",
                     "mnasnet0_5-classic-eval.onnx", "resnet18-dynamo-eval.onnx", "efficientnet_b0-classic-train.onnx"):
            self.onnx.append(open(os.path.join(torchvision, name), "rb").read())
        try:
            import onnx  # noqa: F401  (the wheel's own model files)
            light = os.path.join(os.path.dirname(onnx.__file__), "backend/test/data/light")
            for name in ("light_squeezenet.onnx", "light_shufflenet.onnx", "light_bvlc_alexnet.onnx"):
                self.onnx.append(open(os.path.join(light, name), "rb").read())
        except ImportError:
            pass
        if not self.onnx:
            raise SystemExit("no ONNX seeds: run from the test command, which installs onnx into .venv")


def make_case(index, seeds, rng, directory):
    """A case: (kind, arguments, path of the fuzzed file or None, output path or None)."""
    kind = rng.choices(["architecture", "network", "technology", "report", "onnx", "sweep", "scalesim", "options"],
                       weights=[21, 21, 12, 9, 14, 7, 6, 10])[0]
    case_dir = os.path.join(directory, f"case{index}")
    os.makedirs(case_dir, exist_ok=True)
    output = os.path.join(case_dir, "out")

    def write(name, content):
        path = os.path.join(case_dir, name)
        with open(path, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape"))
        return path

    mode = rng.choice(["inference", "training"])
    if kind == "architecture":
        path = write("arch.yaml", mutate_text(rng.choice(seeds.architectures), rng))
        command = rng.choice([
            ["simulate", "--mode", mode, "--arch", path, "--network", "resnet18", "--format", "json", "--output", output],
            ["area", "--arch", path], ["rtl", "--arch", path, "--output", output],
            ["simulate", "--mode", "inference", "--arch", path, "--summary"]])
        if rng.random() < 0.01:
            command = ["optimize", "--arch", path, "--network", "resnet18", "--emit-arch", output]
        if command[0] in ("simulate", "optimize"):
            command = command + ["--dataflow", rng.choice(["ws", "os", "is"])]
        return kind, command, path, output if "--output" in command or "--emit-arch" in command else None
    if kind == "network":
        path = write("net.yaml", mutate_text(rng.choice(seeds.networks), rng))
        command = rng.choice([["simulate", "--mode", mode, "--network", path, "--arch", "genesys-inference-01", "--format", "csv",
                               "--output", output, "--dataflow", rng.choice(["ws", "os", "is"])], ["networks", "show", path]])
        return kind, command, path, output if "--output" in command else None
    if kind == "technology":
        path = write("tech.yaml", mutate_text(rng.choice(seeds.technologies), rng))
        command = rng.choice([["simulate", "--mode", "inference", "--tech", path, "--summary"], ["area", "--tech", path]])
        return kind, command, path, None
    if kind == "report":
        path = write("report.yaml", mutate_text(rng.choice(seeds.reports), rng))
        return kind, ["calibrate", "--tech", "generic-45nm", "--report", path, "--output", output], path, output
    if kind == "scalesim":
        topology_index = rng.randrange(len(seeds.scalesim_topologies))
        config = rng.choice(seeds.scalesim_configs)
        topology = seeds.scalesim_topologies[topology_index]
        if rng.random() < 0.5:
            config = mutate_text(config, rng)
            path = write("config.cfg", config)
            other = write("topology.csv", topology)
            command = ["scalesim", "--config", path, "--topology", other]
        else:
            topology = mutate_text(topology, rng)
            path = write("topology.csv", topology)
            other = write("config.cfg", config)
            command = ["scalesim", "--config", other, "--topology", path]
        if topology_index == 1:
            command.append("--gemm")
        return kind, command + ["--output", output], path, None
    if kind == "sweep":
        path = write("sweep.yaml", mutate_text(rng.choice(seeds.sweeps), rng))
        # Sweeps evaluate as many points as they ask for: the cap keeps each case within its time limit.
        return kind, ["sweep", path, "--format", rng.choice(["jsonl", "csv"]), "--max-points", "300", "--output", output], path, output
    if kind == "onnx":
        seed = rng.choice(seeds.onnx)
        path = write("model.onnx", mutate_onnx(seed, rng) if rng.random() < 0.6 else mutate_bytes(seed, rng))
        command = rng.choice([["simulate", "--mode", mode, "--network", path, "--arch", "genesys-inference-08", "--summary"],
                              ["simulate", "--mode", "training", "--network", path, "--batch", "2", "--restore-batch-norm",
                               "--format", "json"],
                              ["networks", "show", path]])
        return kind, command, path, None
    # Extreme option values.
    value = rng.choice(EXTREMES + ["-5", "1000000000", "4611686018427387904", "", "9" * 40])
    command = rng.choice([
        ["simulate", "--mode", mode, "--batch", value, "--summary"],
        ["optimize", "--sram-budget-kib", value], ["optimize", "--sram-granularity-kib", value],
        ["optimize", "--bandwidth-budget", value], ["optimize", "--bandwidth-granularity", value],
        ["bench", "--repetitions", value, "--filter", "no-such-case"], ["bench", "--warmup", value, "--filter", "no-such-case"],
        ["simulate", "--mode", "inference", "--output", rng.choice(["", "/dev/null", "/", case_dir, "/nonexistent/x"])],
        ["area", "--format", value], ["sram", "--macro", value, "--output", output],
        ["flow", "--arch", "genesys-inference-01", "--output", output, "--clock-period-ns", value, "--liberty", "/nonexistent.lib"],
    ])
    return kind, command, None, None


POSITIONED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): error:")


def judge(kind, command, path, output, status, errors, rss_kib):
    """The failure of a case, or None when it passed."""
    if status is None:
        return "hang (over %d s)" % TIME_LIMIT_S
    if status < 0:
        return "crash (signal %s)" % signal.Signals(-status).name
    if status not in (0, 1, 64):
        return "exit status %d" % status
    if "Fatal error" in errors or "Backtracing" in errors:
        return "crash (runtime error)"
    if output is not None and status != 0 and os.path.exists(output) and os.path.getsize(output) > 0 and not os.path.isdir(output):
        return "partial output left after a failure"
    if output is not None and status == 0 and "--format" in command and "json" in command and os.path.isfile(output):
        try:
            json.load(open(output))
        except ValueError:
            return "incomplete JSON output"
    if status == 1 and kind == "onnx":
        # A model has no lines: every error names the file (and, for a node, its index and name).
        stray = [line for line in errors.split("\n") if ": error:" in line and not line.startswith(path + ":")]
        if stray:
            return "an error about the model reported without it: " + stray[0]
    if status == 1 and path is not None and kind in ("architecture", "network", "technology", "report", "sweep", "scalesim"):
        about_file = [line for line in errors.split("\n") if line.startswith(path + ":") and ": error:" in line]
        if about_file and not all(POSITIONED.match(line) for line in about_file):
            return "unpositioned error about the file: " + about_file[0]
        if not about_file and "error:" in errors:
            first = next(line for line in errors.split("\n") if "error:" in line)
            if first.startswith("<command line>") or first.startswith("preset "):
                return "an error about the file reported without it: " + first
    return None


def self_test(work):
    """The judge must catch what it is for: checked before every run, so it cannot silently pass."""
    path = os.path.join(work, "self-test.yaml")
    output = os.path.join(work, "self-test.out")
    with open(output, "w") as handle:
        handle.write("partial")
    expectations = [
        (("network", ["simulate"], path, None, -4, "", 0), "crash"),
        (("network", ["simulate"], path, None, -11, "", 0), "crash"),
        (("network", ["simulate"], path, None, None, "", 0), "hang"),
        (("network", ["simulate"], path, None, 134, "", 0), "exit status"),
        (("network", ["simulate"], path, output, 1, path + ":1:1: error: bad", 0), "partial output"),
        (("network", ["simulate"], path, None, 1, path + ": error: bad", 0), "unpositioned"),
        (("network", ["simulate"], path, None, 1, "<command line>: error: bad", 0), "without it"),
        (("network", ["simulate"], path, None, 1, "Fatal error: index out of range", 0), "crash"),
        (("network", ["simulate"], path, None, 1, path + ":3:7: error: bad", 0), None),
        (("network", ["simulate"], path, None, 0, "", 0), None),
        (("onnx", ["simulate"], path, None, 1, "model.onnx: error: node 3 'x' (Conv): bad", 0), "without it"),
        (("onnx", ["simulate"], path, None, 1, path + ": error: node 3 'x' (Conv): bad", 0), None),
    ]
    for arguments, wanted in expectations:
        verdict = judge(*arguments)
        if (verdict is None) != (wanted is None) or (wanted and wanted not in verdict):
            raise SystemExit(f"fuzz self-test: judge{arguments[4:6]} gave {verdict!r}, wanted {wanted!r}")
    os.remove(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", help="keep the work directory here")
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    work = arguments.keep or tempfile.mkdtemp(prefix="simdit-fuzz-")
    os.makedirs(work, exist_ok=True)
    self_test(work)
    seeds = Seeds(binary, work)
    rng = random.Random(arguments.seed)
    cases = [make_case(index, seeds, random.Random(rng.random()), work) for index in range(arguments.cases)]
    started = time.monotonic()
    failures = []
    counts = {}
    statuses = {}

    def execute(index):
        kind, command, path, output = cases[index]
        status, errors, rss, seconds = run(binary, command, work)
        verdict = judge(kind, command, path, output, status, errors, rss)
        if verdict is None:
            shutil.rmtree(os.path.join(work, f"case{index}"), ignore_errors=True)
        return index, kind, verdict, errors, status

    with ThreadPoolExecutor(max_workers=arguments.jobs) as pool:
        for index, kind, verdict, errors, status in pool.map(execute, range(len(cases))):
            counts[kind] = counts.get(kind, 0) + 1
            statuses[status] = statuses.get(status, 0) + 1
            if verdict:
                failures.append((index, verdict, errors))
    elapsed = time.monotonic() - started
    print(f"fuzz: {len(cases)} cases in {elapsed:.0f} s (seed {arguments.seed}, {arguments.jobs} jobs): "
          + ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
          + "; exit statuses " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str)))
    for index, verdict, errors in failures[:40]:
        if index < 0:
            print("FAIL " + verdict)
            continue
        kind, command, path, output = cases[index]
        print(f"FAIL case {index} ({kind}): {verdict}\n  {binary} {' '.join(command)}\n  "
              + errors.strip().replace("\n", "\n  ")[:800])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak > RSS_LIMIT_KIB:
        failures.append((-1, f"memory blow-up: a case reached {peak // 1024} MiB resident", ""))
    if failures:
        print(f"fuzz: {len(failures)} failures; the failing cases' files are kept under {work}")
        return 1
    if not arguments.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("fuzz: 0 crashes, 0 hangs, 0 memory blow-ups, 0 unpositioned file errors, 0 partial outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

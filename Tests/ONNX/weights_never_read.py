"""Checks that importing a model never reads its weights: writes a model whose last weight holds
1 GiB inline (a sparse file: the bytes cost no disk), runs `simdit simulate` on it, and fails
unless the process stayed under 150 MiB resident and 10 s. Reading the file whole, or touching the
weight's bytes, would make it resident.

    python weights_never_read.py SIMDIT OUT_DIR        prints the child's maximum resident set (KiB)
"""
import os
import subprocess
import sys
import time

import numpy as np
from onnx import TensorProto, helper, numpy_helper

WEIGHT_BYTES = 1 << 30


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field(number, payload_length):
    return varint(number << 3 | 2) + varint(payload_length)


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "huge_weights.onnx")
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 16, 32, 32])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 16384])
    # The small part of the graph: a convolution by a real small weight, then a fully-connected
    # layer whose 16,384 × 16,384 weight is the huge initializer (the import needs only its shape).
    small = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
         helper.make_node("Flatten", ["c"], ["f"]),
         helper.make_node("Gemm", ["f", "huge"], ["y"])],
        "huge_weights", [x], [y], [numpy_helper.from_array(np.zeros((16, 16, 3, 3), dtype=np.float32), "w")])
    model = helper.make_model(helper.make_graph([], "", [], []), opset_imports=[helper.make_opsetid("", 18)])
    model.ClearField("graph")
    # The huge initializer: its header, then raw_data whose bytes are a hole in the file.
    header = TensorProto()
    header.name = "huge"
    header.data_type = TensorProto.FLOAT
    header.dims.extend([16384, 16384])
    tensor_prefix = header.SerializeToString() + field(9, WEIGHT_BYTES)
    tensor_length = len(tensor_prefix) + WEIGHT_BYTES
    graph_prefix = small.SerializeToString() + field(5, tensor_length) + tensor_prefix
    graph_length = len(graph_prefix) + WEIGHT_BYTES
    prefix = model.SerializeToString() + field(7, graph_length) + graph_prefix
    with open(path, "wb") as handle:
        handle.write(prefix)
        handle.truncate(len(prefix) + WEIGHT_BYTES)
    started = time.monotonic()
    shown = subprocess.run([binary, "networks", "show", path], capture_output=True)
    seconds = time.monotonic() - started
    # The simulation measured alone, with wait4, for its own maximum resident set.
    child = subprocess.Popen([binary, "simulate", "--network", path, "--mode", "inference", "--summary"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    child_errors = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    resident_kib = usage.ru_maxrss
    print(resident_kib)
    problems = []
    if shown.returncode != 0:
        problems.append("networks show failed: " + shown.stderr.decode()[:2000])
    elif b"type: fc, out_features: 16384" not in shown.stdout:
        problems.append("the layer with the huge weight did not import: " + shown.stdout.decode()[:2000])
    if os.waitstatus_to_exitcode(status) != 0:
        problems.append("simulate failed: " + child_errors[:2000])
    if resident_kib > 150 * 1024:
        problems.append(f"the import was {resident_kib // 1024} MiB resident for a 1 GiB weight: it read the weights")
    if seconds > 10:
        problems.append(f"networks show took {seconds:.1f} s")
    os.remove(path)
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main()

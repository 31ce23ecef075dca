"""Writes ONNX models for the import's edges, with onnx's helper API: the forms PyTorch's two
exporters write (reductions with axes as attributes or inputs, Slice and Split, shape arithmetic
evaluated at import, SiLU, external data), and files with many problems at once.

    python import_edges.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def tensor(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def zeros(name, shape):
    return numpy_helper.from_array(np.zeros(shape, dtype=np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def save(name, nodes, inputs, outputs, inits, opset, check=True, graph_name=None, **save_options):
    graph = helper.make_graph(nodes, graph_name or name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    if check:
        onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name + ".onnx"), **save_options)


x = tensor("x", ["N", 16, 8, 8])

# Reductions: a spatial mean without keepdims (axes an input, opset 18) is the global average pool;
# a max over the channels (an attribute, opset 17) and a sum over the width (an input since 13).
save("reductions_18",
     [helper.make_node("ReduceMean", ["x", "hw"], ["m"], keepdims=0),
      helper.make_node("ReduceMax", ["x", "c"], ["k"], keepdims=1),
      helper.make_node("ReduceSum", ["x", "w"], ["s"], keepdims=0)],
     [x], [tensor("m", ["N", 16]), tensor("k", ["N", 1, 8, 8]), tensor("s", ["N", 16, 8])],
     [ints("hw", [2, 3]), ints("c", [1]), ints("w", [-1])], 18)
save("reductions_13",
     [helper.make_node("ReduceMean", ["x"], ["m"], axes=[-1, -2]),
      helper.make_node("ReduceSum", ["x", "hw"], ["s"], keepdims=1)],
     [x], [tensor("m", ["N", 16, 1, 1]), tensor("s", ["N", 16, 1, 1])], [ints("hw", [2, 3])], 13)

# Slices: channel halves by Split (num_outputs, opset 18) and by Slice with a negative step, a
# Gather of two channels, a Slice of the width with step 2.
save("slices_18",
     [helper.make_node("Split", ["x"], ["a", "b"], axis=1, num_outputs=2),
      helper.make_node("Slice", ["x", "s0", "e0", "ax0", "st0"], ["r"]),
      helper.make_node("Gather", ["x", "picks"], ["g"], axis=1),
      helper.make_node("Slice", ["x", "s1", "e1", "ax1", "st1"], ["w"])],
     [x], [tensor("a", ["N", 8, 8, 8]), tensor("b", ["N", 8, 8, 8]), tensor("r", ["N", 8, 8, 8]),
           tensor("g", ["N", 2, 8, 8]), tensor("w", ["N", 16, 8, 4])],
     [ints("s0", [-1]), ints("e0", [-9]), ints("ax0", [1]), ints("st0", [-1]), ints("picks", [3, 0]),
      ints("s1", [0]), ints("e1", [2 ** 62]), ints("ax1", [3]), ints("st1", [2])], 18)
save("split_13",
     [helper.make_node("Split", ["x", "sizes"], ["a", "b"], axis=1)],
     [x], [tensor("a", ["N", 4, 8, 8]), tensor("b", ["N", 12, 8, 8])], [ints("sizes", [4, 12])], 13)

# Shape arithmetic the exporters emit, evaluated at import: the Reshape target [N, 16, 64]
# computed from Shape, Range, Equal, Where, Expand, ConstantOfShape and Concat.
save("shape_arithmetic",
     [helper.make_node("Shape", ["x"], ["shape"]),
      helper.make_node("Gather", ["shape", "zero"], ["n"], axis=0),
      helper.make_node("Range", ["r0", "r4", "r1"], ["axes"]),
      helper.make_node("Equal", ["axes", "two"], ["is2"]),
      helper.make_node("Where", ["is2", "shape", "ones"], ["masked"]),
      helper.make_node("ConstantOfShape", ["one_shape"], ["filler"], value=helper.make_tensor("v", TensorProto.INT64, [1], [64])),
      helper.make_node("Expand", ["sixteen", "one_shape"], ["c"]),
      helper.make_node("Unsqueeze", ["n", "zero_axis"], ["n1"]),
      helper.make_node("Concat", ["n1", "c", "filler"], ["target"], axis=0),
      helper.make_node("Reshape", ["x", "target"], ["y"])],
     [x], [tensor("y", ["N", 16, 64])],
     [ints("zero", 0), ints("r0", 0), ints("r4", 4), ints("r1", 1), ints("two", 2), ints("ones", [1, 1, 1, 1]),
      ints("one_shape", [1]), ints("sixteen", [16]), ints("zero_axis", [0])], 18)

# SiLU: Sigmoid read only by Mul(x, ·) is one swish; a sigmoid read twice stays a sigmoid.
save("silu",
     [helper.make_node("Sigmoid", ["x"], ["s"]), helper.make_node("Mul", ["x", "s"], ["y"]),
      helper.make_node("Sigmoid", ["y"], ["t"]), helper.make_node("Mul", ["t", "y"], ["z"]),
      helper.make_node("Add", ["t", "z"], ["u"])],
     [x], [tensor("u", ["N", 16, 8, 8])], [], 18)

# Hard-swish as the classic exporter writes it before opset 14: HardSigmoid(x/6 + 1/2) times x;
# a squeeze-and-excitation gate (HardSigmoid of another tensor) stays a gate.
save("hardswish_13",
     [helper.make_node("HardSigmoid", ["x"], ["h"], alpha=1.0 / 6), helper.make_node("Mul", ["x", "h"], ["y"]),
      helper.make_node("GlobalAveragePool", ["y"], ["p"]), helper.make_node("HardSigmoid", ["p"], ["g"], alpha=1.0 / 6),
      helper.make_node("Mul", ["y", "g"], ["z"])],
     [x], [tensor("z", ["N", 16, 8, 8])], [], 13)

# Stochastic depth as the classic exporter writes it: a per-sample mask from RandomUniformLike,
# Less, Cast and Div, multiplied into the branch.
save("stochastic_depth",
     [helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
      helper.make_node("RandomUniformLike", ["mask_shape"], ["r"], dtype=TensorProto.FLOAT),
      helper.make_node("Less", ["r", "keep"], ["l"]),
      helper.make_node("Cast", ["l"], ["m"], to=TensorProto.FLOAT),
      helper.make_node("Div", ["m", "keep"], ["d"]),
      helper.make_node("Mul", ["c", "d"], ["b"]),
      helper.make_node("Add", ["b", "x"], ["y"])],
     [tensor("x", [2, 16, 8, 8])], [tensor("y", [2, 16, 8, 8])],
     [zeros("w", [16, 16, 3, 3]), zeros("mask_shape", [2, 1, 1, 1]),
      numpy_helper.from_array(np.array(0.8, dtype=np.float32), "keep")], 17)

# Every problem at once: two unsupported operators on one path (Erf three times, Mish once), the
# nodes after them not blamed; and 25 independent problems (bad pads), 20 shown and a count.
save("unsupported",
     [helper.make_node("Conv", ["x", "w"], ["a"], kernel_shape=[1, 1], name="conv0"),
      helper.make_node("Erf", ["a"], ["b"], name="erf0"), helper.make_node("Relu", ["b"], ["c"], name="relu0"),
      helper.make_node("Erf", ["c"], ["d"], name="erf1"), helper.make_node("Mish", ["d"], ["e"], name="mish0"),
      helper.make_node("Conv", ["e", "w"], ["f"], kernel_shape=[1, 1], name="conv1"),
      helper.make_node("Erf", ["f"], ["y"], name="erf2")],
     [x], [tensor("y", ["N", 16, 8, 8])], [zeros("w", [16, 16, 1, 1])], 18, check=False)
branches = [helper.make_node("Conv", ["x", "w"], [f"c{i}"], kernel_shape=[1, 1], pads=[0, 0, 0], name=f"bad{i}")
            for i in range(25)]
save("many_problems", branches + [helper.make_node("Sum", [f"c{i}" for i in range(25)], ["y"])],
     [x], [tensor("y", ["N", 16, 8, 8])], [zeros("w", [16, 16, 1, 1])], 18, check=False)

# Refused forms, each one diagnostic at its node: a Split into 2^31 parts, a reduction with empty
# axes (everything, the batch included), a constant divided by an activation; and an operator the
# import does not evaluate on constants (Erf) whose result is needed (a Reshape target).
save("refused",
     [helper.make_node("Split", ["x"], ["a", "b"], axis=1, num_outputs=2 ** 31, name="split_huge"),
      helper.make_node("ReduceMean", ["x", "none"], ["m"], name="reduce_all"),
      helper.make_node("Div", ["two", "x"], ["d"], name="divide_by_x")],
     [x], [tensor("a", ["N", 8, 8, 8]), tensor("m", []), tensor("d", ["N", 16, 8, 8])],
     [ints("none", []), numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")], 18, check=False)
save("unevaluated_constant",
     [helper.make_node("Erf", ["target_in"], ["target"], name="erf_on_constant"),
      helper.make_node("Reshape", ["x", "target"], ["y"], name="reshape")],
     [x], [tensor("y", ["N", 16, 64])],
     [numpy_helper.from_array(np.array([0, 16, 64], dtype=np.float32), "target_in")], 18, check=False)
save("reduce_noop",
     [helper.make_node("ReduceMean", ["x", "none"], ["y"], noop_with_empty_axes=1)],
     [x], [tensor("y", ["N", 16, 8, 8])], [ints("none", [])], 18)

# External data: a Reshape target stored in a data file (read: its value is needed), weights in a
# missing data file (never read), and locations that are absolute or leave the folder (refused).
def externalize(tensor_proto, location, data):
    """Moves a tensor's data to `location` at the end of `data` (bytes written by the caller)."""
    offset = len(data)
    data += tensor_proto.raw_data
    tensor_proto.ClearField("raw_data")
    tensor_proto.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", str(offset)), ("length", str(len(data) - offset))):
        entry = tensor_proto.external_data.add()
        entry.key, entry.value = key, value
    return data


def external(name, location, write):
    target = ints("target", [0, 16, 64])
    weights = zeros("w", [16, 16, 3, 3])
    data = b""
    for t in (target, weights):
        data = externalize(t, location, data)
    model = helper.make_model(helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
         helper.make_node("Reshape", ["c", "target"], ["y"])], name, [x], [tensor("y", ["N", 16, 64])], [target, weights]),
        opset_imports=[helper.make_opsetid("", 18)])
    onnx.save(model, os.path.join(out, name + ".onnx"))
    if write:
        with open(os.path.join(out, location), "wb") as f:
            f.write(data)


external("external_present", "external_present.onnx.data", write=True)
external("external_missing", "external_missing.onnx.data", write=False)
external("external_absolute", "/etc/simdit-absolute.data", write=False)
external("external_escape", "../outside.data", write=False)
# Only the weights external (as the default exporter writes them), the data file absent.
w = zeros("w", [16, 16, 3, 3])
externalize(w, "weights_only.onnx.data", b"")
save("weights_only", [helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
     [x], [tensor("y", ["N", 16, 8, 8])], [w], 18, check=False, graph_name="main_graph")

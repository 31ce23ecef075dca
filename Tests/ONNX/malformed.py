"""Writes ONNX models whose nodes lack inputs or attributes they need (not checked with
onnx.checker, on purpose), and a Clip with one bound, for the import tests.

    python malformed.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 32])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 32])
w = numpy_helper.from_array(np.zeros((32, 32), dtype=np.float32), "w")
cases = {
    "matmul_one_input": [helper.make_node("MatMul", ["x"], ["y"])],
    "gemm_no_weights": [helper.make_node("Gemm", ["x"], ["y"])],
    "sum_of_nothing_else": [helper.make_node("Sum", ["x"], ["y"])],
    "conv_without_weights": [helper.make_node("Conv", ["x"], ["y"])],
    "mul_one_input": [helper.make_node("Mul", ["x"], ["y"])],
}
for name, nodes in cases.items():
    graph = helper.make_graph(nodes, name, [x], [y], [w])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), os.path.join(out, name + ".onnx"))

# A valid Clip with only a lower bound (opset 13: bounds are inputs).
lower = numpy_helper.from_array(np.array(0.5, dtype=np.float32), "lo")
graph = helper.make_graph([helper.make_node("Clip", ["x", "lo"], ["y"])], "clip_lower_only", [x], [y], [lower])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "clip_lower_only.onnx"))

"""Independent reference for the ONNX import tests: the multiply-accumulates of every Conv, Gemm and
MatMul of a model, from the shapes onnx's own shape inference gives (batch as in the file, 1 when
symbolic).

    python reference_macs.py MODEL.onnx...      prints {"MODEL.onnx": macs, ...} as JSON
"""
import json
import sys

import onnx
from onnx import shape_inference


def dims(value_info):
    """A tensor's dimensions; a symbolic one (the batch) counts as 1."""
    return [d.dim_value if d.HasField("dim_value") else 1 for d in value_info.type.tensor_type.shape.dim]


def macs(path):
    model = shape_inference.infer_shapes(onnx.load(path))
    graph = model.graph
    shapes = {v.name: dims(v) for v in list(graph.value_info) + list(graph.input) + list(graph.output)}
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    total = 0
    for node in graph.node:
        if node.op_type == "Conv":
            out, weight = shapes[node.output[0]], shapes[node.input[1]]
            per_output = 1
            for d in weight[1:]:
                per_output *= d
            count = 1
            for d in out:
                count *= d
            total += count * per_output
        elif node.op_type in ("Gemm", "MatMul"):
            out, a = shapes[node.output[0]], shapes[node.input[0]]
            trans_a = any(attr.name == "transA" and attr.i for attr in node.attribute)
            k = a[0] if trans_a else a[-1]
            count = 1
            for d in out:
                count *= d
            total += count * k
    return total


if __name__ == "__main__":
    print(json.dumps({path: macs(path) for path in sys.argv[1:]}))

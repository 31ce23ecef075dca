"""Unpacks the torchvision exports kept in Tests/Fixtures/onnx/torchvision (xz-compressed graphs;
their weights were left out, see export_torchvision.py) into OUT_DIR, and prints, for each, the
reference multiply-accumulates per sample from onnx's own shape inference (independent of
simdit): every Conv, Gemm and MatMul, and those of the nodes that read the graph input (a first
layer computes no data gradient). A count is null where onnx's shape inference cannot give every
shape (the classic exporter's ShuffleNet slices at offsets computed from Shape).

    python torchvision_fixtures.py OUT_DIR      prints {"OUT_DIR/NAME.onnx": {"macs": M, "first": F}, ...}
"""
import glob
import json
import lzma
import os
import sys

import onnx
from onnx import shape_inference

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Fixtures", "onnx", "torchvision")


def dims(value_info):
    return [d.dim_value if d.HasField("dim_value") else None for d in value_info.type.tensor_type.shape.dim]


def product(values):
    result = 1
    for value in values:
        result *= value
    return result


def reference(path):
    model = shape_inference.infer_shapes(onnx.load(path, load_external_data=False), data_prop=True)
    graph = model.graph
    shapes = {v.name: dims(v) for v in list(graph.value_info) + list(graph.input) + list(graph.output)}
    for initializer in graph.initializer:
        shapes[initializer.name] = list(initializer.dims)
    data_input = graph.input[0].name
    batch = shapes[data_input][0] or 1
    total = first = 0
    for node in graph.node:
        if node.op_type not in ("Conv", "Gemm", "MatMul"):
            continue
        out, operand = shapes.get(node.output[0]), shapes.get(node.input[0])
        if out is None or operand is None or None in out or None in operand:
            return None
        if node.op_type == "Conv":
            count = product(out) * product(shapes[node.input[1]][1:])
        else:
            transposed = any(a.name == "transA" and a.i for a in node.attribute)
            count = product(out) * (operand[0] if transposed else operand[-1])
        total += count
        if node.input[0] == data_input:
            first += count
    return {"macs": total // batch, "first": first // batch}


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    results = {}
    for packed in sorted(glob.glob(os.path.join(FIXTURES, "*.onnx.xz"))):
        path = os.path.join(out, os.path.basename(packed)[:-3])
        with lzma.open(packed) as source, open(path, "wb") as target:
            target.write(source.read())
        results[path] = reference(path)
    print(json.dumps(results))

"""Writes torchvision's ResNet-50 (v1.5: the stride on the 3×3) as an ONNX model with onnx's helper
API, built here independently of simdit's zoo, for the import test. Weights are ConstantOfShape
producers (as in the stripped models the onnx wheel ships); the batch is symbolic.

    python resnet50.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

nodes, inits = [], []
counter = [0]


def fresh(prefix):
    counter[0] += 1
    return f"{prefix}_{counter[0]}"


def weight(shape):
    shape_name = fresh("shape")
    inits.append(numpy_helper.from_array(np.array(shape, dtype=np.int64), shape_name))
    out = fresh("w")
    nodes.append(helper.make_node("ConstantOfShape", [shape_name], [out],
                                  value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.01])))
    return out


def conv_bn(x, cin, cout, k, stride, relu=True):
    y = fresh("conv")
    nodes.append(helper.make_node("Conv", [x, weight([cout, cin, k, k])], [y], kernel_shape=[k, k],
                                  strides=[stride, stride], pads=[k // 2] * 4))
    z = fresh("bn")
    nodes.append(helper.make_node("BatchNormalization", [y] + [weight([cout]) for _ in range(4)], [z]))
    if not relu:
        return z
    r = fresh("relu")
    nodes.append(helper.make_node("Relu", [z], [r]))
    return r


x = conv_bn("data", 3, 64, 7, 2)
p = fresh("pool")
nodes.append(helper.make_node("MaxPool", [x], [p], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
x, channels = p, 64
for stage, blocks in enumerate([3, 4, 6, 3]):
    width = 64 << stage
    for block in range(blocks):
        stride = 2 if stage > 0 and block == 0 else 1
        a = conv_bn(x, channels, width, 1, 1)
        b = conv_bn(a, width, width, 3, stride)
        c = conv_bn(b, width, 4 * width, 1, 1, relu=False)
        shortcut = x
        if stride != 1 or channels != 4 * width:
            shortcut = conv_bn(x, channels, 4 * width, 1, stride, relu=False)
        s = fresh("add")
        nodes.append(helper.make_node("Add", [c, shortcut], [s]))
        r = fresh("relu")
        nodes.append(helper.make_node("Relu", [s], [r]))
        x, channels = r, 4 * width
g = fresh("gap")
nodes.append(helper.make_node("GlobalAveragePool", [x], [g]))
f = fresh("flat")
nodes.append(helper.make_node("Flatten", [g], [f], axis=1))
nodes.append(helper.make_node("Gemm", [f, weight([1000, 2048]), weight([1000])], ["logits"], transB=1))
graph = helper.make_graph(nodes, "resnet50", [helper.make_tensor_value_info("data", TensorProto.FLOAT, ["N", 3, 224, 224])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])

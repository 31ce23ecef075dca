"""Writes small ONNX models of the patterns current exporters produce, for the import tests:
a MatMul over a sequence, an explicit Pad before a convolution, a squeeze-and-excitation block, a
depthwise-separable block with ReLU6 (Clip with inputs, opset 13) and hard-swish (opset 14), and a
channel shuffle. Weights are initializers (zeros); the batch is symbolic.

    python patterns.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(name, nodes, inputs, outputs, inits, opset):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(sys.argv[1], name + ".onnx"))


def tensor(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def zeros(name, shape, dtype=np.float32):
    return numpy_helper.from_array(np.zeros(shape, dtype=dtype), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


os.makedirs(sys.argv[1], exist_ok=True)

# A projection of a 16-token sequence of 32 features to 64, then softmax over the features.
save("matmul_sequence",
     [helper.make_node("MatMul", ["x", "w"], ["y"]), helper.make_node("Add", ["y", "b"], ["z"]),
      helper.make_node("Softmax", ["z"], ["p"], axis=-1)],
     [tensor("x", ["N", 16, 32])], [tensor("p", ["N", 16, 64])], [zeros("w", [32, 64]), zeros("b", [64])], 13)

# Explicit zero padding before an unpadded 3×3 convolution, and before a max pool.
save("pad_conv",
     [helper.make_node("Pad", ["x", "pads"], ["xp"], mode="constant"),
      helper.make_node("Conv", ["xp", "w"], ["y"], kernel_shape=[3, 3]),
      helper.make_node("Pad", ["y", "pads"], ["yp"], mode="constant"),
      helper.make_node("MaxPool", ["yp"], ["z"], kernel_shape=[3, 3], strides=[2, 2])],
     [tensor("x", ["N", 3, 32, 32])], [tensor("z", ["N", 8, 16, 16])],
     [ints("pads", [0, 0, 1, 1, 0, 0, 1, 1]), zeros("w", [8, 3, 3, 3])], 13)

# Squeeze-and-excitation: global pool, reduce, ReLU, expand, sigmoid, scale the map.
save("squeeze_excitation",
     [helper.make_node("Conv", ["x", "w0"], ["a"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
      helper.make_node("GlobalAveragePool", ["a"], ["s"]),
      helper.make_node("Conv", ["s", "w1", "b1"], ["r"], kernel_shape=[1, 1]),
      helper.make_node("Relu", ["r"], ["rr"]),
      helper.make_node("Conv", ["rr", "w2", "b2"], ["e"], kernel_shape=[1, 1]),
      helper.make_node("Sigmoid", ["e"], ["g"]),
      helper.make_node("Mul", ["a", "g"], ["y"])],
     [tensor("x", ["N", 16, 28, 28])], [tensor("y", ["N", 32, 28, 28])],
     [zeros("w0", [32, 16, 3, 3]), zeros("w1", [8, 32, 1, 1]), zeros("b1", [8]), zeros("w2", [32, 8, 1, 1]),
      zeros("b2", [32])], 13)

# Depthwise-separable block: depthwise 3×3 stride 2 with ReLU6 (Clip with constant inputs), then a
# pointwise convolution with hard-swish; BatchNormalization between.
save("depthwise_separable",
     [helper.make_node("Conv", ["x", "dw"], ["d"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], group=32),
      helper.make_node("BatchNormalization", ["d", "g", "b", "m", "v"], ["dn"]),
      helper.make_node("Clip", ["dn", "lo", "hi"], ["d6"]),
      helper.make_node("Conv", ["d6", "pw"], ["p"], kernel_shape=[1, 1]),
      helper.make_node("HardSwish", ["p"], ["h"]),
      helper.make_node("GlobalAveragePool", ["h"], ["gp"]),
      helper.make_node("Flatten", ["gp"], ["f"]),
      helper.make_node("Gemm", ["f", "fc", "fb"], ["y"], transB=1)],
     [tensor("x", ["N", 32, 56, 56])], [tensor("y", ["N", 10])],
     [zeros("dw", [32, 1, 3, 3]), zeros("g", [32]), zeros("b", [32]), zeros("m", [32]), zeros("v", [32]),
      numpy_helper.from_array(np.array(0, dtype=np.float32), "lo"), numpy_helper.from_array(np.array(6, dtype=np.float32), "hi"),
      zeros("pw", [64, 32, 1, 1]), zeros("fc", [10, 64]), zeros("fb", [10])], 14)

# ShuffleNet's channel shuffle written with Shape/Gather arithmetic folded to constants, Unsqueeze
# with axes as an input (opset 13).
save("channel_shuffle",
     [helper.make_node("Conv", ["x", "w"], ["a"], kernel_shape=[1, 1], group=4),
      helper.make_node("Reshape", ["a", "s5"], ["r"]),
      helper.make_node("Transpose", ["r"], ["t"], perm=[0, 2, 1, 3, 4]),
      helper.make_node("Reshape", ["t", "s4"], ["y0"]),
      helper.make_node("Unsqueeze", ["y0", "axes"], ["y1"]),
      helper.make_node("Squeeze", ["y1", "axes"], ["y"])],
     [tensor("x", ["N", 16, 8, 8])], [tensor("y", ["N", 16, 8, 8])],
     [zeros("w", [16, 4, 1, 1]), ints("s5", [0, 4, 4, 8, 8]), ints("s4", [0, 16, 8, 8]), ints("axes", [2])], 13)

"""Exports torchvision classification models to ONNX the way users do, with PyTorch's default
exporter (`dynamo=True`, opset 18+, weights in an external data file) and its classic one
(`dynamo=False`, opset 17, weights inline), after `model.eval()` or `model.train()`, random
weights. This is how Tests/Fixtures/onnx/torchvision/ was made; the tests do not run it (they need
no PyTorch): they read the committed graphs, whose weights are left out.

    python export_torchvision.py OUT_DIR [--exporter dynamo|classic] [--mode eval|train]
                                 [--batch N] [--fixture] MODEL...

`--fixture` rewrites each export as a committed fixture: every tensor over 1 kB moved to an
external data file that is then deleted (weights are never read by simdit), compressed with xz.

Needs torch, torchvision, onnx and onnxscript (PyPI's torchvision wheel is a CUDA build: its two
custom-op schemas are defined here before it is imported).
"""
import argparse
import lzma
import os
import re
import warnings

import onnx
import torch

warnings.filterwarnings("ignore")
_library = torch.library.Library("torchvision", "DEF")
_library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
_library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
import torchvision  # noqa: E402  (after the schemas)


def export(name, out, exporter, mode, batch):
    torch.manual_seed(0)
    options = {"aux_logits": False, "init_weights": False} if name in ("googlenet", "inception_v3") else {}
    model = getattr(torchvision.models, name)(weights=None, **options)
    model.train() if mode == "train" else model.eval()
    size = 299 if name == "inception_v3" else 224
    x = torch.randn(batch, 3, size, size)
    path = os.path.join(out, f"{name}-{exporter}-{mode}.onnx")
    if exporter == "dynamo":
        torch.onnx.export(model, (x,), path, dynamo=True)
    else:
        training = torch.onnx.TrainingMode.TRAINING if mode == "train" else torch.onnx.TrainingMode.EVAL
        torch.onnx.export(model, (x,), path, dynamo=False, opset_version=17, training=training,
                          do_constant_folding=mode != "train")
    return path


def fixture(path):
    """The graph with its weights in a data file that is then removed, compressed with xz. The
    default exporter's per-node stack traces name the exporting machine's Python installation:
    its folders up to site-packages are cut."""
    model = onnx.load(path, load_external_data=False)   # the default exporter's weights stay where they are
    for node in model.graph.node:
        for entry in node.metadata_props:
            entry.value = re.sub(r"/[^\s\"']*/site-packages/", "site-packages/", entry.value)
    data = os.path.join(os.path.dirname(path), os.path.basename(path) + ".data")
    onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True, location=os.path.basename(data),
              size_threshold=1024)
    if os.path.exists(data):
        os.remove(data)
    with open(path, "rb") as source, lzma.open(path + ".xz", "wb", preset=9 | lzma.PRESET_EXTREME) as target:
        target.write(source.read())
    os.remove(path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--exporter", choices=["dynamo", "classic"], default="dynamo")
    parser.add_argument("--mode", choices=["eval", "train"], default="eval")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--fixture", action="store_true")
    parser.add_argument("models", nargs="+")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    for model_name in arguments.models:
        exported = export(model_name, arguments.out, arguments.exporter, arguments.mode, arguments.batch)
        if arguments.fixture:
            fixture(exported)
        print("wrote", exported + (".xz" if arguments.fixture else ""), flush=True)

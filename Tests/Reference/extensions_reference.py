#!/usr/bin/env python3
"""Independent reference of the simdit cost model for the operations beyond the published model.

Written only from the two specification documents and the preset table:

  G   = /work/shared/GENESYS-MODEL.md                         (the published model; "G§n")
  X   = Sources/SimDITCore/Operations/MODEL-EXTENSIONS.md    (the extensions;     "X§n")
  P   = Sources/SimDITCore/Hardware/Presets.swift           (architecture parameters)

No other Swift source was read.  Standard library only.

Usage
-----
  extensions_reference.py --arch genesys-inference-01 --mode inference --batch 1 \
      --op '{"op": "activation", "function": "sigmoid", "shape": [256, 56, 56], "next_on_array": true}'

prints the op's counts as JSON: systolic/SIMD compute and stall cycles, DRAM bits and bytes by kind
(filter, ifmap, psum, ofmap, bias), SRAM bytes by buffer, MACs (padded) and useful MACs, the
published op count ("ops", latency-weighted, Q7) and the SIMD op counts by kind.

  extensions_reference.py --emit-cases Tests/Reference/cases.json

regenerates the cross-check cases (networks, expected program and reference values).

Op descriptions (JSON)
----------------------
Array ops
  {"op": "conv", "in": [C, H, W], "out_channels": OC, "kernel": [KH, KW], "stride": [sh, sw],
   "dilation": [dh, dw], "padding": [t, l, b, r], "groups": g, "bias": bool,
   "role": "forward" | "dX" | "dW", "first_layer": bool}
      the LAYER's parameters; the role selects the forward conv or its dX/dW conv (X§1).
  {"op": "fc", "in_features": Nf, "out_features": P, "bias": bool, "classifier": bool,
   "role": "forward" | "dX" | "dW", "first_layer": bool}           (X§8, G§4.5)
  {"op": "matmul", "in_features": Nf, "out_features": P, "rows": r, "bias": false,
   "role": "forward" | "dX" | "dW", "first_layer": bool}
      a GEMM of B*r samples (X§8; see matmul_shape).  first_layer: the layer reads the network
      input, so its dX has no useful MACs (X§2).
SIMD ops (all take "next_on_array": bool, which sets bw_out by rule R3; default false)
  {"op": "activation", "function": F, "grad": bool, "shape": [C, H, W]}        (X§3, X§0)
      F in clip, relu6, leaky_relu, sigmoid, tanh, hard_sigmoid, hard_swish, swish, scale, shift
  {"op": "relu" | "relu_grad" | "elem_add", "shape": [C, H, W]}                 (G§6.1, G§6.7, G§6.2)
  {"op": "broadcast_mul" | "broadcast_add", "shape": [C, H, W], "operand_elements": e_op}  (X§4)
  {"op": "reduce_spatial" | "global_sum_pool", "shape": [C, H, W]}              (X§4, X§7)
  {"op": "global_sum_pool_grad", "shape": [C, H, W]}                            (X§7)
  {"op": "stochastic_depth" | "stochastic_depth_grad", "shape": [C, H, W]}      (X§9, training)
  {"op": "lrn" | "lrn_grad", "shape": [C, H, W], "size": n}                    (X§5)
  {"op": "softmax" | "softmax_grad", "shape": [C, H, W]}                        (X§6)
  {"op": "global_max_pool" | "global_max_pool_grad" | "global_avg_pool" |
         "global_average_pool_grad", "shape": [C, H, W]}                        (X§7, G§6.3, G§6.8)
      a map that does not fit one pool tile (or whose gradient tiler finds none) is streamed (X§7)
  {"op": "permute", "shape": [C, H, W]}                                         (X§9)
  {"op": "sgd4d", "W": KW, "H": KH, "C": C, "N": OC}   {"op": "sgd2d", "C": C, "N": N}
  {"op": "sgd1d", "C": C}   {"op": "reduce_sum", "C": C}                        (G§6.7)
  {"op": "zero"}          (X§9: zero-cost; also slice and its gradient, inference stochastic_depth)
"""

import argparse
import json
import math
import sys

# ------------------------------------------------------------------------------------------------
# Architecture (P: Presets.swift; G§1.2 derived quantities)
# ------------------------------------------------------------------------------------------------

# name: (N, M, act, wgt, wbufHalf, ibufHalf, obufHalf, bbufHalf, vmem, param, ibufPort, obufPort, simdPort)
PRESETS = {
    "genesys-inference-01": (16, 16, 4, 4, 65536, 65536, 524288, 8192, 524288, 64, 128, 128, 128),
    "genesys-inference-02": (16, 16, 4, 4, 262144, 131072, 1048576, 8192, 1048576, 64, 256, 256, 256),
    "genesys-inference-03": (16, 16, 8, 8, 131072, 131072, 524288, 8192, 524288, 128, 128, 128, 128),
    "genesys-inference-04": (16, 16, 8, 8, 262144, 262144, 1048576, 8192, 1048576, 128, 256, 256, 256),
    "genesys-inference-05": (32, 32, 4, 4, 262144, 131072, 1048576, 16384, 1048576, 128, 256, 256, 256),
    "genesys-inference-06": (32, 32, 4, 4, 524288, 262144, 2097152, 16384, 2097152, 128, 256, 256, 256),
    "genesys-inference-07": (32, 32, 8, 8, 1048576, 524288, 2097152, 16384, 2097152, 256, 256, 256, 256),
    "genesys-inference-08": (64, 64, 4, 4, 1048576, 524288, 4194304, 32768, 2097152, 256, 256, 256, 256),
    "genesys-inference-09": (64, 64, 8, 8, 2097152, 1048576, 4194304, 32768, 4194304, 512, 512, 512, 512),
    "genesys-inference-11": (128, 128, 4, 4, 4194304, 1048576, 8388608, 65536, 8388608, 512, 128, 256, 256),
    "genesys-inference-12": (128, 128, 4, 4, 8388608, 1048576, 16777216, 65536, 16777216, 512, 512, 512, 512),
    "genesys-inference-13": (128, 128, 8, 8, 8388608, 2097152, 8388608, 65536, 8388608, 512, 128, 256, 256),
    "genesys-inference-14": (128, 128, 8, 8, 16777216, 2097152, 16777216, 65536, 16777216, 512, 512, 512, 512),
    "genesys-training-01": (16, 16, 16, 16, 262144, 262144, 524288, 8192, 524288, 256, 128, 128, 256),
    "genesys-training-02": (16, 16, 16, 16, 1048576, 524288, 1048576, 8192, 1048576, 128, 128, 128, 128),
    "genesys-training-05": (32, 32, 16, 16, 1048576, 524288, 1048576, 16384, 1048576, 256, 256, 256, 256),
    "genesys-training-06": (32, 32, 16, 16, 2097152, 1048576, 2097152, 16384, 2097152, 256, 256, 256, 256),
    "genesys-training-08": (64, 64, 16, 16, 4194304, 2097152, 4194304, 32768, 4194304, 512, 512, 512, 512),
    "genesys-training-09": (64, 64, 16, 16, 8388608, 2097152, 8388608, 32768, 8388608, 512, 256, 256, 512),
    "genesys-training-11": (128, 128, 16, 16, 16777216, 4194304, 8388608, 65536, 8388608, 512, 256, 256, 512),
    "genesys-training-12": (128, 128, 16, 16, 33554432, 4194304, 16777216, 65536, 16777216, 512, 512, 512, 512),
}


class NoTile(Exception):
    """The tiler finds no tile (the simulation stops with 'no tile')."""


class Arch:
    def __init__(self, name, mode):
        (n, m, act, wgt, wh, ih, oh, bh, vmem, param, ip, op, sp) = PRESETS[name]
        self.name = name
        self.N, self.M = n, m
        self.bw_a, self.bw_w = act, wgt
        self.bw_b = 32          # G§1.3: BIAS = 32 in every design
        self.bw_p = 32          # G§1.3: ACC = 32
        self.bw_s = 32          # G§0: SIMD width = bw_p
        # G§1.2: tiler buffers are the halves (the preset stores the halves); O2 = OBUF JSON value.
        self.W2, self.I2, self.O2, self.B2 = wh, ih, oh, bh
        self.V = vmem           # G§1.2: VMEM single-buffered, the whole capacity
        self.BW_w = min(n * wgt, param)   # G§1.2
        self.BW_i, self.BW_o, self.BW_s = ip, op, sp
        self.F_A = (n - 1) + (m - 1)      # G§1.2
        self.F_S = m + 4                  # G§1.2
        # G§1.2 latency table (also X preamble)
        if mode == "inference":
            self.lat = {"div": 9, "exp": 3, "isqrt": 13, "cmov": 1}
        else:
            self.lat = {"div": 5, "exp": 3, "isqrt": 11, "cmov": 1}
        self.mode = mode


# ------------------------------------------------------------------------------------------------
# Search primitives (G§3.0) and padding (G§2.1 R4)
# ------------------------------------------------------------------------------------------------

def pad_up(x, m):
    """G§2.1 R4: padUp(x, m) = m if x <= m else m*ceil(x/m)."""
    return float(m) if x <= m else float(m * math.ceil(x / m))


def _is_int(x):
    return abs(x - round(x)) == 0.0


def spatial_search(X, Y, fits, integral):
    """G§3.0 SpatialSearch: i = 1, 2, ...; candidate (X/i, Y/i) (integral) or ceil'd (not)."""
    X, Y = float(X), float(Y)
    top = int(max(X, Y))
    for i in range(1, top + 1):
        if integral:
            cx, cy = X / i, Y / i
            if not (_is_int(cx) and _is_int(cy)):
                continue
        else:
            cx, cy = float(math.ceil(X / i)), float(math.ceil(Y / i))
        if fits(cx, cy):
            return cx, cy
    raise NoTile("no spatial tile")


def batch_search(B, fits):
    """G§3.0 BatchSearch: k = 1, 2, ...; candidate B/k, integers only."""
    B = float(B)
    for k in range(1, int(B) + 1):
        c = B / k
        if not _is_int(c):
            continue
        if fits(c):
            return c
    raise NoTile("no batch tile")


def grow(unit, cap, fits):
    """G§3.0 Grow: the largest multiple of unit <= cap that fits (stops at the first failure)."""
    val = float(unit)
    j = 2
    while True:
        cand = float(unit * j)
        if cand > cap or not fits(cand):
            return val
        val = cand
        j += 1


def ceil(x):
    return float(math.ceil(x))


# ------------------------------------------------------------------------------------------------
# Result container
# ------------------------------------------------------------------------------------------------

SIMD_KINDS = ["max", "add", "subtract", "multiply", "divide", "exponent",
              "inverse_square_root", "conditional_move", "element_steps"]
# instruction kind (X§0) -> report kind.  'step' (a lane move, X§0) and the generic G§6.7 steps
# are booked as element steps (X§0: "ops booked as generic steps").
KIND_NAME = {"max": "max", "min": "max", "add": "add", "sub": "subtract", "mul": "multiply",
             "div": "divide", "exp": "exponent", "isqrt": "inverse_square_root",
             "cmov": "conditional_move", "step": "element_steps"}


def empty_result():
    return {
        "unit": "none", "output_bits": 32,
        "systolic_compute": 0.0, "systolic_stall": 0.0, "simd_compute": 0.0, "simd_stall": 0.0,
        "dram_bits": {"filter": 0.0, "ifmap": 0.0, "psum": 0.0, "ofmap": 0.0, "bias": 0.0},
        "sram_bits": {"ibuf": 0.0, "wbuf": 0.0, "obuf": 0.0, "bbuf": 0.0, "vmem": 0.0, "imm": 0.0,
                      "instruction": 0.0},
        "macs": 0.0, "useful_macs": 0.0, "ops": 0.0,
        "simd_ops": {k: 0.0 for k in SIMD_KINDS},
        "tile": None,
    }


def scale_result(r, g):
    """X§1: every count of a grouped op is g x that group's."""
    for k in ("systolic_compute", "systolic_stall", "simd_compute", "simd_stall", "macs",
              "useful_macs", "ops"):
        r[k] *= g
    for d in ("dram_bits", "sram_bits", "simd_ops"):
        for k in r[d]:
            r[d][k] *= g
    return r


# ------------------------------------------------------------------------------------------------
# Systolic array: conv tiler (G§3.1, X§1 dilation) and costs (G§4, G§5)
# ------------------------------------------------------------------------------------------------

def sa_group(A, OW, OH, OC, KW, KH, IC, B, sh=1, sw=1, dh=1, dw=1, gemm=False):
    """One dense convolution (one group), tiled by G§3.1 and costed by G§4-5.

    OC, IC: the group's unpadded channels; B: the batch after R2.  Dilation (X§1) only enters the
    input extent iw = (ow-1)*s_w + (kw-1)*d_w + 1.  gemm: OW=OH=KW=KH=1 (G§2.2); with B == 1 the
    output-stationary model of G§4.5 applies (X§8: only when samples = 1)."""
    N, M = A.N, A.M
    bw_a, bw_w, bw_b, bw_p = A.bw_a, A.bw_w, A.bw_b, A.bw_p
    W2, I2, O2, B2 = A.W2, A.I2, A.O2, A.B2
    # G§3.1 minimum-size asserts (expressed on the halves)
    if not (W2 >= N * M * 9 * bw_w and I2 >= N * 15 * 15 * bw_a and O2 >= M * 49 * bw_p
            and B2 >= M * bw_b):
        raise NoTile("array buffers below the G§3.1 minimum")
    OCp = pad_up(OC, M)                      # R4
    ICp = pad_up(IC, N)
    OW, OH, KW, KH, B = float(OW), float(OH), float(KW), float(KH), float(B)

    def extent(o, s, k, d):                  # X§1 (G: (o-1)*s + k when d = 1)
        return (o - 1) * s + (k - 1) * d + 1

    # G§3.1 step 1: kernel tile
    kw, kh = KW, KH
    i = 1
    while kw * kh * N * M * bw_w > W2 or kw * kh * N * bw_a > I2:
        i += 1
        kw, kh = ceil(KW / i), ceil(KH / i)
    # step 2: IC tile (1x1 spatial footprint)
    ic = grow(N, ICp, lambda c: kw * kh * c * M * bw_w <= W2 and kw * kh * c * bw_a <= I2)
    # step 3: spatial tile; integral when KH, KW <= 3 taps (G§3.1, X§1)
    integral = (KH <= 3 and KW <= 3)

    def fit_sp(ow, oh):
        iw, ih = extent(ow, sw, kw, dw), extent(oh, sh, kh, dh)
        return ow * oh * M * 1 * bw_p <= O2 and iw * ih * ic * 1 * bw_a <= I2
    ow, oh = spatial_search(OW, OH, fit_sp, integral)
    iw, ih = extent(ow, sw, kw, dw), extent(oh, sh, kh, dh)
    # step 4: batch tile
    b = batch_search(B, lambda bb: ow * oh * M * bb * bw_p <= O2 and iw * ih * ic * bb * bw_a <= I2)
    # step 5: OC tile
    oc = grow(M, OCp, lambda c: kw * kh * ic * c * bw_w <= W2 and ow * oh * c * b * bw_p <= O2
              and c * bw_b <= B2)

    # G§4.1 tile counts (real ratios, Q1)
    r_ow, r_oh, r_b = OW / ow, OH / oh, B / b
    r_ic, r_kw, r_kh, r_oc = ICp / ic, KW / kw, KH / kh, OCp / oc
    T = r_ow * r_oh * r_b * r_ic * r_kw * r_kh * r_oc
    WS = r_ow * r_oh * r_b
    c_oc, c_ic, c_kw, c_kh = ceil(OCp / oc), ceil(ICp / ic), ceil(KW / kw), ceil(KH / kh)
    c_ow, c_oh, c_b = ceil(OW / ow), ceil(OH / oh), ceil(B / b)

    # G§4.2 compute and MACs
    cyc_tile = ow * oh * kw * kh * b * ceil(ic / N) * ceil(oc / M)
    C = cyc_tile + A.F_A
    compute = ceil(C * T)
    macs = ow * oh * kw * kh * b * ic * oc * T

    # G§4.3 per-tile transfers
    Wt = ceil(kw * kh * ic * oc * bw_w / A.BW_w)
    Bt = ceil(oc * bw_b / A.BW_w)
    It = ceil(iw * ih * ic * b * bw_a / A.BW_i)
    Pt = ceil(ow * oh * oc * b * bw_p / A.BW_o)

    r = empty_result()
    r["unit"] = "systolic"
    if gemm and B == 1:
        # G§4.5: output-stationary GEMM at batch 1 (tile sizes with OW=OH=KW=KH=1)
        Wt = ceil(ic * oc * bw_w / A.BW_w)
        Bt = ceil(oc * bw_b / A.BW_w)
        It = ceil(ic * bw_a / A.BW_i)
        Os = ceil(oc * bw_p / A.BW_o)
        first = max(It, Wt + Bt)
        if c_ic == 1:
            n1 = r_oc - 2
            if n1 < 0:
                stall = first + Os
            else:
                stall = (max(0.0, Wt + Bt - C, Os - C) * n1 + first + max(0.0, Wt + Bt - C)
                         + max(0.0, Os - C) + Os)
        else:
            n1 = r_oc - 1
            n4 = r_oc - 1
            n3 = (r_ic * r_oc - r_oc - 1) - n4
            stall = (max(0.0, Wt + Bt - C, It - C) * n1 + max(0.0, Wt - C, It - C) * n3
                     + max(0.0, Wt - C, It - C, Os - C) * n4
                     + first + max(0.0, Wt - C, It - C) + 0.0 + Os)
        # G§5.1 GEMM batch 1 DRAM
        dram = {"ifmap": ic * r_ic * r_oc * bw_a,             # Q3
                "filter": ic * oc * r_ic * r_oc * bw_w,
                "ofmap": oc * r_oc * bw_p,
                "bias": oc * r_oc * bw_b,
                "psum": 0.0}
    else:
        # G§4.4 weight-stationary stall model (no clamping, Q2)
        NT_wgt = r_kw * r_kh * r_ic * r_oc
        NT_wgtonly = NT_wgt - r_oc
        NT_pswrt = T
        NT_pswonly = WS * r_oc
        NT_psrdwrt = NT_pswrt - NT_pswonly
        n5 = r_oc - 1
        n4 = NT_wgtonly
        n1 = (NT_pswonly - 2) - n5
        n2 = NT_psrdwrt - n4
        if n2 + n4 == 0:
            n2 = 0.0
            n4 = 0.0
        s1 = max(0.0, It - C, Pt - C) * n1
        s2 = max(0.0, It - C, 2 * Pt - C) * n2
        s4 = max(0.0, It - C, Wt - C, 2 * Pt - C) * n4
        s5 = max(0.0, It - C, Pt - C, Wt + Bt - C) * n5
        s_first = max(It, Wt + Bt)
        s_second = max(0.0, It - C)
        s_2ndlast = max(0.0, Pt - C)
        s_last = Pt
        stall = s1 + s2 + s4 + s5 + s_first + s_second + s_2ndlast + s_last
        # G§5.1 DRAM
        dram = {
            "ifmap": iw * ih * ic * b * r_ow * r_oh * r_b * r_ic * r_kw * r_kh * c_oc * bw_a,
            "filter": kw * kh * ic * oc * r_ic * r_kw * r_kh * r_oc * bw_w,
            "psum": (ow * oh * oc * b * r_ow * r_oh * r_b * r_oc * (2 * c_ic * c_kw * c_kh - 1)
                     - OW * OH * OCp * B) * bw_p,
            "ofmap": OW * OH * OCp * B * bw_p,
            "bias": oc * r_oc * bw_b,                          # Q4: also for bias-less ops
        }
    # G§5.2 SRAM
    sram = {
        "ibuf": ow * oh * b * ic * kw * kh * ceil(oc / M) * r_ow * r_oh * r_b * r_ic * r_kw * r_kh
        * c_oc * bw_a,
        "wbuf": kw * kh * ic * oc * ceil(ow) * ceil(oh) * ceil(b) * c_ow * c_oh * c_b * r_ic * r_kw
        * r_kh * r_oc * bw_w,
        "obuf": ow * oh * b * oc * (2 * (ic / N) * ceil(kw) * ceil(kh) * c_ic * c_kw * c_kh - 1)
        * r_ow * r_oh * r_b * r_oc * bw_p,
        "bbuf": ow * oh * b * oc * r_ow * r_oh * r_b * r_oc * bw_b,
    }
    r["systolic_compute"] = compute
    r["systolic_stall"] = stall
    r["dram_bits"].update(dram)
    r["sram_bits"].update(sram)
    r["macs"] = macs
    r["ops"] = 2 * macs                                       # G§4.2
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "ic": ic, "kw": kw, "kh": kh, "b": b,
                 "iw": iw, "ih": ih}
    return r


def _pair(x):
    if isinstance(x, (list, tuple)):
        return (x[0], x[1]) if len(x) == 2 else (x[0], x[0])
    return (x, x)


def _pads(p):
    if isinstance(p, (list, tuple)):
        if len(p) == 4:
            return tuple(p)
        if len(p) == 2:
            return (p[0], p[1], p[0], p[1])
        return (p[0],) * 4
    return (p, p, p, p)


def conv_shapes(op):
    """Layer parameters -> forward output size (X§1)."""
    C, H, W = op["in"]
    KH, KW = _pair(op.get("kernel", 1))
    sh, sw = _pair(op.get("stride", 1))
    dh, dw = _pair(op.get("dilation", 1))
    pt, pl, pb, pr = _pads(op.get("padding", 0))
    OH = (H + pt + pb - ((KH - 1) * dh + 1)) // sh + 1        # X§1 output size
    OW = (W + pl + pr - ((KW - 1) * dw + 1)) // sw + 1
    return C, H, W, KH, KW, sh, sw, dh, dw, pt, pl, pb, pr, OH, OW


def conv_model(A, B, op):
    """X§1 grouped/depthwise/dilated conv, its dX and dW (training), X§2 useful MACs.

    X§2: useful MACs are the forward layer's MACs per sample F = OH*OW*KH*KW*(IC/g)*OC (the
    layer's true sizes) times B, for the forward op, its dX and its dW alike; the dX of a layer
    that reads the network input ("first_layer": it needs no dX, Q10 keeps the op) has 0.  The
    dX/dW ops' own shapes (stride zeros, Q11's enlarged dW outputs, Q10's extent) only enter
    their macs and cycles."""
    C, H, W, KH, KW, sh, sw, dh, dw, pt, pl, pb, pr, OH, OW = conv_shapes(op)
    OC = op["out_channels"]
    g = op.get("groups", 1)
    assert C % g == 0 and OC % g == 0
    role = op.get("role", "forward")
    first = op.get("first_layer", False)
    F = OH * OW * KH * KW * (C // g) * OC                                        # X§2
    if role == "forward":
        # X§1: groups run serially; one group with OC/g, IC/g padded on its own; x g.
        r = sa_group(A, OW, OH, OC // g, KW, KH, C // g, B, sh, sw, dh, dw)
        useful = F * B                       # = g*OW*OH*KW*KH*B*(IC/g)*(OC/g), the op's own (X§2)
    elif role == "dX":
        # X§1 Backward dX: OC := IC, IC := OC, same g, kernel, dilation; stride 1; output HxW.
        # First-layer quirk (Q10): output extent E = (OH-1)*s + (KH-1)*d + 1 instead of H.
        if first:
            XH = (OH - 1) * sh + (KH - 1) * dh + 1
            XW = (OW - 1) * sw + (KW - 1) * dw + 1
        else:
            XH, XW = H, W
        r = sa_group(A, XW, XH, C // g, KW, KH, OC // g, B, 1, 1, dh, dw)
        useful = 0 if first else F * B                                         # X§2
    elif role == "dW":
        # X§1 Backward dW: kernel K_d = s*(OH-1)+1, slid with stride (d_h, d_w) over the padded
        # input (first layer: over E), O_d = floor((extent - K_d)/d) + 1; g groups, OC outputs;
        # R2: reduction IC := B (IC_g' = padUp(B, N), Q14), "batch" IC/g.  Dilation of the
        # gradient kernel itself: 1.
        KdH = sh * (OH - 1) + 1
        KdW = sw * (OW - 1) + 1
        if first:
            EH = (OH - 1) * sh + (KH - 1) * dh + 1
            EW = (OW - 1) * sw + (KW - 1) * dw + 1
        else:
            EH, EW = H + pt + pb, W + pl + pr
        OdH = (EH - KdH) // dh + 1
        OdW = (EW - KdW) // dw + 1
        r = sa_group(A, OdW, OdH, OC // g, KdW, KdH, B, C // g, dh, dw, 1, 1)
        useful = F * B                                                          # X§2
    else:
        raise ValueError(role)
    scale_result(r, g)
    r["useful_macs"] = float(useful)
    return r


def fc_model(A, B, op):
    """X§8 GEMM with r rows per sample (r = 1 for an FC layer; a matmul layer's r is the sample's
    elements other than the last non-unit dimension): forward/dX samples B*r, reduction Nf
    (dX: P); dW samples Nf (the spec batch = forward Nf), reduction B*r.
    The classifier (last FC) pads P to a multiple of 64 in training (X§8, Q13).

    Useful MACs (X§2): F*B for the forward op, dX and dW, with F = P*Nf*r the layer's true sizes
    (the classifier's UNPADDED P, in training too); the dX of a layer that reads the network
    input ("first_layer") has 0.  (X§8's own sentences "useful_macs = P * reduction * samples"
    and "pads P ... also in its useful MACs" predate X§2's rule; X§2 is followed here.)"""
    Nf, P = op["in_features"], op["out_features"]
    r_rows = op.get("rows", 1)
    role = op.get("role", "forward")
    F = P * Nf * r_rows                                      # X§2: unpadded P
    if op.get("classifier", False) and A.mode == "training":
        P = int(math.ceil(P / 64) * 64)
    if role == "forward":
        outs, red, samples = P, Nf, B * r_rows
    elif role == "dX":
        outs, red, samples = Nf, P, B * r_rows
    elif role == "dW":
        outs, red, samples = P, B * r_rows, Nf
    else:
        raise ValueError(role)
    r = sa_group(A, 1, 1, outs, 1, 1, red, samples, gemm=True)
    if role == "dX" and op.get("first_layer", False):
        r["useful_macs"] = 0.0                                # X§2: reads the network input
    else:
        r["useful_macs"] = float(F * B)                       # X§2
    return r


def matmul_shape(shape, out_features):
    """X§8 matmul: a GEMM over the last non-unit dimension of the sample [C, H, W]; returns
    (in_features, rows r, output shape with that dimension replaced)."""
    dims = list(shape)
    k = max(i for i in range(3) if dims[i] != 1) if any(d != 1 for d in dims) else 2
    nf = dims[k]
    r_rows = 1
    for i, d in enumerate(dims):
        if i != k:
            r_rows *= d
    out = list(dims)
    out[k] = out_features
    return nf, r_rows, out


# ------------------------------------------------------------------------------------------------
# SIMD tilers (G§3.2; X§0)
# ------------------------------------------------------------------------------------------------

def ew_tiler(A, W, H, Cp, B):
    """G§3.2 element-wise tiler / X§0 tiler on (W, H, C', B)."""
    V, M = A.V, A.M
    if V < M * 32:
        raise NoTile("VMEM below M*32")
    ow, oh = spatial_search(W, H, lambda x, y: M * x * y * 32 <= V, True)
    oc = grow(M, Cp, lambda c: c * ow * oh * 32 <= V)
    b = batch_search(B, lambda bb: oc * ow * oh * bb * 32 <= V)
    return ow, oh, oc, b


def pool_tiler(A, OW, OH, KW, KH, s, Cp, B, s_w=None):
    """G§3.2 pool tiler (input tile in the fit test); X§7 rectangular strides (s = s_h)."""
    V, M = A.V, A.M
    if V < M * 32 * 49:
        raise NoTile("VMEM below M*32*49")
    s_h, s_w = s, (s if s_w is None else s_w)
    ow, oh = spatial_search(OW, OH, lambda x, y: M * ((x - 1) * s_w + KW) * ((y - 1) * s_h + KH)
                            * 32 <= V, True)
    iw, ih = (ow - 1) * s_w + KW, (oh - 1) * s_h + KH
    oc = grow(M, Cp, lambda c: c * iw * ih * 32 <= V)
    b = batch_search(B, lambda bb: oc * iw * ih * bb * 32 <= V)
    return ow, oh, oc, b, iw, ih


def maxpool_grad_tiler(A, OW, OH, KW, KH, s, Cp, B, s_w=None):
    """G§3.2 MaxPool-grad tiler: fit (oc*iw*ih*b + oc*ow*oh*b)*32 <= V (X§7 rectangular)."""
    V, M = A.V, A.M
    if V < M * 32 * 49 + M * 32:
        raise NoTile("VMEM below the max-pool-grad minimum")
    s_h, s_w = s, (s if s_w is None else s_w)

    def fit(ow, oh, oc, b):
        return (oc * ((ow - 1) * s_w + KW) * ((oh - 1) * s_h + KH) * b + oc * ow * oh * b) \
            * 32 <= V
    ow, oh = spatial_search(OW, OH, lambda x, y: fit(x, y, M, 1), True)
    oc = grow(M, Cp, lambda c: fit(ow, oh, c, 1))
    b = batch_search(B, lambda bb: fit(ow, oh, oc, bb))
    return ow, oh, oc, b, (ow - 1) * s_w + KW, (oh - 1) * s_h + KH


# ------------------------------------------------------------------------------------------------
# SIMD models
# ------------------------------------------------------------------------------------------------

def element_program(A, W, H, Cp, B, kinds, n_in, bw_out, h=1.0, n_out=1, nop=True,
                    generic_steps=False):
    """X§0 element program on the element-wise tiler.

    kinds: {instruction kind: count per element}.  S = sum n_k, c = sum n_k*lat_k + 2*max(0, S-1)
    (X§0; nop=False gives G§6.7's c = S without NOPs), o = sum n_k*lat_k (step weighs 1).
    h: input halo factor (X§5), n_out: written tensors (always 1 here)."""
    M, BW_s = A.M, A.BW_s
    ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
    v = ow * oh * oc * b
    T = (H / oh) * (W / ow) * (Cp / oc) * (B / b)
    E = B * H * W * Cp
    S = sum(kinds.values())
    lat_sum = sum(n * A.lat.get(k, 1) for k, n in kinds.items())
    c = lat_sum + (2 * max(0, S - 1) if nop else 0)
    o = lat_sum
    n_s = n_in                        # never fused in these checks (no --fusion)
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil((ceil(v / M) * c + A.F_S) * T)
    r["simd_stall"] = (n_s * ceil(h * v * 32 / BW_s) + ceil(v * bw_out / BW_s)
                       + (n_out - 1) * ceil(v * 32 / BW_s)) * T
    r["dram_bits"]["ifmap"] = n_s * h * E * 32
    r["dram_bits"]["ofmap"] = E * bw_out + (n_out - 1) * E * 32
    r["sram_bits"]["vmem"] = E * (2 * S * 32 + (S - n_out) * 32 + bw_out + (n_out - 1) * 32)
    r["sram_bits"]["instruction"] = ceil(ceil(v / M) * S * T) * 32
    if generic_steps:
        r["simd_ops"]["element_steps"] = E * S
    else:
        for k, n in kinds.items():
            r["simd_ops"][KIND_NAME[k]] += n * E
    r["ops"] = o * E
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh}
    return r


def common_backward(A, op_name, dims, bw_out):
    """G§6.7 common backward ops (relu_grad, sgd4d, sgd2d, sgd1d, reduce_sum)."""
    M, BW_s = A.M, A.BW_s
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    if op_name in ("relu_grad", "sgd4d"):
        W, H, Cp, Nb = dims
        ow, oh, oc, b = ew_tiler(A, W, H, Cp, Nb)
        n_in, steps = 2, (1 if op_name == "relu_grad" else 2)
        tin = b * oh * ow * oc
        vo = tin
        Vo = Nb * H * W * Cp
        T = (Nb / b) * (Cp / oc) * (H / oh) * (W / ow)
        Vin = Vo
    elif op_name == "sgd2d":
        Cp, Nb = dims
        ow, oh, oc, b = ew_tiler(A, 1, 1, Cp, Nb)
        n_in, steps = 2, 2
        tin = vo = b * oc
        Vin = Vo = Nb * Cp
        T = (Nb / b) * (Cp / oc)
    elif op_name == "sgd1d":
        (Cp,) = dims
        ow, oh, oc, b = ew_tiler(A, 1, 1, Cp, 1)
        n_in, steps = 2, 2
        tin = vo = oc
        Vin = Vo = Cp
        T = Cp / oc
    elif op_name == "reduce_sum":
        Cp, Bb = dims
        ow, oh, oc, b = ew_tiler(A, 1, 1, Cp, Bb)
        n_in, steps = 1, Bb
        tin = b * oc
        vo = oc
        Vin = Bb * Cp
        Vo = Cp
        T = Cp / oc                                # Q8: batch tiles ignored
    else:
        raise ValueError(op_name)
    r["simd_compute"] = ceil((ceil(vo / M) * steps + A.F_S) * T)
    r["simd_stall"] = (n_in * ceil(tin * 32 / BW_s) + ceil(vo * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = n_in * Vin * 32
    r["dram_bits"]["ofmap"] = Vo * bw_out
    r["sram_bits"]["vmem"] = Vo * (2 * 32 * steps + 32 * (steps - 1) + bw_out)
    r["sram_bits"]["instruction"] = ceil(ceil(vo / M) * steps * T) * 32
    r["simd_ops"]["element_steps"] = vo * steps * T
    r["ops"] = vo * steps * T
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh}
    return r


def relu_model(A, C, H, W, B, bw_out):
    """G§6.1 ReLU."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
    v = ow * oh * oc * b
    T = (H / oh) * (W / ow) * (Cp / oc) * (B / b)
    E = v * T
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil((v / M + A.F_S) * T)
    r["simd_stall"] = (ceil(v * 32 / BW_s) + ceil(v * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = E * 32
    r["dram_bits"]["ofmap"] = E * bw_out
    r["sram_bits"]["vmem"] = E * 32 + E * bw_out
    r["sram_bits"]["imm"] = ow * oh * ceil(oc / M) * b * T * 32
    r["sram_bits"]["instruction"] = ceil((v / M) * T) * 32
    r["simd_ops"]["max"] = E
    r["ops"] = E
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh}
    return r


def elem_add_model(A, C, H, W, B, bw_out):
    """G§6.2 ElemAdd."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
    v = ow * oh * oc * b
    T = (H / oh) * (W / ow) * (Cp / oc) * (B / b)
    E = v * T
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil((v / M + A.F_S) * T)
    r["simd_stall"] = (2 * ceil(v * 32 / BW_s) + ceil(v * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = 2 * E * 32
    r["dram_bits"]["ofmap"] = E * bw_out
    r["sram_bits"]["vmem"] = 2 * E * 32 + E * bw_out
    r["sram_bits"]["instruction"] = ceil((v / M) * T) * 32
    r["simd_ops"]["add"] = E
    r["ops"] = E
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh}
    return r


# X§3 activation table: (forward kinds, gradient kinds or None, gradient n_in)
ACTIVATIONS = {
    "clip":         ({"max": 2},                                  {"max": 2, "cmov": 1}, 2),
    "relu6":        ({"max": 2},                                  {"max": 2, "cmov": 1}, 2),
    "leaky_relu":   ({"mul": 1, "max": 1},                        {"mul": 1, "cmov": 1}, 2),
    "sigmoid":      ({"mul": 1, "exp": 1, "add": 1, "div": 1},    {"sub": 1, "mul": 2}, 2),
    "tanh":         ({"mul": 1, "exp": 1, "add": 1, "div": 1, "sub": 1}, {"mul": 2, "sub": 1}, 2),
    "hard_sigmoid": ({"mul": 1, "add": 1, "max": 2},              {"max": 2, "cmov": 1, "mul": 1}, 2),
    "hard_swish":   ({"mul": 2, "add": 1, "max": 2},
                     {"mul": 2, "add": 1, "max": 2, "cmov": 2}, 2),
    "swish":        ({"mul": 2, "exp": 1, "add": 1, "div": 1},
                     {"mul": 4, "exp": 1, "add": 2, "div": 1, "sub": 1}, 2),
    "scale":        ({"mul": 1},                                  {"mul": 1}, 1),
    "shift":        ({"add": 1},                                  None, 0),
}


def global_pool(A, C, H, W, B, bw_out, avg):
    """X§7 global max pool / G§6.3 global avg pool: pool tiler, KH=H, KW=W, 1x1 output, s=1,
    when the whole map fits one tile (M*H*W*bw_s <= V); otherwise streamed (X§7)."""
    if A.M * H * W * 32 <= A.V:
        return window_pool(A, C, 1, 1, H, W, 1, 1, B, bw_out, avg)
    return streamed_global_pool(A, C, H, W, B, bw_out, avg)


def streamed_global_pool(A, C, H, W, B, bw_out, avg):
    """X§7 streamed global pool (a map larger than one VMEM tile), at G§6.3's rates:
    element-wise tiler (X§0) over (W, H, C', B), tile v, T tiles, E = B*C'*H*W window steps,
    O = C'*B results.
      compute = ceil((v/M + F_S)*T) (+ ceil(O/M*d_div) for the average)
      stall   = ceil(v*bw_s/BW_s)*T + ceil(O*bw_out/BW_s)
      DRAM    ifmap E*bw_s, ofmap O*bw_out
      VMEM    2*E*bw_s + (E - O)*bw_s + O*bw_out (+ 3*O*bw_s for the average)
      InsMem  ceil(E/M (+ O/M))*32       ops: max (or add) E, divide O for the average
    The op count weights the divide by d_div (Q7, X preamble)."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
    v = ow * oh * oc * b
    T = (H / oh) * (W / ow) * (Cp / oc) * (B / b)
    E = B * Cp * H * W
    O = Cp * B
    d = A.lat["div"]
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil((v / M + A.F_S) * T) + (ceil(O / M * d) if avg else 0.0)
    r["simd_stall"] = ceil(v * 32 / BW_s) * T + ceil(O * bw_out / BW_s)
    r["dram_bits"]["ifmap"] = E * 32
    r["dram_bits"]["ofmap"] = O * bw_out
    r["sram_bits"]["vmem"] = (2 * E * 32 + (E - O) * 32 + O * bw_out
                              + (3 * O * 32 if avg else 0.0))
    r["sram_bits"]["instruction"] = ceil(E / M + (O / M if avg else 0.0)) * 32
    if avg:
        r["simd_ops"]["add"] = E
        r["simd_ops"]["divide"] = O
        r["ops"] = E + O * d
    else:
        r["simd_ops"]["max"] = E
        r["ops"] = E
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh, "streamed": True}
    return r


def pool_out(H, K, p0, p1, s, ceil_mode):
    """X§7 output size: floor (or ceil, minus 1 if the last window starts in the end padding)."""
    if not ceil_mode:
        return (H + p0 + p1 - K) // s + 1
    o = -((-(H + p0 + p1 - K)) // s) + 1
    if (o - 1) * s >= H + p0:
        o -= 1
    return o


def window_pool(A, C, OH, OW, KH, KW, sh, sw, B, bw_out, avg):
    """G§6.3 MaxPool / AvgPool on the pool tiler (X§7: rectangular windows and strides)."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    KH, KW, OH, OW = float(KH), float(KW), float(OH), float(OW)
    ow, oh, oc, b, iw, ih = pool_tiler(A, OW, OH, KW, KH, sh, Cp, B, s_w=sw)
    v_o = ow * oh * oc * b
    v_i = iw * ih * oc * b
    T = (OH / oh) * (OW / ow) * (Cp / oc) * (B / b)
    NO = OH * OW * Cp * B
    Wn = v_o * KH * KW * T
    cyc = (v_o / M) * KH * KW + ((v_o / M) * A.lat["div"] if avg else 0.0)
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil((cyc + A.F_S) * T)
    r["simd_stall"] = (ceil(v_i * 32 / BW_s) + ceil(v_o * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = v_i * T * 32
    r["dram_bits"]["ofmap"] = v_o * T * bw_out
    r["sram_bits"]["vmem"] = (2 * Wn * 32 + (Wn - NO) * 32 + NO * bw_out
                              + (3 * v_o * T * 32 if avg else 0.0))
    r["sram_bits"]["instruction"] = ceil(((v_o / M) * KH * KW + ((v_o / M) if avg else 0.0))
                                         * T) * 32
    if avg:
        r["simd_ops"]["add"] = Wn
        r["simd_ops"]["divide"] = v_o * T
        r["ops"] = Wn + v_o * T * A.lat["div"]
    else:
        r["simd_ops"]["max"] = Wn
        r["ops"] = Wn
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": iw, "ih": ih}
    return r


def reduce_spatial(A, C, H, W, B, bw_out):
    """X§4 reduce_spatial: the X§7 global pool with a sum (pool tiler, K = H*W).

    X§7: "reduce_spatial (§4) is the same global pool with adds and no divide, streamed the same
    way when its map does not fit" (M*H*W*bw_s > V): the X§7 streamed global max pool with adds
    in place of the maxima (no divide).  A global_sum_pool layer lowers to it (X§4)."""
    M, BW_s = A.M, A.BW_s
    if M * H * W * 32 > A.V:
        r = streamed_global_pool(A, C, H, W, B, bw_out, avg=False)
        r["simd_ops"]["add"], r["simd_ops"]["max"] = r["simd_ops"]["max"], 0.0
        return r
    Cp = pad_up(C, M)
    K = float(H * W)
    ow, oh, oc, b, iw, ih = pool_tiler(A, 1.0, 1.0, float(W), float(H), 1, Cp, B)
    T = (1.0 / oh) * (1.0 / ow) * (Cp / oc) * (B / b)
    v_o = oc * b
    v_i = H * W * oc * b
    Wn = v_o * K * T
    NO = Cp * B
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil(((v_o / M) * K + A.F_S) * T)
    r["simd_stall"] = (ceil(v_i * 32 / BW_s) + ceil(v_o * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = v_i * T * 32
    r["dram_bits"]["ofmap"] = v_o * T * bw_out
    r["sram_bits"]["vmem"] = 2 * Wn * 32 + (Wn - NO) * 32 + NO * bw_out
    r["sram_bits"]["instruction"] = ceil((v_o / M) * K * T) * 32
    r["simd_ops"]["add"] = Wn
    r["ops"] = Wn
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": iw, "ih": ih}
    return r


def global_pool_grad(A, C, H, W, B, bw_out, avg):
    """X§7 global_max_pool_grad (G§6.8 MaxPool_Grad, K = H*W) / G§6.8 global AvgPool_Grad;
    streamed (X§7) when the pool-gradient tiler finds no tile."""
    try:
        return window_pool_grad(A, C, 1, 1, H, W, 1, 1, B, bw_out, avg)
    except NoTile:
        return streamed_global_pool_grad(A, C, H, W, B, bw_out, avg)


def streamed_global_pool_grad(A, C, H, W, B, bw_out, avg):
    """X§7 streamed global pool gradient, at G§6.8's rates: element-wise tiler over
    (W, H, C', B) (tile v, T tiles, E = B*C'*H*W, O = C'*B); the O gradients (and for max the
    argmax: n = 2 reads, else n = 1) are read once.
      stall = n*ceil(O*bw_s/BW_s) + ceil(v*bw_out/BW_s)*T;  ifmap n*O*bw_s, ofmap E*bw_out
      max: compute = ceil(((d_cmov + 3)*v/M + F_S)*T), cmov = add = E, total 2E
      avg: compute = ceil((v/M + F_S)*T) + ceil(O/M*d_div), divide O, add E, total O + E
      VMEM 3*total*bw_s, InsMem total/M*32 (no ceiling)."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
    v = ow * oh * oc * b
    T = (H / oh) * (W / ow) * (Cp / oc) * (B / b)
    E = B * Cp * H * W
    O = Cp * B
    n = 1 if avg else 2
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_stall"] = n * ceil(O * 32 / BW_s) + ceil(v * bw_out / BW_s) * T
    r["dram_bits"]["ifmap"] = n * O * 32
    r["dram_bits"]["ofmap"] = E * bw_out
    if avg:
        d = A.lat["div"]
        r["simd_compute"] = ceil((v / M + A.F_S) * T) + ceil(O / M * d)
        r["simd_ops"]["divide"] = O
        r["simd_ops"]["add"] = E
        total = O + E
        r["ops"] = E + O * d
    else:
        r["simd_compute"] = ceil(((A.lat["cmov"] + 3) * v / M + A.F_S) * T)
        r["simd_ops"]["conditional_move"] = E
        r["simd_ops"]["add"] = E
        total = 2 * E
        r["ops"] = E * A.lat["cmov"] + E
    r["sram_bits"]["vmem"] = 3 * total * 32
    r["sram_bits"]["instruction"] = total / M * 32
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh, "streamed": True}
    return r


def global_sum_pool_grad(A, C, H, W, B, bw_out):
    """X§7 global_sum_pool_grad (X§4: the gradient of a global_sum_pool layer): spreads each of
    the O = C'*B gradients over its map, as global_average_pool_grad does, without the divide.

    Tiled (the tiler of global_average_pool_grad: G§3.2 pool tiler, KH = H, KW = W, OW = OH = 1,
    s = 1, and the two avg-pool-grad asserts), G§6.8 AvgPool_Grad with the d_div*v_o term and the
    divides removed:
      compute = ceil(((v_o*(K-1) + 3*v_o)/M + F_S)*T),  add = v_o*K*T,  total = v_o*K*T
      stall = (ceil(v_o*32/BW_s) + ceil(v_i*bw_out/BW_s))*T; ifmap v_o*T*32, ofmap v_i*T*bw_out
      VMEM 3*total*32, InsMem total/M*32, op count total (adds only).
    Streamed when that tiler finds no tile (X§7, as the average's, n = 1 read):
      compute = ceil((v/M + F_S)*T),  add = E,  total = E
      stall = ceil(O*32/BW_s) + ceil(v*bw_out/BW_s)*T; ifmap O*32, ofmap E*bw_out
      VMEM 3*E*32, InsMem E/M*32, op count E."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    K = float(H * W)
    try:
        ow, oh, oc, b, iw, ih = pool_tiler(A, 1.0, 1.0, float(W), float(H), 1, Cp, B)
        if not (iw * ih * oc * b * 32 <= A.V and ow * oh * oc * b * 32 + M * 32 <= A.V):
            raise NoTile("avg-pool-grad asserts")
    except NoTile:
        ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
        v = ow * oh * oc * b
        T = (H / oh) * (W / ow) * (Cp / oc) * (B / b)
        E = B * Cp * H * W
        O = Cp * B
        r = empty_result()
        r["unit"] = "simd"
        r["output_bits"] = bw_out
        r["simd_compute"] = ceil((v / M + A.F_S) * T)
        r["simd_stall"] = ceil(O * 32 / BW_s) + ceil(v * bw_out / BW_s) * T
        r["dram_bits"]["ifmap"] = O * 32
        r["dram_bits"]["ofmap"] = E * bw_out
        r["simd_ops"]["add"] = E
        r["ops"] = E
        r["sram_bits"]["vmem"] = 3 * E * 32
        r["sram_bits"]["instruction"] = E / M * 32
        r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": ow, "ih": oh, "streamed": True}
        return r
    v_o = oh * ow * oc * b
    v_i = ih * iw * oc * b
    T = (1.0 / oh) * (1.0 / ow) * (Cp / oc) * (B / b)
    total = v_o * K * T
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil(((v_o * (K - 1) + 3 * v_o) / M + A.F_S) * T)
    r["simd_stall"] = (ceil(v_o * 32 / BW_s) + ceil(v_i * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = v_o * T * 32
    r["dram_bits"]["ofmap"] = v_i * T * bw_out
    r["simd_ops"]["add"] = total
    r["ops"] = total
    r["sram_bits"]["vmem"] = 3 * total * 32
    r["sram_bits"]["instruction"] = total / M * 32
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": iw, "ih": ih}
    return r


def window_pool_grad(A, C, OH, OW, KH, KW, sh, sw, B, bw_out, avg):
    """G§6.8 MaxPool_Grad (max-pool-grad tiler) and AvgPool_Grad (pool tiler + asserts)."""
    M, BW_s = A.M, A.BW_s
    Cp = pad_up(C, M)
    KH, KW, OH, OW = float(KH), float(KW), float(OH), float(OW)
    K = KH * KW
    if avg:
        ow, oh, oc, b, iw, ih = pool_tiler(A, OW, OH, KW, KH, sh, Cp, B, s_w=sw)
        V = A.V
        if not (iw * ih * oc * b * 32 <= V and ow * oh * oc * b * 32 + M * 32 <= V):
            raise NoTile("avg-pool-grad asserts")
    else:
        ow, oh, oc, b, iw, ih = maxpool_grad_tiler(A, OW, OH, KW, KH, sh, Cp, B, s_w=sw)
    v_o = oh * ow * oc * b
    v_i = ih * iw * oc * b
    T = (OH / oh) * (OW / ow) * (Cp / oc) * (B / b)
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    if avg:
        d = A.lat["div"]
        r["simd_compute"] = ceil(((d * v_o + v_o * (K - 1) + 3 * v_o) / M + A.F_S) * T)
        r["simd_stall"] = (ceil(v_o * 32 / BW_s) + ceil(v_i * bw_out / BW_s)) * T
        r["dram_bits"]["ifmap"] = v_o * T * 32
        ops_tot = v_o * T + v_o * K * T
        r["simd_ops"]["divide"] = v_o * T
        r["simd_ops"]["add"] = v_o * K * T
        r["ops"] = v_o * K * T + v_o * T * d
    else:
        r["simd_compute"] = ceil(((A.lat["cmov"] + 3) * v_o * K / M + A.F_S) * T)
        r["simd_stall"] = (2 * ceil(v_o * 32 / BW_s) + ceil(v_i * bw_out / BW_s)) * T
        r["dram_bits"]["ifmap"] = 2 * v_o * T * 32
        ops_tot = 2 * v_o * K * T
        r["simd_ops"]["conditional_move"] = v_o * K * T
        r["simd_ops"]["add"] = v_o * K * T
        r["ops"] = v_o * K * T + v_o * K * T * A.lat["cmov"]
    r["dram_bits"]["ofmap"] = v_i * T * bw_out
    r["sram_bits"]["vmem"] = 3 * ops_tot * 32
    r["sram_bits"]["instruction"] = ops_tot / M * 32
    r["tile"] = {"ow": ow, "oh": oh, "oc": oc, "b": b, "iw": iw, "ih": ih}
    return r


def softmax_model(A, C, H, W, B, bw_out):
    """X§6 softmax with its real shape (G§6.9 model with the X§6 tile).

    c_t = min(C, max(1, floor(V/(M*bw_s)))), b_t = min(R, max(1, floor(V/(c_t*M*bw_s)))*M):
    R is not padded to a lane multiple; with fewer rows than lanes one tile pays every pass and
    P = M*ceil(b_t/M)*c_t*T counts the idle lanes."""
    M, V, BW_s = A.M, A.V, A.BW_s
    R = H * W * B
    bw_s = 32
    c_t = min(C, max(1, V // (M * bw_s)))
    b_t = min(R, max(1, V // (c_t * M * bw_s)) * M)
    c_t, b_t = float(c_t), float(b_t)
    T = (C / c_t) * (R / b_t)
    u = c_t * ceil(b_t / M)
    P = M * ceil(b_t / M) * c_t * T
    d_exp, d_div = A.lat["exp"], A.lat["div"]
    r = empty_result()
    r["unit"] = "simd"
    r["output_bits"] = bw_out
    r["simd_compute"] = ceil(((u * d_exp + A.F_S) + (u + A.F_S) + (u * d_div + A.F_S)) * T)
    r["simd_stall"] = (ceil(c_t * b_t * bw_s / BW_s) + 2 * ceil(c_t * b_t * bw_s / BW_s)
                       + ceil(c_t * b_t * bw_out / BW_s)) * T
    r["dram_bits"]["ifmap"] = C * R * bw_s
    r["dram_bits"]["psum"] = 2 * C * R * bw_s
    r["dram_bits"]["ofmap"] = C * R * bw_out
    r["sram_bits"]["vmem"] = P * bw_s + 6 * P * bw_s + P * bw_out
    r["sram_bits"]["instruction"] = ceil(3 * u * T) * 32
    r["simd_ops"]["exponent"] = P
    r["simd_ops"]["add"] = P
    r["simd_ops"]["divide"] = P
    r["ops"] = P * (1 + d_exp + d_div)
    r["tile"] = {"c_t": c_t, "b_t": b_t}
    return r


def simd_model(A, B, op):
    M = A.M
    kind = op["op"]
    bw_out = A.bw_a if op.get("next_on_array", False) else A.bw_p        # R3
    if kind == "zero":
        return empty_result()                                               # X§9
    if kind in ("sgd4d", "sgd2d", "sgd1d", "reduce_sum"):
        if kind == "sgd4d":
            dims = (op["W"], op["H"], pad_up(op["C"], M), op["N"])
        elif kind == "sgd2d":
            dims = (pad_up(op["C"], M), op["N"])
        elif kind == "sgd1d":
            dims = (pad_up(op["C"], M),)
        else:
            dims = (pad_up(op["C"], M), B)
        return common_backward(A, kind, dims, bw_out)
    C, H, W = op["shape"]
    Cp = pad_up(C, M)
    if kind == "relu":
        return relu_model(A, C, H, W, B, bw_out)
    if kind == "relu_grad":
        return common_backward(A, "relu_grad", (W, H, Cp, B), bw_out)
    if kind == "elem_add":
        return elem_add_model(A, C, H, W, B, bw_out)
    if kind == "activation":
        fwd, grd, gin = ACTIVATIONS[op["function"]]
        if op.get("grad", False):
            if grd is None:
                return empty_result()                                       # shift_grad: X§9
            return element_program(A, W, H, Cp, B, grd, gin, bw_out)       # X§3, X§0
        return element_program(A, W, H, Cp, B, fwd, 1, bw_out)             # X§3, X§0
    if kind in ("broadcast_mul", "broadcast_add"):
        # X§4: element program {1 mul|add} over Y, n_in = 1, plus the operand per tile
        prog = {"mul": 1} if kind == "broadcast_mul" else {"add": 1}
        r = element_program(A, W, H, Cp, B, prog, 1, bw_out)
        t = r["tile"]
        v = t["ow"] * t["oh"] * t["oc"] * t["b"]
        T = (H / t["oh"]) * (W / t["ow"]) * (Cp / t["oc"]) * (B / t["b"])
        p = max(1.0, op["operand_elements"] / C)
        v_op = min(v, t["oc"] * t["b"] * p)
        r["simd_stall"] += ceil(v_op * 32 / A.BW_s) * T
        r["dram_bits"]["ifmap"] += v_op * T * 32
        return r
    if kind in ("reduce_spatial", "global_sum_pool"):
        # X§4: a global_sum_pool layer lowers to reduce_spatial (inference, forward training)
        return reduce_spatial(A, C, H, W, B, bw_out)
    if kind == "global_sum_pool_grad":
        return global_sum_pool_grad(A, C, H, W, B, bw_out)                 # X§7, X§4
    if kind in ("stochastic_depth", "stochastic_depth_grad"):
        # X§9 (training): element program {1 mul} over the tensor, n_in = 1 (X§0), plus the
        # tile's b mask values read per tile: stall += ceil(b*bw_s/BW_s)*T, ifmap += b*T*bw_s.
        # (Inference: zero-cost, described as {"op": "zero"}.)
        r = element_program(A, W, H, Cp, B, {"mul": 1}, 1, bw_out)
        t = r["tile"]
        T = (H / t["oh"]) * (W / t["ow"]) * (Cp / t["oc"]) * (B / t["b"])
        r["simd_stall"] += ceil(t["b"] * 32 / A.BW_s) * T
        r["dram_bits"]["ifmap"] += t["b"] * T * 32
        return r
    if kind in ("lrn", "lrn_grad"):
        # X§5: forward mul 4, add n, exp 2 (n_in 1); gradient mul 5, add n, exp 2, div 1, sub 1
        # (n_in 3); channel halo h = (oc + n - 1)/oc on every input tile and input's DRAM.
        n = op.get("size", 5)
        if kind == "lrn":
            prog, n_in = {"mul": 4, "add": n, "exp": 2}, 1
        else:
            prog, n_in = {"mul": 5, "add": n, "exp": 2, "div": 1, "sub": 1}, 3
        ow, oh, oc, b = ew_tiler(A, W, H, Cp, B)
        h = (oc + n - 1) / oc
        return element_program(A, W, H, Cp, B, prog, n_in, bw_out, h=h)
    if kind == "softmax":
        return softmax_model(A, C, H, W, B, bw_out)
    if kind == "softmax_grad":
        # X§6: element program n_in = 2, {2 mul, 1 add, 1 sub}, tiler on (1, H*W, padUp(C,M), B)
        return element_program(A, 1, H * W, Cp, B, {"mul": 2, "add": 1, "sub": 1}, 2, bw_out)
    if kind in ("max_pool", "avg_pool", "max_pool_grad", "average_pool_grad"):
        KH, KW = _pair(op["kernel"])
        sh, sw = _pair(op.get("stride", [KH, KW]))
        pt, pl, pb, pr = _pads(op.get("padding", 0))
        cm = op.get("ceil_mode", False)
        OH, OW = pool_out(H, KH, pt, pb, sh, cm), pool_out(W, KW, pl, pr, sw, cm)
        avg = kind in ("avg_pool", "average_pool_grad")
        if kind.endswith("_grad"):
            return window_pool_grad(A, C, OH, OW, KH, KW, sh, sw, B, bw_out, avg)
        return window_pool(A, C, OH, OW, KH, KW, sh, sw, B, bw_out, avg)
    if kind == "global_max_pool":
        return global_pool(A, C, H, W, B, bw_out, avg=False)
    if kind == "global_avg_pool":
        return global_pool(A, C, H, W, B, bw_out, avg=True)
    if kind == "global_max_pool_grad":
        return global_pool_grad(A, C, H, W, B, bw_out, avg=False)
    if kind == "global_average_pool_grad":
        return global_pool_grad(A, C, H, W, B, bw_out, avg=True)
    if kind == "permute":
        # X§9: element program {1 step}, n_in = 1, over x (forward) or y (gradient)
        return element_program(A, W, H, Cp, B, {"step": 1}, 1, bw_out)
    raise ValueError("unknown op " + kind)


def evaluate(arch, mode, batch, op):
    """Counts of one op (a dict, see the module doc).  Raises NoTile when no tile fits."""
    A = Arch(arch, mode)
    if op["op"] == "conv":
        r = conv_model(A, batch, op)
    elif op["op"] in ("fc", "matmul"):
        r = fc_model(A, batch, op)
    else:
        r = simd_model(A, batch, op)
    r["dram_bytes"] = {k: v / 8 for k, v in r["dram_bits"].items()}
    r["sram_bytes"] = {k: v / 8 for k, v in r["sram_bits"].items()}
    return r


# ------------------------------------------------------------------------------------------------
# Cases (written by hand from the documents: each network's expected program, with each entry's
# reference description; the 'next_on_array' flags follow R3 from the expected program order)
# ------------------------------------------------------------------------------------------------

def _conv(inp, oc, k=3, s=1, d=1, p=0, g=1, bias=False, role="forward", first=False):
    return {"op": "conv", "in": inp, "out_channels": oc, "kernel": [k, k] if not isinstance(k, list)
            else k, "stride": [s, s] if not isinstance(s, list) else s,
            "dilation": [d, d], "padding": p if isinstance(p, list) else [p, p, p, p],
            "groups": g, "bias": bias, "role": role, "first_layer": first}


def _yaml_layer(d):
    parts = []
    for k, v in d.items():
        if isinstance(v, list):
            parts.append("%s: [%s]" % (k, ", ".join(str(x) for x in v)))
        elif isinstance(v, bool):
            parts.append("%s: %s" % (k, "true" if v else "false"))
        else:
            parts.append("%s: %s" % (k, v))
    return "  - {" + ", ".join(parts) + "}"


def _network(name, inp, layers):
    lines = ["version: 1", "name: " + name,
             "input: {channels: %d, height: %d, width: %d}" % tuple(inp), "layers:"]
    lines += [_yaml_layer(l) for l in layers]
    return "\n".join(lines) + "\n"


def _conv_train_ops(name, cdesc, next_after_update_on_array, first=False, last_bias_next=False):
    """X§1 Backward: dX, dW, update (sgd4d), [reduce_sum, sgd1d] for a bias."""
    C, H, W, KH, KW, *_ = conv_shapes(cdesc)
    g = cdesc["groups"]
    dx = dict(cdesc, role="dX", first_layer=first)
    dw = dict(cdesc, role="dW", first_layer=first)
    upd_c = (C // g) if not first else int(pad_up(C // g, 64))       # Q12 for a first layer
    ops = [(name + ".dX", dx, "X§1 dX; G§3.1, G§4.2-4.4, G§5; X§2"),
           (name + ".dW", dw, "X§1 dW (Q11, Q14); G§3.1, G§4, G§5; X§2")]
    has_bias = cdesc["bias"]
    ops.append((name + ".update", {"op": "sgd4d", "W": KW, "H": KH, "C": upd_c,
                                   "N": cdesc["out_channels"],
                                   "next_on_array": (not has_bias) and next_after_update_on_array},
                "X§1 update; G§6.7 sgd4d; R3"))
    if has_bias:
        ops.append((name + ".bias_grad", {"op": "reduce_sum", "C": cdesc["out_channels"],
                                          "next_on_array": False}, "X§1; G§6.7 reduce_sum"))
        ops.append((name + ".bias_update", {"op": "sgd1d", "C": cdesc["out_channels"],
                                            "next_on_array": next_after_update_on_array},
                    "X§1; G§6.7 sgd1d"))
    return ops


ZERO = {"op": "zero"}


def build_cases():
    cases = []

    # 1. Grouped (4), dilated (2) and depthwise (stride 1 and 2) convs, inference, Inf 01 ----------
    c_g = _conv([64, 28, 28], 128, 3, 1, 1, 1, 4)
    c_d = _conv([128, 28, 28], 64, 3, 1, 2, 2, 1, bias=True)
    c_dw1 = _conv([64, 28, 28], 64, 3, 1, 1, 1, 64)
    c_dw2 = _conv([64, 28, 28], 64, 3, 2, 1, 1, 64)
    net = _network("ref_convs", [64, 28, 28], [
        {"name": "gconv", "type": "conv", "out_channels": 128, "kernel": 3, "padding": 1,
         "groups": 4, "bias": False},
        {"name": "dil", "type": "conv", "out_channels": 64, "kernel": 3, "padding": 2,
         "dilation": 2, "bias": True},
        {"name": "dw1", "type": "conv", "out_channels": 64, "kernel": 3, "padding": 1,
         "groups": 64, "bias": False},
        {"name": "dw2", "type": "conv", "out_channels": 64, "kernel": 3, "stride": 2,
         "padding": 1, "groups": 64, "bias": False},
    ])
    for arch in ("genesys-inference-01", "genesys-inference-08"):
        cases.append({"name": "convs_inf_" + arch[-2:], "arch": arch, "mode": "inference",
                      "batch": 1, "network": net, "program": [
                          ("gconv", c_g, "X§1 groups (x g); G§3.1, G§4.2, G§4.4, G§5; X§2"),
                          ("dil", c_d, "X§1 dilation extent; G§3.1, G§4, G§5; X§2"),
                          ("dw1", c_dw1, "X§1 depthwise (g = IC); G§3.1, G§4, G§5; X§2"),
                          ("dw2", c_dw2, "X§1 depthwise stride 2; G§3.1, G§4, G§5; X§2")]})

    # 2. The X§1 worked example (depthwise 3x3 s1 112x112x32, Inf 01) and a stride-2 twin ---------
    e1 = _conv([32, 112, 112], 32, 3, 1, 1, 1, 32)
    e2 = _conv([32, 112, 112], 32, 3, 2, 1, 1, 32)
    net = _network("ref_dw_example", [32, 112, 112], [
        {"name": "dw_s1", "type": "conv", "out_channels": 32, "kernel": 3, "padding": 1,
         "groups": 32, "bias": False},
        {"name": "dw_s2", "type": "conv", "out_channels": 32, "kernel": 3, "stride": 2,
         "padding": 1, "groups": 32, "bias": False, "input": "input"},
    ])
    cases.append({"name": "dw_example_inf01", "arch": "genesys-inference-01",
                  "mode": "inference", "batch": 1, "network": net, "program": [
                      ("dw_s1", e1, "X§1 worked example"), ("dw_s2", e2, "X§1; G§3.1-5")]})

    # 2b. The X§0 worked example: sigmoid on 56x56x256, B 1, Inf 01, next op a convolution ------
    net = _network("ref_sigmoid_example", [256, 56, 56], [
        {"name": "sig", "type": "sigmoid"},
        {"name": "conv", "type": "conv", "out_channels": 64, "kernel": 1, "bias": False}])
    cases.append({"name": "sigmoid_example_inf01", "arch": "genesys-inference-01",
                  "mode": "inference", "batch": 1, "network": net, "program": [
                      ("sig", {"op": "activation", "function": "sigmoid", "shape": [256, 56, 56],
                               "next_on_array": True}, "X§0 worked example; X§3"),
                      ("conv", _conv([256, 56, 56], 64, 1, 1, 1, 0, 1), "G§3.1-5")]})

    # 3. The same convs in training (Trn 01, B 4): forward, dX, dW, updates; first-layer quirks --
    t0 = _conv([32, 28, 28], 64, 3, 1, 1, 1, 1, bias=True)
    tg = _conv([64, 28, 28], 128, 3, 1, 1, 1, 4)
    td = _conv([128, 28, 28], 64, 3, 1, 2, 2, 1)
    tdw = _conv([64, 28, 28], 64, 3, 2, 1, 1, 64)
    net = _network("ref_convs_train", [32, 28, 28], [
        {"name": "c0", "type": "conv", "out_channels": 64, "kernel": 3, "padding": 1,
         "bias": True},
        {"name": "gconv", "type": "conv", "out_channels": 128, "kernel": 3, "padding": 1,
         "groups": 4, "bias": False},
        {"name": "dil", "type": "conv", "out_channels": 64, "kernel": 3, "padding": 2,
         "dilation": 2, "bias": False},
        {"name": "dw2", "type": "conv", "out_channels": 64, "kernel": 3, "stride": 2,
         "padding": 1, "groups": 64, "bias": False},
    ])
    prog = [("c0", t0, "X§1; G§3.1-5"), ("gconv", tg, "X§1 groups"), ("dil", td, "X§1 dilation"),
            ("dw2", tdw, "X§1 depthwise s2"),
            ("loss", ZERO, "X§9 zero-cost"), ("loss.grad", ZERO, "X§9 zero-cost")]
    prog += _conv_train_ops("dw2", tdw, True)
    prog += _conv_train_ops("dil", td, True)
    prog += _conv_train_ops("gconv", tg, True)
    prog += _conv_train_ops("c0", t0, False, first=True)
    for arch, b in (("genesys-training-01", 4), ("genesys-training-08", 8)):
        cases.append({"name": "convs_train_" + arch[-2:], "arch": arch, "mode": "training",
                      "batch": b, "network": net, "program": prog})

    # 4. Activations forward, inference (Inf 01 B 1; Inf 05 B 3 with C = 48 -> C' = 64) ----------
    for arch, b, C, HW in (("genesys-inference-01", 1, 64, 28), ("genesys-inference-05", 3, 48, 20)):
        shp = [C, HW, HW]
        layers, prog = [], []
        acts = [("relu6", {}), ("clip", {"min": -1, "max": 1}), ("leaky_relu", {"alpha": 0.1}),
                ("sigmoid", {}), ("tanh", {}), ("hard_sigmoid", {}), ("hard_swish", {}),
                ("swish", {}), ("scale", {}), ("shift", {})]
        for i, (f, extra) in enumerate(acts):
            d = {"name": "a_" + f, "type": f}
            d.update(extra)
            layers.append(d)
            prog.append(("a_" + f, {"op": "activation", "function": f, "shape": shp,
                                    "next_on_array": i == len(acts) - 1},
                         "X§3 table, X§0 counts; R3"))
        layers.append({"name": "conv", "type": "conv", "out_channels": C, "kernel": 1,
                       "bias": False})
        prog.append(("conv", _conv(shp, C, 1, 1, 1, 0, 1), "G§3.1-5"))
        cases.append({"name": "acts_inf_" + arch[-2:], "arch": arch, "mode": "inference",
                      "batch": b, "network": _network("ref_acts", shp, layers), "program": prog})

    # 5. Activations forward and gradient, training (Trn 01 B 4 and Trn 08 B 32) ---------------
    for arch, b, C, HW in (("genesys-training-01", 4, 32, 14), ("genesys-training-08", 32, 64, 28)):
        shp = [C, HW, HW]
        acts = [("relu6", {}), ("leaky_relu", {"alpha": 0.2}), ("sigmoid", {}), ("tanh", {}),
                ("hard_sigmoid", {}), ("hard_swish", {}), ("swish", {}),
                ("clip", {"min": 0, "max": 2})]
        layers = [{"name": "c0", "type": "conv", "out_channels": C, "kernel": 1, "bias": False}]
        c0 = _conv(shp, C, 1, 1, 1, 0, 1)
        c1 = _conv(shp, C, 1, 1, 1, 0, 1)
        prog = [("c0", c0, "G§3.1-5")]
        for i, (f, extra) in enumerate(acts):
            d = {"name": "a_" + f, "type": f}
            d.update(extra)
            layers.append(d)
            prog.append(("a_" + f, {"op": "activation", "function": f, "shape": shp,
                                    "next_on_array": i == len(acts) - 1}, "X§3, X§0; R3"))
        layers.append({"name": "c1", "type": "conv", "out_channels": C, "kernel": 1,
                       "bias": False})
        layers.append({"name": "a_scale", "type": "scale"})
        prog.append(("c1", c1, "G§3.1-5"))
        prog.append(("a_scale", {"op": "activation", "function": "scale", "shape": shp,
                                 "next_on_array": False}, "X§3"))
        prog += [("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
        prog.append(("a_scale.grad", {"op": "activation", "function": "scale", "grad": True,
                                      "shape": shp, "next_on_array": True}, "X§3 (n_in 1); R3"))
        prog += _conv_train_ops("c1", c1, False)
        for i, (f, _) in reversed(list(enumerate(acts))):
            prog.append(("a_%s.grad" % f, {"op": "activation", "function": f, "grad": True,
                                           "shape": shp, "next_on_array": i == 0},
                         "X§3 gradient, X§0 (n_in 2); R3"))
        prog += _conv_train_ops("c0", c0, False, first=True)
        cases.append({"name": "acts_train_" + arch[-2:], "arch": arch, "mode": "training",
                      "batch": b, "network": _network("ref_acts_train", shp, layers),
                      "program": prog})

    # 6. Broadcast multiply with a Cx1x1 operand (SE), broadcast add, same-shape mul; reduce_spatial
    shp = [64, 28, 28]
    se_layers = [
        {"name": "c0", "type": "conv", "out_channels": 64, "kernel": 3, "padding": 1,
         "bias": False},
        {"name": "gap", "type": "global_avg_pool"},
        {"name": "se1", "type": "conv", "out_channels": 16, "kernel": 1, "bias": True},
        {"name": "se_act", "type": "relu"},
        {"name": "se2", "type": "conv", "out_channels": 64, "kernel": 1, "bias": True},
        {"name": "se_sig", "type": "sigmoid"},
        {"name": "scale_mul", "type": "mul", "inputs": ["c0", "se_sig"]},
        {"name": "badd", "type": "add", "inputs": ["scale_mul", "se_sig"]},
        {"name": "smul", "type": "mul", "inputs": ["badd", "c0"]},
        {"name": "eadd", "type": "add", "inputs": ["smul", "c0"]},
    ]
    net = _network("ref_broadcast", shp, se_layers)
    c0 = _conv(shp, 64, 3, 1, 1, 1, 1)
    se1 = _conv([64, 1, 1], 16, 1, 1, 1, 0, 1, bias=True)
    se2 = _conv([16, 1, 1], 64, 1, 1, 1, 0, 1, bias=True)
    v1 = [64, 1, 1]
    fwd = [("c0", c0, "G§3.1-5"),
           ("gap", {"op": "global_avg_pool", "shape": shp, "next_on_array": True}, "G§6.3; R3"),
           ("se1", se1, "G§3.1-5"),
           ("se_act", {"op": "relu", "shape": [16, 1, 1], "next_on_array": True}, "G§6.1"),
           ("se2", se2, "G§3.1-5"),
           ("se_sig", {"op": "activation", "function": "sigmoid", "shape": v1}, "X§3"),
           ("scale_mul", {"op": "broadcast_mul", "shape": shp, "operand_elements": 64},
            "X§4 broadcast_mul, C x 1 x 1 operand"),
           ("badd", {"op": "broadcast_add", "shape": shp, "operand_elements": 64},
            "X§4 broadcast_add"),
           ("smul", {"op": "broadcast_mul", "shape": shp, "operand_elements": 64 * 28 * 28},
            "X§4 same-shape multiply"),
           ("eadd", {"op": "elem_add", "shape": shp}, "X§4 -> G§6.2")]
    cases.append({"name": "broadcast_inf_01", "arch": "genesys-inference-01",
                  "mode": "inference", "batch": 2, "network": net, "program": fwd})
    bwd = [("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
           ("eadd.grad", {"op": "elem_add", "shape": shp}, "X§4 table: same-shape add -> elem_add"),
           ("smul.grad", {"op": "broadcast_mul", "shape": shp, "operand_elements": 64 * 28 * 28},
            "X§4 multiply: dy x operand"),
           ("smul.operand_grad", {"op": "broadcast_mul", "shape": shp,
                                  "operand_elements": 64 * 28 * 28}, "X§4 multiply: dy x larger"),
           ("badd.grad", ZERO, "X§4: broadcast_add_grad zero-cost"),
           ("badd.operand_reduce", {"op": "reduce_spatial", "shape": shp}, "X§4 reduce_spatial"),
           ("scale_mul.grad", {"op": "broadcast_mul", "shape": shp, "operand_elements": 64},
            "X§4 multiply: dy x operand"),
           ("scale_mul.operand_grad", {"op": "broadcast_mul", "shape": shp,
                                       "operand_elements": 64 * 28 * 28},
            "X§4 multiply: dy x larger input"),
           ("scale_mul.operand_reduce", {"op": "reduce_spatial", "shape": shp},
            "X§4 reduce_spatial"),
           ("se_sig.grad", {"op": "activation", "function": "sigmoid", "grad": True, "shape": v1,
                            "next_on_array": True}, "X§3 gradient; R3")]
    bwd += _conv_train_ops("se2", se2, False)
    bwd.append(("se_act.grad", {"op": "relu_grad", "shape": [16, 1, 1], "next_on_array": True},
                "G§6.7"))
    bwd += _conv_train_ops("se1", se1, False)
    bwd.append(("gap.grad", {"op": "global_average_pool_grad", "shape": shp,
                             "next_on_array": True}, "G§6.8"))
    bwd += _conv_train_ops("c0", c0, False, first=True)
    cases.append({"name": "broadcast_train_01", "arch": "genesys-training-01",
                  "mode": "training", "batch": 4, "network": net, "program": fwd + bwd})

    # 7. LRN, permute, global max pool, softmax (real shape) and their gradients ---------------
    shp = [96, 28, 28]
    layers = [
        {"name": "lrn", "type": "lrn", "size": 5, "alpha": 0.0001, "beta": 0.75, "bias": 2},
        {"name": "perm", "type": "permute", "shape": [96, 28, 28]},
        {"name": "sm", "type": "softmax"},
        {"name": "gmp", "type": "global_max_pool"},
        {"name": "conv", "type": "conv", "out_channels": 32, "kernel": 1, "bias": False},
    ]
    net = _network("ref_misc", shp, layers)
    cv = _conv([96, 1, 1], 32, 1, 1, 1, 0, 1)
    fwd = [("lrn", {"op": "lrn", "shape": shp, "size": 5}, "X§5 forward, X§0"),
           ("perm", {"op": "permute", "shape": shp}, "X§9 permute"),
           ("sm", {"op": "softmax", "shape": shp}, "X§6 real shape"),
           ("gmp", {"op": "global_max_pool", "shape": shp, "next_on_array": True},
            "X§7 global max pool (G§6.3); R3"),
           ("conv", cv, "G§3.1-5")]
    for arch, b in (("genesys-inference-01", 1), ("genesys-inference-08", 4)):
        cases.append({"name": "misc_inf_" + arch[-2:], "arch": arch, "mode": "inference",
                      "batch": b, "network": net, "program": fwd})
    bwd = [("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
    bwd += _conv_train_ops("conv", cv, False)
    bwd += [("gmp.grad", {"op": "global_max_pool_grad", "shape": shp},
             "X§7 -> G§6.8 MaxPool_Grad"),
            ("sm.grad", {"op": "softmax_grad", "shape": shp}, "X§6 softmax_grad"),
            ("perm.grad", {"op": "permute", "shape": shp}, "X§9 permute (over y)"),
            ("lrn.grad", {"op": "lrn_grad", "shape": shp, "size": 5}, "X§5 gradient (n_in 3)")]
    for arch, b in (("genesys-training-01", 2), ("genesys-training-08", 32)):
        cases.append({"name": "misc_train_" + arch[-2:], "arch": arch, "mode": "training",
                      "batch": b, "network": net, "program": fwd + bwd})

    # 8. Softmax with its real shape: 1000 classes, batch 1 and 32 ---------------------------
    net = _network("ref_softmax", [1000, 1, 1], [{"name": "prob", "type": "softmax"}])
    for arch, b in (("genesys-inference-01", 1), ("genesys-inference-01", 32),
                    ("genesys-inference-08", 1), ("genesys-inference-08", 32),
                    ("genesys-inference-12", 32)):
        cases.append({"name": "softmax1000_%s_b%d" % (arch[-2:], b), "arch": arch,
                      "mode": "inference", "batch": b, "network": net, "program": [
                          ("prob", {"op": "softmax", "shape": [1000, 1, 1]}, "X§6")]})
    # training: a softmax that feeds something has its own op and softmax_grad (X§6)
    net = _network("ref_softmax_train", [1000, 1, 1], [
        {"name": "prob", "type": "softmax"}, {"name": "s", "type": "scale"}])
    for arch, b in (("genesys-training-01", 32), ("genesys-training-08", 32)):
        cases.append({"name": "softmax1000_train_%s" % arch[-2:], "arch": arch,
                      "mode": "training", "batch": b, "network": net, "program": [
                          ("prob", {"op": "softmax", "shape": [1000, 1, 1]}, "X§6"),
                          ("s", {"op": "activation", "function": "scale",
                                 "shape": [1000, 1, 1]}, "X§3"),
                          ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
                          ("s.grad", {"op": "activation", "function": "scale", "grad": True,
                                      "shape": [1000, 1, 1]}, "X§3"),
                          ("prob.grad", {"op": "softmax_grad", "shape": [1000, 1, 1]},
                           "X§6 softmax_grad")]})

    # 9. Global pools whose map does not fit one VMEM tile (112x112x32: M*H*W*32 = 6 422 528 >
    #    V = 524 288 on Inf 01 / Trn 01) are streamed (X§7), and so are their gradients (the
    #    pool-gradient tilers find no tile).  Inference: the pool alone (bw_out = bw_p);
    #    training: pool -> 1x1 conv (forward at bw_a by R3), gradients streamed too.
    shp = [32, 112, 112]
    for kind in ("global_avg_pool", "global_max_pool"):
        net = _network("ref_" + kind, shp, [{"name": "gp", "type": kind}])
        cases.append({"name": kind + "_112_inf01", "arch": "genesys-inference-01",
                      "mode": "inference", "batch": 1, "network": net, "program": [
                          ("gp", {"op": kind, "shape": shp}, "X§7 streamed global pool")]})
    cv = _conv([32, 1, 1], 16, 1, 1, 1, 0, 1)
    grad_kind = {"global_avg_pool": "global_average_pool_grad",
                 "global_max_pool": "global_max_pool_grad"}
    for kind in ("global_avg_pool", "global_max_pool"):
        net = _network("ref_" + kind + "_train", shp, [
            {"name": "gp", "type": kind},
            {"name": "conv", "type": "conv", "out_channels": 16, "kernel": 1, "bias": False}])
        prog = [("gp", {"op": kind, "shape": shp, "next_on_array": True},
                 "X§7 streamed global pool; R3"),
                ("conv", cv, "G§3.1-5"), ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
        prog += _conv_train_ops("conv", cv, False)
        prog.append(("gp.grad", {"op": grad_kind[kind], "shape": shp},
                     "X§7 streamed global pool gradient (G§6.8 rates)"))
        cases.append({"name": kind + "_112_train01", "arch": "genesys-training-01",
                      "mode": "training", "batch": 2, "network": net, "program": prog})

    # 9a. The boundary: a 32x32 map on Trn 01 (M = 16) fits one pool tile exactly
    #     (M*H*W*32 = V), so the forward pools and the average-pool gradient (pool tiler and its
    #     two asserts) keep the G§6.3/G§6.8 model, but the max-pool-gradient tiler needs
    #     (M*H*W + M)*32 > V and finds no tile: only global_max_pool_grad is streamed (X§7).
    shp = [16, 32, 32]
    cv = _conv([16, 1, 1], 16, 1, 1, 1, 0, 1)
    for kind in ("global_avg_pool", "global_max_pool"):
        net = _network("ref_" + kind + "_edge", shp, [
            {"name": "gp", "type": kind},
            {"name": "conv", "type": "conv", "out_channels": 16, "kernel": 1, "bias": False}])
        prog = [("gp", {"op": kind, "shape": shp, "next_on_array": True},
                 "X§7 whole map in one tile (G§6.3); R3"),
                ("conv", cv, "G§3.1-5"), ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
        prog += _conv_train_ops("conv", cv, False)
        prog.append(("gp.grad", {"op": grad_kind[kind], "shape": shp},
                     "X§7: G§6.8 when its tiler finds a tile, else streamed"))
        cases.append({"name": kind + "_32_edge_train01", "arch": "genesys-training-01",
                      "mode": "training", "batch": 2, "network": net, "program": prog})

    # 9c. reduce_spatial over a 112x112 map (X§4 broadcast-add gradient), with the streamed
    #     global average pool that produces the C x 1 x 1 operand.  X§4 gives reduce_spatial
    #     the pool tiler only; the reference reads "the §7 global pool" as including X§7's
    #     streaming (see reduce_spatial()).
    shp = [32, 112, 112]
    c0 = _conv(shp, 32, 1, 1, 1, 0, 1)
    net = _network("ref_reduce_spatial_big", shp, [
        {"name": "c0", "type": "conv", "out_channels": 32, "kernel": 1, "bias": False},
        {"name": "gap", "type": "global_avg_pool"},
        {"name": "badd", "type": "add", "inputs": ["c0", "gap"]}])
    prog = [("c0", c0, "G§3.1-5"),
            ("gap", {"op": "global_avg_pool", "shape": shp}, "X§7 streamed"),
            ("badd", {"op": "broadcast_add", "shape": shp, "operand_elements": 32},
             "X§4 broadcast_add"),
            ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
            ("badd.grad", ZERO, "X§4 broadcast_add_grad (zero-cost)"),
            ("badd.operand_reduce", {"op": "reduce_spatial", "shape": shp},
             "X§4 reduce_spatial; X§7 streaming (reading)"),
            ("gap.grad", {"op": "global_average_pool_grad", "shape": shp,
                          "next_on_array": True}, "X§7 streamed gradient; R3")]
    prog += _conv_train_ops("c0", c0, False, first=True)
    cases.append({"name": "reduce_spatial_112_train01", "arch": "genesys-training-01",
                  "mode": "training", "batch": 2, "network": net, "program": prog})

    # 9b. matmul (X§8): a 16x32 sequence projected to 64 features, a GEMM of 16*B samples.
    #     Inference on both folds of the sequence ([16, 32, 1] as ONNX folds it, X§11, and
    #     [1, 16, 32]), each followed by a scale to check the output shape (last non-unit
    #     dimension replaced); training (forward, dX, dW over B*r rows, sgd2d update).
    for inp in ([16, 32, 1], [1, 16, 32]):
        nf, rr, out = matmul_shape(inp, 64)
        mm = {"op": "matmul", "in_features": nf, "out_features": 64, "rows": rr, "bias": False}
        net = _network("ref_matmul", inp, [
            {"name": "mm", "type": "matmul", "in_features": nf, "out_features": 64,
             "bias": False},
            {"name": "s", "type": "scale"}])
        cases.append({"name": "matmul_%dx%dx%d_inf01_b4" % tuple(inp),
                      "arch": "genesys-inference-01", "mode": "inference", "batch": 4,
                      "network": net, "program": [
                          ("mm", mm, "X§8 matmul: B*r samples; G§4.4"),
                          ("s", {"op": "activation", "function": "scale", "shape": out},
                           "X§3 over the matmul's output shape")]})
    inp = [16, 32, 1]
    nf, rr, out = matmul_shape(inp, 64)
    mm = {"op": "matmul", "in_features": nf, "out_features": 64, "rows": rr, "bias": False,
          "first_layer": True}                     # reads the network input: dX useful 0 (X§2)
    net = _network("ref_matmul_train", inp, [
        {"name": "mm", "type": "matmul", "in_features": nf, "out_features": 64, "bias": False}])
    for arch in ("genesys-training-01", "genesys-training-08"):
        cases.append({"name": "matmul_train_%s_b4" % arch[-2:], "arch": arch,
                      "mode": "training", "batch": 4, "network": net, "program": [
                          ("mm", mm, "X§8 matmul forward (B*r samples)"),
                          ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
                          ("mm.dX", dict(mm, role="dX"), "X§8 dX: B*r samples, reduction P"),
                          ("mm.dW", dict(mm, role="dW"), "X§8 dW: Nf samples, reduction B*r"),
                          ("mm.update", {"op": "sgd2d", "C": 64, "N": nf},
                           "X§8 update; G§6.7 sgd2d of Nf x P")]})

    # 10. Fully connected (X§8): output-stationary at batch 1, weight-stationary at batch 8 ------
    net = _network("ref_fc", [512, 1, 1], [{"name": "fc", "type": "fc", "out_features": 1000}])
    for b in (1, 8):
        cases.append({"name": "fc_inf01_b%d" % b, "arch": "genesys-inference-01",
                      "mode": "inference", "batch": b, "network": net, "program": [
                          ("fc", {"op": "fc", "in_features": 512, "out_features": 1000,
                                  "bias": True, "classifier": True}, "X§8; G§4.5 / G§4.4")]})
    fcd = {"op": "fc", "in_features": 512, "out_features": 1000, "bias": True, "classifier": True,
           "first_layer": True}                    # reads the network input: dX useful 0 (X§2)
    cases.append({"name": "fc_train_08", "arch": "genesys-training-08", "mode": "training",
                  "batch": 32, "network": net, "program": [
                      ("fc", fcd, "X§8"), ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
                      ("fc.dX", dict(fcd, role="dX"), "X§8 dX"),
                      ("fc.dW", dict(fcd, role="dW"), "X§8 dW"),
                      ("fc.update", {"op": "sgd2d", "C": 1024, "N": 512}, "X§8; G§6.7 sgd2d"),
                      ("fc.bias_grad", {"op": "reduce_sum", "C": 1024}, "G§6.7"),
                      ("fc.bias_update", {"op": "sgd1d", "C": 1024}, "G§6.7")]})

    # 11. A softmax_grad whose H*W map is larger than VMEM allows (X§6 tiler on (1, H*W, ...)):
    #     SpatialSearch with W = 1 only has i = 1, so the document predicts 'no tile'.
    net = _network("ref_softmax_map", [8, 64, 64], [
        {"name": "prob", "type": "softmax"}, {"name": "s", "type": "scale"}])
    cases.append({"name": "softmax_grad_map_notile_01", "arch": "genesys-training-01",
                  "mode": "training", "batch": 1, "network": net, "program": [
                      ("prob", {"op": "softmax", "shape": [8, 64, 64]}, "X§6"),
                      ("s", {"op": "activation", "function": "scale", "shape": [8, 64, 64]},
                       "X§3"),
                      ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
                      ("s.grad", {"op": "activation", "function": "scale", "grad": True,
                                  "shape": [8, 64, 64]}, "X§3"),
                      ("prob.grad", {"op": "softmax_grad", "shape": [8, 64, 64]}, "X§6")]})

    # 12. Softmax whose rows R = H*W*B are not a lane multiple (R = 100, 300 on 16 lanes) --------
    net = _network("ref_softmax_rows", [10, 10, 10], [{"name": "prob", "type": "softmax"}])
    for b in (1, 3):
        cases.append({"name": "softmax_rows_01_b%d" % b, "arch": "genesys-inference-01",
                      "mode": "inference", "batch": b, "network": net, "program": [
                          ("prob", {"op": "softmax", "shape": [10, 10, 10]}, "X§6 tile")]})

    # 13. Rectangular kernel/stride/dilation and asymmetric padding (X§1) ---------------------
    r0 = {"op": "conv", "in": [16, 30, 40], "out_channels": 32, "kernel": [3, 5],
          "stride": [2, 1], "dilation": [1, 2], "padding": [1, 2, 0, 1], "groups": 1,
          "bias": False}
    _, _, _, _, _, _, _, _, _, _, _, _, _, OH0, OW0 = conv_shapes(r0)
    r1 = {"op": "conv", "in": [32, OH0, OW0], "out_channels": 32, "kernel": [1, 3],
          "stride": [1, 2], "dilation": [2, 1], "padding": [0, 1, 0, 0], "groups": 2,
          "bias": False}
    net = _network("ref_rect", [16, 30, 40], [
        {"name": "r0", "type": "conv", "out_channels": 32, "kernel": [3, 5], "stride": [2, 1],
         "dilation": [1, 2], "padding": [1, 2, 0, 1], "bias": False},
        {"name": "r1", "type": "conv", "out_channels": 32, "kernel": [1, 3], "stride": [1, 2],
         "dilation": [2, 1], "padding": [0, 1, 0, 0], "groups": 2, "bias": False}])
    cases.append({"name": "rect_conv_inf01", "arch": "genesys-inference-01", "mode": "inference",
                  "batch": 1, "network": net, "program": [
                      ("r0", dict(r0, role="forward"), "X§1 rectangular, asymmetric padding"),
                      ("r1", dict(r1, role="forward"), "X§1")]})
    prog = [("r0", dict(r0, role="forward"), "X§1"), ("r1", dict(r1, role="forward"), "X§1"),
            ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
    prog += _conv_train_ops("r1", r1, True)
    prog += _conv_train_ops("r0", r0, False, first=True)
    cases.append({"name": "rect_conv_train01", "arch": "genesys-training-01", "mode": "training",
                  "batch": 2, "network": net, "program": prog})

    # 14. Windowed pools with rectangular windows, padding and ceil mode (X§7, G§6.3, G§6.8) ----
    shp = [32, 27, 27]
    mp = {"op": "max_pool", "shape": shp, "kernel": [3, 2], "stride": [2, 1],
          "padding": [1, 1, 1, 1], "ceil_mode": True}
    mp_out = [32, pool_out(27, 3, 1, 1, 2, True), pool_out(27, 2, 1, 1, 1, True)]
    ap_ = {"op": "avg_pool", "shape": mp_out, "kernel": [3, 3], "stride": [2, 2],
           "padding": [0, 0, 1, 1]}
    net = _network("ref_pools", shp, [
        {"name": "mp", "type": "max_pool", "kernel": [3, 2], "stride": [2, 1], "padding": 1,
         "ceil_mode": True},
        {"name": "ap", "type": "avg_pool", "kernel": 3, "stride": 2, "padding": [0, 0, 1, 1]},
        {"name": "conv", "type": "conv", "out_channels": 16, "kernel": 1, "bias": False}])
    ap_out = [32, pool_out(mp_out[1], 3, 0, 1, 2, False), pool_out(mp_out[2], 3, 0, 1, 2, False)]
    cv = _conv(ap_out, 16, 1, 1, 1, 0, 1)
    fwd = [("mp", mp, "X§7 ceil mode, rectangular; G§6.3"),
           ("ap", dict(ap_, next_on_array=True), "X§7 asymmetric padding; G§6.3; R3"),
           ("conv", cv, "G§3.1-5")]
    cases.append({"name": "pools_inf01", "arch": "genesys-inference-01", "mode": "inference",
                  "batch": 2, "network": net, "program": fwd})
    bwd = [("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
    bwd += _conv_train_ops("conv", cv, False)
    bwd += [("ap.grad", dict(ap_, op="average_pool_grad"), "G§6.8 AvgPool_Grad"),
            ("mp.grad", dict(mp, op="max_pool_grad"), "G§6.8 MaxPool_Grad")]
    cases.append({"name": "pools_train01", "arch": "genesys-training-01", "mode": "training",
                  "batch": 2, "network": net, "program": fwd + bwd})

    # 15. Dropout: zero-cost at inference, a same-shape broadcast_mul in training (X§9, X§4) ----
    shp = [32, 14, 14]
    d0 = _conv(shp, 32, 3, 1, 1, 1, 1)
    d1 = _conv(shp, 32, 1, 1, 1, 0, 1)
    net = _network("ref_dropout", shp, [
        {"name": "c0", "type": "conv", "out_channels": 32, "kernel": 3, "padding": 1,
         "bias": False},
        {"name": "drop", "type": "dropout", "ratio": 0.5},
        {"name": "c1", "type": "conv", "out_channels": 32, "kernel": 1, "bias": False}])
    cases.append({"name": "dropout_inf01", "arch": "genesys-inference-01", "mode": "inference",
                  "batch": 1, "network": net, "program": [
                      ("c0", d0, "G§3.1-5"), ("drop", ZERO, "X§9 dropout at inference"),
                      ("c1", d1, "G§3.1-5")]})
    dm = {"op": "broadcast_mul", "shape": shp, "operand_elements": 32 * 14 * 14}
    prog = [("c0", d0, "G"), ("drop", dict(dm, next_on_array=True), "X§9 training dropout; R3"),
            ("c1", d1, "G"), ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
    prog += _conv_train_ops("c1", d1, False)
    prog.append(("drop.grad", dict(dm, next_on_array=True), "X§9 dropout backward"))
    prog += _conv_train_ops("c0", d0, False, first=True)
    cases.append({"name": "dropout_train01", "arch": "genesys-training-01", "mode": "training",
                  "batch": 4, "network": net, "program": prog})

    # 16. Channel shuffle = permute (X§9) ------------------------------------------------------
    shp = [64, 14, 14]
    s0 = _conv(shp, 64, 1, 1, 1, 0, 1)
    net = _network("ref_shuffle", shp, [
        {"name": "c0", "type": "conv", "out_channels": 64, "kernel": 1, "bias": False},
        {"name": "shuf", "type": "channel_shuffle", "groups": 4}])
    prog = [("c0", s0, "G"), ("shuf", {"op": "permute", "shape": shp}, "X§9 channel shuffle"),
            ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
            ("shuf.grad", {"op": "permute", "shape": shp, "next_on_array": True}, "X§9; R3")]
    prog += _conv_train_ops("c0", s0, False, first=True)
    cases.append({"name": "shuffle_train08", "arch": "genesys-training-08", "mode": "training",
                  "batch": 32, "network": net, "program": prog})

    # 17. Two convolutions reading the network input (both get the X§1 first-layer quirks), a
    #     shape-changing permute (forward over x, gradient over y: X§9) and a softmax followed by
    #     a zero-cost flatten (it "feeds" the flatten, so X§6 gives it an op and a gradient).
    shp = [16, 14, 14]
    ca = _conv(shp, 16, 3, 1, 1, 1, 1)
    net = _network("ref_first_layers", shp, [
        {"name": "a", "type": "conv", "out_channels": 16, "kernel": 3, "padding": 1,
         "bias": False},
        {"name": "b", "type": "conv", "out_channels": 16, "kernel": 3, "padding": 1,
         "bias": False, "input": "input"},
        {"name": "add", "type": "add", "inputs": ["a", "b"]},
        {"name": "p", "type": "permute", "shape": [14, 16, 14]},
        {"name": "sm", "type": "softmax"},
        {"name": "f", "type": "flatten"}])
    prog = [("a", ca, "G"), ("b", ca, "G"), ("add", {"op": "elem_add", "shape": shp}, "G§6.2"),
            ("p", {"op": "permute", "shape": shp}, "X§9 over x"),
            ("sm", {"op": "softmax", "shape": [14, 16, 14]}, "X§6"),
            ("f", ZERO, "X§9"), ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9"),
            ("f.grad", ZERO, "X§9"),
            ("sm.grad", {"op": "softmax_grad", "shape": [14, 16, 14]}, "X§6"),
            ("p.grad", {"op": "permute", "shape": [14, 16, 14]}, "X§9 over y"),
            ("add.grad", {"op": "elem_add", "shape": shp, "next_on_array": True},
             "X§4 table; G§6.2; R3")]
    prog += _conv_train_ops("b", ca, True, first=True)
    prog += _conv_train_ops("a", ca, False, first=True)
    cases.append({"name": "first_layers_train01", "arch": "genesys-training-01",
                  "mode": "training", "batch": 2, "network": net, "program": prog})

    # 18. global_sum_pool (X§4, X§7): lowers to reduce_spatial; its gradient is
    #     global_sum_pool_grad.  Small map (14x14: one pool tile on every preset, M*H*W*32 <= V,
    #     so the G§6.3 model and the tiled G§6.8-without-divide gradient) and a 56x56 map
    #     (M*H*W*32 > V on Inf/Trn 01 and 08: streamed forward and gradient), C = 24 -> C'
    #     padded.  The pool feeds a 1x1 conv (R3: bw_a); its gradient feeds the first layer's dX.
    for tag, shp, c0d, b_inf, b_trn in (
            ("small", [64, 14, 14], _conv([64, 14, 14], 64, 3, 1, 1, 1, 1), (1, 4), (4, 32)),
            ("big", [32, 56, 56], _conv([32, 56, 56], 24, 1, 1, 1, 0, 1), (1, 2), (2, 8))):
        C0 = c0d["out_channels"]
        H0 = shp[1]
        net = _network("ref_gsp_" + tag, shp, [
            {"name": "c0", "type": "conv", "out_channels": C0, "kernel": c0d["kernel"][0],
             "padding": c0d["padding"][0], "bias": False},
            {"name": "gsp", "type": "global_sum_pool"},
            {"name": "c1", "type": "conv", "out_channels": 32, "kernel": 1, "bias": False}])
        c1 = _conv([C0, 1, 1], 32, 1, 1, 1, 0, 1)
        gshape = [C0, H0, H0]
        how = "one pool tile" if tag == "small" else "streamed"
        fwd = [("c0", c0d, "G§3.1-5"),
               ("gsp", {"op": "global_sum_pool", "shape": gshape, "next_on_array": True},
                "X§4 global_sum_pool -> reduce_spatial (%s, X§7); R3" % how),
               ("c1", c1, "G§3.1-5")]
        for arch, b in (("genesys-inference-01", b_inf[0]), ("genesys-inference-08", b_inf[1])):
            cases.append({"name": "gsp_%s_inf_%s" % (tag, arch[-2:]), "arch": arch,
                          "mode": "inference", "batch": b, "network": net, "program": fwd})
        bwd = [("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
        bwd += _conv_train_ops("c1", c1, False)
        bwd.append(("gsp.grad", {"op": "global_sum_pool_grad", "shape": gshape,
                                 "next_on_array": True},
                    "X§7 global_sum_pool_grad (%s); R3" % ("tiled" if tag == "small"
                                                          else "streamed")))
        bwd += _conv_train_ops("c0", c0d, False, first=True)
        for arch, b in (("genesys-training-01", b_trn[0]), ("genesys-training-08", b_trn[1])):
            cases.append({"name": "gsp_%s_train_%s" % (tag, arch[-2:]), "arch": arch,
                          "mode": "training", "batch": b, "network": net,
                          "program": fwd + bwd})

    # 19. stochastic_depth on a residual branch (X§9): zero-cost at inference; in training a
    #     {1 mul} element program plus b mask values per tile, forward (next op the residual
    #     add: bw_p) and backward (next op the branch conv's dX: bw_a, R3).
    shp = [32, 14, 14]
    s0 = _conv(shp, 32, 3, 1, 1, 1, 1)
    s1 = _conv(shp, 32, 3, 1, 1, 1, 1)
    s2 = _conv(shp, 16, 1, 1, 1, 0, 1)
    net = _network("ref_stochastic_depth", shp, [
        {"name": "c0", "type": "conv", "out_channels": 32, "kernel": 3, "padding": 1,
         "bias": False},
        {"name": "r0", "type": "relu"},
        {"name": "c1", "type": "conv", "out_channels": 32, "kernel": 3, "padding": 1,
         "bias": False},
        {"name": "sd", "type": "stochastic_depth"},
        {"name": "add", "type": "add", "inputs": ["sd", "r0"]},
        {"name": "c2", "type": "conv", "out_channels": 16, "kernel": 1, "bias": False}])
    for arch, b in (("genesys-inference-01", 1), ("genesys-inference-08", 4)):
        cases.append({"name": "stochastic_depth_inf_" + arch[-2:], "arch": arch,
                      "mode": "inference", "batch": b, "network": net, "program": [
                          ("c0", s0, "G"),
                          ("r0", {"op": "relu", "shape": shp, "next_on_array": True},
                           "G§6.1; R3"),
                          ("c1", s1, "G"), ("sd", ZERO, "X§9 stochastic depth at inference"),
                          ("add", {"op": "elem_add", "shape": shp, "next_on_array": True},
                           "G§6.2; R3"),
                          ("c2", s2, "G")]})
    sdd = {"op": "stochastic_depth", "shape": shp}
    prog = [("c0", s0, "G"),
            ("r0", {"op": "relu", "shape": shp, "next_on_array": True}, "G§6.1; R3"),
            ("c1", s1, "G"),
            ("sd", dict(sdd, next_on_array=False), "X§9 stochastic_depth (training); R3"),
            ("add", {"op": "elem_add", "shape": shp, "next_on_array": True}, "G§6.2; R3"),
            ("c2", s2, "G"), ("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
    prog += _conv_train_ops("c2", s2, False)
    prog += [("add.grad", {"op": "elem_add", "shape": shp}, "X§4 table: same-shape add"),
             ("sd.grad", dict(sdd, op="stochastic_depth_grad", next_on_array=True),
              "X§9 stochastic_depth_grad; R3")]
    prog += _conv_train_ops("c1", s1, False)
    prog.append(("r0.grad", {"op": "relu_grad", "shape": shp, "next_on_array": True},
                 "G§6.7; R3"))
    prog += _conv_train_ops("c0", s0, False, first=True)
    for arch, b in (("genesys-training-01", 4), ("genesys-training-08", 32)):
        cases.append({"name": "stochastic_depth_train_" + arch[-2:], "arch": arch,
                      "mode": "training", "batch": b, "network": net, "program": prog})

    # 20. slice (X§9): free, a fusion barrier, its gradient a free 'slice' too.  ShuffleNet-v2
    #     style: two channel halves of a ReLU output (R3: the ReLU's next entry is the zero-cost
    #     slice, so it writes at bw_p), one through a conv, concatenated back; then a spatial
    #     slice (64x14x14 -> 64x7x7) read by a scale (bw_a: next is a conv) and a 1x1 conv.
    shp = [64, 14, 14]
    l0 = _conv(shp, 64, 1, 1, 1, 0, 1)
    la = _conv([32, 14, 14], 32, 3, 1, 1, 1, 1)
    l2 = _conv([64, 7, 7], 16, 1, 1, 1, 0, 1)
    net = _network("ref_slice", shp, [
        {"name": "c0", "type": "conv", "out_channels": 64, "kernel": 1, "bias": False},
        {"name": "r0", "type": "relu"},
        {"name": "sla", "type": "slice", "shape": [32, 14, 14]},
        {"name": "ca", "type": "conv", "out_channels": 32, "kernel": 3, "padding": 1,
         "bias": False},
        {"name": "slb", "type": "slice", "input": "r0", "shape": [32, 14, 14]},
        {"name": "cat", "type": "concat", "inputs": ["ca", "slb"]},
        {"name": "sls", "type": "slice", "shape": [64, 7, 7]},
        {"name": "sc", "type": "scale"},
        {"name": "c2", "type": "conv", "out_channels": 16, "kernel": 1, "bias": False}])
    fwd = [("c0", l0, "G"),
           ("r0", {"op": "relu", "shape": shp, "next_on_array": False},
            "G§6.1; R3 (next entry: a zero-cost slice, Q5)"),
           ("sla", ZERO, "X§9 slice (channel half)"), ("ca", la, "G"),
           ("slb", ZERO, "X§9 slice (channel half)"), ("cat", ZERO, "X§9 concat"),
           ("sls", ZERO, "X§9 slice (spatial)"),
           ("sc", {"op": "activation", "function": "scale", "shape": [64, 7, 7],
                   "next_on_array": True}, "X§3 over the slice; R3"),
           ("c2", l2, "G")]
    for arch, b in (("genesys-inference-01", 1), ("genesys-inference-08", 4)):
        cases.append({"name": "slice_inf_" + arch[-2:], "arch": arch, "mode": "inference",
                      "batch": b, "network": net, "program": fwd})
    bwd = [("loss", ZERO, "X§9"), ("loss.grad", ZERO, "X§9")]
    bwd += _conv_train_ops("c2", l2, False)
    bwd += [("sc.grad", {"op": "activation", "function": "scale", "grad": True,
                         "shape": [64, 7, 7], "next_on_array": False},
             "X§3 (n_in 1); R3 (next entry: the zero-cost slice gradient)"),
            ("sls.grad", ZERO, "X§9 slice gradient"), ("cat.grad", ZERO, "X§9 split"),
            ("slb.grad", ZERO, "X§9 slice gradient")]
    bwd += _conv_train_ops("ca", la, False)
    bwd += [("sla.grad", ZERO, "X§9 slice gradient"),
            ("r0.grad", {"op": "relu_grad", "shape": shp, "next_on_array": True}, "G§6.7; R3")]
    bwd += _conv_train_ops("c0", l0, False, first=True)
    for arch, b in (("genesys-training-01", 2), ("genesys-training-08", 16)):
        cases.append({"name": "slice_train_" + arch[-2:], "arch": arch, "mode": "training",
                      "batch": b, "network": net, "program": fwd + bwd})
    return cases


QUANTITIES = [
    ("output_bits", lambda r: r["output_bits"]),
    ("systolic.compute_cycles", lambda r: r["systolic_compute"]),
    ("systolic.stall_cycles", lambda r: r["systolic_stall"]),
    ("simd.compute_cycles", lambda r: r["simd_compute"]),
    ("simd.stall_cycles", lambda r: r["simd_stall"]),
] + [("dram_bytes_by_kind." + k, (lambda k: lambda r: r["dram_bytes"][k])(k))
     for k in ("filter", "ifmap", "psum", "ofmap", "bias")] + [
    ("macs", lambda r: r["macs"]),
    ("useful_macs", lambda r: r["useful_macs"]),
    ("ops", lambda r: r["ops"]),
] + [("sram_bytes_by_buffer." + k, (lambda k: lambda r: r["sram_bytes"][k])(k))
     for k in ("ibuf", "wbuf", "obuf", "bbuf", "vmem", "imm", "instruction")]


def reference_for_case(case):
    """Evaluates every program entry; returns the case with 'entries' and 'simd_operations'."""
    out = {k: case[k] for k in ("name", "arch", "mode", "batch", "network")}
    entries = []
    total_ops = {k: 0.0 for k in SIMD_KINDS}
    error = None
    for (layer, op, sections) in case["program"]:
        e = {"layer": layer, "op": op, "sections": sections}
        try:
            r = evaluate(case["arch"], case["mode"], case["batch"], op)
            e["reference"] = {q: f(r) for q, f in QUANTITIES}
            e["tile"] = r["tile"]
            for k in SIMD_KINDS:
                total_ops[k] += r["simd_ops"][k]
        except NoTile as exc:
            e["reference_error"] = "no tile: %s" % exc
            error = error or ("no tile of '%s'" % layer)
        entries.append(e)
    out["entries"] = entries
    if error:
        out["expect_error"] = error
    else:
        out["simd_operations"] = total_ops
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--arch")
    ap.add_argument("--mode", choices=["inference", "training"], default="inference")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--op", help="one op description (JSON)")
    ap.add_argument("--emit-cases", metavar="FILE")
    a = ap.parse_args(argv)
    if a.emit_cases:
        cases = [reference_for_case(c) for c in build_cases()]
        with open(a.emit_cases, "w") as f:
            json.dump({"schema": "simdit.reference-cases/1",
                       "generator": "Tests/Reference/extensions_reference.py",
                       "cases": cases}, f, indent=1)
            f.write("\n")
        print("wrote %d cases to %s" % (len(cases), a.emit_cases))
        return 0
    if not (a.arch and a.op):
        ap.error("--arch and --op are required (or --emit-cases)")
    try:
        r = evaluate(a.arch, a.mode, a.batch, json.loads(a.op))
    except NoTile as exc:
        print(json.dumps({"error": "no tile: %s" % exc}))
        return 1
    print(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

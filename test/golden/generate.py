#!/usr/bin/env python3
"""
Golden reference values for the gradiente engine, computed by PyTorch in float64.

Run:  /usr/bin/python3 test/golden/generate.py   (npm run golden)
Writes test/golden/ops.json, which golden.test.ts replays on every backend in float32.
CI only reads the JSON; it never needs torch.

Every case stores
  inputs   float32-representable values (drawn as float32, then widened), so the TS side
           loads exactly the numbers torch saw;
  weights  a random vector w of the output's shape; the scalar differentiated is
           sum(w * output), so every entry of the Jacobian contributes to the gradient
           (a plain sum would hide a wrong off-diagonal or a wrong sign that cancels);
  output   forward values, and
  grads    d sum(w * output) / d input for every input that requires a gradient.

Keras semantics mapped onto torch (gradiente follows Keras for losses):
  * per-sample loss = mean over the non-batch axes (cross-entropy: sum over the class
    axis first, then mean over any remaining axes);
  * reduction 'sum' sums the per-sample values (NOT torch's elementwise sum), 'mean'
    averages them, 'none' returns them;
  * probabilities (fromLogits false) are clipped to [eps, 1 - eps] with eps = 1e-7 before
    log(); categorical cross-entropy renormalizes each row to sum 1 before clipping.
    The clip bounds are the float32 roundings of 1e-7 and 1 - 1e-7, because that is what
    a float32 computation (Keras's, and ours) actually clips to: float32(1 - 1e-7) is
    1 - 1.19e-7, and log(1 - p) at the bound differs by 17% from the float64 bound.
  * max reductions use torch.amax, which splits the gradient evenly between tied maxima
    (torch.max(dim) would give it all to one index); maximum/minimum split ties in half.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20240607)

EPS_LOW = float(np.float32(1e-7))
EPS_HIGH = float(np.float32(1.0 - 1e-7))


class In:
    """One tensor operand: float32-representable values and whether it needs a gradient."""

    def __init__(self, values, grad=True, shape=None):
        a = np.asarray(values, dtype=np.float32)
        if shape is not None:
            a = a.reshape(shape)
        self.array = a
        self.grad = grad


def normal(shape, scale=1.0, grad=True):
    return In(rng.standard_normal(shape).astype(np.float32) * np.float32(scale), grad)


def uniform(shape, low, high, grad=True):
    return In(rng.uniform(low, high, shape).astype(np.float32), grad)


def ints(shape, low, high, grad=True):
    """Small integers (as floats): ties for max/maximum are then certain."""
    return In(rng.integers(low, high, shape).astype(np.float32), grad)


cases = []


def case(name, op, operands, fn, params=None):
    """Run fn on torch float64 copies of the operands; record values and gradients."""
    tensors = []
    stored = []
    for o in operands:
        if isinstance(o, In):
            t = torch.tensor(o.array.astype(np.float64), requires_grad=o.grad)
            tensors.append(t)
            stored.append({
                "shape": list(o.array.shape),
                "data": [float(v) for v in o.array.reshape(-1)],
                "requiresGrad": o.grad,
            })
        else:
            tensors.append(float(o))
            stored.append({"number": float(o)})
    out = fn(*tensors)
    weights = rng.uniform(-1.0, 1.0, tuple(out.shape)).astype(np.float32)
    scalar = (out * torch.tensor(weights.astype(np.float64))).sum()
    scalar.backward()
    out_values = out.detach().reshape(-1).tolist()
    grads = []
    for t in tensors:
        if isinstance(t, torch.Tensor) and t.requires_grad:
            g = t.grad if t.grad is not None else torch.zeros_like(t)
            grads.append(g.reshape(-1).tolist())
        else:
            grads.append(None)
    for values in [out_values] + [g for g in grads if g is not None]:
        if not all(np.isfinite(values)):
            raise SystemExit(f"case '{name}': non-finite reference value; fix the inputs")
    cases.append({
        "name": name,
        "op": op,
        "params": params or {},
        "inputs": stored,
        "weights": [float(v) for v in weights.reshape(-1)],
        "output": {"shape": list(out.shape), "data": out_values},
        "grads": grads,
    })


# ---------------------------------------------------------------- elementwise binary
case("add same shape", "add", [normal((2, 3)), normal((2, 3))], torch.add)
case("add [4,3]+[3]", "add", [normal((4, 3)), normal((3,))], torch.add)
case("add [4,1]+[1,3]", "add", [normal((4, 1)), normal((1, 3))], torch.add)
case("add [2,1,3]+[4,1]", "add", [normal((2, 1, 3)), normal((4, 1))], torch.add)
case("add tensor+number", "add", [normal((2, 3)), 2.5], lambda a, b: a + b)
case("sub [4,3]-[3]", "sub", [normal((4, 3)), normal((3,))], torch.sub)
case("sub [3]-[4,3]", "sub", [normal((3,)), normal((4, 3))], torch.sub)
case("sub number-tensor", "sub", [1.5, normal((2, 3))], lambda a, b: a - b)
case("mul same shape", "mul", [normal((3, 2)), normal((3, 2))], torch.mul)
case("mul [4,1]*[1,3]", "mul", [normal((4, 1)), normal((1, 3))], torch.mul)
case("mul [2,3,4]*[3,1]", "mul", [normal((2, 3, 4)), normal((3, 1))], torch.mul)
case("mul tensor*number", "mul", [normal((2, 3)), -0.75], lambda a, b: a * b)
case("div [4,3]/[3]", "div", [normal((4, 3)), uniform((3,), 0.5, 2.0)], torch.div)
case("div [4,1]/[1,3] negative divisor", "div", [normal((4, 1)), uniform((1, 3), -2.0, -0.5)], torch.div)
case("div number/tensor", "div", [2.0, uniform((2, 3), 0.5, 2.0)], lambda a, b: a / b)
case("pow [3,4]^[4]", "pow", [uniform((3, 4), 0.5, 2.0), uniform((4,), -1.5, 2.5)], torch.pow)
case("pow tensor^3 (negative base)", "pow", [normal((2, 3)), 3.0], lambda a, b: a ** b)
case("pow tensor^0.5", "pow", [uniform((2, 3), 0.2, 3.0), 0.5], lambda a, b: a ** b)
case("pow number^tensor", "pow", [2.0, normal((2, 3))], lambda a, b: a ** b)
# Base exactly 0: torch's gradients are 0 where the formulas give 0·inf (b = 0 for d/da,
# b >= 0 for d/db); a base of 0 with a negative exponent is left out (inf, as in torch).
case("pow at base 0", "pow", [In([[0.0, 0.0, 0.0], [2.0, 0.5, 0.0]]), In([[0.0, 1.0, 2.0], [3.0, 0.0, 3.5]])], torch.pow)
case("pow tensor^0 at 0", "pow", [In([0.0, 1.5, -2.0]), 0.0], lambda a, b: a ** b)
case("pow 0^tensor", "pow", [0.0, In([0.0, 1.0, 2.5])], lambda a, b: a ** b)
case("maximum with ties", "maximum", [ints((4, 3), -2, 3), ints((4, 3), -2, 3)], torch.maximum)
case("maximum [4,3] vs [3] with ties", "maximum", [ints((4, 3), -2, 3), In([0, 1, -1])], torch.maximum)
case("minimum with ties", "minimum", [ints((4, 3), -2, 3), ints((4, 3), -2, 3)], torch.minimum)
case("minimum [4,1] vs [1,3] with ties", "minimum", [ints((4, 1), -1, 2), ints((1, 3), -1, 2)], torch.minimum)

# ---------------------------------------------------------------- elementwise unary
case("neg", "neg", [normal((2, 3))], torch.neg)
case("exp", "exp", [uniform((3, 4), -5.0, 5.0)], torch.exp)
case("log", "log", [uniform((3, 4), 0.05, 5.0)], torch.log)
case("sqrt", "sqrt", [uniform((3, 4), 0.05, 5.0)], torch.sqrt)
case("abs with exact zeros", "abs", [In([[-2.0, -0.5, 0.0, 0.5], [0.0, 3.0, -1e-3, 1e-3]])], torch.abs)
case("square", "square", [normal((3, 4))], torch.square)
case("clip inside, outside and at both edges", "clip",
     [In([[-2.0, -0.5, -0.25, 0.0], [0.5, 0.75, 1.0, 3.0]])], lambda x: x.clamp(-0.5, 0.75),
     {"low": -0.5, "high": 0.75})

# ---------------------------------------------------------------- reductions
x3 = normal((2, 3, 4))
for fname, tfn in [("sum", torch.sum), ("mean", torch.mean)]:
    case(f"{fname} all", fname, [x3], lambda x, f=tfn: f(x))
    for axis in [0, 1, 2, -1]:
        for keep in [False, True]:
            case(f"{fname} axis {axis} keepDims {keep}", fname, [x3],
                 lambda x, f=tfn, a=axis, k=keep: f(x, dim=a, keepdim=k), {"axis": axis, "keepDims": keep})
    case(f"{fname} axes [0,2]", fname, [x3], lambda x, f=tfn: f(x, dim=(0, 2)), {"axis": [0, 2]})
    case(f"{fname} axes [0,1] keepDims", fname, [x3],
         lambda x, f=tfn: f(x, dim=(0, 1), keepdim=True), {"axis": [0, 1], "keepDims": True})

ties = ints((2, 3, 4), -1, 2)  # values in {-1, 0, 1}: every max has ties
case("max all with ties", "max", [ties], lambda x: torch.amax(x, dim=(0, 1, 2)))
for axis in [0, 1, 2]:
    for keep in [False, True]:
        case(f"max axis {axis} keepDims {keep} with ties", "max", [ties],
             lambda x, a=axis, k=keep: torch.amax(x, dim=a, keepdim=k), {"axis": axis, "keepDims": keep})
case("max axes [0,2] with ties", "max", [ties], lambda x: torch.amax(x, dim=(0, 2)), {"axis": [0, 2]})
case("max axis 1 no ties", "max", [normal((3, 5))], lambda x: torch.amax(x, dim=1), {"axis": 1})

# ---------------------------------------------------------------- shape ops
case("reshape [2,6] to [3,-1]", "reshape", [normal((2, 6))], lambda x: x.reshape(3, -1), {"shape": [3, -1]})
case("flatten [2,3,2]", "flatten", [normal((2, 3, 2))], lambda x: x.reshape(2, -1))
case("transpose 2-D default", "transpose", [normal((3, 5))], lambda x: x.t())
case("transpose 3-D perm [2,0,1]", "transpose", [normal((2, 3, 4))], lambda x: x.permute(2, 0, 1), {"perm": [2, 0, 1]})
case("transpose 3-D perm [1,0,2]", "transpose", [normal((2, 3, 4))], lambda x: x.permute(1, 0, 2), {"perm": [1, 0, 2]})
case("slice axis 0", "slice", [normal((5, 3))], lambda x: x[1:4], {"start": 1, "end": 4, "axis": 0})
case("slice axis 1 of 3-D", "slice", [normal((2, 5, 3))], lambda x: x[:, 2:5], {"start": 2, "end": 5, "axis": 1})
gather_indices = [4, 0, 4, 2, 0, 4]
case("gatherRows with repeated indices", "gatherRows", [normal((5, 3))],
     lambda x: x[torch.tensor(gather_indices)], {"indices": gather_indices})
case("concat axis 0", "concat", [normal((2, 3)), normal((1, 3)), normal((3, 3))], lambda a, b, c: torch.cat([a, b, c], 0), {"axis": 0})
case("concat axis 1", "concat", [normal((2, 1)), normal((2, 4))], lambda a, b: torch.cat([a, b], 1), {"axis": 1})
case("concat axis -1 of 3-D", "concat", [normal((2, 2, 1)), normal((2, 2, 3))], lambda a, b: torch.cat([a, b], -1), {"axis": -1})

# ---------------------------------------------------------------- matrix products
case("matmul [3,4]x[4,5]", "matmul", [normal((3, 4)), normal((4, 5))], torch.matmul)
case("matmul transposeA", "matmul", [normal((4, 3)), normal((4, 5))], lambda a, b: a.t() @ b, {"transposeA": True})
case("matmul transposeB", "matmul", [normal((3, 4)), normal((5, 4))], lambda a, b: a @ b.t(), {"transposeB": True})
case("matmul transposeA and transposeB", "matmul", [normal((4, 3)), normal((5, 4))], lambda a, b: a.t() @ b.t(),
     {"transposeA": True, "transposeB": True})
case("matmul vector-like [1,6]x[6,1]", "matmul", [normal((1, 6)), normal((6, 1))], torch.matmul)
# Large enough (m·n·k > 32768, m, n >= 4) for the packed, blocked kernel and its edge tiles.
case("matmul packed [33,35]x[35,30]", "matmul", [normal((33, 35)), normal((35, 30))], torch.matmul)
case("matmul packed transposeB [34,33]x[31,33]ᵀ", "matmul", [normal((34, 33)), normal((31, 33))], lambda a, b: a @ b.t(),
     {"transposeB": True})
case("linear with bias", "linear", [normal((5, 4)), normal((4, 3)), normal((3,))], lambda x, w, b: x @ w + b)
case("linear without bias", "linear", [normal((5, 4)), normal((4, 3))], lambda x, w: x @ w)
case("linear with bias, weights frozen", "linear", [normal((3, 4)), normal((4, 2), grad=False), normal((2,))],
     lambda x, w, b: x @ w + b)

# ---------------------------------------------------------------- activations
extreme = In([[-100.0, -30.0, -20.0, -5.0, -1.5],
              [-0.5, -1e-3, 0.0, 1e-3, 0.5],
              [1.5, 5.0, 20.0, 30.0, 100.0]])
case("sigmoid extremes", "sigmoid", [extreme], torch.sigmoid)
case("sigmoid large negative", "sigmoid", [In([-88.0, -60.0, -40.0, -15.0, -10.0])], torch.sigmoid)
case("tanh extremes", "tanh", [extreme], torch.tanh)
case("relu extremes and 0", "relu", [extreme], torch.relu)
case("leakyRelu default alpha", "leakyRelu", [extreme], lambda z: F.leaky_relu(z, 0.01))
case("leakyRelu alpha 0.2", "leakyRelu", [extreme], lambda z: F.leaky_relu(z, 0.2), {"alpha": 0.2})
case("elu default alpha", "elu", [extreme], lambda z: F.elu(z, 1.0))
case("elu alpha 0.5", "elu", [extreme], lambda z: F.elu(z, 0.5), {"alpha": 0.5})
case("gelu exact", "gelu", [extreme], lambda z: F.gelu(z))
case("gelu exact moderate", "gelu", [uniform((4, 4), -4.0, 4.0)], lambda z: F.gelu(z))
case("gelu tanh", "gelu", [extreme], lambda z: F.gelu(z, approximate="tanh"), {"approximate": "tanh"})
case("gelu tanh moderate", "gelu", [uniform((4, 4), -4.0, 4.0)], lambda z: F.gelu(z, approximate="tanh"),
     {"approximate": "tanh"})
case("swish extremes", "swish", [extreme], F.silu)
case("silu", "silu", [normal((3, 4), 2.0)], F.silu)
case("softplus extremes", "softplus", [extreme], F.softplus)
# Beyond float64's exp range (e^710 overflows): only the stable formulas stay finite here,
# e.g. softplus as max(z, 0) + log1p(e^-|z|), softmax after subtracting the row max.
huge = In([[-1000.0, -800.0, -710.0], [710.0, 800.0, 1000.0]])
for op, fn, params in [("sigmoid", torch.sigmoid, {}), ("tanh", torch.tanh, {}), ("softplus", F.softplus, {}),
                       ("swish", F.silu, {}), ("elu", lambda z: F.elu(z, 1.0), {}), ("gelu", F.gelu, {}),
                       ("gelu", lambda z: F.gelu(z, approximate="tanh"), {"approximate": "tanh"})]:
    case(f"{op}{' tanh' if params else ''} beyond exp range (±1000)", op, [huge], fn, params)
logits = In([[100.0, -100.0, 0.0, 50.0], [0.5, -1.0, 2.0, 0.0], [3.0, 3.0, 3.0, 3.0]])
huge_logits = In([[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -999.0, -1000.0, -1001.0]])
case("softmax beyond exp range (±1000)", "softmax", [huge_logits], lambda z: torch.softmax(z, -1))
case("logSoftmax beyond exp range (±1000)", "logSoftmax", [huge_logits], lambda z: torch.log_softmax(z, -1))
case("softmax with ±100 logits", "softmax", [logits], lambda z: torch.softmax(z, -1))
case("softmax 3-D", "softmax", [normal((2, 2, 3), 2.0)], lambda z: torch.softmax(z, -1))
case("logSoftmax with ±100 logits", "logSoftmax", [logits], lambda z: torch.log_softmax(z, -1))
case("logSoftmax 3-D", "logSoftmax", [normal((2, 2, 3), 2.0)], lambda z: torch.log_softmax(z, -1))


# ---------------------------------------------------------------- losses
def per_sample(values):
    """Mean over every axis after the batch axis (Keras's per-sample loss)."""
    return values.mean(dim=tuple(range(1, values.dim()))) if values.dim() > 1 else values


def reduce(per, reduction):
    return {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]


def mse(t, y, reduction):
    return reduce(per_sample((y - t) ** 2), reduction)


def mae(t, y, reduction):
    return reduce(per_sample((y - t).abs()), reduction)


def huber(t, y, reduction, delta):
    return reduce(per_sample(F.huber_loss(y, t, reduction="none", delta=delta)), reduction)


def bce(t, y, reduction, from_logits):
    if from_logits:
        values = F.binary_cross_entropy_with_logits(y, t, reduction="none")
    else:
        p = y.clamp(EPS_LOW, EPS_HIGH)
        values = -(t * p.log() + (1 - t) * (1 - p).log())
    return reduce(per_sample(values), reduction)


def cce(t, y, reduction, from_logits):
    if from_logits:
        log_p = torch.log_softmax(y, -1)
    else:
        log_p = (y / y.sum(-1, keepdim=True)).clamp(EPS_LOW, EPS_HIGH).log()
    return reduce(per_sample(-(t * log_p).sum(-1)), reduction)


def sparse_cce(labels, y, reduction, from_logits):
    one_hot = F.one_hot(labels.detach().reshape(-1).long(), y.shape[-1]).to(y.dtype)
    return cce(one_hot, y, reduction, from_logits)


REDUCTIONS = ["mean", "sum", "none"]
regression_true = normal((4, 3))
regression_pred = normal((4, 3))
# Exact zeros of the error: MAE's and abs's gradient there must be 0, not ±1.
mae_true = In([[0.5, -1.0, 2.0], [0.0, 0.25, -0.5], [1.0, 1.0, 1.0], [-2.0, 3.0, 0.75]])
mae_pred = In([[0.5, -0.5, 1.0], [0.0, 0.25, 0.5], [1.5, 1.0, 0.0], [-2.0, 2.0, 0.75]])
# Errors on both sides of delta 0.5 (and of the default 1), including exact 0.
huber_true = In([[0.0, 0.0, 0.0], [1.0, -1.0, 2.0], [0.5, 0.5, 0.5], [-3.0, 3.0, 0.0]])
huber_pred = In([[0.2, -0.3, 0.0], [2.5, -0.25, 2.75], [-1.0, 0.5, 0.8], [-0.5, 2.0, 1.25]])
for r in REDUCTIONS:
    case(f"meanSquaredError {r}", "meanSquaredError", [regression_true, regression_pred],
         lambda t, y, r=r: mse(t, y, r), {"reduction": r})
    case(f"meanAbsoluteError {r} with exact zeros", "meanAbsoluteError", [mae_true, mae_pred],
         lambda t, y, r=r: mae(t, y, r), {"reduction": r})
    case(f"huber delta 1 {r}", "huber", [huber_true, huber_pred], lambda t, y, r=r: huber(t, y, r, 1.0), {"reduction": r})
    case(f"huber delta 0.5 {r}", "huber", [huber_true, huber_pred], lambda t, y, r=r: huber(t, y, r, 0.5),
         {"reduction": r, "delta": 0.5})
case("meanSquaredError 3-D per-sample mean", "meanSquaredError", [normal((2, 3, 2)), normal((2, 3, 2))],
     lambda t, y: mse(t, y, "none"), {"reduction": "none"})

bce_true = In([[1.0, 0.0, 1.0], [0.0, 1.0, 0.25], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], grad=False)
# Probabilities including exact 0 and 1 (clipped: finite loss, zero gradient) and values near them.
bce_prob = In([[0.9, 0.1, 0.0], [1.0, 0.7, 0.4], [0.999, 1e-4, 0.5], [0.3, 0.02, 0.65]])
bce_logits = In([[100.0, -100.0, -100.0], [100.0, 2.0, -0.5], [3.0, -4.0, 0.0], [-1.0, 0.75, 100.0]])
for r in REDUCTIONS:
    case(f"binaryCrossentropy probabilities {r}", "binaryCrossentropy", [bce_true, bce_prob],
         lambda t, y, r=r: bce(t, y, r, False), {"reduction": r, "fromLogits": False})
    case(f"binaryCrossentropy logits ±100 {r}", "binaryCrossentropy", [bce_true, bce_logits],
         lambda t, y, r=r: bce(t, y, r, True), {"reduction": r, "fromLogits": True})

cce_true = In([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0.2, 0.3, 0.5, 0]], grad=False)
# Rows that do not sum to 1 (renormalized), an exact 0 on the true class, an exact 1.
cce_prob = In([[0.1, 0.6, 0.2, 0.1], [0.5, 0.3, 0.4, 0.3], [0.2, 0.3, 0.5, 0.0], [0.0, 0.0, 1.0, 0.0]])
cce_logits = In([[-100.0, 100.0, 0.0, 3.0], [100.0, -100.0, 50.0, 0.0], [0.5, -1.0, 2.0, -100.0], [1.0, 2.0, 0.5, -0.5]])
for r in REDUCTIONS:
    case(f"categoricalCrossentropy probabilities {r}", "categoricalCrossentropy", [cce_true, cce_prob],
         lambda t, y, r=r: cce(t, y, r, False), {"reduction": r, "fromLogits": False})
    case(f"categoricalCrossentropy logits ±100 {r}", "categoricalCrossentropy", [cce_true, cce_logits],
         lambda t, y, r=r: cce(t, y, r, True), {"reduction": r, "fromLogits": True})
case("binaryCrossentropy logits beyond exp range (±1000)", "binaryCrossentropy",
     [In([[1.0, 0.0], [0.0, 1.0]], grad=False), In([[-1000.0, 1000.0], [-1000.0, 1000.0]])],
     lambda t, y: bce(t, y, "none", True), {"reduction": "none", "fromLogits": True})
case("categoricalCrossentropy logits beyond exp range (±1000)", "categoricalCrossentropy",
     [In([[0, 1, 0, 0], [1, 0, 0, 0]], grad=False), huge_logits],
     lambda t, y: cce(t, y, "none", True), {"reduction": "none", "fromLogits": True})
seq_true = In(np.eye(3, dtype=np.float32)[rng.integers(0, 3, (2, 4))], grad=False)
case("categoricalCrossentropy 3-D logits (mean over time)", "categoricalCrossentropy", [seq_true, normal((2, 4, 3), 2.0)],
     lambda t, y: cce(t, y, "none", True), {"reduction": "none", "fromLogits": True})
case("categoricalCrossentropy 3-D probabilities", "categoricalCrossentropy", [seq_true, uniform((2, 4, 3), 0.05, 1.0)],
     lambda t, y: cce(t, y, "mean", False), {"reduction": "mean", "fromLogits": False})

labels = In([1, 0, 3, 2], grad=False)
for r in REDUCTIONS:
    case(f"sparseCategoricalCrossentropy logits ±100 {r}", "sparseCategoricalCrossentropy", [labels, cce_logits],
         lambda t, y, r=r: sparse_cce(t, y, r, True), {"reduction": r, "fromLogits": True})
    case(f"sparseCategoricalCrossentropy probabilities {r}", "sparseCategoricalCrossentropy", [labels, cce_prob],
         lambda t, y, r=r: sparse_cce(t, y, r, False), {"reduction": r, "fromLogits": False})
case("sparseCategoricalCrossentropy labels [N,1]", "sparseCategoricalCrossentropy",
     [In([[2], [0], [1]], grad=False), normal((3, 3))], lambda t, y: sparse_cce(t, y, "mean", True),
     {"reduction": "mean", "fromLogits": True})

names = [c["name"] for c in cases]
if len(set(names)) != len(names):
    raise SystemExit("duplicate case names")
out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.json")
with open(out_path, "w") as f:
    json.dump({"generator": "test/golden/generate.py", "torch": torch.__version__.split("+")[0], "cases": cases}, f,
              separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(out_path)}")

#!/usr/bin/env python3
"""
Precision fixtures for the cross-entropies built from logits, where a confident prediction
makes a naive formula cancel (softplus(z) − y·z at y = 1, z = 20 is 20.000000002 − 20).

Run:  /usr/bin/python3 test/golden/generate_precision.py   (part of npm run golden)
Writes test/golden/precision.json, which precision.test.ts replays in float32 on every
backend and in float64 on the reference backend. CI only reads the JSON.

Every case is one row: logits z and targets y, elementwise for binary cross-entropy, one
row of classes for categorical cross-entropy. It stores
  exact    the loss and d loss / d z computed with Python's decimal module at 80 digits from
           the stable closed forms (the truth, then rounded to float64);
  torch64  PyTorch float64 (F.binary_cross_entropy_with_logits, log_softmax) and its
           autograd gradient;
  torch32  the same in float32, so the test knows where PyTorch's own float32 result is
           within 1e-5 of the truth (the issue's bar: match that precision there).
PyTorch float64 is itself rounded where the loss is below float64's epsilon relative to 1
(log(1 + e^−50) is 0 in float64), which is why the reference is the decimal value; the
generator checks that PyTorch float64 agrees with it to 1e-9 relative plus 1e-15 absolute
(that rounding), so both describe the same function.
"""
import json
import os
from decimal import Decimal, getcontext

import numpy as np
import torch
import torch.nn.functional as F

getcontext().prec = 80

LOGITS = [20.0, -20.0, 50.0, -50.0, 100.0, -100.0, 1000.0, -1000.0]
TARGETS = [0.0, 1.0, 0.3]


def f32(x):
    """The float32 number a float32 run actually sees (0.3 is 0.30000001192...)."""
    return float(np.float32(x))


def d_exp(x):
    return Decimal(x).exp()


def d_softplus(x):
    """log(1 + e^x) without cancellation: max(x, 0) + log(1 + e^−|x|)."""
    x = Decimal(x)
    return max(x, Decimal(0)) + (Decimal(1) + (-abs(x)).exp()).ln()


def d_sigmoid(x):
    return Decimal(1) / (Decimal(1) + d_exp(-Decimal(x)))


def bce_exact(z, y):
    y = Decimal(y)
    value = (1 - y) * d_softplus(z) + y * d_softplus(-z)
    grad = (1 - y) * d_sigmoid(z) - y * d_sigmoid(-z)
    return float(value), float(grad)


def cce_exact(z_row, y_row):
    """Loss −Σ y_j log p_j and its gradient p_j − y_j (Σ y = 1), at 80 digits."""
    zs = [Decimal(v) for v in z_row]
    m = max(zs)
    terms = [(v - m).exp() for v in zs]
    total = sum(terms)
    log_total = total.ln()
    log_p = [v - m - log_total for v in zs]
    value = -sum(Decimal(y) * lp for y, lp in zip(y_row, log_p))
    probs = [t / total for t in terms]
    grads = []
    for j, y in enumerate(y_row):
        if y == 1.0:
            # 1 − p_j as the sum of the other probabilities, not a difference.
            grads.append(float(-sum(p for k, p in enumerate(probs) if k != j)))
        else:
            grads.append(float(probs[j] - Decimal(y)))
    return float(value), grads


def torch_bce(z, y, dtype):
    zt = torch.tensor([z], dtype=dtype, requires_grad=True)
    value = F.binary_cross_entropy_with_logits(zt, torch.tensor([y], dtype=dtype), reduction="sum")
    value.backward()
    return float(value), float(zt.grad[0])


def torch_cce(z_row, y_row, dtype):
    zt = torch.tensor([z_row], dtype=dtype, requires_grad=True)
    value = -(torch.tensor([y_row], dtype=dtype) * torch.log_softmax(zt, -1)).sum()
    value.backward()
    return float(value), [float(g) for g in zt.grad[0]]


def agrees(a, b, rtol):
    """Within rtol, or within a few float64 ulps of 1: PyTorch forms log(1 + e^−z) (and
    1 − p), so its own float64 error is absolute, about 2.2e-16, not relative."""
    return abs(a - b) <= rtol * abs(b) + 1e-15


cases = []
for z in LOGITS:
    for y in TARGETS:
        y32 = f32(y)
        value, grad = bce_exact(z, y32)
        t64 = torch_bce(z, y32, torch.float64)
        t32 = torch_bce(z, y32, torch.float32)
        for got, want in ((t64[0], value), (t64[1], grad)):
            if not agrees(got, want, 1e-9):
                raise SystemExit(f"torch float64 and the decimal reference disagree at z={z}, y={y}: {got} vs {want}")
        cases.append({
            "loss": "binaryCrossentropy", "name": f"binaryCrossentropy z={z:g} y={y:g}",
            "logits": [z], "targets": [y32],
            "exact": {"value": value, "grad": [grad]},
            "torch64": {"value": t64[0], "grad": [t64[1]]},
            "torch32": {"value": t32[0], "grad": [t32[1]]},
        })

# Categorical rows: one dominant logit, the target on it (confidently right) or elsewhere
# (confidently wrong), two and three classes.
CCE_ROWS = []
for big in [20.0, 50.0, 100.0, 1000.0]:
    CCE_ROWS.append(([big, 0.0], [1.0, 0.0]))
    CCE_ROWS.append(([0.0, big], [1.0, 0.0]))
    CCE_ROWS.append(([-5.0, big, 1.0], [0.0, 1.0, 0.0]))
    CCE_ROWS.append(([-5.0, big, 1.0], [0.0, 0.0, 1.0]))
    CCE_ROWS.append(([big, -big], [0.7, 0.3]))
for z_row, y_row in CCE_ROWS:
    y_row = [f32(y) for y in y_row]
    if len(y_row) == 2 and y_row[0] not in (0.0, 1.0):
        y_row[1] = 1.0 - y_row[0]  # soft targets summing to 1 in float64 arithmetic
    value, grads = cce_exact(z_row, y_row)
    t64 = torch_cce(z_row, y_row, torch.float64)
    t32 = torch_cce(z_row, y_row, torch.float32)
    for got, want in [(t64[0], value)] + list(zip(t64[1], grads)):
        if not agrees(got, want, 1e-9):
            raise SystemExit(f"torch float64 and the decimal reference disagree at {z_row} {y_row}: {got} vs {want}")
    cases.append({
        "loss": "categoricalCrossentropy",
        "name": f"categoricalCrossentropy z={[float(v) for v in z_row]} y={[round(v, 7) for v in y_row]}",
        "logits": z_row, "targets": y_row,
        "exact": {"value": value, "grad": grads},
        "torch64": {"value": t64[0], "grad": t64[1]},
        "torch32": {"value": t32[0], "grad": t32[1]},
    })

out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "precision.json")
with open(out_path, "w") as f:
    json.dump({"generator": "test/golden/generate_precision.py", "torch": torch.__version__.split("+")[0],
               "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(out_path)}")

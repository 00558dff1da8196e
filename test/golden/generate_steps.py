#!/usr/bin/env python3
"""
Full training-step goldens: whole optimizer steps on a small MLP, computed by PyTorch.

Run:  /usr/bin/python3 test/golden/generate_steps.py
Writes test/golden/steps.json, which steps.test.ts replays with Sequential/Dense and
gradiente's optimizers on every backend. CI only reads the JSON; it never needs torch.

The network is 6-8-5-3: Linear(6, 8) -> act0 -> Linear(8, 5) -> act1 -> Linear(5, 3)
(logits / linear output). Two models share that architecture:
  * "classifier": tanh, relu, softmax cross-entropy from logits (F.cross_entropy, mean
    over samples = Keras categoricalCrossentropy(fromLogits) on one-hot rows);
  * "regressor":  relu, tanh, mean squared error (F.mse_loss, mean over every value =
    Keras meanSquaredError: mean over outputs per sample, then mean over samples).

Each case trains 5 steps on one fixed batch (N = 10) with a torch.optim optimizer and
stores the parameters after every step. torch.optim formulas are the ones gradiente
follows (RMSprop's `alpha` is gradiente's `rho`; AdamW's decay is decoupled).

Values are stored in torch's own layout and names: `fc0.weight` is [H, D] (out, in),
while gradiente's Dense kernel is [D, H] (Keras); the test transposes when loading.
Initial weights and the batch are float32-representable (drawn as float32, widened),
so both sides start from exactly the same numbers. The reference runs in float64: it
is the exact answer that gradiente's float32 run must approach.

NOTE: relu has a kink at 0. The script asserts that every relu pre-activation stays at
least RELU_MARGIN away from 0 at every step of every case, so float32 rounding on the
TS side cannot land on the other side of the kink and change a gradient discretely.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(1)

SIZES = [6, 8, 5, 3]
N = 10
STEPS = 5
RELU_MARGIN = 1e-4


def f32(shape, scale=1.0):
    """float32-representable values, returned as float64 numpy."""
    return (rng.standard_normal(shape) * scale).astype(np.float32).astype(np.float64)


def glorot(fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_out, fan_in)).astype(np.float32).astype(np.float64)


class MLP(torch.nn.Module):
    def __init__(self, activations):
        super().__init__()
        self.fc0 = torch.nn.Linear(SIZES[0], SIZES[1])
        self.fc1 = torch.nn.Linear(SIZES[1], SIZES[2])
        self.fc2 = torch.nn.Linear(SIZES[2], SIZES[3])
        self.activations = activations
        self.relu_inputs = []

    def act(self, name, z):
        if name == 'relu':
            self.relu_inputs.append(z.detach().abs().min().item())
            return torch.relu(z)
        if name == 'tanh':
            return torch.tanh(z)
        raise ValueError(name)

    def forward(self, x):
        h = self.act(self.activations[0], self.fc0(x))
        h = self.act(self.activations[1], self.fc1(h))
        return self.fc2(h)


def initial_state():
    state = {}
    for i in range(3):
        state[f'fc{i}.weight'] = glorot(SIZES[i], SIZES[i + 1])
        # Non-zero biases, so a wrong bias update or a missing bias load shows.
        state[f'fc{i}.bias'] = f32((SIZES[i + 1],), 0.1)
    return state


def to_json_state(model):
    return {k: {'shape': list(v.shape), 'data': v.detach().reshape(-1).tolist()} for k, v in model.state_dict().items()}


MODELS = {
    'classifier': {'activations': ['tanh', 'relu'], 'loss': 'categoricalCrossentropyFromLogits'},
    'regressor': {'activations': ['relu', 'tanh'], 'loss': 'meanSquaredError'},
}

# name, torch constructor, gradiente optimizer (type + options), optional scheduler.
OPTIMIZERS = [
    ('sgd_momentum', lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
     {'type': 'sgd', 'options': {'learningRate': 0.1, 'momentum': 0.9}}, None),
    ('sgd_nesterov_weight_decay', lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05),
     {'type': 'sgd', 'options': {'learningRate': 0.1, 'momentum': 0.9, 'nesterov': True, 'weightDecay': 0.05}}, None),
    ('adam', lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
     {'type': 'adam', 'options': {'learningRate': 0.01, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8}}, None),
    ('adam_l2', lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
     {'type': 'adam', 'options': {'learningRate': 0.01, 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-6, 'weightDecay': 0.1}}, None),
    ('adamw', lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.5),
     {'type': 'adamw', 'options': {'learningRate': 0.01, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8, 'weightDecay': 0.5}}, None),
    ('rmsprop_momentum', lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8, momentum=0.5, weight_decay=0.01),
     {'type': 'rmsprop', 'options': {'learningRate': 0.01, 'rho': 0.9, 'epsilon': 1e-8, 'momentum': 0.5, 'weightDecay': 0.01}}, None),
    ('rmsprop', lambda p: torch.optim.RMSprop(p, lr=0.003, alpha=0.99, eps=1e-8),
     {'type': 'rmsprop', 'options': {'learningRate': 0.003, 'rho': 0.99, 'epsilon': 1e-8}}, None),
    # Schedules stepped once per iteration (scheduler.step() after every optimizer.step()):
    # StepLR gives lr0 * gamma^floor(t / step_size), ExponentialLR lr0 * gamma^t, for the
    # t-th update counted from 0: gradiente's 'step' and 'exponential' (decaySteps 1).
    ('sgd_momentum_steplr', lambda p: torch.optim.SGD(p, lr=0.2, momentum=0.9),
     {'type': 'sgd', 'options': {'momentum': 0.9},
      'schedule': {'type': 'step', 'learningRate': 0.2, 'stepSize': 2, 'gamma': 0.5}},
     lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)),
    ('adam_exponentiallr', lambda p: torch.optim.Adam(p, lr=0.02),
     {'type': 'adam', 'options': {},
      'schedule': {'type': 'exponential', 'learningRate': 0.02, 'decaySteps': 1, 'decayRate': 0.7}},
     lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.7)),
]


def main():
    x = f32((N, SIZES[0]))
    labels = rng.integers(0, SIZES[-1], size=N)
    one_hot = np.eye(SIZES[-1])[labels]
    regression_targets = f32((N, SIZES[-1]))
    init = {name: initial_state() for name in MODELS}

    cases = []
    for model_name, spec in MODELS.items():
        for opt_name, make_opt, ts_opt, make_sched in OPTIMIZERS:
            model = MLP(spec['activations'])
            model.load_state_dict({k: torch.tensor(v) for k, v in init[model_name].items()})
            opt = make_opt(model.parameters())
            sched = make_sched(opt) if make_sched else None
            xt = torch.tensor(x)
            steps, losses, lrs = [], [], []
            for _ in range(STEPS):
                opt.zero_grad()
                out = model(xt)
                if spec['loss'] == 'meanSquaredError':
                    loss = F.mse_loss(out, torch.tensor(regression_targets))
                else:
                    loss = F.cross_entropy(out, torch.tensor(labels))
                loss.backward()
                lrs.append(opt.param_groups[0]['lr'])
                opt.step()
                if sched:
                    sched.step()
                losses.append(loss.item())
                steps.append(to_json_state(model))
            margin = min(model.relu_inputs)
            assert margin >= RELU_MARGIN, f'{model_name}/{opt_name}: relu input {margin} too close to the kink'
            cases.append({
                'name': f'{model_name}/{opt_name}',
                'model': model_name,
                'optimizer': ts_opt,
                'losses': losses,
                'learningRates': lrs,
                'steps': steps,
            })

    out = {
        'generator': 'test/golden/generate_steps.py',
        'torch': torch.__version__,
        'note': 'torch layout: fcK.weight is [out, in] (transpose for a Dense kernel [in, out])',
        'sizes': SIZES,
        'x': {'shape': [N, SIZES[0]], 'data': x.reshape(-1).tolist()},
        'targets': {
            'classifier': {'shape': [N, SIZES[-1]], 'data': one_hot.reshape(-1).tolist(), 'labels': labels.tolist()},
            'regressor': {'shape': [N, SIZES[-1]], 'data': regression_targets.reshape(-1).tolist()},
        },
        'models': {
            name: {
                'activations': spec['activations'],
                'loss': spec['loss'],
                'initial': {k: {'shape': list(v.shape), 'data': v.reshape(-1).tolist()} for k, v in init[name].items()},
            }
            for name, spec in MODELS.items()
        },
        'cases': cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'steps.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {len(cases)} cases to {path}')


if __name__ == '__main__':
    main()

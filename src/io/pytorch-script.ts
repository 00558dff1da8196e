/**
 * The `train.py` of an exported PyTorch project: the same network, loss, optimizer and
 * learning-rate schedule as a gradiente run, written out as plain PyTorch (torch + numpy
 * only), with DistributedDataParallel built in. The parts that differ from run to run (the
 * layers, the loss, the optimizer line, the schedule) are generated as literal code a
 * reader can follow; the loop around them is the same for every export.
 *
 * Browser-safe: this only builds text. src/node/pytorch-export.ts writes the project.
 * Shape letters: N batch, D input features, C outputs.
 */
import { ValueError } from '../errors.js';
import type { LossName } from '../losses/index.js';
import type { ScheduleConfig } from '../optim/schedules.js';
import type { LayerConfig } from './layer-config.js';

/** How the targets are laid out in y_*.npy (gradiente's encodings of the task). */
export type PytorchTargetEncoding = 'binary' | 'onehot' | 'labels' | 'values';

/** Everything train.py spells out: what the run computed, in gradiente's own terms. */
export interface PytorchProjectSpec {
  /** D, the features of one sample. */
  inputDim: number;
  layers: LayerConfig[];
  /** gradiente names of the parameters in order (`0.kernel`, `0.bias`, ...) with their shapes. */
  parameters: { name: string; shape: number[] }[];
  loss: LossName;
  fromLogits: boolean;
  /** Huber's delta (default 1). */
  delta?: number;
  targetEncoding: PytorchTargetEncoding;
  /** 'accuracy' for classification; 'mse' / 'mae' for regression. */
  metrics: string[];
  optimizer: { type: string; hyper: Record<string, number | boolean> };
  learningRate: number | ScheduleConfig;
  /** Samples per iteration over all processes together. */
  batchSize: number;
  epochs: number;
  seed: number;
  samples: { train: number; validation: number; test: number };
  /** Epochs of recorded sample order in data/order.npy. */
  recordedEpochs: number;
  /** Which weights initial/ holds. */
  weights: 'initial' | 'current';
  /** Where the run's data came from, for the header. */
  source: string;
}

const ACTIVATIONS: Record<string, (alpha: number | undefined) => string | null> = {
  linear: () => null,
  sigmoid: () => 'nn.Sigmoid()',
  tanh: () => 'nn.Tanh()',
  relu: () => 'nn.ReLU()',
  leakyRelu: (a) => `nn.LeakyReLU(negative_slope=${py(a ?? 0.01)})`,
  elu: (a) => `nn.ELU(alpha=${py(a ?? 1)})`,
  gelu: () => 'nn.GELU()  # exact: x * Phi(x) with the error function',
  geluTanh: () => "nn.GELU(approximate='tanh')",
  swish: () => 'nn.SiLU()  # swish: x * sigmoid(x)',
  silu: () => 'nn.SiLU()',
  softplus: () => 'nn.Softplus()',
  softmax: () => 'nn.Softmax(dim=-1)',
  logSoftmax: () => 'nn.LogSoftmax(dim=-1)',
};

/** A number as Python source, exact (JavaScript's shortest round-trip form is valid Python). */
function py(x: number): string {
  if (!Number.isFinite(x)) throw new ValueError(`pytorch export: cannot write ${x} as a Python number`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function pyInt(x: number): string {
  return String(Math.trunc(x));
}

/** One entry of the OrderedDict: a trailing comment of the module goes after the comma, where Python allows it. */
function entry(name: string, module: string): string {
  const [code, comment] = module.split('  # ');
  return `        ("${name}", ${code}),${comment === undefined ? '' : `  # ${comment}`}`;
}

/** The network as an nn.Sequential with named modules, and which torch parameter each gradiente weight is. */
function modelCode(spec: PytorchProjectSpec): { lines: string[]; mapping: [string, string, boolean][] } {
  const lines: string[] = [];
  const mapping: [string, string, boolean][] = [];
  let width = spec.inputDim;
  spec.layers.forEach((layer, i) => {
    switch (layer.class) {
      case 'Dense': {
        const { units, activation, activationAlpha, useBias } = layer.config;
        const name = `dense${i}`;
        lines.push(`        ("${name}", nn.Linear(${width}, ${units}${useBias ? '' : ', bias=False'})),`);
        mapping.push([`${i}.kernel`, `${name}.weight`, true]);
        if (useBias) mapping.push([`${i}.bias`, `${name}.bias`, false]);
        const act = ACTIVATIONS[activation]?.(activationAlpha);
        if (act === undefined) throw new ValueError(`pytorch export: activation '${activation}' has no PyTorch module here`);
        if (act !== null) lines.push(entry(`${activation}${i}`, act));
        else if (i === spec.layers.length - 1 && spec.fromLogits) lines.push(`        # no activation: raw scores (logits); the loss applies the ${spec.loss === 'binaryCrossentropy' ? 'sigmoid' : 'softmax'} itself`);
        width = units;
        break;
      }
      case 'Activation': {
        const act = ACTIVATIONS[layer.config.activation]?.(layer.config.alpha);
        if (act === undefined) throw new ValueError(`pytorch export: activation '${layer.config.activation}' has no PyTorch module here`);
        if (act !== null) lines.push(entry(`activation${i}`, act));
        break;
      }
      case 'Dropout':
        lines.push(entry(`dropout${i}`, `nn.Dropout(p=${py(layer.config.rate)})  # draws its own random masks, not gradiente's`));
        break;
      case 'Flatten':
        lines.push(`        ("flatten${i}", nn.Flatten()),`);
        break;
    }
  });
  return { lines, mapping };
}

/** The per-sample loss, written as gradiente computes it (see src/losses/index.ts). */
function lossCode(spec: PytorchProjectSpec): string[] {
  const head = 'def per_sample_loss(output, target):';
  switch (spec.loss) {
    case 'meanSquaredError':
      return [head, '    """Mean squared error: (output - target)^2, averaged over the outputs of each sample."""', '    return ((output - target) ** 2).mean(dim=1)'];
    case 'meanAbsoluteError':
      return [head, '    """Mean absolute error: |output - target|, averaged over the outputs of each sample."""', '    return (output - target).abs().mean(dim=1)'];
    case 'huber':
      return [
        head,
        `    """Huber (delta ${spec.delta ?? 1}): squared near 0, linear beyond delta; averaged over the outputs."""`,
        `    return F.huber_loss(output, target, reduction="none", delta=${py(spec.delta ?? 1)}).mean(dim=1)`,
      ];
    case 'binaryCrossentropy':
      if (spec.fromLogits) {
        return [
          head,
          '    """Binary cross-entropy on raw scores (fromLogits): the stable form, no sigmoid needed."""',
          '    return F.binary_cross_entropy_with_logits(output, target, reduction="none").mean(dim=1)',
        ];
      }
      return [
        head,
        '    """Binary cross-entropy on probabilities, clipped to [1e-7, 1 - 1e-7] before the log (as gradiente and Keras)."""',
        '    p = output.clamp(EPSILON, 1 - EPSILON)',
        '    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean(dim=1)',
      ];
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy': {
      const targets = spec.targetEncoding === 'labels' ? 'F.one_hot(target.long(), output.shape[1]).to(output.dtype)' : 'target';
      if (spec.fromLogits) {
        return [
          head,
          '    """Categorical cross-entropy on raw scores (fromLogits): -sum(y * log_softmax(z)), no label smoothing."""',
          `    return -(${targets} * F.log_softmax(output, dim=1)).sum(dim=1)`,
        ];
      }
      return [
        head,
        '    """Categorical cross-entropy on probabilities: each row renormalized to sum 1, clipped to [1e-7, 1 - 1e-7], then -sum(y * log p)."""',
        '    p = (output / output.sum(dim=1, keepdim=True)).clamp(EPSILON, 1 - EPSILON)',
        `    return -(${targets} * torch.log(p)).sum(dim=1)`,
      ];
    }
  }
}

/** The metric of validation and test, as gradiente reports it. */
function metricCode(spec: PytorchProjectSpec): string[] {
  const metric = spec.metrics[0] ?? (spec.targetEncoding === 'values' ? 'mae' : 'accuracy');
  if (metric === 'mse') return ['METRIC = "mse"', 'def metric_sum(output, target):', '    return ((output - target) ** 2).mean(dim=1).sum().item()'];
  if (metric === 'mae') return ['METRIC = "mae"', 'def metric_sum(output, target):', '    return (output - target).abs().mean(dim=1).sum().item()'];
  if (spec.targetEncoding === 'binary' || spec.parameters.at(-1)?.shape.at(-1) === 1) {
    const threshold = spec.fromLogits ? '0.0  # a raw score above 0 is a probability above 0.5' : '0.5';
    return ['METRIC = "accuracy"', 'def metric_sum(output, target):', `    return ((output > ${threshold.split('  ')[0]}) == (target > 0.5)).float().sum().item()${threshold.includes('#') ? `  # ${threshold.split('# ')[1]}` : ''}`];
  }
  const truth = spec.targetEncoding === 'labels' ? 'target.long()' : 'target.argmax(dim=1)';
  return ['METRIC = "accuracy"', 'def metric_sum(output, target):', `    return (output.argmax(dim=1) == ${truth}).float().sum().item()`];
}

/** The optimizer as PyTorch's own class, with gradiente's hyper-parameters (the update rules are the same: src/optim/rules.ts). */
function optimizerCode(spec: PytorchProjectSpec): string {
  const h = spec.optimizer.hyper;
  const num = (k: string, fallback: number): string => py(typeof h[k] === 'number' ? (h[k] as number) : fallback);
  const lr = 'LEARNING_RATE';
  switch (spec.optimizer.type) {
    case 'sgd':
      return `torch.optim.SGD(model.parameters(), lr=${lr}, momentum=${num('momentum', 0)}, nesterov=${h.nesterov === true ? 'True' : 'False'}, weight_decay=${num('weightDecay', 0)})`;
    case 'adam':
      return `torch.optim.Adam(model.parameters(), lr=${lr}, betas=(${num('beta1', 0.9)}, ${num('beta2', 0.999)}), eps=${num('epsilon', 1e-8)}, weight_decay=${num('weightDecay', 0)})`;
    case 'adamw':
      return `torch.optim.AdamW(model.parameters(), lr=${lr}, betas=(${num('beta1', 0.9)}, ${num('beta2', 0.999)}), eps=${num('epsilon', 1e-8)}, weight_decay=${num('weightDecay', 0.01)})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(model.parameters(), lr=${lr}, alpha=${num('rho', 0.9)}, eps=${num('epsilon', 1e-8)}, momentum=${num('momentum', 0)}, weight_decay=${num('weightDecay', 0)})`;
    default:
      throw new ValueError(`pytorch export: optimizer '${spec.optimizer.type}' has no PyTorch counterpart here`);
  }
}

/** gradiente's schedule (src/optim/schedules.ts) as a Python expression of the iteration t. */
function scheduleExpression(config: ScheduleConfig, t: string): string {
  switch (config.type) {
    case 'constant':
      return py(config.learningRate);
    case 'step':
      return `${py(config.learningRate)} * ${py(config.gamma)} ** (${t} // ${pyInt(config.stepSize)})`;
    case 'exponential':
      return `${py(config.learningRate)} * ${py(config.decayRate)} ** (${t} / ${py(config.decaySteps)})`;
    case 'cosine':
      return `${py(config.learningRate)} * ((1 - ${py(config.alpha)}) * 0.5 * (1 + math.cos(math.pi * min(${t}, ${pyInt(config.decaySteps)}) / ${pyInt(config.decaySteps)})) + ${py(config.alpha)})`;
    case 'warmup': {
      const after = (u: string): string => scheduleExpression(config.after, u);
      return `(${after('0')}) * (${t} + 1) / ${pyInt(config.warmupSteps)} if ${t} < ${pyInt(config.warmupSteps)} else ${after(`(${t} - ${pyInt(config.warmupSteps)})`)}`;
    }
  }
}

function scheduleCode(spec: PytorchProjectSpec): string[] {
  const lr = spec.learningRate;
  if (typeof lr === 'number') {
    return [`LEARNING_RATE = ${py(lr)}`, '', 'def learning_rate_at(t):', '    """Constant: the same step size at every iteration."""', '    return LEARNING_RATE'];
  }
  const describe: Record<ScheduleConfig['type'], string> = {
    constant: 'constant',
    step: 'step decay: multiplied by gamma every stepSize iterations',
    exponential: 'exponential decay: multiplied by decayRate every decaySteps iterations, smoothly',
    cosine: 'cosine decay: half a cosine from the rate down to alpha times it over decaySteps iterations',
    warmup: 'linear warm-up over the first iterations, then the wrapped schedule',
  };
  const base = lr.type === 'warmup' ? null : lr.learningRate;
  return [
    `LEARNING_RATE = ${py(base ?? firstRate(lr))}  # the base rate; the schedule below scales it`,
    `SCHEDULE = ${JSON.stringify(lr)}  # gradiente's schedule, as recorded`,
    '',
    'def learning_rate_at(t):',
    `    """The learning rate of iteration t (from 0): ${describe[lr.type]}."""`,
    `    return ${scheduleExpression(lr, 't')}`,
  ];
}

function firstRate(config: ScheduleConfig): number {
  return config.type === 'warmup' ? firstRate(config.after) : config.learningRate;
}

/** The text of train.py for `spec`. */
export function pytorchTrainScript(spec: PytorchProjectSpec): string {
  const model = modelCode(spec);
  const optimizer = optimizerCode(spec);
  const header = [
    '#!/usr/bin/env python3',
    '"""',
    'Training exported by gradiente: the same network, data, loss, optimizer and learning-rate',
    'schedule as the gradiente run, in plain PyTorch (needs only torch and numpy).',
    '',
    `  data:       ${spec.source}`,
    `              ${spec.samples.train} train, ${spec.samples.validation} validation, ${spec.samples.test} test samples (data/*.npy, prepared as in the run)`,
    `  weights:    the run's ${spec.weights} weights (initial/*.npy)`,
    `  loss:       ${spec.loss}${spec.fromLogits ? ' (from logits)' : ''}`,
    `  optimizer:  ${spec.optimizer.type}, batch size ${spec.batchSize}, ${spec.epochs} epochs, seed ${spec.seed}`,
    '',
    'Run it:',
    '  python3 train.py                          # one process',
    '  python3 train.py --processes 2            # 2 local processes (DistributedDataParallel, gloo)',
    '  torchrun --nproc_per_node=2 train.py      # the same, started by torchrun (several machines: --nnodes)',
    '',
    'Distributed: every iteration takes the next BATCH_SIZE samples of the recorded order and',
    'splits them between the processes; each computes the gradient of its share, DDP averages',
    'them (all-reduce), and every process takes the same step. The batch of an iteration is',
    'BATCH_SIZE samples in total whatever the number of processes, so the learning rate is the',
    "run's: nothing is rescaled. (With N processes each computes on about BATCH_SIZE / N samples.)",
    'With --order torch the batches come from DistributedSampler instead (each process shuffles',
    "its own part of every epoch): the usual DDP recipe, no longer the run's trajectory.",
    '',
    'After every epoch checkpoints/last.pt is saved; --resume continues from it. --epochs changes',
    'how many epochs to train; python3 train.py --help lists every option.',
    '',
    'At the end the trained weights are written to trained/ in gradiente\'s model format:',
    '  gradiente import --from . --out runs/from-pytorch',
    '"""',
  ];
  const body = [
    'import argparse',
    'import json',
    'import math',
    'import os',
    'import shutil',
    'import socket',
    'import sys',
    'import time',
    'from collections import OrderedDict',
    '',
    'import numpy as np',
    'import torch',
    'import torch.distributed as dist',
    'import torch.multiprocessing as mp',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from torch.nn.parallel import DistributedDataParallel',
    'from torch.utils.data.distributed import DistributedSampler',
    '',
    'HERE = os.path.dirname(os.path.abspath(__file__))',
    `BATCH_SIZE = ${pyInt(spec.batchSize)}  # samples per iteration, all processes together`,
    `EPOCHS = ${pyInt(spec.epochs)}`,
    `SEED = ${pyInt(spec.seed)}`,
    `RECORDED_EPOCHS = ${pyInt(spec.recordedEpochs)}  # epochs of gradiente's sample order in data/order.npy`,
    'EPSILON = 1e-7  # probabilities are clipped to [EPSILON, 1 - EPSILON] before a log',
    ...scheduleCode(spec),
    '',
    '',
    'def build_model():',
    '    """The network, layer by layer as in gradiente (Dense = nn.Linear, then its activation)."""',
    '    return nn.Sequential(OrderedDict([',
    ...model.lines,
    '    ]))',
    '',
    '',
    "# gradiente's weight names, the parameter of build_model() each one is, and whether it is stored",
    '# transposed: gradiente keeps a Dense kernel as [inputs, units], nn.Linear its weight as [units, inputs].',
    'WEIGHTS = [',
    ...model.mapping.map(([g, t, transposed]) => `    ("${g}", "${t}", ${transposed ? 'True' : 'False'}),`),
    ']',
    '',
    '',
    ...lossCode(spec),
    '',
    '',
    ...metricCode(spec),
    '',
    '',
    'def make_optimizer(model):',
    '    """PyTorch\'s own optimizer with the run\'s hyper-parameters (the same update rule as gradiente\'s)."""',
    `    return ${optimizer}`,
    '',
    '',
    STATIC_PART,
  ];
  return `${[...header, ...body].join('\n')}\n`;
}

/**
 * The part of train.py that is the same for every export: data, the distributed set-up, the
 * loop (the four steps of training), checkpoints and writing the weights back.
 */
const STATIC_PART = String.raw`def load_data():
    """The data as the run prepared it: split, scaled, targets encoded (memory-mapped: processes share it)."""
    load = lambda name: np.load(os.path.join(HERE, "data", name + ".npy"), mmap_mode="r")
    data = {name: load(name) for name in ("x_train", "y_train", "x_validation", "y_validation", "x_test", "y_test")}
    data["order"] = load("order")
    # Inputs with at most 256 different values (pixels) are stored as one byte each, an index
    # into x_values.npy: looking them up gives back the run's float32 values exactly.
    values_file = os.path.join(HERE, "data", "x_values.npy")
    data["x_values"] = np.load(values_file) if os.path.exists(values_file) else None
    return data


def inputs(data, name, rows):
    """Rows of an input set as float32 (rows: indices or a slice)."""
    x = data[name][rows]
    return data["x_values"][x] if data["x_values"] is not None else np.array(x)


def load_initial_weights(model):
    """Copy the exported gradiente weights (initial/NAME.npy) into the PyTorch model."""
    params = dict(model.named_parameters())
    with torch.no_grad():
        for gradiente_name, torch_name, transposed in WEIGHTS:
            value = torch.from_numpy(np.load(os.path.join(HERE, "initial", gradiente_name + ".npy")))
            if transposed:
                value = value.t()
            if tuple(value.shape) != tuple(params[torch_name].shape):
                raise SystemExit(f"initial/{gradiente_name}.npy has shape {tuple(value.shape)}; {torch_name} needs {tuple(params[torch_name].shape)}")
            params[torch_name].copy_(value)


def sample_order(data, epoch):
    """The order of the training samples in this epoch: gradiente's, as recorded, while it lasts."""
    if epoch < RECORDED_EPOCHS:
        return np.asarray(data["order"][epoch], dtype=np.int64)
    generator = torch.Generator().manual_seed(SEED * 1000 + epoch)
    return torch.randperm(len(data["x_train"]), generator=generator).numpy()


def batches(data, epoch, rank, world_size, order):
    """
    This process's share of every batch of the epoch, with the size of the whole batch.
    order "gradiente": the run's batches, each split between the processes (the run's trajectory).
    order "torch": DistributedSampler gives each process its own shuffled part of the epoch
    (seeded with SEED and the epoch; padded by repeating samples when the processes do not
    divide it), cut into batches of BATCH_SIZE / processes, rounded up.
    """
    if order == "gradiente":
        epoch_order = sample_order(data, epoch)
        for start in range(0, len(epoch_order), BATCH_SIZE):
            batch = epoch_order[start:start + BATCH_SIZE]
            yield np.array_split(batch, world_size)[rank], len(batch)
    else:
        sampler = DistributedSampler(range(len(data["x_train"])), num_replicas=world_size, rank=rank, shuffle=True, seed=SEED)
        sampler.set_epoch(epoch)
        mine = np.fromiter(iter(sampler), dtype=np.int64)
        per_process = math.ceil(BATCH_SIZE / world_size)
        for start in range(0, len(mine), per_process):
            share = mine[start:start + per_process]
            yield np.sort(share), len(share) * world_size  # every process has as many samples


def evaluate(model, data, part):
    """Mean loss and metric over a whole set ("validation" or "test"), without gradients."""
    x, y = data["x_" + part], data["y_" + part]
    if len(x) == 0:
        return None
    device = next(model.parameters()).device
    model.eval()
    loss_sum, metric_total = 0.0, 0.0
    with torch.no_grad():
        for start in range(0, len(x), 1024):
            xb = torch.from_numpy(inputs(data, "x_" + part, slice(start, start + 1024))).to(device)
            yb = torch.from_numpy(np.array(y[start:start + 1024])).to(device)
            output = model(xb)
            loss_sum += per_sample_loss(output, yb).sum().item()
            metric_total += metric_sum(output, yb)
    model.train()
    return {"loss": loss_sum / len(x), METRIC: metric_total / len(x)}


def atomic_save(obj, path):
    """torch.save through a temporary file and a rename: an interrupted save never leaves half a file."""
    temporary = path + ".tmp"
    torch.save(obj, temporary)
    os.replace(temporary, path)


def write_gradiente_model(model, log):
    """trained/: the weights in gradiente's model format (model.json + weights.bin, float32 little-endian)."""
    with open(os.path.join(HERE, "gradiente-model.json")) as f:
        model_json = json.load(f)
    params = dict(model.named_parameters())
    chunks = []
    for spec, (gradiente_name, torch_name, transposed) in zip(model_json["weightsManifest"]["weights"], WEIGHTS):
        value = params[torch_name].detach().cpu()
        value = value.t() if transposed else value
        assert spec["name"] == gradiente_name and list(value.shape) == spec["shape"], (spec, gradiente_name, tuple(value.shape))
        chunks.append(value.contiguous().numpy().astype("<f4").tobytes())
    staging = os.path.join(HERE, "trained.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    with open(os.path.join(staging, "weights.bin"), "wb") as f:
        f.write(b"".join(chunks))
    with open(os.path.join(staging, "model.json"), "w") as f:
        json.dump(model_json, f, indent=1)
    with open(os.path.join(staging, "log.json"), "w") as f:
        json.dump(log, f, indent=1)
    # The previous trained/ is moved aside, not deleted, until the new one is in place.
    final, previous = os.path.join(HERE, "trained"), os.path.join(HERE, "trained.old")
    shutil.rmtree(previous, ignore_errors=True)
    if os.path.exists(final):
        os.replace(final, previous)
    os.replace(staging, final)
    shutil.rmtree(previous, ignore_errors=True)


def train(rank, world_size, args):
    """One process of the training (rank 0 of 1 without distribution)."""
    distributed = world_size > 1
    if distributed:
        if args.rendezvous is None:
            dist.init_process_group(args.backend, init_method="env://")  # started by torchrun
        else:
            dist.init_process_group(args.backend, init_method=args.rendezvous, rank=rank, world_size=world_size)
    main_process = rank == 0
    say = print if main_process else (lambda *a, **k: None)
    torch.manual_seed(SEED)
    # The cores of this machine shared between the processes on it (torchrun says how many there are).
    local_processes = int(os.environ.get("LOCAL_WORLD_SIZE", world_size))
    torch.set_num_threads(args.threads or max(1, (os.cpu_count() or 1) // local_processes))
    device = torch.device("cpu")
    if args.backend == "nccl":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", rank)))
        torch.cuda.set_device(device)

    data = load_data()
    model = build_model()
    load_initial_weights(model)
    model.to(device)
    # DDP averages the gradients of all processes after every backward pass (an all-reduce).
    trained = DistributedDataParallel(model) if distributed else model
    optimizer = make_optimizer(model)
    # LambdaLR multiplies LEARNING_RATE by a factor per iteration: the factor makes it learning_rate_at(t).
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: learning_rate_at(t) / LEARNING_RATE)

    epochs = args.epochs or EPOCHS
    start_epoch, iteration, log = 0, 0, {"iterationLoss": [], "iterationLearningRate": [], "epochs": []}
    checkpoint_path = os.path.join(HERE, "checkpoints", "last.pt")
    if args.resume and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start_epoch, iteration, log = state["epoch"], state["iteration"], state["log"]
        say(f"resuming after epoch {start_epoch} (iteration {iteration})")

    n = len(data["x_train"])
    say(f"data:      {n} train, {len(data['x_validation'])} validation, {len(data['x_test'])} test samples")
    say(f"processes: {world_size}" + (f" ({args.backend}, DistributedDataParallel)" if distributed else ""))
    if args.order == "gradiente":
        say(f"order:     gradiente's batches, {math.ceil(n / BATCH_SIZE)} iterations per epoch, {epochs} epochs")
        say(f"batch:     {BATCH_SIZE} samples per iteration in total" + (f", about {BATCH_SIZE / world_size:g} per process" if distributed else ""))
        say(f"learning rate: {LEARNING_RATE:g} as in the run, not rescaled (the batch of an iteration is the same {BATCH_SIZE} samples)")
        if epochs > RECORDED_EPOCHS:
            say(f"note: gradiente's sample order is recorded for {RECORDED_EPOCHS} epochs; later epochs use torch.randperm seeded with SEED * 1000 + epoch")
    else:
        per_process = math.ceil(BATCH_SIZE / world_size)
        say(f"order:     DistributedSampler (seed {SEED}): each process shuffles its own part of every epoch; {math.ceil(math.ceil(n / world_size) / per_process)} iterations per epoch, {epochs} epochs")
        say(f"batch:     {per_process} samples per process, {per_process * world_size} per iteration in total (the run's: {BATCH_SIZE})")
        say(f"learning rate: {LEARNING_RATE:g} as in the run, not rescaled")

    for epoch in range(start_epoch, epochs):
        started = time.perf_counter()
        epoch_loss, seen = 0.0, 0
        # mine: this process's share of the batch; the shares of all processes make up the whole batch.
        for mine, batch_size in batches(data, epoch, rank, world_size, args.order):
            x = torch.from_numpy(inputs(data, "x_train", mine)).to(device)
            y = torch.from_numpy(data["y_train"][mine]).to(device)
            learning_rate = optimizer.param_groups[0]["lr"]

            # 1. Predict: the batch forward through the network with the current weights.
            output = trained(x)
            # 2-3. Compare with the truth: the loss of each sample, summed. Dividing by the whole
            # batch size (times the processes, since DDP averages over them) makes the averaged
            # gradient the mean over the whole batch, exactly as one process would compute it.
            losses = per_sample_loss(output, y)
            loss = losses.sum() * (world_size / batch_size)
            # 4. Adjust: backpropagation (DDP all-reduces the gradients here), then the step.
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            iteration += 1

            batch_loss = losses.detach().sum()
            if distributed:
                dist.all_reduce(batch_loss)  # for the log only: the loss of the whole batch
            batch_loss = batch_loss.item() / batch_size
            if not math.isfinite(batch_loss):
                raise SystemExit(f"training stopped: the loss became {batch_loss} at epoch {epoch + 1}, iteration {iteration} (learning rate {learning_rate}); lower the learning rate")
            log["iterationLoss"].append(batch_loss)
            log["iterationLearningRate"].append(learning_rate)
            epoch_loss += batch_loss * batch_size
            seen += batch_size
        seconds = time.perf_counter() - started
        entry = {"epoch": epoch + 1, "loss": epoch_loss / seen, "seconds": seconds, "samplesPerSecond": seen / seconds}
        if main_process:
            validation = evaluate(model, data, "validation")
            if validation is not None:
                entry.update({"val_" + k: v for k, v in validation.items()})
            log["epochs"].append(entry)
            shown = " ".join(f"{k} {v:.4f}" for k, v in entry.items() if k not in ("epoch", "seconds", "samplesPerSecond"))
            say(f"epoch {epoch + 1}/{epochs}: {shown} ({seen / seconds:.0f} samples/s)")
            os.makedirs(os.path.dirname(checkpoint_path), exist_ok=True)
            atomic_save({"epoch": epoch + 1, "iteration": iteration, "log": log, "model": model.state_dict(),
                         "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, checkpoint_path)

    if main_process:
        log["test"] = evaluate(model, data, "test")
        log["processes"] = world_size
        if log["test"] is not None:
            say("test: " + " ".join(f"{k} {v:.4f}" for k, v in log["test"].items()))
        write_gradiente_model(model, log)
        say("trained weights: " + os.path.join(HERE, "trained") + " (gradiente import --from " + HERE + ")")
    if distributed:
        dist.barrier()  # every process is done and trained/ is written
        # NOTE: in torch 1.13, freeing the DDP wrapper at exit can deadlock: its process group's
        # destructor joins a gloo thread that waits for the interpreter lock the exiting thread
        # holds. Nothing is left to save, so the process leaves without running destructors.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description="Train the exported gradiente model with PyTorch.")
    parser.add_argument("--processes", type=int, default=1, help="local processes to start (DistributedDataParallel); default 1")
    parser.add_argument("--epochs", type=int, default=None, help=f"epochs to train (default {EPOCHS}, as the run)")
    parser.add_argument("--backend", choices=["gloo", "nccl"], default="nccl" if torch.cuda.is_available() else "gloo", help="gloo on CPU, nccl on CUDA GPUs")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads per process (default: the cores shared out)")
    parser.add_argument("--resume", action="store_true", help="continue from checkpoints/last.pt")
    parser.add_argument("--order", choices=["gradiente", "torch"], default="gradiente",
                        help="gradiente: the run's batches, split between the processes (default); torch: DistributedSampler, each process its own shuffled part")
    args = parser.parse_args()
    if args.processes < 1 or (args.epochs is not None and args.epochs < 1):
        parser.error("--processes and --epochs must be at least 1")
    args.rendezvous = None
    if "WORLD_SIZE" in os.environ and "RANK" in os.environ:
        # Started by torchrun: it says how many processes there are and which one this is.
        if args.processes != 1:
            parser.error("under torchrun the processes are torchrun's (--nproc_per_node); leave out --processes")
        train(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
    elif args.processes > 1:
        # torch.multiprocessing.spawn with a rendezvous on this machine, on a free port.
        args.rendezvous = f"tcp://127.0.0.1:{free_port()}"
        mp.spawn(train, args=(args.processes, args), nprocs=args.processes, join=True)
    else:
        train(0, 1, args)


if __name__ == "__main__":
    main()`;

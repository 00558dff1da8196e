/**
 * A 2 → 3 → 3 → 1 network: hovering or focusing a neuron shows the numbers of a real forward
 * and backward pass through the engine's Dense layers (z from preActivation, gradients from
 * loss.backward()). With a batch of one sample, ∂L/∂z of a neuron equals its bias gradient.
 */
import {
  activationDerivatives,
  binaryCrossentropy,
  Dense,
  getActivation,
  manualSeed,
  Sequential,
  SGD,
  tensor,
  type ActivationName,
  type Tensor,
} from '../../../src/index.js';
import { classColor, okabeIto } from '../common/colors.js';
import { button, select, slider } from '../common/controls.js';
import { el, fmt, svg } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { deadUnits } from './dead-units.js';
import { choiceParam, numberParam, readParams, updateParams } from '../common/url-state.js';

type Hidden = 'sigmoid' | 'tanh' | 'relu' | 'elu' | 'gelu' | 'swish';
const hiddenChoices: Hidden[] = ['sigmoid', 'tanh', 'relu', 'elu', 'gelu', 'swish'];
const hiddenNames: Record<Hidden, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'ReLU', elu: 'ELU', gelu: 'GELU', swish: 'Swish' };
const SIZES = [2, 3, 3, 1];

interface LayerPass {
  /** Inputs to the layer (the previous activations), z and a = f(z), f′(z). */
  x: Float32Array;
  z: Float32Array;
  a: Float32Array;
  fPrime: Float64Array;
  /** ∂L/∂z per unit and ∂L/∂W [inputs × units] from the backward pass. */
  dz: Float32Array;
  dW: Float32Array;
  kernel: Float32Array;
}

function makeModel(activation: Hidden): Sequential {
  const model = new Sequential([new Dense(3, { activation, inputDim: 2 }), new Dense(3, { activation, inputDim: 3 }), new Dense(1, { activation: 'sigmoid', inputDim: 3 })]);
  return model;
}

export function mountNetwork(host: HTMLElement): void {
  // The settings (not the steps taken) come from the URL when a link carries them.
  const params = readParams();
  const activation = select<Hidden>({
    id: 'net-activation',
    label: 'act.network.activation',
    choices: hiddenChoices.map((h) => ({ value: h, label: 'act.network.activation' as const })),
    value: choiceParam(params, 'net_f', hiddenChoices, 'sigmoid'),
  });
  const x1 = slider({ id: 'net-x1', label: 'act.network.x1', min: -2, max: 2, step: 0.05, value: numberParam(params, 'net_x1', 1, -2, 2) });
  const x2 = slider({ id: 'net-x2', label: 'act.network.x2', min: -2, max: 2, step: 0.05, value: numberParam(params, 'net_x2', -0.5, -2, 2) });
  const target = select<'1' | '0'>({
    id: 'net-target',
    label: 'act.network.target',
    choices: [
      { value: '1', label: 'loss.bce.class1' },
      { value: '0', label: 'loss.bce.class0' },
    ],
    value: choiceParam(params, 'net_y', ['1', '0'] as const, '1'),
  });
  const stepButton = button({ id: 'net-step', label: 'act.network.step', kind: 'primary' });
  const reseedButton = button({ id: 'net-reseed', label: 'act.network.reseed' });
  const diagram = svg('svg', { viewBox: '0 0 560 300', role: 'group', 'data-i18n-aria-label': 'act.network.svg', class: 'network' });
  const lossText = el('p', { class: 'readout', id: 'net-loss' });
  const panel = el('div', { class: 'card', id: 'net-panel', 'aria-live': 'polite' });
  const legend = el(
    'p',
    { class: 'legend' },
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.blue}` }), el('span', { 'data-i18n': 'act.network.positive' })),
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.orange}` }), el('span', { 'data-i18n': 'act.network.negative' })),
  );
  host.append(
    el('div', { class: 'controls' }, activation.root, x1.root, x2.root, target.root),
    el('div', { class: 'buttons' }, stepButton, reseedButton),
    el('div', { class: 'grid' }, el('div', { class: 'card' }, diagram, legend, lossText), panel),
  );

  // "Other random weights" counts seeds up from 7; the link carries which one.
  let seed = Math.round(numberParam(params, 'net_seed', 7, 0, 1e6));
  manualSeed(seed);
  let model = makeModel(activation.value);
  let passes: LayerPass[] = [];
  let lossValue = 0;
  let selected: [number, number] | null = [1, 0];
  /** dead[l][u]: hidden unit u of layer l + 1 is a dead ReLU (z ≤ 0 for every input on the sliders). */
  let dead: boolean[][] = [];

  function forwardBackward(): void {
    const dense = model.layers as Dense[];
    let a: Tensor = tensor([x1.value, x2.value], [1, 2]);
    const zs: Tensor[] = [];
    const inputs: Tensor[] = [];
    const outs: Tensor[] = [];
    for (const layer of dense) {
      inputs.push(a);
      const z = layer.preActivation(a);
      zs.push(z);
      a = getActivation(layer.activation)(z);
      outs.push(a);
    }
    const loss = binaryCrossentropy(tensor([Number(target.value)], [1, 1]), a);
    model.zeroGrad();
    loss.backward();
    lossValue = loss.item();
    passes = dense.map((layer, l) => ({
      x: Float32Array.from(inputs[l]!.data),
      z: Float32Array.from(zs[l]!.data),
      a: Float32Array.from(outs[l]!.data),
      fPrime: activationDerivatives(layer.activation as Exclude<ActivationName, 'softmax' | 'logSoftmax' | 'silu'>, zs[l]!.data),
      dz: Float32Array.from(layer.bias!.grad!.data),
      dW: Float32Array.from(layer.kernel!.grad!.data),
      kernel: Float32Array.from(layer.kernel!.data),
    }));
  }

  function position(layer: number, unit: number): [number, number] {
    const x = 60 + layer * 146;
    const n = SIZES[layer]!;
    return [x, 150 + (unit - (n - 1) / 2) * 90];
  }

  function drawDiagram(): void {
    diagram.replaceChildren();
    let maxW = 1e-6;
    for (const p of passes) for (const w of p.kernel) maxW = Math.max(maxW, Math.abs(w));
    passes.forEach((p, l) => {
      const inputs = SIZES[l]!;
      const units = SIZES[l + 1]!;
      for (let i = 0; i < inputs; i++) {
        for (let j = 0; j < units; j++) {
          const w = p.kernel[i * units + j]!;
          const [xa, ya] = position(l, i);
          const [xb, yb] = position(l + 1, j);
          diagram.append(
            svg('line', {
              x1: xa,
              y1: ya,
              x2: xb,
              y2: yb,
              stroke: w >= 0 ? okabeIto.blue : okabeIto.orange,
              'stroke-width': 1 + (5 * Math.abs(w)) / maxW,
              'stroke-dasharray': w >= 0 ? undefined : '6 4',
              opacity: 0.8,
            }),
          );
        }
      }
    });
    for (let l = 0; l < SIZES.length; l++) {
      for (let u = 0; u < SIZES[l]!; u++) {
        const [cx, cy] = position(l, u);
        const value = l === 0 ? passes[0]!.x[u]! : passes[l - 1]!.a[u]!;
        const isSelected = selected !== null && selected[0] === l && selected[1] === u;
        const hidden = l > 0 && l < SIZES.length - 1;
        const isDead = hidden && dead[l - 1]?.[u] === true;
        // A ReLU neuron with z ≤ 0 for this input passes no gradient back (f′ = 0) this time.
        const inactive = hidden && (model.layers[l - 1] as Dense).activation === 'relu' && passes[l - 1]!.z[u]! <= 0;
        const label = l === 0 ? t('act.network.input', { k: u + 1, value: fmt(value, 3) }) : t('act.network.neuron', { layer: l, unit: u + 1 });
        const node = svg(
          'g',
          {
            tabindex: 0,
            role: 'button',
            'aria-label': isDead ? `${label} (${t('act.network.deadShort')})` : label,
            'aria-pressed': String(isSelected),
            class: 'neuron',
            'data-layer': l,
            'data-unit': u,
            ...(isDead ? { 'data-dead': 'true' } : {}),
            ...(inactive ? { 'data-inactive': 'true' } : {}),
          },
          svg('circle', {
            cx,
            cy,
            r: 24,
            fill: l === 0 ? '#f0f1f4' : isDead ? '#d9d9d9' : inactive ? '#f2f2f2' : '#fff',
            stroke: isSelected ? classColor(1) : '#333',
            'stroke-width': isSelected ? 4 : 2,
            'stroke-dasharray': isDead ? '4 3' : undefined,
          }),
        );
        if (isDead) {
          const tag = svg('text', { x: cx, y: cy + 40, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold' });
          tag.textContent = t('act.network.deadShort');
          node.append(tag);
        }
        const text = svg('text', { x: cx, y: cy + 5, 'text-anchor': 'middle', 'font-size': 14 });
        text.textContent = fmt(value, 2);
        node.append(text);
        const choose = (): void => {
          if (selected?.[0] === l && selected[1] === u) return;
          selected = [l, u];
          render();
          (diagram.querySelector(`[data-layer="${l}"][data-unit="${u}"]`) as SVGGElement | null)?.focus();
        };
        node.addEventListener('mouseenter', choose);
        node.addEventListener('focus', choose);
        node.addEventListener('click', choose);
        diagram.append(node);
      }
    }
  }

  function drawPanel(): void {
    if (selected === null || selected[0] === 0) {
      panel.replaceChildren(el('p', {}, selected === null ? t('act.network.hint') : t('act.network.input', { k: selected[1] + 1, value: fmt(passes[0]!.x[selected[1]]!, 3) })));
      return;
    }
    const [layer, unit] = selected;
    const p = passes[layer - 1]!;
    const units = SIZES[layer]!;
    const dW = Array.from(p.x, (_, i) => p.dW[i * units + unit]!);
    const name = (model.layers[layer - 1] as Dense).activation;
    const row = (label: string, value: string, id: string): HTMLElement[] => [el('dt', {}, label), el('dd', { id }, value)];
    const hidden = layer < SIZES.length - 1;
    const reluNote =
      hidden && dead[layer - 1]?.[unit] === true
        ? t('act.network.dead')
        : hidden && name === 'relu' && p.z[unit]! <= 0
          ? t('act.network.inactive')
          : '';
    panel.replaceChildren(
      el('h3', {}, `${t('act.network.neuron', { layer, unit: unit + 1 })} · f = ${name}`),
      el(
        'dl',
        { class: 'defs' },
        ...row(t('act.network.z'), fmt(p.z[unit]!, 4), 'net-z'),
        ...row(t('act.network.a'), fmt(p.a[unit]!, 4), 'net-a'),
        ...row(t('act.network.fprime'), fmt(p.fPrime[unit]!, 4), 'net-fprime'),
        ...row(t('act.network.dzdw'), `(${Array.from(p.x, (v) => fmt(v, 3)).join(', ')})`, 'net-dzdw'),
        ...row(t('act.network.dldz'), fmt(p.dz[unit]!, 4), 'net-dldz'),
        ...row(t('act.network.dldw'), `(${dW.map((v) => fmt(v, 3)).join(', ')})`, 'net-dldw'),
      ),
      ...(reluNote ? [el('p', { class: 'note', id: 'net-relu-note' }, reluNote)] : []),
    );
  }

  function render(): void {
    forwardBackward();
    dead = deadUnits(model);
    drawDiagram();
    drawPanel();
    const deadCount = dead.flat().filter(Boolean).length;
    lossText.textContent = t('act.network.loss', { loss: fmt(lossValue, 4) }) + (deadCount > 0 ? '. ' + t('act.network.deadCount', { count: deadCount }) : '');
    lossText.dataset.dead = String(deadCount);
    updateParams({ net_f: activation.value, net_x1: String(x1.value), net_x2: String(x2.value), net_y: target.value, net_seed: String(seed) });
  }

  function relabel(): void {
    activation.select.querySelectorAll('option').forEach((o) => (o.textContent = hiddenNames[o.value as Hidden]));
  }

  activation.onChange((name) => {
    const previous = model.stateDict();
    model = makeModel(name);
    model.loadStateDict(previous);
    render();
  });
  for (const s of [x1, x2]) s.onChange(render);
  target.onChange(render);
  stepButton.addEventListener('click', () => {
    forwardBackward();
    new SGD(model.parameters(), { learningRate: 0.5 }).step();
    render();
  });
  reseedButton.addEventListener('click', () => {
    seed += 1;
    manualSeed(seed);
    model = makeModel(activation.value);
    render();
  });
  onLanguageChange(() => {
    relabel();
    render();
  });
}

/**
 * The 2 → 3 → 1 network as SVG, drawn for one phase of an iteration: each neuron shows what is
 * known at that phase (z and a going forward, ∂L/∂z going back) and each edge its weight, its
 * gradient, or its value before and after the update.
 */
import { okabeIto } from '../common/colors.js';
import { fmt, svg } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { HIDDEN, INPUTS, phases, type Pass, type Phase, type WeightId } from './pass.js';

const WIDTH = 660;
const HEIGHT = 380;
const X = [80, 330, 560];

function position(layer: number, unit: number): [number, number] {
  const n = [INPUTS, HIDDEN, 1][layer]!;
  return [X[layer]!, HEIGHT / 2 - 10 + (unit - (n - 1) / 2) * 120];
}

export function reached(phase: Phase, at: Phase): boolean {
  return phases.indexOf(phase) >= phases.indexOf(at);
}

function label(x: number, y: number, lines: string[], options: { anchor?: string; weight?: string; color?: string; cls?: string } = {}): SVGGElement {
  const g = svg('g', { class: options.cls ?? 'bp-label' });
  const height = 15 * lines.length + 4;
  const width = Math.max(...lines.map((l) => l.length)) * 6.6 + 8;
  const left = options.anchor === 'start' ? x - 4 : options.anchor === 'end' ? x - width + 4 : x - width / 2;
  g.append(svg('rect', { x: left, y: y - 13, width, height, rx: 3, fill: 'rgba(255,255,255,0.92)', stroke: '#ccc' }));
  lines.forEach((line, k) => {
    const text = svg('text', { x, y: y + k * 15, 'text-anchor': options.anchor ?? 'middle', 'font-size': 12, 'font-weight': options.weight ?? 'normal', fill: options.color ?? '#222' });
    text.textContent = line;
    g.append(text);
  });
  return g;
}

/** What the numbers on the edges are at this phase, for the line under the diagram. */
export function edgeMeaning(phase: Phase): 'bp.edges.weights' | 'bp.edges.gradOutput' | 'bp.edges.gradAll' | 'bp.edges.update' {
  if (phase === 'update') return 'bp.edges.update';
  if (phase === 'backwardHidden') return 'bp.edges.gradAll';
  if (phase === 'backwardOutput') return 'bp.edges.gradOutput';
  return 'bp.edges.weights';
}

export function drawDiagram(root: SVGSVGElement, pass: Pass, phase: Phase, selected: WeightId, onSelect: (id: WeightId) => void): void {
  root.replaceChildren();
  root.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  root.dataset.phase = phase;
  root.dataset.loss = String(pass.loss);
  const { weights, grads, after } = pass;
  const edgeLayer = svg('g');
  const labelLayer = svg('g');
  const edges: { id: WeightId; from: [number, number]; to: [number, number]; w: number; g: number; after: number; at: number; backwardAt: Phase }[] = [];
  for (let i = 0; i < INPUTS; i++) {
    for (let j = 0; j < HIDDEN; j++) {
      const k = i * HIDDEN + j;
      // Labels of the two inputs' edges sit at different distances, so they never overlap.
      edges.push({ id: `w1.${i}.${j}`, from: position(0, i), to: position(1, j), w: weights.w1[k]!, g: grads.w1[k]!, after: after.w1[k]!, at: i === 0 ? 0.28 : 0.52, backwardAt: 'backwardHidden' });
    }
  }
  for (let j = 0; j < HIDDEN; j++) edges.push({ id: `w2.${j}`, from: position(1, j), to: position(2, 0), w: weights.w2[j]!, g: grads.w2[j]!, after: after.w2[j]!, at: 0.45, backwardAt: 'backwardOutput' });
  const maxW = Math.max(1e-6, ...edges.map((e) => Math.abs(e.w)));
  for (const e of edges) {
    const showGrad = reached(phase, e.backwardAt) && phase !== 'update';
    const isSelected = e.id === selected;
    const group = svg('g', {
      class: 'bp-edge',
      'data-weight': e.id,
      'data-w': e.w,
      'data-grad': e.g,
      'data-after': e.after,
      tabindex: -1,
    });
    const line = svg('line', {
      x1: e.from[0],
      y1: e.from[1],
      x2: e.to[0],
      y2: e.to[1],
      stroke: isSelected ? okabeIto.vermillion : e.w >= 0 ? okabeIto.blue : okabeIto.orange,
      'stroke-width': (isSelected ? 2 : 1) + (5 * Math.abs(e.w)) / maxW,
      'stroke-dasharray': e.w >= 0 ? undefined : '6 4',
      opacity: 0.85,
    });
    // A wide transparent line on top makes the thin edge easy to click.
    const hit = svg('line', { x1: e.from[0], y1: e.from[1], x2: e.to[0], y2: e.to[1], stroke: 'transparent', 'stroke-width': 14 });
    hit.addEventListener('click', () => onSelect(e.id));
    group.append(line, hit);
    edgeLayer.append(group);
    const lx = e.from[0] + (e.to[0] - e.from[0]) * e.at;
    const ly = e.from[1] + (e.to[1] - e.from[1]) * e.at;
    // Only the number on the edge (what it is, w or ∂L/∂w, is said once under the diagram and by colour).
    const text = phase === 'update' ? `${fmt(e.w, 3)} → ${fmt(e.after, 3)}` : showGrad ? fmt(e.g, 3) : fmt(e.w, 3);
    const tag = label(lx, ly, [text], { color: showGrad ? okabeIto.vermillion : '#222', weight: isSelected ? 'bold' : 'normal' });
    tag.addEventListener('click', () => onSelect(e.id));
    tag.dataset.weightLabel = e.id;
    labelLayer.append(tag);
  }
  root.append(edgeLayer);

  const neuron = (layer: number, unit: number, inside: string, below: string[], data: Record<string, number>): void => {
    const [cx, cy] = position(layer, unit);
    const g = svg('g', { class: 'bp-neuron', 'data-layer': layer, 'data-unit': unit, ...Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v])) });
    g.append(svg('circle', { cx, cy, r: 30, fill: layer === 0 ? '#f0f1f4' : '#fff', stroke: '#333', 'stroke-width': 2 }));
    const text = svg('text', { x: cx, y: cy + 5, 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' });
    text.textContent = inside;
    g.append(text);
    root.append(g);
    if (below.length > 0) labelLayer.append(label(cx, cy + 48, below, { cls: 'bp-values' }));
  };
  for (let i = 0; i < INPUTS; i++) neuron(0, i, fmt(pass.sample.x[i]!, 3), [`x${'₁₂'[i]}`], { value: pass.sample.x[i]! });
  for (let j = 0; j < HIDDEN; j++) {
    const below: string[] = [];
    if (reached(phase, 'forwardHidden')) below.push(`z = ${fmt(pass.zHidden[j]!, 4)}`);
    if (reached(phase, 'backwardHidden')) below.push(`∂L/∂z = ${fmt(pass.dzHidden[j]!, 4)}`);
    neuron(1, j, reached(phase, 'forwardHidden') ? fmt(pass.aHidden[j]!, 3) : `h${'₁₂₃'[j]}`, below, { z: pass.zHidden[j]!, a: pass.aHidden[j]!, dz: pass.dzHidden[j]! });
  }
  const outBelow: string[] = [];
  if (reached(phase, 'forwardOutput')) outBelow.push(`z = ${fmt(pass.zOut, 4)}`);
  if (reached(phase, 'backwardOutput')) outBelow.push(`∂L/∂z = ${fmt(pass.dzOut, 4)}`);
  neuron(2, 0, reached(phase, 'forwardOutput') ? fmt(pass.yHat, 3) : 'ŷ', outBelow, { z: pass.zOut, a: pass.yHat, dz: pass.dzOut });
  if (reached(phase, 'loss')) {
    const cy = position(2, 0)[1];
    const lines = [`y = ${fmt(pass.sample.y, 3)}`, `L = (ŷ − y)² = ${fmt(pass.loss, 4)}`];
    if (phase === 'update') lines.push(t('bp.diagram.lossAfter', { loss: fmt(pass.lossAfter, 4) }));
    labelLayer.append(label(WIDTH - 8, cy - 95, lines, { anchor: 'end', weight: 'bold', cls: 'bp-loss' }));
  }
  root.append(labelLayer);
}

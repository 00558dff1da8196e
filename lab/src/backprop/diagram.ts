/**
 * The 2 → 3 → 1 network as SVG, drawn for one phase of an iteration: each neuron shows what is
 * known at that phase (z and a going forward, ∂L/∂z going back) and each edge its weight, its
 * gradient, or its value before and after the update.
 */
import { okabeIto } from '../common/colors.js';
import { fmt, svg } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { HIDDEN, INPUTS, phases, type Pass, type Phase, type WeightId } from './pass.js';

/**
 * Wide (left to right) on a screen, tall (top to bottom) on a phone: drawn 660 units wide on a
 * 390 px phone the 12 px numbers would shrink to 7 px; the tall layout is 380 units wide, so they
 * keep nearly their size there.
 */
export type Orientation = 'wide' | 'tall';

interface Layout {
  width: number;
  height: number;
  position(layer: number, unit: number): [number, number];
  /** Where the loss box goes, given the output neuron's centre. */
  loss(cx: number, cy: number): { x: number; y: number; anchor: 'end' | 'middle' };
}

const layouts: Record<Orientation, Layout> = {
  wide: {
    width: 660,
    height: 380,
    position(layer, unit) {
      const n = [INPUTS, HIDDEN, 1][layer]!;
      return [[80, 330, 560][layer]!, 380 / 2 - 10 + (unit - (n - 1) / 2) * 120];
    },
    loss: (_cx, cy) => ({ x: 660 - 8, y: cy - 95, anchor: 'end' }),
  },
  tall: {
    width: 380,
    height: 700,
    position(layer, unit) {
      const n = [INPUTS, HIDDEN, 1][layer]!;
      return [190 + (unit - (n - 1) / 2) * (layer === 0 ? 140 : 125), [45, 330, 545][layer]!];
    },
    loss: (cx, cy) => ({ x: cx, y: cy + 100, anchor: 'middle' }),
  },
};

/** A label's box in diagram units (the same arithmetic label() draws with). */
interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function labelBox(x: number, y: number, lines: readonly string[], anchor?: string): Box {
  const height = 15 * lines.length + 4;
  const width = Math.max(...lines.map((l) => l.length)) * 6.6 + 8;
  const left = anchor === 'start' ? x - 4 : anchor === 'end' ? x - width + 4 : x - width / 2;
  return { left, top: y - 13, right: left + width, bottom: y - 13 + height };
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Places along an edge where its number may sit, preferred first. */
const EDGE_PLACES = [0.28, 0.52, 0.4, 0.64, 0.2, 0.34, 0.46, 0.58, 0.7, 0.76];
/** Room kept between two boxes, in diagram units. */
const GAP = 2;

export function reached(phase: Phase, at: Phase): boolean {
  return phases.indexOf(phase) >= phases.indexOf(at);
}

function label(x: number, y: number, lines: string[], options: { anchor?: string; weight?: string; color?: string; cls?: string } = {}): SVGGElement {
  const g = svg('g', { class: options.cls ?? 'bp-label' });
  const box = labelBox(x, y, lines, options.anchor);
  g.append(svg('rect', { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top, rx: 3, fill: 'rgba(255,255,255,0.92)', stroke: '#ccc' }));
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

export function drawDiagram(root: SVGSVGElement, pass: Pass, phase: Phase, selected: WeightId, onSelect: (id: WeightId) => void, orientation: Orientation = 'wide'): void {
  const layout = layouts[orientation];
  const position = (layer: number, unit: number): [number, number] => layout.position(layer, unit);
  root.replaceChildren();
  root.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  root.dataset.phase = phase;
  root.dataset.orientation = orientation;
  root.dataset.loss = String(pass.loss);
  const { weights, grads, after } = pass;
  const edgeLayer = svg('g');
  const labelLayer = svg('g');
  const edges: { id: WeightId; from: [number, number]; to: [number, number]; w: number; g: number; after: number; at: number; backwardAt: Phase }[] = [];
  for (let i = 0; i < INPUTS; i++) {
    for (let j = 0; j < HIDDEN; j++) {
      const k = i * HIDDEN + j;
      // The two inputs' edges prefer different distances; placeEdgeLabels moves any that would still touch.
      edges.push({ id: `w1.${i}.${j}`, from: position(0, i), to: position(1, j), w: weights.w1[k]!, g: grads.w1[k]!, after: after.w1[k]!, at: i === 0 ? 0.28 : 0.52, backwardAt: 'backwardHidden' });
    }
  }
  for (let j = 0; j < HIDDEN; j++) edges.push({ id: `w2.${j}`, from: position(1, j), to: position(2, 0), w: weights.w2[j]!, g: grads.w2[j]!, after: after.w2[j]!, at: 0.45, backwardAt: 'backwardOutput' });
  const maxW = Math.max(1e-6, ...edges.map((e) => Math.abs(e.w)));
  /** Boxes already taken: neurons, the numbers under them, the loss, and edge labels placed so far. */
  const taken: Box[] = [];
  const edgeLabels: { text: string; e: (typeof edges)[number]; color: string; weight: string }[] = [];
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
    // Only the number on the edge (what it is, w or ∂L/∂w, is said once under the diagram and by colour).
    const text = phase === 'update' ? `${fmt(e.w, 3)} → ${fmt(e.after, 3)}` : showGrad ? fmt(e.g, 3) : fmt(e.w, 3);
    edgeLabels.push({ text, e, color: showGrad ? okabeIto.vermillion : '#222', weight: isSelected ? 'bold' : 'normal' });
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
    taken.push({ left: cx - 32, top: cy - 32, right: cx + 32, bottom: cy + 32 });
    if (below.length > 0) {
      labelLayer.append(label(cx, cy + 48, below, { cls: 'bp-values' }));
      taken.push(labelBox(cx, cy + 48, below));
    }
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
    const [cx, cy] = position(2, 0);
    const lines = [`y = ${fmt(pass.sample.y, 3)}`, `L = (ŷ − y)² = ${fmt(pass.loss, 4)}`];
    if (phase === 'update') lines.push(t('bp.diagram.lossAfter', { loss: fmt(pass.lossAfter, 4) }));
    const at = layout.loss(cx, cy);
    labelLayer.append(label(at.x, at.y, lines, { anchor: at.anchor, weight: 'bold', cls: 'bp-loss' }));
    taken.push(labelBox(at.x, at.y, lines, at.anchor));
  }
  // Each edge's number goes to the first place along its edge where it touches nothing drawn so
  // far (the update phase's "before → after" is wide enough to collide at the preferred spots).
  for (const { text, e, color, weight } of edgeLabels) {
    const places = [e.at, ...EDGE_PLACES.filter((p) => p !== e.at)];
    let best = { cost: Infinity, x: 0, y: 0 };
    // Along the edge first; then a little above or below it, still touching the line.
    const candidates = [0, -9, 9].flatMap((shift) => places.map((p) => [p, shift] as const));
    for (const [p, shift] of candidates) {
      const x = e.from[0] + (e.to[0] - e.from[0]) * p;
      const y = e.from[1] + (e.to[1] - e.from[1]) * p + shift;
      const box = labelBox(x, y, [text]);
      const grown = { left: box.left - GAP, top: box.top - GAP, right: box.right + GAP, bottom: box.bottom + GAP };
      const outside = box.left < 0 || box.right > layout.width || box.top < 0 || box.bottom > layout.height;
      const cost = taken.reduce((sum, b) => sum + overlap(grown, b), 0) + (outside ? 1e6 : 0);
      if (cost < best.cost) best = { cost, x, y };
      if (cost === 0) break;
    }
    const tag = label(best.x, best.y, [text], { color, weight });
    tag.addEventListener('click', () => onSelect(e.id));
    tag.dataset.weightLabel = e.id;
    labelLayer.append(tag);
    taken.push(labelBox(best.x, best.y, [text]));
  }
  root.append(labelLayer);
}

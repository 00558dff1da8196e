/**
 * The network as a diagram, redrawn live while it trains: one column per layer, an edge per
 * weight whose colour is its sign (blue positive, orange negative) and whose width is its size,
 * and, for data with two input features, each neuron drawn as a small map of its own output
 * over the input plane (as TensorFlow Playground does) — the pieces the decision map is built from.
 * Wide layers show their first neurons and say how many more there are.
 */
import { Dense, type Sequential } from '../../../src/index.js';
import { fitCanvas, type SizedCanvas } from '../common/canvas.js';
import { hexToRgb, okabeIto, white, type RGB } from '../common/colors.js';
import type { PreparedData } from './data.js';
import { denseOutputs, type GridPoints, type GridValues } from './grid-eval.js';

/** Neurons drawn per layer; the rest are counted in a "+N" label. */
export const MAX_SHOWN = 8;

const positive = hexToRgb(okabeIto.blue);
const negative = hexToRgb(okabeIto.orange);

interface Column {
  /** Units in the layer (all of them; only MAX_SHOWN are drawn). */
  units: number;
  label: string;
  /** Per shown unit: MAP_GRID² values of its output over the input plane, or null without maps. */
  maps: (Float32Array | null)[];
}

export class NetworkView {
  private data: PreparedData | null = null;
  private model: Sequential | null = null;
  private grid: GridPoints | null = null;
  /** Each Dense layer's output on the grid last drawn (from the page or from the grid worker). */
  private outputs: GridValues[] | null = null;
  private readonly sized: SizedCanvas;
  private readonly tile = document.createElement('canvas');
  private readonly tileContext = this.tile.getContext('2d')!;
  private mapImage: ImageData | null = null;
  /** Side of each neuron's map in grid points (cost.ts mapGridSide: 14 for small networks). */
  private side = 14;
  /** Largest |w| drawn last time, for the tests and the legend. */
  lastMaxWeight = 0;
  /**
   * Hidden ReLU neurons whose output is zero at every point of the plane (the data's whole
   * range): "dead", their gradient is zero too, so they no longer learn. Counted over all the
   * layer's neurons, drawn or not; null when there is no plane to test on (not two inputs).
   */
  deadNeurons: number | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly inputLabels: () => string[], private readonly outputLabel: () => string) {
    // A resize repaints what was last computed; only a first drawing evaluates the network.
    this.sized = fitCanvas(canvas, 0.55, () => (this.outputs === null ? this.draw() : this.render()), 250);
  }

  setData(data: PreparedData, model: Sequential, side = 14): void {
    const MAP_GRID = side;
    this.side = side;
    this.tile.width = side;
    this.tile.height = side;
    this.data = data;
    this.model = model;
    this.grid = null;
    if (data.xTrain.shape[1] === 2) {
      const [x0, x1, y0, y1] = extent(data);
      const points = new Float32Array(MAP_GRID * MAP_GRID * 2);
      for (let r = 0; r < MAP_GRID; r++) {
        for (let c = 0; c < MAP_GRID; c++) {
          points[2 * (r * MAP_GRID + c)] = x0 + ((x1 - x0) * (c + 0.5)) / MAP_GRID;
          points[2 * (r * MAP_GRID + c) + 1] = y1 - ((y1 - y0) * (r + 0.5)) / MAP_GRID;
        }
      }
      this.grid = { data: points, dim: 2 };
    }
    this.outputs = null;
    this.draw();
  }

  setModel(model: Sequential): void {
    this.model = model;
  }

  /** The maps' grid points (for the worker), or null when the data has no two input features. */
  get gridPoints(): GridPoints | null {
    return this.grid;
  }

  private columns(outputs: GridValues[] | null): Column[] {
    const data = this.data!;
    const dense = this.model!.layers.filter((l): l is Dense => l instanceof Dense);
    const inputs = data.xTrain.shape[1]!;
    const columnOf = (units: number, label: string, values: GridValues | null, inputColumn?: number): Column => {
      const shown = Math.min(units, MAX_SHOWN);
      const maps: (Float32Array | null)[] = [];
      for (let k = 0; k < shown; k++) {
        if (inputColumn !== undefined && this.grid !== null) maps.push(columnValues({ data: this.grid.data, rows: this.grid.data.length / this.grid.dim, units: this.grid.dim }, k));
        else if (values !== null) maps.push(columnValues(values, k));
        else maps.push(null);
      }
      return { units, label, maps };
    };
    const cols: Column[] = [columnOf(inputs, this.inputLabels().join(', '), null, 0)];
    dense.forEach((layer, i) => {
      const last = i === dense.length - 1;
      cols.push(columnOf(layer.units, last ? this.outputLabel() : `${layer.units} · ${layer.activation}`, outputs?.[i] ?? null));
    });
    return cols;
  }

  /** Evaluate the network on the maps' grid here, on the page's thread, and draw (a step, a pause, a new run). */
  draw(): void {
    const { model, grid } = this;
    this.outputs = model === null || grid === null ? null : denseOutputs(model, grid);
    this.render();
  }

  /** Draw layer outputs computed elsewhere (the grid worker) for the current grid and network. */
  showOutputs(outputs: GridValues[]): void {
    const dense = this.model?.layers.filter((l): l is Dense => l instanceof Dense) ?? [];
    const fits = this.grid !== null && outputs.length === dense.length && outputs.every((o, i) => o.units === dense[i]!.units && o.rows * this.grid!.dim === this.grid!.data.length);
    if (!fits) return;
    this.outputs = outputs;
    this.render();
  }

  /** The diagram: weights from the network as it is now, neuron maps from the last evaluation. */
  private render(): void {
    const { ctx, width, height } = this.sized;
    ctx.clearRect(0, 0, width, height);
    if (this.data === null || this.model === null) return;
    const outputs = this.outputs;
    const cols = this.columns(outputs);
    const dense = this.model.layers.filter((l): l is Dense => l instanceof Dense);
    const dead = dense.map((layer, i) => (outputs !== null && i < dense.length - 1 && (layer.activation === 'relu') ? deadUnits(outputs[i]!) : new Set<number>()));
    this.deadNeurons = outputs === null ? null : dead.reduce((n, s) => n + s.size, 0);
    const top = 18;
    const bottom = height - 16;
    const left = 22;
    const right = width - 22;
    const xs = cols.map((_, i) => (cols.length === 1 ? width / 2 : left + ((right - left) * i) / (cols.length - 1)));
    const slots = Math.max(...cols.map((c) => c.maps.length + (c.units > c.maps.length ? 1 : 0)));
    const gap = (bottom - top) / Math.max(1, slots);
    const node = Math.max(10, Math.min(30, gap * 0.72, ((right - left) / Math.max(1, cols.length - 1)) * 0.4));
    const ys = cols.map((c) => c.maps.map((_, k) => top + gap * (k + 0.5) + ((slots - c.maps.length) * gap) / 2));

    // Edges first, under the neurons: colour by sign, width and opacity by size.
    let maxWeight = 0;
    for (const layer of dense) for (const v of layer.kernel!.data) maxWeight = Math.max(maxWeight, Math.abs(v));
    this.lastMaxWeight = maxWeight;
    dense.forEach((layer, i) => {
      const w = layer.kernel!;
      const outUnits = w.shape[1]!;
      for (let a = 0; a < ys[i]!.length; a++) {
        for (let b = 0; b < ys[i + 1]!.length; b++) {
          const value = w.data[a * outUnits + b]!;
          const size = maxWeight > 0 ? Math.abs(value) / maxWeight : 0;
          ctx.strokeStyle = rgba(value >= 0 ? positive : negative, 0.25 + 0.75 * size);
          ctx.lineWidth = 0.4 + 4.6 * size;
          ctx.beginPath();
          ctx.moveTo(xs[i]! + node / 2, ys[i]![a]!);
          ctx.lineTo(xs[i + 1]! - node / 2, ys[i + 1]![b]!);
          ctx.stroke();
        }
      }
    });

    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    cols.forEach((col, i) => {
      col.maps.forEach((map, k) => {
        const x = xs[i]! - node / 2;
        const y = ys[i]![k]! - node / 2;
        if (map !== null) {
          this.paintMap(map);
          ctx.imageSmoothingEnabled = false;
          ctx.drawImage(this.tile, x, y, node, node);
        } else {
          ctx.fillStyle = '#f0f1f4';
          ctx.fillRect(x, y, node, node);
        }
        ctx.strokeStyle = '#55575f';
        ctx.lineWidth = 1;
        ctx.strokeRect(x, y, node, node);
        if (i > 0 && dead[i - 1]?.has(k)) {
          // A dead ReLU: crossed out (its map is blank: zero everywhere).
          ctx.strokeStyle = '#1b1b1f';
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.moveTo(x + 2, y + 2);
          ctx.lineTo(x + node - 2, y + node - 2);
          ctx.moveTo(x + node - 2, y + 2);
          ctx.lineTo(x + 2, y + node - 2);
          ctx.stroke();
        }
      });
      ctx.fillStyle = '#333';
      if (col.units > col.maps.length) ctx.fillText(`+${col.units - col.maps.length}`, xs[i]!, (ys[i]!.at(-1) ?? top) + node / 2 + 12);
      ctx.fillText(col.label, Math.min(Math.max(xs[i]!, 40), width - 40), height - 3);
    });
  }

  /** A neuron's output over the plane: orange below zero, white at zero, blue above, scaled to its own range. */
  private paintMap(values: Float32Array): void {
    let range = 0;
    for (const v of values) range = Math.max(range, Math.abs(v));
    // One image reused for every map and redraw, and no colour array per pixel: the diagram of a
    // deep network paints tens of maps a frame, and their garbage made collection pauses.
    if (this.mapImage === null || this.mapImage.width !== this.side) this.mapImage = new ImageData(this.side, this.side);
    const pixels = this.mapImage.data;
    for (let k = 0; k < values.length; k++) {
      const v = range > 0 ? values[k]! / range : 0;
      const to = v >= 0 ? positive : negative;
      const t = Math.min(1, Math.abs(v));
      pixels[4 * k] = white[0] + (to[0] - white[0]) * t;
      pixels[4 * k + 1] = white[1] + (to[1] - white[1]) * t;
      pixels[4 * k + 2] = white[2] + (to[2] - white[2]) * t;
      pixels[4 * k + 3] = 255;
    }
    this.tileContext.putImageData(this.mapImage, 0, 0);
  }
}

/** Units whose output is zero (to rounding) at every grid point. */
function deadUnits(values: GridValues): Set<number> {
  const { rows, units } = values;
  const dead = new Set<number>();
  for (let k = 0; k < units; k++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = values.data[r * units + k]! > 1e-7;
    if (!alive) dead.add(k);
  }
  return dead;
}

function columnValues(t: GridValues, k: number): Float32Array {
  const { rows, units: cols } = t;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = t.data[r * cols + k]!;
  return out;
}

function extent(data: PreparedData): [number, number, number, number] {
  const d = data.xTrain.shape[1]!;
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const x of [data.xTrain, data.xTest]) {
    for (let i = 0; i < x.shape[0]!; i++) {
      for (let c = 0; c < 2; c++) {
        const v = x.data[i * d + c]!;
        lo[c] = Math.min(lo[c]!, v);
        hi[c] = Math.max(hi[c]!, v);
      }
    }
  }
  const pad = (c: number): number => 0.1 * (hi[c]! - lo[c]! || 1);
  return [lo[0]! - pad(0), hi[0]! + pad(0), lo[1]! - pad(1), hi[1]! + pad(1)];
}

function rgba([r, g, b]: RGB, a: number): string {
  return `rgba(${r},${g},${b},${a.toFixed(2)})`;
}

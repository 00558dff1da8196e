/**
 * What the network has learned, drawn over the data: for two input features, the predicted
 * class (or value) on a grid of points as a heatmap, with the training points (filled) and
 * test points (hollow) on top; for one feature, the fitted curve over the scatter.
 * The axes and the points do not change while the network trains: they are drawn once into a
 * layer of their own and copied on top of each new heatmap. The grid's side follows what the
 * network costs to evaluate (cost.ts), so a wide network gets a coarser map, not a frozen page.
 */
import type { Sequential, Tensor } from '../../../src/index.js';
import { drawMarker, fitCanvas, linearScale, type SizedCanvas } from '../common/canvas.js';
import { classColor, classMarker, hexToRgb, mix, okabeIto, viridis, white, type RGB } from '../common/colors.js';
import type { PreparedData } from './data.js';
import { denseOutputs, type GridPoints, type GridValues } from './grid-eval.js';

const PAD = { left: 34, right: 8, top: 8, bottom: 24 };

type Extent = { x: [number, number]; y: [number, number] };

function extentOf(data: PreparedData): Extent {
  const all = [data.xTrain, data.xTest];
  const d = data.xTrain.shape[1]!;
  const range = (col: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of all) {
      for (let i = 0; i < x.shape[0]!; i++) {
        const v = x.data[i * d + col]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const pad = 0.1 * (hi - lo || 1);
    return [lo - pad, hi + pad];
  };
  if (d === 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const labels of [data.labelsTrain, data.labelsTest]) for (const v of labels) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    const pad = 0.1 * (hi - lo || 1);
    return { x: range(0), y: [lo - pad, hi + pad] };
  }
  return { x: range(0), y: range(1) };
}

export class BoundaryView {
  private data: PreparedData | null = null;
  private model: Sequential | null = null;
  private extent: Extent = { x: [-1, 1], y: [-1, 1] };
  private grid: GridPoints | null = null;
  /** The network's output on the grid last drawn (from the page or from the grid worker). */
  private predictions: GridValues | null = null;
  private side = 56;
  private readonly image: HTMLCanvasElement = document.createElement('canvas');
  /** Axes and points, drawn once per data set and size (device pixels, like the canvas). */
  private readonly overlay: HTMLCanvasElement = document.createElement('canvas');
  private overlayKey = '';
  private readonly sized: SizedCanvas;
  /** Times the axes and points were drawn (tests check they are not redrawn every frame). */
  overlayDraws = 0;

  constructor(private readonly canvas: HTMLCanvasElement, maxHeight = 520) {
    // A resize repaints what was last computed; only a first drawing evaluates the network.
    this.sized = fitCanvas(canvas, 1, () => (this.predictions === null ? this.draw() : this.render()), maxHeight);
  }

  /** Side of the grid the heatmap is evaluated on. */
  get gridSide(): number {
    return this.side;
  }

  /** Whether this data can be drawn (one or two input features). */
  static canShow(data: PreparedData): boolean {
    const d = data.xTrain.shape[1]!;
    return d === 2 || (d === 1 && data.task === 'regression');
  }

  /** The grid's points (for the worker), or null before any data. */
  get gridPoints(): GridPoints | null {
    return this.grid;
  }

  setData(data: PreparedData, model: Sequential, side = 56): void {
    const GRID = side;
    this.side = side;
    this.image.width = GRID;
    this.image.height = GRID;
    this.data = data;
    this.model = model;
    this.overlayKey = '';
    this.extent = extentOf(data);
    const [x0, x1] = this.extent.x;
    const [y0, y1] = this.extent.y;
    if (data.xTrain.shape[1] === 2) {
      // Grid row 0 is the top of the picture (largest x₂).
      const points = new Float32Array(GRID * GRID * 2);
      for (let r = 0; r < GRID; r++) {
        for (let c = 0; c < GRID; c++) {
          points[2 * (r * GRID + c)] = x0 + ((x1 - x0) * (c + 0.5)) / GRID;
          points[2 * (r * GRID + c) + 1] = y1 - ((y1 - y0) * (r + 0.5)) / GRID;
        }
      }
      this.grid = { data: points, dim: 2 };
    } else {
      this.grid = { data: Float32Array.from({ length: 200 }, (_, i) => x0 + ((x1 - x0) * i) / 199), dim: 1 };
    }
    this.predictions = null;
    this.draw();
  }

  setModel(model: Sequential): void {
    this.model = model;
  }

  /** Evaluate the network on the grid here, on the page's thread, and draw (a step, a pause, a new run). */
  draw(): void {
    const { data, model, grid } = this;
    this.predictions = data === null || model === null || grid === null ? null : denseOutputs(model, grid).at(-1)!;
    this.render();
  }

  /** Draw predictions computed elsewhere (the grid worker) for the current grid. */
  showPredictions(predictions: GridValues): void {
    if (this.grid === null || predictions.rows * this.grid.dim !== this.grid.data.length) return;
    this.predictions = predictions;
    this.render();
  }

  private render(): void {
    const { ctx, width, height } = this.sized;
    const { data, grid, predictions } = this;
    if (data === null || grid === null || predictions === null) {
      ctx.clearRect(0, 0, width, height);
      return;
    }
    const sx = linearScale(this.extent.x, [PAD.left, width - PAD.right]);
    const sy = linearScale(this.extent.y, [height - PAD.bottom, PAD.top]);
    const twoD = data.xTrain.shape[1] === 2;
    ctx.clearRect(0, 0, width, height);
    if (twoD) {
      this.paintHeatmap(predictions);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.image, PAD.left, PAD.top, width - PAD.left - PAD.right, height - PAD.top - PAD.bottom);
    }
    this.refreshOverlay(sx, sy);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.overlay, 0, 0);
    ctx.restore();
    if (!twoD) {
      ctx.strokeStyle = okabeIto.vermillion;
      ctx.lineWidth = 3;
      ctx.beginPath();
      for (let i = 0; i < predictions.rows; i++) {
        const px = sx(grid.data[i]!);
        const py = sy(predictions.data[i]!);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.stroke();
    }
  }

  /** Draw the axes and the points into the overlay unless the data and size are unchanged. */
  private refreshOverlay(sx: ReturnType<typeof linearScale>, sy: ReturnType<typeof linearScale>): void {
    const { canvas, width, height } = this.sized;
    const key = `${canvas.width}x${canvas.height}`;
    if (key === this.overlayKey) return;
    this.overlayKey = key;
    this.overlayDraws++;
    this.overlay.width = canvas.width;
    this.overlay.height = canvas.height;
    const ctx = this.overlay.getContext('2d')!;
    ctx.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
    const data = this.data!;
    const twoD = data.xTrain.shape[1] === 2;
    this.drawAxes(ctx, sx, sy);
    const d = data.xTrain.shape[1]!;
    const points = (x: Tensor, labels: Float32Array, test: boolean): void => {
      for (let i = 0; i < labels.length; i++) {
        const px = sx(x.data[i * d]!);
        const py = twoD ? sy(x.data[i * d + 1]!) : sy(labels[i]!);
        const colour = data.task === 'classification' ? classColor(labels[i]!) : twoD ? rgb(viridis(this.valueShade(labels[i]!))) : okabeIto.blue;
        drawMarker(ctx, data.task === 'classification' ? classMarker(labels[i]!) : 'circle', px, py, 4.2);
        if (test) {
          ctx.fillStyle = '#fff';
          ctx.fill();
          ctx.lineWidth = 2.4;
          ctx.strokeStyle = colour;
          ctx.stroke();
        } else {
          ctx.fillStyle = colour;
          ctx.fill();
          ctx.lineWidth = 1;
          ctx.strokeStyle = '#1b1b1f';
          ctx.stroke();
        }
      }
    };
    points(data.xTrain, data.labelsTrain, false);
    points(data.xTest, data.labelsTest, true);
  }

  private valueShade(v: number): number {
    const [lo, hi] = this.targetRange();
    return (v - lo) / (hi - lo || 1);
  }

  private targetRange(): [number, number] {
    const data = this.data!;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of data.labelsTrain) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    return [lo, hi];
  }

  private paintHeatmap(predictions: GridValues): void {
    const data = this.data!;
    const out = predictions.units;
    const GRID = this.side;
    // Everything that does not depend on the pixel is worked out once per picture (the target's
    // range, the class colours): per pixel, it was a pass over the training set and a colour parse.
    const [lo, hi] = data.task === 'regression' ? this.targetRange() : [0, 1];
    const classes = Array.from({ length: Math.max(2, out) }, (_, c) => hexToRgb(classColor(c)));
    const image = new ImageData(GRID, GRID);
    for (let k = 0; k < GRID * GRID; k++) {
      let colour: RGB;
      if (data.task === 'regression') {
        colour = mix(white, viridis((predictions.data[k]! - lo) / (hi - lo || 1)), 0.8);
      } else if (out === 1) {
        // Probability of class 1: white at 0.5, towards each class's colour as the model grows sure.
        const p = predictions.data[k]!;
        colour = mix(white, classes[p >= 0.5 ? 1 : 0]!, Math.min(1, Math.abs(p - 0.5) * 2) * 0.5);
      } else {
        let best = 0;
        for (let c = 1; c < out; c++) if (predictions.data[k * out + c]! > predictions.data[k * out + best]!) best = c;
        const confidence = (predictions.data[k * out + best]! - 1 / out) / (1 - 1 / out);
        colour = mix(white, classes[best]!, Math.max(0, confidence) * 0.5);
      }
      image.data[4 * k] = colour[0];
      image.data[4 * k + 1] = colour[1];
      image.data[4 * k + 2] = colour[2];
      image.data[4 * k + 3] = 255;
    }
    this.image.getContext('2d')!.putImageData(image, 0, 0);
  }

  private drawAxes(ctx: CanvasRenderingContext2D, sx: ReturnType<typeof linearScale>, sy: ReturnType<typeof linearScale>): void {
    const { width, height } = this.sized;
    const names = this.data!.featureNames;
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(PAD.left, PAD.top, width - PAD.left - PAD.right, height - PAD.top - PAD.bottom);
    ctx.fillStyle = '#333';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    const [x0, x1] = this.extent.x;
    const [y0, y1] = this.extent.y;
    for (const v of niceTicks(x0, x1)) ctx.fillText(round(v), sx(v), height - 10);
    ctx.textAlign = 'right';
    for (const v of niceTicks(y0, y1)) ctx.fillText(round(v), PAD.left - 3, sy(v) + 4);
    ctx.textAlign = 'left';
    ctx.font = 'italic 12px system-ui, sans-serif';
    ctx.fillText(names[0] ?? '', width - PAD.right - 60, height - 1);
    ctx.fillText(names[1] ?? 'y', 2, PAD.top + 2);
  }
}

function round(v: number): string {
  return Math.abs(v) < 1e-9 ? '0' : Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1);
}

/** Round tick values (1, 2 or 5 times a power of ten apart) inside [lo, hi]. */
function niceTicks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 4;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

function rgb([r, g, b]: RGB): string {
  return `rgb(${r},${g},${b})`;
}

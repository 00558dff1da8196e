/**
 * Grouped bar charts on a canvas (gradient norm per layer, samples per second per batch
 * size). The second series is hatched, so the two differ without relying on colour.
 */
import { fitCanvas, type SizedCanvas } from './canvas.js';
import { fmt } from './dom.js';

export interface BarSeries {
  label: string;
  color: string;
  values: readonly number[];
}

export interface BarChartData {
  categories: readonly string[];
  series: readonly BarSeries[];
  yLabel: string;
  xLabel: string;
  /** Log scale for values spanning orders of magnitude (gradients, throughput). */
  log?: boolean;
  /** Fixed [min, max] of the value axis; otherwise from the data. */
  range?: [number, number];
}

export class BarChart {
  private data: BarChartData | null = null;
  private readonly sized: SizedCanvas;

  constructor(private readonly canvas: HTMLCanvasElement, aspect = 0.55) {
    this.sized = fitCanvas(canvas, aspect, () => this.draw(), 360);
  }

  set(data: BarChartData): void {
    this.data = data;
    this.canvas.setAttribute(
      'aria-label',
      `${data.yLabel}: ` +
        data.series.map((s) => `${s.label} ${s.values.map((v, i) => `${data.categories[i]} ${fmt(v, 3)}`).join(', ')}`).join('; '),
    );
    this.draw();
  }

  private draw(): void {
    const { ctx, width, height } = this.sized;
    ctx.clearRect(0, 0, width, height);
    const data = this.data;
    if (data === null || data.categories.length === 0) return;
    const left = 58;
    const right = width - 8;
    const top = 24;
    const bottom = height - 36;
    const all = data.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!data.log || v > 0));
    let [lo, hi] = data.range ?? [data.log ? Math.min(...all) : 0, Math.max(...all)];
    if (all.length === 0) [lo, hi] = data.log ? [1e-3, 1] : [0, 1];
    if (data.log) {
      lo = Math.pow(10, Math.floor(Math.log10(lo)));
      hi = Math.pow(10, Math.ceil(Math.log10(hi)));
      if (hi <= lo) hi = lo * 10;
    } else if (hi <= lo) hi = lo + 1;
    const y = (v: number): number => {
      const f = data.log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
      return bottom - Math.min(1, Math.max(0, f)) * (bottom - top);
    };
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#333';
    ctx.strokeStyle = '#e4e4e4';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const ticks = data.log
      ? Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, k) => lo * Math.pow(10, k))
      : Array.from({ length: 5 }, (_, k) => lo + ((hi - lo) * k) / 4);
    const every = Math.max(1, Math.ceil(ticks.length / 6));
    ticks.forEach((v, k) => {
      if (k % every !== 0) return;
      ctx.beginPath();
      ctx.moveTo(left, y(v));
      ctx.lineTo(right, y(v));
      ctx.stroke();
      ctx.fillText(fmt(v, 2), left - 4, y(v));
    });
    const groupWidth = (right - left) / data.categories.length;
    const barWidth = Math.min(40, (groupWidth * 0.8) / data.series.length);
    data.series.forEach((series, s) => {
      ctx.fillStyle = s === 0 ? series.color : hatch(ctx, series.color);
      series.values.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        const x = left + groupWidth * i + (groupWidth - barWidth * data.series.length) / 2 + barWidth * s;
        ctx.fillRect(x, y(v), barWidth - 2, bottom - y(v));
        ctx.strokeStyle = series.color;
        ctx.strokeRect(x, y(v), barWidth - 2, bottom - y(v));
      });
    });
    ctx.fillStyle = '#333';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    data.categories.forEach((c, i) => ctx.fillText(c, left + groupWidth * (i + 0.5), bottom + 4));
    ctx.fillText(data.xLabel, (left + right) / 2, bottom + 20);
    ctx.textAlign = 'left';
    ctx.fillText(data.yLabel, 4, 4);
    // Legend.
    let x = right;
    ctx.textAlign = 'right';
    [...data.series].reverse().forEach((series, r) => {
      const s = data.series.length - 1 - r;
      const w = ctx.measureText(series.label).width;
      ctx.fillStyle = '#333';
      ctx.fillText(series.label, x, 4);
      ctx.fillStyle = s === 0 ? series.color : hatch(ctx, series.color);
      ctx.fillRect(x - w - 16, 4, 12, 12);
      ctx.strokeStyle = series.color;
      ctx.strokeRect(x - w - 16, 4, 12, 12);
      x -= w + 28;
    });
  }
}

const patterns = new Map<string, CanvasPattern>();

function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const cached = patterns.get(color);
  if (cached) return cached;
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const t = tile.getContext('2d');
  if (t === null) return color;
  t.fillStyle = '#fff';
  t.fillRect(0, 0, 8, 8);
  t.strokeStyle = color;
  t.lineWidth = 3;
  t.beginPath();
  t.moveTo(-2, 10);
  t.lineTo(10, -2);
  t.stroke();
  const pattern = ctx.createPattern(tile, 'repeat');
  if (pattern === null) return color;
  patterns.set(color, pattern);
  return pattern;
}

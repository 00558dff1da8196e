/**
 * Accuracy curves of every run on linear axes: one thin line per repeat, so the spread between
 * repeats is seen, one colour and dash per batch size.
 */
import { fitCanvas, linearScale, type SizedCanvas } from '../common/canvas.js';
import { fmt } from '../common/dom.js';

export interface Curve {
  xs: readonly number[];
  ys: readonly number[];
  color: string;
  dash: readonly number[];
}

export interface PlotData {
  curves: readonly Curve[];
  xRange: [number, number];
  xLabel: string;
  yLabel: string;
  legend: readonly { label: string; color: string; dash: readonly number[] }[];
}

const M = { left: 48, right: 12, top: 28, bottom: 40 };

export class CurvePlot {
  private data: PlotData | null = null;
  private readonly sized: SizedCanvas;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.sized = fitCanvas(canvas, 0.6, () => this.draw(), 340);
  }

  set(data: PlotData, description: string): void {
    this.data = data;
    this.canvas.setAttribute('aria-label', description);
    this.draw();
  }

  private draw(): void {
    const { ctx, width, height } = this.sized;
    ctx.clearRect(0, 0, width, height);
    const d = this.data;
    if (d === null) return;
    const x = linearScale(d.xRange, [M.left, width - M.right]);
    const y = linearScale([0, 1], [height - M.bottom, M.top]);
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = '#e4e4e4';
    ctx.fillStyle = '#333';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let k = 0; k <= 5; k++) {
      const v = k / 5;
      ctx.beginPath();
      ctx.moveTo(M.left, y(v));
      ctx.lineTo(width - M.right, y(v));
      ctx.stroke();
      ctx.fillText(fmt(v, 2), M.left - 4, y(v));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let k = 0; k <= 5; k++) {
      const v = d.xRange[0] + ((d.xRange[1] - d.xRange[0]) * k) / 5;
      ctx.fillText(fmt(v, 3), x(v), height - M.bottom + 4);
    }
    ctx.fillText(d.xLabel, (M.left + width - M.right) / 2, height - 16);
    ctx.textAlign = 'left';
    ctx.fillText(d.yLabel, 4, 4);
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.left, M.top, width - M.left - M.right, height - M.top - M.bottom);
    ctx.clip();
    ctx.lineWidth = 1.5;
    for (const c of d.curves) {
      ctx.strokeStyle = c.color;
      ctx.setLineDash([...c.dash]);
      ctx.beginPath();
      c.xs.forEach((v, k) => (k === 0 ? ctx.moveTo(x(v), y(c.ys[k]!)) : ctx.lineTo(x(v), y(c.ys[k]!))));
      ctx.stroke();
    }
    ctx.restore();
    ctx.setLineDash([]);
    // Legend, right-aligned on the top line.
    let right = width - M.right;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    for (const item of [...d.legend].reverse()) {
      const w = ctx.measureText(item.label).width;
      ctx.fillStyle = '#333';
      ctx.fillText(item.label, right, 4);
      ctx.strokeStyle = item.color;
      ctx.lineWidth = 2;
      ctx.setLineDash([...item.dash]);
      ctx.beginPath();
      ctx.moveTo(right - w - 26, 10);
      ctx.lineTo(right - w - 4, 10);
      ctx.stroke();
      ctx.setLineDash([]);
      right -= w + 36;
    }
  }
}

/**
 * Draws a loss surface (heatmap + contours), the optimizer's path, the start, the current
 * point and the −∇L arrow on a canvas; turns clicks, taps and arrow keys into a new start.
 */
import { drawArrow, fitCanvas, linearScale, refitCanvas, type SizedCanvas } from '../common/canvas.js';
import { okabeIto } from '../common/colors.js';
import { fmt } from '../common/dom.js';
import { equalAspectBox, stepOpacity, type Box } from './geometry.js';
import { contourSegments, heatmapImage, type LossGrid } from './heatmap.js';
import type { Surface } from './surfaces.js';

const MARGIN = { left: 44, right: 10, top: 10, bottom: 36 };

export interface PathState {
  path: readonly (readonly [number, number])[];
  /** Full gradient at the current point (the arrow shows its opposite). */
  gradient: readonly [number, number] | null;
  /** Other paths from the same start, drawn in their own colour and dash (the side-by-side races). */
  others?: readonly { path: readonly (readonly [number, number])[]; color: string; dash: readonly number[] }[];
}

export class SurfaceView {
  private surface: Surface | null = null;
  private grid: LossGrid | null = null;
  private image: HTMLCanvasElement | null = null;
  private contours: [number, number, number, number][] = [];
  private state: PathState = { path: [], gradient: null };
  private readonly sized: SizedCanvas;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onPick: (w: [number, number]) => void) {
    // The canvas takes the surface's proportions (plus the axes' margins), so a 1:1 picture of a
    // wide valley is not surrounded by empty space; square surfaces keep the old 0.85.
    this.sized = fitCanvas(canvas, () => this.aspect(), () => this.draw(), 620);
    canvas.addEventListener('pointerdown', (event) => {
      const rect = canvas.getBoundingClientRect();
      const w = this.toData(event.clientX - rect.left, event.clientY - rect.top);
      if (w) this.onPick(w);
    });
    canvas.addEventListener('keydown', (event) => this.onKey(event));
  }

  private aspect(): number {
    if (this.surface === null) return 0.85;
    const [[a0, a1], [b0, b1]] = this.surface.domain;
    const width = Math.max(120, this.sized?.width ?? 600);
    const plotWidth = width - MARGIN.left - MARGIN.right;
    return Math.min(0.85, (plotWidth * ((b1 - b0) / (a1 - a0)) + MARGIN.top + MARGIN.bottom) / width);
  }

  setSurface(surface: Surface, grid: LossGrid): void {
    this.surface = surface;
    this.grid = grid;
    this.image = heatmapImage(grid);
    this.contours = contourSegments(grid, 14);
    refitCanvas(this.sized);
    this.draw();
  }

  setPath(state: PathState): void {
    this.state = state;
    this.draw();
  }

  /** The plot's box: the same number of pixels per unit along w₁ and w₂. */
  private box(): Box | null {
    if (this.surface === null) return null;
    const { width, height } = this.sized;
    return equalAspectBox(this.surface.domain, { left: MARGIN.left, top: MARGIN.top, width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom });
  }

  private scales(): { x: ReturnType<typeof linearScale>; y: ReturnType<typeof linearScale> } | null {
    const box = this.box();
    if (this.surface === null || box === null) return null;
    const [[a0, a1], [b0, b1]] = this.surface.domain;
    const x = linearScale([a0, a1], [box.left, box.left + box.width]);
    const y = linearScale([b0, b1], [box.top + box.height, box.top]);
    // Pixels per unit on each axis, for tests and for anyone checking the picture is not stretched.
    this.canvas.dataset.pixelsPerUnitX = String(box.width / (a1 - a0));
    this.canvas.dataset.pixelsPerUnitY = String(box.height / (b1 - b0));
    return { x, y };
  }

  private toData(px: number, py: number): [number, number] | null {
    const s = this.scales();
    if (s === null) return null;
    const box = this.box()!;
    if (px < box.left || px > box.left + box.width || py < box.top || py > box.top + box.height) return null;
    return [Number(s.x.invert(px).toFixed(3)), Number(s.y.invert(py).toFixed(3))];
  }

  private onKey(event: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (move === undefined || this.surface === null) return;
    event.preventDefault();
    const [[a0, a1], [b0, b1]] = this.surface.domain;
    const start = this.state.path[0] ?? this.surface.start;
    const step = event.shiftKey ? 0.1 : 0.025;
    const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
    this.onPick([
      Number(clamp(start[0] + move[0] * step * (a1 - a0), a0, a1).toFixed(3)),
      Number(clamp(start[1] + move[1] * step * (b1 - b0), b0, b1).toFixed(3)),
    ]);
  }

  draw(): void {
    const { ctx, width, height } = this.sized;
    const s = this.scales();
    ctx.clearRect(0, 0, width, height);
    if (s === null || this.surface === null || this.image === null || this.grid === null) return;
    const [[a0, a1], [b0, b1]] = this.surface.domain;
    const { left, top, width: plotW, height: plotH } = this.box()!;

    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.image, left, top, plotW, plotH);

    // Contours: grid index → data → pixels.
    const n = this.grid.size - 1;
    ctx.strokeStyle = 'rgba(255,255,255,0.45)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const [i0, j0, i1, j1] of this.contours) {
      ctx.moveTo(left + (i0 / n) * plotW, top + plotH - (j0 / n) * plotH);
      ctx.lineTo(left + (i1 / n) * plotW, top + plotH - (j1 / n) * plotH);
    }
    ctx.stroke();

    this.drawAxes(s, a0, a1, b0, b1);

    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, plotW, plotH);
    ctx.clip();
    // The lowest point of the grid.
    const [m1, m2] = this.grid.argmin;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    const mx = s.x(m1);
    const my = s.y(m2);
    ctx.beginPath();
    ctx.moveTo(mx - 6, my - 6);
    ctx.lineTo(mx + 6, my + 6);
    ctx.moveTo(mx + 6, my - 6);
    ctx.lineTo(mx - 6, my + 6);
    ctx.stroke();

    for (const other of this.state.others ?? []) this.drawOther(other, s);
    const path = this.state.path;
    if (path.length > 0) {
      // Path: a dark casing under a light line reads on every part of the colour scale. Older
      // steps fade (one segment per opacity step), so a long path does not become a scribble.
      const n = path.length;
      for (const [rgb, w, strength] of [['0,0,0', 4, 0.75], ['255,255,255', 2, 1]] as const) {
        ctx.lineWidth = w;
        let k = 1;
        while (k < n) {
          const alpha = stepOpacity(k, n);
          ctx.strokeStyle = `rgba(${rgb},${alpha * strength})`;
          ctx.beginPath();
          ctx.moveTo(s.x(path[k - 1]![0]), s.y(path[k - 1]![1]));
          // Consecutive segments of (almost) the same opacity go into one stroke.
          while (k < n && Math.abs(stepOpacity(k, n) - alpha) < 0.02) {
            ctx.lineTo(s.x(path[k]![0]), s.y(path[k]![1]));
            k++;
          }
          ctx.stroke();
        }
      }
      const stride = Math.max(1, Math.floor(n / 400));
      for (let k = 0; k < n; k += stride) {
        ctx.fillStyle = `rgba(255,255,255,${stepOpacity(k, n)})`;
        ctx.beginPath();
        ctx.arc(s.x(path[k]![0]), s.y(path[k]![1]), 2, 0, 2 * Math.PI);
        ctx.fill();
      }
      const [x0, y0] = path[0]!;
      ctx.strokeStyle = '#000';
      ctx.fillStyle = okabeIto.sky;
      ctx.lineWidth = 2;
      ctx.fillRect(s.x(x0) - 6, s.y(y0) - 6, 12, 12);
      ctx.strokeRect(s.x(x0) - 6, s.y(y0) - 6, 12, 12);

      const [cx, cy] = path[path.length - 1]!;
      const g = this.state.gradient;
      if (g !== null && Number.isFinite(g[0]) && Number.isFinite(g[1]) && Math.hypot(g[0], g[1]) > 1e-3) {
        // Direction of −∇L in pixels (the axes may have different scales), drawn with a fixed length.
        const dx = s.x(cx - g[0]) - s.x(cx);
        const dy = s.y(cy - g[1]) - s.y(cy);
        const len = Math.hypot(dx, dy);
        const shown = 28 + 22 * Math.tanh(Math.hypot(g[0], g[1]));
        ctx.strokeStyle = okabeIto.orange;
        ctx.fillStyle = okabeIto.orange;
        ctx.lineWidth = 3;
        drawArrow(ctx, s.x(cx), s.y(cy), s.x(cx) + (dx / len) * shown, s.y(cy) + (dy / len) * shown, 10);
      }
      ctx.fillStyle = okabeIto.orange;
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(s.x(cx), s.y(cy), 7, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }

  /** A racer's path: a dark casing under its colour, older steps fading, a dot where it is now. */
  private drawOther(
    other: { path: readonly (readonly [number, number])[]; color: string; dash: readonly number[] },
    s: { x: ReturnType<typeof linearScale>; y: ReturnType<typeof linearScale> },
  ): void {
    const { ctx } = this.sized;
    const path = other.path;
    const n = path.length;
    if (n === 0) return;
    for (const [casing, w] of [[true, 4.5], [false, 2.5]] as const) {
      ctx.lineWidth = w;
      ctx.setLineDash(casing ? [] : [...other.dash]);
      ctx.strokeStyle = casing ? 'rgba(0,0,0,0.7)' : other.color;
      let k = 1;
      while (k < n) {
        // Consecutive segments of (almost) the same opacity go into one stroke.
        const alpha = stepOpacity(k, n);
        ctx.globalAlpha = alpha;
        ctx.beginPath();
        ctx.moveTo(s.x(path[k - 1]![0]), s.y(path[k - 1]![1]));
        while (k < n && Math.abs(stepOpacity(k, n) - alpha) < 0.02) {
          ctx.lineTo(s.x(path[k]![0]), s.y(path[k]![1]));
          k++;
        }
        ctx.stroke();
      }
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    const [cx, cy] = path[n - 1]!;
    ctx.fillStyle = other.color;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(s.x(cx), s.y(cy), 6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }

  private drawAxes(s: { x: ReturnType<typeof linearScale>; y: ReturnType<typeof linearScale> }, a0: number, a1: number, b0: number, b1: number): void {
    const { ctx } = this.sized;
    const box = this.box()!;
    const bottom = box.top + box.height;
    ctx.fillStyle = '#333';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let k = 0; k <= 4; k++) {
      const v = a0 + ((a1 - a0) * k) / 4;
      ctx.fillText(fmt(v, 3), s.x(v), bottom + 4);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let k = 0; k <= 4; k++) {
      const v = b0 + ((b1 - b0) * k) / 4;
      ctx.fillText(fmt(v, 3), box.left - 5, s.y(v));
    }
    const [n1, n2] = this.surface!.axes;
    ctx.font = 'italic 14px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(n1, box.left + box.width / 2, bottom + MARGIN.bottom - 2);
    ctx.save();
    ctx.translate(box.left - MARGIN.left + 12, box.top + box.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(n2, 0, 0);
    ctx.restore();
  }
}

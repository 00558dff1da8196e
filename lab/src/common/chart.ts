/**
 * Live line charts (uPlot: small, fast, canvas-based). Labels are functions so a chart
 * can be rebuilt in the other language; the chart follows its container's width.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { contentWidth } from './canvas.js';
import { onLanguageChange } from './i18n.js';
import { registerFigure } from './teacher.js';

export interface SeriesSpec {
  label: () => string;
  color: string;
  /** Dash pattern in pixels; dashed lines tell series apart without colour. */
  dash?: number[];
  width?: number;
  /** Draw points only (a scatter), no line. */
  pointsOnly?: boolean;
}

export interface LineChartOptions {
  xLabel: () => string;
  yLabel: () => string;
  series: SeriesSpec[];
  height?: number;
  logY?: boolean;
  /** Fixed y range; otherwise the data's. */
  yRange?: [number, number];
  xRange?: [number, number];
  /** Extra drawing on top of the series (markers, reference lines). */
  draw?: (u: uPlot) => void;
  /** Accessible description of the chart. */
  description?: () => string;
  /** Called with the x value under a click or tap on the plot. */
  onClickX?: (x: number) => void;
  /**
   * Offer the chart for export (PNG, its data as CSV) and full screen, under this file name
   * (default: the container's id); false when the page registers it itself.
   */
  figure?: string | false;
  /** The rows its CSV export gives, when the chart draws a thinned copy of longer data (default: what it draws). */
  csv?: () => (string | number | null)[][];
}

export class LineChart {
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData;
  private readonly holder: HTMLDivElement;

  constructor(private readonly container: HTMLElement, private readonly options: LineChartOptions) {
    this.holder = document.createElement('div');
    this.holder.className = 'chart';
    this.holder.setAttribute('role', 'img');
    container.append(this.holder);
    this.data = [[], ...options.series.map(() => [])] as unknown as uPlot.AlignedData;
    onLanguageChange(() => this.build());
    new ResizeObserver(() => this.resize()).observe(container);
    if (options.figure !== false) {
      registerFigure({ id: options.figure ?? (container.id || 'chart'), element: this.holder, host: container, csv: options.csv ?? (() => this.rows()) });
    }
  }

  /** The data as a table: a header (x label, series labels), then one row per x. */
  rows(): (string | number | null)[][] {
    const [xs, ...ys] = this.data as unknown as ArrayLike<number | null>[];
    const header = [this.options.xLabel(), ...this.options.series.map((s) => s.label())];
    return [header, ...Array.from({ length: xs!.length }, (_, i) => [xs![i]!, ...ys.map((y) => y[i] ?? null)])];
  }

  private width(): number {
    return Math.max(200, Math.floor(contentWidth(this.container) || 300));
  }

  private build(): void {
    this.plot?.destroy();
    const { options } = this;
    const yScale: uPlot.Scale = options.logY ? { distr: 3 } : {};
    if (options.yRange) yScale.range = () => options.yRange!;
    const xScale: uPlot.Scale = { time: false };
    if (options.xRange) xScale.range = () => options.xRange!;
    this.plot = new uPlot(
      {
        width: this.width(),
        height: options.height ?? 220,
        scales: { x: xScale, y: yScale },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        axes: [
          { label: options.xLabel(), stroke: '#333', grid: { stroke: '#e4e4e4' } },
          { label: options.yLabel(), stroke: '#333', grid: { stroke: '#e4e4e4' }, size: 56 },
        ],
        series: [
          {},
          ...options.series.map<uPlot.Series>((s) => ({
            label: s.label(),
            stroke: s.color,
            width: s.width ?? 2,
            ...(s.dash ? { dash: s.dash } : {}),
            ...(s.pointsOnly ? { paths: () => null, points: { show: true, size: 4, fill: s.color, stroke: s.color } } : { points: { show: false } }),
            spanGaps: false,
          })),
        ],
        hooks: options.draw ? { draw: [options.draw] } : {},
      },
      this.data,
      this.holder,
    );
    if (options.description) this.holder.setAttribute('aria-label', options.description());
    const onClickX = options.onClickX;
    if (onClickX) {
      const plot = this.plot;
      plot.over.addEventListener('click', () => {
        const left = plot.cursor.left;
        if (left !== undefined && left >= 0) onClickX(plot.posToVal(left, 'x'));
      });
    }
  }

  private resize(): void {
    if (this.plot && Math.abs(this.plot.width - this.width()) > 2) this.plot.setSize({ width: this.width(), height: this.options.height ?? 220 });
  }

  /** New data: xs and one array per series (null leaves a gap). */
  setData(xs: ArrayLike<number>, ys: ArrayLike<number | null>[]): void {
    this.data = [xs, ...ys] as unknown as uPlot.AlignedData;
    this.plot?.setData(this.data);
  }

  /** Redraw without new data (after changing what the draw hook shows). */
  redraw(): void {
    this.plot?.redraw(false, false);
  }

  get uplot(): uPlot | null {
    return this.plot;
  }
}

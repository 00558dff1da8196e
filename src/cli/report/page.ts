/**
 * A report as one self-contained HTML file: styles, data and the charting library
 * (Chart.js, read from its package and inlined) all inside, so it opens offline, can be
 * mailed or archived, and never fetches anything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface Series {
  label: string;
  /** [x, y] points; a null y leaves a gap (a diverged run, a missing value). */
  points: [number, number | null][];
  /** 'line' (default) joins the points; 'points' draws dots only. */
  style?: 'line' | 'points';
  dashed?: boolean;
  color?: string;
}

export interface Axis {
  label: string;
  log?: boolean;
  /** Whole numbers only on the ticks (epochs). */
  integer?: boolean;
  min?: number;
  max?: number;
}

export interface ChartSpec {
  title: string;
  /** Span the whole width of the page. */
  wide?: boolean;
  /** One or two sentences on what to look for. */
  note?: string;
  x: Axis;
  y: Axis;
  series: Series[];
}

export interface BarChartSpec {
  title: string;
  note?: string;
  categories: string[];
  y: Axis;
  series: { label: string; values: (number | null)[]; color?: string }[];
}

export type Block =
  | { type: 'chart'; chart: ChartSpec }
  | { type: 'bars'; chart: BarChartSpec }
  | { type: 'table'; title?: string; note?: string; header: string[]; rows: string[][] }
  | { type: 'matrix'; title: string; note?: string; labels: string[]; counts: number[][] };

export interface Section {
  title: string;
  intro?: string;
  blocks: Block[];
}

export interface ReportPage {
  title: string;
  subtitle?: string;
  warnings?: string[];
  summary: [string, string][];
  sections: Section[];
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

let chartJsSource: string | null = null;

/** Chart.js's UMD build from node_modules (the package that gradiente depends on). */
function chartJs(): string {
  if (chartJsSource === null) {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
    // NOTE: '</script' inside inlined code would end the script element early.
    chartJsSource = readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return chartJsSource;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * At most `maxPoints` points: consecutive values are averaged in equal buckets (x is the
 * bucket's middle). Non-finite values (a diverged loss) become gaps.
 */
export function downsample(values: readonly number[], maxPoints = 1500, xOf: (i: number) => number = (i) => i + 1): [number, number | null][] {
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  if (values.length <= maxPoints) return values.map((v, i) => [xOf(i), finite(v)]);
  const out: [number, number | null][] = [];
  const size = values.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const start = Math.floor(b * size);
    const end = Math.floor((b + 1) * size);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      if (Number.isFinite(values[i]!)) {
        sum += values[i]!;
        count++;
      }
    }
    out.push([xOf(Math.round((start + end - 1) / 2)), count === end - start ? sum / count : null]);
  }
  return out;
}

function renderTable(block: Extract<Block, { type: 'table' }>): string {
  const head = block.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = block.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="card wide">${block.title ? `<h3>${escapeHtml(block.title)}</h3>` : ''}${block.note ? `<p class="note">${escapeHtml(block.note)}</p>` : ''}<table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function renderMatrix(block: Extract<Block, { type: 'matrix' }>): string {
  const { labels, counts } = block;
  const header = `<tr><th class="corner">true ↓ / predicted →</th>${labels.map((l) => `<th>${escapeHtml(l)}</th>`).join('')}</tr>`;
  const rows = counts
    .map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row
        .map((count, j) => {
          const share = count / total;
          const colour = i === j ? `rgba(31,119,180,${(0.08 + 0.92 * share).toFixed(3)})` : `rgba(214,39,40,${(share === 0 ? 0 : 0.08 + 0.92 * share).toFixed(3)})`;
          const dark = share > 0.55;
          return `<td style="background:${colour};${dark ? 'color:#fff;' : ''}" title="true ${escapeHtml(labels[i]!)}, predicted ${escapeHtml(labels[j]!)}: ${count} (${(share * 100).toFixed(1)}% of the row)">${count}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(labels[i]!)}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="card wide"><h3>${escapeHtml(block.title)}</h3>${block.note ? `<p class="note">${escapeHtml(block.note)}</p>` : ''}<table class="matrix">${header}${rows}</table></div>`;
}

const STYLE = `
:root { --fg: #1d232a; --muted: #5b6570; --line: #d9dee3; --bg: #f5f7f9; --card: #fff; --warn: #8a5a00; --warnbg: #fff4dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 28px 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 6px; }
h3 { font-size: 14px; margin: 0 0 4px; }
.subtitle, .note, .intro { color: var(--muted); margin: 0 0 8px; }
main { padding: 0 28px 28px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 14px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.card.wide { grid-column: 1 / -1; overflow-x: auto; }
.chart-box { position: relative; height: 290px; }
.warnings { background: var(--warnbg); color: var(--warn); border: 1px solid #f0d9a8; border-radius: 8px; padding: 8px 14px; margin: 10px 0; }
.warnings li { margin: 2px 0; }
table.summary { border-collapse: collapse; }
table.summary th { text-align: left; color: var(--muted); font-weight: 500; padding: 2px 16px 2px 0; vertical-align: top; white-space: nowrap; }
table.summary td { padding: 2px 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; word-break: break-word; }
table.data { border-collapse: collapse; width: 100%; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; font-variant-numeric: tabular-nums; }
table.matrix { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.matrix th, table.matrix td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; min-width: 42px; }
table.matrix th.corner { color: var(--muted); font-weight: 500; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 24px; }
`;

/** What runs in the page: draw every chart from the embedded data with the inlined Chart.js. */
const CLIENT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  function axis(a, isX) {
    var o = { type: a.log ? 'logarithmic' : 'linear', title: { display: true, text: a.label } };
    if (a.min !== undefined) o.min = a.min;
    if (a.max !== undefined) o.max = a.max;
    if (isX && !a.log) o.ticks = { maxTicksLimit: 9 };
    if (a.integer) o.ticks = { precision: 0, stepSize: 1, maxTicksLimit: 12 };
    if (a.log) o.ticks = { autoSkip: true, callback: function (v) {
      var p = Math.log10(v), r = Math.round(p);
      if (Math.abs(p - r) > 1e-9) return '';
      return Math.abs(r) >= 3 ? '1e' + r : String(Number(v.toPrecision(1)));
    } };
    return o;
  }
  function positive(y, log) { return y === null || (log && !(y > 0)) ? null : y; }
  data.charts.forEach(function (spec, i) {
    var canvas = document.getElementById('chart-' + i);
    if (spec.kind === 'bars') {
      new Chart(canvas, {
        type: 'bar',
        data: { labels: spec.chart.categories, datasets: spec.chart.series.map(function (s, k) {
          return { label: s.label, data: s.values.map(function (v) { return positive(v, spec.chart.y.log); }), backgroundColor: s.color || data.palette[k % data.palette.length] };
        }) },
        options: { maintainAspectRatio: false, scales: { y: axis(spec.chart.y, false) } }
      });
      return;
    }
    var c = spec.chart;
    new Chart(canvas, {
      type: 'scatter',
      data: { datasets: c.series.map(function (s, k) {
        var colour = s.color || data.palette[k % data.palette.length];
        var line = s.style !== 'points';
        return {
          label: s.label,
          data: s.points.map(function (p) { return { x: p[0], y: positive(p[1], c.y.log) }; }),
          showLine: line, borderColor: colour, backgroundColor: colour,
          borderWidth: line ? 1.6 : 0, borderDash: s.dashed ? [6, 4] : [],
          pointRadius: line ? (s.points.length > 60 ? 0 : 2.5) : 2.5, pointHoverRadius: 4, spanGaps: false
        };
      }) },
      options: {
        maintainAspectRatio: false, parsing: true, normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: { display: c.series.length > 1 || !!c.series[0] && c.series[0].label !== '' } },
        scales: { x: axis(c.x, true), y: axis(c.y, false) }
      }
    });
  });
  document.body.setAttribute('data-charts-drawn', String(data.charts.length));
})();
`;

export function renderPage(page: ReportPage, footer: string): string {
  const charts: ({ kind: 'chart'; chart: ChartSpec } | { kind: 'bars'; chart: BarChartSpec })[] = [];
  const sections = page.sections
    .map((section) => {
      const blocks = section.blocks
        .map((block) => {
          switch (block.type) {
            case 'table': return renderTable(block);
            case 'matrix': return renderMatrix(block);
            case 'chart':
            case 'bars': {
              const id = charts.length;
              charts.push(block.type === 'chart' ? { kind: 'chart', chart: block.chart } : { kind: 'bars', chart: block.chart });
              const { title, note } = block.chart;
              const wide = block.type === 'chart' && block.chart.wide === true;
              return `<div class="card${wide ? ' wide' : ''}"><h3>${escapeHtml(title)}</h3>${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}<div class="chart-box"><canvas id="chart-${id}" role="img" aria-label="${escapeHtml(title)}"></canvas></div></div>`;
            }
          }
        })
        .join('\n');
      return `<section><h2>${escapeHtml(section.title)}</h2>${section.intro ? `<p class="intro">${escapeHtml(section.intro)}</p>` : ''}<div class="grid">${blocks}</div></section>`;
    })
    .join('\n');
  const warnings = page.warnings?.length ? `<ul class="warnings">${page.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
  const summary = `<table class="summary">${page.summary.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(page.title)}</h1>${page.subtitle ? `<p class="subtitle">${escapeHtml(page.subtitle)}</p>` : ''}${warnings}<div class="card">${summary}</div></header>
<main>
${sections}
</main>
<footer>${escapeHtml(footer)}</footer>
<script type="application/json" id="report-data">${scriptJson({ charts, palette: PALETTE })}</script>
<script>${chartJs()}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}

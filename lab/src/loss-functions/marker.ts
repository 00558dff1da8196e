/** A uPlot draw hook that marks the current prediction on a loss curve. */
import type uPlot from 'uplot';

export function markPoint(u: uPlot, x: number, y: number, color: string): void {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  const ctx = u.ctx;
  const px = u.valToPos(x, 'x', true);
  const py = u.valToPos(y, 'y', true);
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.fillStyle = color;
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 2 * ratio;
  ctx.beginPath();
  ctx.arc(px, py, 6 * ratio, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}

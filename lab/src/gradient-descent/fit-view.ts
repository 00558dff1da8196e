/** Auto MPG in its own units (horsepower, mpg) with the line of the current (w, b). */
import { fitCanvas, linearScale, type SizedCanvas } from '../common/canvas.js';
import { okabeIto } from '../common/colors.js';
import { t } from '../common/i18n.js';
import { autoMpg } from './auto-mpg.js';

export class FitView {
  private w = 0;
  private b = 0;
  private readonly sized: SizedCanvas;

  constructor(canvas: HTMLCanvasElement) {
    this.sized = fitCanvas(canvas, 0.45, () => this.draw(), 340);
  }

  setLine(w: number, b: number): void {
    this.w = w;
    this.b = b;
    this.draw();
  }

  private draw(): void {
    const { ctx, width, height } = this.sized;
    const { horsepower, mpg, stats } = autoMpg;
    const sx = linearScale([40, 240], [48, width - 10]);
    const sy = linearScale([5, 50], [height - 34, 10]);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#333';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (const v of [50, 100, 150, 200]) ctx.fillText(String(v), sx(v), height - 20);
    ctx.fillText(t('gd.fit.x'), (48 + width) / 2, height - 4);
    ctx.textAlign = 'right';
    for (const v of [10, 20, 30, 40]) ctx.fillText(String(v), 42, sy(v) + 4);
    ctx.save();
    ctx.translate(12, height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(t('gd.fit.y'), 0, 0);
    ctx.restore();
    ctx.fillStyle = 'rgba(0,114,178,0.55)';
    for (let i = 0; i < horsepower.length; i++) {
      ctx.beginPath();
      ctx.arc(sx(horsepower[i]!), sy(mpg[i]!), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    // The model lives in standardized units: mpg = ȳ + s_y·(w·(hp − x̄)/s_x + b).
    const [mx, sdx] = stats.x;
    const [my, sdy] = stats.y;
    const line = (hp: number): number => my + sdy * (this.w * ((hp - mx) / sdx) + this.b);
    ctx.save();
    ctx.beginPath();
    ctx.rect(48, 10, width - 58, height - 44);
    ctx.clip();
    ctx.strokeStyle = okabeIto.vermillion;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(sx(40), sy(line(40)));
    ctx.lineTo(sx(240), sy(line(240)));
    ctx.stroke();
    ctx.restore();
  }
}

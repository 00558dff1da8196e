/** Canvases that stay sharp on high-density screens and follow their container's width. */

export interface SizedCanvas {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  /** Size in CSS pixels. */
  width: number;
  height: number;
}

/** Width of an element's content box (clientWidth counts the padding too). */
export function contentWidth(element: HTMLElement | null): number {
  if (element === null) return 300;
  const style = getComputedStyle(element);
  return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

/**
 * Keep the canvas's backing store at devicePixelRatio × its CSS size; `aspect` = height / width
 * (a function when it depends on what is drawn: call `refitCanvas` after it changes).
 * `onResize` runs after every later change so the owner can redraw.
 */
export function fitCanvas(canvas: HTMLCanvasElement, aspect: number | (() => number), onResize: (c: SizedCanvas) => void, maxHeight = Infinity): SizedCanvas {
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('lab: this browser gives no 2-D canvas context');
  const sized: SizedCanvas = { canvas, ctx, width: 0, height: 0 };
  const apply = (notify: boolean): void => {
    const width = Math.max(120, Math.floor(contentWidth(canvas.parentElement)));
    const height = Math.floor(Math.min(maxHeight, width * (typeof aspect === 'number' ? aspect : aspect())));
    if (width === sized.width && height === sized.height) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    sized.width = width;
    sized.height = height;
    if (notify) onResize(sized);
  };
  // The first sizing happens now, without a callback: the owner draws once it is constructed.
  apply(false);
  refits.set(sized, () => apply(true));
  new ResizeObserver(() => apply(true)).observe(canvas.parentElement ?? canvas);
  return sized;
}

const refits = new WeakMap<SizedCanvas, () => void>();

/** Size a canvas again now (its aspect function's answer changed); redraws through onResize if it did. */
export function refitCanvas(sized: SizedCanvas): void {
  refits.get(sized)?.();
}

/** A linear map between a data interval and a pixel interval (either may be reversed). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): { (v: number): number; invert(p: number): number } {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  const f = (v: number): number => r0 + (v - d0) * k;
  f.invert = (p: number): number => d0 + (p - r0) / k;
  return f;
}

/** A class marker at (x, y): shape as well as colour tells the classes apart. */
export function drawMarker(ctx: CanvasRenderingContext2D, shape: 'circle' | 'square' | 'triangle' | 'diamond', x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case 'circle':
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      break;
    case 'square':
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      break;
    case 'triangle':
      ctx.moveTo(x, y - r * 1.1);
      ctx.lineTo(x + r, y + r * 0.8);
      ctx.lineTo(x - r, y + r * 0.8);
      ctx.closePath();
      break;
    case 'diamond':
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r, y);
      ctx.closePath();
      break;
  }
}

/** An arrow from (x0, y0) to (x1, y1) with a head of `head` pixels. */
export function drawArrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, head = 8): void {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(angle - 0.4), y1 - head * Math.sin(angle - 0.4));
  ctx.lineTo(x1 - head * Math.cos(angle + 0.4), y1 - head * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fill();
}

/**
 * A canvas to draw a digit on, and its conversion to what the network saw in training:
 * MNIST digits are white on black, fitted into a 20 × 20 box and centred by their centre
 * of mass in a 28 × 28 image.
 */
export const SIDE = 28;

export class DigitPad {
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | null = null;
  private inked = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onStroke: (final: boolean) => void) {
    canvas.width = 280;
    canvas.height = 280;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.dot(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.point(e);
      this.line(this.last ?? p, p);
      this.last = p;
      this.onStroke(false);
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      this.onStroke(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  get hasInk(): boolean {
    return this.inked;
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, 280, 280);
    this.inked = false;
  }

  /** Show a 28 × 28 image (a test digit), enlarged to fill the pad. */
  showImage(pixels: Float32Array): void {
    const image = new ImageData(SIDE, SIDE);
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = Math.round(255 * pixels[i]!);
      image.data.set([v, v, v, 255], i * 4);
    }
    const small = document.createElement('canvas');
    small.width = SIDE;
    small.height = SIDE;
    small.getContext('2d')!.putImageData(image, 0, 0);
    this.clear();
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(small, 0, 0, 280, 280);
    this.inked = true;
    this.onStroke(true);
  }

  private point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * 280, ((e.clientY - r.top) / r.height) * 280];
  }

  private dot([x, y]: [number, number]): void {
    this.ctx.fillStyle = '#fff';
    this.ctx.beginPath();
    this.ctx.arc(x, y, 10, 0, 2 * Math.PI);
    this.ctx.fill();
    this.inked = true;
  }

  private line(a: [number, number], b: [number, number]): void {
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = 20;
    this.ctx.lineCap = 'round';
    this.ctx.beginPath();
    this.ctx.moveTo(a[0], a[1]);
    this.ctx.lineTo(b[0], b[1]);
    this.ctx.stroke();
    this.inked = true;
  }

  /** The drawing as 784 values in [0, 1], prepared the way MNIST digits were. */
  pixels(): Float32Array {
    const source = this.ctx.getImageData(0, 0, 280, 280).data;
    let [x0, y0, x1, y1] = [280, 280, -1, -1];
    for (let y = 0; y < 280; y++) {
      for (let x = 0; x < 280; x++) {
        if (source[(y * 280 + x) * 4]! > 32) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    const out = new Float32Array(SIDE * SIDE);
    if (x1 < 0) return out;
    // Fit the ink's bounding box into 20 × 20, keeping its aspect ratio.
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const scale = 20 / Math.max(w, h);
    const small = document.createElement('canvas');
    small.width = SIDE;
    small.height = SIDE;
    const sctx = small.getContext('2d', { willReadFrequently: true })!;
    sctx.fillStyle = '#000';
    sctx.fillRect(0, 0, SIDE, SIDE);
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = 'high';
    const dw = w * scale;
    const dh = h * scale;
    sctx.drawImage(this.canvas, x0, y0, w, h, (SIDE - dw) / 2, (SIDE - dh) / 2, dw, dh);
    const boxed = sctx.getImageData(0, 0, SIDE, SIDE).data;
    // Then shift so the centre of mass sits at the centre of the 28 × 28 image.
    let mass = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = boxed[i * 4]! / 255;
      mass += v;
      cx += v * (i % SIDE);
      cy += v * Math.floor(i / SIDE);
    }
    const dx = Math.round(SIDE / 2 - 0.5 - cx / mass);
    const dy = Math.round(SIDE / 2 - 0.5 - cy / mass);
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) out[y * SIDE + x] = boxed[(sy * SIDE + sx) * 4]! / 255;
      }
    }
    return out;
  }
}

/**
 * A canvas to draw a digit on, and its conversion to what the network saw in training:
 * MNIST digits are white on black, fitted into a 20 × 20 box and centred by their centre
 * of mass in a 28 × 28 image, with strokes about two pixels wide.
 *
 * The pad keeps the strokes as lines, not only as ink: a digit drawn small in a corner is
 * scaled up to the 20 × 20 box and drawn again with MNIST's stroke width, so it reaches the
 * network as the same image as a large one (scaling the ink instead would turn the pen's width
 * into a fat blob that reads as 0 or 8).
 */
export const SIDE = 28;
/** The box MNIST fits each digit into (its longer side), in pixels of the 28 × 28 image. */
const BOX = 20;
/** Stroke width of MNIST digits, in pixels of the 28 × 28 image. */
const PEN = 2.4;

type Point = [number, number];

export class DigitPad {
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: [number, number] | null = null;
  private inked = false;
  /** The strokes drawn so far, in pad coordinates (0..280). */
  private strokes: Point[][] = [];
  /** A test digit shown on the pad (already an MNIST image), while nothing is drawn over it. */
  private sample: Float32Array | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onStroke: (final: boolean) => void) {
    canvas.width = 280;
    canvas.height = 280;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.strokes.push([this.last]);
      this.dot(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.point(e);
      this.strokes.at(-1)?.push(p);
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
    this.strokes = [];
    this.sample = null;
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
    this.sample = Float32Array.from(pixels);
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
    const points = this.strokes.flat();
    if (points.length === 0) return this.sample !== null ? Float32Array.from(this.sample) : new Float32Array(SIDE * SIDE);
    // Fit the strokes' bounding box (their centre lines) into the 20 × 20 box, keeping the aspect
    // ratio; a dot or a very short stroke is not blown up beyond the pad's own scale.
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of points) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    const scale = Math.min((BOX - PEN) / Math.max(x1 - x0, y1 - y0, 1e-9), SIDE / 28);
    const first = this.render(scale, SIDE / 2 - ((x0 + x1) / 2) * scale, SIDE / 2 - ((y0 + y1) / 2) * scale);
    // Then move it so the centre of mass sits at the centre of the 28 × 28 image, as MNIST did.
    const [cx, cy] = centreOfMass(first);
    if (cx === null) return first;
    const shiftX = SIDE / 2 - 0.5 - cx;
    const shiftY = SIDE / 2 - 0.5 - cy!;
    return this.render(scale, SIDE / 2 - ((x0 + x1) / 2) * scale + shiftX, SIDE / 2 - ((y0 + y1) / 2) * scale + shiftY);
  }

  /** The strokes drawn at `scale` and moved by (dx, dy) into a 28 × 28 image, with MNIST's pen. */
  private render(scale: number, dx: number, dy: number): Float32Array {
    const small = document.createElement('canvas');
    small.width = SIDE;
    small.height = SIDE;
    const ctx = small.getContext('2d', { willReadFrequently: true })!;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIDE, SIDE);
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#fff';
    ctx.lineWidth = PEN;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const stroke of this.strokes) {
      const [sx, sy] = stroke[0]!;
      if (stroke.length === 1) {
        ctx.beginPath();
        ctx.arc(sx * scale + dx, sy * scale + dy, PEN / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(sx * scale + dx, sy * scale + dy);
      for (const [x, y] of stroke.slice(1)) ctx.lineTo(x * scale + dx, y * scale + dy);
      ctx.stroke();
    }
    const rgba = ctx.getImageData(0, 0, SIDE, SIDE).data;
    const out = new Float32Array(SIDE * SIDE);
    for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4]! / 255;
    return out;
  }
}

/** Centre of mass (column, row) of a 28 × 28 image, or nulls for an empty one. */
export function centreOfMass(pixels: Float32Array): [number | null, number | null] {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    mass += v;
    cx += v * (i % SIDE);
    cy += v * Math.floor(i / SIDE);
  }
  return mass === 0 ? [null, null] : [cx / mass, cy / mass];
}

/** Paint a 28 × 28 image into a canvas (white on black), for showing what the network receives. */
export function paintDigit(canvas: HTMLCanvasElement, pixels: Float32Array): void {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const image = new ImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(255 * pixels[i]!);
    image.data[i * 4] = v;
    image.data[i * 4 + 1] = v;
    image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}

/**
 * Error messages: every refusal is a GradienteError subclass whose message names the op and
 * the shapes or values involved, so a user can fix the call without reading the source.
 */
import { describe, expect, it } from 'vitest';
import {
  GradienteError,
  ShapeError,
  ValueError,
  add,
  backward,
  binaryCrossentropy,
  categoricalCrossentropy,
  clip,
  concat,
  div,
  gatherRows,
  getActivation,
  huber,
  linear,
  matmul,
  max,
  maximum,
  mean,
  meanAbsoluteError,
  meanSquaredError,
  minimum,
  mul,
  pow,
  reshape,
  setBackend,
  slice,
  softmax,
  sparseCategoricalCrossentropy,
  sub,
  sum,
  tensor,
  transpose,
  zeros,
  type Tensor,
} from '../src/index.js';

/** Run fn, expect it to throw an instance of `kind`, and return the message. */
function messageOf(fn: () => unknown, kind: new (...args: never[]) => Error = GradienteError): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(kind);
    expect(e).toBeInstanceOf(GradienteError);
    return (e as Error).message;
  }
  throw new Error('expected a throw, got none');
}

describe('shape mismatches name the op and both shapes', () => {
  const binaries: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
    ['pow', pow],
    ['maximum', maximum],
    ['minimum', minimum],
  ];
  it.each(binaries)('%s', (op, fn) => {
    const message = messageOf(() => fn(zeros([4, 3]), zeros([2])), ShapeError);
    expect(message).toContain(op);
    expect(message).toContain('[4, 3]');
    expect(message).toContain('[2]');
    expect(message).toMatch(/3 vs 2/);
  });

  it('the method form reports the same', () => {
    expect(messageOf(() => zeros([2, 3]).add(zeros([3, 2])), ShapeError)).toMatch(/add: shapes \[2, 3\] and \[3, 2\] cannot be broadcast/);
  });

  it('matmul: inner dimensions, with the transposes shown', () => {
    const message = messageOf(() => matmul(zeros([3, 4]), zeros([5, 2])), ShapeError);
    expect(message).toMatch(/^matmul/);
    expect(message).toContain('[3, 4]');
    expect(message).toContain('[5, 2]');
    expect(message).toContain('4 vs 5');
    expect(messageOf(() => matmul(zeros([3, 4]), zeros([5, 4]), { transposeA: true }), ShapeError)).toContain('[3, 4]ᵀ');
  });

  it('matmul: operands that are not matrices', () => {
    const message = messageOf(() => matmul(zeros([3]), zeros([3, 2])), ShapeError);
    expect(message).toMatch(/matmul.*rank 2.*\[3\].*\[3, 2\]/);
  });

  it('linear: input vs weights, and bias vs weights', () => {
    const m1 = messageOf(() => linear(zeros([5, 4]), zeros([3, 2])), ShapeError);
    expect(m1).toMatch(/^linear/);
    expect(m1).toContain('[5, 4]');
    expect(m1).toContain('[3, 2]');
    const m2 = messageOf(() => linear(zeros([5, 3]), zeros([3, 2]), zeros([3])), ShapeError);
    expect(m2).toMatch(/linear: bias \[3\] does not fit weights \[3, 2\].*\[2\]/);
  });

  it('concat: the shape that does not match the first, and the axis', () => {
    const message = messageOf(() => concat([zeros([2, 3]), zeros([2, 4])], 0), ShapeError);
    expect(message).toMatch(/^concat/);
    expect(message).toContain('[2, 4]');
    expect(message).toContain('[2, 3]');
    expect(message).toContain('axis 0');
  });

  it('reshape: the shape, its size and the target', () => {
    const message = messageOf(() => reshape(zeros([2, 3]), [4, 2]), ShapeError);
    expect(message).toMatch(/reshape.*\[2, 3\].*6 values.*\[4, 2\]/);
    expect(messageOf(() => reshape(zeros([2, 3]), [-1, -1]), ShapeError)).toMatch(/only one dimension can be -1/);
    expect(messageOf(() => reshape(zeros([2, 3]), [4, -1]), ShapeError)).toMatch(/cannot infer -1 in \[4, -1\] for 6 values/);
  });

  it('transpose: a permutation that is not one', () => {
    expect(messageOf(() => transpose(zeros([2, 3, 4]), [0, 0, 1]), ShapeError)).toMatch(/transpose.*\[0, 0, 1\].*3 axes.*\[2, 3, 4\]/);
    expect(messageOf(() => transpose(zeros([2, 3]), [0]), ShapeError)).toContain('[2, 3]');
  });

  it('slice: the range, the axis and the shape', () => {
    expect(messageOf(() => slice(zeros([4, 3]), 2, 6), ShapeError)).toMatch(/slice: range \[2, 6\) is outside axis 0 of size 4 \(shape \[4, 3\]\)/);
    expect(messageOf(() => slice(zeros([4, 3]), 0, 1, 2), ShapeError)).toMatch(/slice: axis 2 is out of range for a tensor of rank 2/);
  });

  it('reductions: an axis out of range names the op, the axis and the rank', () => {
    for (const [op, fn] of [['sum', sum], ['mean', mean], ['max', max]] as const) {
      expect(messageOf(() => fn(zeros([2, 3]), 2), ShapeError)).toBe(`${op}: axis 2 is out of range for a tensor of rank 2`);
      expect(messageOf(() => fn(zeros([2, 3]), -3), ShapeError)).toContain('axis -3');
    }
  });

  it('losses: yTrue and yPred shapes', () => {
    const losses: [string, (t: Tensor, p: Tensor) => Tensor][] = [
      ['meanSquaredError', meanSquaredError],
      ['meanAbsoluteError', meanAbsoluteError],
      ['huber', huber],
      ['binaryCrossentropy', binaryCrossentropy],
      ['categoricalCrossentropy', categoricalCrossentropy],
    ];
    for (const [name, fn] of losses) {
      expect(messageOf(() => fn(zeros([4, 3]), zeros([4, 2])), ShapeError)).toBe(
        `${name}: yTrue [4, 3] and yPred [4, 2] must have the same shape`,
      );
    }
  });

  it('sparseCategoricalCrossentropy: labels that are not one per row, and yPred that is not [N, C]', () => {
    expect(messageOf(() => sparseCategoricalCrossentropy(tensor([0, 1, 2]), zeros([4, 3])), ShapeError)).toMatch(
      /labels \[3\] must be \[4\].*yPred \[4, 3\]/,
    );
    expect(messageOf(() => sparseCategoricalCrossentropy(tensor([0]), zeros([4])), ShapeError)).toMatch(/yPred must be \[N, C\], got \[4\]/);
  });

  it('softmax of a scalar', () => {
    expect(messageOf(() => softmax(tensor(3)), ShapeError)).toMatch(/softmax: needs at least one axis/);
  });
});

describe('bad values name the value and the accepted range', () => {
  it('gatherRows: an index out of range, and where it was', () => {
    expect(messageOf(() => gatherRows(zeros([3, 2]), [0, 3]), ValueError)).toBe('gatherRows: index 3 (position 1) is out of range for 3 rows');
    expect(messageOf(() => gatherRows(zeros([3, 2]), [1.5]), ValueError)).toContain('index 1.5');
  });

  it('sparseCategoricalCrossentropy: a label that is not a class index', () => {
    expect(messageOf(() => sparseCategoricalCrossentropy(tensor([0, 3]), zeros([2, 3])), ValueError)).toBe(
      'sparseCategoricalCrossentropy: label 3 at row 1 is not a class index in 0..2',
    );
  });

  it('clip with low > high; huber with delta <= 0; an unknown reduction', () => {
    expect(messageOf(() => clip(zeros([2]), 1, 0), ValueError)).toBe('clip: low (1) must not be greater than high (0)');
    expect(messageOf(() => huber(zeros([2, 1]), zeros([2, 1]), { delta: 0 }), ValueError)).toBe('huber: delta must be positive, got 0');
    expect(
      messageOf(() => meanSquaredError(zeros([2, 1]), zeros([2, 1]), { reduction: 'avg' as never }), ValueError),
    ).toMatch(/unknown reduction 'avg'; use 'mean', 'sum' or 'none'/);
  });

  it('mean and max over an empty axis', () => {
    expect(messageOf(() => mean(zeros([0, 3]), 0), ValueError)).toMatch(/mean: cannot average over an empty axis of shape \[0, 3\]/);
    expect(messageOf(() => max(zeros([2, 0]), 1), ValueError)).toMatch(/max: .*empty axis of shape \[2, 0\]/);
  });

  it('tensor(): ragged arrays and values that do not fill the shape', () => {
    expect(messageOf(() => tensor([[1, 2], [3]]), ValueError)).toMatch(/ragged.*dimension 1 should have 2 entries.*found 1/);
    expect(messageOf(() => tensor([1, 2, 3], [2, 2]), ValueError)).toBe('tensor: 3 values cannot take shape [2, 2] (4 needed)');
    expect(messageOf(() => zeros([2, -1]), ValueError)).toMatch(/full: shape \[2, -1\] has a dimension that is not a non-negative integer/);
  });

  it('item() of a tensor with more than one value', () => {
    expect(messageOf(() => zeros([2, 2]).item(), ValueError)).toBe('item(): tensor of shape [2, 2] has 4 values, item() needs exactly 1');
  });

  it('unknown names list the ones that exist', () => {
    expect(messageOf(() => setBackend('cuda'), ValueError)).toMatch(/setBackend: unknown backend 'cuda'; available: js/);
    expect(messageOf(() => getActivation('relu6'), ValueError)).toMatch(/unknown activation 'relu6'; choose one of: .*relu.*softmax/);
  });
});

describe('backward() misuse says what to do instead', () => {
  it('a non-scalar without a seed', () => {
    const y = mul(tensor([1, 2], undefined, { requiresGrad: true }), 2);
    expect(messageOf(() => backward(y), ValueError)).toMatch(
      /backward\(\): the tensor has shape \[2\], not a single value; reduce it to a scalar loss first \(e\.g\. mean\(\)\) or pass a seed/,
    );
  });

  it('a tensor that depends on nothing requiring a gradient', () => {
    expect(messageOf(() => sum(zeros([2])).backward())).toMatch(/does not depend on anything that requires a gradient.*requiresGrad: true/);
  });

  it('a graph already freed by an earlier backward()', () => {
    const loss = sum(mul(tensor([1, 2], undefined, { requiresGrad: true }), 2));
    loss.backward();
    expect(messageOf(() => loss.backward())).toMatch(/already freed by an earlier backward\(\).*retainGraph: true.*detach\(\)/);
  });
});

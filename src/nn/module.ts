/**
 * Module: the base of every layer and model. Modules own their parameters; names are dotted
 * paths (`0.kernel`, `1.bias`) as in PyTorch's namedParameters()/stateDict().
 */
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

export type StateDict = Record<string, Tensor>;

export abstract class Module {
  /** Training mode turns dropout on; eval() turns it off. */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  abstract forward(x: Tensor): Tensor;

  /** Shape of the output for an input shape (batch axis included); builds lazy parameters. */
  build(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    this.ownParameters.set(name, t);
    return t;
  }

  protected registerModule(name: string, m: Module): Module {
    this.children.set(name, m);
    return m;
  }

  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, t] of this.ownParameters) out.push([prefix + name, t]);
    for (const [name, child] of this.children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Number of trainable values. */
  countParameters(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  /** Copies of every parameter by dotted name. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.namedParameters()) out[name] = new Tensor(t.data.slice(), t.shape);
    return out;
  }

  /** Copy values into the parameters; names and shapes must match (strict: none missing or extra). */
  loadStateDict(state: StateDict, options: { strict?: boolean } = {}): void {
    const strict = options.strict ?? true;
    const own = new Map(this.namedParameters());
    if (strict) {
      const missing = [...own.keys()].filter((k) => !(k in state));
      const unexpected = Object.keys(state).filter((k) => !own.has(k));
      if (missing.length > 0 || unexpected.length > 0) {
        throw new ValueError(
          `loadStateDict: names do not match the model` +
            (missing.length ? `; missing: ${missing.join(', ')}` : '') +
            (unexpected.length ? `; unexpected: ${unexpected.join(', ')}` : '') +
            ` (the model has: ${[...own.keys()].join(', ') || 'no parameters yet: build it first'})`,
        );
      }
    }
    const matched: [Tensor, Tensor][] = [];
    for (const [name, value] of Object.entries(state)) {
      const target = own.get(name);
      if (target === undefined) continue;
      // NOTE: compare ranks too: [2] and [2, 1] hold as many values but are different shapes.
      if (value.rank !== target.rank || value.shape.some((d, i) => d !== target.shape[i])) {
        throw new ShapeError(`loadStateDict: '${name}' has shape ${formatShape(value.shape)}, the model expects ${formatShape(target.shape)}`);
      }
      matched.push([target, value]);
    }
    // Copy only once every shape is known to fit, so a failed load leaves the model as it was.
    for (const [target, value] of matched) target.data.set(value.data);
  }

  train(mode = true): this {
    this.training = mode;
    for (const child of this.children.values()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }
}

/**
 * Every error gradiente throws on purpose is a GradienteError (or a subclass), so callers
 * (the CLI, the lab, tests) can tell "your input was wrong" from "a bug crashed".
 */
export class GradienteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together: the message names the op and the shapes. */
export class ShapeError extends GradienteError {}

/** A value the user passed is not acceptable (bad option, label out of range, ...). */
export class ValueError extends GradienteError {}

/** A file or a record in it could not be read: the message names the file and where. */
export class DataFormatError extends GradienteError {}

/** A model file (native, TensorFlow.js, ONNX) is malformed, unsafe or unsupported: the message names the file and the field. */
export class ModelFormatError extends GradienteError {}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

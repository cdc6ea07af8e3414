// Inputs recognised and named without TensorFlow.js at run time (type imports only).
import type * as tf from '../core/tf.js';

/** How a `predict()` input is named in results and errors: a file's path or name, an image's URL, else its kind. */
export function describeInput(input: unknown): string {
  if (input instanceof File) return input.webkitRelativePath || input.name;
  if (input instanceof Blob) return `blob (${input.type || 'unknown type'})`;
  if (typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement) return input.currentSrc || input.src || 'img';
  return (input as object)?.constructor?.name ?? 'image';
}

/**
 * A tfjs tensor, recognised without importing tfjs: also one of another TensorFlow.js copy (a page
 * with its own tfjs beside the bundle), which `instanceof tf.Tensor` would not recognise.
 */
export function isTensor(input: unknown): input is tf.Tensor {
  const t = input as Partial<tf.Tensor> | null;
  return typeof t === 'object' && t !== null && Array.isArray(t.shape) && typeof t.dtype === 'string' && typeof t.data === 'function';
}

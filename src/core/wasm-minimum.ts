import * as tf from './tf.js';
import { replaceWasmKernel } from './wasm-kernel.js';

/** The wasm backend's synchronous read, the one method of it the wrapper needs. */
interface ReadingBackend {
  readSync(dataId: tf.DataId): ArrayLike<number>;
}

/**
 * Replaces the `wasm` backend's `Minimum` kernel with one that runs `ClipByValue` when one operand
 * is a single number: `minimum(x, 6)` is exactly `clipByValue(x, -Infinity, 6)`.
 *
 * Why: tfjs-layers computes MobileNet's ReLU6 as `minimum(6, relu(x))`, and tfjs-backend-wasm
 * 4.22 runs a broadcast `Minimum` through its slow generic broadcasting path: profiled on 32
 * images, `Minimum` took 460 ms of the ~1.1 s the folded network needed, more than every conv
 * together. `ClipByValue` is one pass over the data. The outputs are identical (same float32
 * comparisons), so a saved model still predicts the same anywhere.
 *
 * Idempotent; a no-op (returns false) when the wasm backend's kernels are not registered.
 * @returns whether the wrapper is in place.
 */
export function installWasmMinimum(): boolean {
  return replaceWasmKernel(tf.Minimum, [tf.ClipByValue], (original, clip) => ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const size = (t: tf.TensorInfo) => t.shape.reduce((n, d) => n * d, 1);
    const [x, limit] = size(b) === 1 && size(a) > 1 ? [a, b] : size(a) === 1 && size(b) > 1 ? [b, a] : [];
    if (!x || !limit || x.dtype !== 'float32' || limit.dtype !== 'float32') return original({ inputs, backend, attrs });
    const clipValueMax = (backend as unknown as ReadingBackend).readSync(limit.dataId)[0];
    // NaN limits propagate NaN in Minimum; keep that exact behaviour in the original kernel.
    if (Number.isNaN(clipValueMax)) return original({ inputs, backend, attrs });
    return clip({ inputs: { x }, backend, attrs: { clipValueMin: -Infinity, clipValueMax } });
  });
}

import * as tf from './tf.js';
import { replaceWasmKernel } from './wasm-kernel.js';

/** The wasm backend's data release, the one method of it the wrapper needs. */
interface DisposingBackend {
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * Replaces the `wasm` backend's `BatchMatMul` kernel with one that transposes a flagged operand
 * explicitly (the backend's own `Transpose` kernel) and then multiplies without the flag.
 *
 * Why: in tfjs-backend-wasm 4.22, `BatchMatMul` with `transposeA` or `transposeB` set runs about
 * 10x slower than an explicit transpose followed by a plain product (measured 805 ms vs 71 ms for
 * `matMul([700, 12544], [700, 100], transposeA)`; see `../shared/notes/measured-facts.md`). Dense
 * layers' gradients use exactly those flags, so head training on WASM pays it on every batch.
 * The numbers match the flagged kernel's to float rounding (checked to 1e-4 relative in
 * `test/core/backend.test.ts`).
 *
 * Works for any rank the original accepts (2-D, batched 3-D and higher, broadcast batch
 * dimensions): only the last two dimensions of a flagged operand are swapped. Gradients are
 * unaffected (they are registered per kernel name, not per implementation).
 *
 * Idempotent; a no-op (returns false) when the wasm backend's kernels are not registered.
 * @returns whether the wrapper is in place.
 */
export function installWasmBatchMatMul(): boolean {
  return replaceWasmKernel(tf.BatchMatMul, [tf.Transpose], (original, transpose) => ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    if (!transposeA && !transposeB) return original({ inputs, backend, attrs });
    // Intermediates made inside a kernel are backend data the engine never sees: free them here.
    const made: tf.TensorInfo[] = [];
    const swapLastTwo = (x: tf.TensorInfo) => {
      const perm = x.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      const out = transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      made.push(out);
      return out;
    };
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    try {
      const plain = { a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b };
      return original({ inputs: plain, backend, attrs: { transposeA: false, transposeB: false } });
    } finally {
      for (const info of made) (backend as DisposingBackend).disposeData(info.dataId);
    }
  });
}
